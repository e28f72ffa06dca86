/**
 * Regional forecasting: every region of a series forecast from one as-of row, each classified as rising,
 * flat or falling over the horizon H, with the probability of rising, a backtest score, and the region graph
 * (region-graph.ts). Everything is computed from rows 0 … asOf only: rows after asOf can change nothing
 * (tests/forecast/regional.test.ts poisons them to check).
 *
 * Methods (quantiles at the hubs' 23 levels for horizons 1 … H):
 *   - `trend` (default): a damped log-linear trend around the hub baseline's spread. Median at horizon h =
 *     y · exp(b · (φ + φ² + … + φʰ)), b = least-squares slope of log(1 + y) over the last W = 4 observed weeks,
 *     φ = 0.8 (Gardner's damped trend); the other quantiles are the hub baseline's offsets from its median
 *     (every past week-to-week change, symmetrised; hub-baseline.ts) added to that median, truncated at 0.
 *     The hub baseline's median never moves (it is the last value), so with it every region would read
 *     "flat"; the trend's median moves with the recent growth rate. W and φ: see TREND_WINDOW below.
 *   - `baseline`: the hub baseline itself (flat median; its P(rising) still reflects the spread).
 *   - `transformer`: the bundled pretrained transformer (regional-transformer.ts), zero-shot, or fine-tuned
 *     per region on rows up to asOf (`finetune`).
 *   - `transformer-spatial`: the bundled cross-region transformer (regional-transformer.ts), zero-shot, all
 *     regions forecast together (with the adjacency file's links when one is given). "trend" stays the default: see README (Regional forecasts)
 *     for the backtests of the three methods.
 *
 * Trend of a region: relative change c = m_H / y − 1 of the median at H against the value y at asOf, compared
 * with a flat band β = the 1/3 quantile of |y_t / y_{t−H} − 1| over the past rows t ≤ asOf (a third of past
 * H-week changes were smaller than β): rising when c > β, falling when c < −β, flat otherwise.
 * P(rising) = P(Y_H > y·(1 + β)), read off the forecast's quantile function by linear interpolation between
 * levels (mass outside the 1% and 99% quantiles is put at those quantiles).
 *
 * Backtest per region: the method and the hub baseline forecast H weeks ahead from each of the last
 * `backtestOrigins` origins whose target is ≤ asOf; mean WIS of each and their ratio (< 1: better).
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { ForecastError } from "./errors.js";
import { hubBaselineQuantiles, DEFAULT_HUB_SAMPLES } from "./hub-baseline.js";
import { weightedIntervalScore } from "./metrics.js";
import { HUB_QUANTILE_LEVELS, intervalStructure, sampleQuantile } from "./quantiles.js";
import { correlationEdges, CORRELATION_NEIGHBOURS, type RegionEdge } from "./region-graph.js";
import type { SeriesTable } from "./series-csv.js";
import { spatialRegionalForecaster, transformerRegionalForecaster, type RegionalFinetuneStrategy } from "./regional-transformer.js";
import { formatWeek, nextWeek } from "./series-csv.js";

export type RegionalMethod = "trend" | "baseline" | "transformer" | "transformer-spatial";
/** The regional methods, in the order the API and the dashboard list them. */
export const REGIONAL_METHODS: readonly RegionalMethod[] = ["trend", "baseline", "transformer", "transformer-spatial"];
export type Trend = "rising" | "flat" | "falling";

/** Default horizon (weeks): the hubs' four-week-ahead target. */
export const DEFAULT_REGIONAL_HORIZON = 4;
/**
 * Weeks in the trend's slope fit and its damping. Chosen on region785 (10 regions, every other origin from
 * row 52, H = 4, 200 samples) by the share of origins whose class (rising / flat / falling) matches the one
 * observed H weeks later, over W ∈ {4, 6, 8} × φ ∈ {0.2 … 1}: W = 4, φ = 0.8 is best there (0.462; always
 * "flat", which is what the hub baseline gives, scores 0.387) and close to best on state360 (0.416, best
 * 0.436, flat 0.373). The price is paid in WIS: 1.35 × the hub baseline's on region785, where φ = 0.2 scores
 * 0.995 but calls 99.9% of origins flat. The view is about the direction, so the direction decided.
 * `trendValidation` below reproduces the table (README, Regional forecasts).
 */
