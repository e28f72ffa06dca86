/**
 * Serving the method chosen on validation (src/forecast/transformer/select.ts): `selectAtOrigin` chooses among
 * the fine-tuned, from-scratch and zero-shot networks, the hub baseline and their ensemble on validation rows
 * of the region's history up to the origin, exactly as `evaluateTransformer` does on that history; poisoning
 * every row after the origin changes neither the choice nor the served forecast (no look-ahead); the cache is
 * keyed by the rows up to the origin; `serveAtOrigin` serves what was chosen, its intervals spread as recalibrated
 * on the same validation rows. On a tiny network.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { initTf, type tf } from "../../../src/forecast/transformer/backend.js";
import { buildModel } from "../../../src/forecast/transformer/model.js";
import { evaluateTransformer } from "../../../src/forecast/transformer/evaluate.js";
import { combineQuantileRows } from "../../../src/forecast/transformer/ensemble.js";
import { clearSelectionCache, regionUpTo, selectAtOrigin, serveAtOrigin, SELECTABLE_METHODS } from "../../../src/forecast/transformer/select.js";
import { spreadRows } from "../../../src/forecast/transformer/recalibrate.js";
import { forecastRegion } from "../../../src/forecast/transformer/service.js";
import type { LoadedCheckpoint } from "../../../src/forecast/transformer/checkpoint.js";
import type { SeriesTable } from "../../../src/forecast/series-csv.js";
import { QUICK, TINY, seasonalTable } from "./helpers.js";

let pretrained: tf.LayersModel;
let base: LoadedCheckpoint;
const options = { fit: { epochs: QUICK.epochs, batchSize: QUICK.batchSize }, hubSamples: 50, seed: 0 };
const HORIZONS = [1, 2, 3, 4];
const ROWS = 140;
const AS_OF = 119; // the selection reads rows [0, 120): training [0, 60), validation [60, 84)

beforeAll(async () => {
  await initTf();
  pretrained = buildModel(TINY, 1);
  base = { model: pretrained, manifest: { config: TINY, weightsSha256: "tiny-test" }, dir: "tiny" } as unknown as LoadedCheckpoint;
});

const select = (table: SeriesTable, region = 1) => selectAtOrigin(table, region, AS_OF, { ...options, pretrained, config: TINY, checkpointId: "tiny-test", horizons: HORIZONS });

/** The table with every row after the origin replaced by huge values. */
function poisoned(): SeriesTable {
  const t = seasonalTable(ROWS);
  for (const v of t.values) for (let r = AS_OF + 1; r < v.length; r++) v[r] = 1e6 + 37 * r;
  return t;
}

describe("selectAtOrigin", () => {
  it("is evaluate's selection on the rows up to the origin, and never worse on validation than any candidate", async () => {
    clearSelectionCache();
    const table = seasonalTable(ROWS);
    const s = await select(table);
    expect(s.cached).toBe(false);
    expect(s.rows).toEqual({ origin: AS_OF, trainEnd: 60, validEnd: 84 });
    expect(s.horizons).toEqual(HORIZONS);
    expect(Object.keys(s.validationWis).sort()).toEqual([...SELECTABLE_METHODS].sort());
    const best = Math.min(...Object.values(s.validationWis));
    expect(s.validationWis[s.method]).toBe(best);
    // The same numbers as `forecast evaluate` gets on that one region's rows [0, asOf].
    const e = await evaluateTransformer(regionUpTo(table, 1, AS_OF), "r", { pretrained, config: TINY, horizons: HORIZONS, fit: options.fit, transfer: false, hubSamples: 50, seed: 0 });
    expect(s.method).toBe(e.selected.method);
    expect(s.reason).toBe(e.selected.reason);
    for (const m of SELECTABLE_METHODS) expect(s.validationWisByHorizon[m]).toEqual(e.validation[m].wis);
    expect(s.weights).toEqual(e.ensemble.weights);
    // The served intervals' spreads are evaluate's recalibration of the selected method on those validation rows.
    expect(s.spreads).toEqual(e.recalibrated.horizons.map((r) => r.spread));
    expect(e.recalibrated.method).toBe(s.method);
  });

  it("poisoning every row after the origin changes nothing (computed afresh, and through the cache)", async () => {
    clearSelectionCache();
    const clean = await select(seasonalTable(ROWS));
    clearSelectionCache();
    const dirty = await select(poisoned());
    expect(dirty.cached).toBe(false);
    expect(dirty).toEqual(clean);
    // The cache key is the rows up to the origin: the clean table hits the poisoned table's entry.
    const again = await select(seasonalTable(ROWS));
    expect(again.cached).toBe(true);
    expect({ ...again, cached: false }).toEqual(clean);
  });

  it("a changed validation row (before the origin) is a different selection, not a cache hit", async () => {
    clearSelectionCache();
    const clean = await select(seasonalTable(ROWS));
    const changed = seasonalTable(ROWS);
    changed.values[1][70] *= 3;
    const other = await select(changed);
    expect(other.cached).toBe(false);
    expect(other.validationWis).not.toEqual(clean.validationWis);
  });

  it("refuses rows too few for the protocol's split with a DataError", async () => {
    await expect(selectAtOrigin(seasonalTable(ROWS), 0, 40, { ...options, pretrained, config: TINY, checkpointId: "tiny-test", horizons: HORIZONS })).rejects.toMatchObject({ name: "DataError" });
  });
});

