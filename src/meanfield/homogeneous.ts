/**
 * Homogeneous (well-mixed) mean-field SIR, SIS and SEIR: the deterministic curves that stochastic network
 * runs are compared with, integrated by the Dormand–Prince pair (engine/ode.ts) and sampled at record times.
 *   [Reference] Kermack, W. O.; McKendrick, A. G. (1927). "A contribution to the mathematical theory of
 *   epidemics." Proc. R. Soc. A 115, 700–721.
 *   [Reference] Anderson, R. M.; May, R. M. (1991). Infectious Diseases of Humans. Oxford, ch. 2–3.
 *   [Reference] Kiss, I. Z.; Miller, J. C.; Simon, P. L. (2017). Mathematics of Epidemics on Networks,
 *   Springer, §4.2 (the homogeneous mean field of a network: force of infection τ·⟨k⟩·i).
 *
 * In FRACTIONS of the population (s + e + i + r = 1). With per-contact (per-edge) rate β and ⟨k⟩ contacts:
 *   SIR:  s' = −β⟨k⟩·s·i,            i' = β⟨k⟩·s·i − γ·i,   r' = γ·i
 *   SIS:  s' = −β⟨k⟩·s·i + γ·i,      i' = β⟨k⟩·s·i − γ·i    (endemic level i* = 1 − γ/(β⟨k⟩))
 *   SEIR: s' = −β⟨k⟩·s·i, e' = β⟨k⟩·s·i − σ·e, i' = σ·e − γ·i, r' = γ·i
 * With meanDegree = 1 (the default) β is the classical per-capita transmission rate and R0 = β/γ.
 * `toMeanRecord` turns fractions into the counts of the v1 schema's `mean`.
 */
import { integrate, recordTimes, type OdeOptions, type OdeStats, type RightHandSide } from "../engine/ode.js";
import { ModelError } from "../errors.js";

/** Deterministic curves in fractions of the population, at record times. */
export interface MeanFieldCurves {
  model: string;
  compartments: string[];
  times: number[];
  /** fractions[compartment][k]: fraction of the population in the compartment at times[k]. */
  fractions: Record<string, number[]>;
  /** Integrator step counts. */
  stats: OdeStats;
}

export interface MeanFieldTime {
  tmax: number;
  /** Record interval (default tmax/100); record times are k·record ≤ tmax. */
  record?: number;
}

export interface MeanFieldTolerance {
  rtol?: number;
  atol?: number;
  maxSteps?: number;
}

/** The v1 schema's `mean` (counts) from fractions, for a population of N nodes. */
export function toMeanRecord(curves: MeanFieldCurves, N: number): Record<string, number[]> {
  if (!(N > 0 && Number.isFinite(N))) throw new ModelError(`toMeanRecord: N must be a finite number > 0, got ${N}.`);
  return Object.fromEntries(curves.compartments.map((c) => [c, curves.fractions[c].map((x) => x * N)]));
}

/** Check a rate parameter: finite and ≥ 0 (or > 0). */
export function checkRate(caller: string, name: string, value: unknown, strictlyPositive = false): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (strictlyPositive && value === 0)) {
    throw new ModelError(`${caller}: ${name} must be a finite number ${strictlyPositive ? "> 0" : "≥ 0"}, got ${String(value)}.`);
  }
  return value;
}

/** Check a fraction in [0, 1]. */
export function checkFraction(caller: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new ModelError(`${caller}: ${name} must be a fraction in [0, 1], got ${String(value)}.`);
  return value;
}

/**
 * Integrate `f` from y0 and sample state components into named curves: `read(y, out)` writes the
 * compartment fractions (in `compartments` order) of state y into `out`.
 */