export const TREND_WINDOW = 4;
export const TREND_DAMPING = 0.8;
/** Origins in the per-region backtest (half a year of weekly origins). */
export const DEFAULT_BACKTEST_ORIGINS = 26;
/** Share of past H-week changes inside the flat band. */
export const FLAT_BAND_QUANTILE = 1 / 3;

export interface RegionalOptions {
  /** The as-of row (default the last row). */
  asOf?: number;
  /** Horizon H in weeks (default 4): quantiles for 1 … H, trend at H. */
  horizon?: number;
  method?: RegionalMethod;
  /** `transformer` only: fine-tune per region on rows up to asOf (epochs 0 or absent: zero-shot). */
  finetune?: { epochs: number; strategy?: RegionalFinetuneStrategy };
  /** Monte Carlo sums per forecast (the hub baseline's spread). */
  samples?: number;
  seed?: number;
  /** Edges from an adjacency file; else correlation neighbours. */
  edges?: RegionEdge[];
  /** Backtest origins per region (0: no backtest). */
  backtestOrigins?: number;
  signal?: AbortSignal;
  /** Called after each region: regions done, of total. */
  onProgress?: (done: number, total: number) => void;
}

export interface RegionBacktest {
  origins: number;
  wis: number;
  baselineWis: number;
  relativeWis: number;
}

export interface RegionForecast {
  region: string;
  /** The value at asOf. */
  last: number;
  /** quantiles[h − 1]: the 23 quantiles at horizon h. */
  quantiles: number[][];
  median: number[];
  trend: Trend;
  /** m_H / y − 1 (Infinity when y = 0 and the median is above 0). */
  change: number;
  /** The flat band β. */
  band: number;
  pRising: number;
  pFalling: number;
  scores: RegionBacktest | null;
}

export interface RegionalForecast {
  method: RegionalMethod;
  /** `transformer` only: the per-region fine-tune, or null for zero-shot. */
  finetune?: { epochs: number; strategy: RegionalFinetuneStrategy } | null;
  asOf: { index: number; label: string };
  horizon: number;
  horizons: number[];
  /** Target row labels for horizons 1 … H (weeks for weekly series, "+h" otherwise). */
  targets: string[];
  levels: number[];
  regions: RegionForecast[];
  edges: RegionEdge[];
  adjacency: "file" | "correlation";
  samples: number;
  seed: number;
}

/** The slope of log(1 + y) per week by least squares over the last `window` observed values of `history`. */
export function logSlope(history: ArrayLike<number>, window: number = TREND_WINDOW): number {
  let n = 0;
  let st = 0;
  let sy = 0;
  let stt = 0;
  let sty = 0;
  for (let t = history.length - 1; t >= 0 && n < window; t--) {
    const v = history[t];
    if (!Number.isFinite(v)) continue;
    const y = Math.log1p(Math.max(0, v));
    n++;
    st += t;
    sy += y;
    stt += t * t;
    sty += t * y;
  }
  const d = n * stt - st * st;
  return n >= 2 && d > 0 ? (n * sty - st * sy) / d : 0;
}

