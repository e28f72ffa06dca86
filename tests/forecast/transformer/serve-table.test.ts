/**
 * Serving every region of a table at once (src/forecast/transformer/serve-table.ts, `forecast predict --region
 * all`): the choice is `evaluateTransformer`'s on the table's rows up to the origin, the cross-region candidates
 * included; poisoning every row after the origin changes nothing; auto's rows are the chosen method's rows
 * spread as recalibrated; the explicit methods are their networks called directly, the ensemble the weighted
 * average of its members. On tiny networks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { tf } from "../../../src/forecast/transformer/backend.js";
import { evaluateTransformer } from "../../../src/forecast/transformer/evaluate.js";
import { combineQuantileRows } from "../../../src/forecast/transformer/ensemble.js";
import { serveTableAtOrigin, tableUpTo, TABLE_METHODS, type TableMethod } from "../../../src/forecast/transformer/serve-table.js";
import { spreadRows } from "../../../src/forecast/transformer/recalibrate.js";
import { finetuneOnTable, forecastRegion } from "../../../src/forecast/transformer/service.js";
import { predictSpatial } from "../../../src/forecast/transformer/spatial.js";
import { seriesFromTable } from "../../../src/forecast/transformer/forecaster.js";
import type { LoadedCheckpoint } from "../../../src/forecast/transformer/checkpoint.js";
import type { SeriesTable } from "../../../src/forecast/series-csv.js";
import { QUICK, TINY, seasonalTable, tinyNetworks } from "./helpers.js";

let pretrained: tf.LayersModel;
let spatialModel: tf.LayersModel;
let base: LoadedCheckpoint;
const ROWS = 140;
const AS_OF = 119; // the selection reads rows [0, 120): training [0, 60), validation [60, 84)
const REGIONS = ["north", "south", "east"];
const HORIZONS = [1, 2, 3, 4];
const fit = { epochs: QUICK.epochs, batchSize: QUICK.batchSize };
const options = () => ({ fit, hubSamples: 50, seed: 0, spatial: { model: spatialModel, adjacency: null } });
const rowsOf = (rows: Float64Array[][]) => rows.map((r) => r.map((q) => Array.from(q)));

beforeAll(async () => {
  ({ pretrained, spatial: spatialModel } = await tinyNetworks());
  base = { model: pretrained, manifest: { config: TINY, weightsSha256: "tiny-test" }, dir: "tiny" } as unknown as LoadedCheckpoint;
});

/** The table with every row after the origin replaced by huge values. */
function poisoned(): SeriesTable {
  const t = seasonalTable(ROWS, REGIONS);
  for (const v of t.values) for (let r = AS_OF + 1; r < v.length; r++) v[r] = 1e6 + 37 * r;
  return t;
}

