/**
 * Validation of the live-edge references (docs/validation.md D). All values are exact: tolerances are
 * round-off (1e-12) or the rounding of the published six-decimal values (≤ 5e-7, tested at 1e-6).
 */
import { describe, expect, it } from "vitest";
import {
  icExpectedSpread,
  icExpectedSpreadByEnumeration,
  icExpectedSpreadUndirected,
  ltExpectedSpread,
  type Arc,
} from "./live-edge.js";

const PETERSEN_EDGES: [number, number][] = [
  [0, 1], [1, 2], [2, 3], [3, 4], [4, 0],
  [0, 5], [1, 6], [2, 7], [3, 8], [4, 9],
  [5, 7], [7, 9], [9, 6], [6, 8], [8, 5],
];

const withProbability = (edges: [number, number][], p: number): Arc[] => edges.map(([u, v]) => [u, v, p]);
const bothArcs = (edges: [number, number][], p: number): Arc[] =>
  edges.flatMap(([u, v]): Arc[] => [[u, v, p], [v, u, p]]);

describe("independent cascade, exact σ(S)", () => {
  it("reproduces the Petersen table of docs/validation.md D (edge enumeration and lazy arc version)", () => {
    const table: [number, number][] = [[0.1, 1.374477], [0.3, 2.936319], [0.5, 6.069092]];
    for (const [p, sigma] of table) {
      const byEdges = icExpectedSpreadUndirected(10, withProbability(PETERSEN_EDGES, p), [0]);
      const byArcs = icExpectedSpread(10, bothArcs(PETERSEN_EDGES, p), [0]);
      expect(Math.abs(byEdges - sigma)).toBeLessThan(1e-6);
      expect(Math.abs(byArcs - byEdges)).toBeLessThan(1e-12);
    }
  });

  it("gives exactly 198,872 / 2¹⁵ on Petersen at p = 0.5, from every seed", () => {
    for (let seed = 0; seed < 10; seed++) {
      const sigma = icExpectedSpreadUndirected(10, withProbability(PETERSEN_EDGES, 0.5), [seed]);
      expect(Math.abs(sigma * 2 ** 15 - 198_872)).toBeLessThan(1e-9);
    }
  });

  it("matches closed forms on a path and a triangle", () => {
    const p = 0.37;
    // Path 0–1–2 seeded at 0: σ = 1 + p + p².
    expect(icExpectedSpread(3, bothArcs([[0, 1], [1, 2]], p), [0])).toBeCloseTo(1 + p + p * p, 14);
    // Triangle seeded at 0: node 1 is reached directly or via 2, P = 1 − (1 − p)(1 − p²).
    const reach = 1 - (1 - p) * (1 - p * p);
    expect(icExpectedSpread(3, bothArcs([[0, 1], [1, 2], [2, 0]], p), [0])).toBeCloseTo(1 + 2 * reach, 14);
    const triangle = withProbability([[0, 1], [1, 2], [2, 0]], p);
    expect(icExpectedSpreadUndirected(3, triangle, [0])).toBeCloseTo(1 + 2 * reach, 14);
  });

  it("lazy exploration equals brute-force live-arc enumeration on directed graphs with mixed probabilities", () => {
    // Deterministic pseudo-random probabilities from a fixed formula (no RNG needed).
    const arcs: Arc[] = [];
    const pairs: [number, number][] = [
      [0, 1], [1, 2], [2, 0], [2, 3], [3, 4], [4, 2], [4, 5], [5, 6], [6, 4], [1, 6],
      [6, 1], [3, 0], [5, 0], [0, 5], [2, 6], [6, 3], [3, 5], [1, 1], [0, 1],
    ];
    pairs.forEach(([u, v], i) => arcs.push([u, v, ((i * 7919) % 97) / 97]));
    arcs.push([5, 3, 1], [2, 5, 0]);
    for (const seeds of [[0], [3], [1, 4], [6, 6]]) {
      const lazy = icExpectedSpread(7, arcs, seeds);
      const brute = icExpectedSpreadByEnumeration(7, arcs, seeds);
      expect(Math.abs(lazy - brute)).toBeLessThan(1e-12);
    }
  });

  it("edge enumeration equals arc enumeration on a small undirected graph", () => {
    const edges: [number, number][] = [[0, 1], [1, 2], [2, 3], [3, 0], [0, 2], [3, 4], [4, 5], [5, 3]];
    for (const p of [0.2, 0.5, 0.85]) {
      for (const seeds of [[0], [4], [1, 5]]) {
        const byEdges = icExpectedSpreadUndirected(6, withProbability(edges, p), seeds);
        const byArcs = icExpectedSpreadByEnumeration(6, bothArcs(edges, p), seeds);
        expect(Math.abs(byEdges - byArcs)).toBeLessThan(1e-12);
      }
    }
  });

  it("counts seeds as activated and handles the trivial cases", () => {
    expect(icExpectedSpread(4, [], [0, 2])).toBe(2);
    expect(icExpectedSpread(4, bothArcs([[0, 1], [1, 2], [2, 3]], 1), [1])).toBe(4);
    expect(icExpectedSpread(4, bothArcs([[0, 1], [1, 2], [2, 3]], 0), [1])).toBe(1);
    expect(icExpectedSpreadUndirected(3, [], [])).toBe(0);
  });

  it("rejects invalid input", () => {
    expect(() => icExpectedSpread(2, [[0, 1, 1.5]], [0])).toThrow(RangeError);
    expect(() => icExpectedSpread(2, [[0, 2, 0.5]], [0])).toThrow(RangeError);
    expect(() => icExpectedSpread(2, [[0, 1, 0.5]], [3])).toThrow(RangeError);
    const tooMany = Array.from({ length: 25 }, (_, i): Arc => [0, 1, i / 25]);
    expect(() => icExpectedSpreadByEnumeration(2, tooMany, [0])).toThrow(RangeError);
  });
});