describe("serveAtOrigin", () => {
  it("auto serves the chosen method, and the served forecast ignores every row after the origin", async () => {
    clearSelectionCache();
    const a = await serveAtOrigin(base, seasonalTable(ROWS), 1, AS_OF, "auto", options);
    clearSelectionCache();
    const b = await serveAtOrigin(base, poisoned(), 1, AS_OF, "auto", options);
    expect(a.selection).not.toBeNull();
    expect(a.method).toBe(a.selection!.method);
    expect(b.rows.map((q) => Array.from(q))).toEqual(a.rows.map((q) => Array.from(q)));
    expect(a.rows).toHaveLength(TINY.horizon);
    for (const q of a.rows) {
      expect(q).toHaveLength(23);
      for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]);
    }
  });

  it("auto's rows are the chosen method's rows, each horizon spread about its median by the selection's spread", async () => {
    const table = seasonalTable(ROWS);
    const auto = await serveAtOrigin(base, table, 1, AS_OF, "auto", options);
    const s = auto.selection!;
    const plain = await serveAtOrigin(base, table, 1, AS_OF, s.method, options);
    const median = 11; // level 0.5 of the hub's 23
    expect(s.spreads).toHaveLength(TINY.horizon);
    auto.rows.forEach((q, i) => {
      const p = plain.rows[i];
      expect(q[median]).toBe(p[median]);
      for (let k = 0; k < 23; k++) expect(q[k]).toBeCloseTo(Math.max(0, p[median] + s.spreads[i] * (p[k] - p[median])), 9);
    });
    // The spreads also apply (this is not the identity) when the rule keeps a spread ≠ 1.
    const spread = spreadRows([Float64Array.from({ length: 23 }, (_, k) => 10 + k)], [0.5])[0];
    expect(spread[0]).toBe(15.5);
    expect(spread[11]).toBe(21);
    expect(spread[22]).toBe(26.5);
  });

  it("explicit methods: zero-shot is the pretrained network called directly; the ensemble is the weighted average of its members", async () => {
    const table = seasonalTable(ROWS);
    const zero = await serveAtOrigin(base, table, 0, AS_OF, "transformer-zero-shot", options);
    expect(zero.selection).toBeNull();
    expect(zero.rows.map((q) => Array.from(q))).toEqual(forecastRegion(pretrained, TINY, regionUpTo(table, 0, AS_OF), table.regions[0], AS_OF).map((q) => Array.from(q)));
    const ens = await serveAtOrigin(base, table, 0, AS_OF, "ensemble", options);
    const members: Record<string, Float64Array[]> = {};
    for (const m of ["transformer", "transformer-scratch", "transformer-zero-shot", "hub-baseline"] as const) members[m] = (await serveAtOrigin(base, table, 0, AS_OF, m, options)).rows;
    const weights = (await selectAtOrigin(table, 0, AS_OF, { ...options, pretrained, config: TINY, checkpointId: "tiny-test", horizons: HORIZONS })).weights;
    expect(ens.rows.map((q) => Array.from(q))).toEqual(combineQuantileRows(members, weights).map((q) => Array.from(q)));
  });
});

describe("combineQuantileRows", () => {
  it("averages level by level with each horizon's weights", () => {
    const rows = { a: [Float64Array.of(0, 10), Float64Array.of(1, 2)], b: [Float64Array.of(4, 20), Float64Array.of(3, 6)] };
    const out = combineQuantileRows(rows, { a: [0.25, 1], b: [0.75, 0] });
    expect(out.map((q) => Array.from(q))).toEqual([
      [3, 17.5],
      [1, 2],
    ]);
    expect(() => combineQuantileRows({ a: rows.a }, { a: [1, 1], b: [1, 1] })).toThrow(/member b/);
  });
});
