/**
 * The influenza part of a corpus series: weekly onsets (in network nodes) on the series' calendar, either
 * as a fresh epidemic every season or as one continuous, seasonally forced SIRS/SEIRS.
 *
 * Seasons: each winter a fresh SIR/SEIR epidemic with R0 around the series' R0 (log-sd 0.12; 15 % mild
 * seasons, R0 − 1 cut to 30–60 %), 0–25 % residual immunity, 0.05–0.5 % of nodes as seeds, a 20 % chance of
 * an intervention near the peak and 15 % of a second, later wave (an influenza-B-like wave 4–12 weeks after
 * the first, 30–90 % of its height for the same population); 2 % of seasons skipped (as 2020/21). A season
 * is placed so that its peak falls in calendar week 4 ± 4 (clamped to −6…14: late November to early April).
 * 6 % of the series hold a 2009-like pandemic: an off-season wave (April–October) with a higher R0, after
 * which the next season is milder.
 * The time unit (days per infectious period) is chosen after the seasons are simulated: the median
 * half-maximum width of the main seasons becomes `targetWidthWeeks` (5–14 weeks, log-uniform: corpus.ts).
 * Widths differ too much between network types for an R0-based formula; it is only the fallback.
 *
 * Continuous: SIRS/SEIRS with forcing highest between early November and late January (A = 0.1–0.45),
 * immunity lasting 1–4 years, 0.3–5 imports a week, 40 weeks of burn-in. Its time unit comes from a pilot: a
 * fresh epidemic of the same model and R0, whose width is stretched to the target.
 *
 * Where these priors come from. "Pre-test" below means the ILINet seasons (MMWR week 40 to week 39) that end
 * before 2013-W15, the first test row of region785 (state360's comes later, 2015-W30): region785 2002/03–2011/12
 * (10 HHS regions) and state360 2010/11–2011/12 (49 states), measured by bench/corpus-priors.ts on a 3-week
 * mean, beside the same measures on the checkpoint's corpus (seed 1, series 0–199; 10th–90th percentiles of the
 * data, 5th–95th of the corpus). The priors in this file were consistent with the pre-test seasons and kept;
 * those of the floor and the peak's height (corpus.ts) were re-chosen, and the checkpoint re-pretrained.
 *  - Width (5–14 weeks): first read off ILINet's regional seasons 2010–2024, which overlap both benchmarks'
 *    test periods; no longer the source. Pre-test half-maximum widths: region785 median 8.2 weeks (5.3–15.6;
 *    19 of 100 seasons censored by the season's edges), state360 8.7 (5.9–15.9); corpus seasons 9.0
 *    (3.9–19.3). Consistent.
 *  - Peak week (4 ± 4 weeks after the new year, clamped −6…14): literature — CDC, "The Flu Season"
 *    (FluView, seasons 1982/83–2013/14, by percent of specimens positive): peaks in February in 14 of 32
 *    seasons, December 6, January 5, March 5. Pre-test peak weeks: region785 median 6 (−6…10; below the range
 *    the 2009 pandemic's October peaks, above it 2008/09, whose maximum is the pandemic's rise in its last
 *    weeks), state360 7 (3…10); corpus 5 (−6…24). Consistent, though the pre-test median is a week or two
 *    later than the corpus' centre.
 *  - Season-to-season variation (R0 log-sd 0.12, 15 % mild seasons, second waves, residual immunity,
 *    interventions): choices, not measured one by one. Their result, next season's peak / this season's:
 *    region785 median 0.97 (0.38–3.40), corpus 0.99 (0.11–8.24): consistent. state360 differs (median 0.48,
 *    0.20–0.91) but holds a single transition, 2010/11 → 2011/12, a mild season everywhere.
 *  - R0: see corpus.ts (literature: Biggerstaff et al. 2014); per-season values vary around the series' R0.
 *  - Skipped seasons (2 %): the 2020/21 season, when influenza all but vanished in the United States (Olsen
 *    et al. 2021, MMWR 70:1013–1019), after both benchmarks end; the rate is a choice.
 *  - Pandemic (6 % of series, off-season, R0 × 1.15–1.5 capped at 3): shaped on 2009, a pre-test year (its
 *    rise ends the 2008/09 season, its October peak opens 2009/10); Biggerstaff et al. 2014 give R 1.46 (IQR
 *    1.30–1.70) for 2009 against 1.28 for seasonal influenza (ratio 1.14). The rate is a choice: 6 % of
 *    five-year series is about 1.2 % a year, below the four pandemics of 1918–2009 (about 4 % a year).
 *  - Continuous models (forcing amplitude and phase, immunity, imports): choices, not measured; their
 *    yearly peaks are in the corpus' peak-week measure above.
 */
import type { Random } from "../random.js";
import type { CorpusNetwork } from "./corpus-networks.js";
import {
  growthRatePerUnit,
  simulateSeason,
  simulateSeasonalSIRS,
  transmission,
  weeklyOnsets,
  type SeasonIntervention,
  type SeasonModel,
  type SeasonResult,
} from "./corpus-epidemics.js";
import { chance, logUniform, standardNormal, uniform } from "./samplers.js";

