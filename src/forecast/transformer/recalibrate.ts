/**
 * Interval recalibration of the selected method on the protocol's validation rows (issue 11: "calibration …
 * chosen on the protocol's validation rows"), checked out of sample before it is applied.
 *
 * Per horizon, the quantiles are spread about the median, q' = max(0, m + c·(q − m)), with c on the grid
 * 0.5, 0.55, …, 2 (as fit.ts `calibrateSpread`). The rule, fixed before any use:
 *   1. c₁ = the spread with the lowest mean WIS on the *first half* of the validation rows (by time);
 *   2. it is kept only if it also lowers the mean WIS on the *second half* (rows it was not chosen on) against
 *      c = 1; otherwise the horizon stays at c = 1;
 *   3. when kept, c = the spread with the lowest mean WIS on all the validation rows.
 * WIS is a proper score, so this targets calibration and sharpness together, not a coverage figure. No test
 * row is read (the caller applies the spreads to the test cells only to report them).
 */
import type { QuantileEvaluation } from "../protocol.js";
import { weightedIntervalScore } from "../metrics.js";
import { HUB_QUANTILE_LEVELS, intervalStructure } from "../quantiles.js";
import { rescoreQuantiles } from "./ensemble.js";

/** The spreads tried: 0.5, 0.55, …, 2. */
export const RECALIBRATION_SPREADS: readonly number[] = Array.from({ length: 31 }, (_, i) => Math.round((0.5 + 0.05 * i) * 100) / 100);

export interface HorizonRecalibration {
  horizon: number;
  /** The spread applied (1 when the out-of-sample check failed). */
  spread: number;
  /** Whether the first half's choice also lowered the second half's mean WIS. */
  applied: boolean;
  /** The first half's choice, and the second half's mean WIS at 1 and at that choice. */
  check: { firstHalfSpread: number; secondHalfWisAt1: number; secondHalfWis: number };
}

/** Quantiles spread by c about their median, floored at 0 (still non-decreasing: c ≥ 0). */
export function spreadQuantiles(q: Float64Array, c: number, median: number): Float64Array {
  const m = q[median];
  return Float64Array.from(q, (v) => Math.max(0, m + c * (v - m)));
}

function meanWis(e: QuantileEvaluation, from: number, to: number, c: number, median: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += weightedIntervalScore(e.observed[i], c === 1 ? e.quantiles[i] : spreadQuantiles(e.quantiles[i], c, median), e.levels);
  return sum / Math.max(1, to - from);
}

function best(e: QuantileEvaluation, from: number, to: number, median: number): number {
  let choice = 1;
  let lowest = meanWis(e, from, to, 1, median);
  for (const c of RECALIBRATION_SPREADS) {
    const w = meanWis(e, from, to, c, median);
    if (w < lowest) {
      lowest = w;
      choice = c;
    }
  }
  return choice;
}

/**
 * The rule of the file header on one horizon's validation cells (ordered by target row, then region, as the
 * protocol lists them; `regions` cells a row).
 */
export function recalibrateOnValidation(validation: QuantileEvaluation, regions: number): HorizonRecalibration {
  const { median } = intervalStructure(validation.levels);
  const rows = validation.targetRows.length;
  const split = Math.floor(rows / 2) * regions;
  const cells = validation.observed.length;
  const firstHalfSpread = best(validation, 0, split, median);
  const secondHalfWisAt1 = meanWis(validation, split, cells, 1, median);
  const secondHalfWis = meanWis(validation, split, cells, firstHalfSpread, median);
  const applied = firstHalfSpread !== 1 && secondHalfWis < secondHalfWisAt1;
  return {
    horizon: validation.horizon,
    spread: applied ? best(validation, 0, cells, median) : 1,
    applied,
    check: { firstHalfSpread, secondHalfWisAt1, secondHalfWis },
  };
}

/** The same cells with every forecast spread by `spread`, rescored. */
export function applySpread(e: QuantileEvaluation, spread: number): QuantileEvaluation {
  if (spread === 1) return e;
  const { median } = intervalStructure(e.levels);
  return rescoreQuantiles(
    e,
    e.quantiles.map((q) => spreadQuantiles(q, spread, median)),
  );
}

/**
 * Forecast rows (one per horizon, the hub's levels) with row i spread by `spreads[i]` about its median: what
 * method auto serves, the spreads from the selection's validation rows (a spread of 1 leaves a row as it is).
 */
export function spreadRows(rows: readonly Float64Array[], spreads: readonly number[], levels: readonly number[] = HUB_QUANTILE_LEVELS): Float64Array[] {
  if (spreads.length !== rows.length) throw new Error(`spreadRows: ${rows.length} rows but ${spreads.length} spreads`);
  const { median } = intervalStructure(levels);
  return rows.map((row, i) => (spreads[i] === 1 ? row : spreadQuantiles(row, spreads[i], median)));
}
