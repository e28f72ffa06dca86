/**
 * Continuous and over-dispersed count samplers for the corpus's reporting model, drawing from a seeded
 * `Random` stream (src/random.ts). The Poisson sampler is the generators' (Knuth below a mean of 10, PTRS
 * above: src/graph/generators/degree-sequence.ts).
 *   [Reference] Marsaglia, G. & Tsang, W. W. (2000). "A simple method for generating gamma variables."
 *   ACM Transactions on Mathematical Software 26, 363–372. (Shape ≥ 1; shape < 1 by the boost
 *   Γ(a) = Γ(a + 1)·U^(1/a), their §6.)
 *   [Reference] Marsaglia, G. & Bray, T. A. (1964). "A convenient method for generating normal variables."
 *   SIAM Review 6, 260–264. (The polar method.)
 *   [Reference] Greenwood, M. & Yule, G. U. (1920). "An inquiry into the nature of frequency distributions
 *   representative of multiple happenings…" J. R. Stat. Soc. 83, 255–279. (Negative binomial as a
 *   gamma mixture of Poissons.)
 */
import { gammaVariate, type Random } from "../random.js";
import { poisson } from "../graph/generators/degree-sequence.js";

export { poisson };

/** The engine's samplers (src/random.ts), under the names the corpus code uses. */
export { normal as standardNormal, gammaVariate as gamma } from "../random.js";

/**
 * A negative-binomial count with mean μ and dispersion k: a Poisson whose mean is Gamma(k, μ/k), so the
 * variance is μ + μ²/k. k = Infinity gives the Poisson itself; μ = 0 gives 0.
 */
export function negativeBinomial(rng: Random, mean: number, dispersion: number): number {
  if (!(mean > 0)) return 0;
  if (!Number.isFinite(dispersion)) return poisson(rng, mean);
  return poisson(rng, gammaVariate(rng, dispersion, mean / dispersion));
}

/** Uniform on [a, b). */
export function uniform(rng: Random, a: number, b: number): number {
  return a + (b - a) * rng.next();
}

/** Log-uniform on [a, b) (a, b > 0). */
export function logUniform(rng: Random, a: number, b: number): number {
  return a * Math.exp(Math.log(b / a) * rng.next());
}

/** True with probability p. */
export function chance(rng: Random, p: number): boolean {
  return rng.next() < p;
}
