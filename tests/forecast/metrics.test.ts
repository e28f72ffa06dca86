/**
 * Forecast scores against values computed by hand from their definitions (Bracher et al. 2021 for WIS),
 * and the two forms of WIS (interval form, pinball-sum form) against each other on random forecasts.
 */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/random.js";
import {
  HUB_QUANTILE_LEVELS,
  intervalCoverage,
  intervalFor,
  intervalScore,
  intervalStructure,
  mae,
  meanWeightedIntervalScore,
  pearson,
  pinballLoss,
  rearrangeQuantileRows,
  relativeWis,
  rmse,
  sampleQuantile,
  sortQuantiles,
  weightedIntervalScore,
  weightedIntervalScorePinball,
} from "../../src/forecast/index.js";

describe("point scores", () => {
  // y = (1, 2, 3), ŷ = (2, 2, 5): errors −1, 0, −2.
  const y = [1, 2, 3];
  const p = [2, 2, 5];
  it("RMSE = √(5/3)", () => expect(rmse(y, p)).toBeCloseTo(Math.sqrt(5 / 3), 15));
  it("MAE = 1", () => expect(mae(y, p)).toBe(1));
  it("PCC = 3/√(2·6) = √3/2", () => {
    // dx = (−1, 0, 1), dy = (−1, −1, 2): Σdxdy = 3, Σdx² = 2, Σdy² = 6.
    expect(pearson(y, p)).toBeCloseTo(Math.sqrt(3) / 2, 15);
  });
  it("PCC is NaN for a constant forecast; mismatched lengths throw ForecastError", () => {
    expect(pearson(y, [4, 4, 4])).toBeNaN();
    expect(() => rmse(y, [1, 2])).toThrow(expect.objectContaining({ name: "ForecastError" }));
  });
});

