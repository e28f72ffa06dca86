/**
 * The errors an engine throws when a run passes the budgets that ensemble/caps.ts computed before the run
 * started: the record times of an open-ended run (tmax: Infinity), and the state changes kept by
 * output.history (whose number cannot be known in advance).
 */
import { LimitError } from "../errors.js";

const fmt = (x: number): string => (Number.isFinite(x) && Math.abs(x) >= 1e6 ? x.toExponential(2).replace("e+", "·10^") : String(x));

/** The error an engine throws when an open-ended run uses up its record-time budget. */
export function recordBudgetError(budget: number, t: number): LimitError {
  return new LimitError(
    `time.tmax: the run was still going at t = ${Number(t.toPrecision(6))} after ${fmt(budget)} record times, its budget (maxRecordValues / (compartments × (runs + 6)), at most maxRecordTimes, computed before the run); give a finite tmax or a coarser time.record, or raise the limit.`,
    "time.tmax",
    "maxRecordValues",
  );
}

/** The error an engine throws when `output.history` passes its budget. */
export function historyBudgetError(budget: number, t: number): LimitError {
  return new LimitError(
    `output.history: a kept run passed ${fmt(budget)} state changes at t = ${Number(t.toPrecision(6))} (its budget: maxHistoryEvents / kept runs); keep history for fewer runs (output.nodes: first), give a shorter tmax, or raise the limit (CLI --max-history-events, server maxHistoryEvents, library spec.limits.maxHistoryEvents).`,
    "output.history",
    "maxHistoryEvents",
  );
}
