/** Seeded streams and samplers: moments within 4 standard errors (fixed seeds: deterministic). */
import { describe, expect, it } from "vitest";
import { binomial, createRandom, geometric, runStream } from "../src/random.js";
import { estimate } from "./helpers/statistics.js";

const N = 200_000;
const sample = (f: () => number) => estimate(Float64Array.from({ length: N }, f));

describe("random streams", () => {
  it("same (seed, stream) → same numbers; other seeds or streams → others", () => {
    const a = createRandom(5, 3);
    const b = createRandom(5, 3);
    const xs = Array.from({ length: 10 }, () => a.next());
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(xs);
    expect(createRandom(6, 3).next()).not.toBe(xs[0]);
    expect(createRandom(5, 4).next()).not.toBe(xs[0]);
    expect(runStream(5, 0).next()).toBe(createRandom(5, 1).next());
  });
  it("rejects seeds that are not non-negative safe integers", () => {
    expect(() => createRandom(-1)).toThrow(expect.objectContaining({ name: "SpreadlabError" }));
    expect(() => createRandom(1.5)).toThrow();
  });
  it("uniform: mean 1/2, variance 1/12, in [0, 1)", () => {
    const rng = createRandom(1);
    const e = sample(() => rng.next());
    expect(Math.abs(e.mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(e.sd ** 2 - 1 / 12)).toBeLessThan(0.002);
  });
  it("exponential(rate 2): mean 1/2, sd 1/2", () => {
    const rng = createRandom(2);
    const e = sample(() => rng.exponential(2));
    expect(Math.abs(e.mean - 0.5)).toBeLessThan(4 * (0.5 / Math.sqrt(N)));
    expect(Math.abs(e.sd - 0.5)).toBeLessThan(0.01);
  });
  it("geometric(p = 0.2): failures before success, mean (1−p)/p = 4", () => {
    const rng = createRandom(3);
    const e = sample(() => geometric(rng, 0.2));
    expect(Math.abs(e.mean - 4)).toBeLessThan(4 * Math.sqrt(0.8 / 0.04 / N));
  });
  it("binomial(50, 0.3) and (50, 0.8): mean np, variance np(1−p)", () => {
    for (const p of [0.3, 0.8]) {
      const rng = createRandom(4);
      const e = sample(() => binomial(rng, 50, p));
      expect(Math.abs(e.mean - 50 * p)).toBeLessThan(4 * Math.sqrt((50 * p * (1 - p)) / N));
      expect(Math.abs(e.sd ** 2 / (50 * p * (1 - p)) - 1)).toBeLessThan(0.02);
    }
  });
  it("int(n) covers 0..n−1 uniformly (χ² on 10 cells)", () => {
    const rng = createRandom(5);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < N; i++) counts[rng.int(10)]++;
    const chi2 = counts.reduce((s, c) => s + (c - N / 10) ** 2 / (N / 10), 0);
    expect(chi2).toBeLessThan(27.9); // χ²(9) at α = 0.001
  });
});
