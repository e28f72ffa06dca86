/**
 * Serving every region of a table at once (issue 11.3–11.4): what `forecast predict --region all` serves.
 *
 * `serveAtOrigin` (select.ts) forecasts one region and chooses its method on that region's rows alone, among
 * the univariate candidates. A table's regions together can do more — the cross-region network forecasts them
 * jointly — and `forecast evaluate` chooses among those candidates too. Here the choice is evaluate's, made on
 * the table's rows up to the origin: every region's rows [0, asOf] (and nothing after) go through
 * `evaluateTransformer` as `forecast evaluate` would take them (the Cola-GNN split of n = asOf + 1 rows, the
 * networks fitted on rows [0, ⌊0.5n⌋), every quantile candidate scored on the validation rows [⌊0.5n⌋, ⌊0.7n⌋),
 * the lowest mean validation WIS over horizons 1 … H selected, the spreads recalibrated on the same rows). The
 * chosen method — or each ensemble member with a weight — is then fitted on all rows up to asOf (early-stopping
 * on their last 20%, as `forecast finetune` does) and forecasts every region from asOf; auto spreads the result
 * as recalibrated. Rows [⌊0.7n⌋, n) take no part in the choice.
 *
 * Cost: evaluate's fits on half the history, then one fit per chosen network on the whole history (fit-tasks.ts
 * `serve`), both on `threads` worker threads (fit-pool.ts; the result does not depend on their number).
 */
import type { SeriesTable } from "../series-csv.js";
import { DataError } from "../errors.js";
import { hubBaselineForecaster } from "../hub-baseline.js";
import type { tf } from "./backend.js";
import type { LoadedCheckpoint } from "./checkpoint.js";
import { combineQuantileRows } from "./ensemble.js";
import { evaluateTransformer, type TransformerEvaluation } from "./evaluate.js";
import type { FitOptions } from "./fit.js";
import { predictQuantiles, seriesFromTable } from "./forecaster.js";
import { spreadRows } from "./recalibrate.js";
import { baselineInput, tableUpTo, type OriginSelection } from "./select.js";
import { runFitTasks } from "./fit-pool.js";
import { predictSpatialByOrigin } from "./spatial.js";
import { epochLine, type FinetuneStrategy } from "./train.js";

export { tableUpTo } from "./select.js";

/** What a table's regions can be forecast by: evaluate's quantile candidates. */
export const TABLE_METHODS = ["transformer", "transformer-scratch", "transformer-zero-shot", "transformer-spatial", "transformer-spatial-zero-shot", "hub-baseline", "ensemble"] as const;
export type TableMethod = (typeof TABLE_METHODS)[number];

/** The choice made on the table's validation rows, and why: a single region's selection (select.ts) with evaluate's candidates. */
export type TableSelection = Omit<OriginSelection, "method" | "cached" | "validationWisByHorizon"> & { method: TableMethod };

export interface TableForecast {
  method: TableMethod;
  /** The region names, in the table's order. */
  regions: string[];
  /** rows[r][h − 1]: region r's quantiles at horizon h (the checkpoint's levels). */
  rows: Float64Array[][];
  /** Set when the method was auto (or an ensemble, whose weights come from it). */
  selection: TableSelection | null;
}

export interface ServeTableOptions {
  /** The cross-region network and the regions' adjacency (row-major R × R, or null); without it the spatial methods are not candidates. */
  spatial?: { model: tf.LayersModel; adjacency: Float64Array | null };
  strategy?: FinetuneStrategy;
  fit?: Omit<FitOptions, "onEpoch" | "shouldStop">;
  seed?: number;
  hubSamples?: number;
  /** Threads the selection's networks train on (evaluate.ts `threads`; default 1). The result does not depend on it. */
  threads?: number;
  onEpoch?: FitOptions["onEpoch"];
  shouldStop?: () => boolean;
  log?: (line: string) => void;
}

/** The selection of `evaluateTransformer`'s result, as served. */
function selectionOf(e: TransformerEvaluation, origin: number): TableSelection {
  const validationWis: Record<string, number> = {};
  for (const m of TABLE_METHODS) {
    const wis = e.validation[m]?.wis;
    if (wis !== undefined && wis.every((w) => w !== null)) validationWis[m] = (wis as number[]).reduce((a, b) => a + b, 0) / wis.length;
  }
  const method = e.selected.method as TableMethod;
  if (!(TABLE_METHODS as readonly string[]).includes(method)) throw new DataError(`selection chose an unknown method "${method}"`);
  return {
    method,
    reason: e.selected.reason,
    rows: { origin, trainEnd: e.split.trainEnd, validEnd: e.split.validEnd },
    horizons: e.horizons,
    validationWis,
    weights: e.ensemble.weights,
    spreads: e.recalibrated.horizons.map((r) => r.spread),
  };
}

