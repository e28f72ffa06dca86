/**
 * Serving the method chosen on validation (issue 11.4, "do no harm"): what `forecast predict`, `POST
 * /v1/forecasts` and the dashboard serve with `method: "auto"`.
 *
 * At a forecast origin (row asOf) of one region, the region's rows [0, asOf] — and nothing after them — go
 * through `evaluateTransformer` (evaluate.ts) exactly as `forecast evaluate` treats a dataset: the Cola-GNN
 * split of those n = asOf + 1 rows, the networks fitted on rows [0, ⌊0.5n⌋), every quantile candidate (the
 * fine-tuned, from-scratch and zero-shot transformers, the hub baseline, and their validation-weighted
 * ensemble) scored on the validation rows [⌊0.5n⌋, ⌊0.7n⌋), the lowest mean validation WIS over the requested
 * horizons selected. The chosen method is then fitted on all rows up to asOf and forecasts from asOf
 * (the caller does that: the server with its progress and backtest, the CLI directly), its intervals spread per
 * horizon as recalibrate.ts chooses on the same validation rows (kept only where the half of those rows it was
 * not chosen on agrees; else 1, unchanged). Rows [⌊0.7n⌋, n) are the evaluation's "test" rows; they play no
 * part in the choice here either.
 *
 * Cost: two fits on half the history (fine-tuned and from scratch) plus forecasts over it; the result is cached
 * per content (the values and row labels up to asOf, the horizons, the fitting options and the checkpoint), so
 * asking again for the same origin, or for another method at it, does not fit again.
 */
import { createHash } from "node:crypto";
import type { SeriesTable } from "../series-csv.js";
import { DataError } from "../errors.js";
import type { tf } from "./backend.js";
import { evaluateTransformer } from "./evaluate.js";
import type { FitOptions } from "./fit.js";
import type { TransformerConfig } from "./model.js";
import type { FinetuneStrategy } from "./train.js";
import type { LoadedCheckpoint } from "./checkpoint.js";
import { combineQuantileRows } from "./ensemble.js";
import { spreadRows } from "./recalibrate.js";
import { finetuneOnTable, forecastRegion } from "./service.js";
import { hubBaselineForecaster } from "../hub-baseline.js";
import type { ForecastInput } from "../protocol.js";

/** The candidates of the selection, named as `forecast evaluate` names them. */
export const SELECTABLE_METHODS = ["transformer", "transformer-scratch", "transformer-zero-shot", "hub-baseline", "ensemble"] as const;
export type SelectableMethod = (typeof SELECTABLE_METHODS)[number];
/** The candidates the ensemble averages. */
export const ENSEMBLE_MEMBERS = ["transformer", "transformer-scratch", "transformer-zero-shot", "hub-baseline"] as const;

/** Which method was chosen at an origin, and why. */
export interface OriginSelection {
  method: SelectableMethod;
  reason: string;
  /** The split of rows [0, origin]: networks fitted on [0, trainEnd), candidates scored on [trainEnd, validEnd). */
  rows: { origin: number; trainEnd: number; validEnd: number };
  horizons: number[];
  /** Mean validation WIS over the horizons, per candidate. */
  validationWis: Record<string, number>;
  /** Validation WIS per horizon (in `horizons` order), per candidate. */
  validationWisByHorizon: Record<string, number[]>;
  /** The ensemble's weights per member per horizon (each horizon's weights sum to 1). */
  weights: Record<string, number[]>;
  /**
   * Per horizon (in `horizons` order), the spread about the median applied to the chosen method's quantiles
   * (recalibrate.ts, on the validation rows; 1 = unchanged, the check on the held-out half failed or preferred 1).
   */
  spreads: number[];
  /** Whether this selection came from the cache (fitted by an earlier request). */
  cached: boolean;
}

export interface SelectOptions {
  pretrained: tf.LayersModel;
  config: TransformerConfig;
  /** Identifies the checkpoint in the cache key (its weights' SHA-256). */
  checkpointId: string;
  horizons: readonly number[];
  strategy?: FinetuneStrategy;
  fit?: Omit<FitOptions, "onEpoch" | "shouldStop">;
  seed?: number;
  hubSamples?: number;
  onEpoch?: FitOptions["onEpoch"];
  shouldStop?: () => boolean;
  /** Threads the selection's networks train on (evaluate.ts `threads`; default 1). Not part of the cache key: the choice does not depend on it. */
  threads?: number;
  log?: (line: string) => void;
}

