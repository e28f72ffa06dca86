/**
 * Validation of the final-size and prevalence references against docs/validation.md A, B and C. The published
 * values have six decimals, so they carry up to 5e-7 of rounding: tolerances 1e-6 (A, B) and 1e-5 (C,
 * as briefed). Internal consistency checks (closed forms, two routes to one number) use 1e-12.
 */
import { describe, expect, it } from "vitest";
import {
  configurationModelThreshold,
  hmfSisPrevalence,
  lambertW0,
  messagePassingFinalSize,
  poissonDegreeCounts,
  wellMixedFinalSize,
  wellMixedFinalSizeLambertW,
} from "./final-size.js";

const poisson10 = poissonDegreeCounts(10, 120);

describe("Lambert W0", () => {
  it("inverts w·e^w on both sides of zero and at the branch point", () => {
    expect(lambertW0(0)).toBe(0);
    expect(lambertW0(Math.E)).toBeCloseTo(1, 15);
    expect(lambertW0(-Math.exp(-1))).toBeCloseTo(-1, 7);
    for (const x of [-0.3678, -0.35, -0.3, -0.1, -1e-8, 1e-8, 0.5, 2, 10, 1e3, 1e10, 1e300]) {
      const w = lambertW0(x);
      expect(w).toBeGreaterThanOrEqual(-1);
      expect(Math.abs(w * Math.exp(w) - x)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(x)));
    }
  });

  it("rejects arguments below −1/e", () => {
    expect(() => lambertW0(-0.5)).toThrow(RangeError);
  });
});

describe("A. well-mixed SIR final size", () => {
  const table: [number, number, number][] = [
    [1.5, 0.582812, 0.593634],
    [2.0, 0.796812, 0.800204],
    [2.5, 0.892645, 0.894106],
    [3.0, 0.94048, 0.941203],
  ];

  it("reproduces the ρ → 0 and ρ = 0.01 columns to 1e-6", () => {
    for (const [R0, rZero, rOnePercent] of table) {
      expect(Math.abs(wellMixedFinalSize(R0, 0) - rZero)).toBeLessThan(1e-6);
      expect(Math.abs(wellMixedFinalSize(R0, 0.01) - rOnePercent)).toBeLessThan(1e-6);
    }
  });

  it("agrees with the Lambert W closed form and solves its own equation", () => {
    for (const R0 of [1.05, 1.5, 2, 2.5, 3, 8]) {
      const r = wellMixedFinalSize(R0, 0);
      expect(Math.abs(r - wellMixedFinalSizeLambertW(R0))).toBeLessThan(1e-12);
      expect(Math.abs(r - (1 - Math.exp(-R0 * r)))).toBeLessThan(1e-15);
    }
    const r = wellMixedFinalSize(2, 0.01);
    expect(Math.abs(r - (1 - 0.99 * Math.exp(-2 * r)))).toBeLessThan(1e-15);
  });

  it("has no outbreak at or below R0 = 1 when ρ = 0, and r = ρ with no transmission", () => {
    expect(wellMixedFinalSize(1, 0)).toBe(0);
    expect(wellMixedFinalSize(0.5, 0)).toBe(0);
    expect(wellMixedFinalSizeLambertW(0.9)).toBe(0);
    expect(wellMixedFinalSize(0, 0.2)).toBeCloseTo(0.2, 15);
    expect(wellMixedFinalSize(5, 1)).toBe(1);
  });
});

describe("B. message passing on configuration-model networks", () => {
  it("has threshold T_c = ⟨k⟩/(⟨k²⟩ − ⟨k⟩) = 0.1 for Poisson(10)", () => {
    expect(Math.abs(configurationModelThreshold(poisson10) - 0.1)).toBeLessThan(1e-12);
  });

  it("reproduces the Poisson(10) column 0.582812 / 0.796812 / 0.892645 at T = 0.15 / 0.20 / 0.25", () => {
    const table: [number, number][] = [[0.15, 0.582812], [0.2, 0.796812], [0.25, 0.892645]];
    for (const [T, r] of table) expect(Math.abs(messagePassingFinalSize(poisson10, T, 0) - r)).toBeLessThan(1e-6);
  });

  it("reduces to the well-mixed equation with R0 = ⟨k⟩·T for Poisson degrees, also with ρ > 0", () => {
    for (const [T, rho] of [[0.15, 0], [0.2, 0.001], [0.25, 0.01], [0.3, 0.1]]) {
      const r = messagePassingFinalSize(poisson10, T, rho);
      expect(Math.abs(r - wellMixedFinalSize(10 * T, rho))).toBeLessThan(1e-12);
    }
  });

  it("matches the 3-regular closed form θ = (1−T)/T, r = 1 − θ³ above T_c = 1/2", () => {
    const regular3 = [0, 0, 0, 1];
    expect(configurationModelThreshold(regular3)).toBeCloseTo(0.5, 15);
    for (const T of [0.6, 0.75, 0.9]) {
      const theta = (1 - T) / T;
      expect(Math.abs(messagePassingFinalSize(regular3, T, 0) - (1 - theta ** 3))).toBeLessThan(1e-12);
    }
  });

  it("predicts no giant outbreak below threshold (T = 0.5·T_c): r ≈ ρ", () => {
    expect(messagePassingFinalSize(poisson10, 0.05, 0)).toBeLessThan(1e-12);
    const rho = 0.001;
    const r = messagePassingFinalSize(poisson10, 0.05, rho);
    // Small outbreaks only: r = ρ(1 + R0 + R0² + …) → ρ/(1 − R0) = 2ρ as ρ → 0, with R0 = ⟨k⟩T = 0.5.
    expect(r).toBeGreaterThan(rho);
    expect(Math.abs(r - 2 * rho)).toBeLessThan(1e-5);
  });

  it("accepts degree counts as well as probabilities", () => {
    const counts = [0, 120, 340, 280, 160, 60, 40];
    const probabilities = counts.map((c) => c / 1000);
    const fromCounts = messagePassingFinalSize(counts, 0.6, 0.01);
    expect(fromCounts).toBeCloseTo(messagePassingFinalSize(probabilities, 0.6, 0.01), 14);
  });
});

describe("C. heterogeneous mean-field SIS prevalence", () => {
  it("reproduces Poisson(10): 0.351344 / 0.498804 / 0.654617 at τ = 0.15 / 0.20 / 0.30 (γ = 1)", () => {
    const table: [number, number][] = [[0.15, 0.351344], [0.2, 0.498804], [0.3, 0.654617]];
    for (const [tau, rho] of table) expect(Math.abs(hmfSisPrevalence(poisson10, tau, 1) - rho)).toBeLessThan(1e-5);
  });

  it("depends on τ/γ only and vanishes below λ_c = ⟨k⟩/⟨k²⟩ = 1/11", () => {
    expect(hmfSisPrevalence(poisson10, 0.4, 2)).toBeCloseTo(hmfSisPrevalence(poisson10, 0.2, 1), 14);
    expect(hmfSisPrevalence(poisson10, 0.08, 1)).toBeLessThan(1e-12);
  });

  it("matches the k-regular closed form ρ = 1 − 1/(λk)", () => {
    const regular4 = [0, 0, 0, 0, 1];
    for (const lambda of [0.3, 0.5, 2]) {
      expect(Math.abs(hmfSisPrevalence(regular4, lambda, 1) - (1 - 1 / (4 * lambda)))).toBeLessThan(1e-12);
    }
  });
});
