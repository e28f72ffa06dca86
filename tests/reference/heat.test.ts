/**
 * Validation of the exact heat kernels against docs/validation.md F.
 *
 * The C₂₀ table is printed to six significant figures, so its entries carry up to half a unit in the last
 * printed digit of rounding — up to 4e-6 relative for entries starting with 1 (e.g. 0.127833 vs the exact
 * 0.12783335). The test therefore asks for agreement to every printed digit (|Δ| ≤ ½ unit in the last
 * place); a flat 1e-6 relative tolerance would fail on rounding alone (it does for 7 of the 15 entries, all
 * within ½ unit of the last printed digit).
 */
import { describe, expect, it } from "vitest";
import { heatKernelCycle, heatKernelCycleSpectral, heatKernelPath } from "./heat.js";

/** Half a unit in the last printed digit of a decimal string such as "0.0499388" or "9.98657e-5". */
function halfUnitInLastPlace(printed: string): number {
  const [mantissa, exponent = "0"] = printed.toLowerCase().split("e");
  const decimals = mantissa.includes(".") ? mantissa.split(".")[1].length : 0;
  return 0.5 * 10 ** (Number(exponent) - decimals);
}

describe("heat kernel on the cycle C_n", () => {
  const table: [number, string[]][] = [
    [0.5, ["0.465760", "0.207910", "0.0499388", "9.98657e-5", "2.02551e-10"]],
    [1, ["0.308508", "0.215269", "0.093239", "0.00132976", "8.16603e-8"]],
    [5, ["0.127833", "0.121263", "0.103581", "0.035289", "0.00198776"]],
  ];
  const nodes = [0, 1, 2, 5, 10];

  it("reproduces the C₂₀ table of docs/validation.md F to every printed digit", () => {
    for (const [t, row] of table) {
      const u = heatKernelCycle(20, t);
      row.forEach((printed, i) => {
        const tolerance = halfUnitInLastPlace(printed) * (1 + 1e-9);
        expect(Math.abs(u[nodes[i]] - Number(printed))).toBeLessThanOrEqual(tolerance);
      });
    }
  });

  it("agrees with the independent eigen-sum to its absolute accuracy (a few ε)", () => {
    for (const [n, t] of [[20, 0.5], [20, 1], [20, 5], [7, 40], [50, 0.01]]) {
      const images = heatKernelCycle(n, t);
      const spectral = heatKernelCycleSpectral(n, t);
      for (let j = 0; j < n; j++) expect(Math.abs(images[j] - spectral[j])).toBeLessThan(4 * Number.EPSILON);
    }
  });

  it("keeps relative accuracy in the far tail: u_10(C_20, t = 0.5) equals the leading Bessel term", () => {
    // Nodes 10 away in both directions: u_10 = e^(−1)·(2·I_10(1) + 2·I_30(1) + …); the I_30 terms are ~1e-40.
    // I_10(1) = Σ_j (1/2)^(2j+10)/(j!(j+10)!) summed here by hand to 1e-17 relative.
    let i10 = 0;
    let term = 0.5 ** 10 / 3628800;
    for (let j = 0; j < 12; j++) {
      i10 += term;
      term *= 0.25 / ((j + 1) * (j + 11));
    }
    expect(Math.abs(heatKernelCycle(20, 0.5)[10] / (2 * Math.exp(-1) * i10) - 1)).toBeLessThan(1e-14);
  });

  it("conserves mass, is symmetric about the source and scales time by D", () => {
    const u = heatKernelCycle(11, 0.8, { source: 4 });
    expect(Math.abs(u.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-15);
    for (let d = 1; d <= 5; d++) expect(u[(4 + d) % 11]).toBeCloseTo(u[(4 - d + 11) % 11], 15);
    const slow = heatKernelCycle(11, 1.6, { source: 4, diffusion: 0.5 });
    u.forEach((x, j) => expect(slow[j]).toBeCloseTo(x, 15));
    expect(Array.from(heatKernelCycle(5, 0, { source: 2 }))).toEqual([0, 0, 1, 0, 0].map((x) => expect.closeTo(x, 15)));
  });
});

describe("heat kernel on the path P_n", () => {
  it("matches the two-node closed form u₀ = (1 + e^(−2t))/2", () => {
    for (const t of [0.1, 1, 4]) {
      const u = heatKernelPath(2, t);
      expect(u[0]).toBeCloseTo((1 + Math.exp(-2 * t)) / 2, 15);
      expect(u[1]).toBeCloseTo((1 - Math.exp(-2 * t)) / 2, 15);
    }
  });

  it("equals the folded cycle C_2n (method of images) for every source", () => {
    const n = 9;
    const t = 1.7;
    for (let s = 0; s < n; s++) {
      const path = heatKernelPath(n, t, { source: s });
      const direct = heatKernelCycle(2 * n, t, { source: s });
      const mirror = heatKernelCycle(2 * n, t, { source: 2 * n - 1 - s });
      for (let i = 0; i < n; i++) expect(Math.abs(path[i] - (direct[i] + mirror[i]))).toBeLessThan(1e-15);
    }
  });

  it("conserves mass to 1e-15 and is symmetric in (node, source)", () => {
    for (const t of [0.01, 0.5, 3, 50]) {
      const u = heatKernelPath(20, t, { source: 7 });
      expect(Math.abs(u.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-15);
      for (const i of [0, 3, 19]) expect(heatKernelPath(20, t, { source: i })[7]).toBeCloseTo(u[i], 15);
    }
  });

  it("rejects invalid input", () => {
    expect(() => heatKernelPath(0, 1)).toThrow(RangeError);
    expect(() => heatKernelPath(4, -1)).toThrow(RangeError);
    expect(() => heatKernelCycle(4, 1, { source: 4 })).toThrow(RangeError);
  });
});
