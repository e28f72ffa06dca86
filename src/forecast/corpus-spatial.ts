/**
 * The spatial pretraining corpus: sets of regions whose weekly ILI-like reports come from one stochastic
 * metapopulation epidemic over a random region graph with mobility — what the cross-region forecaster
 * (transformer/spatial.ts) learns the *spread* from: waves that start in one region and reach its
 * neighbours weeks later, regions that peak together, and regions that stay quiet.
 *
 * One set = R regions (4–40):
 *  - region graph: R points uniform in the unit square, each joined to its k nearest (k = 2–4), the links
 *    symmetric; weight w_rs = e^(−d_rs / ℓ) × a log-uniform factor in [0.5, 2] (ℓ = 0.1–0.5): a random
 *    geometric graph with gravity-like mobility (Colizza, Pastor-Satorras & Vespignani 2007; Balcan et al.
 *    2009, PNAS 106:21484, commuting flows decay with distance);
 *  - populations: N_r log-uniform in 2·10⁴–2·10⁵ (a sample of each region, as the univariate corpus' nodes),
 *    so regions differ ten-fold in size;
 *  - transmission: SIRS or SEIRS (half each), chain-binomial in daily steps (Keeling & Rohani 2008, ch. 7:
 *    frequency-dependent, force of infection on region r
 *        λ_r(t) = β_r(t)·[(1 − m)·I_r/N_r + m·Σ_s P_rs·I_s/N_s],  P = row-normalised weights,
 *    with mobility m log-uniform in 0.002–0.1 — from almost isolated regions to strongly mixed ones);
 *    β_r(t) = R0_r·γ·(1 + A·cos(2π(t − t_peak)/52 weeks)), R0 1.3–2.2 for the set and ×e^{N(0, 0.05²)} per
 *    region, A = 0.1–0.45 peaking 4 ± 4 weeks after the new year (the univariate corpus' continuous models,
 *    corpus-flu.ts), or 26 weeks later in a southern set or 0–51 weeks later in a tropical one (corpus.ts
 *    ClimateMix: one climate per set, drawn on the stream (seed, SPATIAL_CLIMATE_STREAM_BASE + i)); infectious period 2–5 days, latent 1–3 days; immunity lasting 1–4 years, so a five-year
 *    set holds several seasons; 0.2–3 imported infections a week into the set, each into one region drawn
 *    ∝ N_r (a new strain arrives somewhere and spreads from there); a year of burn-in;
 *  - reporting per region (as corpus.ts): a background of non-influenza ILI (floor 10–700 a week, its own
 *    mild seasonality and trend), the epidemic scaled so that the region's largest wave is 10–200 × its floor
 *    (the scaling is per region — providers' coverage differs between regions — but keeps the epidemic's
 *    timing), a delay kernel over 0–2 weeks and negative-binomial noise (k 15–1,000), one kernel and k per set.
 * The priors of the reporting model are the univariate corpus' (corpus.ts names their sources: pre-test ILINet
 * seasons); those of the metapopulation (R, k, ℓ, m, populations) are choices that cover a range, not fitted
 * to any dataset.
 *
 * Set i draws everything from the stream (seed, SPATIAL_STREAM_BASE + i), so it depends only on (seed, i).
 * Binomial draws with a mean above 30 use the normal approximation (rounded, clamped to [0, n]); below it
 * they are exact (random.ts): the waiting-time sampler costs O(n·p), too slow for epidemics peaking in the
 * thousands a day.
 */
import { binomial, checkSeed, createRandom, normal, type Random } from "../random.js";
import { ForecastError } from "./errors.js";
import { background, checkClimateMix, DEFAULT_CLIMATE_MIX, DELAY_WEEKS, drawClimate, WEEKS_PER_YEAR, type Climate, type ClimateMix } from "./corpus.js";
import { reportSeries } from "./reporting.js";
import { simulateSeasonalSIRSByGroup, transmission } from "./corpus-epidemics.js";
import { generateCSR } from "../graph/generators/index.js";
import { degreeStats } from "../graph/stats.js";
import { chance, logUniform, uniform } from "./samplers.js";

