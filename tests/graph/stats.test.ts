/**
 * Degree statistics on graphs whose moments are known in closed form, and the thresholds
 * T_c = ⟨k⟩/(⟨k²⟩ − ⟨k⟩) (Newman 2002) and λ_c = ⟨k⟩/⟨k²⟩ (Pastor-Satorras & Vespignani 2001) computed by hand.
 */
import { describe, expect, it } from "vitest";
import { csrFromEdges, compile } from "../../src/graph/csr.js";
import { generateCSR, generateGraph } from "../../src/graph/generators/index.js";
import { degreeDistribution, degreeStats } from "../../src/graph/stats.js";

describe("degreeStats", () => {
  it("star of 5: degrees 4,1,1,1,1", () => {
    // ⟨k⟩ = 8/5, ⟨k²⟩ = 20/5 = 4; T_c = 1.6/2.4 = 2/3; λ_c = 1.6/4 = 0.4.
    const s = degreeStats(generateCSR({ type: "star", n: 5 }, 0));
    expect(s).toEqual({ n: 5, m: 4, meanDegree: 1.6, meanSquareDegree: 4, maxDegree: 4, minDegree: 1, sirThreshold: s.sirThreshold, sisThreshold: 0.4 });
    expect(s.sirThreshold).toBeCloseTo(2 / 3, 14);
  });

  it("Petersen (3-regular): T_c = 3/(9 − 3) = 1/2, λ_c = 1/3", () => {
    const s = degreeStats(generateCSR({ type: "petersen" }, 0));
    expect([s.n, s.m, s.meanDegree, s.meanSquareDegree, s.minDegree, s.maxDegree]).toEqual([10, 15, 3, 9, 3, 3]);
    expect(s.sirThreshold).toBe(0.5);
    expect(s.sisThreshold).toBeCloseTo(1 / 3, 14);
  });

  it("K5: T_c = 4/12 = 1/3 = 1/(n − 2)", () => {
    const s = degreeStats(generateCSR({ type: "complete", n: 5 }, 0));
    expect(s.m).toBe(10);
    expect(s.sirThreshold).toBeCloseTo(1 / 3, 14);
    expect(s.sisThreshold).toBe(0.25);
  });

  it("path of 4: ⟨k⟩ = 1.5, ⟨k²⟩ = 2.5, T_c = 1.5, λ_c = 0.6", () => {
    const s = degreeStats(generateCSR({ type: "path", n: 4 }, 0));
    expect([s.meanDegree, s.meanSquareDegree, s.minDegree, s.maxDegree, s.sirThreshold, s.sisThreshold]).toEqual([1.5, 2.5, 1, 2, 1.5, 0.6]);
  });

  it("karate club through graphology and compile: 78 edges, ⟨k⟩ = 156/34, max 17", () => {
    const s = degreeStats(compile(generateGraph({ type: "karate-club" }, 0)));
    expect(s.m).toBe(78);
    expect(s.meanDegree).toBeCloseTo(156 / 34, 14);
    expect(s.maxDegree).toBe(17);
    expect(s.minDegree).toBe(1);
  });

  it("no edges: zero moments, infinite thresholds; directed graphs count arcs as edges", () => {
    const empty = degreeStats(csrFromEdges(3, new Int32Array(0), new Int32Array(0), 0));
    expect(empty).toMatchObject({ n: 3, m: 0, meanDegree: 0, meanSquareDegree: 0, sirThreshold: Infinity, sisThreshold: Infinity });
    const directed = degreeStats(csrFromEdges(3, Int32Array.of(0, 0, 1), Int32Array.of(1, 2, 2), 3, true));
    expect(directed.m).toBe(3);
    expect(directed.meanDegree).toBe(1);
    expect([directed.minDegree, directed.maxDegree]).toEqual([0, 2]);
  });
});

describe("degreeDistribution", () => {
  it("counts nodes per degree", () => {
    expect(Array.from(degreeDistribution(generateCSR({ type: "star", n: 5 }, 0)))).toEqual([0, 4, 0, 0, 1]);
    expect(Array.from(degreeDistribution(generateCSR({ type: "lattice", rows: 3, cols: 3 }, 0)))).toEqual([0, 0, 4, 4, 1]);
  });

  it("sums to n and its first moment is ⟨k⟩", () => {
    const csr = generateCSR({ type: "barabasi-albert", n: 1000, m: 3 }, 2);
    const counts = degreeDistribution(csr);
    let n = 0;
    let sum = 0;
    counts.forEach((c, k) => {
      n += c;
      sum += c * k;
    });
    expect(n).toBe(1000);
    expect(sum / n).toBeCloseTo(degreeStats(csr).meanDegree, 12);
  });
});
