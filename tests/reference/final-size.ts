/**
 * Closed-form and fixed-point references for epidemic final size and SIS prevalence (docs/validation.md A–C).
 *
 *  - Well-mixed SIR final size r = 1 − (1−ρ)·exp(−R0·r) (Kermack & McKendrick 1927); for ρ → 0,
 *    r = 1 + W0(−R0·e^(−R0))/R0 with the principal Lambert W branch (Corless et al., "On the Lambert W
 *    function", Adv. Comput. Math. 5, 1996).
 *  - SIR on configuration-model networks by message passing / the edge-based compartmental model
 *    (Miller, "A note on a paper by Erik Volz", J. Math. Biol. 62, 2011; Kiss, Miller & Simon,
 *    "Mathematics of Epidemics on Networks", 2017, ch. 6).
 *  - SIS heterogeneous mean field (Pastor-Satorras & Vespignani, Phys. Rev. Lett. 86, 2001).
 *
 * Degree distributions are arrays indexed by degree k. Counts or probabilities both work: every function
 * normalises by the total.
 */

const MAX_ITERATIONS = 100_000;

function checkProbability(caller: string, name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`${caller}: invalid ${name} ${value}. Expecting 0 ≤ ${name} ≤ 1.`);
  }
}

/** Degree distribution moments after normalisation: P(k), ⟨k⟩, ⟨k²⟩. */
function degreeMoments(caller: string, degreeCounts: readonly number[] | Float64Array) {
  let total = 0;
  for (const c of degreeCounts) {
    if (!(c >= 0 && Number.isFinite(c))) {
      throw new RangeError(`${caller}: invalid degree count ${c}. Expecting finite counts ≥ 0.`);
    }
    total += c;
  }
  if (!(total > 0)) throw new RangeError(`${caller}: the degree distribution is empty.`);
  const probabilities = Float64Array.from(degreeCounts, (c) => c / total);
  let mean = 0;
  let secondMoment = 0;
  probabilities.forEach((p, k) => {
    mean += k * p;
    secondMoment += k * k * p;
  });
  return { probabilities, mean, secondMoment };
}

/**
 * Principal branch W0 of the Lambert W function (w·e^w = x, w ≥ −1) for x ≥ −1/e, by Halley's iteration
 * from the branch-point series, log1p, or asymptotic starting values. Accurate to a few ulps.
 */
export function lambertW0(x: number): number {
  const branchPoint = -Math.exp(-1);
  if (Number.isNaN(x) || x < branchPoint - 1e-15) {
    throw new RangeError(`lambertW0: x = ${x} is below the branch point −1/e; W0 is real only for x ≥ −1/e.`);
  }
  if (x === 0 || x === Infinity) return x;
  const p = Math.sqrt(Math.max(0, 2 * (Math.E * x + 1)));
  // Branch-point series W = −1 + p − p²/3 + 11p³/72 − 43p⁴/540 + …; exact to round-off for p < 1e-3.
  const series = -1 + p * (1 + p * (-1 / 3 + p * (11 / 72 + p * (-43 / 540))));
  if (p < 1e-3) return series;
  let w: number;
  if (x < -0.25) w = series;
  else if (x < 3) w = Math.log1p(x);
  else {
    const l1 = Math.log(x);
    const l2 = Math.log(l1);
    w = l1 - l2 + l2 / l1;
  }
  for (let i = 0; i < 100; i++) {
    const ew = Math.exp(w);
    const f = w * ew - x;
    const next = w - f / (ew * (w + 1) - ((w + 2) * f) / (2 * w + 2));
    if (Math.abs(next - w) <= 4 * Number.EPSILON * Math.max(1, Math.abs(next))) return next;
    w = next;
  }
  return w;
}

/**
 * Well-mixed SIR final size: the largest root r ∈ [0, 1] of r = 1 − (1−ρ)·exp(−R0·r), where ρ is the
 * initially infected fraction. For ρ = 0 this is the non-trivial root (0 when R0 ≤ 1). Solved by bisection
 * to full double precision: the right-hand side minus r is convex, so the root is unique and bracketed.
 */
export function wellMixedFinalSize(R0: number, rho: number): number {
  const caller = "wellMixedFinalSize";
  if (!(R0 >= 0 && Number.isFinite(R0))) {
    throw new RangeError(`${caller}: invalid R0 ${R0}. Expecting a finite R0 ≥ 0.`);
  }
  checkProbability(caller, "rho", rho);
  if (rho === 1) return 1;
  if (rho === 0 && R0 <= 1) return 0;
  // For ρ = 0 divide out the trivial root: (1 − e^(−R0·r))/r − 1 decreases from R0 − 1 > 0 to −e^(−R0).
  const excess =
    rho === 0
      ? (r: number) => (r === 0 ? R0 - 1 : -Math.expm1(-R0 * r) / r - 1)
      : (r: number) => 1 - (1 - rho) * Math.exp(-R0 * r) - r;
  let lo = 0;
  let hi = 1;
  while (true) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) return mid;
    if (excess(mid) > 0) lo = mid;
    else hi = mid;
  }
}

/**
 * Well-mixed SIR final size for ρ → 0 by the Lambert W closed form r = 1 + W0(−R0·e^(−R0))/R0 (0 for
 * R0 ≤ 1). Loses accuracy as R0 → 1 (the argument approaches the branch point); prefer `wellMixedFinalSize`.
 */
export function wellMixedFinalSizeLambertW(R0: number): number {
  if (!(R0 >= 0 && Number.isFinite(R0))) throw new RangeError(`wellMixedFinalSizeLambertW: invalid R0 ${R0}.`);
  return R0 <= 1 ? 0 : 1 + lambertW0(-R0 * Math.exp(-R0)) / R0;
}