/** Mean weeks per calendar year. */
export const WEEKS_PER_YEAR = 365.25 / 7;
/** Continuous models: weeks simulated before the series, so the start-up transient is gone. */
const BURN_IN_WEEKS = 40;
/** Bounds of the time unit, days. */
const MIN_DAYS_PER_UNIT = 0.2;
/** A major outbreak infects at least this fraction of the nodes. */
const MAJOR_OUTBREAK = 0.03;
export const MAX_DAYS_PER_UNIT = 40;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export interface FluPlan {
  net: CorpusNetwork;
  model: SeasonModel;
  r0: number;
  latentUnits: number;
  /** Week of the calendar year (0 = first week of January) at index 0 of the output. */
  calendarStart: number;
  /** Output weeks, of which the first `runIn` precede the series (they feed the reporting delay). */
  length: number;
  runIn: number;
  /** Target half-maximum width of a season, weeks. */
  targetWidthWeeks: number;
}

export interface Flu {
  /** Onsets per week (nodes). */
  flu: Float64Array;
  daysPerUnit: number;
  /**
   * True when the epidemics were too weak to stand for influenza seasons: fewer than half the main seasons
   * (or the pilot) were major outbreaks (≥ 3 % of the nodes), or the waves were too narrow, in units, to
   * reach the target width within MAX_DAYS_PER_UNIT (hub-driven flashes on heavy-tailed networks).
   */
  weak: boolean;
  /** Seasons peaking inside the series (continuous: yearly forcing maxima). */
  seasons: number;
  /** Interventions, second and pandemic waves, skipped seasons, with their series weeks. */
  notes: string[];
}

/** Add `source` × weight into `target` with source index 0 at target index `offset`. */
function addShifted(target: Float64Array, source: Float64Array, offset: number, weight: number): void {
  for (let i = 0; i < source.length; i++) {
    const j = i + offset;
    if (j >= 0 && j < target.length) target[j] += weight * source[i];
  }
}