/**
 * Every region's forecast from row `asOf` by `method` ("auto": chosen on the table's validation rows first;
 * see the file header), horizons 1 … the checkpoint's horizon. Reads no row after asOf.
 *
 * @throws DataError when the rows up to asOf are too few for the split, have gaps, or name a spatial method
 *   without a cross-region network.
 */
export async function serveTableAtOrigin(base: LoadedCheckpoint, table: SeriesTable, asOf: number, method: TableMethod | "auto", options: ServeTableOptions = {}): Promise<TableForecast> {
  const config = base.manifest.config;
  const upTo = tableUpTo(table, asOf);
  const spatial = options.spatial && upTo.regions.length >= 2 ? options.spatial : undefined;
  if (method.startsWith("transformer-spatial") && !spatial) throw new DataError(`${method}: the cross-region network forecasts two or more regions together, with a spatial checkpoint`, { file: table.file });
  const horizons = Array.from({ length: config.horizon }, (_, i) => i + 1);
  const seed = options.seed ?? 0;
  const strategy = options.strategy ?? "both";
  const log = options.log ?? (() => {});
  let selection: TableSelection | null = null;
  if (method === "auto" || method === "ensemble") {
    const e = await evaluateTransformer(upTo, table.file ?? "table", {
      pretrained: base.model,
      config,
      horizons,
      strategy,
      fit: { ...(options.fit ?? {}), ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}), ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}) },
      transfer: false,
      seed,
      ...(spatial ? { spatial } : {}),
      ...(options.hubSamples !== undefined ? { hubSamples: options.hubSamples } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      log,
    });
    if (options.shouldStop?.()) throw new DataError("selection stopped");
    selection = selectionOf(e, asOf);
  }
  const chosen: TableMethod = method === "auto" ? selection!.method : method;
  const weights = selection?.weights;
  const members = (chosen === "ensemble" ? Object.keys(weights!).filter((m) => weights![m].some((w) => w > 0)) : [chosen]) as Exclude<TableMethod, "ensemble">[];
  // The networks that train, fitted on every row up to asOf on the pool (fit-tasks.ts `serve`), the longest first.
  const trained = (["transformer-spatial", "transformer", "transformer-scratch"] as const).filter((m) => members.includes(m));
  if (trained.length > 0) log(`fitting ${trained.join(", ")} on every row up to the origin, [0, ${upTo.rows}) (early stopping on their last 20%)`);
  const fits = await runFitTasks(
    // (A serving task scores nothing: its `window` is not read.)
    trained.map((kind) => ({ kind, table: upTo, config, horizons, window: 0, strategy, fit: { ...(options.fit ?? {}), seed }, trainEnd: upTo.rows, serve: true, ...(kind === "transformer-spatial" ? { adjacency: spatial!.adjacency } : {}) })),
    { pretrained: base.model, ...(spatial ? { spatial: spatial.model } : {}) },
    {
      threads: options.threads ?? 1,
      onEpoch: async (kind, e) => {
        log(`  [${kind}] ${epochLine(e)}`);
        await options.onEpoch?.(e);
      },
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    },
  );
  const forecastsOf = new Map<string, Float64Array[][]>(fits.map((r) => [r.kind, r.forecasts!]));
  const origins = upTo.regions.map((_, r) => ({ series: r, origin: asOf }));
  for (const m of members) {
    if (m === "hub-baseline") {
      const hub = hubBaselineForecaster({ samples: options.hubSamples ?? 1000, seed }).fit(null as never);
      forecastsOf.set(m, upTo.values.map((history, r) => horizons.map((h) => hub(baselineInput(history, r, asOf, h)) as Float64Array)));
    } else if (m === "transformer-zero-shot") {
      forecastsOf.set(m, predictQuantiles(base.model, config, seriesFromTable(upTo), origins));
    } else if (m === "transformer-spatial-zero-shot") {
      forecastsOf.set(m, predictSpatialByOrigin(spatial!.model, config, { series: seriesFromTable(upTo), adjacency: spatial!.adjacency, limit: upTo.rows }, [asOf]).get(asOf)!);
    }
  }
  let rows: Float64Array[][] =
    chosen === "ensemble"
      ? upTo.regions.map((_, r) => combineQuantileRows(Object.fromEntries(members.map((m) => [m, forecastsOf.get(m)![r]])), weights!))
      : forecastsOf.get(chosen)!;
  // Auto serves the chosen method with the intervals recalibrated on the same validation rows; a named method is served as it is.
  if (method === "auto") rows = rows.map((r) => spreadRows(r, selection!.spreads));
  return { method: chosen, regions: [...upTo.regions], rows, selection };
}
