/** The worker pool: identical results for any number of workers, progress, cancellation, named errors. */
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { simulateEnsemble } from "../../src/ensemble/pool.js";
import { generateCSR } from "../../src/graph/generators/index.js";

const ba = generateCSR({ type: "barabasi-albert", n: 3000, m: 3 }, 4);
const spec: SimulationSpec = {
  model: { preset: "SEIR", params: { beta: 0.3, sigma: 1, gamma: 1 } },
  time: { mode: "continuous", tmax: 30, record: 1 },
  initial: { I: { nodes: ["17", "42"] }, E: { count: 3 } },
  seed: 5,
  runs: 24,
  output: { nodes: "first", infectionTimes: true },
};
const strip = <T extends { elapsedMs: number }>(r: T) => ({ ...r, elapsedMs: 0 });

describe("ensemble worker pool", () => {
  it("gives the serial result exactly, with 1, 2, 3 and 8 workers", async () => {
    const serial = strip(simulate(ba, spec));
    for (const workers of [1, 2, 3, 8]) {
      expect(strip(await simulateEnsemble(ba, spec, { workers }))).toEqual(serial);
    }
  });

  it("runs cascades too, identically", async () => {
    const cascade = { family: "cascade" as const, model: { type: "independent-cascade" as const, probability: 0.1 }, initial: { active: { count: 5 } }, seed: 3, runs: 12 };
    const { simulateCascade } = await import("../../src/families/cascade/cascade.js");
    expect(strip(await simulateEnsemble(ba, cascade, { workers: 2 }))).toEqual(strip(simulateCascade(ba, cascade)));
  });

  it("shares edge attributes with the workers (school closure by edge attribute)", async () => {
    const { default: Graph } = await import("graphology");
    const g = new Graph({ type: "undirected" });
    for (let i = 0; i < 60; i++) g.addNode(String(i));
    for (let i = 0; i < 60; i++) for (const j of [1, 2, 7]) g.addEdge(String(i), String((i + j) % 60), { school: j === 7 ? 1 : 0 });
    const schoolSpec: SimulationSpec = {
      model: { preset: "SIR", params: { beta: 0.5, gamma: 1 } },
      time: { mode: "continuous", tmax: 20, record: 1 },
      initial: { I: { count: 3 } },
      seed: 4,
      runs: 8,
      interventions: [{ at: 0, edges: { where: "school", scale: 0 } }],
    };
    const parallel = strip(await simulateEnsemble(g, schoolSpec, { workers: 2 }));
    expect(parallel).toEqual(strip(simulate(g, schoolSpec)));
    const open = simulate(g, { ...schoolSpec, interventions: [] });
    expect(parallel.finalSize.mean).toBeLessThan(open.finalSize.mean);
  });

  it("reports progress up to the number of runs", async () => {
    const seen: number[] = [];
    await simulateEnsemble(ba, { ...spec, runs: 10, output: { nodes: "none" } }, { workers: 2, onProgress: (done, total) => seen.push(done / total) });
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it("rejects bad specs on the main thread with the library's named errors", async () => {
    await expect(simulateEnsemble(ba, { ...spec, initial: { I: { nodes: ["nobody"] } } })).rejects.toMatchObject({ name: "SimulationError" });
    await expect(simulateEnsemble(ba, { ...spec, model: { preset: "SIR", params: { beta: -1 } } })).rejects.toMatchObject({ name: "ModelError" });
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const big = { ...spec, runs: 5000, output: { nodes: "none" as const } };
    const run = simulateEnsemble(ba, big, {
      workers: 2,
      signal: controller.signal,
      onProgress: (done) => {
        if (done > 0) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: "SimulationError" });
  });
});
