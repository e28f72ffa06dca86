/**
 * Edge-based compartmental model (EBCM) for Markovian SIR on configuration-model networks: exact in the
 * limit of large networks with the given degree distribution.
 *   [Reference] Miller, J. C. (2011). "A note on a paper by Erik Volz: SIR dynamics in random networks."
 *   J. Math. Biol. 62, 349–358.
 *   [Reference] Miller, J. C.; Slim, A. C.; Volz, E. M. (2012). "Edge-based compartmental modelling for
 *   infectious disease spread." J. R. Soc. Interface 9, 890–906.
 *   [Reference] Kiss, I. Z.; Miller, J. C.; Simon, P. L. (2017). Mathematics of Epidemics on Networks,
 *   Springer, ch. 6.
 *
 * θ(t) is the probability that a random partner of a test node has not transmitted to it. With per-edge rate
 * τ, recovery rate γ, ψ(x) = Σ_k P(k)xᵏ and a fraction ρ infectious at t = 0 chosen independently of degree
 * (nobody recovered, no edge has transmitted: θ(0) = 1):
 *     θ' = −τθ + τ(1 − ρ)·ψ′(θ)/ψ′(1) + γ(1 − θ)
 *     S = (1 − ρ)·ψ(θ),   R' = γ·I,   I = 1 − S − R.
 * Derivation (Miller, Slim & Volz 2012, §2): θ = φ_S + φ_I + φ_R with φ_S = (1 − ρ)ψ′(θ)/ψ′(1) (the partner
 * was initially susceptible and none of its other edges has transmitted), θ' = −τφ_I, φ_R' = γφ_I, so
 * φ_R = (γ/τ)(1 − θ); eliminating φ_I gives θ'. Setting θ' = 0 gives the final state
 *     θ∞ = (1 − T) + T(1 − ρ)·ψ′(θ∞)/ψ′(1),  T = τ/(τ + γ),   r = 1 − (1 − ρ)·ψ(θ∞),
 * the message-passing final size of docs/validation.md B (r counts the initially infected).
 */
import type { RightHandSide } from "../engine/ode.js";
import { checkFraction, checkRate, sampleCurves, type MeanFieldCurves } from "./homogeneous.js";
import { degreeClasses, type DegreeDistribution, type HmfOptions, type HmfParams } from "./hmf.js";

/** ψ(x) and ψ′(x) over the degree classes (degrees[j] with probability p[j]). */
function generating(degrees: Float64Array, p: Float64Array, x: number): { psi: number; dpsi: number } {
  let psi = 0;
  let dpsi = 0;
  for (let j = 0; j < degrees.length; j++) {
    const k = degrees[j];
    if (k === 0) {
      psi += p[j];
      continue;
    }
    const xk1 = x ** (k - 1);
    psi += p[j] * xk1 * x;
    dpsi += p[j] * k * xk1;
  }
  return { psi, dpsi };
}

/**
 * EBCM SIR on a configuration-model network: S, I, R as fractions at record times, plus θ. Tolerances default
 * to rtol 1e-8, atol 1e-12; the final R approaches the message-passing final size as t grows.
 */
export function ebcmSIR(distribution: DegreeDistribution, params: HmfParams, options: HmfOptions): MeanFieldCurves & { theta: number[] } {
  const caller = "ebcmSIR";
  const { degrees, probabilities, mean } = degreeClasses(caller, distribution);
  const tau = checkRate(caller, "tau", params.tau);
  const gamma = checkRate(caller, "gamma", params.gamma);
  const rho = checkFraction(caller, "initialInfected", options.initialInfected ?? 0.001);
  // ψ′(1) = ⟨k⟩. State: [θ, R].
  const f: RightHandSide = (_t, y, d) => {
    const theta = Math.min(1, Math.max(0, y[0]));
    const { psi, dpsi } = generating(degrees, probabilities, theta);
    d[0] = -tau * theta + (tau * (1 - rho) * dpsi) / mean + gamma * (1 - theta);
    d[1] = gamma * (1 - (1 - rho) * psi - y[1]);
  };
  const curves = sampleCurves("EBCM SIR", ["S", "I", "R", "theta"], f, Float64Array.of(1, 0), options.time, options.tolerance, (y, out) => {
    const s = (1 - rho) * generating(degrees, probabilities, Math.min(1, Math.max(0, y[0]))).psi;
    out[0] = s;
    out[1] = 1 - s - y[1];
    out[2] = y[1];
    out[3] = y[0];
  });
  const theta = curves.fractions.theta;
  delete curves.fractions.theta;
  return { ...curves, compartments: ["S", "I", "R"], theta };
}