/** Independent LT check: P(v active) = Σ over simple backward paths from v to a first seed of Π w. */
function ltByBackwardPaths(n: number, arcs: readonly Arc[], seeds: readonly number[]): number {
  const seedSet = new Set(seeds);
  const onPath = new Uint8Array(n);
  const reachProbability = (v: number): number => {
    if (seedSet.has(v)) return 1;
    onPath[v] = 1;
    let total = 0;
    for (const [u, head, w] of arcs) if (head === v && !onPath[u]) total += w * reachProbability(u);
    onPath[v] = 0;
    return total;
  };
  let sigma = 0;
  for (let v = 0; v < n; v++) sigma += reachProbability(v);
  return sigma;
}

describe("linear threshold, exact σ(S)", () => {
  it("matches closed forms on a chain and on a node with two seeded in-neighbours", () => {
    expect(ltExpectedSpread(3, [[0, 1, 0.6], [1, 2, 0.3]], [0])).toBeCloseTo(1 + 0.6 + 0.6 * 0.3, 14);
    expect(ltExpectedSpread(3, [[0, 2, 0.25], [1, 2, 0.5]], [0, 1])).toBeCloseTo(2 + 0.75, 14);
  });

  it("equals the backward-path sum on Petersen with in-weights 1/deg (a cyclic graph)", () => {
    const arcs = bothArcs(PETERSEN_EDGES, 1 / 3);
    for (const seeds of [[0], [0, 7]]) {
      const sigma = ltExpectedSpread(10, arcs, seeds);
      expect(Math.abs(sigma - ltByBackwardPaths(10, arcs, seeds))).toBeLessThan(1e-12);
    }
  });

  it("equals the backward-path sum with unequal weights that leave a 'no parent' option", () => {
    const arcs: Arc[] = [
      [0, 1, 0.4], [2, 1, 0.3], [1, 2, 0.5], [3, 2, 0.2], [2, 3, 0.9], [4, 3, 0.05],
      [3, 4, 0.6], [0, 4, 0.1], [4, 5, 0.7], [5, 0, 0.8],
    ];
    for (const seeds of [[0], [2], [4, 5]]) {
      expect(Math.abs(ltExpectedSpread(6, arcs, seeds) - ltByBackwardPaths(6, arcs, seeds))).toBeLessThan(1e-12);
    }
  });

  it("rejects in-weights summing to more than 1", () => {
    expect(() => ltExpectedSpread(3, [[0, 2, 0.6], [1, 2, 0.6]], [0])).toThrow(RangeError);
  });
});
