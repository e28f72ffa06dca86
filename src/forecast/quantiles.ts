/**
 * Quantile forecasts in the forecast-hub format (CDC FluSight, COVID-19 Forecast Hub; Cramer et al. 2022):
 * 23 levels, the median and 11 central prediction intervals. Quantile crossing is repaired by monotone
 * rearrangement — sorting each row of predicted quantiles — which never increases the pinball loss
 * (Chernozhukov, Fernández-Val & Galichon 2010, "Quantile and probability curves without crossing",
 * Econometrica 78(3)).
 */
import { ForecastError } from "./errors.js";

/** The 23 hub quantile levels: 0.01, 0.025, 0.05, 0.10, 0.15, …, 0.90, 0.95, 0.975, 0.99. */
export const HUB_QUANTILE_LEVELS: readonly number[] = Object.freeze([
  0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99,
]);

/** A central prediction interval: indices of its lower and upper levels, and α (its nominal miss rate). */
export interface CentralInterval {
  lower: number;
  upper: number;
  alpha: number;
}

/** The median's index and the central intervals of a symmetric level set, widest first. */
export interface IntervalStructure {
  median: number;
  intervals: CentralInterval[];
}

const structures = new WeakMap<readonly number[], IntervalStructure>();

/**
 * Pairs the levels of a symmetric set into central intervals: level τ_k (< 0.5) with 1 − τ_k, α_k = 2τ_k.
 *
 * @throws ForecastError when the levels are not strictly increasing in (0, 1), lack 0.5, or are not
 * symmetric about 0.5 (to 1e-12).
 */
export function intervalStructure(levels: readonly number[] = HUB_QUANTILE_LEVELS): IntervalStructure {
  const cached = structures.get(levels);
  if (cached) return cached;
  const L = levels.length;
  for (let i = 0; i < L; i++) {
    if (!(levels[i] > 0 && levels[i] < 1) || (i > 0 && !(levels[i] > levels[i - 1]))) {
      throw new ForecastError(`quantile levels must be strictly increasing in (0, 1); got ${levels.join(", ")}.`);
    }
  }
  if (L % 2 === 0 || Math.abs(levels[(L - 1) / 2] - 0.5) > 1e-12) {
    throw new ForecastError(`quantile levels must be an odd number of levels around the median 0.5; got ${levels.join(", ")}.`);
  }
  const K = (L - 1) / 2;
  const intervals: CentralInterval[] = [];
  for (let k = 0; k < K; k++) {
    const lower = k;
    const upper = L - 1 - k;
    if (Math.abs(levels[lower] + levels[upper] - 1) > 1e-12) {
      throw new ForecastError(`quantile levels must be symmetric about 0.5: ${levels[lower]} has no partner ${1 - levels[lower]}.`);
    }
    intervals.push({ lower, upper, alpha: 2 * levels[lower] });
  }
  const s = { median: K, intervals };
  structures.set(levels, s);
  return s;
}

/** The index of the central interval with nominal coverage `coverage` (e.g. 0.95), or throws. */
export function intervalFor(coverage: number, levels: readonly number[] = HUB_QUANTILE_LEVELS): CentralInterval {
  const found = intervalStructure(levels).intervals.find((iv) => Math.abs(1 - iv.alpha - coverage) < 1e-9);
  if (!found) throw new ForecastError(`no central ${coverage * 100}% interval among the levels ${levels.join(", ")}.`);
  return found;
}

/** Monotone rearrangement of one row of predicted quantiles: a sorted copy (ascending). */
export function sortQuantiles(quantiles: ArrayLike<number>): Float64Array {
  return Float64Array.from(quantiles).sort();
}

/** Monotone rearrangement in place of every row of a quantile matrix (rows = forecasts, columns = levels). */
export function rearrangeQuantileRows(rows: Float64Array[]): Float64Array[] {
  for (const row of rows) row.sort();
  return rows;
}

/**
 * The τ-quantile of an ascending sample, linear interpolation between order statistics (Hyndman & Fan
 * 1996 type 7, the default of R and NumPy): position (N − 1)·τ.
 */
export function sampleQuantile(sorted: ArrayLike<number>, tau: number): number {
  const N = sorted.length;
  if (N === 0) throw new ForecastError("sampleQuantile: the sample is empty.");
  const pos = (N - 1) * tau;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, N - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}
