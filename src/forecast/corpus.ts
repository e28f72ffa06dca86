/**
 * The synthetic pretraining corpus of the ILI forecaster: weekly reported counts of influenza-like illness
 * made by Spreadlab's own engine, shaped like CDC ILINet ILITOTAL regional series.
 *
 * One series = (background ILI + influenza waves) observed through a reporting model:
 *  - background: visits for non-influenza ILI, a smooth level with its own mild seasonality (winter high,
 *    ±5–35 %), a slow log-linear trend (−25…+60 % a year: providers joining ILINet) and a slow AR(1)
 *    wander; 8 % of the series have no floor at all (pure engine output);
 *  - influenza (corpus-flu.ts), per group of 4 series either a fresh SIR/SEIR epidemic every winter on the
 *    group's network (75 %), with interventions, second waves, mild and skipped seasons and the odd
 *    off-season pandemic, or one continuous SIRS/SEIRS with waning immunity and seasonal forcing (25 %);
 *    series-level R0 in 1.2–3 (denser below 2; raised, up to 3, when the epidemics stay minor), a time
 *    unit that makes seasons 5–14 weeks wide;
 *  - scale: nodes stand for a sample of a large population; the multiplier puts the largest wave at 10–200 ×
 *    the floor (floors 10–700 reported a week), or at 100–20,000 a week without a floor;
 *  - climate: 80 % of the series northern (seasons in the northern winter), 10 % southern (26 weeks later),
 *    10 % tropical (0–51 weeks later) — ClimateMix below;
 *  - reporting (reporting.ts): fraction ρ (5–80 %), a delay kernel over 0–2 weeks (60–100 % in the same
 *    week), step changes of reporting (×e^{N(0, 0.1²)}, about one per ten years), negative-binomial noise
 *    with dispersion k in 15–1,000 (sources of every prior: below).
 * Series i draws everything from the stream (seed, i + 1); its network, network ⌊i / 4⌋ of the corpus, and
 * the group's kind come from streams of their own (corpus-networks.ts). So series i depends only on
 * (seed, i): the corpus is reproducible from the seed and can be generated in any order or in parallel.
 *
 * Where these priors come from (bench/corpus-priors.ts; "pre-test": ILINet seasons, MMWR week 40 to week 39,
 * that end before 2013-W15, the earlier of the two benchmarks' first test rows — region785 2002/03–2011/12, 10
 * HHS regions, and state360 2010/11–2011/12, 49 states — measured per season on a 3-week mean; the same measures
 * on this corpus, seed 1, series 0–199 with a floor; 10th–90th percentiles of the data, 5th–95th of the
 * corpus). Floors, peak / floor and the floors' trend were re-chosen from the pre-test seasons, and the bundled
 * checkpoint (models/ili-pretrained) re-pretrained on this corpus; the figures below are for the corpus as it is
 * now (the former ones in brackets).
 *  - R0 1.2–3 (literature): Biggerstaff, Cauchemez, Reed, Gambhir & Finelli (2014), BMC Infect. Dis. 14:480,
 *    seasonal influenza median 1.28 (IQR 1.19–1.37), 2009 pandemic 1.46 (1.30–1.70), 1918 1.80 (1.47–2.27).
 *    Differs: the corpus' series R0 has median 2.16 (IQR 1.73–2.60), above the seasonal range (a network R0
 *    T·κ, before residual immunity, and raised where epidemics stayed minor); the time unit, not R0, sets the
 *    seasons' widths (corpus-flu.ts). Kept: on the corpus' networks an R0 near 1.3 mostly gives minor
 *    outbreaks, which the generator then raises anyway.
 *  - Width, peak week, season-to-season variation, skipped seasons, pandemics: corpus-flu.ts.
 *  - Peak / floor (largest wave 10–200 × the floor, log-uniform): per season, pre-test peak / floor is
 *    region785 median 13.6 (4.8–55.4), state360 11.4 (3.7–220), against the corpus' 9.4 (2.0–75) [3.8
 *    (1.6–11.3) with the former 4–16]; the pre-test summer level is 8 % (region785; 2–24 %) and 10 % (state360)
 *    of the season's peak, the corpus' 16 % [31 %]. Much of the spread is early ILINet, whose summers had few
 *    reporting providers: region785's median ratio falls from 38–52 in 2002/03–2003/04 to 11.2 in 2010/11 (3.4 in
 *    the mild 2011/12).
 *  - Floors (10–700 reported a week, log-uniform): the pre-test season floors' (10th percentile) 10th–90th
 *    percentiles, region785 median 117 (14–688), state360 15 (0–210); corpus 160 (15–1,270) [648 (77–3,931)
 *    with the former 60–5,000]. The forecaster scales each window, so the level matters through the counts'
 *    noise.
 *  - Trend (N(15 %, 20 %) a year, clamped −25…+60 %): the pre-test floors grew by a median 19 % a year in
 *    region785 (−27 %…+237 % between consecutive seasons), 10 % in state360; corpus 16 % (−40 %…+81 %) [4 %
 *    with the former −10…+30 %].
 *  - Background seasonality (±5–35 %), AR(1) wander, the 8 % of series without a floor, reporting fraction,
 *    delay kernel and reporting steps: choices. ILINet counts alone do not separate non-influenza ILI from
 *    influenza in winter, nor reporting from incidence, so these were not measured.
 *  - Noise dispersion k (15–1,000): summer week-to-week noise, k = μ² / (var(second difference)/1.5 − μ),
 *    pre-test region785 median 83, state360 58, corpus 43 [89 with the former floors: lower floors make the
 *    summer counts noisier]; the tails: 10 % of pre-test region-seasons are noisier than k = 8 (state360: 3),
 *    the corpus' 5th percentile is 5, and at least 10 % of each are at or below Poisson. The former "k ≈ 20–500" reading had no recorded source.
 * Cost: about 50 ms of one core per five-year series (see generateCorpus).
 */