/** Selections kept, most recent last (each holds a few numbers per candidate). */
const CACHE_SIZE = 64;
const cache = new Map<string, Promise<Omit<OriginSelection, "cached">>>();

/** The rows [0, asOf] of the given regions (default all, in the table's order): all that a choice at that origin may read. */
export function tableUpTo(table: SeriesTable, asOf: number, regions: readonly number[] = table.regions.map((_, i) => i)): SeriesTable {
  if (!(Number.isInteger(asOf) && asOf >= 0 && asOf < table.rows)) throw new DataError(`asOf must be a row index 0…${table.rows - 1}, got ${asOf}`, { file: table.file });
  const rows = asOf + 1;
  return {
    file: table.file,
    regions: regions.map((r) => table.regions[r]),
    rows,
    values: regions.map((r) => table.values[r].slice(0, rows)),
    ...(table.weeks ? { weeks: table.weeks.slice(0, rows) } : {}),
    ...(table.dates ? { dates: table.dates.slice(0, rows) } : {}),
    ...(table.frequency ? { frequency: table.frequency } : {}),
  };
}

/** Region `region`'s rows [0, asOf] as a one-region table: all that the selection may read. */
export function regionUpTo(table: SeriesTable, region: number, asOf: number): SeriesTable {
  return tableUpTo(table, asOf, [region]);
}

function cacheKey(single: SeriesTable, o: SelectOptions): string {
  const h = createHash("sha256");
  h.update(new Uint8Array(single.values[0].buffer, single.values[0].byteOffset, single.values[0].byteLength));
  h.update(JSON.stringify({ weeks: single.weeks ?? null, dates: single.dates ?? null, horizons: o.horizons, strategy: o.strategy ?? "both", fit: o.fit ?? {}, seed: o.seed ?? 0, hubSamples: o.hubSamples ?? null, checkpoint: o.checkpointId, frequency: single.frequency ?? null }));
  return h.digest("hex");
}

/**
 * The method with the lowest mean validation WIS over `horizons` on region `region`'s rows up to `asOf`
 * (see the file header). Reads no row after asOf.
 *
 * @throws DataError when those rows are too few for the split, have gaps, or are too short to fit on.
 */
export async function selectAtOrigin(table: SeriesTable, region: number, asOf: number, options: SelectOptions): Promise<OriginSelection> {
  const single = regionUpTo(table, region, asOf);
  const key = cacheKey(single, options);
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return { ...(await hit), cached: true };
  }
  const pending = computeSelection(single, options);
  cache.set(key, pending);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  // A failed or stopped selection is not kept: the next request tries again.
  pending.catch(() => cache.delete(key));
  return { ...(await pending), cached: false };
}

/** Forget every cached selection (tests). */
export function clearSelectionCache(): void {
  cache.clear();
}

async function computeSelection(single: SeriesTable, o: SelectOptions): Promise<Omit<OriginSelection, "cached">> {
  const horizons = [...o.horizons].sort((a, b) => a - b);
  const e = await evaluateTransformer(single, single.regions[0], {
    pretrained: o.pretrained,
    config: o.config,
    horizons,
    strategy: o.strategy ?? "both",
    fit: { ...(o.fit ?? {}), ...(o.onEpoch ? { onEpoch: o.onEpoch } : {}), ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}) },
    transfer: false,
    seed: o.seed ?? 0,
    ...(o.hubSamples !== undefined ? { hubSamples: o.hubSamples } : {}),
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  if (o.shouldStop?.()) throw new DataError("selection stopped");
  const validationWisByHorizon: Record<string, number[]> = {};
  const validationWis: Record<string, number> = {};
  for (const m of SELECTABLE_METHODS) {
    const wis = e.validation[m]?.wis;
    if (wis === undefined || wis.some((w) => w === null)) continue;
    validationWisByHorizon[m] = wis as number[];
    validationWis[m] = (wis as number[]).reduce((a, b) => a + b, 0) / wis.length;
  }
  const method = e.selected.method as SelectableMethod;
  if (!(SELECTABLE_METHODS as readonly string[]).includes(method)) throw new DataError(`selection chose an unknown method "${method}"`);
  return {
    method,
    reason: e.selected.reason,
    rows: { origin: single.rows - 1, trainEnd: e.split.trainEnd, validEnd: e.split.validEnd },
    horizons,
    validationWis,
    validationWisByHorizon,
    weights: e.ensemble.weights,
    spreads: e.recalibrated.horizons.map((r) => r.spread),
  };
}

