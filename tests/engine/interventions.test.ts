/**
 * Interventions (engine/interventions.ts) in the continuous (composition–rejection) and discrete engines.
 * Exactness of timing is checked by identities that hold run by run; effects by comparisons whose margin is
 * 3 standard errors of the difference of two means.
 */
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { estimate } from "../helpers/statistics.js";

const ba = generateCSR({ type: "barabasi-albert", n: 4000, m: 2 }, 8);
const er = generateCSR({ type: "erdos-renyi", n: 2000, k: 8 }, 9);
const sir = (beta: number): SimulationSpec["model"] => ({ preset: "SIR", params: { beta, gamma: 1 } });
const continuous = { mode: "continuous" as const, tmax: 40, record: 1 };

describe("interventions", () => {
  it("halving β at t = 0 is exactly the run with half β (same seed), in continuous and discrete time", () => {
    for (const time of [continuous, { mode: "discrete" as const, steps: 40, dt: 0.5 }]) {
      const base: SimulationSpec = { model: sir(0.5), time, initial: { I: { count: 10 } }, seed: 3, runs: 5, engine: "general", output: { series: true, nodes: "none" } };
      const halved = simulate(er, { ...base, interventions: [{ at: 0, scale: "beta", by: 0.5 }] });
      const direct = simulate(er, { ...base, model: sir(0.25) });
      expect(halved.series).toEqual(direct.series);
      expect(halved.finalSize.values).toEqual(direct.finalSize.values);
    }
  });

  it("a rate change takes effect exactly at its time: with β → 0 at t = 10 nobody is infected after 10", () => {
    const r = simulate(er, {
      model: sir(0.4),
      time: { mode: "continuous", tmax: 30, record: 0.5 },
      initial: { I: { count: 20 } },
      seed: 4,
      runs: 10,
      interventions: [{ at: 10, scale: "beta", by: 0 }],
      output: { series: true, nodes: "none" },
    });
    for (const run of r.series!.S) {
      const at10 = run[20];
      expect(run.slice(20).every((s) => s === at10)).toBe(true);
      expect(run[0]).toBeGreaterThan(at10); // the epidemic did grow before
    }
  });

  it("a lockdown window bends the curve: β × 0.3 during [5, 15) lowers the final size", () => {
    const base: SimulationSpec = { model: sir(0.4), time: continuous, initial: { I: { count: 10 } }, seed: 5, runs: 40, output: { nodes: "none" } };
    const open = estimate(simulate(er, base).finalSize.values);
    const locked = estimate(simulate(er, { ...base, interventions: [{ at: 5, until: 15, scale: "beta", by: 0.3 }] }).finalSize.values);
    expect(open.mean - locked.mean).toBeGreaterThan(3 * Math.hypot(open.se, locked.se));
  });

  it("vaccinating the highest-degree 20% of a scale-free network beats vaccinating a random 20%", () => {
    const base: SimulationSpec = { model: sir(0.6), time: continuous, initial: { I: { count: 10 } }, seed: 6, runs: 40, output: { nodes: "none" } };
    const run = (strategy: "random" | "highest-degree" | "acquaintance") =>
      estimate(simulate(ba, { ...base, interventions: [{ at: 0, vaccinate: { strategy, fraction: 0.2 } }] }).finalSize.values.map((x) => x));
    const random = run("random");
    const hubs = run("highest-degree");
    const acquaintance = run("acquaintance");
    // Final size counts the vaccinated too (they left S): compare the infected, i.e. final size − 0.2·n.
    expect(random.mean - hubs.mean).toBeGreaterThan(3 * Math.hypot(random.se, hubs.se));
    // Acquaintance immunisation finds hubs without knowing degrees: between the two.
    expect(random.mean - acquaintance.mean).toBeGreaterThan(3 * Math.hypot(random.se, acquaintance.se));
  });

  it("vaccination at a daily rate moves perDay nodes each time unit", () => {
    const r = simulate(er, {
      model: sir(0),
      time: { mode: "continuous", tmax: 10, record: 1 },
      initial: { I: { count: 1 } },
      seed: 7,
      interventions: [{ at: 2, until: 6, vaccinate: { perDay: 25 } }],
    });
    // R at t = 0..10: 0, 0 (gamma = 1 may recover the seed: count only the vaccinated, R − recovered ≤ 1).
    const R = r.mean.R;
    expect(R[2] - R[1]).toBeGreaterThanOrEqual(25);
    expect(R[6] - R[1]).toBeGreaterThanOrEqual(100);
    expect(R[6] - R[1]).toBeLessThanOrEqual(101);
    expect(R[10] - R[6]).toBeLessThanOrEqual(1);
  });

  it("imported cases start an outbreak at their time", () => {
    const r = simulate(er, {
      model: sir(0.5),
      time: { mode: "continuous", tmax: 40, record: 1 },
      initial: {},
      seed: 8,
      runs: 5,
      interventions: [{ at: 5, import: { count: 10 } }],
      output: { series: true, nodes: "none" },
    });
    for (const run of r.series!.I) {
      expect(run.slice(0, 5).every((x) => x === 0)).toBe(true);
      expect(run[5]).toBeGreaterThanOrEqual(1);
    }
    expect(r.finalSize.mean).toBeGreaterThan(100);
  });

  it("quarantining the infected from t = 0 stops all transmission; lifting it lets the epidemic go on", () => {
    const base: SimulationSpec = { model: sir(0.6), time: continuous, initial: { I: { count: 10 } }, seed: 9, runs: 5, output: { nodes: "none" } };
    const sealed = simulate(er, { ...base, interventions: [{ at: 0, quarantine: {} }] });
    expect(sealed.finalSize.values.every((x) => x === 10)).toBe(true);
    const lifted = simulate(er, { ...base, interventions: [{ at: 0, until: 0.5, quarantine: {} }] });
    expect(lifted.finalSize.mean).toBeGreaterThan(10);
  });

  it("closing every edge during a window freezes the epidemic there (discrete engine)", () => {
    const r = simulate(er, {
      model: sir(0.5),
      time: { mode: "discrete", steps: 30, dt: 1 },
      initial: { I: { count: 20 } },
      seed: 10,
      runs: 5,
      interventions: [{ at: 3, until: 20, edges: { scale: 0 } }],
      output: { series: true, nodes: "none" },
    });
    for (const run of r.series!.S) expect(run[20]).toBe(run[3]);
  });

  it("bad interventions are named errors", () => {
    const base: SimulationSpec = { model: sir(0.5), time: continuous, initial: { I: { count: 1 } } };
    expect(() => simulate(er, { ...base, interventions: [{ at: 1, scale: "bta", by: 2 }] })).toThrow(expect.objectContaining({ name: "SimulationError" }));
    expect(() => simulate(er, { ...base, interventions: [{ at: 5, until: 2, scale: "beta", by: 2 }] })).toThrow(/until/);
    expect(() => simulate(er, { ...base, engine: "next-reaction", interventions: [{ at: 1, scale: "beta", by: 2 }] })).toThrow(/next-reaction/);
    expect(() => simulate(er, { ...base, model: { preset: "SIS" }, interventions: [{ at: 1, vaccinate: { count: 5 } }] })).toThrow(/no R or V/);
    expect(() => simulate(er, { ...base, interventions: [{ at: 1, edges: { where: "school", scale: 0 } }] })).toThrow(/school/);
  });
});