export function sampleCurves(
  model: string,
  compartments: string[],
  f: RightHandSide,
  y0: Float64Array,
  time: MeanFieldTime,
  tolerance: MeanFieldTolerance | undefined,
  read: (y: Float64Array, out: Float64Array) => void,
): MeanFieldCurves {
  const caller = `${model} mean field`;
  const times = recordTimes(time?.tmax, time?.record ?? time?.tmax / 100, caller);
  const fractions: Record<string, number[]> = Object.fromEntries(compartments.map((c) => [c, new Array<number>(times.length)]));
  const row = new Float64Array(compartments.length);
  const options: OdeOptions = { rtol: tolerance?.rtol ?? 1e-8, atol: tolerance?.atol ?? 1e-12, maxSteps: tolerance?.maxSteps };
  const stats = integrate(f, y0, times, (k, _t, y) => {
    read(y, row);
    compartments.forEach((c, j) => (fractions[c][k] = row[j]));
  }, options);
  return { model, compartments, times, fractions, stats };
}

export type HomogeneousModel = "SIR" | "SIS" | "SEIR";

export interface HomogeneousParams {
  /** Transmission rate per contact (per edge); with meanDegree 1, per capita. */
  beta: number;
  /** Recovery rate. */
  gamma: number;
  /** Rate E → I (SEIR only). */
  sigma?: number;
  /** Mean number of contacts ⟨k⟩ (default 1). */
  meanDegree?: number;
}

export interface HomogeneousOptions {
  time: MeanFieldTime;
  /** Initial fractions of the non-susceptible compartments (S gets the rest); default { I: 0.001 }. */
  initial?: { E?: number; I?: number; R?: number };
  tolerance?: MeanFieldTolerance;
}

const COMPARTMENTS: Record<HomogeneousModel, string[]> = { SIR: ["S", "I", "R"], SIS: ["S", "I"], SEIR: ["S", "E", "I", "R"] };

/**
 * Well-mixed SIR, SIS or SEIR in fractions (see the header for the equations), sampled at record times.
 * Tolerances default to rtol 1e-8, atol 1e-12.
 */
export function homogeneousMeanField(model: HomogeneousModel, params: HomogeneousParams, options: HomogeneousOptions): MeanFieldCurves {
  const caller = "homogeneousMeanField";
  const compartments = COMPARTMENTS[model];
  if (compartments === undefined) throw new ModelError(`${caller}: unknown model "${String(model)}"; expected SIR, SIS or SEIR.`);
  const force = checkRate(caller, "beta", params.beta) * checkRate(caller, "meanDegree", params.meanDegree ?? 1);
  const gamma = checkRate(caller, "gamma", params.gamma);
  const sigma = model === "SEIR" ? checkRate(caller, "sigma", params.sigma, true) : 0;
  const init = options.initial ?? { I: 0.001 };
  for (const key of Object.keys(init)) {
    if (!compartments.includes(key) || key === "S") throw new ModelError(`${caller}: initial.${key} is not a non-susceptible compartment of ${model} (${compartments.slice(1).join(", ")}).`);
  }
  const e0 = checkFraction(caller, "initial.E", init.E ?? 0);
  const i0 = checkFraction(caller, "initial.I", init.I ?? 0);
  const r0 = checkFraction(caller, "initial.R", init.R ?? 0);
  const s0 = 1 - e0 - i0 - r0;
  if (s0 < -1e-12) throw new ModelError(`${caller}: initial fractions sum to ${1 - s0} > 1.`);

  let f: RightHandSide;
  let y0: Float64Array;
  if (model === "SIR") {
    y0 = Float64Array.of(Math.max(0, s0), i0, r0);
    f = (_t, y, d) => {
      const infection = force * y[0] * y[1];
      d[0] = -infection;
      d[1] = infection - gamma * y[1];
      d[2] = gamma * y[1];
    };
  } else if (model === "SIS") {
    y0 = Float64Array.of(Math.max(0, s0), i0);
    f = (_t, y, d) => {
      const flux = force * y[0] * y[1] - gamma * y[1];
      d[0] = -flux;
      d[1] = flux;
    };
  } else {
    y0 = Float64Array.of(Math.max(0, s0), e0, i0, r0);
    f = (_t, y, d) => {
      const infection = force * y[0] * y[2];
      d[0] = -infection;
      d[1] = infection - sigma * y[1];
      d[2] = sigma * y[1] - gamma * y[2];
      d[3] = gamma * y[2];
    };
  }
  return sampleCurves(model, compartments, f, y0, options.time, options.tolerance, (y, out) => out.set(y));
}