/** Streams of the spatial sets start here (the univariate corpus uses 1 … 2³⁰ and 2³¹ …). */
export const SPATIAL_STREAM_BASE = 0x40000000;
/** Whether set i is a network epidemic is drawn from its own stream, so the metapopulation sets do not depend on the share. */
export const SPATIAL_KIND_STREAM_BASE = 0x50000000;
/** Set i's climate (corpus.ts ClimateMix) comes from createRandom(seed, SPATIAL_CLIMATE_STREAM_BASE + i). */
export const SPATIAL_CLIMATE_STREAM_BASE = 0x70000000;
/** Network sets: one node stands for this many people of the metapopulation's N_r (so 200–2,000 nodes a region). */
export const PEOPLE_PER_NODE = 100;
export const MIN_SPATIAL_REGIONS = 4;
export const MAX_SPATIAL_REGIONS = 40;

export interface SpatialSet {
  /** Weekly reported counts per region (integers ≥ 0), each of length `weeks`. */
  values: Float64Array[];
  /** Mobility weights, row-major R × R, symmetric, 0 on the diagonal and between unlinked regions. */
  weights: Float64Array;
  /** Week of the calendar year (0 = first week of January) of row 0. */
  startWeek: number;
  meta: {
    /** "metapopulation" (chain binomial) or "network" (the engine's SIRS on a block network of the regions). */
    kind: "metapopulation" | "network";
    regions: number;
    model: "SIRS" | "SEIRS";
    r0: number;
    mobility: number;
    links: number;
    populations: number[];
    dispersion: number;
    /** Where the set's seasons fall in the year, and how many weeks after a northern set's. */
    climate: Climate;
    seasonShiftWeeks: number;
  };
}

/** B(n, p): exact below a mean of 30, else the normal approximation (see the file header). */
function binomialDraw(rng: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean < 30) return binomial(rng, n, p);
  const x = Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(rng));
  return x < 0 ? 0 : x > n ? n : x;
}

/** A random geometric region graph (file header): symmetric weights, row-major R × R. */
function regionGraph(R: number, rng: Random): { weights: Float64Array; links: number } {
  const x = Float64Array.from({ length: R }, () => rng.next());
  const y = Float64Array.from({ length: R }, () => rng.next());
  const k = 2 + rng.int(3);
  const scale = uniform(rng, 0.1, 0.5);
  const weights = new Float64Array(R * R);
  let links = 0;
  for (let r = 0; r < R; r++) {
    const order = Array.from({ length: R }, (_, s) => s)
      .filter((s) => s !== r)
      .sort((a, b) => Math.hypot(x[a] - x[r], y[a] - y[r]) - Math.hypot(x[b] - x[r], y[b] - y[r]) || a - b);
    for (const s of order.slice(0, k)) {
      if (weights[r * R + s] > 0) continue;
      const w = Math.exp(-Math.hypot(x[s] - x[r], y[s] - y[r]) / scale) * logUniform(rng, 0.5, 2);
      weights[r * R + s] = w;
      weights[s * R + r] = w;
      links++;
    }
  }
  return { weights, links };
}

export interface MetapopulationParams {
  /** N_r per region. */
  populations: ArrayLike<number>;
  /** Row-normalised mobility P (row-major R × R; a zero row keeps a region's contacts at home). */
  mobility: Float64Array;
  /** m: the fraction of contacts made through P. */
  mobilityFraction: number;
  /** Basic reproduction number per region. */
  r0: ArrayLike<number>;
  infectiousDays: number;
  /** Mean latent period in days (0: SIR/SIRS, no E compartment). */
  latentDays: number;
  /** β(t) ∝ 1 + A·cos(2π(week − peakWeek)/52), the week counted from `calendarStart` (omit: no forcing). */
  forcing?: { amplitude: number; peakWeek: number; calendarStart: number };
  /** Mean duration of immunity in days (Infinity: SIR/SEIR, no waning). */
  immunityDays: number;
  /** Imported infections a week into the whole set, each into a region drawn ∝ N_r. */
  importsPerWeek: number;
  /** Initial susceptible and immune counts per region (the rest of N_r infectious, I). */
  susceptible: ArrayLike<number>;
  immune: ArrayLike<number>;
  weeks: number;
  /** β(t) × this on day t, every region (contact changes, a new strain; corpus-daily.ts); omit: 1. */
  transmissibility?: ArrayLike<number>;
  /** Onsets per day (7 × weeks rows) instead of per week. */
  daily?: boolean;
  /** Immune escape: on this day a fraction of each region's immune become susceptible again (a new strain). */
  escape?: { day: number; fraction: number };
}

