/**
 * The daily pretraining corpus: daily reported case counts of acute respiratory epidemics, what the daily
 * checkpoint (models/daily-pretrained, `spreadlab forecast pretrain --frequency daily`) learns from. The weekly
 * corpus (corpus.ts) is seasonal influenza-like illness seen week by week; a daily series is read in days, its
 * waves rise and fall over weeks, and its reports have a weekly rhythm — none of which a network pretrained on
 * weeks has seen (a weekly network reads 104 days as two years: README, "Data it has never seen").
 *
 * One series = one region's epidemic over `days` days (default 730), after a burn-in:
 *  - transmission: SIR(S) or SEIR(S) (half each), the chain-binomial patch of corpus-spatial.ts
 *    (`simulateMetapopulation`, one region), in daily steps; R0 1.2–3.5 (log-uniform: seasonal influenza's
 *    median 1.28 up to early SARS-CoV-2 estimates near 3 — Biggerstaff et al. 2014, BMC Infect. Dis. 14:480;
 *    Liu et al. 2020, J. Travel Med. 27:taaa021), infectious period 2–7 days, latent period 1–5 days;
 *    immunity waning after 120–1,000 days on average (80 % of series) or lasting; 0.5–30 imported infections
 *    a week; populations 10⁵–10⁷;
 *  - the reproduction number moves: a contact level that follows a random walk on the log scale between
 *    knots 14–120 days apart (σ 0.1–0.5 per knot, kept within 0.25–1.3 of normal) — behaviour, holidays,
 *    control measures and their lifting, the time-varying R_t of the field (Cori, Ferguson, Fraser &
 *    Cauchemez 2013, Am. J. Epidemiol. 178:1505); half the series get a new strain that spreads on a logistic
 *    curve (5–20 days per e-fold) to 1.2–2 × the transmissibility and makes 0–40 % of the immune susceptible
 *    again (antigenic drift, immune escape); seasonal forcing ±5–30 % in half the series,
 *    its peak placed by the weekly corpus' ClimateMix (northern winters, southern, tropical);
 *  - the burn-in (0 days in 30 % of series, so the record starts before the first wave; else 30–400 days)
 *    puts the first row anywhere in the epidemic;
 *  - reporting: a delay of 0–10 days (geometric, mean 0–4 days; Gostic et al. 2020, PLOS Comput. Biol.
 *    16:e1008409), an ascertainment that drifts (a log-scale random walk, σ 0.05–0.3 per knot, knots 30–180
 *    days apart: testing and reporting practice change), a day-of-week pattern in 80 % of series (each
 *    weekday ×e^{N(0, s²)}, s ≤ 0.25, Saturday × 0.3–1, Sunday × 0.2–1, a Monday catch-up × 1–1.5 in half of
 *    them, normalised to a weekly mean of 1), a holiday about every 250 days (nothing reported, the day's
 *    cases reported the next day), a background of 1–20 % of the peak in 20 % of series (other causes,
 *    false positives), and negative-binomial noise with dispersion 5–500;
 *  - scale: the largest expected daily report is 5–20,000 (log-uniform: a county to a large country).
 * These ranges cover daily surveillance of respiratory epidemics as the cited work describes it; none is
 * fitted to a dataset. The series start on a random day of 2000–2029, so the weekday pattern and the season
 * fall on real calendar days (the phase-of-year feature comes from the dates, as for a user's file).
 *
 * Series i draws everything from the stream (seed, DAILY_STREAM_BASE + i) and its climate from
 * (seed, DAILY_CLIMATE_STREAM_BASE + i): it depends only on (seed, i, days). About 1 ms a series.
 */
import { checkSeed, createRandom } from "../random.js";
import { ForecastError } from "./errors.js";
import { checkClimateMix, DEFAULT_CLIMATE_MIX, drawClimate, type Climate, type ClimateMix } from "./corpus.js";
import { simulateMetapopulation } from "./corpus-spatial.js";
import { applyDelay, meanDelay, reportingNoise } from "./reporting.js";
import { chance, logUniform, standardNormal, uniform } from "./samplers.js";

/** Streams of the daily series (the other corpora: corpus.ts 1 … 2³⁰ and 2³¹ …, corpus-spatial.ts 0x4…–0x7…). */
export const DAILY_STREAM_BASE = 0x20000000;
export const DAILY_CLIMATE_STREAM_BASE = 0x30000000;
/** Longest reporting delay, days (the kernel's run-in). */
export const DAILY_DELAY_DAYS = 10;
/** The longest series (days). */
export const MAX_DAILY_DAYS = 20_000;

const DAY = 86_400_000;
const FIRST_START = Date.UTC(2000, 0, 1);
const START_DAYS = Math.round((Date.UTC(2030, 0, 1) - FIRST_START) / DAY);