/** What `serveAtOrigin` returns: quantile rows for horizons 1 … H, and the selection when the method was auto. */
export interface ServedForecast {
  method: SelectableMethod;
  rows: Float64Array[];
  selection: OriginSelection | null;
}

/**
 * One region's forecast from row `asOf` by `method` ("auto": chosen by `selectAtOrigin` first), the networks
 * fitted on all rows up to asOf (early-stopping on their last 20%, as `forecast finetune` does): what `forecast
 * predict` serves without `--model`. Horizons 1 … config.horizon. Reads no row after asOf.
 */
export async function serveAtOrigin(
  base: LoadedCheckpoint,
  table: SeriesTable,
  region: number,
  asOf: number,
  method: SelectableMethod | "auto",
  options: Omit<SelectOptions, "pretrained" | "config" | "checkpointId" | "horizons"> = {},
): Promise<ServedForecast> {
  const config = base.manifest.config;
  const horizons = Array.from({ length: config.horizon }, (_, i) => i + 1);
  const selection =
    method === "auto" ? await selectAtOrigin(table, region, asOf, { ...options, pretrained: base.model, config, checkpointId: base.manifest.weightsSha256, horizons }) : null;
  const chosen = selection?.method ?? (method as SelectableMethod);
  const single = regionUpTo(table, region, asOf);
  const fitted = async (m: SelectableMethod): Promise<Float64Array[]> => {
    if (m === "hub-baseline") {
      const history = single.values[0];
      return horizons.map((h) => hubBaselineForecaster({ samples: options.hubSamples ?? 1000, seed: options.seed ?? 0 }).fit(null as never)(baselineInput(history, region, asOf, h)) as Float64Array);
    }
    if (m === "transformer-zero-shot") return forecastRegion(base.model, config, single, single.regions[0], asOf);
    const tuned = await finetuneOnTable(base, single, { ...(options.fit ?? {}), strategy: options.strategy ?? "both", seed: options.seed ?? 0, scratch: m === "transformer-scratch", ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}) });
    try {
      return forecastRegion(tuned.model, tuned.config, single, single.regions[0], asOf);
    } finally {
      tuned.model.dispose();
    }
  };
  // Auto serves the chosen method with the intervals recalibrated on the same validation rows; an explicitly
  // named method is served as it is (the spreads were chosen for the selected one).
  const served = (rows: Float64Array[]) => (selection ? spreadRows(rows, selection.spreads) : rows);
  if (chosen !== "ensemble") return { method: chosen, rows: served(await fitted(chosen)), selection };
  // Weights of an explicit "ensemble" come from a selection too: they are read off validation scores.
  const weightsFrom = selection ?? (await selectAtOrigin(table, region, asOf, { ...options, pretrained: base.model, config, checkpointId: base.manifest.weightsSha256, horizons }));
  const rows: Record<string, Float64Array[]> = {};
  for (const m of ENSEMBLE_MEMBERS) if (weightsFrom.weights[m]?.some((w) => w > 0)) rows[m] = await fitted(m);
  return { method: chosen, rows: served(combineQuantileRows(rows, weightsFrom.weights)), selection };
}

/** The protocol's input for the hub baseline at (region, origin, horizon): its whole history up to the origin. */
export function baselineInput(history: Float64Array, region: number, origin: number, horizon: number): ForecastInput {
  return { region, origin, horizon, window: history, history: () => history.slice(), scaling: { min: 0, max: 1, range: 1 } };
}
