/**
 * What the summaries count (issue 12): final size counts infections only — seeds, nodes infected along
 * edges, imported cases — never vaccinated nodes or nodes that start immune; vaccinations are reported apart
 * (`vaccinated`, with a cumulative curve); endemic models report a prevalence.
 *
 * Exact identities (β = 0: nobody can be infected but the seeds) are checked on every engine path. The
 * effect of vaccination is checked in distribution: vaccinating can only shrink an SIR outbreak, so the
 * vaccinated ensemble's mean final size may exceed the unvaccinated one's by at most 4 standard errors of
 * the difference (a false alarm has probability < 10⁻⁴). The SIS prevalence on the complete graph is
 * compared with the exact stationary mean of its birth–death chain, within 4 standard errors over runs.
 */
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { estimate } from "../helpers/statistics.js";
import { simulateEnsemble } from "../../src/ensemble/pool.js";

const er = generateCSR({ type: "erdos-renyi", n: 1000, k: 6 }, 21);
const sir = (beta: number): SimulationSpec["model"] => ({ preset: "SIR", params: { beta, gamma: 1 } });
const half = [{ at: 0, vaccinate: { fraction: 0.5 } }];

describe("final size counts infections only", () => {
  const times: Record<string, SimulationSpec["time"]> = {
    continuous: { mode: "continuous", tmax: 10, record: 1 },
    discrete: { mode: "discrete", steps: 10, dt: 1 },
  };
  for (const [label, time] of Object.entries(times)) {
    it(`β = 0, 5 seeds, 50% vaccinated at t = 0: final size 5 and vaccinated 500 in every run (${label})`, () => {
      const r = simulate(er, { model: sir(0), time, initial: { I: { count: 5 } }, seed: 1, runs: 4, interventions: half, output: { nodes: "first", infectionTimes: true } });
      if (time.mode === "continuous") expect(r.engine.name).toMatch(/composition/);
      expect(r.finalSize.values).toEqual([5, 5, 5, 5]);
      expect(r.attackRate!.mean).toBe(5 / 1000);
      expect(r.vaccinated!.values).toEqual([500, 500, 500, 500]);
      expect(r.vaccinated!.curve).toEqual(r.times.map(() => 500));
      expect(r.mean.R.at(-1)).toBe(505); // the seeds recovered into R beside the vaccinated
      // Vaccinated nodes have no infection time.
      const infectedAt = r.nodes!.runs[0].infectionTime!.filter((t) => t !== null);
      expect(infectedAt).toEqual([0, 0, 0, 0, 0]);
    });
  }

  it("the event-driven SIR path: nodes that start in R are immune, not infections", () => {
    const r = simulate(er, { model: sir(0), time: { mode: "continuous", tmax: 10 }, initial: { I: { count: 5 }, R: { count: 500 } }, seed: 2, runs: 3 });
    expect(r.engine.name).toMatch(/event-driven SIR/);
    expect(r.finalSize.values).toEqual([5, 5, 5]);
    expect(r.vaccinated).toBeUndefined();
    for (const engine of ["general", "next-reaction"] as const) {
      const g = simulate(er, { model: sir(0), time: { mode: "continuous", tmax: 10 }, initial: { I: { count: 5 }, R: { count: 500 } }, seed: 2, runs: 3, engine });
      expect(g.finalSize.values).toEqual([5, 5, 5]);
    }
  });

  it("imported cases are infections; a vaccination that comes later is counted from its time on", () => {
    const r = simulate(er, {
      model: sir(0),
      time: { mode: "continuous", tmax: 10, record: 1 },
      initial: { I: { count: 5 } },
      seed: 3,
      runs: 3,
      interventions: [{ at: 2, import: { count: 7 } }, { at: 4, vaccinate: { count: 100 } }],
    });
    expect(r.finalSize.values).toEqual([12, 12, 12]);
    expect(r.vaccinated!.values).toEqual([100, 100, 100]);
    expect(r.vaccinated!.curve).toEqual(r.times.map((t) => (t >= 4 ? 100 : 0)));
  });

  it("vaccinated and prevalence come through the worker pool unchanged", async () => {
    const spec: SimulationSpec = {
      model: { preset: "SIRS", params: { beta: 0.4, gamma: 1, omega: 0.5 } },
      time: { mode: "continuous", tmax: 10, record: 0.5 },
      initial: { I: { count: 5 } },
      seed: 9,
      runs: 6,
      interventions: [{ at: 1, vaccinate: { perDay: 30 }, until: 6 }],
      output: { nodes: "none" },
    };
    const serial = simulate(er, spec);
    const pooled = await simulateEnsemble(er, spec, { workers: 2, progress: false });
    expect(serial.vaccinated!.values.every((v) => v > 0)).toBe(true);
    expect(pooled.vaccinated).toEqual(serial.vaccinated);
    expect(pooled.prevalence).toEqual(serial.prevalence);
    expect(pooled.finalSize).toEqual(serial.finalSize);
  });

  it("vaccinating never raises the mean final size of an SIR outbreak (beyond 4 standard errors)", () => {
    const base: SimulationSpec = { model: sir(0.6), time: { mode: "continuous", tmax: Infinity, record: 1 }, initial: { I: { count: 5 } }, seed: 4, runs: 40, output: { nodes: "none" } };
    const none = estimate(simulate(er, base).finalSize.values);
    for (const interventions of [[{ at: 0, vaccinate: { fraction: 0.2 } }], [{ at: 3, vaccinate: { strategy: "highest-degree" as const, fraction: 0.1 } }]]) {
      const vacc = estimate(simulate(er, { ...base, interventions }).finalSize.values);
      expect(vacc.mean).toBeLessThanOrEqual(none.mean + 4 * Math.hypot(none.se, vacc.se));
    }
  });
});

