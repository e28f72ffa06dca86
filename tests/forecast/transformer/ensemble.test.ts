/**
 * The validation-weighted quantile ensemble (src/forecast/transformer/ensemble.ts): inverse-WIS weights and
 * the level-by-level quantile average, on two simple quantile forecasters run through the protocol itself.
 */
import { describe, expect, it } from "vitest";
import { combineQuantileEvaluations, inverseWisWeights } from "../../../src/forecast/transformer/ensemble.js";
import { evaluateQuantileForecaster, type ForecastInput, type QuantileEvaluation } from "../../../src/forecast/protocol.js";
import { HUB_QUANTILE_LEVELS } from "../../../src/forecast/quantiles.js";
import { seasonalTable } from "./helpers.js";

const table = seasonalTable(120);

/** Quantiles spread linearly around the last value (a crude but sorted forecast); `spread` sets its width, `shift` its bias. */
function linear(spread: number, shift: number) {
  return (input: ForecastInput): Float64Array => {
    const last = input.window[input.window.length - 1];
    return Float64Array.from(HUB_QUANTILE_LEVELS, (l) => last + shift + spread * (l - 0.5));
  };
}

const score = (spread: number, shift: number, h = 2): QuantileEvaluation => evaluateQuantileForecaster(table, h, linear(spread, shift), { split: "validation" });

describe("inverseWisWeights", () => {
  it("weights ∝ 1 / WIS, summing to 1; unusable scores are dropped; a perfect candidate takes all", () => {
    expect(inverseWisWeights({ a: 10, b: 30 })).toEqual({ a: 0.75, b: 0.25 });
    const w = inverseWisWeights({ a: 2, b: 4, c: 4, bad: Number.NaN });
    expect(Object.keys(w)).toEqual(["a", "b", "c"]);
    expect(w.a).toBeCloseTo(0.5, 15);
    expect(w.b).toBeCloseTo(0.25, 15);
    expect(inverseWisWeights({ a: 0, b: 3 })).toEqual({ a: 1, b: 0 });
    expect(() => inverseWisWeights({ a: Number.NaN })).toThrow(/no candidate has a finite validation WIS/);
  });
});

describe("combineQuantileEvaluations", () => {
  const a = score(40, 0);
  const b = score(400, 30);

  it("one candidate with weight 1 is that candidate", () => {
    const e = combineQuantileEvaluations({ a }, { a: 1 });
    expect(e.meanWis).toBeCloseTo(a.meanWis, 9);
    expect(e.rmse).toBeCloseTo(a.rmse, 9);
    expect(e.coverage95).toBe(a.coverage95);
  });

  it("averages quantiles level by level (sorted); each cell's WIS is at most the weighted mean of the candidates' (WIS is convex in the quantiles)", () => {
    const w = { a: 0.7, b: 0.3 };
    const e = combineQuantileEvaluations({ a, b }, w);
    expect(e.quantiles).toHaveLength(a.quantiles.length);
    expect(e.quantiles.length).toBeGreaterThan(20);
    for (let i = 0; i < e.quantiles.length; i++) {
      const q = e.quantiles[i];
      for (let j = 0; j < q.length; j++) expect(q[j]).toBeCloseTo(0.7 * a.quantiles[i][j] + 0.3 * b.quantiles[i][j], 9);
      for (let j = 1; j < q.length; j++) expect(q[j]).toBeGreaterThanOrEqual(q[j - 1]);
      expect(e.wis[i]).toBeLessThanOrEqual((0.7 * a.wis[i] + 0.3 * b.wis[i]) * (1 + 1e-12));
    }
    // And strictly better than the weighted mean somewhere: the two forecasts disagree (different widths and bias).
    expect(e.meanWis).toBeLessThan(0.7 * a.meanWis + 0.3 * b.meanWis);
  });

  it("refuses candidates scored on different cells", () => {
    expect(() => combineQuantileEvaluations({ a, c: score(40, 0, 3) }, { a: 0.5, c: 0.5 })).toThrow(/candidate c was not scored on the same cells as a/);
    expect(() => combineQuantileEvaluations({ a }, { a: 0.5, missing: 0.5 })).toThrow(/no scores for candidate missing/);
  });
});