/**
 * The chain-binomial metapopulation model of the file header, in daily steps: new infections in region r
 * B(S_r, 1 − e^{−λ_r}), λ_r = β_r(t)·[(1 − m)·I_r/N_r + m·Σ_s P_rs·I_s/N_s], onsets B(E_r, 1 − e^{−1/latent}),
 * recoveries B(I_r, p), p = 1 − e^{−1/infectious}, waning B(R_r, 1 − e^{−1/immunity}). β = R0·p: an
 * infectious person stays in I a geometric number of days with mean 1/p, so R0 is exactly the mean number of
 * infections one case causes in a susceptible population, and the final size of an unforced SIR without
 * waning solves z = 1 − e^{−R0·z} (Ball 1986; tests/forecast/corpus-spatial.test.ts). Weekly onsets per region
 * (daily with `daily`; the draws are the same either way, and the same as without `transmissibility` when it is 1).
 */
export function simulateMetapopulation(p: MetapopulationParams, rng: Random): Float64Array[] {
  const R = p.populations.length;
  const N = Float64Array.from(p.populations);
  const P = p.mobility;
  const m = p.mobilityFraction;
  const seir = p.latentDays > 0;
  const pRecover = 1 - Math.exp(-1 / p.infectiousDays);
  const pOnset = seir ? 1 - Math.exp(-1 / p.latentDays) : 1;
  const pWane = Number.isFinite(p.immunityDays) ? 1 - Math.exp(-1 / p.immunityDays) : 0;
  const S = Float64Array.from(p.susceptible);
  const E = new Float64Array(R);
  const Rc = Float64Array.from(p.immune);
  const I = Float64Array.from({ length: R }, (_, r) => N[r] - S[r] - Rc[r]);
  const totalN = N.reduce((a, b) => a + b, 0);
  const prevalence = new Float64Array(R);
  const weekly = Array.from({ length: R }, () => new Float64Array(p.daily ? p.weeks * 7 : p.weeks));
  const importRate = p.importsPerWeek / 7;
  for (let day = 0; day < p.weeks * 7; day++) {
    const week = p.daily ? day : Math.floor(day / 7);
    const f = p.forcing;
    const forcing = (f ? 1 + f.amplitude * Math.cos((2 * Math.PI * (f.calendarStart + day / 7 - f.peakWeek)) / WEEKS_PER_YEAR) : 1) * (p.transmissibility ? p.transmissibility[day] : 1);
    for (let r = 0; r < R; r++) prevalence[r] = I[r] / N[r];
    if (p.escape && day === p.escape.day) {
      for (let r = 0; r < R; r++) {
        const escaped = binomialDraw(rng, Rc[r], p.escape.fraction);
        Rc[r] -= escaped;
        S[r] += escaped;
      }
    }
    if (importRate > 0) {
      // A Poisson number of imports a day, each into a region drawn ∝ N_r.
      for (let u = rng.exponential(importRate); u < 1; u += rng.exponential(importRate)) {
        let pick = rng.next() * totalN;
        let r = 0;
        while (r < R - 1 && pick >= N[r]) pick -= N[r++];
        if (S[r] > 0) {
          S[r]--;
          if (seir) E[r]++;
          else {
            I[r]++;
            weekly[r][week]++;
          }
        }
      }
    }
    for (let r = 0; r < R; r++) {
      let away = 0;
      if (m > 0) for (let s = 0; s < R; s++) away += P[r * R + s] * prevalence[s];
      const lambda = p.r0[r] * pRecover * forcing * ((1 - m) * prevalence[r] + m * away);
      const infections = binomialDraw(rng, S[r], 1 - Math.exp(-lambda));
      const onsets = seir ? binomialDraw(rng, E[r], pOnset) : infections;
      const recoveries = binomialDraw(rng, I[r], pRecover);
      const waned = pWane > 0 ? binomialDraw(rng, Rc[r], pWane) : 0;
      S[r] += waned - infections;
      if (seir) E[r] += infections - onsets;
      I[r] += onsets - recoveries;
      Rc[r] += recoveries - waned;
      weekly[r][week] += onsets;
    }
  }
  return weekly;
}

