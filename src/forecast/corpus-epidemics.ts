/**
 * The epidemics of the synthetic corpus, run by Spreadlab's own engine (`prepareSimulation`), returned as
 * symptom onsets (entries into I) on the network's nodes.
 *
 *  - `simulateSeason`: one influenza season as a fresh SIR or SEIR epidemic, from a few seeds on a
 *    population with some residual immunity, optionally bent by an intervention placed relative to the
 *    uncontrolled peak, in units of the season's half-maximum width (a school holiday, distancing for the
 *    rest of the season, or a vaccination campaign). Placing it needs the peak, so such a season runs twice
 *    on the same stream with the composition–rejection engine: the two runs agree exactly up to the
 *    intervention (the engine draws nothing ahead of a scheduled action), so it lands where intended.
 *    Seasons are returned in engine time units; the corpus chooses the unit's length in days afterwards.
 *  - `simulateSeasonalSIRS`: SIRS / SEIRS with waning immunity over several years, a seasonally forced
 *    β(t) = β₀·(1 + A·cos(2π(day − peakDay)/365.25)) (a time expression, as in
 *    scenarios/sirs-seasonal.yaml), and a trickle of imported infections (a spontaneous S → I transition)
 *    that keeps the virus from dying out in summer. Returned as weekly onsets.
 *
 * Rates are per engine time unit with γ = 1 (the mean infectious period is the unit). β comes from a target
 * R0 through the per-edge transmissibility T = β/(β + γ) and the network's mean excess degree κ:
 * R0 = T·κ (Newman 2002, Phys. Rev. E 66, 016128). The early growth rate per unit of the Markovian SIR on
 * such a network is r = (β + γ)(R0 − 1) (per-edge generation interval with density β·e^{−(β+γ)τ}); SEIR
 * adds the Exp(σ) latent period: R0 · σ/(σ + r) · (β+γ)/(β+γ+r) = 1 (Wallinga & Lipsitch 2007,
 * Proc. R. Soc. B 274, 599–604) — the fallback time scale when no season is big enough to measure.
 */
import { prepareSimulation, type SimulationSpec } from "../families/compartmental/simulate.js";
import type { Intervention } from "../engine/interventions.js";
import type { ModelDefWithExpressions } from "../models/parameters.js";
import type { CorpusNetwork } from "./corpus-networks.js";
import { entryTimes, weeklyIncidence } from "./reporting.js";

/** Largest per-edge transmissibility used (R0 beyond T_max·κ is capped). */
export const MAX_TRANSMISSIBILITY = 0.9;

export type SeasonModel = "SIR" | "SEIR";

/** Per-edge transmissibility and β (with γ = 1) for a target R0; `r0` is the R0 actually used. */
export function transmission(r0: number, kappa: number): { T: number; beta: number; r0: number } {
  const T = Math.min(MAX_TRANSMISSIBILITY, Math.max(0, r0 / Math.max(kappa, 1e-9)));
  return { T, beta: T / (1 - T), r0: T * kappa };
}

/** Early exponential growth rate per time unit (γ = 1); `latentUnits` is the SEIR mean latent period. */
export function growthRatePerUnit(r0: number, T: number, latentUnits: number | null): number {
  const b = 1 / (1 - T); // β + γ
  if (latentUnits === null || latentUnits <= 0) return b * (r0 - 1);
  const s = 1 / latentUnits;
  // r² + (σ + b) r + σ b (1 − R0) = 0, positive root.
  return (-(s + b) + Math.sqrt((s + b) ** 2 + 4 * s * b * (r0 - 1))) / 2;
}

/**
 * An intervention placed relative to the uncontrolled season: `start` and `length` are in units of its
 * half-maximum width, from its peak (start < 0: before the peak).
 */
export type SeasonIntervention =
  /** School holiday: β × by for a while. */
  | { kind: "holiday"; by: number; start: number; length: number }
  /** Distancing for the rest of the season. */
  | { kind: "distancing"; by: number; start: number }
  /** A fraction of all nodes vaccinated at once (random susceptible nodes → R). */
  | { kind: "vaccination"; fraction: number; start: number };

export interface SeasonSpec {
  model: SeasonModel;
  r0: number;
  /** SEIR only: mean latent period in units. */
  latentUnits: number;
  seeds: number;
  /** Fraction of nodes immune at the start. */
  immune: number;
  intervention?: SeasonIntervention;
}

export interface SeasonResult {
  /** Onset times in engine units (the seeds at 0). */
  onsets: Float64Array;
  /** Peak time and half-maximum width in units; null for a minor outbreak. */
  shape: CurveShape | null;
  /** Description of the intervention that was applied, if any. */
  intervention?: string;
}

const RECORD_ONCE = 1e6;

/**
 * Steps of the piecewise-constant seasonal β(t): two weeks, so β changes by at most A·2π·14/365.25 ≤ 11 %
 * of β₀ from one step to the next (A ≤ 0.45); incidence, an integral of growth, stays smooth.
 */
export const FORCING_STEP_DAYS = 14;