import { checkSeed, createRandom, type Random } from "../random.js";
import { ForecastError } from "./errors.js";
import {
  cachedCorpusNetwork,
  DEFAULT_MAX_NODES,
  DEFAULT_MIN_NODES,
  GROUP_STREAM_BASE,
  MAX_SERIES_INDEX,
  SERIES_PER_NETWORK,
  type CorpusNetwork,
  type NetworkSizeOptions,
} from "./corpus-networks.js";
import { transmission, type SeasonModel } from "./corpus-epidemics.js";
import { continuousFlu, seasonsFlu, WEEKS_PER_YEAR, type Flu, type FluPlan } from "./corpus-flu.js";
import { meanDelay, reportSeries, type ReportingJump } from "./reporting.js";
import { chance, logUniform, poisson, standardNormal, uniform } from "./samplers.js";

export { WEEKS_PER_YEAR };

/**
 * Where a series' seasons fall in its calendar year. Influenza peaks in December–March in the temperate north,
 * in June–August in the temperate south, and at any time of year (often twice, or with the rains) in the
 * tropics (Bloom-Feshbach, Alonso, Charu et al. 2013, PLoS One 8:e54445, a review of 85 countries; Newman,
 * Bhat, Fleming et al. 2018, PLoS Med 15:e1002609). A northern series keeps the calendar of corpus-flu.ts
 * (peaks in week 4 ± 4); a southern one has every season, the forcing and the background's winter moved 26
 * weeks later; a tropical one by 0–51 weeks (uniform). A forecaster that has only seen northern winters reads
 * the calendar features as "the season comes in January", which a southern dataset contradicts (region785 with
 * its dates shifted 26 weeks: zero-shot WIS ×2.1). The shares (default 10 % southern, 10 % tropical) were chosen
 * on the benchmarks' validation rows by a rule fixed beforehand (README, "Data it has never seen"): 20 % / 20 %
 * cost region785 5.9 % as dated and was refused; 10 % / 10 % passed. Drawn on a stream of its own, so a northern
 * series is the same draw as in a corpus without the mix, and shares 0, 0 reproduce that corpus exactly.
 */
export interface ClimateMix {
  /** Share of series with southern-hemisphere seasons (26 weeks later). */
  southern: number;
  /** Share with tropical timing (shifted by 0–51 weeks, uniform). */
  tropical: number;
}

export const DEFAULT_CLIMATE_MIX: Readonly<ClimateMix> = Object.freeze({ southern: 0.1, tropical: 0.1 });
/** Stream of series i's climate: createRandom(seed, CLIMATE_STREAM_BASE + i). */
export const CLIMATE_STREAM_BASE = 0x60000000;
export type Climate = "northern" | "southern" | "tropical";

