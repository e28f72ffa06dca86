/**
 * Seeded random streams. Every random choice in Spreadlab flows from here: a run's stream is derived from
 * (seed, stream index) alone, so results do not depend on worker count, order or machine.
 *
 * Generator: xoroshiro128+ from pure-rand (Blackman & Vigna 2018). pure-rand's own `xoroshiro128plus(seed)`
 * seeds from 32 bits with a weak initial state, so we fill the 128-bit state with SplitMix32-style hashing
 * of (seed, stream) instead and hand it to `xoroshiro128plusFromState`.
 */
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { SpreadlabError } from "./errors.js";

/** A mutable random stream. `next()` is uniform on [0, 1) with 53 bits; the samplers build on it. */
export interface Random {
  /** Uniform double in [0, 1), 53 random bits. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** 32 random bits as an unsigned integer in [0, 2^32). */
  uint32(): number;
  /** Exponential variate with the given rate (mean 1/rate). */
  exponential(rate: number): number;
}

const INV_TWO_POW_53 = 1 / 9007199254740992;

/** Mix a 32-bit value (Murmur3 finaliser). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Validate a user seed: a non-negative safe integer. */
export function checkSeed(seed: number, where = "seed"): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new SpreadlabError(`${where}: expected a non-negative integer, got ${String(seed)}.`);
  }
  return seed;
}

class Xoroshiro implements Random {
  private readonly g: { next(): number };
  constructor(state: number[]) {
    this.g = xoroshiro128plusFromState(state);
  }
  next(): number {
    const hi = this.g.next() >>> 6; // 26 bits
    const lo = this.g.next() >>> 5; // 27 bits
    return (hi * 134217728 + lo) * INV_TWO_POW_53;
  }
  uint32(): number {
    return this.g.next() >>> 0;
  }
  int(n: number): number {
    // Multiply-shift on 53 bits: bias ≤ n / 2^53, far below anything measurable here.
    return Math.floor(this.next() * n);
  }
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }
}

/**
 * A random stream for (seed, stream). Stream 0 is used for network generation and initial conditions,
 * run r of an ensemble uses stream r + 1 (see `runStream`).
 */
export function createRandom(seed: number, stream = 0): Random {
  checkSeed(seed);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const state: number[] = [];
  let h = fmix32(lo ^ 0x9e3779b9) ^ fmix32(hi + 0x7f4a7c15) ^ fmix32(Math.imul(stream + 1, 0x632be5ab));
  for (let i = 0; i < 4; i++) {
    h = fmix32(h + Math.imul(i + 1, 0x9e3779b9) + stream);
    state.push(h);
  }
  if (!state.some((s) => s !== 0)) state[0] = 1; // the all-zero state is a fixed point
  const rng = new Xoroshiro(state);
  // Discard a few outputs so nearby seeds decorrelate fully.
  for (let i = 0; i < 8; i++) rng.next();
  return rng;
}

/** The stream of run `runIndex` of an ensemble with the given seed. */
export function runStream(seed: number, runIndex: number): Random {
  return createRandom(seed, runIndex + 1);
}

/**
 * Geometric variate: number of failures before the first success, success probability p ∈ (0, 1].
 * Inversion: ⌊ln U / ln(1 − p)⌋.
 */
export function geometric(rng: Random, p: number): number {
  if (p >= 1) return 0;
  return Math.floor(Math.log(1 - rng.next()) / Math.log(1 - p));
}

/**
 * Binomial variate B(n, p) by the waiting-time method (Devroye 1986, ch. X.4): successes are separated by
 * geometric gaps, so the cost is O(n·min(p, 1 − p)) and the result is exact. Spreadlab draws binomials for
 * seeding and reporting noise where n·p is modest; a BTRS sampler would be the upgrade for huge n·p.
 */
export function binomial(rng: Random, n: number, p: number): number {
  if (!(p >= 0 && p <= 1) || !Number.isInteger(n) || n < 0) {
    throw new SpreadlabError(`binomial: expected integer n ≥ 0 and p in [0, 1], got n=${n}, p=${p}.`);
  }
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  // Waiting times: positions of successes are separated by geometric gaps.
  let count = 0;
  let pos = geometric(rng, q);
  while (pos < n) {
    count++;
    pos += 1 + geometric(rng, q);
  }
  return flip ? n - count : count;
}


/**
 * Standard normal variate by Marsaglia's polar method (Marsaglia & Bray 1964): a uniform point in the unit
 * disc, (x, y)·√(−2 ln s / s). The second variate of the pair is dropped, so each call consumes its own
 * uniforms and a run's stream never depends on hidden state.
 */
export function normal(rng: Random): number {
  for (;;) {
    const x = 2 * rng.next() - 1;
    const y = 2 * rng.next() - 1;
    const s = x * x + y * y;
    if (s > 0 && s < 1) return x * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * Gamma variate with the given shape k > 0 and scale θ > 0 (mean kθ, variance kθ²), by Marsaglia & Tsang
 * (2000): squeeze-accepted cubes of normals, ≈ 1.03 normals per variate for k ≥ 1. For k < 1 we use their
 * boost: Gamma(k) = Gamma(k + 1) · U^(1/k).
 */
export function gammaVariate(rng: Random, shape: number, scale = 1): number {
  if (shape < 1) {
    const u = 1 - rng.next(); // (0, 1]
    return gammaVariate(rng, shape + 1, scale) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next(); // (0, 1]: log(u) is finite
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v * scale;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** Log-normal variate: e^(μ + σZ), Z standard normal. */
export function lognormal(rng: Random, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * normal(rng));
}

/** Weibull variate with shape k and scale λ, by inversion: λ(−ln(1 − U))^(1/k). */
export function weibull(rng: Random, shape: number, scale: number): number {
  return scale * Math.pow(-Math.log(1 - rng.next()), 1 / shape);
}
