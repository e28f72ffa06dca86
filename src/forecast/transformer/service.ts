/**
 * What the CLI and the server call: the bundled pretrained checkpoint, fine-tuning on the regions of a
 * table, and forecasting one region from an origin row. Input problems are `DataError`s that say what is
 * wrong and what is needed.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { DataError } from "../errors.js";
import type { SeriesTable } from "../series-csv.js";
import type { Frequency } from "../frequency.js";
import { didYouMean } from "../../scenario/suggest.js";
import { hubBaselineQuantiles } from "../hub-baseline.js";
import { weightedIntervalScore } from "../metrics.js";
import { intervalFor } from "../quantiles.js";
import { currentTfBackend, type tf } from "./backend.js";
import { loadCheckpoint, saveCheckpoint, scalingInfo, type CheckpointManifest, type LoadedCheckpoint } from "./checkpoint.js";
import { finetuneModel, trainFromScratch, type Calibration, type FitOptions } from "./fit.js";
import { predictQuantiles, seriesFromTable } from "./forecaster.js";
import type { TransformerConfig } from "./model.js";
import type { FinetuneStrategy, TrainReport } from "./train.js";

/** Folder name of the bundled pretrained checkpoint under `models/`. */
export const PRETRAINED_NAME = "ili-pretrained";

/** Folder name of the bundled daily checkpoint (`pretrain --frequency daily`, corpus-daily.ts) under `models/`. */
export const DAILY_PRETRAINED_NAME = "daily-pretrained";

/** Folder name of the bundled cross-region (spatial) checkpoint under `models/` (spatial.ts). */
export const SPATIAL_NAME = "ili-spatial";

/** `models/<name>` (default ili-pretrained) beside `src/` (from sources) or three levels up from `dist/src/forecast/transformer/`. */
export function defaultCheckpointDir(name: string = PRETRAINED_NAME): string {
  for (const rel of ["../../../models/", "../../../../models/"]) {
    const dir = join(fileURLToPath(new URL(rel, import.meta.url)), name);
    if (existsSync(join(dir, "manifest.json"))) return dir;
  }
  return join(fileURLToPath(new URL("../../../models/", import.meta.url)), name);
}

const bundled = new Map<string, Promise<LoadedCheckpoint>>();

/** The bundled checkpoint `models/<name>`, loaded once per process (a failed load is tried again next time). */
export function loadBundled(name: string): Promise<LoadedCheckpoint> {
  let loading = bundled.get(name);
  if (loading === undefined) {
    loading = loadCheckpoint(defaultCheckpointDir(name));
    bundled.set(name, loading);
    loading.catch(() => bundled.delete(name));
  }
  return loading;
}

/**
 * The bundled checkpoint that a table of this frequency starts from: models/daily-pretrained for daily rows
 * (when it is there), else models/ili-pretrained — weekly rows, rows without dates, and daily rows without a
 * daily checkpoint.
 */
export function pretrainedNameFor(frequency?: Frequency | null): string {
  if (frequency === "daily" && existsSync(join(defaultCheckpointDir(DAILY_PRETRAINED_NAME), "manifest.json"))) return DAILY_PRETRAINED_NAME;
  return PRETRAINED_NAME;
}

/** The bundled pretrained checkpoint for rows of this frequency (pretrainedNameFor), loaded once per process. */
export function loadPretrained(frequency?: Frequency | null): Promise<LoadedCheckpoint> {
  return loadBundled(pretrainedNameFor(frequency));
}

/** Weeks of observed history a region needs for fine-tuning: early-stopping rows plus some windows. */
export function minimumTrainingWeeks(config: TransformerConfig): number {
  return 2 * config.horizon + 16;
}

/** Column indices of `regions` ("all" or names), with "did you mean" for unknown names. */
export function resolveRegions(table: SeriesTable, regions: "all" | readonly string[]): number[] {
  if (regions === "all") return table.regions.map((_, i) => i);
  if (regions.length === 0) throw new DataError("no region given; name one or more columns, or all", { file: table.file });
  return regions.map((name) => {
    const i = table.regions.indexOf(name);
    if (i < 0) {
      const hint = didYouMean(name, table.regions);
      throw new DataError(`no region "${name}" (columns: ${table.regions.slice(0, 20).join(", ")}${table.regions.length > 20 ? ", …" : ""}).${hint}`, { file: table.file });
    }
    return i;
  });
}

