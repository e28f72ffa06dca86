/**
 * Windows: how a weekly series becomes the transformer's input and target tensors. Pure typed-array code,
 * shared by pretraining (synthetic series), fine-tuning and prediction (real series).
 *
 * A sample is (series, origin o): the input holds rows o − C + 1 … o (C = the context), the target rows
 * o + 1 … o + H. Each window is scaled by its own level s — the mean of the observed values in the last
 * 52 rows of the input (all of it if shorter) — so one model serves counts in the tens or the tens of
 * thousands and a percentage; predictions are multiplied back by s. The level is floored by the series' own
 * history (`scaleFloors`): s = max(window mean, floor), so a window of zeros or near-zeros in a low-count
 * series is not divided by ~0 (the old fallback, 1 for a mean of 0, gave scaled targets in the tens of
 * thousands); windows whose mean is above the floor are scaled exactly as before. Rows before the series start, or
 * missing, are 0 with mask 0; target rows that are missing or at/after `limit` (the end of what training
 * may see) are masked out of the loss, so a training sample never reads a row it must not.
 *
 * Per input row, F = 4 features: the scaled value, the observed mask, and sin/cos of the phase of the year
 * (seasonality: winter flu waves), from the real row times (MMWR weeks or dates, weekly or daily); both 0 for
 * a series without row times (phase NaN) — no invented calendar.
 */
import { mmwrWeeksInYear, type EpiWeek } from "../series-csv.js";

export const FEATURES = 4;
/** Rows of the input the scale is computed from (one season). */
export const SCALE_ROWS = 52;

/** One univariate weekly series. */
export interface WeeklySeries {
  /** NaN where missing. */
  values: Float64Array;
  /** Phase of the year in [0, 1) per row (week of year / weeks in that year, or day of year / 365.25); NaN: no calendar. */
  phase: Float64Array;
  /** Rows per year, for the phase of rows before the series start (default 52: weekly; 365.25 for daily rows). */
  rowsPerYear?: number;
  /**
   * `scaleFloors(values)`, precomputed (optional: computed from rows ≤ the origin on the fly when absent).
   * Must be recomputed whenever `values` change.
   */
  floors?: Float64Array;
}

export interface WindowShape {
  context: number;
  horizon: number;
}

/** A sample: series index and origin row (the last input row). */
export interface Pick {
  series: number;
  origin: number;
}

/** Phase of each MMWR week: (week − 1) / weeks in its year. */
export function phaseFromWeeks(weeks: readonly EpiWeek[]): Float64Array {
  return Float64Array.from(weeks, (w) => (w.week - 1) / mmwrWeeksInYear(w.year));
}

/** Phase from ISO dates (day of year / 365.25), weekly or daily rows alike. */
export function phaseFromDates(dates: readonly string[]): Float64Array {
  return Float64Array.from(dates, (d) => {
    const t = Date.parse(d.slice(0, 10) + "T00:00:00Z");
    if (!Number.isFinite(t)) return 0;
    const year = new Date(t).getUTCFullYear();
    return ((t - Date.UTC(year, 0, 1)) / 86_400_000 / 365.25) % 1;
  });
}

/** Phase of a series whose row 0 is MMWR week `startWeek` of a 52-week year (synthetic series). */
export function phaseFromStart(rows: number, startWeek = 40): Float64Array {
  return Float64Array.from({ length: rows }, (_, t) => (((startWeek - 1 + t) % 52) + 52) % 52 / 52);
}

/**
 * Fraction of the mean of a series' history that floors its window scale. 10%: a window whose level has
 * fallen below a tenth of the series' usual level (the trough between seasons, a run of zeros) is scaled as
 * if it were at that tenth, so its scaled values and targets stay ≤ 10 × (value / usual level); a larger
 * fraction would start to rescale ordinary off-season windows of seasonal series (their means are commonly
 * 10–30% of the annual mean), which the pretrained network saw unfloored. Chosen by that argument, not tuned.
 */
export const SCALE_FLOOR_FRACTION = 0.1;

/**
 * The scale floor of a series at each row t, from its own history up to t only (causal, so a window never
 * reads a later row through its floor, and a training window never reads past its limit):
 * max(SCALE_FLOOR_FRACTION × mean of the observed |values| in rows 0 … t, the smallest positive observed value
 * in rows 0 … t), or 1 while no positive value has been observed yet. For counts the smallest positive value
 * is typically 1 (one case), for rates one reporting unit: a window mean below it is noise around zero.
 */
export function scaleFloors(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  let count = 0;
  let minPositive = Infinity;
  for (let t = 0; t < values.length; t++) {
    const v = values[t];
    if (Number.isFinite(v)) {
      const a = Math.abs(v);
      sum += a;
      count++;
      if (a > 0 && a < minPositive) minPositive = a;
    }
    out[t] = minPositive === Infinity ? 1 : Math.max(SCALE_FLOOR_FRACTION * (sum / count), minPositive);
  }
  return out;
}