describe("hub quantile levels", () => {
  it("are the 23 levels 0.01, 0.025, 0.05, 0.10, …, 0.90, 0.95, 0.975, 0.99 in 11 central intervals", () => {
    expect(HUB_QUANTILE_LEVELS).toHaveLength(23);
    expect(HUB_QUANTILE_LEVELS.slice(0, 4)).toEqual([0.01, 0.025, 0.05, 0.1]);
    expect(HUB_QUANTILE_LEVELS.slice(-4)).toEqual([0.9, 0.95, 0.975, 0.99]);
    for (let i = 3; i <= 19; i++) expect(HUB_QUANTILE_LEVELS[i]).toBeCloseTo(0.1 + 0.05 * (i - 3), 12);
    const s = intervalStructure();
    expect(s.median).toBe(11);
    expect(s.intervals).toHaveLength(11);
    expect(s.intervals.map((iv) => iv.alpha)).toEqual([0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(intervalFor(0.5)).toEqual({ lower: 6, upper: 16, alpha: 0.5 });
    expect(intervalFor(0.95)).toEqual({ lower: 1, upper: 21, alpha: 0.05 });
  });
  it("asymmetric or medianless level sets are a ForecastError", () => {
    expect(() => intervalStructure([0.1, 0.5, 0.8])).toThrow(expect.objectContaining({ name: "ForecastError" }));
    expect(() => intervalStructure([0.25, 0.75])).toThrow(expect.objectContaining({ name: "ForecastError" }));
  });
  it("monotone rearrangement sorts each row and never raises the pinball sum", () => {
    expect(Array.from(sortQuantiles([3, 1, 2]))).toEqual([1, 2, 3]);
    const rows = rearrangeQuantileRows([Float64Array.of(5, 4, 6), Float64Array.of(1, 0, 2)]);
    expect(rows.map((r) => Array.from(r))).toEqual([[4, 5, 6], [0, 1, 2]]);
    const levels = [0.25, 0.5, 0.75];
    const crossed = [9, 7, 8];
    expect(weightedIntervalScorePinball(8.5, sortQuantiles(crossed), levels)).toBeLessThanOrEqual(weightedIntervalScorePinball(8.5, crossed, levels));
  });
  it("sampleQuantile interpolates order statistics (type 7)", () => {
    expect(sampleQuantile([0, 10, 20, 30], 0.5)).toBe(15);
    expect(sampleQuantile([0, 10, 20, 30], 0.1)).toBeCloseTo(3, 12);
  });
});

describe("pinball loss and the weighted interval score", () => {
  it("pinball loss: (1{y < q} − τ)(q − y)", () => {
    expect(pinballLoss(10, 12, 0.9)).toBeCloseTo(0.2, 15); // over-forecast: (1 − 0.9)·2
    expect(pinballLoss(10, 7, 0.9)).toBeCloseTo(2.7, 15); // under-forecast: 0.9·3
    expect(pinballLoss(10, 10, 0.3)).toBe(0);
  });

  it("a 5-level forecast scored by hand", () => {
    // Levels 0.025, 0.25, 0.5, 0.75, 0.975 (K = 2), quantiles 2, 6, 8, 11, 15, observation 13:
    //   ½|13 − 8| = 2.5
    //   50% interval [6, 11], y above: IS = 5 + (2/0.5)·2 = 13, (α/2)·IS = 0.25·13 = 3.25
    //   95% interval [2, 15], y inside: IS = 13, (α/2)·IS = 0.025·13 = 0.325
    //   WIS = (2.5 + 3.25 + 0.325) / 2.5 = 2.43
    const levels = [0.025, 0.25, 0.5, 0.75, 0.975];
    const q = [2, 6, 8, 11, 15];
    expect(intervalScore(13, 6, 11, 0.5)).toBe(13);
    expect(weightedIntervalScore(13, q, levels)).toBeCloseTo(2.43, 14);
    // Pinball terms: 0.275 + 1.75 + 2.5 + 1.5 + 0.05 = 6.075, over K + ½ = 2.5.
    expect(weightedIntervalScorePinball(13, q, levels)).toBeCloseTo(2.43, 14);
  });

  it("the 23 hub levels: quantiles 100·τ and y = 50 give WIS = 85.855 / 11.5", () => {
    // Every interval contains 50, so each contributes (α/2)(u − l) = τ·100(1 − 2τ); the lower-level terms
    // τ(50 − 100τ) sum to 42.9275, the upper ones likewise, the median term is 0: Σ = 85.855.
    const q = HUB_QUANTILE_LEVELS.map((t) => 100 * t);
    expect(weightedIntervalScore(50, q)).toBeCloseTo(85.855 / 11.5, 12);
    expect(weightedIntervalScorePinball(50, q)).toBeCloseTo(85.855 / 11.5, 12);
  });

  it("interval form = pinball-sum form to 1e-12 on 2,000 random forecasts (seeded)", () => {
    const rng = createRandom(2024, 0);
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const q = sortQuantiles(HUB_QUANTILE_LEVELS.map(() => 10 * rng.next()));
      const y = 12 * rng.next() - 1;
      worst = Math.max(worst, Math.abs(weightedIntervalScore(y, q) - weightedIntervalScorePinball(y, q)));
    }
    expect(worst).toBeLessThan(1e-12);
  });
});

describe("coverage and relative WIS", () => {
  const levels = HUB_QUANTILE_LEVELS;
  // Forecast i: quantiles 100·τ + 10·i. The central 50% interval is [25 + 10i, 75 + 10i], the 95% one
  // [2.5 + 10i, 97.5 + 10i].
  const forecasts = [0, 1, 2, 3].map((i) => levels.map((t) => 100 * t + 10 * i));
  const y = [50, 80, 100, 30];
  it("counts observations inside the central intervals, bounds included", () => {
    // 50%: [25,75] ∋ 50 yes; [35,85] ∋ 80 yes; [45,95] ∌ 100; [55,105] ∌ 30 → 2/4.
    expect(intervalCoverage(y, forecasts, 0.5)).toBe(0.5);
    // 95%: [2.5,97.5] ∋ 50; [12.5,107.5] ∋ 80; [22.5,117.5] ∋ 100; [32.5,127.5] ∌ 30 → 3/4.
    expect(intervalCoverage(y, forecasts, 0.95)).toBe(0.75);
    expect(intervalCoverage([25], [forecasts[0]], 0.5)).toBe(1);
  });
  it("relative WIS is the ratio of mean WIS on the same cells", () => {
    const model = [1, 2, 3];
    const baseline = [2, 2, 2];
    expect(relativeWis(model, baseline)).toBe(1);
    expect(relativeWis([1, 1, 1], baseline)).toBe(0.5);
    expect(meanWeightedIntervalScore(y, forecasts)).toBeCloseTo(y.reduce((s, v, i) => s + weightedIntervalScore(v, forecasts[i]), 0) / 4, 12);
  });
});