/** Fewest observed weeks up to the origin that a forecast reads. */
export const MIN_FORECAST_WEEKS = 8;

/** Observed (finite) values among rows [0, rows). */
export function observedCount(values: Float64Array, rows: number): number {
  let n = 0;
  for (let t = 0; t < rows; t++) if (Number.isFinite(values[t])) n++;
  return n;
}

export interface FinetuneTableOptions extends FitOptions {
  regions?: "all" | readonly string[];
  strategy?: FinetuneStrategy;
  /** Train on rows [0, until) only (default all rows). */
  until?: number;
  /** Recorded in the manifest's provenance (a dataset id or file name). */
  source?: string;
  /** Train the base's architecture from freshly initialised weights instead (the "transformer-scratch" method). */
  scratch?: boolean;
}

export interface FinetunedModel {
  model: tf.LayersModel;
  config: TransformerConfig;
  reports: TrainReport[];
  calibration: Calibration;
  regions: string[];
  rows: number;
  /** First early-stopping row: the gradient steps saw rows [0, validationFrom) only. */
  validationFrom: number;
  strategy: FinetuneStrategy;
}

/**
 * Fine-tunes a copy of `base` on the chosen regions of `table` (rows before `until`).
 *
 * @throws DataError when a region has too few observed weeks to train and early-stop on.
 */
export async function finetuneOnTable(base: LoadedCheckpoint, table: SeriesTable, options: FinetuneTableOptions = {}): Promise<FinetunedModel> {
  const config = base.manifest.config;
  const rows = options.until ?? table.rows;
  if (!(Number.isInteger(rows) && rows >= 1 && rows <= table.rows)) throw new DataError(`training rows must be 1…${table.rows}, got ${rows}`, { file: table.file });
  const strategy = options.strategy ?? "both";
  const indices = resolveRegions(table, options.regions ?? "all");
  const need = minimumTrainingWeeks(config);
  for (const i of indices) {
    const have = observedCount(table.values[i], rows);
    if (have < need) {
      throw new DataError(`region "${table.regions[i]}" has ${have} observed weeks${rows < table.rows ? ` before row ${rows}` : ""}; fine-tuning needs at least ${need} (the last ${config.horizon}+ are held out for early stopping)`, { file: table.file });
    }
  }
  const all = seriesFromTable(table, rows);
  const series = indices.map((i) => all[i]);
  const limits = series.map(() => rows);
  const fitted = options.scratch ? await trainFromScratch(config, series, limits, options) : await finetuneModel(base.model, config, series, limits, strategy, options);
  // Every series shares the same rows, hence the same start of its early-stopping rows.
  return { model: fitted.model, config: fitted.config, reports: fitted.reports, calibration: fitted.calibration, regions: indices.map((i) => table.regions[i]), rows, validationFrom: fitted.trainLimits[0], strategy };
}

/** Saves a fine-tuned model as a checkpoint whose manifest names its base and its data. */
export function saveFinetuned(tuned: FinetunedModel, base: LoadedCheckpoint, dir: string, source: string, extra: { seed?: number; evaluation?: unknown } = {}): Promise<CheckpointManifest> {
  return saveCheckpoint(tuned.model, dir, {
    kind: "finetuned",
    ...(base.manifest.frequency ? { frequency: base.manifest.frequency } : {}),
    config: tuned.config,
    scaling: scalingInfo(),
    seed: extra.seed ?? 0,
    backend: currentTfBackend() ?? "unknown",
    provenance: { data: source, regions: tuned.regions, rows: tuned.rows, strategy: tuned.strategy, calibration: tuned.calibration },
    training: tuned.reports,
    evaluation: extra.evaluation,
    base: { kind: base.manifest.kind, createdAt: base.manifest.createdAt, weightsSha256: base.manifest.weightsSha256 },
  });
}

