/**
 * The work bound (issue 15, item 6): before a compartmental run starts, bound the number of events it can
 * take, and refuse a spec whose bound is over MAX_EVENTS_PER_RUN with the estimate and the formula, instead
 * of running silently for minutes or forever (rates of 1e21 or 1e308 did; so did γ = 0 with tmax = ∞ in the
 * general engine, whose phantom attempts never stop).
 *
 *  - event-driven SIR (plain SIR, no interventions): each node is infected and recovers at most once and
 *    each arc is drawn at most once: events ≤ 2n + m. Always within the bound.
 *  - other continuous-time engines, finite tmax: the total event rate (attempts included) is at most
 *    Rmax = n·s + β·W (s the largest spontaneous leaving rate of a compartment, β the largest per-arc rate,
 *    W the sum of arc weights, = m unweighted), so events ≤ tmax · (n·s + β·W).
 *  - tmax = ∞: a node in a compartment it leaves at rate r ≥ r_min generates at most (r + β·w_max)/r_min
 *    events per stay there; with at most C − 1 stays per node (C compartments; for models with waning immunity
 *    this is per wave of infections): events ≤ n·(C − 1)·(s + β·w_max)/r_min. A compartment that induces
 *    transitions and is never left (r_min = 0) gives ∞: give a finite tmax.
 *  - discrete time: each step visits at most every node: node-steps = steps · n.
 *  - time-varying rates are re-evaluated at most MAX_RATE_POINTS times (tmax / rateStep).
 * The rates are the largest the run will see: over every model of the interventions' timeline.
 */
import { WorkLimitError } from "../errors.js";
import type { CompiledModel } from "../models/compartmental.js";

/** Events (or node-steps) one run may take: about 10^3 s at 10^7 events/s. */
export const MAX_EVENTS_PER_RUN = 1e10;

export interface NetworkSize {
  n: number;
  /** Number of arcs. */
  m: number;
  /** Sum of arc weights (m when unweighted). */
  totalWeight: number;
  /** Largest out-weight of a node (its out-degree when unweighted). */
  maxOutWeight: number;
}

export interface WorkEstimate {
  events: number;
  formula: string;
}

const show = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(3)).toExponential() : String(x));

/** Largest spontaneous leaving rate, per-arc induced rate, and smallest leaving rate of an inducing compartment. */
function peakRates(models: readonly CompiledModel[]): { s: number; beta: number; rMin: number } {
  let s = 0;
  let beta = 0;
  let rMin = Infinity;
  for (const m of models) {
    for (let c = 0; c < m.nComp; c++) s = Math.max(s, m.spontTotal[c]);
    for (let j = 0; j < m.inducedRate.length; j++) if (!m.inducedIsProbability[j]) beta = Math.max(beta, m.inducedRate[j]);
    for (const c of m.infectious) rMin = Math.min(rMin, m.spontTotal[c]);
  }
  return { s, beta, rMin };
}

/** Bound on the events of one continuous-time run (see the module comment). */
export function continuousWork(size: NetworkSize, models: readonly CompiledModel[], tmax: number, eventDrivenSIR: boolean): WorkEstimate {
  const { n, m } = size;
  if (eventDrivenSIR) return { events: 2 * n + m, formula: `2n + m = 2·${n} + ${m}` };
  const { s, beta, rMin } = peakRates(models);
  if (Number.isFinite(tmax)) {
    const rate = n * s + beta * size.totalWeight;
    return { events: tmax * rate, formula: `tmax · (n·s + β·W) = ${tmax} · (${n}·${show(s)} + ${show(beta)}·${show(size.totalWeight)})` };
  }
  const C = models[0]?.nComp ?? 2;
  const perStay = beta === 0 ? 1 : (s + beta * size.maxOutWeight) / rMin;
  return {
    events: n * (C - 1) * perStay,
    formula: `with tmax = ∞, n·(C − 1)·(s + β·w_max)/r_min = ${n}·${C - 1}·(${show(s)} + ${show(beta)}·${show(size.maxOutWeight)})/${show(rMin)}`,
  };
}

/** Node-steps of one discrete-time run. */
export function discreteWork(n: number, steps: number): WorkEstimate {
  return { events: steps * n, formula: `steps · n = ${steps} · ${n}` };
}

/** Refuse an estimate over the bound (or not a number). `where` names the field to change. */
export function checkWork(estimate: WorkEstimate, where: string): void {
  if (estimate.events <= MAX_EVENTS_PER_RUN) return;
  throw new WorkLimitError(
    `${where}: one run would take up to ${show(estimate.events)} events (${estimate.formula}), more than the bound of ${show(MAX_EVENTS_PER_RUN)} per run; ` +
      "lower the rates, tmax or steps, or use a smaller network.",
  );
}

/** Re-evaluations of time-varying rates: at most this many grid points. */
export const MAX_RATE_POINTS = 1e6;
