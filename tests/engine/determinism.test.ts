/** Reproducibility: a run depends on (seed, run index) alone. */
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { generateCSR } from "../../src/graph/generators/index.js";

const ba = generateCSR({ type: "barabasi-albert", n: 2000, m: 3 }, 1);
const base = (engine: SimulationSpec["engine"], preset: "SIR" | "SEIR" | "SIS" = "SIR"): SimulationSpec => ({
  model: { preset, params: { beta: 0.3, gamma: 1 } },
  time: { mode: "continuous", tmax: 20, record: 0.5 },
  initial: { I: { count: 5 } },
  seed: 99,
  runs: 4,
  engine,
  output: { nodes: "all", infectionTimes: true },
});
const strip = ({ elapsedMs: _e, ...rest }: ReturnType<typeof simulate>) => rest;

describe("determinism", () => {
  for (const [engine, preset] of [["auto", "SIR"], ["general", "SEIR"], ["next-reaction", "SIS"]] as const) {
    it(`${preset} with engine "${engine}": same seed → identical result, node states and infection times`, () => {
      expect(strip(simulate(ba, base(engine, preset)))).toEqual(strip(simulate(ba, base(engine, preset))));
    });
  }

  it("different seeds → different runs", () => {
    const a = simulate(ba, base("auto"));
    const b = simulate(ba, { ...base("auto"), seed: 100 });
    expect(a.finalSize.values).not.toEqual(b.finalSize.values);
  });

  it("run r is the same whether it is run alone or within a larger ensemble", () => {
    const four = simulate(ba, { ...base("general", "SEIR"), runs: 4, output: { series: true, nodes: "none" } });
    const one = simulate(ba, { ...base("general", "SEIR"), runs: 1, output: { series: true, nodes: "none" } });
    expect(four.series!.I[0]).toEqual(one.series!.I[0]);
    expect(four.finalSize.values[0]).toBe(one.finalSize.values[0]);
  });

  it("discrete engine: same seed → identical result", () => {
    const spec: SimulationSpec = { ...base("auto"), time: { mode: "discrete", steps: 30, dt: 0.5 } };
    expect(strip(simulate(ba, spec))).toEqual(strip(simulate(ba, spec)));
  });

  it("the network generator is seeded too", () => {
    const again = generateCSR({ type: "barabasi-albert", n: 2000, m: 3 }, 1);
    expect(again.targets).toEqual(ba.targets);
  });
});
