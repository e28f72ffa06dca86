/**
 * The simple baselines under the Cola-GNN protocol reproduce the RMSE measured for /work/shared/data's
 * README (region785 and state360, h = 2, 3, 5, 10, 15): persistence and same-week-last-year to the printed
 * integer; the shared ridge regression within 2% (the README does not state its λ or scaling rows). The hub
 * baseline is checked against an exactly known distribution.
 */
import { describe, expect, it } from "vitest";
import {
  COLA_GNN_PROTOCOL,
  RIDGE_LAMBDA,
  evaluateBaselines,
  evaluatePointForecaster,
  evaluateQuantileForecaster,
  hubBaselineForecaster,
  hubBaselineQuantiles,
  HUB_QUANTILE_LEVELS,
  loadDataset,
  persistence,
  ridgeForecaster,
  ridgeValidationCurve,
  seasonalNaive,
} from "../../src/forecast/index.js";
import { seasonRows, seasonalNaiveForecaster } from "../../src/forecast/baselines.js";
import type { SeriesTable } from "../../src/forecast/series-csv.js";

const PUBLISHED = {
  region785: { persistence: [545, 713, 957, 1414, 1749], seasonal: 876, ridge: [526, 705, 940, 1240, 1339] },
  state360: { persistence: [151, 191, 245, 361, 429], seasonal: 307, ridge: [149, 186, 231, 295, 312] },
} as const;

describe.each(["region785", "state360"] as const)("%s reproduces the published baseline RMSE", (id) => {
  const data = loadDataset(id);
  const published = PUBLISHED[id];
  COLA_GNN_PROTOCOL.horizons.forEach((h, i) => {
    it(`h = ${h}: persistence ${published.persistence[i]}, same week last year ${published.seasonal}, ridge ≈ ${published.ridge[i]}`, () => {
      expect(Math.round(evaluatePointForecaster(data, h, persistence).rmse)).toBe(published.persistence[i]);
      expect(Math.round(evaluatePointForecaster(data, h, seasonalNaive).rmse)).toBe(published.seasonal);
      const ridge = evaluatePointForecaster(data, h, ridgeForecaster()).rmse;
      expect(Math.abs(ridge / published.ridge[i] - 1)).toBeLessThan(0.02);
    });
  });
});

describe("ridge λ", () => {
  it("RIDGE_LAMBDA = 0.01 is within 0.01% of the best summed validation RMSE on region785's grid", () => {
    const curve = ridgeValidationCurve(loadDataset("region785"), [0, 1e-3, RIDGE_LAMBDA, 1, 10]);
    const sums = new Map<number, number>();
    for (const c of curve) sums.set(c.lambda, (sums.get(c.lambda) ?? 0) + c.rmse);
    const best = Math.min(...sums.values());
    expect(sums.get(RIDGE_LAMBDA)! / best - 1).toBeLessThan(1e-4);
    expect(sums.get(10)! / best - 1).toBeGreaterThan(0.03);
  });
});