/** Damped-trend quantiles for horizon h (see the header). */
export function trendQuantiles(history: ArrayLike<number>, horizon: number, options: { samples?: number; seed?: number; stream?: number; window?: number; damping?: number } = {}): Float64Array {
  // The baseline's offsets from its median, exact: on the history shifted up by more than any sum of h
  // changes can fall, nothing is truncated at 0 (differences, hence the offsets, do not change).
  let maxChange = 0;
  for (let t = 1; t < history.length; t++) {
    const d = Math.abs(history[t] - history[t - 1]);
    if (Number.isFinite(d) && d > maxChange) maxChange = d;
  }
  const shift = horizon * maxChange + 1;
  const shifted = Float64Array.from(history as ArrayLike<number>, (v) => v + shift);
  const base = hubBaselineQuantiles(shifted, horizon, { samples: options.samples, seed: options.seed, stream: options.stream });
  const last = history[history.length - 1];
  const phi = options.damping ?? TREND_DAMPING;
  let steps = 0;
  for (let k = 1, p = phi; k <= horizon; k++, p *= phi) steps += p;
  const median = (1 + last) * Math.exp(logSlope(history, options.window) * steps) - 1;
  const { median: mi } = intervalStructure(HUB_QUANTILE_LEVELS);
  const centre = base[mi];
  const out = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) out[i] = Math.max(0, median + (base[i] - centre));
  return out;
}

/** P(Y ≤ x) from ascending quantiles at `levels`, linear between levels, mass beyond the ends at the ends. */
export function cdfFromQuantiles(q: ArrayLike<number>, levels: readonly number[], x: number): number {
  const L = levels.length;
  if (x < q[0]) return 0;
  if (x >= q[L - 1]) return 1;
  let i = 0;
  while (i + 1 < L && q[i + 1] <= x) i++;
  // q[i] ≤ x < q[i + 1]
  return levels[i] + ((levels[i + 1] - levels[i]) * (x - q[i])) / (q[i + 1] - q[i]);
}

/** The flat band β: the 1/3 quantile of |y_t / y_{t−H} − 1| over t ≤ the end of `history`. */
export function flatBand(history: ArrayLike<number>, horizon: number): number {
  const changes: number[] = [];
  for (let t = horizon; t < history.length; t++) {
    const a = history[t - horizon];
    const b = history[t];
    if (Number.isFinite(a) && Number.isFinite(b) && a > 0) changes.push(Math.abs(b / a - 1));
  }
  if (changes.length === 0) throw new ForecastError(`no past ${horizon}-week change with a positive starting value up to asOf: the flat band is undefined.`);
  changes.sort((x, y) => x - y);
  return sampleQuantile(changes, FLAT_BAND_QUANTILE);
}

/** Rising / flat / falling and the probabilities, from the H-week quantiles. */
export function classifyTrend(last: number, quantilesH: ArrayLike<number>, band: number, levels: readonly number[] = HUB_QUANTILE_LEVELS): { trend: Trend; change: number; pRising: number; pFalling: number } {
  const m = quantilesH[intervalStructure(levels).median];
  const change = last > 0 ? m / last - 1 : m > 0 ? Infinity : 0;
  const trend: Trend = change > band ? "rising" : change < -band ? "falling" : "flat";
  const up = last * (1 + band);
  const down = last * (1 - band);
  const pRising = 1 - cdfFromQuantiles(quantilesH, levels, up);
  // P(Y < down): the CDF just below `down` (equal to it under interpolation).
  const pFalling = down <= 0 ? 0 : cdfFromQuantiles(quantilesH, levels, down);
  return { trend, change, pRising, pFalling };
}

/** The Monte Carlo stream of a (region, origin, horizon) forecast: the same cells draw the same sums in every method and check. */
export function streamOf(region: number, origin: number, horizon: number): number {
  return ((region * 1048576 + origin * 32 + horizon) >>> 0) % 2147483647;
}

/** The last `count` origins t (≥ 1, t + H ≤ asOf, both values observed), newest first. */
function backtestOriginsOf(values: Float64Array, asOf: number, H: number, count: number): number[] {
  const out: number[] = [];
  for (let t = asOf - H; t >= 1 && out.length < count; t--) if (Number.isFinite(values[t]) && Number.isFinite(values[t + H])) out.push(t);
  return out;
}

/**
 * Mean WIS of the method's horizon-H forecasts (`methodAt(t)`, null: not scored) and the hub baseline's on
 * the same origins, and their ratio.
 */
