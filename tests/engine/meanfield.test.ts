/**
 * Mean-field companions against the exact references of docs/validation.md A–C (tests/reference/final-size.ts).
 * Every curve is integrated with the Dormand–Prince pair at rtol 1e-10, atol 1e-14, and run long enough for
 * the epidemic to be over (I < 1e-12) or the endemic state reached: the remaining error is the integrator's,
 * ~1e-10, so the tolerances below (1e-6 … 1e-8) test the equations, not the numerics.
 *  - A: homogeneous SIR final size = wellMixedFinalSize (ρ → 0 via ρ = 1e-9, and ρ = 0.01).
 *  - B: EBCM final size on Poisson(10) = 0.582812 / 0.796812 / 0.892645 and = messagePassingFinalSize on a
 *       realised Erdős–Rényi degree sequence.
 *  - C: HMF SIS stationary prevalence = hmfSisPrevalence (0.351344 / 0.498804 / 0.654617); homogeneous SIS
 *       endemic level 1 − γ/(β⟨k⟩).
 */
import { describe, expect, it } from "vitest";
import { homogeneousMeanField, toMeanRecord } from "../../src/meanfield/homogeneous.js";
import { hmfSIR, hmfSIS } from "../../src/meanfield/hmf.js";
import { ebcmSIR } from "../../src/meanfield/ebcm.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { degreeDistribution } from "../../src/graph/stats.js";
import { hmfSisPrevalence, messagePassingFinalSize, poissonDegreeCounts, wellMixedFinalSize } from "../reference/final-size.js";

const tolerance = { rtol: 1e-10, atol: 1e-14 };
const named = (name: string) => expect.objectContaining({ name });
const last = (xs: number[]) => xs[xs.length - 1];

describe("A. homogeneous SIR final size = wellMixedFinalSize", () => {
  const table: [number, number, number][] = [
    [1.5, 0.582812, 0.593634],
    [2.0, 0.796812, 0.800204],
    [2.5, 0.892645, 0.894106],
    [3.0, 0.94048, 0.941203],
  ];
  for (const [R0, printedLimit, printedRho] of table) {
    it(`R0 = ${R0}: ρ → 0 (ρ = 1e-9) and ρ = 0.01`, () => {
      for (const [rho, exact, printed] of [[1e-9, wellMixedFinalSize(R0, 0), printedLimit], [0.01, wellMixedFinalSize(R0, 0.01), printedRho]]) {
        const curves = homogeneousMeanField("SIR", { beta: R0, gamma: 1 }, { time: { tmax: 400, record: 4 }, initial: { I: rho }, tolerance });
        const r = last(curves.fractions.R);
        console.log(`homogeneous SIR R0 = ${R0}, ρ = ${rho}: r = ${r.toFixed(9)}, exact ${exact.toFixed(9)}, |Δ| = ${Math.abs(r - exact).toExponential(1)}`);
        // ρ = 1e-9 moves r by dr/dρ·ρ ≈ 1e-9 from the ρ → 0 limit: far below 1e-6.
        expect(Math.abs(r - exact), `R0 ${R0}, ρ ${rho}: ${r}`).toBeLessThan(1e-6);
        expect(Math.abs(r - printed)).toBeLessThanOrEqual(5e-7 + 1e-6);
        expect(last(curves.fractions.I)).toBeLessThan(1e-12);
        if (rho === 0.01) expect(Math.abs(r - exact)).toBeLessThan(1e-9);
      }
    });
  }

  it("SEIR has the SIR final size (the latent period changes timing, not the outcome)", () => {
    const seir = homogeneousMeanField("SEIR", { beta: 2, gamma: 1, sigma: 0.5 }, { time: { tmax: 400, record: 4 }, initial: { E: 0.01 }, tolerance });
    expect(Math.abs(last(seir.fractions.R) - wellMixedFinalSize(2, 0.01))).toBeLessThan(1e-9);
    const sums = seir.times.map((_, k) => seir.compartments.reduce((s, c) => s + seir.fractions[c][k], 0));
    for (const s of sums) expect(Math.abs(s - 1)).toBeLessThan(1e-12);
  });

  it("toMeanRecord gives counts for the v1 schema", () => {
    const curves = homogeneousMeanField("SIR", { beta: 2, gamma: 1 }, { time: { tmax: 10, record: 1 }, initial: { I: 0.01 } });
    const mean = toMeanRecord(curves, 1000);
    expect(mean.I[0]).toBeCloseTo(10, 12);
    expect(Object.keys(mean)).toEqual(["S", "I", "R"]);
    expect(curves.times).toHaveLength(11);
  });
});