describe("endemic prevalence", () => {
  it("SIS on the complete graph: prevalence matches the exact stationary mean of the birth–death chain", () => {
    // Contact-process SIS on K_N: k infected → k + 1 at rate β k (N − k), → k − 1 at rate γ k. Conditioned on
    // not dying out (negligible here: R0 = β(N−1)/γ = 2 and N = 200), k is distributed as the stationary law of
    // the chain without the absorbing state: π(k + 1)/π(k) = β k (N − k) / (γ (k + 1)).
    const N = 200;
    const beta = 2 / (N - 1);
    const gamma = 1;
    const logPi = [0];
    for (let k = 1; k < N; k++) logPi.push(logPi[k - 1] + Math.log((beta * k * (N - k)) / (gamma * (k + 1))));
    const top = Math.max(...logPi);
    const weights = logPi.map((l) => Math.exp(l - top));
    const reference = weights.reduce((s, w, i) => s + w * (i + 1), 0) / weights.reduce((s, w) => s + w, 0);

    const r = simulate(generateCSR({ type: "complete", n: N }, 0), {
      model: { preset: "SIS", params: { beta, gamma } },
      time: { mode: "continuous", tmax: 50, record: 0.25 },
      initial: { I: { count: 100 } },
      seed: 5,
      runs: 24,
      output: { nodes: "none" },
    });
    expect(r.prevalence!.window).toEqual([40, 50]);
    const est = estimate(r.prevalence!.values);
    expect(Math.abs(est.mean - reference)).toBeLessThan(4 * est.se);
    // Consistency with the recorded curve: the mean prevalence is the mean curve averaged over the window.
    const inWindow = r.times.map((t, k) => [t, r.mean.I[k]]).filter(([t]) => t >= 40);
    expect(r.prevalence!.mean).toBeCloseTo(inWindow.reduce((s, [, x]) => s + x, 0) / inWindow.length, 9);
  });

  it("SIR is not endemic: no prevalence; SIRS is", () => {
    const time = { mode: "continuous" as const, tmax: 5 };
    expect(simulate(er, { model: sir(0.5), time, initial: { I: { count: 5 } } }).prevalence).toBeUndefined();
    expect(simulate(er, { model: { preset: "SIRS", params: { beta: 0.5, gamma: 1 } }, time, initial: { I: { count: 5 } } }).prevalence).toBeDefined();
  });
});