describe("hub baseline", () => {
  it("median = last value, quantiles non-decreasing, symmetric about the last value", () => {
    const q = hubBaselineQuantiles([100, 120, 90, 150, 140], 3, { stream: 5 });
    expect(q).toHaveLength(23);
    expect(q[11]).toBe(140);
    for (let i = 1; i < 23; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]);
    for (let i = 0; i < 11; i++) expect(q[i] - 140).toBeCloseTo(-(q[22 - i] - 140), 9);
  });

  it("matches the exact distribution of a sum of 3 draws from {−1, +1}: −3, −1, 1, 3 with 1/8, 3/8, 3/8, 1/8", () => {
    // History 10, 11, 10: differences +1, −1, symmetrised {±1}. The 1%, 2.5%, 5%, 10% quantiles of the sum lie
    // at −3 (mass 12.5%), 15%…45% at −1. With 1,000 sums the empirical mass at ±3 is 12.5% ± 1.0% (1 sd),
    // more than 2.4 sd from the 10% and 15% levels.
    const q = hubBaselineQuantiles([10, 11, 10], 3, { samples: 1000 });
    const shift = Array.from(q, (v) => v - 10);
    expect(shift.slice(0, 4)).toEqual([-3, -3, -3, -3]);
    expect(shift.slice(4, 11)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
    expect(shift.slice(12, 19)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(shift.slice(19)).toEqual([3, 3, 3, 3]);
  });

  it("truncates at 0 and is reproducible from (seed, stream)", () => {
    const q = hubBaselineQuantiles([1, 0, 50, 1], 2, { stream: 1 });
    expect(Math.min(...q)).toBe(0);
    expect(q[11]).toBe(1);
    expect(hubBaselineQuantiles([3, 5, 4, 9, 7], 4, { seed: 3, stream: 9 })).toEqual(hubBaselineQuantiles([3, 5, 4, 9, 7], 4, { seed: 3, stream: 9 }));
  });

  it("on region785 at h = 2: median scores as persistence; intervals cover near nominal", () => {
    const data = loadDataset("region785");
    const e = evaluateQuantileForecaster(data, 2, hubBaselineForecaster());
    expect(e.levels).toBe(HUB_QUANTILE_LEVELS);
    expect(e.rmse).toBe(evaluatePointForecaster(data, 2, persistence).rmse);
    expect(e.meanWis).toBeGreaterThan(0);
    expect(e.meanWis).toBeLessThan(e.mae);
    expect(e.coverage95).toBeGreaterThan(0.85);
    expect(e.coverage50).toBeGreaterThan(0.3);
    expect(e.coverage50).toBeLessThan(0.7);
  });
});

describe("evaluateBaselines", () => {
  it("returns RMSE / MAE / PCC per method per horizon, and WIS and coverage for the hub baseline", () => {
    const table = evaluateBaselines("region785", [2]);
    expect(table).toMatchObject({ dataset: "region785", split: "test", rows: 785, regions: 10, window: 20, ridgeLambda: RIDGE_LAMBDA });
    expect(table.boundaries).toEqual([{ horizon: 2, firstTarget: 21, trainEnd: 392, validEnd: 549 }]);
    expect(table.results.map((r) => r.method)).toEqual(["persistence", "seasonal-naive", "ridge", "hub-baseline"]);
    for (const r of table.results) {
      expect(r.cells).toBe(2360);
      expect(r.pcc).toBeGreaterThan(0.5);
    }
    const hub = table.results[3];
    expect(hub.rmse).toBe(table.results[0].rmse);
    expect(hub.meanWis).toBeGreaterThan(0);
    expect(hub.coverage50).toBeDefined();
    expect(hub.coverage95).toBeDefined();
    expect(table.results[0].meanWis).toBeUndefined();
  });
});

describe("seasonal naive: same time last year, by the table's frequency", () => {
  /** A daily table whose value is its row number: a forecast's value says which row it read. */
  const rowNumbers = (rows: number): SeriesTable => ({
    file: "rows.csv",
    regions: ["a"],
    rows,
    dates: Array.from({ length: rows }, (_, t) => new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10)),
    values: [Float64Array.from({ length: rows }, (_, t) => t)],
  });

  it("52 rows on weekly tables and tables without row times, 364 (52 weeks: the same weekday) on daily ones", () => {
    expect(seasonRows("weekly")).toBe(52);
    expect(seasonRows(null)).toBe(52);
    expect(seasonRows("daily")).toBe(364);
  });

  it("the forecast for row t is the value of row t − season, read from the history up to the origin", () => {
    const table = rowNumbers(1000);
    for (const season of [52, 364]) {
      const e = evaluatePointForecaster(table, 3, seasonalNaiveForecaster(season));
      e.observed.forEach((y, i) => expect(e.predicted[i]).toBe(y - season));
    }
    expect(() => seasonalNaiveForecaster(364).fit({ horizon: 400 } as never)).toThrow(/h ≤ 364/);
    // evaluateBaselines takes the season: the daily lag, not 52 days.
    const daily = evaluateBaselines(rowNumbers(1000), [2], { methods: ["seasonal-naive"], season: 364 });
    expect(daily.results[0].mae).toBe(364);
    expect(evaluateBaselines(rowNumbers(1000), [2], { methods: ["seasonal-naive"] }).results[0].mae).toBe(52);
  });
});