describe("C. SIS endemic levels", () => {
  it("homogeneous SIS: i* = 1 − γ/(β⟨k⟩) to 1e-8", () => {
    for (const [beta, meanDegree, gamma] of [[0.3, 5, 1], [0.25, 10, 1], [0.06, 10, 0.2]]) {
      const curves = homogeneousMeanField("SIS", { beta, gamma, meanDegree }, { time: { tmax: 200, record: 10 }, initial: { I: 0.01 }, tolerance });
      const expected = 1 - gamma / (beta * meanDegree);
      console.log(`homogeneous SIS β⟨k⟩ = ${beta * meanDegree}, γ = ${gamma}: i(200) = ${last(curves.fractions.I)}, i* = ${expected}`);
      expect(Math.abs(last(curves.fractions.I) - expected)).toBeLessThan(1e-8);
    }
  });

  it("HMF SIS on Poisson(10): stationary prevalence = hmfSisPrevalence (0.351344 / 0.498804 / 0.654617)", () => {
    const poisson = poissonDegreeCounts(10, 80);
    const printed: [number, number][] = [[0.15, 0.351344], [0.2, 0.498804], [0.3, 0.654617]];
    for (const [tau, value] of printed) {
      const curves = hmfSIS(poisson, { tau, gamma: 1 }, { time: { tmax: 200, record: 10 }, initialInfected: 0.01, tolerance });
      const prevalence = last(curves.fractions.I);
      const exact = hmfSisPrevalence(poisson, tau, 1);
      console.log(`HMF SIS τ = ${tau}: ODE ${prevalence.toFixed(9)}, fixed point ${exact.toFixed(9)} (|Δ| = ${Math.abs(prevalence - exact).toExponential(1)}), table ${value}`);
      expect(Math.abs(prevalence - exact)).toBeLessThan(1e-8);
      expect(Math.abs(prevalence - value)).toBeLessThan(1e-5);
    }
    // Below λ_c = ⟨k⟩/⟨k²⟩ = 10/110 the infection dies out.
    const below = hmfSIS(poisson, { tau: 0.05, gamma: 1 }, { time: { tmax: 200, record: 10 }, initialInfected: 0.01, tolerance });
    expect(last(below.fractions.I)).toBeLessThan(1e-6);
  });
});

