/**
 * Degree sequences drawn from a distribution, for the configuration model: Poisson (the degree law of a
 * sparse Erdős–Rényi graph), a discrete power law with cut-offs, or k-regular.
 *   [Reference] Knuth, D. E. (1997). The Art of Computer Programming, vol. 2, 3rd ed., §3.4.1 (Poisson by
 *   products of uniforms, used for means below 10).
 *   [Reference] Hörmann, W. (1993). "The transformed rejection method for generating Poisson random
 *   variables." Insurance: Mathematics and Economics 12, 39–45. (PTRS, used for means of 10 and above.)
 *   [Reference] Clauset, A., Shalizi, C. R. & Newman, M. E. J. (2009). "Power-law distributions in empirical
 *   data." SIAM Review 51, 661–703. (The discrete power law P(k) ∝ k^−γ; sampled here exactly, by
 *   inversion of its tabulated CDF between kmin and kmax.)
 */
import type { Random } from "../../random.js";
import { GeneratorError } from "../../errors.js";
import { checkInteger, checkNumber } from "./params.js";

export type DegreeDistribution =
  | { poisson: number }
  | { powerLaw: { exponent: number; kmin: number; kmax?: number } }
  | { regular: number };

/** ln k! (exact sum below 20, Stirling series above: relative error < 1e-15). */
function logFactorial(k: number): number {
  if (k < 20) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}

/** A Poisson variate with the given mean. */
export function poisson(rng: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 10) {
    const limit = Math.exp(-mean);
    let k = 0;
    let prod = rng.next();
    while (prod > limit) {
      k++;
      prod *= rng.next();
    }
    return k;
  }
  // PTRS (Hörmann 1993).
  const slam = Math.sqrt(mean);
  const logLam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  while (true) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logLam - logFactorial(k)) return k;
  }
}

/** n degrees drawn independently from the distribution (validated against n, for generator `id`). */
export function sampleDegrees(id: string, n: number, distribution: DegreeDistribution, rng: Random): Int32Array {
  const degrees = new Int32Array(n);
  const maxDegree = Math.max(0, n - 1);
  if (typeof distribution !== "object" || distribution === null) {
    throw new GeneratorError(`${id}: distribution must be one of {poisson: mean}, {powerLaw: {exponent, kmin, kmax}}, {regular: k}.`);
  }
  if ("poisson" in distribution) {
    const mean = checkNumber(id, "distribution.poisson (the mean degree)", distribution.poisson, 0, maxDegree, `[0, n − 1 = ${maxDegree}]`);
    for (let v = 0; v < n; v++) degrees[v] = poisson(rng, mean);
    return degrees;
  }
  if ("regular" in distribution) {
    const k = checkInteger(id, "distribution.regular (the degree)", distribution.regular, 0, maxDegree, `[0, n − 1 = ${maxDegree}]`);
    degrees.fill(k);
    return degrees;
  }
  if ("powerLaw" in distribution && typeof distribution.powerLaw === "object" && distribution.powerLaw !== null) {
    const law = distribution.powerLaw;
    const exponent = checkNumber(id, "distribution.powerLaw.exponent", law.exponent, 0, 100, "[0, 100]");
    const kmin = checkInteger(id, "distribution.powerLaw.kmin", law.kmin, 1, Math.max(1, maxDegree), `[1, n − 1 = ${maxDegree}]`);
    const kmax = checkInteger(id, "distribution.powerLaw.kmax", law.kmax ?? maxDegree, kmin, Math.max(kmin, maxDegree), `[kmin, n − 1 = ${maxDegree}]`);
    // Cumulative weights k^−γ for k = kmin..kmax; draw by binary search on a uniform times the total.
    const size = kmax - kmin + 1;
    const cdf = new Float64Array(size);
    let sum = 0;
    for (let i = 0; i < size; i++) {
      sum += (kmin + i) ** -exponent;
      cdf[i] = sum;
    }
    for (let v = 0; v < n; v++) {
      const x = rng.next() * sum;
      let lo = 0;
      let hi = size - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] > x) hi = mid;
        else lo = mid + 1;
      }
      degrees[v] = kmin + lo;
    }
    return degrees;
  }
  throw new GeneratorError(`${id}: distribution must be one of {poisson: mean}, {powerLaw: {exponent, kmin, kmax}}, {regular: k}; got keys ${Object.keys(distribution).join(", ") || "none"}.`);
}