function backtest(values: Float64Array, region: number, origins: readonly number[], H: number, samples: number, seed: number, methodAt: (t: number, history: Float64Array, stream: number, hub: Float64Array) => Float64Array | null): RegionBacktest | null {
  let wis = 0;
  let base = 0;
  let n = 0;
  for (const t of origins) {
    const history = values.subarray(0, t + 1);
    const stream = streamOf(region, t, H);
    const b = hubBaselineQuantiles(history, H, { samples, seed, stream });
    const m = methodAt(t, history, stream, b);
    if (m === null) continue;
    const y = values[t + H];
    wis += weightedIntervalScore(y, m);
    base += weightedIntervalScore(y, b);
    n++;
  }
  if (n === 0) return null;
  return { origins: n, wis: wis / n, baselineWis: base / n, relativeWis: base > 0 ? wis / base : NaN };
}

function rowLabel(table: SeriesTable, row: number): string {
  return table.weeks ? formatWeek(table.weeks[row]) : table.dates ? table.dates[row] : String(row);
}

/**
 * Forecasts every region of `table` from row asOf (default the last). Yields to the event loop between
 * regions, stopping there when `signal` is aborted.
 * @throws ForecastError for an asOf outside the table, a horizon < 1, a region without an observed value at
 * asOf or without a past H-week change.
 */
export async function forecastRegions(table: SeriesTable, options: RegionalOptions = {}): Promise<RegionalForecast> {
  const asOf = options.asOf ?? table.rows - 1;
  const H = options.horizon ?? DEFAULT_REGIONAL_HORIZON;
  const method = options.method ?? "trend";
  const samples = options.samples ?? DEFAULT_HUB_SAMPLES;
  const seed = options.seed ?? 0;
  const origins0 = options.backtestOrigins ?? DEFAULT_BACKTEST_ORIGINS;
  if (!Number.isInteger(asOf) || asOf < 1 || asOf >= table.rows) throw new ForecastError(`asOf must be a row in 1 … ${table.rows - 1}, got ${asOf}.`);
  if (!Number.isInteger(H) || H < 1) throw new ForecastError(`horizon must be a positive integer, got ${H}.`);
  const finetuneEpochs = method === "transformer" ? (options.finetune?.epochs ?? 0) : 0;
  const network =
    method === "transformer"
      ? await transformerRegionalForecaster(table, asOf, H, { epochs: finetuneEpochs, strategy: options.finetune?.strategy, seed, signal: options.signal })
      : method === "transformer-spatial"
        ? await spatialRegionalForecaster(table, asOf, H, options.edges ?? null)
        : null;
  const regions: RegionForecast[] = [];
  for (let r = 0; r < table.regions.length; r++) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error("stopped");
    const name = table.regions[r];
    const history = table.values[r].slice(0, asOf + 1);
    const last = history[asOf];
    if (!Number.isFinite(last)) throw new ForecastError(`region "${name}" has no value at asOf (row ${asOf}, ${rowLabel(table, asOf)}).`);
    let band: number;
    try {
      band = flatBand(history, H);
    } catch (e) {
      throw new ForecastError(`region "${name}": ${(e as Error).message}`);
    }
    const origins = origins0 > 0 ? backtestOriginsOf(history, asOf, H, origins0) : [];
    let quantiles: number[][] = [];
    let methodAt: Parameters<typeof backtest>[6];
    if (network) {
      const out = await network.region(r, origins);
      quantiles = out.quantiles.map((q) => Array.from(q));
      methodAt = (t) => out.backtest.get(t) ?? null;
    } else {
      for (let h = 1; h <= H; h++) {
        const stream = streamOf(r, asOf, h);
        quantiles.push(Array.from(method === "trend" ? trendQuantiles(history, h, { samples, seed, stream }) : hubBaselineQuantiles(history, h, { samples, seed, stream })));
      }
      methodAt = (_t, past, stream, hub) => (method === "baseline" ? hub : trendQuantiles(past, H, { samples, seed, stream }));
    }
    const mi = intervalStructure(HUB_QUANTILE_LEVELS).median;
    const cls = classifyTrend(last, quantiles[H - 1], band);
    regions.push({
      region: name,
      last,
      quantiles,
      median: quantiles.map((q) => q[mi]),
      band,
      ...cls,
      scores: origins0 > 0 ? backtest(history, r, origins, H, samples, seed, methodAt) : null,
    });
    options.onProgress?.(r + 1, table.regions.length);
    await nextTurn();
  }
  const targets: string[] = [];
  if (table.weeks) {
    let w = table.weeks[asOf];
    for (let h = 1; h <= H; h++) targets.push(formatWeek((w = nextWeek(w))));
  } else for (let h = 1; h <= H; h++) targets.push(`+${h}`);
  return {
    method,
    ...(method === "transformer" ? { finetune: finetuneEpochs > 0 ? { epochs: finetuneEpochs, strategy: options.finetune?.strategy ?? "both" } : null } : {}),
    asOf: { index: asOf, label: rowLabel(table, asOf) },
    horizon: H,
    horizons: Array.from({ length: H }, (_, i) => i + 1),
    targets,
    levels: [...HUB_QUANTILE_LEVELS],
    regions,
    edges: options.edges ?? correlationEdges(table.regions, table.values, asOf, CORRELATION_NEIGHBOURS),
    adjacency: options.edges ? "file" : "correlation",
    samples,
    seed,
  };
}