describe("serveTableAtOrigin", () => {
  it("auto is evaluate's selection on every region's rows up to the origin, the cross-region candidates included", async () => {
    const table = seasonalTable(ROWS, REGIONS);
    const served = await serveTableAtOrigin(base, table, AS_OF, "auto", options());
    const s = served.selection!;
    expect(s.rows).toEqual({ origin: AS_OF, trainEnd: 60, validEnd: 84 });
    expect(s.horizons).toEqual(HORIZONS);
    expect(Object.keys(s.validationWis).sort()).toEqual([...TABLE_METHODS].sort());
    expect(s.validationWis[s.method]).toBe(Math.min(...Object.values(s.validationWis)));
    const e = await evaluateTransformer(tableUpTo(table, AS_OF), table.file!, { pretrained, config: TINY, horizons: HORIZONS, fit, transfer: false, hubSamples: 50, seed: 0, spatial: { model: spatialModel, adjacency: null } });
    expect(s.method).toBe(e.selected.method);
    expect(s.reason).toBe(e.selected.reason);
    expect(s.weights).toEqual(e.ensemble.weights);
    expect(s.spreads).toEqual(e.recalibrated.horizons.map((r) => r.spread));
    expect(served.method).toBe(s.method);
    expect(served.regions).toEqual(REGIONS);
    expect(served.rows).toHaveLength(REGIONS.length);
    for (const region of served.rows) {
      expect(region).toHaveLength(TINY.horizon);
      for (const q of region) {
        expect(q).toHaveLength(23);
        for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]);
      }
    }
    // What auto serves is the chosen method's forecast, each horizon spread as recalibrated.
    const plain = await serveTableAtOrigin(base, table, AS_OF, s.method, options());
    expect(rowsOf(served.rows)).toEqual(rowsOf(plain.rows.map((r) => spreadRows(r, s.spreads))));
  });

  it("poisoning every row after the origin changes neither the choice nor the forecasts", async () => {
    const clean = await serveTableAtOrigin(base, seasonalTable(ROWS, REGIONS), AS_OF, "auto", options());
    const dirty = await serveTableAtOrigin(base, poisoned(), AS_OF, "auto", options());
    expect(dirty.selection).toEqual(clean.selection);
    expect(rowsOf(dirty.rows)).toEqual(rowsOf(clean.rows));
  });

  it("the same forecasts on 2 threads as on 1 (the fits on worker threads; the ensemble's members trained there)", async () => {
    const table = seasonalTable(ROWS, REGIONS);
    const one = await serveTableAtOrigin(base, table, AS_OF, "ensemble", { ...options(), threads: 1 });
    const two = await serveTableAtOrigin(base, table, AS_OF, "ensemble", { ...options(), threads: 2 });
    expect(Object.keys(one.selection!.weights)).toContain("transformer-spatial");
    expect(two.selection).toEqual(one.selection);
    expect(rowsOf(two.rows)).toEqual(rowsOf(one.rows));
  });

  it("explicit methods: the zero-shot networks called directly, the ensemble the weighted average of its members", async () => {
    const table = seasonalTable(ROWS, REGIONS);
    const upTo = tableUpTo(table, AS_OF);
    const zero = await serveTableAtOrigin(base, table, AS_OF, "transformer-zero-shot", options());
    expect(zero.selection).toBeNull();
    expect(rowsOf(zero.rows)).toEqual(rowsOf(REGIONS.map((r) => forecastRegion(pretrained, TINY, upTo, r, AS_OF))));
    const joint = await serveTableAtOrigin(base, table, AS_OF, "transformer-spatial-zero-shot", options());
    expect(rowsOf(joint.rows)).toEqual(rowsOf(predictSpatial(spatialModel, TINY, { series: seriesFromTable(upTo), adjacency: null, limit: upTo.rows }, [AS_OF])[0]));
    // The fine-tuned network is `forecast finetune`'s on the rows up to the origin (every region, early stopping on their last 20%).
    const tuned = await serveTableAtOrigin(base, table, AS_OF, "transformer", options());
    const finetuned = await finetuneOnTable(base, upTo, { ...fit, seed: 0, strategy: "both" });
    expect(rowsOf(tuned.rows)).toEqual(rowsOf(REGIONS.map((r) => forecastRegion(finetuned.model, finetuned.config, upTo, r, AS_OF))));
    finetuned.model.dispose();
    const ens = await serveTableAtOrigin(base, table, AS_OF, "ensemble", options());
    const weights = ens.selection!.weights;
    const members: Record<string, Float64Array[][]> = {};
    for (const m of Object.keys(weights)) members[m] = (await serveTableAtOrigin(base, table, AS_OF, m as TableMethod, options())).rows;
    expect(Object.keys(weights).sort()).toEqual(TABLE_METHODS.filter((m) => m !== "ensemble").sort());
    expect(rowsOf(ens.rows)).toEqual(rowsOf(REGIONS.map((_, r) => combineQuantileRows(Object.fromEntries(Object.entries(members).map(([m, f]) => [m, f[r]])), weights))));
  });

  it("without a cross-region network: the univariate candidates only, and a spatial method is refused with a DataError", async () => {
    const table = seasonalTable(ROWS, REGIONS);
    const served = await serveTableAtOrigin(base, table, AS_OF, "auto", { fit, hubSamples: 50, seed: 0 });
    expect(Object.keys(served.selection!.validationWis).sort()).toEqual(["ensemble", "hub-baseline", "transformer", "transformer-scratch", "transformer-zero-shot"]);
    await expect(serveTableAtOrigin(base, table, AS_OF, "transformer-spatial", { fit, seed: 0 })).rejects.toMatchObject({ name: "DataError" });
    await expect(serveTableAtOrigin(base, table, 40, "auto", options())).rejects.toMatchObject({ name: "DataError" });
  });
});
