/**
 * From simulated infections to reported weekly counts: the observation model of the synthetic corpus.
 *
 *  1. weekly aggregation — event times of the engine (onsets, in engine time units) are binned into weeks
 *     (`weeklyIncidence`); every finite time inside the window lands in exactly one week;
 *  2. reporting delay — a case with onset in week w is reported in week w + d with probability p_d,
 *     d = 0, 1, 2 (`applyDelay`: a convolution of the expected counts with the kernel, Σ p_d = 1, so totals
 *     are conserved);
 *  3. reporting fraction ρ and reporting changes — the expected count is multiplied by ρ and by step
 *     factors from given weeks onwards (a provider network that grows or shrinks);
 *  4. over-dispersed noise — the reported count is negative binomial with that mean μ and dispersion k
 *     (variance μ + μ²/k), drawn as a gamma–Poisson mixture (`reportingNoise`).
 * The noise is applied to expectations, so the counts are integers ≥ 0 whose expectation is exactly
 * ρ × (delayed latent count) × (step factor).
 *   [Reference] Lindén, A. & Mäntyniemi, S. (2011). "Using the negative binomial distribution to model
 *   overdispersion in ecological count data." Ecology 92, 1414–1421.
 *   [Reference] Gostic, K. M. et al. (2020). "Practical considerations for measuring the effective
 *   reproductive number, Rt." PLOS Comput. Biol. 16, e1008409. (Delays as convolution kernels.)
 */
import type { Random } from "../random.js";
import { ForecastError } from "./errors.js";
import { negativeBinomial } from "./samplers.js";

export interface WeeklyIncidenceOptions {
  /** Days per engine time unit. */
  daysPerUnit: number;
  /** Number of weeks kept: week w covers days [7w, 7w + 7) after the origin. */
  weeks: number;
  /** Day (after the origin) at which engine time 0 falls; default 0. */
  originDay?: number;
}

/**
 * Weekly counts of event times: time t (engine units) falls on day originDay + t·daysPerUnit and in week
 * ⌊day / 7⌋. NaN times (nodes never infected) and times outside [0, weeks) weeks are left out.
 */
export function weeklyIncidence(times: ArrayLike<number>, options: WeeklyIncidenceOptions): Float64Array {
  const { daysPerUnit, weeks, originDay = 0 } = options;
  if (!(daysPerUnit > 0 && Number.isFinite(daysPerUnit))) throw new ForecastError(`weeklyIncidence: daysPerUnit must be a finite number > 0, got ${daysPerUnit}.`);
  if (!(Number.isInteger(weeks) && weeks >= 0)) throw new ForecastError(`weeklyIncidence: weeks must be an integer ≥ 0, got ${weeks}.`);
  const out = new Float64Array(weeks);
  const perWeek = daysPerUnit / 7;
  const origin = originDay / 7;
  for (let i = 0; i < times.length; i++) {
    const w = Math.floor(origin + times[i] * perWeek);
    if (w >= 0 && w < weeks) out[w]++; // (NaN fails both tests)
  }
  return out;
}

/** Times at which nodes entered compartment `compartment`, from a run's state history (engine/trajectory.ts). */
export function entryTimes(history: { time: ArrayLike<number>; to: ArrayLike<number> }, compartment: number): Float64Array {
  let count = 0;
  for (let i = 0; i < history.to.length; i++) if (history.to[i] === compartment) count++;
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < history.to.length; i++) if (history.to[i] === compartment) out[k++] = history.time[i];
  return out;
}

/**
 * A reporting-delay kernel over 0..kernel.length − 1 weeks. Checked: entries ≥ 0 summing to 1 (to 1e-9).
 */
export function checkDelayKernel(kernel: ArrayLike<number>): void {
  let sum = 0;
  for (let d = 0; d < kernel.length; d++) {
    if (!(kernel[d] >= 0)) throw new ForecastError(`delay kernel: entry ${d} must be ≥ 0, got ${kernel[d]}.`);
    sum += kernel[d];
  }
  if (kernel.length === 0 || Math.abs(sum - 1) > 1e-9) throw new ForecastError(`delay kernel: entries must sum to 1 (got ${sum}); it is a probability distribution over delays.`);
}

/** Mean delay of a kernel, in weeks. */
export function meanDelay(kernel: ArrayLike<number>): number {
  let s = 0;
  for (let d = 0; d < kernel.length; d++) s += d * kernel[d];
  return s;
}

/**
 * Expected reported counts after a delay: out[w] = Σ_d kernel[d] · values[w − d] (values before week 0
 * count as 0). Mass delayed past the last week is lost, as in real-time data; otherwise Σ out = Σ values.
 */
export function applyDelay(values: ArrayLike<number>, kernel: ArrayLike<number>): Float64Array {
  checkDelayKernel(kernel);
  const out = new Float64Array(values.length);
  for (let w = 0; w < values.length; w++) {
    let s = 0;
    for (let d = 0; d < kernel.length && d <= w; d++) s += kernel[d] * values[w - d];
    out[w] = s;
  }
  return out;
}

/** Negative-binomial counts with the given means and dispersion k (Infinity: Poisson). */
export function reportingNoise(means: ArrayLike<number>, dispersion: number, rng: Random): Float64Array {
  if (!(dispersion > 0)) throw new ForecastError(`reportingNoise: dispersion must be > 0 (Infinity for Poisson), got ${dispersion}.`);
  const out = new Float64Array(means.length);
  for (let w = 0; w < means.length; w++) {
    const mu = means[w];
    if (!(mu >= 0 && Number.isFinite(mu))) throw new ForecastError(`reportingNoise: mean ${w} must be finite and ≥ 0, got ${mu}.`);
    out[w] = negativeBinomial(rng, mu, dispersion);
  }
  return out;
}

/** A change in reporting from week `week` onwards: expected counts × factor. */
export interface ReportingJump {
  week: number;
  factor: number;
}

export interface ReportingModel {
  /** Fraction ρ of latent cases that are reported, in (0, 1]. */
  fraction: number;
  /** Delay kernel over 0..K − 1 weeks (sums to 1). */
  delay: ArrayLike<number>;
  /** Negative-binomial dispersion k (Infinity: Poisson noise only). */
  dispersion: number;
  /** Reporting changes (weeks of the output). */
  jumps?: readonly ReportingJump[];
}

/**
 * Report a latent weekly series. `latent` holds K − 1 weeks of run-in before the first output week
 * (K = delay.length), so that the first weeks receive their delayed cases; the result has
 * latent.length − K + 1 weeks. Expected count of output week w: ρ · jump(w) · Σ_d p_d · latent[w + K − 1 − d].
 */
export function reportSeries(latent: ArrayLike<number>, model: ReportingModel, rng: Random): Float64Array {
  const { fraction, delay, dispersion, jumps = [] } = model;
  if (!(fraction > 0 && fraction <= 1)) throw new ForecastError(`reportSeries: reporting fraction must be in (0, 1], got ${fraction}.`);
  const runIn = delay.length - 1;
  const weeks = latent.length - runIn;
  if (weeks < 0) throw new ForecastError(`reportSeries: the latent series needs at least ${runIn} weeks of run-in, got ${latent.length} weeks in all.`);
  const delayed = applyDelay(latent, delay);
  const means = new Float64Array(weeks);
  const sorted = [...jumps].sort((a, b) => a.week - b.week);
  let level = 1;
  let next = 0;
  for (let w = 0; w < weeks; w++) {
    while (next < sorted.length && sorted[next].week <= w) level *= sorted[next++].factor;
    means[w] = fraction * level * delayed[w + runIn];
  }
  return reportingNoise(means, dispersion, rng);
}
