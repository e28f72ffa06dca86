/**
 * The evaluation protocol of the Cola-GNN / EpiGNN benchmarks (Deng, Wang, Rangwala, Wang & Ning 2020,
 * "Cola-GNN: Cross-location attention based graph neural networks for long-term ILI prediction", CIKM;
 * Xie et al. 2022, EpiGNN), reference code amy-deng/colagnn `src/data.py` (`DataBasicLoader`):
 *
 * - n weekly rows, split in time order. trainEnd = ⌊0.5·n⌋ and validEnd = ⌊(0.5 + 0.2)·n⌋, both evaluated in
 *   binary floating point exactly as the reference code's `int(args.train * n)` and
 *   `int((args.train + args.val) * n)`: for n = 360, (0.5 + 0.2)·360 = 251.99999999999997, so validEnd = 251,
 *   not 252, and the published numbers for state360 depend on that (with 252, persistence would score
 *   151 / 192 / 246 / 362 / 431 and same-week-last-year 308, not the printed 151 / 191 / 245 / 361 / 429
 *   and 307). For n = 785 both readings give 549.
 * - Target rows (0-based): training t ∈ [P + h − 1, trainEnd), validation t ∈ [trainEnd, validEnd), test
 *   t ∈ [validEnd, n) — every upper bound exclusive (Python `range`). The target at row t is predicted from
 *   the window of rows t − h − P + 1 … t − h (P = 20 rows; the last observed row t − h is the "origin").
 * - Per-region min–max scaling from the training rows [0, trainEnd) only (range 1 where a region is constant
 *   there). (The reference code takes min/max over the first training window and the training targets, which
 *   skips rows P … P + h − 2: identical statistics on region785; on state360 the ridge test RMSE moves by
 *   ≤ 0.14%. Persistence and same-week-last-year do not depend on the scaling.)
 * - RMSE, MAE, PCC over all test cells (weeks × regions) flattened, in original units.
 *
 * Leakage is impossible by construction: a forecaster is fitted on a `TrainingPeriod` holding copies of the
 * training rows only, and its predict function receives a `ForecastInput` — copies of the window and, on
 * request, of the history up to the origin — never the target or any later row.
 */
import { DataError, ForecastError } from "./errors.js";
import { formatWeek, type SeriesTable } from "./series-csv.js";
import { intervalCoverage, mae, pearson, rmse, weightedIntervalScore } from "./metrics.js";
import { HUB_QUANTILE_LEVELS, intervalStructure, sortQuantiles } from "./quantiles.js";

/** The published protocol's constants. */
export const COLA_GNN_PROTOCOL = Object.freeze({
  window: 20,
  horizons: Object.freeze([2, 3, 5, 10, 15]) as readonly number[],
  trainFraction: 0.5,
  validationFraction: 0.2,
});

export type Split = "train" | "validation" | "test";

/** Row boundaries of the split for a series of n rows, window P and horizon h (all upper bounds exclusive). */
export interface SplitBoundaries {
  n: number;
  window: number;
  horizon: number;
  /** First training target row, P + h − 1. */
  firstTarget: number;
  /** ⌊0.5·n⌋: end of the training rows (and start of validation targets). */
  trainEnd: number;
  /** ⌊(0.5 + 0.2)·n⌋ in floating point: end of validation, start of test targets. */
  validEnd: number;
}

function checkPositiveInteger(x: number, what: string): void {
  if (!Number.isInteger(x) || x < 1) throw new ForecastError(`${what} must be a positive integer, got ${String(x)}.`);
}