/** Run one compartmental spec (one run, its own seed): onset times (entries into I), seeds at t = 0. */
function runOnsets(net: CorpusNetwork, spec: SimulationSpec, seeds: number): Float64Array {
  const prepared = prepareSimulation(net.csr, { ...spec, runs: 1, output: { nodes: "first", history: true } });
  const run = prepared.runOne(0);
  const entries = entryTimes(run.history!, prepared.meta.compartments.indexOf("I"));
  const onsets = new Float64Array(seeds + entries.length); // the seeds' onsets are at t = 0
  onsets.set(entries, seeds);
  return onsets;
}

/** Run one spec; weekly onsets (entries into I after t = 0) per group of nodes (`group[v]` in 0 … groups − 1). */
function runGroupOnsets(net: CorpusNetwork, spec: SimulationSpec, group: Int32Array, groups: number, daysPerUnit: number, weeks: number): Float64Array[] {
  const prepared = prepareSimulation(net.csr, { ...spec, runs: 1, output: { nodes: "first", history: true } });
  const history = prepared.runOne(0).history!;
  const into = prepared.meta.compartments.indexOf("I");
  const out = Array.from({ length: groups }, () => new Float64Array(weeks));
  const perWeek = daysPerUnit / 7;
  for (let i = 0; i < history.to.length; i++) {
    if (history.to[i] !== into) continue;
    const w = Math.floor(history.time[i] * perWeek);
    if (w >= 0 && w < weeks) out[group[history.node[i]]][w]++;
  }
  return out;
}

/** Onsets binned by week from t = 0, over `weeks` weeks (default: up to the last onset). */
export function weeklyOnsets(onsets: Float64Array, daysPerUnit: number, weeks?: number): Float64Array {
  let last = 0;
  for (let i = 0; i < onsets.length; i++) last = Math.max(last, onsets[i]);
  return weeklyIncidence(onsets, { daysPerUnit, weeks: weeks ?? Math.floor((last * daysPerUnit) / 7) + 1 });
}

export interface CurveShape {
  /** Time of the maximum of the smoothed onset curve. */
  peak: number;
  /** Full width at half maximum: the contiguous stretch around the peak above half of it. */
  width: number;
}

/** Onsets a season needs for its shape to mean something (fewer: a minor outbreak). */
export const MIN_SHAPE_ONSETS = 100;

/**
 * Peak and full width at half maximum of an onset curve, in time units: onsets binned into 40 bins up to
 * their 99th percentile, smoothed over 3 bins. Null with fewer than MIN_SHAPE_ONSETS onsets.
 */
export function curveShape(onsets: Float64Array): CurveShape | null {
  if (onsets.length < MIN_SHAPE_ONSETS) return null;
  const sorted = Float64Array.from(onsets).sort();
  const end = sorted[Math.floor(0.99 * (sorted.length - 1))];
  if (!(end > 0)) return null;
  const bins = 40;
  const counts = new Float64Array(bins);
  for (const t of sorted) if (t <= end) counts[Math.min(bins - 1, Math.floor((t / end) * bins))]++;
  const smooth = counts.map((_, i) => (counts[Math.max(0, i - 1)] + counts[i] + counts[Math.min(bins - 1, i + 1)]) / 3);
  let top = 0;
  for (let i = 1; i < bins; i++) if (smooth[i] > smooth[top]) top = i;
  let a = top;
  let b = top;
  while (a > 0 && smooth[a - 1] >= smooth[top] / 2) a--;
  while (b < bins - 1 && smooth[b + 1] >= smooth[top] / 2) b++;
  return { peak: ((top + 0.5) * end) / bins, width: ((b - a + 1) * end) / bins };
}

/** Seeds and initial immunity of a season, as an initial spec. */
function seasonInitial(net: CorpusNetwork, season: SeasonSpec): { spec: SimulationSpec["initial"]; seeds: number } {
  const seeds = Math.min(season.seeds, net.n);
  const immune = Math.min(Math.round(season.immune * net.n), net.n - seeds);
  return { spec: immune > 0 ? { I: { count: seeds }, R: { count: immune } } : { I: { count: seeds } }, seeds };
}

function seasonModel(net: CorpusNetwork, season: SeasonSpec): SimulationSpec["model"] {
  const { beta } = transmission(season.r0, net.kappa);
  return season.model === "SIR" ? { preset: "SIR", params: { beta, gamma: 1 } } : { preset: "SEIR", params: { beta, gamma: 1, sigma: 1 / season.latentUnits } };
}

function describe(iv: SeasonIntervention): string {
  const at = `${iv.start >= 0 ? "+" : ""}${iv.start.toFixed(2)} widths from the peak`;
  if (iv.kind === "holiday") return `holiday: beta x${iv.by.toFixed(2)} for ${iv.length.toFixed(2)} widths at ${at}`;
  if (iv.kind === "distancing") return `distancing: beta x${iv.by.toFixed(2)} from ${at}`;
  return `vaccination: ${(100 * iv.fraction).toFixed(0)}% at ${at}`;
}