/**
 * A network-epidemic set: the regions as blocks of a stochastic block network (Holland, Laskey & Leinhardt
 * 1983) — within a region k(1 − m) neighbours on average (k 5–12), between linked regions r, s edges with
 * probability k·m·w_rs / (w̄·n̄), w̄ the mean of the regions' total link weight and n̄ the mean block size — and
 * the engine's continuous-time SIRS/SEIRS on it (corpus-epidemics.ts `simulateSeasonalSIRSByGroup`: R0 = T·κ,
 * the same forcing, waning and imports as the metapopulation), weekly onsets per region. Contacts are
 * individual here: clustering, degree heterogeneity and stochastic fade-out within a region, which the
 * well-mixed patches do not have.
 */
function networkIncidence(
  p: {
    weights: Float64Array;
    sizes: number[];
    mobility: number;
    seir: boolean;
    r0: number;
    infectiousDays: number;
    latentDays: number;
    amplitude: number;
    calendarStart: number;
    peakWeek: number;
    immunityDays: number;
    importsPerWeek: number;
    weeks: number;
  },
  rng: Random,
): Float64Array[] {
  const R = p.sizes.length;
  const k = uniform(rng, 5, 12);
  const meanSize = p.sizes.reduce((a, b) => a + b, 0) / R;
  let totalWeight = 0;
  for (let i = 0; i < R * R; i++) totalWeight += p.weights[i];
  const meanRowWeight = totalWeight / R || 1;
  const probabilities = p.sizes.map((na, a) =>
    p.sizes.map((_, b) => (a === b ? Math.min(1, (k * (1 - p.mobility)) / Math.max(1, na - 1)) : Math.min(1, (k * p.mobility * p.weights[a * R + b]) / (meanRowWeight * meanSize)))),
  );
  const csr = generateCSR({ type: "stochastic-block", sizes: p.sizes, probabilities }, rng.uint32());
  const stats = degreeStats(csr);
  const kappa = stats.meanDegree > 0 ? (stats.meanSquareDegree - stats.meanDegree) / stats.meanDegree : 0;
  const group = new Int32Array(csr.n);
  let v = 0;
  p.sizes.forEach((n, a) => group.fill(a, v, (v += n)));
  const daysPerUnit = p.infectiousDays;
  // Day (from engine time 0) of the first maximum of β: calendar week peakWeek after the start's calendar week.
  const peakDay = ((((p.peakWeek - p.calendarStart) * 7) % 365.25) + 365.25) % 365.25;
  return simulateSeasonalSIRSByGroup(
    { csr, name: "spatial-sbm", n: csr.n, kappa },
    group,
    R,
    {
      model: p.seir ? "SEIRS" : "SIRS",
      r0: transmission(p.r0, kappa).r0,
      latentUnits: p.latentDays / p.infectiousDays,
      amplitude: p.amplitude,
      peakDay,
      immunityYears: p.immunityDays / 365.25,
      importsPerWeek: p.importsPerWeek,
      infected: 0.001,
      immune: 0.5,
    },
    daysPerUnit,
    p.weeks,
    rng.uint32() >>> 1,
  );
}

/**
 * Set `index` of the spatial corpus with this seed: a pure function of (seed, index, weeks, regions).
 * `regions` fixes R (default: drawn in 4–40).
 */