export interface DailySeriesMeta {
  model: "SIR" | "SEIR" | "SIRS" | "SEIRS";
  r0: number;
  infectiousDays: number;
  /** 0 for SIR(S). */
  latentDays: number;
  /** Mean duration of immunity (Infinity: lasting). */
  immunityDays: number;
  /**
   * A new strain: the day (of the series; negative: during the burn-in) its logistic rise is half way, its
   * transmissibility relative to the old one's, and the share of the immune it makes susceptible again that day.
   */
  strain: { day: number; gain: number; escape: number } | null;
  /** Seasonal forcing amplitude (0: none). */
  seasonality: number;
  climate: Climate;
  seasonShiftWeeks: number;
  burnInDays: number;
  /** Mean reporting delay (days). */
  delayDays: number;
  /** Day-of-week factors, Monday first (all 1: no pattern). */
  weekday: number[];
  dispersion: number;
  /** Largest expected daily report. */
  peak: number;
  /** Background expected reports a day (0: none). */
  floor: number;
  /** The stream of the series: createRandom(seed, stream). */
  stream: number;
}

export interface DailySeries {
  /** Daily reported counts: integers ≥ 0, length `days`. */
  values: Float64Array;
  /** Date of values[0] (YYYY-MM-DD). */
  startDate: string;
  meta: DailySeriesMeta;
}

