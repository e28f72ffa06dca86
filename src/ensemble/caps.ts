/**
 * Result-size caps: every output a run set can accumulate is bounded before the first run starts, with the
 * formula in the error, and the two outputs whose size is only known while running (the record times of an
 * open-ended `tmax: Infinity` run, and `output.history` events) get a budget derived from the same bound that
 * the engines enforce as they go. The library, the CLI and the server use this one module; the server passes
 * its own configured values, the CLI its flags.
 *
 * What is counted (numbers held in memory and written out):
 *   record values  = points × T × C × (runs + 6)      per-run counts, plus the mean and five quantile bands
 *                  + points × runs × 6                 per-run summaries (final size, peak, …)
 *                  + points × keptRuns × n × (1 + times)   per-node states (output.nodes), infection times
 *                  + T × n × V                          reaction–diffusion field values (per node, per record time)
 *   T = record times per run: floor(tmax / record) + 1, floor(steps / recordEvery) + 1, cascade rounds + 1
 *       (at most n + 1); with tmax = Infinity, T is the budget left by the other terms (checked at run time).
 * Why hand-written: the bound depends on this project's result schema; no library knows it.
 */
import { LimitError } from "../errors.js";

export interface ResultCaps {
  /** Numbers a run set may record in all (see the header). */
  maxRecordValues: number;
  /** Record times per run. */
  maxRecordTimes: number;
  /** State changes kept by `output.history`, all kept runs together. */
  maxHistoryEvents: number;
}

/**
 * Defaults. 2·10^7 values keep a result's JSON well under V8's largest string (≈ 5·10^8 characters; a field
 * value takes ≈ 20); 5·10^6 history events take ≈ 120 MB of JSON.
 */
export const DEFAULT_CAPS: Readonly<ResultCaps> = { maxRecordValues: 20_000_000, maxRecordTimes: 1_000_000, maxHistoryEvents: 5_000_000 };

/** Per-run budgets the engines enforce while running. */
export interface RunBudget {
  /** Record times one run may make (only binding when tmax is infinite). */
  maxRecordTimes: number;
  /** History events one kept run may make. */
  historyLimit: number;
}

/** The size of a run set, as far as it is known before running. */
export interface ResultShape {
  runs: number;
  /** Record times per run; Infinity when the run's end is not known in advance. */
  recordTimes: number;
  /** Which field a too-fine record grid is fixed in (`time.record`, `time.recordEvery`, `maxRounds`). */
  recordPath: string;
  /** Compartments (or field variables). */
  compartments: number;
  n: number;
  /** Runs whose per-node states are kept, and numbers kept per node (state, infection time). */
  keptRuns: number;
  perNode: number;
  /** Field values per node per record time (reaction–diffusion with output.field), else 0. */
  fieldVariables: number;
  /** output.history asked for. */
  history: boolean;
}

const fmt = (x: number): string => (Number.isFinite(x) && Math.abs(x) >= 1e6 ? x.toExponential(2).replace("e+", "·10^") : String(x));

export function resolveCaps(given: Partial<ResultCaps> | undefined): ResultCaps {
  const caps = { ...DEFAULT_CAPS, ...given };
  for (const [key, value] of Object.entries(caps)) {
    if (!(typeof value === "number" && value >= 1 && Number.isInteger(value))) throw new LimitError(`limits.${key}: expected an integer ≥ 1, got ${String(value)}.`, `limits.${key}`, key);
  }
  return caps;
}

/** Split caps evenly over the points of a sweep (each point is checked, and bounded, with its share). */
export function shareCaps(caps: ResultCaps, points: number): ResultCaps {
  return {
    maxRecordValues: Math.max(1, Math.floor(caps.maxRecordValues / points)),
    maxRecordTimes: caps.maxRecordTimes,
    maxHistoryEvents: Math.max(1, Math.floor(caps.maxHistoryEvents / points)),
  };
}

const HINT = "raise the limit (CLI --max-record-values, server maxRecordValues, library spec.limits.maxRecordValues)";

/**
 * Check a run set against the caps before it starts; returns the per-run budgets. Throws LimitError with the
 * formula when the result would be over a cap.
 */
export function checkResultSize(shape: ResultShape, caps: ResultCaps): RunBudget {
  const { runs, recordTimes: T, compartments: C, n } = shape;
  if (T > caps.maxRecordTimes && Number.isFinite(T)) {
    throw new LimitError(
      `${shape.recordPath}: ${fmt(T)} record times per run, more than the limit of ${fmt(caps.maxRecordTimes)} (maxRecordTimes); record less often, or raise the limit (CLI --max-record-times, server maxRecordTimes).`,
      shape.recordPath,
      "maxRecordTimes",
    );
  }
  const nodes = shape.keptRuns * n * shape.perNode;
  const summaries = runs * 6;
  const perRecordTime = C * (runs + 6) + n * shape.fieldVariables;
  const terms = `${runs} runs: T × (C × (runs + 6)${shape.fieldVariables ? " + n × variables" : ""}) + runs × 6${nodes ? " + kept runs × n × per node" : ""}`;
  if (Number.isFinite(T)) {
    const total = T * perRecordTime + summaries + nodes;
    if (total > caps.maxRecordValues) {
      const parts = `${fmt(T)} record times × (${C} × (${runs} + 6)${shape.fieldVariables ? ` + ${n} nodes × ${shape.fieldVariables}` : ""}) + ${runs} × 6${nodes ? ` + ${shape.keptRuns} × ${n} × ${shape.perNode}` : ""}`;
      const path = nodes > caps.maxRecordValues / 2 ? "output.nodes" : shape.fieldVariables && T * n * shape.fieldVariables > caps.maxRecordValues / 2 ? "output.field" : shape.recordPath;
      throw new LimitError(
        `${path}: the result would hold ${parts} = ${fmt(total)} values (${terms}), more than the limit of ${fmt(caps.maxRecordValues)} (maxRecordValues); record less often, ask for fewer runs, keep fewer node states (output.nodes: first), or ${HINT}.`,
        path,
        "maxRecordValues",
      );
    }
  }
  // An open-ended run gets what the other terms leave, in record times.
  const left = caps.maxRecordValues - summaries - nodes;
  const budget = Number.isFinite(T) ? T : Math.min(caps.maxRecordTimes, Math.floor(left / perRecordTime));
  if (budget < 2) {
    throw new LimitError(
      `time.tmax: an open-ended run (tmax: Infinity) of ${runs} runs leaves room for ${Math.max(0, budget)} record times under the limit of ${fmt(caps.maxRecordValues)} values (maxRecordValues); give a finite tmax, fewer runs, or ${HINT}.`,
      "time.tmax",
      "maxRecordValues",
    );
  }
  const historyRuns = Math.max(1, shape.keptRuns);
  return { maxRecordTimes: budget, historyLimit: shape.history ? Math.floor(caps.maxHistoryEvents / historyRuns) : Infinity };
}
