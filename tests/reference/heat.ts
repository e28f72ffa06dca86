/**
 * Exact heat kernels du/dt = −D·L·u (L = D_deg − A, the combinatorial graph Laplacian) on the cycle C_n and
 * the path P_n, with all mass initially on one node (docs/validation.md F). Both use the Laplacian's closed-form
 * eigenpairs (Chung, "Spectral Graph Theory", 1997, §1.4; the path's eigenvectors are the DCT-II basis):
 *  - C_n: λ_k = 2 − 2cos(2πk/n), u_j(t) = (1/n)·Σ_k e^(−Dtλ_k)·cos(2πk(j − s)/n);
 *  - P_n: λ_k = 2 − 2cos(πk/n), v_k(i) = cos(πk(i + ½)/n), ‖v_0‖² = n, ‖v_k‖² = n/2 (k ≥ 1).
 * Eigen-sums cancel: they are accurate to a few 1e-16 ABSOLUTE, so values far from the source (≲ 1e-10) lose
 * relative digits. The default cycle kernel therefore uses the image sum of the infinite-path kernel,
 * u_j(t) = e^(−2Dt)·Σ_m I_|j−s+mn|(2Dt) (modified Bessel functions; Abramowitz & Stegun 9.6.10), whose
 * terms are all positive: it is accurate to a few ulps RELATIVE, even in the far tail.
 */

export interface HeatKernelOptions {
  /** Node holding the unit mass at t = 0 (default 0). */
  source?: number;
  /** Diffusion coefficient D (default 1). */
  diffusion?: number;
}

function resolve(caller: string, n: number, t: number, options: HeatKernelOptions) {
  const source = options.source ?? 0;
  const diffusion = options.diffusion ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${caller}: invalid n ${n}. Expecting an integer ≥ 1.`);
  if (!(t >= 0 && Number.isFinite(t))) {
    throw new RangeError(`${caller}: invalid time ${t}. Expecting a finite t ≥ 0.`);
  }
  if (!Number.isInteger(source) || source < 0 || source >= n) {
    throw new RangeError(`${caller}: source ${source} is not a node (0..${n - 1}).`);
  }
  if (!(diffusion >= 0 && Number.isFinite(diffusion))) {
    throw new RangeError(`${caller}: invalid diffusion ${diffusion}. Expecting a finite D ≥ 0.`);
  }
  return { source, scaledTime: diffusion * t };
}

/** Largest 2Dt for the Bessel series: its terms stay below e^600 and e^(−2Dt) above the normal range. */
const MAX_BESSEL_ARGUMENT = 600;

/** I_ν(x) by its power series Σ_j (x/2)^(2j+ν)/(j!·(j+ν)!); positive terms, so accurate to a few ulps. */
function besselI(nu: number, x: number): number {
  let term = 1;
  for (let i = 1; i <= nu; i++) {
    term *= x / 2 / i;
    if (term < 1e-300) return 0; // past the peak in i, so I_ν(x)·e^(−x) ≤ 1e-300·e^(−x/2): negligible
  }
  let sum = 0;
  for (let j = 0; term > Number.EPSILON * 1e-3 * sum || j <= x / 2; j++) {
    sum += term;
    term *= (x / 2) ** 2 / ((j + 1) * (j + 1 + nu));
  }
  return sum;
}

/**
 * Heat kernel on the cycle C_n (node j adjacent to j ± 1 mod n): u_j(t) for j = 0..n−1. Uses the Bessel
 * image sum (relative accuracy) for 2Dt ≤ 600 and the eigen-sum beyond (absolute accuracy a few 1e-16).
 */
export function heatKernelCycle(n: number, t: number, options: HeatKernelOptions = {}): Float64Array {
  const { source, scaledTime } = resolve("heatKernelCycle", n, t, options);
  const x = 2 * scaledTime;
  if (x > MAX_BESSEL_ARGUMENT) return heatKernelCycleSpectral(n, t, options);
  const u = new Float64Array(n);
  const scale = Math.exp(-x);
  for (let j = 0; j < n; j++) {
    const offset = (((j - source) % n) + n) % n;
    let sum = besselI(offset, x);
    // Images at distances offset + mn (m ≥ 1) and mn − offset (m ≥ 1); both grow with m and I_ν falls with ν.
    for (let m = 1; ; m++) {
      const right = besselI(offset + m * n, x);
      const left = besselI(m * n - offset, x);
      sum += right + left;
      if (right + left <= 1e-18 * sum) break;
    }
    u[j] = scale * sum;
  }
  return u;
}

/** Heat kernel on C_n by the Laplacian eigen-sum (accurate to a few 1e-16 absolute; see the file header). */
export function heatKernelCycleSpectral(n: number, t: number, options: HeatKernelOptions = {}): Float64Array {
  const { source, scaledTime } = resolve("heatKernelCycleSpectral", n, t, options);
  const u = new Float64Array(n);
  const eigenvalue = (k: number) => 2 - 2 * Math.cos((2 * Math.PI * k) / n);
  const decay = Float64Array.from({ length: n }, (_, k) => Math.exp(-scaledTime * eigenvalue(k)));
  for (let j = 0; j < n; j++) {
    const offset = (((j - source) % n) + n) % n;
    let sum = 0;
    // cos(2πk·offset/n) with the product reduced mod n keeps the angle small and accurate.
    for (let k = 0; k < n; k++) sum += decay[k] * Math.cos((2 * Math.PI * ((k * offset) % n)) / n);
    u[j] = sum / n;
  }
  return u;
}

/**
 * Heat kernel on the path P_n (node i adjacent to i ± 1 within 0..n−1): u_i(t) for i = 0..n−1, by the
 * eigenpairs (accurate to a few 1e-16 absolute). For relative accuracy far from the source, fold the cycle:
 * u^P_i = u^C_i(source s) + u^C_i(source 2n−1−s) on C_2n (method of images; see heat.test.ts).
 */
export function heatKernelPath(n: number, t: number, options: HeatKernelOptions = {}): Float64Array {
  const { source, scaledTime } = resolve("heatKernelPath", n, t, options);
  const u = new Float64Array(n);
  const mode = (k: number, i: number) => Math.cos((Math.PI * k * (i + 0.5)) / n);
  for (let k = 0; k < n; k++) {
    const decay = Math.exp(-scaledTime * (2 - 2 * Math.cos((Math.PI * k) / n)));
    const weight = (decay * mode(k, source)) / (k === 0 ? n : n / 2);
    for (let i = 0; i < n; i++) u[i] += weight * mode(k, i);
  }
  return u;
}
