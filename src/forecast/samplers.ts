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
import type { Random } from "../random.js";
import { poisson } from "../graph/generators/degree-sequence.js";

export { poisson };

/** A standard normal variate (polar method; one of the pair is discarded, so no state is kept). */
export function standardNormal(rng: Random): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** A gamma variate with the given shape > 0 and scale > 0 (mean shape·scale, variance shape·scale²). */
export function gamma(rng: Random, shape: number, scale = 1): number {
  if (shape < 1) {
    // Boost: Γ(a) = Γ(a + 1) · U^(1/a).
    const u = 1 - rng.next(); // (0, 1]
    return gamma(rng, shape + 1, scale) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v * scale;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/**
 * A negative-binomial count with mean μ and dispersion k: a Poisson whose mean is Gamma(k, μ/k), so the
 * variance is μ + μ²/k. k = Infinity gives the Poisson itself; μ = 0 gives 0.
 */
export function negativeBinomial(rng: Random, mean: number, dispersion: number): number {
  if (!(mean > 0)) return 0;
  if (!Number.isFinite(dispersion)) return poisson(rng, mean);
  return poisson(rng, gamma(rng, dispersion, mean / dispersion));
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