/** A piecewise-linear path over `length` days through knots `gap()` days apart, values from `next(previous)`. */
function knotPath(length: number, first: number, gap: () => number, next: (previous: number) => number): Float64Array {
  const out = new Float64Array(length);
  let d0 = 0;
  let v0 = first;
  while (d0 < length) {
    const d1 = d0 + Math.max(1, Math.round(gap()));
    const v1 = next(v0);
    for (let d = d0; d < Math.min(d1, length); d++) out[d] = v0 + ((v1 - v0) * (d - d0)) / (d1 - d0);
    d0 = d1;
    v0 = v1;
  }
  return out;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Series `index` of the daily corpus with this seed: a pure function of (seed, index, days, climate mix). */
export function generateDailySeries(seed: number, index: number, days: number, options: { climate?: ClimateMix } = {}): DailySeries {
  checkSeed(seed);
  if (!(Number.isInteger(index) && index >= 0 && index < 0x10000000)) throw new ForecastError(`daily corpus: series index must be an integer in [0, 2^28), got ${index}.`);
  if (!(Number.isInteger(days) && days >= 1 && days <= MAX_DAILY_DAYS)) throw new ForecastError(`daily corpus: days must be an integer in [1, ${MAX_DAILY_DAYS}], got ${days}.`);
  const stream = DAILY_STREAM_BASE + index;
  const rng = createRandom(seed, stream);
  const { climate, shiftWeeks } = drawClimate(createRandom(seed, DAILY_CLIMATE_STREAM_BASE + index), checkClimateMix(options.climate ?? DEFAULT_CLIMATE_MIX));

  const startDay = rng.int(START_DAYS);
  const start = FIRST_START + startDay * DAY;
  const burnInDays = chance(rng, 0.3) ? 0 : Math.round(uniform(rng, 30, 400));
  // Simulated days: burn-in, the delay kernel's run-in, the series; whole weeks for the simulator.
  const latentDays = burnInDays + DAILY_DELAY_DAYS + days;
  const weeks = Math.ceil(latentDays / 7);
  const simDays = weeks * 7;
  const firstSimDay = start - (burnInDays + DAILY_DELAY_DAYS) * DAY; // calendar day of simulated day 0

  const seir = chance(rng, 0.5);
  const r0 = logUniform(rng, 1.2, 3.5);
  const infectiousDays = uniform(rng, 2, 7);
  const latent = seir ? uniform(rng, 1, 5) : 0;
  const immunityDays = chance(rng, 0.8) ? logUniform(rng, 120, 1000) : Infinity;
  const importsPerWeek = logUniform(rng, 0.5, 30);
  const N = Math.round(logUniform(rng, 1e5, 1e7));
  const initialImmune = chance(rng, 0.5) ? Math.round(N * uniform(rng, 0, 0.5)) : 0;

  const sigma = uniform(rng, 0.1, 0.5);
  const contact = knotPath(simDays, uniform(rng, 0.5, 1.1), () => uniform(rng, 14, 120), (c) => clamp(c * Math.exp(sigma * standardNormal(rng)), 0.25, 1.3));
  let strain: DailySeriesMeta["strain"] = null;
  let escape: { day: number; fraction: number } | undefined;
  if (chance(rng, 0.5)) {
    const mid = Math.round(uniform(rng, 0.1, 0.9) * simDays);
    const gain = uniform(rng, 0.2, 1);
    const scale = uniform(rng, 5, 20);
    for (let d = 0; d < simDays; d++) contact[d] *= 1 + gain / (1 + Math.exp(-(d - mid) / scale));
    escape = { day: mid, fraction: uniform(rng, 0, 0.4) };
    strain = { day: mid - burnInDays - DAILY_DELAY_DAYS, gain: 1 + gain, escape: escape.fraction };
  }
  const seasonality = chance(rng, 0.5) ? uniform(rng, 0.05, 0.3) : 0;
  const peakWeek = clamp(4 + 4 * standardNormal(rng), -6, 14) + shiftWeeks;
  // The simulator's forcing counts weeks from calendarStart: the week of the year of simulated day 0.
  const calendarStart = (firstSimDay - Date.UTC(new Date(firstSimDay).getUTCFullYear(), 0, 1)) / DAY / 7;

  const [onsets] = simulateMetapopulation(
    {
      populations: [N],
      mobility: new Float64Array(1),
      mobilityFraction: 0,
      r0: [r0],
      infectiousDays,
      latentDays: latent,
      forcing: seasonality > 0 ? { amplitude: seasonality, peakWeek, calendarStart } : undefined,
      immunityDays,
      importsPerWeek,
      susceptible: [N - initialImmune],
      immune: [initialImmune],
      weeks,
      transmissibility: contact,
      daily: true,
      escape,
    },
    rng,
  );
  const cases = onsets.subarray(burnInDays, burnInDays + DAILY_DELAY_DAYS + days);

  // Reporting: delay, drifting ascertainment, scale, background, weekday pattern, holidays, noise.
  const delayMean = uniform(rng, 0, 4);
  const q = delayMean / (1 + delayMean);
  const kernel = Float64Array.from({ length: DAILY_DELAY_DAYS + 1 }, (_, d) => q ** d);
  const total = kernel.reduce((a, b) => a + b, 0);
  for (let d = 0; d <= DAILY_DELAY_DAYS; d++) kernel[d] /= total;
  const delayed = applyDelay(cases, kernel).subarray(DAILY_DELAY_DAYS);
  const drift = uniform(rng, 0.05, 0.3);
  const ascertainment = knotPath(days, 1, () => uniform(rng, 30, 180), (a) => clamp(a * Math.exp(drift * standardNormal(rng)), 1 / 3, 3));
  const expected = Float64Array.from(delayed, (x, t) => x * ascertainment[t]);
  let top = 0;
  for (let t = 0; t < days; t++) top = Math.max(top, expected[t]);
  const peak = logUniform(rng, 5, 20_000);
  const multiplier = top > 0 ? peak / top : 0;
  const floor = chance(rng, 0.2) ? peak * logUniform(rng, 0.01, 0.2) : 0;

  const weekday = [1, 1, 1, 1, 1, 1, 1]; // Monday … Sunday
  if (chance(rng, 0.8)) {
    const s = uniform(rng, 0, 0.25);
    for (let k = 0; k < 7; k++) weekday[k] = Math.exp(s * standardNormal(rng));
    weekday[5] *= uniform(rng, 0.3, 1);
    weekday[6] *= uniform(rng, 0.2, 1);
    if (chance(rng, 0.5)) weekday[0] *= uniform(rng, 1, 1.5);
    const mean = weekday.reduce((a, b) => a + b, 0) / 7;
    for (let k = 0; k < 7; k++) weekday[k] /= mean;
  }
  const means = new Float64Array(days);
  const monday0 = (new Date(start).getUTCDay() + 6) % 7; // 0 = Monday
  for (let t = 0; t < days; t++) means[t] = (multiplier * expected[t] + floor) * weekday[(monday0 + t) % 7];
  for (let t = 0; t < days - 1; t++) {
    if (chance(rng, 1 / 250)) {
      means[t + 1] += means[t];
      means[t] = 0;
    }
  }
  const dispersion = logUniform(rng, 5, 500);
  const values = reportingNoise(means, dispersion, rng);

  return {
    values,
    startDate: new Date(start).toISOString().slice(0, 10),
    meta: {
      model: `${seir ? "SEIR" : "SIR"}${Number.isFinite(immunityDays) ? "S" : ""}` as DailySeriesMeta["model"],
      r0,
      infectiousDays,
      latentDays: latent,
      immunityDays,
      strain,
      seasonality,
      climate,
      seasonShiftWeeks: shiftWeeks,
      burnInDays,
      delayDays: meanDelay(kernel),
      weekday,
      dispersion,
      peak,
      floor,
      stream,
    },
  };
}

/** `series` daily series of `days` days, series i from (seed, i) alone. */
export function generateDailyCorpus(options: { series: number; days: number; seed: number; climate?: ClimateMix; onProgress?: (done: number, total: number) => void }): { series: DailySeries[]; seed: number; elapsedMs: number } {
  const started = performance.now();
  checkSeed(options.seed);
  if (!(Number.isInteger(options.series) && options.series >= 0)) throw new ForecastError(`daily corpus: series must be an integer ≥ 0, got ${options.series}.`);
  const out: DailySeries[] = [];
  for (let i = 0; i < options.series; i++) {
    out.push(generateDailySeries(options.seed, i, options.days, options));
    options.onProgress?.(i + 1, options.series);
  }
  return { series: out, seed: options.seed, elapsedMs: performance.now() - started };
}
