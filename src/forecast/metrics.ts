/**
 * Forecast scores.
 * - Point: RMSE, MAE and Pearson correlation (PCC) over all cells (weeks × regions) flattened together, as in
 *   the Cola-GNN evaluation (Deng et al., CIKM 2020).
 * - Quantile: pinball loss, the weighted interval score (Bracher, Ray, Gneiting & Reich 2021, "Evaluating
 *   epidemic forecasts in an interval format", PLoS Comput Biol 17(2)):
 *     WIS = [½·|y − m| + Σₖ (αₖ/2)·IS_αₖ] / (K + ½),
 *     IS_α = (u − l) + (2/α)(l − y)·1{y < l} + (2/α)(y − u)·1{y > u},
 *   which equals Σ over the 2K + 1 levels of the pinball loss (1{y < q} − τ)(q − y), divided by K + ½;
 *   central-interval coverage, and relative WIS against a baseline.
 * Cells are plain numbers; arrays of cells may be number[] or Float64Array.
 */
import { ForecastError } from "./errors.js";
import { HUB_QUANTILE_LEVELS, intervalFor, intervalStructure } from "./quantiles.js";

type Cells = ArrayLike<number>;

function sameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): number {
  if (a.length !== b.length) throw new ForecastError(`${what}: ${a.length} observations but ${b.length} forecasts.`);
  if (a.length === 0) throw new ForecastError(`${what}: no cells to score.`);
  return a.length;
}

/** Root mean squared error over all cells. */
export function rmse(observed: Cells, predicted: Cells): number {
  const n = sameLength(observed, predicted, "rmse");
  let s = 0;
  for (let i = 0; i < n; i++) s += (observed[i] - predicted[i]) ** 2;
  return Math.sqrt(s / n);
}

/** Mean absolute error over all cells. */
export function mae(observed: Cells, predicted: Cells): number {
  const n = sameLength(observed, predicted, "mae");
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(observed[i] - predicted[i]);
  return s / n;
}

/** Pearson correlation over all cells; NaN when either side is constant. */
export function pearson(observed: Cells, predicted: Cells): number {
  const n = sameLength(observed, predicted, "pearson");
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += observed[i];
    my += predicted[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = observed[i] - mx;
    const dy = predicted[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Pinball (quantile) loss of the τ-quantile q for the observation y: (1{y < q} − τ)(q − y). */
export function pinballLoss(y: number, q: number, tau: number): number {
  const d = q - y;
  return d >= 0 ? (1 - tau) * d : tau * -d; // both branches give +0 at q = y
}

/** Interval score of the central (1 − α) interval [l, u] for y. */
export function intervalScore(y: number, lower: number, upper: number, alpha: number): number {
  let s = upper - lower;
  if (y < lower) s += (2 / alpha) * (lower - y);
  if (y > upper) s += (2 / alpha) * (y - upper);
  return s;
}

/**
 * Weighted interval score of one quantile forecast (ascending `quantiles` at `levels`, default the 23 hub
 * levels), from the interval form: [½|y − m| + Σₖ (αₖ/2)·IS_αₖ] / (K + ½).
 */
export function weightedIntervalScore(y: number, quantiles: Cells, levels: readonly number[] = HUB_QUANTILE_LEVELS): number {
  const { median, intervals } = intervalStructure(levels);
  if (quantiles.length !== levels.length) throw new ForecastError(`weightedIntervalScore: ${quantiles.length} quantiles for ${levels.length} levels.`);
  let s = 0.5 * Math.abs(y - quantiles[median]);
  for (const { lower, upper, alpha } of intervals) s += (alpha / 2) * intervalScore(y, quantiles[lower], quantiles[upper], alpha);
  return s / (intervals.length + 0.5);
}

/** The same score from the quantile form: Σ over all levels of the pinball loss, divided by K + ½. */
export function weightedIntervalScorePinball(y: number, quantiles: Cells, levels: readonly number[] = HUB_QUANTILE_LEVELS): number {
  const { intervals } = intervalStructure(levels);
  if (quantiles.length !== levels.length) throw new ForecastError(`weightedIntervalScorePinball: ${quantiles.length} quantiles for ${levels.length} levels.`);
  let s = 0;
  for (let i = 0; i < levels.length; i++) s += pinballLoss(y, quantiles[i], levels[i]);
  return s / (intervals.length + 0.5);
}

/** Mean WIS over many forecasts (`quantiles[i]` forecasts `observed[i]`). */
export function meanWeightedIntervalScore(observed: Cells, quantiles: ArrayLike<Cells>, levels: readonly number[] = HUB_QUANTILE_LEVELS): number {
  const n = sameLength(observed, quantiles, "meanWeightedIntervalScore");
  let s = 0;
  for (let i = 0; i < n; i++) s += weightedIntervalScore(observed[i], quantiles[i], levels);
  return s / n;
}

/**
 * Fraction of observations inside the central interval of nominal coverage `coverage` (0.5, 0.95, …),
 * bounds included.
 */
export function intervalCoverage(observed: Cells, quantiles: ArrayLike<Cells>, coverage: number, levels: readonly number[] = HUB_QUANTILE_LEVELS): number {
  const n = sameLength(observed, quantiles, "intervalCoverage");
  const { lower, upper } = intervalFor(coverage, levels);
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const y = observed[i];
    if (y >= quantiles[i][lower] && y <= quantiles[i][upper]) inside++;
  }
  return inside / n;
}

/**
 * Relative WIS: mean WIS of a model over the mean WIS of the baseline on the same cells (< 1: better than
 * the baseline). With one model and one baseline scored on identical cells this is the hub's relative WIS;
 * the hubs' pairwise geometric-mean version reduces to it then.
 */
export function relativeWis(modelWis: Cells, baselineWis: Cells): number {
  const n = sameLength(baselineWis, modelWis, "relativeWis");
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    a += modelWis[i];
    b += baselineWis[i];
  }
  return a / b;
}