function argmax(a: Float64Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Width in units of a fresh epidemic, from the R0 formula (a sech²-shaped wave has width ≈ 3.5/r). */
function formulaWidth(plan: FluPlan): number {
  const { T, r0 } = transmission(plan.r0, plan.net.kappa);
  return 3.5 / Math.max(1e-3, growthRatePerUnit(r0, T, plan.model === "SEIR" ? plan.latentUnits : null));
}

function sampleIntervention(rng: Random): SeasonIntervention {
  const u = rng.next();
  if (u < 0.55) return { kind: "holiday", by: uniform(rng, 0.5, 0.85), start: uniform(rng, -0.6, 0.2), length: uniform(rng, 0.1, 0.4) };
  if (u < 0.8) return { kind: "vaccination", fraction: uniform(rng, 0.05, 0.25), start: uniform(rng, -1, -0.2) };
  return { kind: "distancing", by: uniform(rng, 0.2, 0.6), start: uniform(rng, -0.5, 0.2) };
}

interface Wave {
  result: SeasonResult;
  /** Output week where its peak goes. */
  peak: number;
  weight: number;
  main: boolean;
  note?: (week: number) => string;
}

/** Fresh seasons, placed by their peaks (weeks on the output grid). */
export function seasonsFlu(plan: FluPlan, rng: Random): Flu {
  const { net, length, calendarStart, runIn } = plan;
  const waves: Wave[] = [];
  const notes: string[] = [];
  let seasons = 0;
  const inside = (week: number) => week >= runIn && week < length;
  const season = (r0: number, immune: number, intervention?: SeasonIntervention): SeasonResult =>
    simulateSeason(
      net,
      {
        model: plan.model,
        r0,
        latentUnits: plan.latentUnits,
        seeds: Math.max(5, Math.round(net.n * logUniform(rng, 0.0005, 0.005))),
        // Keep the effective reproduction number above 1.05: immunity makes seasons milder, not absent.
        immune: clamp(Math.min(immune, 1 - 1.05 / r0), 0, 1),
        intervention,
      },
      rng.uint32(),
    );
  const firstYear = Math.floor((calendarStart - 30) / WEEKS_PER_YEAR);
  const lastYear = Math.ceil((calendarStart + length + 30) / WEEKS_PER_YEAR);
  const pandemicYear = chance(rng, 0.06) ? firstYear + 1 + rng.int(Math.max(1, lastYear - firstYear - 1)) : null;
  let after = 1;
  for (let year = firstYear; year <= lastYear; year++) {
    if (year === pandemicYear) {
      const peak = Math.round(year * WEEKS_PER_YEAR + uniform(rng, 16, 44) - calendarStart);
      if (peak > -20 && peak < length + 25) {
        const r0 = Math.min(3, plan.r0 * uniform(rng, 1.15, 1.5));
        waves.push({ result: season(r0, 0), peak, weight: uniform(rng, 1, 1.8), main: false, note: (w) => `pandemic wave peaking in week ${w}` });
        after = 0.85;
      }
    }
    // Peak week 4 ± 4: CDC's peak months (February most often); pre-test ILINet median 6 (file header).
    const peak = Math.round(year * WEEKS_PER_YEAR + clamp(4 + 4 * standardNormal(rng), -6, 14) - calendarStart);
    if (peak <= -20 || peak >= length + 25) continue;
    if (chance(rng, 0.02)) {
      // A season that does not happen, as 2020/21 (Olsen et al. 2021); the rate is a choice.
      if (inside(peak)) notes.push(`no season around week ${peak - runIn}`);
      continue;
    }
    if (inside(peak)) seasons++;
    let r0 = plan.r0 * Math.exp(0.12 * standardNormal(rng)) * after;
    after = 1;
    if (chance(rng, 0.15)) r0 = 1 + (r0 - 1) * uniform(rng, 0.3, 0.6); // mild season
    r0 = Math.max(1.1, r0);
    const immune = uniform(rng, 0, 0.25);
    const main = season(r0, immune, chance(rng, 0.2) ? sampleIntervention(rng) : undefined);
    const label = main.intervention;
    waves.push({ result: main, peak, weight: 1, main: true, note: label ? (w) => `${label} (season peaking in week ${w})` : undefined });
    if (chance(rng, 0.15)) {
      const second = season(Math.max(1.1, r0 * uniform(rng, 0.75, 0.95)), immune);
      waves.push({ result: second, peak: peak + Math.round(uniform(rng, 4, 12)), weight: uniform(rng, 0.3, 0.9), main: false, note: (w) => `second wave peaking in week ${w}` });
    }
  }
  const major = (r: SeasonResult) => r.shape !== null && r.onsets.length >= MAJOR_OUTBREAK * net.n;
  const mains = waves.filter((w) => w.main);
  const majors = mains.filter((w) => major(w.result)).length;
  const widths = waves.flatMap((w) => (w.main && w.result.shape ? [w.result.shape.width] : []));
  const unitWidth = widths.length > 0 ? median(widths) : formulaWidth(plan);
  const wanted = (7 * plan.targetWidthWeeks) / unitWidth;
  const daysPerUnit = clamp(wanted, MIN_DAYS_PER_UNIT, MAX_DAYS_PER_UNIT);
  const flu = new Float64Array(length);
  for (const wave of waves) {
    const weekly = weeklyOnsets(wave.result.onsets, daysPerUnit);
    addShifted(flu, weekly, wave.peak - argmax(weekly), wave.weight);
    if (wave.note && inside(wave.peak)) notes.push(wave.note(wave.peak - runIn));
  }
  return { flu, daysPerUnit, weak: wanted > MAX_DAYS_PER_UNIT || 2 * majors < mains.length, seasons, notes };
}

/** A continuous SIRS/SEIRS with seasonal forcing over burn-in + the series. */
export function continuousFlu(plan: FluPlan, rng: Random): Flu {
  const { net, length, calendarStart, runIn } = plan;
  const pilotSpec = { model: plan.model, r0: plan.r0, latentUnits: plan.latentUnits, seeds: Math.max(5, Math.round(0.002 * net.n)), immune: 0 };
  let pilot = simulateSeason(net, pilotSpec, rng.uint32());
  if (pilot.shape === null) pilot = simulateSeason(net, pilotSpec, rng.uint32());
  const wanted = (7 * plan.targetWidthWeeks) / (pilot.shape?.width ?? formulaWidth(plan));
  const daysPerUnit = clamp(wanted, MIN_DAYS_PER_UNIT, MAX_DAYS_PER_UNIT);
  const forcingWeekOfYear = uniform(rng, -8, 4); // β highest between early November and late January
  const simStart = calendarStart - BURN_IN_WEEKS;
  const peakDay = ((((forcingWeekOfYear - simStart) * 7) % 365.25) + 365.25) % 365.25;
  const all = simulateSeasonalSIRS(
    net,
    {
      model: plan.model === "SIR" ? "SIRS" : "SEIRS",
      r0: plan.r0,
      latentUnits: plan.latentUnits,
      amplitude: uniform(rng, 0.1, 0.45),
      peakDay,
      immunityYears: uniform(rng, 1, 4),
      importsPerWeek: logUniform(rng, 0.3, 5),
      infected: 0.001,
      immune: uniform(rng, 0.2, 0.6),
    },
    daysPerUnit,
    BURN_IN_WEEKS + length,
    rng.uint32(),
  );
  let seasons = 0;
  for (let year = Math.floor(calendarStart / WEEKS_PER_YEAR) - 1; year * WEEKS_PER_YEAR < calendarStart + length + WEEKS_PER_YEAR; year++) {
    const week = year * WEEKS_PER_YEAR + forcingWeekOfYear - calendarStart;
    if (week >= runIn && week < length) seasons++;
  }
  return { flu: all.slice(BURN_IN_WEEKS), daysPerUnit, weak: wanted > MAX_DAYS_PER_UNIT || pilot.onsets.length < MAJOR_OUTBREAK * net.n, seasons, notes: [] };
}