/** One season as a fresh SIR/SEIR epidemic, in engine units; `seed` drives the engine's stream. */
export function simulateSeason(net: CorpusNetwork, season: SeasonSpec, seed: number): SeasonResult {
  const { spec: initial, seeds } = seasonInitial(net, season);
  const base: SimulationSpec = {
    model: seasonModel(net, season),
    time: { mode: "continuous", tmax: Infinity, record: RECORD_ONCE },
    initial,
    seed,
    // With an intervention both runs use the general engine, so they agree up to the intervention.
    engine: season.intervention ? "general" : "auto",
  };
  const free = runOnsets(net, base, seeds);
  const shape = curveShape(free);
  const iv = season.intervention;
  if (iv === undefined || shape === null) return { onsets: free, shape };
  const at = Math.max(0, shape.peak + iv.start * shape.width);
  let intervention: Intervention;
  if (iv.kind === "holiday") intervention = { at, until: at + iv.length * shape.width, scale: "beta", by: iv.by };
  else if (iv.kind === "distancing") intervention = { at, scale: "beta", by: iv.by };
  else intervention = { at, vaccinate: { fraction: iv.fraction } };
  const bent = runOnsets(net, { ...base, interventions: [intervention] }, seeds);
  return { onsets: bent, shape: curveShape(bent), intervention: describe(iv) };
}

export interface SeasonalSIRSSpec {
  model: "SIRS" | "SEIRS";
  /** R0 at the mean β₀. */
  r0: number;
  latentUnits: number;
  /** Relative amplitude A of seasonal forcing, in [0, 1). */
  amplitude: number;
  /** Day (after engine time 0) of the first maximum of β. */
  peakDay: number;
  /** Mean duration of immunity, in years. */
  immunityYears: number;
  /** Expected imported infections per week while everybody is susceptible. */
  importsPerWeek: number;
  /** Initial fractions infectious and immune. */
  infected: number;
  immune: number;
}

/** A multi-year SIRS/SEIRS with seasonal forcing; weekly onsets over `weeks` weeks from t = 0. */
export function simulateSeasonalSIRS(net: CorpusNetwork, spec: SeasonalSIRSSpec, daysPerUnit: number, weeks: number, seed: number): Float64Array {
  const { simulation, infected } = seasonalSIRSSpec(net, spec, daysPerUnit, weeks, seed);
  return weeklyOnsets(runOnsets(net, simulation, infected), daysPerUnit, weeks);
}

/**
 * The same multi-year SIRS/SEIRS, with weekly onsets per group of nodes (e.g. the regions of a block network:
 * corpus-spatial.ts); the initial infections are not counted.
 */
export function simulateSeasonalSIRSByGroup(net: CorpusNetwork, group: Int32Array, groups: number, spec: SeasonalSIRSSpec, daysPerUnit: number, weeks: number, seed: number): Float64Array[] {
  const { simulation } = seasonalSIRSSpec(net, spec, daysPerUnit, weeks, seed);
  return runGroupOnsets(net, simulation, group, groups, daysPerUnit, weeks);
}

function seasonalSIRSSpec(net: CorpusNetwork, spec: SeasonalSIRSSpec, daysPerUnit: number, weeks: number, seed: number): { simulation: SimulationSpec; infected: number } {
  const { beta } = transmission(spec.r0, net.kappa);
  const into = spec.model === "SIRS" ? "I" : "E";
  // β is held constant over steps of FORCING_STEP_DAYS (every re-evaluation rebuilds the engine's sampler,
  // O(n): the main cost of these runs), at its value in the middle of the step.
  const step = FORCING_STEP_DAYS / daysPerUnit;
  const forcing = `${beta} * (1 + ${spec.amplitude} * cos(2 * pi * ((t + ${step / 2}) * ${daysPerUnit} - ${spec.peakDay}) / 365.25))`;
  const def: ModelDefWithExpressions = {
    compartments: spec.model === "SIRS" ? ["S", "I", "R"] : ["S", "E", "I", "R"],
    transitions: [
      { from: "S", to: into, rate: "beta", by: "I" },
      { from: "S", to: into, rate: "eta" },
      ...(spec.model === "SEIRS" ? [{ from: "E", to: "I", rate: "sigma" }] : []),
      { from: "I", to: "R", rate: "gamma" },
      { from: "R", to: "S", rate: "omega" },
    ],
    params: {
      beta: forcing,
      eta: spec.importsPerWeek / (net.n * (7 / daysPerUnit)),
      sigma: 1 / spec.latentUnits,
      gamma: 1,
      omega: daysPerUnit / (365.25 * spec.immunityYears),
    },
  };
  if (spec.model === "SIRS") delete def.params!.sigma;
  const infected = Math.max(1, Math.round(spec.infected * net.n));
  const immune = Math.min(Math.round(spec.immune * net.n), net.n - infected);
  const tmax = (weeks * 7) / daysPerUnit;
  return {
    simulation: {
      model: def,
      time: { mode: "continuous", tmax, record: tmax, rateStep: step },
      initial: { I: { count: infected }, R: { count: immune } },
      seed,
    },
    infected,
  };
}
