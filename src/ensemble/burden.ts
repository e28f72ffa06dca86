/**
 * Summaries that keep infections apart from everything else: vaccinations (a count and a cumulative curve)
 * and, for endemic models, the prevalence that replaces a final size as the headline.
 *
 * Endemic prevalence: in a model where infected nodes return to S (SIS, SIRS, SEIRS…) the outbreak does not
 * end with a final size; it settles (or dies out) around a quasi-stationary level. We report the number of
 * nodes in infectious compartments averaged over the record times in the last fifth of the horizon,
 * [0.8·T, T] with T the last record time — long enough after the start for the transient to have passed in
 * the usual settings, and averaged over time and runs to beat the noise. Runs that died out count with 0.
 */
import { meanSd } from "./summary.js";

/** The share of the horizon, at its end, over which endemic prevalence is averaged. */
export const PREVALENCE_WINDOW = 0.2;

export interface Prevalence {
  mean: number;
  sd: number;
  /** Per run: the time-averaged infectious count over the window. */
  values: number[];
  window: [number, number];
}

export interface Vaccinated {
  mean: number;
  sd: number;
  values: number[];
  /** Mean cumulative number vaccinated at each record time. */
  curve: number[];
}

/** Row k of a run's counts, runs that ended early extended with their last row. */
function rowOf(counts: ArrayLike<number>, k: number, nComp: number): number {
  const rows = counts.length / nComp;
  return (k < rows ? k : rows - 1) * nComp;
}

/** Time-averaged count in `infectious` compartments over the last PREVALENCE_WINDOW of the record times. */
export function endemicPrevalence(series: ArrayLike<number>[], times: readonly number[], nComp: number, infectious: readonly number[]): Prevalence {
  const T = times.length > 0 ? times[times.length - 1] : 0;
  const t0 = (1 - PREVALENCE_WINDOW) * T;
  let first = times.findIndex((t) => t >= t0 * (1 - 1e-12));
  if (first < 0) first = Math.max(0, times.length - 1);
  const values = series.map((counts) => {
    let sum = 0;
    for (let k = first; k < times.length; k++) {
      const row = rowOf(counts, k, nComp);
      for (const c of infectious) sum += counts[row + c];
    }
    return sum / Math.max(1, times.length - first);
  });
  return { ...meanSd(values), values, window: [times[first] ?? 0, T] };
}

/** Vaccinated per run and the mean cumulative curve on the record times (a vaccination at t counts from t on). */
export function vaccinatedSummary(perRun: readonly { vaccinated?: number; vaccinationTimes?: number[] }[], times: readonly number[]): Vaccinated {
  const values = perRun.map((r) => r.vaccinated ?? 0);
  const curve = new Array<number>(times.length).fill(0);
  for (const r of perRun) {
    const when = r.vaccinationTimes ?? [];
    let i = 0;
    for (let k = 0; k < times.length; k++) {
      const limit = times[k] + 1e-12 * Math.max(1, Math.abs(times[k]));
      while (i < when.length && when[i] <= limit) i++;
      curve[k] += i;
    }
  }
  const runs = Math.max(1, perRun.length);
  return { ...meanSd(values), values, curve: curve.map((x) => x / runs) };
}
