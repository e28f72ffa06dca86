/**
 * Shared fixtures of the transformer tests: a tiny network (a few hundred parameters, trains in well under a
 * second on wasm), small seasonal weekly tables, and exact views of a model's weights.
 */
import { HUB_QUANTILE_LEVELS } from "../../../src/forecast/quantiles.js";
import { formatWeek, nextWeek, type EpiWeek, type SeriesTable } from "../../../src/forecast/series-csv.js";
import { createRandom } from "../../../src/random.js";
import { initTf, type tf } from "../../../src/forecast/transformer/backend.js";
import { buildModel, type TransformerConfig } from "../../../src/forecast/transformer/model.js";
import { spatialFromUnivariate } from "../../../src/forecast/transformer/spatial.js";
import type { WeeklySeries } from "../../../src/forecast/transformer/windows.js";

export const TINY: TransformerConfig = Object.freeze({
  context: 16,
  patch: 4,
  horizon: 4,
  dModel: 8,
  heads: 2,
  layers: 1,
  ffn: 16,
  headHidden: 16,
  levels: [...HUB_QUANTILE_LEVELS],
}) as TransformerConfig;

/** The tfjs backend, a tiny univariate network (seed 1) and the cross-region network built from it (seed 2). */
export async function tinyNetworks(): Promise<{ pretrained: tf.LayersModel; spatial: tf.LayersModel }> {
  await initTf();
  const pretrained = buildModel(TINY, 1);
  return { pretrained, spatial: spatialFromUnivariate(pretrained, TINY, 2) };
}

/** Quick training settings for the tiny network. */
export const QUICK = Object.freeze({ epochs: 2, batchSize: 32, seed: 0 });

/**
 * A winter-peaking weekly series: level·(1 + 3·bump(week of season)) with ±10% seeded noise, starting at
 * MMWR week 40. Region r has level 100·(r + 1).
 */
export function seasonalValues(rows: number, region: number, seed = 7): Float64Array {
  const rng = createRandom(seed, region + 1);
  return Float64Array.from({ length: rows }, (_, t) => {
    const season = (t % 52) / 52; // 0 at week 40, peak near week 6 of the next year
    const bump = Math.exp(-(((season - 0.35) / 0.08) ** 2));
    return Math.round(100 * (region + 1) * (1 + 3 * bump) * (0.9 + 0.2 * rng.next()));
  });
}

export function weeksFrom(start: EpiWeek, rows: number): EpiWeek[] {
  const weeks: EpiWeek[] = [start];
  while (weeks.length < rows) weeks.push(nextWeek(weeks[weeks.length - 1]));
  return weeks;
}

/** A year,week table of `regions` seasonal regions from 2015-W40. */
export function seasonalTable(rows = 120, regions = ["north", "south"], file = "seasonal.csv"): SeriesTable {
  return {
    file,
    regions: [...regions],
    rows,
    weeks: weeksFrom({ year: 2015, week: 40 }, rows),
    values: regions.map((_, r) => seasonalValues(rows, r)),
  };
}

/** The table as a wide CSV (empty cell for NaN). */
export function tableCsv(table: SeriesTable): string {
  const lines = [`year,week,${table.regions.join(",")}`];
  for (let t = 0; t < table.rows; t++) {
    const w = table.weeks![t];
    lines.push([w.year, w.week, ...table.values.map((v) => (Number.isFinite(v[t]) ? String(v[t]) : ""))].join(","));
  }
  return lines.join("\n") + "\n";
}

export function weekLabel(table: SeriesTable, row: number): string {
  return formatWeek(table.weeks![row]);
}

/** A weekly series with a 52-week phase. */
export function series(values: ArrayLike<number>): WeeklySeries {
  return { values: Float64Array.from(values), phase: Float64Array.from({ length: values.length }, (_, t) => (t % 52) / 52) };
}

/** Every weight of a model by name, as exact float32 copies. */
export function weightsByName(model: tf.LayersModel): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const w of model.weights) out.set(w.originalName, Float32Array.from(w.read().dataSync() as Float32Array));
  return out;
}

/** True when two float arrays are bit-identical (NaN equal to NaN, +0 ≠ −0 as Object.is says). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}
