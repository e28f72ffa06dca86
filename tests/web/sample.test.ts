/** The large-network sample (web/src/network/sample.ts): k distinct indices, deterministic, uniform. */
import { describe, expect, it } from "vitest";
import { MAX_SHOWN, SAMPLE_SIZE, sampleIndices, shownIndices } from "../../web/src/network/sample.js";

describe("sampleIndices", () => {
  it("returns k distinct indices in [0, n), the same for the same seed, different for another", () => {
    const a = sampleIndices(100_000, 20_000, 1);
    expect(a).toHaveLength(20_000);
    expect(new Set(a).size).toBe(20_000);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(100_000);
    expect(sampleIndices(100_000, 20_000, 1)).toEqual(a);
    expect(sampleIndices(100_000, 20_000, 2)).not.toEqual(a);
    expect(sampleIndices(5, 5)).toHaveLength(5);
  });

  it("is uniform: over 2,000 samples of 3 of 10, each index is drawn 600 times in expectation (χ² test, 9 df)", () => {
    const counts = new Float64Array(10);
    for (let seed = 1; seed <= 2000; seed++) for (const i of sampleIndices(10, 3, seed)) counts[i]++;
    const expected = (2000 * 3) / 10;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // Each count is Binomial(2000, 0.3) and the counts sum to 6000, so the Pearson statistic is ≈ 0.7·χ²(9)
    // under uniformity; its bound at χ²(9)'s 99.9th percentile (27.88) is conservative. A sampler that
    // favoured low indices (e.g. always 0, 1, 2) would score thousands.
    expect(chi2).toBeLessThan(27.88);
  });
});

describe("shownIndices", () => {
  it("draws networks up to 10⁵ nodes whole and samples 2·10⁴ of larger ones", () => {
    expect(MAX_SHOWN).toBe(100_000);
    expect(shownIndices(50_001)).toBeNull(); // sampled before the threshold moved to 10⁵
    expect(shownIndices(100_000)).toBeNull();
    const sample = shownIndices(100_001)!;
    expect(sample).toHaveLength(SAMPLE_SIZE);
    expect(new Set(sample).size).toBe(SAMPLE_SIZE);
    expect(Math.max(...sample)).toBeLessThan(100_001);
    // A smaller cap (GraphView.load's argument) samples at most the cap.
    expect(shownIndices(500, 100)).toHaveLength(100);
  });
});