/**
 * Quantile forecasts of one region from origin row `asOf` (default the last row): one row of levels per
 * horizon 1 … config.horizon, in the series' units.
 *
 * @throws DataError when the origin is missing or the region has too little history before it.
 */
export function forecastRegion(model: tf.LayersModel, config: TransformerConfig, table: SeriesTable, region: string, asOf = table.rows - 1): Float64Array[] {
  const [r] = resolveRegions(table, [region]);
  if (!(Number.isInteger(asOf) && asOf >= 0 && asOf < table.rows)) throw new DataError(`asOf must be a row index 0…${table.rows - 1}, got ${asOf}`, { file: table.file });
  const series = seriesFromTable(table, asOf + 1);
  if (!Number.isFinite(series[r].values[asOf])) throw new DataError(`region "${region}" has no value at the forecast origin (row ${asOf}); forecast from a week with a value`, { file: table.file });
  const observed = observedCount(series[r].values, asOf + 1);
  if (observed < MIN_FORECAST_WEEKS) throw new DataError(`region "${region}" has ${observed} observed weeks up to row ${asOf}; a forecast needs at least ${MIN_FORECAST_WEEKS}`, { file: table.file });
  return predictQuantiles(model, config, series, [{ series: r, origin: asOf }])[0];
}

export interface Backtest {
  /** Rows [from, to) whose values were scored. */
  from: number;
  to: number;
  /** Scored (origin, horizon) cells. */
  cells: number;
  wis: number;
  baselineWis: number;
  coverage50: number;
  coverage95: number;
}

/**
 * Scores one region's forecasts for target rows [from, to) (each from its own origin, horizons as given)
 * against the hub baseline on the same cells: mean WIS and central 50% / 95% coverage. With `from` the
 * first early-stopping row of a fine-tune, these rows shaped no gradient step (they chose the epoch).
 */
export function backtestRegion(
  model: tf.LayersModel,
  config: TransformerConfig,
  table: SeriesTable,
  region: number,
  from: number,
  to: number,
  horizons: readonly number[],
  options: { hubSamples?: number; seed?: number } = {},
): Backtest | null {
  const beyond = horizons.filter((h) => h > config.horizon);
  if (beyond.length > 0) throw new DataError(`backtest: horizon ${beyond.join(", ")} is beyond the model's ${config.horizon} weeks`, { file: table.file });
  const series = seriesFromTable(table, to);
  const values = series[region].values;
  const cells: { origin: number; h: number; y: number }[] = [];
  for (const h of horizons) {
    for (let t = Math.max(from, h + 8); t < to; t++) {
      const origin = t - h;
      if (Number.isFinite(values[t]) && Number.isFinite(values[origin])) cells.push({ origin, h, y: values[t] });
    }
  }
  if (cells.length === 0) return null;
  const origins = [...new Set(cells.map((c) => c.origin))].sort((a, b) => a - b);
  const forecasts = predictQuantiles(model, config, series, origins.map((origin) => ({ series: region, origin })));
  const byOrigin = new Map(origins.map((o, i) => [o, forecasts[i]]));
  const i50 = intervalFor(0.5, config.levels);
  const i95 = intervalFor(0.95, config.levels);
  let wis = 0;
  let base = 0;
  let in50 = 0;
  let in95 = 0;
  for (const c of cells) {
    const q = byOrigin.get(c.origin)![c.h - 1];
    const hub = hubBaselineQuantiles(values.subarray(0, c.origin + 1), c.h, { samples: options.hubSamples ?? 1000, seed: options.seed ?? 0, stream: c.origin * 32 + c.h });
    wis += weightedIntervalScore(c.y, q, config.levels);
    base += weightedIntervalScore(c.y, hub, config.levels);
    if (q[i50.lower] <= c.y && c.y <= q[i50.upper]) in50++;
    if (q[i95.lower] <= c.y && c.y <= q[i95.upper]) in95++;
  }
  const n = cells.length;
  return { from, to, cells: n, wis: wis / n, baselineWis: base / n, coverage50: in50 / n, coverage95: in95 / n };
}