export function checkClimateMix(mix: ClimateMix, where = "climate mix"): ClimateMix {
  const ok = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
  if (!ok(mix.southern) || !ok(mix.tropical) || mix.southern + mix.tropical > 1) {
    throw new ForecastError(`${where}: the southern and tropical shares must be in [0, 1] with a sum ≤ 1, got ${mix.southern} and ${mix.tropical}.`);
  }
  return mix;
}

/** The climate of one series (or set) and how many weeks later than a northern one its seasons come. */
export function drawClimate(rng: Random, mix: ClimateMix): { climate: Climate; shiftWeeks: number } {
  const u = rng.next();
  if (u < mix.southern) return { climate: "southern", shiftWeeks: 26 };
  if (u < mix.southern + mix.tropical) return { climate: "tropical", shiftWeeks: rng.int(52) };
  return { climate: "northern", shiftWeeks: 0 };
}

export interface CorpusSeriesOptions extends NetworkSizeOptions {
  /** Shares of southern and tropical series (default DEFAULT_CLIMATE_MIX). */
  climate?: ClimateMix;
}

export interface CorpusOptions extends CorpusSeriesOptions {
  /** Number of series. */
  series: number;
  /** Weeks per series (e.g. 260 = five years). */
  weeks: number;
  /** Seed of everything. */
  seed: number;
  /** Called after each series with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface CorpusSeriesMeta {
  /** Generator and parameters of the contact network. */
  network: string;
  /** Nodes of the network. */
  n: number;
  /** "SIR seasons" | "SEIR seasons" (a fresh epidemic every winter) | "SIRS" | "SEIRS" (continuous, forced). */
  model: string;
  /** Series-level basic reproduction number (seasons vary around it). */
  r0: number;
  /** Reporting fraction ρ. */
  reporting: number;
  /** Negative-binomial dispersion k (variance μ + μ²/k). */
  dispersion: number;
  /** Mean reporting delay in weeks (kernel over 0–2 weeks). */
  delayWeeks: number;
  /** Influenza seasons peaking inside the series (continuous models: yearly forcing maxima inside it). */
  seasons: number;
  /** Interventions, second waves, pandemic waves and skipped seasons, in words. */
  interventions: string[];
  /** The random stream of the series: createRandom(seed, stream). */
  stream: number;
  /** Expected reported background at its seasonal mean level, week 0 (0: no floor). */
  floor: number;
  /** Week of the calendar year (0 = first week of January) of values[0]. */
  startWeek: number;
  /** Where its seasons fall in the year (ClimateMix), and how many weeks later than a northern series'. */
  climate: Climate;
  seasonShiftWeeks: number;
  /** Days per engine time unit (the mean infectious period). */
  daysPerUnit: number;
  /** Number of step changes in reporting. */
  reportingChanges: number;
}

export interface CorpusSeries {
  /** Weekly reported counts: integers ≥ 0, length `weeks`. */
  values: Float64Array;
  meta: CorpusSeriesMeta;
}

export interface Corpus {
  series: CorpusSeries[];
  seed: number;
  elapsedMs: number;
}

/** Run-in weeks before week 0 that feed the delay kernel (kernel over 0..DELAY_WEEKS). */
export const DELAY_WEEKS = 2;

/** Share of series groups with a continuous SIRS/SEIRS (the rest: a fresh epidemic every season). */
const CONTINUOUS_SHARE = 0.25;
const CONTINUOUS_NODES = [1500, 4000] as const;
/** Weekly onsets (nodes) the largest wave of a series should reach. */
const MIN_WAVE_NODES = 50;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Background (non-influenza) ILI per latent week, with mean level `floor` (0: none). */
export function background(length: number, calendarStart: number, floor: number, rng: Random): Float64Array {
  const out = new Float64Array(length);
  if (floor === 0) return out;
  const amplitude = uniform(rng, 0.05, 0.35);
  const phase = uniform(rng, -8, 8); // highest around the new year
  // Pre-test floors grew by a median 19 % a year (−27…+237 % between seasons; file header): N(0.15, 0.2²)
  // clamped to −25…+60 % a year.
  const slope = clamp(0.15 + 0.2 * standardNormal(rng), -0.25, 0.6) / WEEKS_PER_YEAR;
  const ar = uniform(rng, 0.85, 0.98);
  const sd = logUniform(rng, 0.005, 0.04);
  let x = (sd / Math.sqrt(1 - ar * ar)) * standardNormal(rng);
  for (let j = 0; j < length; j++) {
    const season = amplitude * Math.cos((2 * Math.PI * (calendarStart + j - phase)) / WEEKS_PER_YEAR);
    out[j] = floor * Math.exp(season + slope * (j - DELAY_WEEKS) + x);
    x = ar * x + sd * standardNormal(rng);
  }
  return out;
}