describe("time-varying parameters (expressions of t)", () => {
  it("discrete time: β(t) = beta·(t < 10 ? 1 : 0.3) is exactly the run with a scale intervention at t = 10", () => {
    const base: SimulationSpec = { model: sir(0.5), time: { mode: "discrete", steps: 30, dt: 1 }, initial: { I: { count: 10 } }, seed: 21, runs: 4, output: { series: true, nodes: "none" } };
    const byExpression = simulate(er, { ...base, model: { preset: "SIR", params: { beta: "0.5 * (t < 10 ? 1 : 0.3)", gamma: 1 } } });
    const byIntervention = simulate(er, { ...base, interventions: [{ at: 10, scale: "beta", by: 0.3 }] });
    expect(byExpression.series).toEqual(byIntervention.series);
  });

  it("continuous time: a rate expression switching β off at t = 8 freezes S from then on", () => {
    const r = simulate(er, {
      model: { compartments: ["S", "I", "R"], params: { beta: 0.5, gamma: 1 }, transitions: [{ from: "S", to: "I", rate: "beta * (t < 8 ? 1 : 0)", by: "I" }, { from: "I", to: "R", rate: "gamma" }] },
      time: { mode: "continuous", tmax: 20, record: 0.5, rateStep: 0.5 },
      initial: { I: { count: 20 } },
      seed: 22,
      runs: 5,
      output: { series: true, nodes: "none" },
    });
    for (const run of r.series!.S) expect(run.slice(16).every((s) => s === run[16])).toBe(true);
  });

  it("seasonal forcing keeps an SIRS endemic state oscillating with the forcing period", () => {
    const r = simulate(er, {
      model: { preset: "SIRS", params: { beta: "0.3 * (1 + 0.5 * sin(2 * pi * t / 20))", gamma: 1, omega: 0.2 } },
      time: { mode: "continuous", tmax: 80, record: 1, rateStep: 0.25 },
      initial: { I: { fraction: 0.05 } },
      seed: 23,
      runs: 3,
      output: { nodes: "none" },
    });
    const I = r.mean.I.slice(40);
    expect(Math.min(...I)).toBeGreaterThan(0);
    expect(Math.max(...I) / Math.min(...I)).toBeGreaterThan(1.5);
  });

  it("expressions are checked: unknown symbols and negative rates are named errors", () => {
    const base: SimulationSpec = { model: sir(0.5), time: { mode: "continuous", tmax: 10 }, initial: { I: { count: 1 } } };
    expect(() => simulate(er, { ...base, model: { preset: "SIR", params: { beta: "bta * 2", gamma: 1 } } })).toThrow(expect.objectContaining({ name: "ExpressionError" }));
    expect(() => simulate(er, { ...base, model: { preset: "SIR", params: { beta: "0.5 * sin(t)", gamma: 1 } } })).toThrow(expect.objectContaining({ name: "ModelError" }));
  });
});