export function generateSpatialSet(seed: number, index: number, weeks: number, options: { regions?: number; networkShare?: number; climate?: ClimateMix } = {}): SpatialSet {
  checkSeed(seed);
  if (!(Number.isInteger(index) && index >= 0 && index < 0x3fffffff)) throw new ForecastError(`spatial corpus: set index must be an integer in [0, 2^30 − 1), got ${index}.`);
  if (!(Number.isInteger(weeks) && weeks >= 1 && weeks <= 10_000)) throw new ForecastError(`spatial corpus: weeks must be an integer in [1, 10000], got ${weeks}.`);
  const rng = createRandom(seed, SPATIAL_STREAM_BASE + index);
  const R = options.regions ?? MIN_SPATIAL_REGIONS + rng.int(MAX_SPATIAL_REGIONS - MIN_SPATIAL_REGIONS + 1);
  if (!(Number.isInteger(R) && R >= 1 && R <= 1000)) throw new ForecastError(`spatial corpus: regions must be an integer in [1, 1000], got ${R}.`);
  const { weights, links } = regionGraph(R, rng);
  // Row-normalised mobility P (a region without links keeps its contacts at home).
  const P = new Float64Array(R * R);
  for (let r = 0; r < R; r++) {
    let sum = 0;
    for (let s = 0; s < R; s++) sum += weights[r * R + s];
    if (sum > 0) for (let s = 0; s < R; s++) P[r * R + s] = weights[r * R + s] / sum;
  }
  const N = Array.from({ length: R }, () => Math.round(logUniform(rng, 2e4, 2e5)));
  const seir = chance(rng, 0.5);
  const mobility = logUniform(rng, 0.002, 0.1);
  const r0 = uniform(rng, 1.3, 2.2);
  const r0Region = Float64Array.from({ length: R }, () => r0 * Math.exp(0.05 * normal(rng)));
  const infectiousDays = uniform(rng, 2, 5);
  const latentDays = uniform(rng, 1, 3);
  const amplitude = uniform(rng, 0.1, 0.45);
  const { climate, shiftWeeks } = drawClimate(createRandom(seed, SPATIAL_CLIMATE_STREAM_BASE + index), checkClimateMix(options.climate ?? DEFAULT_CLIMATE_MIX));
  const peakWeek = Math.max(-6, Math.min(14, 4 + 4 * normal(rng))) + shiftWeeks;
  const immunityDays = 365.25 * uniform(rng, 1, 4);
  const importsPerWeek = logUniform(rng, 0.2, 3);
  const startWeek = rng.int(52);

  const S0 = new Float64Array(R);
  const R0c = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    // Start with 30–70 % immune: the burn-in settles the rest.
    R0c[r] = Math.round(N[r] * uniform(rng, 0.3, 0.7));
    S0[r] = N[r] - R0c[r];
  }
  const burnInWeeks = 52;
  const latentWeeks = weeks + DELAY_WEEKS;
  const share = options.networkShare ?? 0;
  if (!(share >= 0 && share <= 1)) throw new ForecastError(`spatial corpus: networkShare must be in [0, 1], got ${share}.`);
  const kindRng = createRandom(seed, SPATIAL_KIND_STREAM_BASE + index);
  const network = share > 0 && kindRng.next() < share;
  const incidence = network
    ? networkIncidence(
        { weights, sizes: N.map((n) => Math.max(20, Math.round(n / PEOPLE_PER_NODE))), mobility, seir, r0, infectiousDays, latentDays, amplitude, calendarStart: startWeek - DELAY_WEEKS - burnInWeeks, peakWeek, immunityDays, importsPerWeek, weeks: burnInWeeks + latentWeeks },
        kindRng,
      ).map((w) => w.slice(burnInWeeks))
    : simulateMetapopulation(
    {
      populations: N,
      mobility: P,
      mobilityFraction: mobility,
      r0: r0Region,
      infectiousDays,
      latentDays: seir ? latentDays : 0,
      forcing: { amplitude, peakWeek, calendarStart: startWeek - DELAY_WEEKS - burnInWeeks },
      immunityDays,
      importsPerWeek,
      susceptible: S0,
      immune: R0c,
      weeks: burnInWeeks + latentWeeks,
    },
    rng,
  ).map((w) => w.slice(burnInWeeks));

  const kernelSame = uniform(rng, 0.6, 1);
  const kernelNext = (1 - kernelSame) * uniform(rng, 0.5, 1);
  const delay = [kernelSame, kernelNext, Math.max(0, 1 - kernelSame - kernelNext)];
  const dispersion = logUniform(rng, 15, 1000);
  const values = incidence.map((onsets) => {
    const floor = logUniform(rng, 10, 700);
    const base = background(latentWeeks, startWeek - DELAY_WEEKS - shiftWeeks, floor, rng);
    let peak = 0;
    for (let j = 0; j < latentWeeks; j++) peak = Math.max(peak, onsets[j]);
    const multiplier = peak > 0 ? ((logUniform(rng, 10, 200) - 1) * floor) / peak : 0;
    const latent = Float64Array.from(base, (b, j) => b + multiplier * onsets[j]);
    return reportSeries(latent, { fraction: 1, delay, dispersion }, rng);
  });
  return { values, weights, startWeek, meta: { kind: network ? "network" : "metapopulation", regions: R, model: seir ? "SEIRS" : "SIRS", r0, mobility, links, populations: N, dispersion, climate, seasonShiftWeeks: shiftWeeks } };
}
