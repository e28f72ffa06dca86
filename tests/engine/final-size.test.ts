/**
 * SIR final sizes against theory (docs/validation.md A and B).
 *  A. Complete graph K_1000, τ = R0·γ/(N−1), R0 = 2, ρ = 0.01: the well-mixed relation r = 1 − (1−ρ)e^(−R0·r)
 *     gives 0.800204; simulations at N = 1000 sit ≈ 0.008 lower (finite N), hence the stated ±0.02.
 *  B. Erdős–Rényi n = 10⁵, ⟨k⟩ = 10, ρ = 0.001, τ = 0.25, γ = 1 (T = 0.2): the message-passing final size
 *     computed from the realised degree sequence; ±0.006 for one run, ±0.003 for a 5-run mean.
 *     Below threshold (T = T_c/2) there is no giant outbreak: the final size stays O(ρ), at the
 *     message-passing value ≈ ρ/(1 − R0) within 3 SE.
 */
import { describe, expect, it } from "vitest";
import { simulate, type EngineChoice } from "../../src/families/compartmental/simulate.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { degreeDistribution, degreeStats } from "../../src/graph/stats.js";
import { messagePassingFinalSize, wellMixedFinalSize } from "../reference/final-size.js";
import { estimate } from "../helpers/statistics.js";

describe("A. well-mixed SIR final size on the complete graph K_1000", () => {
  const N = 1000;
  const R0 = 2;
  const gamma = 1;
  const reference = wellMixedFinalSize(R0, 0.01);
  const complete = generateCSR({ type: "complete", n: N }, 0);
  it("reference value is docs/validation.md's 0.800204", () => expect(reference).toBeCloseTo(0.800204, 6));
  const cases: [EngineChoice, number][] = [["auto", 100], ["general", 40], ["next-reaction", 8]];
  for (const [engine, runs] of cases) {
    it(`engine "${engine}": mean attack rate within ±0.02 of ${reference.toFixed(6)} (${runs} runs)`, () => {
      const result = simulate(complete, {
        model: { preset: "SIR", params: { beta: (R0 * gamma) / (N - 1), gamma } },
        time: { mode: "continuous", tmax: Infinity, record: 1 },
        initial: { I: { fraction: 0.01 } },
        seed: 21,
        runs,
        engine,
        output: { nodes: "none" },
      });
      expect(Math.abs(result.finalSize.mean / N - reference)).toBeLessThan(0.02);
    });
  }
});

describe("B. SIR on an Erdős–Rényi network (configuration-model message passing)", () => {
  const n = 100_000;
  const er = generateCSR({ type: "erdos-renyi", n, k: 10 }, 5);
  const degrees = degreeDistribution(er);
  const stats = degreeStats(er);
  const rho = 0.001;
  const gamma = 1;

  it("threshold of the realised degrees is ≈ 0.1002", () => {
    expect(Math.abs(stats.sirThreshold - 0.1002)).toBeLessThan(0.002);
  });

  const tau = 0.25;
  const T = tau / (tau + gamma);
  const expected = messagePassingFinalSize(degrees, T, rho);
  it("reference ≈ 0.7966 (docs/validation.md B)", () => expect(Math.abs(expected - 0.7966)).toBeLessThan(0.002));

  for (const engine of ["auto", "general", "next-reaction"] as EngineChoice[]) {
    it(`engine "${engine}": one run within ±0.006, the 5-run mean within ±0.003 of ${expected.toFixed(4)}`, () => {
      const runs = engine === "next-reaction" ? 1 : 5;
      const result = simulate(er, {
        model: { preset: "SIR", params: { beta: tau, gamma } },
        time: { mode: "continuous", tmax: Infinity, record: 1 },
        initial: { I: { count: Math.round(rho * n) } },
        seed: 31,
        runs,
        engine,
        output: { nodes: "none" },
      });
      for (const size of result.finalSize.values) expect(Math.abs(size / n - expected)).toBeLessThan(0.006);
      if (runs === 5) expect(Math.abs(result.finalSize.mean / n - expected)).toBeLessThan(0.003);
    });
  }

  it("below threshold (T = T_c / 2): no giant outbreak, final size at the message-passing value within 3 SE", () => {
    const Tlow = stats.sirThreshold / 2;
    const tauLow = (gamma * Tlow) / (1 - Tlow);
    const expectedLow = messagePassingFinalSize(degrees, Tlow, rho);
    expect(expectedLow).toBeLessThan(3 * rho); // ≈ ρ/(1 − R0) = 2ρ
    const result = simulate(er, {
      model: { preset: "SIR", params: { beta: tauLow, gamma } },
      time: { mode: "continuous", tmax: Infinity, record: 1 },
      initial: { I: { count: Math.round(rho * n) } },
      seed: 32,
      runs: 30,
      output: { nodes: "none" },
    });
    const est = estimate(result.finalSize.values.map((v) => v / n));
    expect(Math.max(...result.finalSize.values) / n).toBeLessThan(5 * rho);
    expect(Math.abs(est.mean - expectedLow)).toBeLessThan(3 * est.se);
  });
});
