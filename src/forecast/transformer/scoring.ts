/**
 * Scoring a network the way `evaluate` does: one forecast per (region, origin), each reading rows up to its
 * origin only, scored per horizon through the protocol's own evaluator (../protocol.ts) on the splits asked for.
 */
import { evaluateQuantileForecaster, splitBoundaries, type QuantileEvaluation, type Split } from "../protocol.js";
import type { SeriesTable } from "../series-csv.js";
import { DataError } from "../errors.js";
import type { tf } from "./backend.js";
import type { TransformerConfig } from "./model.js";
import { predictQuantiles, seriesFromTable } from "./forecaster.js";
import { predictSpatialByOrigin, type RegionSet } from "./spatial.js";
import type { Pick } from "./windows.js";
import { intervalFor } from "../quantiles.js";

/** Every (region, origin) the cells of these horizons forecast from, from the first `from`-row target on. */
function forecastPicks(table: SeriesTable, from: number, horizons: readonly number[]): Pick[] {
  const maxH = Math.max(...horizons);
  const picks: Pick[] = [];
  for (let r = 0; r < table.values.length; r++) for (let o = Math.max(0, from - maxH); o < table.rows - 1; o++) picks.push({ series: r, origin: o });
  return picks;
}

/** The network's quantiles for each (region, origin) of a table, as evaluate scores them: each reads rows ≤ its origin. */
export function networkForecasts(model: tf.LayersModel, config: TransformerConfig, table: SeriesTable, picks: readonly Pick[]): Float64Array[][] {
  return predictQuantiles(model, config, seriesFromTable(table), picks);
}

/**
 * Scores a fitted network per horizon, through the protocol's own evaluator, on each of `splits` (test rows
 * by default; "validation" for the rows selection is made on). One prediction per (region, origin), each
 * reading rows up to its origin only.
 */
export function scoreNetworkSplits(
  model: tf.LayersModel,
  config: TransformerConfig,
  table: SeriesTable,
  horizons: readonly number[],
  window: number,
  splits: readonly Split[] = ["test"],
): Record<Split, QuantileEvaluation[]> {
  return scoreForecastSplits(config, table, horizons, window, splits, (picks) => networkForecasts(model, config, table, picks));
}

/**
 * Scores any forecaster of (region, origin) picks — `forecastsFor(picks)[i][h − 1]` the quantiles of pick i at
 * horizon h, each reading rows up to its origin only — per horizon through the protocol's evaluator.
 */
export function scoreForecastSplits(
  config: TransformerConfig,
  table: SeriesTable,
  horizons: readonly number[],
  window: number,
  splits: readonly Split[],
  forecastsFor: (picks: readonly Pick[]) => Float64Array[][],
): Record<Split, QuantileEvaluation[]> {
  const beyond = horizons.filter((h) => h > config.horizon);
  if (beyond.length > 0) throw new DataError(`horizon ${beyond.join(", ")} is beyond the model's ${config.horizon} weeks.`);
  const b = splitBoundaries(table.rows, window, Math.max(...horizons));
  const picks = forecastPicks(table, splits.includes("train") ? 0 : splits.includes("validation") ? b.trainEnd : b.validEnd, horizons);
  const forecasts = forecastsFor(picks);
  const lookup = new Map<number, Float64Array[]>();
  picks.forEach((p, i) => lookup.set(p.series * table.rows + p.origin, forecasts[i]));
  const out = {} as Record<Split, QuantileEvaluation[]>;
  for (const split of splits) {
    out[split] = horizons.map((h) => evaluateQuantileForecaster(table, h, (input) => lookup.get(input.region * table.rows + input.origin)![h - 1], { window, split }));
  }
  return out;
}

/** The cross-region network's quantiles for (region, origin) picks: all regions of an origin in one pass (spatial.ts). */
export function spatialForecasts(model: tf.LayersModel, config: TransformerConfig, set: RegionSet, picks: readonly Pick[]): Float64Array[][] {
  const byOrigin = predictSpatialByOrigin(model, config, set, picks.map((p) => p.origin));
  return picks.map((p) => byOrigin.get(p.origin)![p.series]);
}

/**
 * Scores the cross-region network per horizon on each of `splits`: every origin's forecasts from all the regions'
 * rows up to it (the `adjacency`, row-major R × R, or null).
 */
export function scoreSpatialSplits(
  model: tf.LayersModel,
  config: TransformerConfig,
  table: SeriesTable,
  adjacency: Float64Array | null,
  horizons: readonly number[],
  window: number,
  splits: readonly Split[],
): Record<Split, QuantileEvaluation[]> {
  const everything: RegionSet = { series: seriesFromTable(table), adjacency, limit: table.rows };
  return scoreForecastSplits(config, table, horizons, window, splits, (picks) => spatialForecasts(model, config, everything, picks));
}

/** Scores a fitted network on the test split, per horizon, through the protocol's own evaluator. */
export function scoreNetwork(model: tf.LayersModel, config: TransformerConfig, table: SeriesTable, horizons: readonly number[], window: number): QuantileEvaluation[] {
  return scoreNetworkSplits(model, config, table, horizons, window, ["test"]).test;
}

/** One region's scores over the cells of every horizon of a split (`scoresByRegion`). */
export interface RegionScores {
  region: string;
  /** Mean WIS of the method, and of the hub baseline on the same cells. */
  wis: number;
  hubWis: number;
  /** wis / hubWis (below 1: better than the hub baseline); null when the hub baseline's WIS is 0. */
  relativeWis: number | null;
  /** Shares of the cells inside the method's central 50% and 95% intervals. */
  coverage50: number;
  coverage95: number;
}

/**
 * Per region of the table, the scores of `method` and of the hub baseline (`hub`), each one evaluation per
 * horizon on the same split, pooled over the horizons' cells (the protocol's cells are row-major: target row,
 * then region, so cell i is region i mod R).
 */
export function scoresByRegion(regions: readonly string[], method: readonly QuantileEvaluation[], hub: readonly QuantileEvaluation[]): RegionScores[] {
  const R = regions.length;
  const sum = regions.map(() => ({ wis: 0, hub: 0, in50: 0, in95: 0, cells: 0 }));
  method.forEach((e, k) => {
    const b = hub[k];
    if (b === undefined || b.horizon !== e.horizon || b.wis.length !== e.wis.length || e.wis.length % R !== 0) throw new Error(`scoresByRegion: horizon ${e.horizon}: ${e.wis.length} cells for ${R} regions, the hub baseline's ${b?.wis.length ?? "missing"}`);
    const i50 = intervalFor(0.5, e.levels);
    const i95 = intervalFor(0.95, e.levels);
    for (let i = 0; i < e.wis.length; i++) {
      const s = sum[i % R];
      const y = e.observed[i];
      const q = e.quantiles[i];
      s.wis += e.wis[i];
      s.hub += b.wis[i];
      if (q[i50.lower] <= y && y <= q[i50.upper]) s.in50++;
      if (q[i95.lower] <= y && y <= q[i95.upper]) s.in95++;
      s.cells++;
    }
  });
  return regions.map((region, r) => {
    const s = sum[r];
    const n = Math.max(1, s.cells);
    return { region, wis: s.wis / n, hubWis: s.hub / n, relativeWis: s.hub > 0 ? s.wis / s.hub : null, coverage50: s.in50 / n, coverage95: s.in95 / n };
  });
}
