/**
 * Prediction (forecaster.ts, service.ts): quantiles come out non-decreasing across levels and never below
 * zero, in the series' units, from rows up to the origin only; `forecastRegion` and `finetuneOnTable`
 * refuse unusable input with DataErrors that say what is wrong.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SeriesTable } from "../../../src/forecast/series-csv.js";
import { initTf } from "../../../src/forecast/transformer/backend.js";
import type { LoadedCheckpoint } from "../../../src/forecast/transformer/checkpoint.js";
import { predictQuantiles, seriesFromTable } from "../../../src/forecast/transformer/forecaster.js";
import { buildModel } from "../../../src/forecast/transformer/model.js";
import { finetuneOnTable, forecastRegion, minimumTrainingWeeks, resolveRegions } from "../../../src/forecast/transformer/service.js";
import { scalingInfo } from "../../../src/forecast/transformer/checkpoint.js";
import { TINY, seasonalTable } from "./helpers.js";

beforeAll(async () => {
  await initTf();
});

/** Runs `fn`, expects a DataError, returns its message. */
async function dataError(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    expect((e as Error).name).toBe("DataError");
    return (e as Error).message;
  }
  throw new Error("expected a DataError");
}

const table = seasonalTable(100);

describe("predictQuantiles", () => {
  it("non-decreasing across the 23 levels and ≥ 0, for untrained networks on series from 0 to 10⁵", () => {
    const values = [0, 0.01, 1, 50, 1e5].map((level) => seasonalTable(80).values[0].map((v) => (v / 100) * level));
    const series = seriesFromTable({ ...table, rows: 80, weeks: table.weeks!.slice(0, 80), values });
    const picks = series.flatMap((_, s) => [0, 5, 30, 79].map((origin) => ({ series: s, origin })));
    let clamped = 0;
    for (const seed of [1, 2, 3]) {
      const model = buildModel(TINY, seed);
      const out = predictQuantiles(model, TINY, series, picks);
      expect(out).toHaveLength(picks.length);
      for (const rows of out) {
        expect(rows).toHaveLength(TINY.horizon);
        for (const q of rows) {
          expect(q).toHaveLength(23);
          for (let l = 0; l < q.length; l++) {
            expect(q[l]).toBeGreaterThanOrEqual(0);
            if (l > 0) expect(q[l]).toBeGreaterThanOrEqual(q[l - 1]);
          }
          if (q[0] === 0) clamped++;
        }
      }
      model.dispose();
    }
    expect(clamped).toBeGreaterThan(0); // the ≥ 0 clamp was exercised, not only trivially true
  });

  it("is in the series' units: a series ×1000 gives quantiles ×1000 (the window is scaled by its own level)", () => {
    const model = buildModel(TINY, 4);
    const series = seriesFromTable(table);
    const big = series.map((s) => ({ values: s.values.map((v) => v * 1000), phase: s.phase }));
    const pick = [{ series: 1, origin: 60 }];
    const a = predictQuantiles(model, TINY, series, pick)[0];
    const b = predictQuantiles(model, TINY, big, pick)[0];
    // Relative 1e-5: the scaled inputs agree to float32 rounding.
    a.forEach((q, h) => q.forEach((v, l) => expect(Math.abs(b[h][l] - 1000 * v)).toBeLessThanOrEqual(1e-5 * (1 + 1000 * v))));
    model.dispose();
  });
});

describe("forecastRegion", () => {
  const model = () => buildModel(TINY, 7);

  it("one row of 23 quantiles per horizon, reading rows up to the origin only", () => {
    const m = model();
    const a = forecastRegion(m, TINY, table, "south", 70);
    const later: SeriesTable = { ...table, values: table.values.map((v) => v.map((x, t) => (t > 70 ? 1e9 : x))) };
    const b = forecastRegion(m, TINY, later, "south", 70);
    expect(a).toHaveLength(TINY.horizon);
    expect(b.map((q) => Array.from(q))).toEqual(a.map((q) => Array.from(q)));
    expect(forecastRegion(m, TINY, table, "south").map((q) => Array.from(q))).toEqual(forecastRegion(m, TINY, table, "south", 99).map((q) => Array.from(q)));
    m.dispose();
  });

  it("an unknown region is a DataError listing the columns with a did-you-mean", async () => {
    const m = model();
    const message = await dataError(() => forecastRegion(m, TINY, table, "nort"));
    expect(message).toContain('no region "nort"');
    expect(message).toContain("columns: north, south");
    expect(message).toContain('Did you mean "north"?');
    m.dispose();
  });

  it("a missing origin value, too little history, or an origin outside the table is a DataError", async () => {
    const m = model();
    const gappy: SeriesTable = { ...table, values: table.values.map((v) => v.map((x, t) => (t === 50 ? NaN : x))) };
    expect(await dataError(() => forecastRegion(m, TINY, gappy, "north", 50))).toMatch(/no value at the forecast origin \(row 50\)/);
    expect(await dataError(() => forecastRegion(m, TINY, table, "north", 5))).toMatch(/has 6 observed weeks up to row 5; a forecast needs at least 8/);
    expect(await dataError(() => forecastRegion(m, TINY, table, "north", 100))).toMatch(/asOf must be a row index 0…99, got 100/);
    m.dispose();
  });
});

describe("finetuneOnTable", () => {
  const base = (): LoadedCheckpoint => ({
    model: buildModel(TINY, 1),
    dir: "memory",
    manifest: { format: "spreadlab-forecaster/1", kind: "pretrained", createdAt: "", config: TINY, scaling: scalingInfo(), seed: 1, backend: "wasm", provenance: {}, training: [], weightsSha256: "", parameters: 0 },
  });

  it("trains on the chosen regions and rows, and refuses a region with too few observed weeks", async () => {
    const b = base();
    const need = minimumTrainingWeeks(TINY);
    const tuned = await finetuneOnTable(b, table, { regions: ["south"], until: 80, strategy: "head", epochs: 1 });
    expect(tuned.regions).toEqual(["south"]);
    expect(tuned.rows).toBe(80);
    expect(tuned.reports.map((r) => r.phase)).toEqual(["fine-tune head"]);
    tuned.model.dispose();
    const message = await dataError(() => finetuneOnTable(b, table, { until: need - 1 }));
    expect(message).toContain(`has ${need - 1} observed weeks before row ${need - 1}; fine-tuning needs at least ${need}`);
    expect(await dataError(() => finetuneOnTable(b, table, { until: 101 }))).toMatch(/training rows must be 1…100, got 101/);
    expect(await dataError(() => finetuneOnTable(b, table, { regions: ["west"] }))).toMatch(/no region "west"/);
    expect(await dataError(() => resolveRegions(table, []))).toMatch(/no region given/);
    b.model.dispose();
  });
});
