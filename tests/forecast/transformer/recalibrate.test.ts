/**
 * Interval recalibration on the validation rows (src/forecast/transformer/recalibrate.ts): a forecaster whose
 * intervals are half as wide as the truth's is widened by ≈ 2 and reaches its nominal coverage; a calibrated
 * one is left (or nearly) as it is; the out-of-sample check on the second half of the rows refuses a spread
 * that only fits the first half.
 */
import { describe, expect, it } from "vitest";
import { applySpread, recalibrateOnValidation, spreadQuantiles } from "../../../src/forecast/transformer/recalibrate.js";
import { HUB_QUANTILE_LEVELS } from "../../../src/forecast/quantiles.js";
import { normal, createRandom } from "../../../src/random.js";
import type { QuantileEvaluation } from "../../../src/forecast/protocol.js";
import { weightedIntervalScore } from "../../../src/forecast/metrics.js";

/** Φ⁻¹ by bisection on the error-function series (enough for the 23 levels). */
function probit(p: number): number {
  const cdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/**
 * `rows` target rows × `regions` regions: truth ~ N(100, trueSd²) per cell (around a level of 100, so nothing is
 * clipped at 0), forecasts the N(100, forecastSd²) quantiles; `firstHalfSd` replaces trueSd on the first half.
 */
function cells(rows: number, regions: number, trueSd: number, forecastSd: number, seed: number, firstHalfSd = trueSd): QuantileEvaluation {
  const rng = createRandom(seed, 1);
  const z = HUB_QUANTILE_LEVELS.map(probit);
  const observed = new Float64Array(rows * regions);
  const quantiles: Float64Array[] = [];
  for (let t = 0; t < rows; t++) {
    for (let r = 0; r < regions; r++) {
      observed[t * regions + r] = 100 + (t < rows / 2 ? firstHalfSd : trueSd) * normal(rng);
      quantiles.push(Float64Array.from(z, (v) => 100 + forecastSd * v));
    }
  }
  const wis = Float64Array.from(quantiles, (q, i) => weightedIntervalScore(observed[i], q, HUB_QUANTILE_LEVELS));
  return {
    horizon: 2,
    split: "validation",
    boundaries: { trainEnd: 0, validEnd: rows, rows } as never,
    targetRows: Array.from({ length: rows }, (_, t) => t),
    observed,
    predicted: Float64Array.from(quantiles, (q) => q[11]),
    rmse: 0,
    mae: 0,
    pcc: 0,
    levels: HUB_QUANTILE_LEVELS,
    quantiles,
    wis,
    meanWis: wis.reduce((a, b) => a + b, 0) / wis.length,
    coverage50: 0,
    coverage95: 0,
  };
}

describe("recalibration on the validation rows", () => {
  it("spreads about the median, floors at 0, keeps the order", () => {
    const q = Float64Array.from([1, 2, 5, 9]);
    expect(Array.from(spreadQuantiles(q, 2, 2))).toEqual([0, 0, 5, 13]);
    expect(Array.from(spreadQuantiles(q, 0.5, 2))).toEqual([3, 3.5, 5, 7]);
  });

  it("widens intervals half as wide as the truth's by ≈ 2, and the widened ones cover as they should", () => {
    // 400 cells: the WIS-optimal spread for N(0, 2²) truth and N(0, 1) quantiles is 2 (the quantiles of the
    // truth); the grid's step is 0.05 and the sampling error of the argmin about ±0.15 at this size.
    const validation = cells(80, 5, 2, 1, 3);
    const r = recalibrateOnValidation(validation, 5);
    expect(r.applied).toBe(true);
    expect(r.check.secondHalfWis).toBeLessThan(r.check.secondHalfWisAt1);
    expect(r.spread).toBeGreaterThan(1.7);
    expect(r.spread).toBeLessThan(2.3);
    const fresh = applySpread(cells(400, 5, 2, 1, 4), r.spread);
    // Binomial sd of a coverage over 2,000 cells ≈ 0.011 (0.95) and 0.011 (0.5): 4 sd.
    expect(Math.abs(fresh.coverage95 - 0.95)).toBeLessThan(0.045);
    expect(Math.abs(fresh.coverage50 - 0.5)).toBeLessThan(0.045);
    expect(applySpread(validation, 1)).toBe(validation);
  });

  it("a calibrated forecaster keeps a spread near 1; a spread that only fits the first half is refused", () => {
    const calibrated = recalibrateOnValidation(cells(80, 5, 1, 1, 5), 5);
    expect(calibrated.spread).toBeGreaterThan(0.8);
    expect(calibrated.spread).toBeLessThan(1.25);
    // First half: truth 3× wider than the forecast; second half: exactly calibrated. The first half asks for ≈ 3
    // (clipped to the grid's 2), which makes the second half worse: refused, spread 1.
    const shifted = recalibrateOnValidation(cells(80, 5, 1, 1, 6, 3), 5);
    expect(shifted.check.firstHalfSpread).toBeGreaterThan(1.7);
    expect(shifted.applied).toBe(false);
    expect(shifted.spread).toBe(1);
  });
});