/** The forecasts in the hubs' long CSV format: location, target (the target row), horizon, quantile level, value. */
export function regionalHubCsv(result: { regions: readonly { region: string; quantiles: number[][] }[]; targets: readonly string[]; levels: readonly number[] }): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ["location,target,horizon,quantile,value"];
  for (const r of result.regions) {
    r.quantiles.forEach((q, k) => {
      q.forEach((v, i) => lines.push(`${quote(r.region)},${result.targets[k]},${k + 1},${result.levels[i]},${Number(v.toPrecision(10))}`));
    });
  }
  return lines.join("\n") + "\n";
}

/**
 * How TREND_WINDOW and TREND_DAMPING were chosen: for each (W, φ), over every `step`-th origin from row 52
 * (a year of history) to the last with a target, the share of (region, origin) pairs whose class matches the
 * class of the change observed H weeks later, and the mean WIS relative to the hub baseline on the same cells.
 * φ = 0 never moves the median: the hub baseline's classes (always flat).
 */
export function trendValidation(
  table: SeriesTable,
  grid: readonly { window: number; damping: number }[],
  options: { horizon?: number; step?: number; samples?: number } = {},
): { window: number; damping: number; accuracy: number; relativeWis: number; counts: Record<Trend, number> }[] {
  const H = options.horizon ?? DEFAULT_REGIONAL_HORIZON;
  const step = options.step ?? 2;
  const samples = options.samples ?? 200;
  return grid.map(({ window, damping }) => {
    let hits = 0;
    let n = 0;
    let wis = 0;
    let base = 0;
    const counts: Record<Trend, number> = { rising: 0, flat: 0, falling: 0 };
    table.values.forEach((v, r) => {
      for (let t = 52; t + H < table.rows; t += step) {
        const y = v[t + H];
        const last = v[t];
        if (!Number.isFinite(y) || !Number.isFinite(last)) continue;
        const history = v.subarray(0, t + 1);
        let band: number;
        try {
          band = flatBand(history, H);
        } catch {
          continue;
        }
        const stream = streamOf(r, t, H);
        const q = trendQuantiles(history, H, { samples, stream, window, damping });
        const { trend } = classifyTrend(last, q, band);
        const change = last > 0 ? y / last - 1 : 0;
        const truth: Trend = change > band ? "rising" : change < -band ? "falling" : "flat";
        counts[trend]++;
        if (trend === truth) hits++;
        n++;
        wis += weightedIntervalScore(y, q);
        base += weightedIntervalScore(y, hubBaselineQuantiles(history, H, { samples, stream }));
      }
    });
    return { window, damping, accuracy: n > 0 ? hits / n : NaN, relativeWis: base > 0 ? wis / base : NaN, counts };
  });
}