function checkIndex(index: number, weeks: number): void {
  if (!(Number.isInteger(index) && index >= 0 && index <= MAX_SERIES_INDEX)) throw new ForecastError(`corpus: series index must be an integer in [0, 2^30), got ${index}.`);
  if (!(Number.isInteger(weeks) && weeks >= 1 && weeks <= 10_000)) throw new ForecastError(`corpus: weeks must be an integer in [1, 10000], got ${weeks}.`);
}

/**
 * Series `index` of the corpus with this seed: a pure function of (seed, index, weeks, network sizes).
 * A series made longer is another draw, not an extension (the seasons simulated depend on the span): use
 * one `weeks` for a whole corpus.
 */
export function generateCorpusSeries(seed: number, index: number, weeks: number, options: CorpusSeriesOptions = {}): CorpusSeries {
  checkSeed(seed);
  checkIndex(index, weeks);
  const stream = index + 1;
  const rng = createRandom(seed, stream);
  const group = Math.floor(index / SERIES_PER_NETWORK);
  // A group of series is either continuous (SIRS/SEIRS) or seasons. A continuous run rebuilds the engine's
  // sampler, O(n), at every step of β(t) and infects each node several times over the years, so its
  // networks have 1,500–4,000 nodes (within the requested bounds): small enough to be cheap, large enough
  // that demographic noise does not dominate the waves.
  const continuous = createRandom(seed, GROUP_STREAM_BASE + group).next() < CONTINUOUS_SHARE;
  const minNodes = options.minNodes ?? DEFAULT_MIN_NODES;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const sizes = continuous ? { minNodes: clamp(CONTINUOUS_NODES[0], minNodes, maxNodes), maxNodes: clamp(CONTINUOUS_NODES[1], minNodes, maxNodes) } : { minNodes, maxNodes };
  const net = cachedCorpusNetwork(seed, group, sizes);

  const startWeek = rng.int(52);
  const { climate, shiftWeeks } = drawClimate(createRandom(seed, CLIMATE_STREAM_BASE + index), checkClimateMix(options.climate ?? DEFAULT_CLIMATE_MIX));
  // The epidemics' calendar: a season placed in northern week w lands in week w + shift of the series' calendar.
  const calendarStart = startWeek - DELAY_WEEKS - shiftWeeks;
  const length = weeks + DELAY_WEEKS;
  const withFloor = !chance(rng, 0.08);
  const model: SeasonModel = chance(rng, 0.5) ? "SIR" : "SEIR";
  const latentUnits = uniform(rng, 0.3, 1);
  // Series R0 1.2–3: above seasonal influenza's 1.19–1.37 IQR (Biggerstaff et al. 2014; file header).
  const { r0 } = transmission(1.2 + 1.8 * rng.next() ** 1.5, net.kappa);
  const plan: FluPlan = { net, model, r0, latentUnits, calendarStart, length, runIn: DELAY_WEEKS, targetWidthWeeks: logUniform(rng, 5, 14) };
  // Waves of a few nodes a week are mostly demographic noise, which a region of millions does not have, and
  // minor outbreaks or hub-driven flashes (heavy-tailed networks at low R0 = T·κ, where the attack rate
  // stays tiny) are no influenza seasons: then raise R0 and simulate again (at most 3 more times, R0 ≤ 3).
  let flu: Flu;
  let fluMax = 0;
  for (let attempt = 0; ; attempt++) {
    flu = continuous ? continuousFlu(plan, rng) : seasonsFlu(plan, rng);
    fluMax = 0;
    for (let j = 0; j < length; j++) fluMax = Math.max(fluMax, flu.flu[j]);
    if ((fluMax >= MIN_WAVE_NODES && !flu.weak) || attempt === 3 || plan.r0 >= 3) break;
    plan.r0 = transmission(Math.min(3, plan.r0 + 0.4), net.kappa).r0;
  }

  const reporting = logUniform(rng, 0.05, 0.8);
  // Floors and peaks in reported counts per week; the latent series is divided by ρ.
  // Floors 10–700 a week (log-uniform): the pre-test ILINet seasons' 10th–90th percentiles (region785 14–688,
  // state360 0–210). The largest wave 10–200 × the floor (log-uniform), which puts the corpus' per-season
  // peak / floor at median 9.4 (5–95 %: 2.0–75) against pre-test medians 13.6 (region785, 10–90 %: 4.8–55) and
  // 11.4 (state360, 3.7–220), and the summer level at 16 % of the season's peak against 8 % and 10 % (file
  // header, bench/corpus-priors.ts).
  const floorReported = withFloor || fluMax === 0 ? logUniform(rng, 10, 700) : 0;
  const base = background(length, calendarStart, floorReported / reporting, rng);
  const peakRatio = logUniform(rng, 10, 200);
  const multiplier = fluMax === 0 ? 0 : floorReported > 0 ? ((peakRatio - 1) * floorReported) / reporting / fluMax : logUniform(rng, 100, 20000) / reporting / fluMax;
  const latent = new Float64Array(length);
  for (let j = 0; j < length; j++) latent[j] = base[j] + multiplier * flu.flu[j];

  const p0 = uniform(rng, 0.5, 1);
  const p1 = (1 - p0) * uniform(rng, 0.5, 1);
  const delay = [p0, p1, Math.max(0, 1 - p0 - p1)];
  const jumps: ReportingJump[] = [];
  const nJumps = poisson(rng, (0.1 * weeks) / WEEKS_PER_YEAR);
  for (let k = 0; k < nJumps; k++) jumps.push({ week: 1 + rng.int(Math.max(1, weeks - 1)), factor: Math.exp(0.1 * standardNormal(rng)) });
  const dispersion = logUniform(rng, 15, 1000);
  const values = reportSeries(latent, { fraction: reporting, delay, dispersion, jumps }, rng);

  return {
    values,
    meta: {
      network: net.name,
      n: net.n,
      model: continuous ? (model === "SIR" ? "SIRS" : "SEIRS") : `${model} seasons`,
      r0: plan.r0,
      reporting,
      dispersion,
      delayWeeks: meanDelay(delay),
      seasons: flu.seasons,
      interventions: flu.notes,
      stream,
      floor: floorReported,
      startWeek,
      climate,
      seasonShiftWeeks: shiftWeeks,
      daysPerUnit: flu.daysPerUnit,
      reportingChanges: jumps.length,
    },
  };
}

