/**
 * Heterogeneous (degree-based) mean field for SIS and SIR on a network with degree distribution P(k):
 * nodes of equal degree are taken as statistically equivalent and neighbours are drawn in proportion to
 * their degree (no degree correlations, no dynamical correlations).
 *   [Reference] Pastor-Satorras, R.; Vespignani, A. (2001). "Epidemic spreading in scale-free networks."
 *   Phys. Rev. Lett. 86, 3200–3203.
 *   [Reference] Moreno, Y.; Pastor-Satorras, R.; Vespignani, A. (2002). "Epidemic outbreaks in complex
 *   heterogeneous networks." Eur. Phys. J. B 26, 521–529 (SIR).
 *   [Reference] Barrat, A.; Barthélemy, M.; Vespignani, A. (2008). Dynamical Processes on Complex Networks,
 *   Cambridge, ch. 9 (§9.2: the (k − 1) correction for SIR).
 *
 * Per-edge transmission rate τ, recovery rate γ, fractions per degree class k:
 *   SIS:  ρ_k' = −γ·ρ_k + τ·k·(1 − ρ_k)·Θ,      Θ = Σ_k k·P(k)·ρ_k / ⟨k⟩
 *         stationary ρ_k = λkΘ/(1 + λkΘ), λ = τ/γ, threshold λ_c = ⟨k⟩/⟨k²⟩ (docs/validation.md C).
 *   SIR:  s_k' = −τ·k·s_k·Θ,  i_k' = τ·k·s_k·Θ − γ·i_k,  r_k = 1 − s_k − i_k,
 *         Θ = Σ_k (k − 1)·P(k)·i_k / ⟨k⟩ by default: an infected node's edge to its infector cannot
 *         transmit again (threshold λ_c = ⟨k⟩/(⟨k²⟩ − ⟨k⟩)); `excludeInfector: false` uses k (λ_c = ⟨k⟩/⟨k²⟩).
 * Initially a fraction ρ of every class is infectious. Totals are Σ_k P(k)·x_k.
 */
import { ModelError } from "../errors.js";
import type { RightHandSide } from "../engine/ode.js";
import { checkFraction, checkRate, sampleCurves, type MeanFieldCurves, type MeanFieldTime, type MeanFieldTolerance } from "./homogeneous.js";

/** Degree distribution given as counts or probabilities indexed by degree k (normalised here). */
export type DegreeDistribution = readonly number[] | Float64Array;

/** The degree classes with P(k) > 0: degrees, probabilities, ⟨k⟩, ⟨k²⟩. */
export interface DegreeClasses {
  degrees: Float64Array;
  probabilities: Float64Array;
  mean: number;
  secondMoment: number;
}

export function degreeClasses(caller: string, distribution: DegreeDistribution): DegreeClasses {
  if (distribution === null || typeof distribution !== "object" || typeof distribution.length !== "number") {
    throw new ModelError(`${caller}: the degree distribution must be an array indexed by degree (counts or probabilities).`);
  }
  let total = 0;
  const degrees: number[] = [];
  const weights: number[] = [];
  for (let k = 0; k < distribution.length; k++) {
    const p = distribution[k];
    if (!(typeof p === "number" && p >= 0 && Number.isFinite(p))) throw new ModelError(`${caller}: degree distribution entry ${k} is ${String(p)}; expected finite counts or probabilities ≥ 0.`);
    if (p > 0) {
      degrees.push(k);
      weights.push(p);
      total += p;
    }
  }
  if (!(total > 0)) throw new ModelError(`${caller}: the degree distribution is empty (all entries 0).`);
  const probabilities = Float64Array.from(weights, (w) => w / total);
  let mean = 0;
  let secondMoment = 0;
  probabilities.forEach((p, j) => {
    mean += degrees[j] * p;
    secondMoment += degrees[j] * degrees[j] * p;
  });
  if (!(mean > 0)) throw new ModelError(`${caller}: the mean degree is 0; nothing can spread.`);
  return { degrees: Float64Array.from(degrees), probabilities, mean, secondMoment };
}

export interface HmfParams {
  /** Per-edge transmission rate τ. */
  tau: number;
  /** Recovery rate γ. */
  gamma: number;
}

export interface HmfOptions {
  time: MeanFieldTime;
  /** Initially infectious fraction ρ in every degree class (default 0.001). */
  initialInfected?: number;
  tolerance?: MeanFieldTolerance;
}

/** HMF SIS (contact-process semantics): totals S, I as fractions at record times. */
export function hmfSIS(distribution: DegreeDistribution, params: HmfParams, options: HmfOptions): MeanFieldCurves {
  const caller = "hmfSIS";
  const { degrees, probabilities, mean } = degreeClasses(caller, distribution);
  const tau = checkRate(caller, "tau", params.tau);
  const gamma = checkRate(caller, "gamma", params.gamma);
  const rho = checkFraction(caller, "initialInfected", options.initialInfected ?? 0.001);
  const C = degrees.length;
  const edgeWeight = Float64Array.from(degrees, (k, j) => (k * probabilities[j]) / mean);
  const f: RightHandSide = (_t, y, d) => {
    let theta = 0;
    for (let j = 0; j < C; j++) theta += edgeWeight[j] * y[j];
    for (let j = 0; j < C; j++) d[j] = -gamma * y[j] + tau * degrees[j] * (1 - y[j]) * theta;
  };
  return sampleCurves("HMF SIS", ["S", "I"], f, new Float64Array(C).fill(rho), options.time, options.tolerance, (y, out) => {
    let infected = 0;
    for (let j = 0; j < C; j++) infected += probabilities[j] * y[j];
    out[0] = 1 - infected;
    out[1] = infected;
  });
}

/**
 * HMF SIR: totals S, I, R as fractions at record times. `excludeInfector` (default true) uses (k − 1) in Θ;
 * see the header.
 */
export function hmfSIR(distribution: DegreeDistribution, params: HmfParams & { excludeInfector?: boolean }, options: HmfOptions): MeanFieldCurves {
  const caller = "hmfSIR";
  const { degrees, probabilities, mean } = degreeClasses(caller, distribution);
  const tau = checkRate(caller, "tau", params.tau);
  const gamma = checkRate(caller, "gamma", params.gamma);
  const rho = checkFraction(caller, "initialInfected", options.initialInfected ?? 0.001);
  const excess = (params.excludeInfector ?? true) ? 1 : 0;
  const C = degrees.length;
  const edgeWeight = Float64Array.from(degrees, (k, j) => (Math.max(0, k - excess) * probabilities[j]) / mean);
  // State: s_k at [0, C), i_k at [C, 2C).
  const f: RightHandSide = (_t, y, d) => {
    let theta = 0;
    for (let j = 0; j < C; j++) theta += edgeWeight[j] * y[C + j];
    for (let j = 0; j < C; j++) {
      const infection = tau * degrees[j] * y[j] * theta;
      d[j] = -infection;
      d[C + j] = infection - gamma * y[C + j];
    }
  };
  const y0 = new Float64Array(2 * C);
  y0.fill(1 - rho, 0, C);
  y0.fill(rho, C, 2 * C);
  return sampleCurves("HMF SIR", ["S", "I", "R"], f, y0, options.time, options.tolerance, (y, out) => {
    let s = 0;
    let i = 0;
    for (let j = 0; j < C; j++) {
      s += probabilities[j] * y[j];
      i += probabilities[j] * y[C + j];
    }
    out[0] = s;
    out[1] = i;
    out[2] = 1 - s - i;
  });
}