describe("B. EBCM on configuration-model networks", () => {
  it("Poisson(10): final sizes 0.582812 / 0.796812 / 0.892645 at T = 0.15 / 0.2 / 0.25 (ρ → 0)", () => {
    const poisson = poissonDegreeCounts(10, 80);
    const printed: [number, number][] = [[0.15, 0.582812], [0.2, 0.796812], [0.25, 0.892645]];
    for (const [T, value] of printed) {
      const gamma = 1;
      const tau = (T * gamma) / (1 - T);
      const rho = 1e-9;
      const curves = ebcmSIR(poisson, { tau, gamma }, { time: { tmax: 300, record: 3 }, initialInfected: rho, tolerance });
      const r = last(curves.fractions.R);
      const exact = messagePassingFinalSize(poisson, T, rho);
      console.log(`EBCM Poisson(10), T = ${T}: ODE r = ${r.toFixed(9)}, message passing ${exact.toFixed(9)} (|Δ| = ${Math.abs(r - exact).toExponential(1)}), table ${value}`);
      expect(Math.abs(r - value)).toBeLessThan(1e-5);
      expect(Math.abs(r - exact)).toBeLessThan(1e-8);
      expect(last(curves.fractions.I)).toBeLessThan(1e-12);
      expect(curves.theta[0]).toBe(1);
    }
  });

  it("realised Erdős–Rényi degrees (n = 5000, ⟨k⟩ = 10), T = 0.2, ρ = 0.001: r = messagePassingFinalSize", () => {
    const degrees = degreeDistribution(generateCSR({ type: "erdos-renyi", n: 5000, k: 10 }, 3));
    const tau = 0.25;
    const gamma = 1;
    const curves = ebcmSIR(degrees, { tau, gamma }, { time: { tmax: 300, record: 3 }, initialInfected: 0.001, tolerance });
    const r = last(curves.fractions.R);
    const exact = messagePassingFinalSize(degrees, tau / (tau + gamma), 0.001);
    console.log(`EBCM on realised ER degrees: ODE r = ${r.toFixed(9)}, message passing ${exact.toFixed(9)} (|Δ| = ${Math.abs(r - exact).toExponential(1)})`);
    expect(Math.abs(r - exact)).toBeLessThan(1e-8);
    curves.times.forEach((_, k) => {
      expect(curves.fractions.I[k]).toBeGreaterThanOrEqual(-1e-12);
      expect(Math.abs(curves.fractions.S[k] + curves.fractions.I[k] + curves.fractions.R[k] - 1)).toBeLessThan(1e-12);
    });
  });
});

describe("HMF SIR", () => {
  it("on a k-regular degree distribution without the (k − 1) correction equals homogeneous SIR with ⟨k⟩ = k", () => {
    const regular = [0, 0, 0, 0, 0, 1];
    const time = { tmax: 60, record: 1 };
    const hmf = hmfSIR(regular, { tau: 0.4, gamma: 1, excludeInfector: false }, { time, initialInfected: 0.01, tolerance });
    const hom = homogeneousMeanField("SIR", { beta: 0.4, gamma: 1, meanDegree: 5 }, { time, initial: { I: 0.01 }, tolerance });
    hmf.times.forEach((_, k) => {
      for (const c of ["S", "I", "R"]) expect(Math.abs(hmf.fractions[c][k] - hom.fractions[c][k])).toBeLessThan(1e-9);
    });
  });

  it("with the (k − 1) correction the threshold is λ_c = ⟨k⟩/(⟨k²⟩ − ⟨k⟩): no outbreak just below, one just above", () => {
    const poisson = poissonDegreeCounts(10, 80); // λ_c = 10/(110 − 10) = 0.1
    const run = (tau: number) => last(hmfSIR(poisson, { tau, gamma: 1 }, { time: { tmax: 2000, record: 20 }, initialInfected: 1e-6, tolerance }).fractions.R);
    expect(run(0.08)).toBeLessThan(1e-4);
    expect(run(0.13)).toBeGreaterThan(0.1);
  });
});

describe("mean-field input errors", () => {
  it("throw ModelError", () => {
    expect(() => homogeneousMeanField("SIR", { beta: -1, gamma: 1 }, { time: { tmax: 1 } })).toThrow(named("ModelError"));
    expect(() => homogeneousMeanField("SEIR", { beta: 1, gamma: 1 }, { time: { tmax: 1 } })).toThrow(named("ModelError")); // sigma missing
    expect(() => homogeneousMeanField("SIR", { beta: 1, gamma: 1 }, { time: { tmax: 1 }, initial: { I: 2 } })).toThrow(named("ModelError"));
    expect(() => hmfSIS([0, 0, 0], { tau: 1, gamma: 1 }, { time: { tmax: 1 } })).toThrow(named("ModelError"));
    expect(() => ebcmSIR([1, -1], { tau: 1, gamma: 1 }, { time: { tmax: 1 } })).toThrow(named("ModelError"));
    expect(() => ebcmSIR([0, 1], { tau: 1, gamma: 1 }, { time: { tmax: Infinity } })).toThrow(named("SimulationError"));
  });
});
