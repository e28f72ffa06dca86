/**
 * Honest selection (src/forecast/transformer/evaluate.ts): every method is scored on the protocol's validation
 * rows [⌊0.5n⌋, ⌊0.7n⌋) beside the test rows, and the method `evaluate` selects is the quantile method with the
 * lowest mean validation WIS. End to end on a tiny network: poisoning every test row (after the validation rows)
 * leaves the training, the validation scores and the selection bit-identical, while the test scores move; and
 * for each origin from the last training row on, poisoning every row after it leaves the fitted networks'
 * forecasts from that origin bit-identical.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { tf } from "../../../src/forecast/transformer/backend.js";
import {
  evaluateTransformer,
  formatEvaluation,
  networkForecasts,
  scoresByRegion,
  selectOnValidation,
  spatialForecasts,
  type MethodScores,
  type TransformerEvaluation,
} from "../../../src/forecast/transformer/evaluate.js";
import { finetuneModel, trainFromScratch, type FitResult } from "../../../src/forecast/transformer/fit.js";
import { fitSpatial } from "../../../src/forecast/transformer/spatial-fit.js";
import type { SeriesTable } from "../../../src/forecast/series-csv.js";
import type { QuantileEvaluation } from "../../../src/forecast/protocol.js";
import { seriesFromTable, trainingRows } from "../../../src/forecast/transformer/forecaster.js";
import { QUICK, TINY, seasonalTable, tinyNetworks } from "./helpers.js";

let pretrained: tf.LayersModel;
let spatial: tf.LayersModel;

beforeAll(async () => {
  ({ pretrained, spatial } = await tinyNetworks());
});

function run(table: SeriesTable): Promise<TransformerEvaluation> {
  return evaluateTransformer(table, "tiny", {
    pretrained,
    config: TINY,
    horizons: [2, 4],
    fit: { epochs: QUICK.epochs, batchSize: QUICK.batchSize },
    transfer: false,
    hubSamples: 50,
    seed: 0,
    spatial: { model: spatial, adjacency: Float64Array.from([0, 1, 1, 0]) },
  });
}

const scores = (wis: (number | null)[]): MethodScores => ({ rmse: [1, 1], mae: [1, 1], pcc: [0, 0], wis, coverage50: wis.map(() => null), coverage95: wis.map(() => null) });

describe("selectOnValidation", () => {
  it("the quantile method with the lowest mean validation WIS; point methods (WIS null) are not candidates; ties keep the earlier method", () => {
    const s = selectOnValidation({ a: scores([10, 30]), b: scores([12, 20]), point: scores([null, null]), c: scores([16, 16]) }, [2, 4], { trainEnd: 60, validEnd: 84 });
    expect(s.method).toBe("b");
    expect(s.validationWis).toBe(16);
    expect(s.reason).toBe("lowest mean WIS over horizons 2, 4 on the validation rows [60, 84): 16.00 (a 20.00, c 16.00)");
    expect(() => selectOnValidation({ point: scores([null, null]) }, [2, 4], { trainEnd: 60, validEnd: 84 })).toThrow(/no quantile method/);
  });
});

describe("scoresByRegion", () => {
  it("pools each region's cells over the horizons (cells row-major: target row, then region), beside the hub baseline's", () => {
    const levels = [0.025, 0.25, 0.5, 0.75, 0.975];
    // Two regions, two target rows per horizon: cell i belongs to region i mod 2.
    const cell = (lo: number, hi: number) => Float64Array.of(lo, lo + 1, (lo + hi) / 2, hi - 1, hi);
    const evaluation = (horizon: number, observed: number[], wis: number[], quantiles: Float64Array[]) =>
      ({ horizon, levels, observed: Float64Array.from(observed), wis: Float64Array.from(wis), quantiles }) as unknown as QuantileEvaluation;
    const method = [
      evaluation(1, [5, 50, 6, 70], [1, 2, 3, 4], [cell(0, 10), cell(0, 10), cell(0, 10), cell(60, 80)]),
      evaluation(2, [5, 50, 20, 50], [5, 6, 7, 8], [cell(4, 6), cell(40, 60), cell(0, 10), cell(40, 60)]),
    ];
    const hub = [evaluation(1, [5, 50, 6, 70], [2, 2, 2, 2], []), evaluation(2, [5, 50, 20, 50], [2, 2, 2, 0], [])];
    const [a, b] = scoresByRegion(["a", "b"], method, hub);
    // region a: 20 is outside [0, 10] at h = 2; 5 is inside [4, 6] and its 50% interval [5, 5]
    expect(a).toEqual({ region: "a", wis: (1 + 3 + 5 + 7) / 4, hubWis: 2, relativeWis: 2, coverage50: 3 / 4, coverage95: 3 / 4 });
    expect(b.wis).toBe((2 + 4 + 6 + 8) / 4);
    expect(b.hubWis).toBe(6 / 4);
    expect(b.relativeWis).toBeCloseTo(5 / 1.5, 12);
    // region b: 50 outside [0, 10]; 70 inside [61, 79] and [60, 80]; 50 inside both of [40, 60] twice
    expect(b.coverage50).toBe(3 / 4);
    expect(b.coverage95).toBe(3 / 4);
    expect(() => scoresByRegion(["a", "b", "c"], method, hub)).toThrow(/4 cells for 3 regions/);
  });
});

describe("evaluate: selection on the validation rows", () => {
  it("poisoning every test row leaves training, validation scores and the selection bit-identical; test scores change", async () => {
    const clean = seasonalTable(120);
    const poisoned = seasonalTable(120);
    const validEnd = 84; // ⌊0.7 · 120⌋
    for (const v of poisoned.values) for (let t = validEnd; t < v.length; t++) v[t] = 50 * v[t] + 1e5;
    const a = await run(clean);
    const b = await run(poisoned);
    expect(a.split).toEqual({ rows: 120, trainEnd: 60, validEnd });
    expect(Object.keys(a.validation)).toEqual(Object.keys(a.methods));
    expect(b.validation).toEqual(a.validation);
    expect(b.selected).toEqual(a.selected);
    expect(b.ensemble).toEqual(a.ensemble); // its weights are read off validation scores only
    // The recalibration's spreads and checks read validation rows only; its test scores move with the poison.
    expect(b.recalibrated.horizons).toEqual(a.recalibrated.horizons);
    expect(a.recalibrated.method).toBe(a.selected.method);
    expect(b.recalibrated.test.wis).not.toEqual(a.recalibrated.test.wis);
    // Per region: the validation scores read validation rows only; the test ones move with the poison.
    expect(a.byRegion.method).toBe(a.selected.method);
    expect(a.byRegion.test.map((r) => r.region)).toEqual(clean.regions);
    expect(b.byRegion.validation).toEqual(a.byRegion.validation);
    expect(b.byRegion.test.map((r) => r.wis)).not.toEqual(a.byRegion.test.map((r) => r.wis));
    for (const r of a.byRegion.test) expect(r.relativeWis).toBeCloseTo(r.wis / r.hubWis, 12);
    expect(b.calibration).toEqual(a.calibration);
    expect(b.training.transformer.map((r) => r.trainLoss)).toEqual(a.training.transformer.map((r) => r.trainLoss));
    // The poison reached the test scores of every method (so the equalities above could have failed).
    for (const name of Object.keys(a.methods)) expect(b.methods[name].rmse[0]).not.toBe(a.methods[name].rmse[0]);
    // The selection is the argmin of the reported validation WIS, among the quantile methods.
    const means = Object.entries(a.validation)
      .filter(([, m]) => m.wis.every((w) => w !== null))
      .map(([name, m]) => [name, ((m.wis[0] as number) + (m.wis[1] as number)) / 2] as const);
    expect(means.map(([n]) => n)).toEqual(["transformer", "transformer-scratch", "transformer-zero-shot", "transformer-spatial", "transformer-spatial-zero-shot", "hub-baseline", "ensemble"]);
    expect(b.training["transformer-spatial"].map((r) => r.trainLoss)).toEqual(a.training["transformer-spatial"].map((r) => r.trainLoss));
    const best = means.reduce((x, y) => (y[1] < x[1] ? y : x));
    expect(a.selected.method).toBe(best[0]);
    expect(a.selected.validationWis).toBe(best[1]);
    // Do no harm: the method selected is never worse on validation than any candidate or the ensemble.
    for (const [, m] of means) expect(a.selected.validationWis).toBeLessThanOrEqual(m);
    // The ensemble: weights per horizon sum to 1, ∝ 1 / validation WIS; WIS is convex in the quantiles (a sum of
    // pinball losses), so the ensemble's validation WIS is at most the weighted mean of its candidates' (up to rounding).
    expect(a.ensemble.candidates).toEqual(["transformer", "transformer-scratch", "transformer-zero-shot", "transformer-spatial", "transformer-spatial-zero-shot", "hub-baseline"]);
    for (let i = 0; i < 2; i++) {
      const w = a.ensemble.candidates.map((m) => a.ensemble.weights[m][i]);
      expect(w.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
      const inv = a.ensemble.candidates.map((m) => 1 / (a.validation[m].wis[i] as number));
      const invSum = inv.reduce((x, y) => x + y, 0);
      w.forEach((wi, j) => expect(wi).toBeCloseTo(inv[j] / invSum, 12));
      const mixed = a.ensemble.candidates.reduce((acc, m, j) => acc + w[j] * (a.validation[m].wis[i] as number), 0);
      expect(a.validation.ensemble.wis[i] as number).toBeLessThanOrEqual(mixed * (1 + 1e-12));
    }
    // The text output has the validation WIS table with the selected row marked, and the reason.
    const text = formatEvaluation(a);
    expect(text).toContain("validation mean WIS");
    const lower = a.byRegion.test.filter((r) => r.relativeWis! < 1).length;
    expect(text).toMatch(new RegExp(`per region, test mean WIS against the hub baseline's: lower in ${lower} of 2 regions; highest ratios (north|south) \\d+\\.\\d\\d×, (north|south) \\d+\\.\\d\\d×`));
    expect(text).toContain(`${a.selected.method}, intervals recalibrated on validation (spread per horizon `);
    expect(text).toMatch(new RegExp(`\\n${a.selected.method} +[\\d ]+ +[\\d.]+  ← selected\\n`));
    expect(text).toContain(`selected: ${a.selected.method} — lowest mean WIS over horizons 2, 4 on the validation rows [60, 84)`);
    expect(text).toMatch(/ensemble weights per horizon \(∝ 1 \/ validation WIS\): transformer \d\.\d\d\/\d\.\d\d, /);
    // Rows are named by the table's frequency: weeks here, days for daily dates, rows without row times.
    expect(text).toContain("transformer context 16 weeks");
    expect(formatEvaluation({ ...a, frequency: "daily" })).toContain("transformer context 16 days");
    expect(formatEvaluation({ ...a, frequency: null })).toContain("transformer context 16 rows");
  });
});

describe("evaluate: poisoning every row after each origin", () => {
  it("fine-tuned, from-scratch, zero-shot and cross-region forecasts from that origin are bit-identical (origins from the last training row to the end)", async () => {
    const rows = 120;
    const trainEnd = 60; // ⌊0.5 · 120⌋: the networks are fitted on rows [0, 60) (evaluate's trainingRows)
    const limits = [trainEnd, trainEnd];
    const fitAll = async (t: SeriesTable): Promise<FitResult[]> => {
      const history = trainingRows(t, trainEnd);
      return [await finetuneModel(pretrained, TINY, history, limits, "both", { epochs: 1, batchSize: 32 }), await trainFromScratch(TINY, history, limits, { epochs: 1, batchSize: 32 })];
    };
    // The cross-region network reads every region at the origin: fitted on the same rows, forecasting all regions.
    const fitCross = async (t: SeriesTable) => (await fitSpatial(spatial, TINY, { series: trainingRows(t, trainEnd), adjacency: null, limit: trainEnd }, "both", { epochs: 1, batchSize: 32 })).model;
    const forecasts = (fits: FitResult[], cross: tf.LayersModel, t: SeriesTable, origin: number) => {
      const picks = [0, 1].map((series) => ({ series, origin }));
      const nets = [...fits.map((f) => [f.model, f.config] as const), [pretrained, TINY] as const];
      const set = { series: seriesFromTable(t), adjacency: null, limit: t.rows };
      return [
        ...nets.map(([model, config]) => networkForecasts(model, config, t, picks).map((byH) => byH.map((q) => Array.from(q)))),
        spatialForecasts(cross, TINY, set, picks).map((byH) => byH.map((q) => Array.from(q))),
      ];
    };
    const table = seasonalTable(rows);
    const clean = await fitAll(table);
    const cleanCross = await fitCross(table);
    // Origins: the last training row (its later rows are every validation and test row), the last validation
    // origins, test origins, the last origin with a full horizon of targets.
    for (const origin of [trainEnd - 1, 70, 83, 84, 100, rows - 5]) {
      const poisoned = seasonalTable(rows);
      for (const v of poisoned.values) for (let t = origin + 1; t < rows; t++) v[t] = t % 2 === 0 ? 1e7 : 0;
      const dirty = await fitAll(poisoned);
      const dirtyCross = await fitCross(poisoned);
      expect(forecasts(dirty, dirtyCross, poisoned, origin)).toEqual(forecasts(clean, cleanCross, table, origin));
      // One row later the poison is read (so the equality above could fail).
      const later = [forecasts(dirty, dirtyCross, poisoned, origin + 1), forecasts(clean, cleanCross, table, origin + 1)];
      expect(later[0][0]).not.toEqual(later[1][0]);
      expect(later[0][3]).not.toEqual(later[1][3]);
      for (const f of dirty) f.model.dispose();
      dirtyCross.dispose();
    }
    for (const f of clean) f.model.dispose();
    cleanCross.dispose();
  });
});

describe("evaluate: the seasonal-naive baseline", () => {
  it("is left out, with a line, when a daily table's validation rows start less than 364 rows in; kept on weekly tables; the transfer block names its unit", async () => {
    const weekly = seasonalTable(120);
    const daily: SeriesTable = { ...seasonalTable(120), weeks: undefined, dates: Array.from({ length: 120 }, (_, t) => new Date(Date.UTC(2021, 0, 1 + t)).toISOString().slice(0, 10)) };
    const lines: string[] = [];
    const options = { pretrained, config: TINY, horizons: [2, 4], fit: { epochs: 1, batchSize: QUICK.batchSize }, transfer: false, hubSamples: 20, seed: 0 };
    const d = await evaluateTransformer(daily, "daily", { ...options, log: (l) => lines.push(l) });
    expect(d.frequency).toBe("daily");
    expect(Object.keys(d.methods)).not.toContain("seasonal-naive");
    expect(Object.keys(d.validation)).toEqual(Object.keys(d.methods));
    expect(lines).toContain("seasonal-naive left out: the same time last year is 364 rows back, and the validation rows start at row 60");
    const w = await evaluateTransformer(weekly, "weekly", options);
    expect(Object.keys(w.methods)).toContain("seasonal-naive");
    // The transfer block says what its history length counts.
    const t = await evaluateTransformer(daily, "daily", { ...options, transfer: true, transferWeeks: 40 });
    expect(t.transfer).toMatchObject({ weeks: 40, unit: "days" });
  }, 60_000);
});
