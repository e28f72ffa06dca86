/**
 * State-change histories (output.history): replaying a run's changes from its initial state gives, at every
 * record time, exactly the counts the engine recorded, and at the end exactly the final node states.
 */
import { describe, expect, it } from "vitest";
import { simulate, type EngineChoice, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { generateCSR } from "../../src/graph/generators/index.js";

const net = generateCSR({ type: "barabasi-albert", n: 800, m: 2 }, 3);

function replayCounts(result: ReturnType<typeof simulate>, run = 0): number[][] {
  const kept = result.nodes!.runs[run];
  const h = kept.history!;
  const state = [...h.initial];
  const nComp = result.compartments.length;
  const rows: number[][] = [];
  let j = 0;
  for (const t of result.times) {
    while (j < h.time.length && h.time[j] <= t) state[h.node[j]] = h.to[j++];
    const counts = new Array(nComp).fill(0);
    for (const c of state) counts[c]++;
    rows.push(counts);
  }
  while (j < h.time.length) state[h.node[j]] = h.to[j++];
  expect(state.map((c) => result.compartments[c])).toEqual(kept.state);
  return rows;
}

describe("state-change history", () => {
  const cases: [string, SimulationSpec["model"], EngineChoice, SimulationSpec["time"]][] = [
    ["SIR, event-driven path", { preset: "SIR", params: { beta: 0.4, gamma: 1 } }, "auto", { mode: "continuous", tmax: 30, record: 0.5 }],
    ["SEIRS, composition–rejection", { preset: "SEIRS", params: { beta: 0.4, sigma: 1, gamma: 1, omega: 0.5 } }, "general", { mode: "continuous", tmax: 20, record: 0.5 }],
    ["SIS, next-reaction", { preset: "SIS", params: { beta: 0.3, gamma: 1 } }, "next-reaction", { mode: "continuous", tmax: 15, record: 0.5 }],
    ["SIR, discrete", { preset: "SIR", params: { beta: 0.4, gamma: 0.5 } }, "auto", { mode: "discrete", steps: 40, dt: 0.5 }],
  ];
  for (const [label, model, engine, time] of cases) {
    it(`${label}: replay = recorded counts and final states`, () => {
      const result = simulate(net, { model, engine, time, initial: { I: { count: 5 } }, seed: 7, runs: 2, output: { series: true, history: true } });
      const replay = replayCounts(result);
      result.times.forEach((_, k) => {
        result.compartments.forEach((c, ci) => expect(replay[k][ci], `${c} at t = ${result.times[k]}`).toBe(result.series![c][0][k]));
      });
      const h = result.nodes!.runs[0].history!;
      expect(h.time.length).toBeGreaterThan(10);
      for (let i = 1; i < h.time.length; i++) expect(h.time[i]).toBeGreaterThanOrEqual(h.time[i - 1]);
    });
  }

  it("is kept only for the runs whose node states are kept, and only on request", () => {
    const base: SimulationSpec = { model: { preset: "SIR", params: { beta: 0.4, gamma: 1 } }, time: { mode: "continuous", tmax: 10 }, initial: { I: { count: 5 } }, seed: 1, runs: 3 };
    expect(simulate(net, base).nodes!.runs[0].history).toBeUndefined();
    const all = simulate(net, { ...base, output: { nodes: "all", history: true } });
    expect(all.nodes!.runs.every((r) => r.history !== undefined)).toBe(true);
  });
});
