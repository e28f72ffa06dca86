/**
 * Simple point forecasters every learned model must beat under the Cola-GNN protocol (protocol.ts):
 * - persistence: the last observed value, y(t − h);
 * - same week last year (seasonal naive): y(t − 52), read from the history up to the origin (h ≤ 52); for a
 *   daily table, the same weekday a year earlier, y(t − 364) (`seasonRows`);
 * - one ridge regression shared by all regions: the scaled target from the P scaled window values plus an
 *   unpenalised intercept, closed form (XᵀX + λ·I′)w = Xᵀy over every (training target row, region) pair,
 *   λ on the sum of squared errors in scaled units (I′: identity with 0 for the intercept).
 *   λ = 0.01, chosen on the validation split over the grid {0, 1e-4, 1e-3, 0.01, 0.1, 1, 10}: validation
 *   RMSE summed over h ∈ {2, 3, 5, 10, 15} is flat for λ ≤ 0.1 on region785 (4404.7 at λ ≤ 1e-3, 4404.8 at
 *   0.01, 4405.9 at 0.1, then +0.6% at 1 and +4.6% at 10) and flat to 0.2% over the whole grid on state360
 *   (1450.0 for λ ≤ 0.1, 1447.6 at 10). 0.01 sits in that common flat minimum and keeps the 21 × 21 normal
 *   equations of strongly collinear lags well conditioned. `ridgeValidationCurve` reproduces the curve.
 * Ridge predictions are unscaled back to counts and not clipped at 0, as in the reference evaluation.
 */
import { ForecastError } from "./errors.js";
import {
  COLA_GNN_PROTOCOL,
  evaluatePointForecaster,
  type PointForecaster,
  type TrainingPeriod,
} from "./protocol.js";
import type { SeriesTable } from "./series-csv.js";
import type { Frequency } from "./frequency.js";

/** Weeks in a season for the seasonal-naive baseline. */
export const SEASON_WEEKS = 52;

/** The fixed ridge penalty (see the file header for how it was chosen). */
export const RIDGE_LAMBDA = 0.01;

/** Persistence: the value at the origin. */
export const persistence: PointForecaster = {
  name: "persistence",
  fit: () => (input) => input.window[input.window.length - 1],
};

/**
 * Rows in a season, for the seasonal-naive baseline: 52 for weekly tables and tables without row times (read as
 * weekly, as the checkpoint they get), 364 for daily ones — 52 weeks, so the same weekday a year earlier
 * (daily counts carry a weekday pattern; 365 days would compare a Monday with a Sunday).
 */
export function seasonRows(frequency: Frequency | null): number {
  return frequency === "daily" ? 7 * SEASON_WEEKS : SEASON_WEEKS;
}

/** Same time last year: the value `season` rows before the target, i.e. at origin + h − season. */
export function seasonalNaiveForecaster(season = SEASON_WEEKS): PointForecaster {
  return {
    name: "seasonal-naive",
    fit: (training) => {
      if (training.horizon > season) throw new ForecastError(`seasonal-naive needs h ≤ ${season}, got ${training.horizon}.`);
      return (input) => {
        const row = input.origin + input.horizon - season;
        if (row < 0) throw new ForecastError(`seasonal-naive: no value ${season} rows before row ${input.origin + input.horizon}.`);
        return input.history()[row];
      };
    },
  };
}

/** Same week last year on a weekly table: the value 52 weeks before the target. */
export const seasonalNaive: PointForecaster = seasonalNaiveForecaster(SEASON_WEEKS);

/** A fitted ridge model: weights on the scaled window (oldest lag first) and an intercept. */
export interface RidgeFit {
  lambda: number;
  weights: Float64Array;
  intercept: number;
  /** Number of (row, region) training samples. */
  samples: number;
}

/** Solves A x = b (A is d × d, row-major, overwritten) by Gaussian elimination with partial pivoting. */
function solve(A: Float64Array, b: Float64Array, d: number): Float64Array {
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r * d + c]) > Math.abs(A[p * d + c])) p = r;
    if (Math.abs(A[p * d + c]) < 1e-300) throw new ForecastError("ridge: the normal equations are singular; use λ > 0.");
    if (p !== c) {
      for (let k = 0; k < d; k++) [A[c * d + k], A[p * d + k]] = [A[p * d + k], A[c * d + k]];
      [b[c], b[p]] = [b[p], b[c]];
    }
    for (let r = c + 1; r < d; r++) {
      const f = A[r * d + c] / A[c * d + c];
      if (f === 0) continue;
      for (let k = c; k < d; k++) A[r * d + k] -= f * A[c * d + k];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < d; k++) s -= A[r * d + k] * x[k];
    x[r] = s / A[r * d + r];
  }
  return x;
}

/** Fits the shared ridge regression on the training period (scaled units). */
export function fitRidge(training: TrainingPeriod, lambda: number = RIDGE_LAMBDA): RidgeFit {
  if (!(lambda >= 0)) throw new ForecastError(`ridge: λ must be ≥ 0, got ${lambda}.`);
  const P = training.window;
  const h = training.horizon;
  const d = P + 1;
  const G = new Float64Array(d * d);
  const b = new Float64Array(d);
  const x = new Float64Array(d);
  const { min, range } = training.scaling;
  let samples = 0;
  for (let r = 0; r < training.values.length; r++) {
    const v = training.values[r];
    for (const t of training.targets) {
      const start = t - h - P + 1;
      for (let k = 0; k < P; k++) x[k] = (v[start + k] - min[r]) / range[r];
      x[P] = 1;
      const y = (v[t] - min[r]) / range[r];
      for (let i = 0; i < d; i++) {
        b[i] += x[i] * y;
        for (let j = i; j < d; j++) G[i * d + j] += x[i] * x[j];
      }
      samples++;
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) G[i * d + j] = G[j * d + i];
  for (let i = 0; i < P; i++) G[i * d + i] += lambda;
  const w = solve(G, b, d);
  return { lambda, weights: w.slice(0, P), intercept: w[P], samples };
}

/** The shared ridge regression as a point forecaster. */
export function ridgeForecaster(lambda: number = RIDGE_LAMBDA): PointForecaster {
  return {
    name: "ridge",
    fit: (training) => {
      const { weights, intercept } = fitRidge(training, lambda);
      return (input) => {
        const { min, range } = input.scaling;
        let z = intercept;
        for (let k = 0; k < weights.length; k++) z += weights[k] * ((input.window[k] - min) / range);
        return z * range + min;
      };
    },
  };
}

/** Validation RMSE of the ridge baseline for each λ and horizon (how `RIDGE_LAMBDA` was chosen). */
export function ridgeValidationCurve(
  dataset: SeriesTable,
  lambdas: readonly number[] = [0, 1e-4, 1e-3, 1e-2, 0.1, 1, 10],
  horizons: readonly number[] = COLA_GNN_PROTOCOL.horizons,
): { lambda: number; horizon: number; rmse: number }[] {
  const out: { lambda: number; horizon: number; rmse: number }[] = [];
  for (const lambda of lambdas) {
    for (const h of horizons) {
      out.push({ lambda, horizon: h, rmse: evaluatePointForecaster(dataset, h, ridgeForecaster(lambda), { split: "validation" }).rmse });
    }
  }
  return out;
}