/** `scaleFloors(values)[origin]` without the other rows (reads rows 0 … origin). */
export function scaleFloorAt(values: Float64Array, origin: number): number {
  return scaleFloors(values.subarray(0, origin + 1))[origin];
}

/** The series with its floors precomputed (call again after changing its values). */
export function withFloors<S extends WeeklySeries>(series: S): S {
  return { ...series, floors: scaleFloors(series.values) };
}

/**
 * The scale of the window ending at `origin`: max(mean of the observed |values| in its last SCALE_ROWS rows,
 * `floor`), and 1 when that is 0 (no observed value and no floor).
 */
export function windowScale(values: Float64Array, origin: number, context: number, floor = 0): number {
  const from = Math.max(0, origin - Math.min(context, SCALE_ROWS) + 1);
  let sum = 0;
  let count = 0;
  for (let t = from; t <= origin; t++) {
    const v = values[t];
    if (Number.isFinite(v)) {
      sum += Math.abs(v);
      count++;
    }
  }
  const s = Math.max(count > 0 ? sum / count : 0, floor);
  return s > 1e-9 ? s : 1;
}

/**
 * Writes the input of sample `b` into `x` ([B, C, F], row-major) and returns its scale. Reads rows
 * origin − C + 1 … origin only (and rows 0 … origin for the scale floor).
 */
export function fillInput(series: WeeklySeries, origin: number, context: number, x: Float32Array, b: number): number {
  const floor = series.floors ? series.floors[origin] : scaleFloorAt(series.values, origin);
  const s = windowScale(series.values, origin, context, floor);
  const base = b * context * FEATURES;
  const rowsPerYear = series.rowsPerYear ?? 52;
  for (let i = 0; i < context; i++) {
    const t = origin - context + 1 + i;
    const o = base + i * FEATURES;
    const v = t >= 0 ? series.values[t] : NaN;
    const observed = Number.isFinite(v);
    x[o] = observed ? v / s : 0;
    x[o + 1] = observed ? 1 : 0;
    const phase = t >= 0 ? series.phase[t] : series.phase[0] - (-t % rowsPerYear) / rowsPerYear;
    const calendar = Number.isFinite(phase);
    x[o + 2] = calendar ? Math.sin(2 * Math.PI * phase) : 0;
    x[o + 3] = calendar ? Math.cos(2 * Math.PI * phase) : 0;
  }
  return s;
}

/**
 * Writes the targets of sample `b` into `y` ([B, H, 2]: scaled value, mask): rows origin + 1 … origin + H,
 * masked where missing or at/after `limit`. Returns the number of unmasked targets.
 */
export function fillTarget(series: WeeklySeries, origin: number, horizon: number, limit: number, scale: number, y: Float32Array, b: number): number {
  let kept = 0;
  const base = b * horizon * 2;
  for (let h = 1; h <= horizon; h++) {
    const t = origin + h;
    const v = t < limit && t < series.values.length ? series.values[t] : NaN;
    const o = base + (h - 1) * 2;
    if (Number.isFinite(v)) {
      y[o] = v / scale;
      y[o + 1] = 1;
      kept++;
    } else {
      y[o] = 0;
      y[o + 1] = 0;
    }
  }
  return kept;
}

/** A batch of inputs and targets (targets only when `limits` is given). */
export interface Batch {
  size: number;
  x: Float32Array;
  y: Float32Array | null;
  scales: Float64Array;
}

/** Fills a batch for `picks`; `limits[s]` bounds the target rows of series s (exclusive). */
export function makeBatch(series: readonly WeeklySeries[], picks: readonly Pick[], shape: WindowShape, limits?: ArrayLike<number>): Batch {
  const B = picks.length;
  const x = new Float32Array(B * shape.context * FEATURES);
  const y = limits ? new Float32Array(B * shape.horizon * 2) : null;
  const scales = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const { series: i, origin } = picks[b];
    scales[b] = fillInput(series[i], origin, shape.context, x, b);
    if (y && limits) fillTarget(series[i], origin, shape.horizon, limits[i], scales[b], y, b);
  }
  return { size: B, x, y, scales };
}

/**
 * Every training sample of a set of series: origins o with at least `minObserved` observed input rows and
 * at least one unmasked target row among o + 1 … o + horizon before `limits[s]`.
 */
export function trainingPicks(series: readonly WeeklySeries[], limits: ArrayLike<number>, horizon: number, minObserved: number): Pick[] {
  const picks: Pick[] = [];
  for (let s = 0; s < series.length; s++) {
    const v = series[s].values;
    let observed = 0;
    for (let o = 0; o < Math.min(limits[s], v.length) - 1; o++) {
      if (Number.isFinite(v[o])) observed++;
      if (observed < minObserved || !Number.isFinite(v[o])) continue;
      let target = false;
      for (let t = o + 1; t <= o + horizon && t < Math.min(limits[s], v.length) && !target; t++) target = Number.isFinite(v[t]);
      if (target) picks.push({ series: s, origin: o });
    }
  }
  return picks;
}