/** The split boundaries; throws DataError when a split would be empty. */
export function splitBoundaries(n: number, P: number = COLA_GNN_PROTOCOL.window, h: number, file?: string): SplitBoundaries {
  checkPositiveInteger(n, "the number of rows n");
  checkPositiveInteger(P, "the window P");
  checkPositiveInteger(h, "the horizon h");
  const { trainFraction, validationFraction } = COLA_GNN_PROTOCOL;
  const trainEnd = Math.floor(trainFraction * n);
  const validEnd = Math.floor((trainFraction + validationFraction) * n);
  const firstTarget = P + h - 1;
  if (firstTarget >= trainEnd || validEnd <= trainEnd || n <= validEnd) {
    throw new DataError(
      `a series of ${n} rows is too short for window ${P} and horizon ${h}: training targets would run over rows ` +
        `[${firstTarget}, ${trainEnd}), validation [${trainEnd}, ${validEnd}), test [${validEnd}, ${n}); ` +
        `it needs more than ${2 * firstTarget + 1} rows`,
      { file },
    );
  }
  return { n, window: P, horizon: h, firstTarget, trainEnd, validEnd };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

/** Target rows of each split: train [P + h − 1, ⌊0.5n⌋), validation [⌊0.5n⌋, ⌊0.7n⌋), test [⌊0.7n⌋, n). */
export function splitIndices(n: number, P: number, h: number): { train: number[]; validation: number[]; test: number[] } {
  const b = splitBoundaries(n, P, h);
  return { train: range(b.firstTarget, b.trainEnd), validation: range(b.trainEnd, b.validEnd), test: range(b.validEnd, n) };
}

/** Per-region min–max statistics of the training rows. */
export interface MinMaxScaling {
  min: Float64Array;
  max: Float64Array;
  /** max − min, or 1 where a region is constant over the training rows. */
  range: Float64Array;
}

/** Min–max statistics of rows [0, rows) of each region (NaN cells ignored). */
export function minMaxScaling(values: readonly Float64Array[], rows: number): MinMaxScaling {
  const m = values.length;
  const s: MinMaxScaling = { min: new Float64Array(m), max: new Float64Array(m), range: new Float64Array(m) };
  for (let r = 0; r < m; r++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = 0; t < rows; t++) {
      const v = values[r][t];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    s.min[r] = lo;
    s.max[r] = hi;
    s.range[r] = hi > lo ? hi - lo : 1;
  }
  return s;
}

/** What a forecaster may learn from: copies of the training rows and their scaling statistics. */
export interface TrainingPeriod {
  regions: readonly string[];
  window: number;
  horizon: number;
  /** values[r]: rows [0, trainEnd) of region r (copies). */
  values: Float64Array[];
  /** Training target rows, P + h − 1 … trainEnd − 1. */
  targets: number[];
  scaling: MinMaxScaling;
}

/** What a predict function sees for one cell: nothing after the origin row t − h. */
export interface ForecastInput {
  region: number;
  /** The last observed row, t − h. */
  origin: number;
  horizon: number;
  /** Rows origin − P + 1 … origin of this region (a copy), original units. */
  window: Float64Array;
  /** Rows 0 … origin of this region (a fresh copy on each call). */
  history(): Float64Array;
  /** This region's training-period statistics. */
  scaling: { min: number; max: number; range: number };
}

export type PointPredict = (input: ForecastInput) => number;
export type QuantilePredict = (input: ForecastInput) => ArrayLike<number>;

/** A forecaster fitted once per (dataset, horizon) on the training period. */
export interface Forecaster<P> {
  name: string;
  fit(training: TrainingPeriod): P;
}
export type PointForecaster = Forecaster<PointPredict>;
export type QuantileForecaster = Forecaster<QuantilePredict>;

export interface ProtocolOptions {
  /** Input window P (default 20). */
  window?: number;
  /** Which targets to score (default "test"). */
  split?: Split;
}

/** Throws DataError unless every cell of the series is a number: the protocol has no rule for missing weeks. */
export function requireComplete(dataset: SeriesTable): void {
  for (let r = 0; r < dataset.values.length; r++) {
    const t = dataset.values[r].findIndex((v) => !Number.isFinite(v));
    if (t >= 0) {
      const when = dataset.weeks ? ` (${formatWeek(dataset.weeks[t])})` : dataset.dates ? ` (${dataset.dates[t]})` : "";
      throw new DataError(`region "${dataset.regions[r]}" has no value at row ${t}${when}; the evaluation protocol needs complete series`, { file: dataset.file });
    }
  }
}

/** The training period of a dataset for window P and horizon h: copies of rows [0, ⌊0.5n⌋) only. */
export function trainingPeriod(dataset: SeriesTable, h: number, P: number = COLA_GNN_PROTOCOL.window): TrainingPeriod {
  const b = splitBoundaries(dataset.rows, P, h, dataset.file);
  const values = dataset.values.map((v) => v.slice(0, b.trainEnd));
  return {
    regions: [...dataset.regions],
    window: P,
    horizon: h,
    values,
    targets: range(b.firstTarget, b.trainEnd),
    scaling: minMaxScaling(values, b.trainEnd),
  };
}

/** Fits the forecaster and calls `visit` with each scored cell's input and its target, in row-major order. */
function runProtocol<P>(
  dataset: SeriesTable,
  h: number,
  forecaster: Forecaster<P> | P,
  options: ProtocolOptions,
  visit: (predict: P, input: ForecastInput, observed: number) => void,
): { boundaries: SplitBoundaries; targetRows: number[] } {
  requireComplete(dataset);
  const P = options.window ?? COLA_GNN_PROTOCOL.window;
  const training = trainingPeriod(dataset, h, P);
  const boundaries = splitBoundaries(dataset.rows, P, h, dataset.file);
  const targetRows = splitIndices(dataset.rows, P, h)[options.split ?? "test"];
  const predict = typeof forecaster === "function" ? forecaster : (forecaster as Forecaster<P>).fit(training);
  const { min, max, range: span } = training.scaling;
  for (const t of targetRows) {
    const origin = t - h;
    for (let r = 0; r < dataset.values.length; r++) {
      const series = dataset.values[r];
      const input: ForecastInput = {
        region: r,
        origin,
        horizon: h,
        window: series.slice(origin - P + 1, origin + 1),
        history: () => series.slice(0, origin + 1),
        scaling: { min: min[r], max: max[r], range: span[r] },
      };
      visit(predict, input, series[t]);
    }
  }
  return { boundaries, targetRows };
}

/** Scores of a point forecaster on one split; cells are row-major (target row, then region). */
export interface PointEvaluation {
  horizon: number;
  split: Split;
  boundaries: SplitBoundaries;
  targetRows: number[];
  observed: Float64Array;
  predicted: Float64Array;
  rmse: number;
  mae: number;
  pcc: number;
}

/**
 * Runs the protocol for one horizon: fits `forecaster` on the training period (or uses a plain predict
 * function as is), predicts every target cell of the split from its window, and scores all cells flattened.
 */
export function evaluatePointForecaster(
  dataset: SeriesTable,
  h: number,
  forecaster: PointForecaster | PointPredict,
  options: ProtocolOptions = {},
): PointEvaluation {
  const observed: number[] = [];
  const predicted: number[] = [];
  const name = typeof forecaster === "function" ? "predict" : forecaster.name;
  const { boundaries, targetRows } = runProtocol(dataset, h, forecaster, options, (predict, input, y) => {
    const p = predict(input);
    if (!Number.isFinite(p)) throw new ForecastError(`${name} returned ${String(p)} for region ${input.region} at origin row ${input.origin}; expected a finite number.`);
    observed.push(y);
    predicted.push(p);
  });
  const o = Float64Array.from(observed);
  const p = Float64Array.from(predicted);
  return { horizon: h, split: options.split ?? "test", boundaries, targetRows, observed: o, predicted: p, rmse: rmse(o, p), mae: mae(o, p), pcc: pearson(o, p) };
}

/** Scores of a quantile forecaster on one split; cells row-major as in `PointEvaluation`. */
export interface QuantileEvaluation extends PointEvaluation {
  levels: readonly number[];
  /** Rearranged (ascending) quantiles per cell. */
  quantiles: Float64Array[];
  /** WIS per cell. */
  wis: Float64Array;
  meanWis: number;
  /** Fractions of cells inside the central 50% and 95% intervals. */
  coverage50: number;
  coverage95: number;
}

/**
 * Runs the protocol for a quantile forecaster: each forecast (`levels`, default the 23 hub levels) is
 * rearranged by sorting before scoring; point scores (`predicted`, RMSE, MAE, PCC) are those of the median.
 */
export function evaluateQuantileForecaster(
  dataset: SeriesTable,
  h: number,
  forecaster: QuantileForecaster | QuantilePredict,
  options: ProtocolOptions & { levels?: readonly number[] } = {},
): QuantileEvaluation {
  const levels = options.levels ?? HUB_QUANTILE_LEVELS;
  const { median } = intervalStructure(levels);
  const observed: number[] = [];
  const quantiles: Float64Array[] = [];
  const name = typeof forecaster === "function" ? "predict" : forecaster.name;
  const { boundaries, targetRows } = runProtocol(dataset, h, forecaster, options, (predict, input, y) => {
    const q = sortQuantiles(predict(input));
    if (q.length !== levels.length || !q.every(Number.isFinite)) {
      throw new ForecastError(`${name} returned ${q.length} quantiles for region ${input.region} at origin row ${input.origin}; expected ${levels.length} finite numbers.`);
    }
    observed.push(y);
    quantiles.push(q);
  });
  const o = Float64Array.from(observed);
  const p = Float64Array.from(quantiles, (q) => q[median]);
  const wis = Float64Array.from(quantiles, (q, i) => weightedIntervalScore(o[i], q, levels));
  return {
    horizon: h,
    split: options.split ?? "test",
    boundaries,
    targetRows,
    observed: o,
    predicted: p,
    rmse: rmse(o, p),
    mae: mae(o, p),
    pcc: pearson(o, p),
    levels,
    quantiles,
    wis,
    meanWis: wis.reduce((a, b) => a + b, 0) / wis.length,
    coverage50: intervalCoverage(o, quantiles, 0.5, levels),
    coverage95: intervalCoverage(o, quantiles, 0.95, levels),
  };
}
