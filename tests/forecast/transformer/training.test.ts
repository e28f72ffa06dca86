/**
 * Training (train.ts, fit.ts) on the tiny network: bit-identical weights for the same seed (seeded
 * initialisers and shuffling, one backend); no leakage — weights trained on a table and on the same table
 * with every row from the training end on poisoned are bit-identical; fine-tuning strategies train exactly
 * the weights they claim to, and never the base model's.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { initTf, tf } from "../../../src/forecast/transformer/backend.js";
import { finetuneModel, trainFromScratch } from "../../../src/forecast/transformer/fit.js";
import { evaluateLoss } from "../../../src/forecast/transformer/train.js";
import { seriesFromTable, trainingRows } from "../../../src/forecast/transformer/forecaster.js";
import { buildModel, HEAD_LAYERS } from "../../../src/forecast/transformer/model.js";
import type { SeriesTable } from "../../../src/forecast/series-csv.js";
import { QUICK, TINY, sameBits, seasonalTable, weightsByName } from "./helpers.js";

beforeAll(async () => {
  await initTf();
});

/** Names of the weights whose values differ between two models. */
function changed(a: tf.LayersModel, b: tf.LayersModel): string[] {
  const wa = weightsByName(a);
  const wb = weightsByName(b);
  expect([...wb.keys()].sort()).toEqual([...wa.keys()].sort());
  return [...wa.keys()].filter((k) => !sameBits(wa.get(k)!, wb.get(k)!)).sort();
}

const layerOf = (weight: string) => weight.split("/")[0];
const isHead = (weight: string) => (HEAD_LAYERS as readonly string[]).includes(layerOf(weight));

const table = seasonalTable(120);
const rows = table.rows;

describe("determinism", () => {
  it("two trainings from scratch with the same seed give bit-identical weights; another seed differs", async () => {
    const series = seriesFromTable(table);
    const limits = series.map(() => rows);
    const a = await trainFromScratch(TINY, series, limits, { ...QUICK, seed: 4 });
    const b = await trainFromScratch(TINY, series, limits, { ...QUICK, seed: 4 });
    const c = await trainFromScratch(TINY, series, limits, { ...QUICK, seed: 5 });
    expect(a.reports[0].samples).toBeGreaterThan(0);
    expect(changed(a.model, b.model)).toEqual([]);
    expect(a.reports[0].trainLoss).toEqual(b.reports[0].trainLoss);
    expect(changed(a.model, c.model).length).toBeGreaterThan(0);
    [a, b, c].forEach((r) => r.model.dispose());
  });

  it("fine-tuning is deterministic too (both phases)", async () => {
    const base = buildModel(TINY, 1);
    const series = seriesFromTable(table);
    const limits = series.map(() => rows);
    const a = await finetuneModel(base, TINY, series, limits, "both", { ...QUICK, epochs: 1 });
    const b = await finetuneModel(base, TINY, series, limits, "both", { ...QUICK, epochs: 1 });
    expect(a.reports.map((r) => r.phase)).toEqual(["fine-tune head", "fine-tune all"]);
    expect(changed(a.model, b.model)).toEqual([]);
    [a.model, b.model, base].forEach((m) => m.dispose());
  });
});

describe("leakage", () => {
  const trainEnd = 60;
  /** The table with every row ≥ trainEnd replaced: ×1000 in one region, NaN in the other. */
  const poisoned: SeriesTable = { ...table, values: table.values.map((v, r) => v.map((x, t) => (t < trainEnd ? x : r === 0 ? x * 1000 : NaN))) };
  const limits = table.values.map(() => trainEnd);

  it("trainingRows + trainFromScratch: bit-identical weights on the table and on the poisoned table", async () => {
    const a = await trainFromScratch(TINY, trainingRows(table, trainEnd), limits, QUICK);
    const b = await trainFromScratch(TINY, trainingRows(poisoned, trainEnd), limits, QUICK);
    expect(changed(a.model, b.model)).toEqual([]);
    [a.model, b.model].forEach((m) => m.dispose());
  });

  it("trainingRows + finetuneModel (both phases): bit-identical weights on the table and on the poisoned table", async () => {
    const base = buildModel(TINY, 2);
    const a = await finetuneModel(base, TINY, trainingRows(table, trainEnd), limits, "both", { ...QUICK, epochs: 1 });
    const b = await finetuneModel(base, TINY, trainingRows(poisoned, trainEnd), limits, "both", { ...QUICK, epochs: 1 });
    expect(changed(a.model, b.model)).toEqual([]);
    [a.model, b.model, base].forEach((m) => m.dispose());
  });

  it("the limits alone keep the training inside rows [0, trainEnd): full-length series, poisoned or not, give the same weights", async () => {
    const a = await trainFromScratch(TINY, seriesFromTable(table), limits, QUICK);
    const b = await trainFromScratch(TINY, seriesFromTable(poisoned), limits, QUICK);
    expect(changed(a.model, b.model)).toEqual([]);
    // Sanity: with the limits at the end of the table, the poisoned rows do change the weights.
    const all = table.values.map(() => rows);
    const c = await trainFromScratch(TINY, seriesFromTable(table), all, QUICK);
    const d = await trainFromScratch(TINY, seriesFromTable(poisoned), all, QUICK);
    expect(changed(c.model, d.model).length).toBeGreaterThan(0);
    [a, b, c, d].forEach((r) => r.model.dispose());
  });
});

describe("fine-tuning strategies", () => {
  const series = seriesFromTable(table);
  const limits = series.map(() => rows);

  it('"head" changes only the quantile head (final_norm, head_hidden, head) and leaves the base untouched', async () => {
    const base = buildModel(TINY, 3);
    const before = buildModel(TINY, 3); // same seed: the base's initial weights
    const { model } = await finetuneModel(base, TINY, series, limits, "head", QUICK);
    const diff = changed(base, model);
    expect(diff.length).toBeGreaterThan(0);
    expect(diff.every(isHead)).toBe(true);
    expect(diff).toContain("head/kernel");
    expect(diff).toContain("head_hidden/kernel");
    expect(changed(before, base)).toEqual([]);
    [base, before, model].forEach((m) => m.dispose());
  });

  it('"full" changes the encoder (embedding, attention, feed-forward) too, and leaves the base untouched', async () => {
    const base = buildModel(TINY, 3);
    const before = buildModel(TINY, 3);
    const { model } = await finetuneModel(base, TINY, series, limits, "full", QUICK);
    const diff = changed(base, model);
    for (const w of ["embed/kernel", "block0_attention/wq", "block0_attention/wo", "block0_ffn1/kernel", "block0_norm1/gamma"]) expect(diff).toContain(w);
    expect(diff.some(isHead)).toBe(true);
    expect(changed(before, base)).toEqual([]);
    [base, before, model].forEach((m) => m.dispose());
  });
});

describe("tensor memory", () => {
  it("fine-tuning, training from scratch and evaluating the loss leave no tensors behind once the models are disposed", async () => {
    const series = seriesFromTable(table);
    const limits = series.map(() => rows);
    const base = buildModel(TINY, 6);
    const before = tf.memory().numTensors;
    const tuned = await finetuneModel(base, TINY, series, limits, "both", { ...QUICK, epochs: 2 });
    tuned.model.dispose();
    const scratch = await trainFromScratch(TINY, series, limits, { ...QUICK, epochs: 2 });
    scratch.model.dispose();
    evaluateLoss(base, TINY, { series, limits, picks: [{ series: 0, origin: 50 }] });
    expect(tf.memory().numTensors).toBe(before);
    base.dispose();
  });
});