/**
 * Generate `series` corpus series of `weeks` weeks each, series i from (seed, i) alone, in index order
 * (consecutive series share a network, generated once). Single-threaded; for parallel generation call
 * `generateCorpusSeries` on disjoint index ranges (aligned to SERIES_PER_NETWORK to generate each network
 * once) — the result does not depend on the split.
 *
 * Cost, measured on the 2-core development machine (Node 20, one thread, CPU time of the process):
 * 3,000 series × 260 weeks, seed 42, in 157 s — 52 ms a series, about 0.9 min per 1,000 series
 * (fresh SIR seasons ≈ 30 ms, SEIR ≈ 55 ms, SIRS/SEIRS ≈ 70–90 ms), plus ≈ 2 s once to load mathjs for
 * the β(t) expressions.
 */
export function generateCorpus(options: CorpusOptions): Corpus {
  const started = performance.now();
  const { series, weeks, seed, onProgress } = options;
  checkSeed(seed);
  if (!(Number.isInteger(series) && series >= 0)) throw new ForecastError(`corpus: series must be an integer ≥ 0, got ${series}.`);
  const out: CorpusSeries[] = [];
  for (let i = 0; i < series; i++) {
    out.push(generateCorpusSeries(seed, i, weeks, options));
    onProgress?.(i + 1, series);
  }
  return { series: out, seed, elapsedMs: performance.now() - started };
}