/**
 * Truncated Poisson(mean) degree distribution as PROBABILITIES P(k), k = 0..kmax (not renormalised; the
 * functions here normalise). Computed in log space, so large means do not underflow.
 */
export function poissonDegreeCounts(mean: number, kmax: number): Float64Array {
  if (!(mean >= 0 && Number.isFinite(mean))) throw new RangeError(`poissonDegreeCounts: invalid mean ${mean}.`);
  if (!Number.isInteger(kmax) || kmax < 0) throw new RangeError(`poissonDegreeCounts: invalid kmax ${kmax}.`);
  const probabilities = new Float64Array(kmax + 1);
  let logP = -mean;
  for (let k = 0; k <= kmax; k++) {
    if (k > 0) logP += Math.log(mean / k);
    probabilities[k] = Math.exp(logP);
  }
  return probabilities;
}

/** Configuration-model SIR epidemic threshold in transmissibility, T_c = ⟨k⟩/(⟨k²⟩ − ⟨k⟩). */
export function configurationModelThreshold(degreeCounts: readonly number[] | Float64Array): number {
  const { mean, secondMoment } = degreeMoments("configurationModelThreshold", degreeCounts);
  return mean / (secondMoment - mean);
}

/**
 * Expected SIR final size (attack rate, initial infecteds included) on a large configuration-model network
 * with the given degree distribution, transmissibility T = τ/(τ+γ) and initially infected fraction ρ:
 * θ = (1−T) + T(1−ρ)·ψ′(θ)/ψ′(1), smallest root, then r = 1 − (1−ρ)·ψ(θ), ψ(x) = Σ P(k)xᵏ.
 *
 * θ is iterated from 0 until a step is below 1e-14. Each step takes the larger of the fixed-point update and
 * a Newton step: the map is increasing and convex, so both stay below the smallest root and the sequence
 * rises monotonically to it (plain iteration alone is very slow near the threshold).
 */
export function messagePassingFinalSize(
  degreeCounts: readonly number[] | Float64Array,
  T: number,
  rho: number,
): number {
  const caller = "messagePassingFinalSize";
  checkProbability(caller, "T", T);
  checkProbability(caller, "rho", rho);
  const { probabilities, mean } = degreeMoments(caller, degreeCounts);
  const psi = (x: number) => probabilities.reduce((acc, p, k) => acc + p * x ** k, 0);
  if (mean === 0) return 1 - (1 - rho) * psi(0); // no edges: only the initial infecteds
  const dPsi = (x: number) => probabilities.reduce((acc, p, k) => (k >= 1 ? acc + k * p * x ** (k - 1) : acc), 0);
  const d2Psi = (x: number) =>
    probabilities.reduce((acc, p, k) => (k >= 2 ? acc + k * (k - 1) * p * x ** (k - 2) : acc), 0);
  const update = (theta: number) => 1 - T + (T * (1 - rho) * dPsi(theta)) / mean;
  let theta = 0;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const fixedPoint = update(theta);
    const slope = (T * (1 - rho) * d2Psi(theta)) / mean - 1;
    const newton = slope < 0 ? theta - (fixedPoint - theta) / slope : fixedPoint;
    const next = Math.min(1, Math.max(fixedPoint, newton));
    const step = Math.abs(next - theta);
    theta = next;
    if (step < 1e-14) return 1 - (1 - rho) * psi(theta);
  }
  throw new Error(`${caller}: θ did not converge in ${MAX_ITERATIONS} iterations.`);
}

/**
 * Heterogeneous mean-field SIS endemic prevalence ρ = Σ P(k)ρ_k with ρ_k = λkΘ/(1+λkΘ),
 * Θ = Σ kP(k)ρ_k/⟨k⟩, λ = τ/γ (0 below λ_c = ⟨k⟩/⟨k²⟩). Θ is iterated down from 1, each step the
 * smaller of the fixed-point update and a Newton step (the map is increasing and concave, so both stay above the
 * largest root), until a step is below 1e-15.
 */
export function hmfSisPrevalence(degreeProbs: readonly number[] | Float64Array, tau: number, gamma: number): number {
  const caller = "hmfSisPrevalence";
  if (!(tau >= 0 && Number.isFinite(tau))) {
    throw new RangeError(`${caller}: invalid tau ${tau}. Expecting a finite rate ≥ 0.`);
  }
  if (!(gamma > 0 && Number.isFinite(gamma))) {
    throw new RangeError(`${caller}: invalid gamma ${gamma}. Expecting a finite rate > 0.`);
  }
  const { probabilities, mean } = degreeMoments(caller, degreeProbs);
  if (mean === 0 || tau === 0) return 0;
  const lambda = tau / gamma;
  const local = (k: number, theta: number) => (lambda * k * theta) / (1 + lambda * k * theta);
  let theta = 1;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    let fixedPoint = 0;
    let slope = -1;
    probabilities.forEach((p, k) => {
      fixedPoint += (k * p * local(k, theta)) / mean;
      slope += (k * p * lambda * k) / (1 + lambda * k * theta) ** 2 / mean;
    });
    const newton = slope < 0 ? theta - (fixedPoint - theta) / slope : fixedPoint;
    const next = Math.max(0, Math.min(fixedPoint, newton));
    const step = Math.abs(next - theta);
    theta = next;
    if (step < 1e-15) return probabilities.reduce((acc, p, k) => acc + p * local(k, theta), 0);
  }
  throw new Error(`${caller}: Θ did not converge in ${MAX_ITERATIONS} iterations.`);
}
