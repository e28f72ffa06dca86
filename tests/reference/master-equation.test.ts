/**
 * Validation of the exact master-equation references (docs/validation.md C, "Small graphs can be checked
 * exactly"). Every check is deterministic; tolerances are round-off plus the < 1e-12 uniformization
 * truncation, not Monte Carlo error.
 */
import { describe, expect, it } from "vitest";
import {
  sirExpectedCounts,
  sirFinalSizeDistribution,
  sisExpectedInfected,
  type Edge,
  type SmallGraph,
} from "./master-equation.js";

const EXACT = 1e-11;

const petersen: SmallGraph = {
  n: 10,
  edges: [
    [0, 1], [1, 2], [2, 3], [3, 4], [4, 0],
    [0, 5], [1, 6], [2, 7], [3, 8], [4, 9],
    [5, 7], [7, 9], [9, 6], [6, 8], [8, 5],
  ],
};

/** Dense matrix exponential by scaling and squaring of a Taylor series: an independent path to e^{Qt}. */
function expm(q: number[][], t: number): number[][] {
  const size = q.length;
  const norm = Math.max(...q.map((row) => row.reduce((a, x) => a + Math.abs(x), 0))) * t;
  const squarings = Math.max(0, Math.ceil(Math.log2(norm + 1)) + 2);
  const scale = t / 2 ** squarings;
  const multiply = (a: number[][], b: number[][]) =>
    a.map((row) => b[0].map((_, j) => row.reduce((acc, x, k) => acc + x * b[k][j], 0)));
  const identity = (): number[][] =>
    Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => (i === j ? 1 : 0)));
  let result = identity();
  let term = identity();
  for (let k = 1; k <= 30; k++) {
    term = multiply(term, q).map((row) => row.map((x) => (x * scale) / k));
    result = result.map((row, i) => row.map((x, j) => x + term[i][j]));
  }
  for (let s = 0; s < squarings; s++) result = multiply(result, result);
  return result;
}

/** Dense SIS generator written directly from the model definition (bitmask states). */
function denseSisGenerator(graph: SmallGraph, tau: number, gamma: number): number[][] {
  const size = 1 << graph.n;
  const q = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let s = 0; s < size; s++) {
    for (let v = 0; v < graph.n; v++) {
      const target = s ^ (1 << v);
      if (s & (1 << v)) q[s][target] += gamma;
      else
        for (const e of graph.edges) {
          const w = e.length === 3 ? e[2] : 1;
          if ((e[0] === v && s & (1 << e[1])) || (e[1] === v && s & (1 << e[0]))) q[s][target] += tau * w;
        }
    }
    q[s][s] = -q[s].reduce((a, x) => a + x, 0);
  }
  return q;
}

describe("SIS master equation", () => {
  it("reproduces E[I(t)] = e^(−γt) for a single node", () => {
    const times = [0, 0.3, 1, 2.5, 10];
    const result = sisExpectedInfected({ n: 1, edges: [] }, 5, 0.7, [0], times);
    times.forEach((t, i) => expect(result[i]).toBeCloseTo(Math.exp(-0.7 * t), 12));
  });

  it("matches the hand-solved 3-state chain on K₂", () => {
    // Lump states by the number infected: 2 → 1 at rate 2γ, 1 → 2 at rate τ, 1 → 0 at rate γ.
    // (p₁, p₂)' = M (p₁, p₂), M = [[−(γ+τ), 2γ], [τ, −2γ]];
    // e^{Mt} = e^{at}[cosh(bt)·I + sinh(bt)/b·(M − aI)]
    // with a = tr M / 2, b = √(a² − det M). Start from one infected: (p₁, p₂)(0) = (1, 0).
    const tau = 1.3;
    const gamma = 0.8;
    const a = -(3 * gamma + tau) / 2;
    const b = Math.sqrt(a * a - 2 * gamma * gamma);
    const expected = (t: number) => {
      const p1 = Math.exp(a * t) * (Math.cosh(b * t) + (Math.sinh(b * t) / b) * (-(gamma + tau) - a));
      const p2 = Math.exp(a * t) * (Math.sinh(b * t) / b) * tau;
      return p1 + 2 * p2;
    };
    const times = [0, 0.1, 0.5, 1, 3, 7, 20];
    const result = sisExpectedInfected({ n: 2, edges: [[0, 1]] }, tau, gamma, [0], times);
    times.forEach((t, i) => expect(Math.abs(result[i] - expected(t))).toBeLessThan(EXACT));
  });

  it("agrees with a dense matrix exponential on a weighted 4-node graph", () => {
    const edges: Edge[] = [[0, 1, 1], [1, 2, 0.5], [2, 3, 2], [3, 0, 1], [0, 2, 0.25]];
    const graph: SmallGraph = { n: 4, edges };
    const tau = 0.9;
    const gamma = 1.1;
    const times = [2, 0.5, 5]; // unsorted on purpose
    const result = sisExpectedInfected(graph, tau, gamma, [1, 3], times);
    const q = denseSisGenerator(graph, tau, gamma);
    const start = (1 << 1) | (1 << 3);
    times.forEach((t, i) => {
      const row = expm(q, t)[start];
      const expected = row.reduce((acc, p, s) => acc + p * [...s.toString(2)].filter((c) => c === "1").length, 0);
      expect(Math.abs(result[i] - expected)).toBeLessThan(1e-10);
    });
  });

  it("is fast and bounded on the Petersen graph (1024 states) over a long horizon", () => {
    const result = sisExpectedInfected(petersen, 1, 1, [0], [0, 1, 10, 50]);
    expect(result[0]).toBe(1);
    for (const value of result) expect(value).toBeGreaterThanOrEqual(0);
    for (const value of result) expect(value).toBeLessThanOrEqual(10);
  });
});

describe("SIR master equation", () => {
  it("gives P(transmission) = τ/(τ+γ) for one infected and one susceptible neighbour", () => {
    const tau = 0.7;
    const gamma = 1.9;
    const T = tau / (tau + gamma);
    const distribution = sirFinalSizeDistribution({ n: 2, edges: [[0, 1]] }, tau, gamma, [0]);
    expect(Array.from(distribution)).toHaveLength(3);
    expect(distribution[0]).toBe(0);
    expect(distribution[1]).toBeCloseTo(1 - T, 14);
    expect(distribution[2]).toBeCloseTo(T, 14);
  });

  it("captures the shared infectious period on a star seeded at its centre", () => {
    // Centre infectious for Exp(γ) time D; each leaf escapes with e^{−τD}:
    // P(no leaf) = γ/(γ+2τ), P(both) = 1 − 2γ/(γ+τ) + γ/(γ+2τ) (≠ T², the independent-edge answer).
    const tau = 1;
    const gamma = 1;
    const none = gamma / (gamma + 2 * tau);
    const both = 1 - (2 * gamma) / (gamma + tau) + gamma / (gamma + 2 * tau);
    const distribution = sirFinalSizeDistribution({ n: 3, edges: [[0, 1], [0, 2]] }, tau, gamma, [0]);
    expect(distribution[1]).toBeCloseTo(none, 14);
    expect(distribution[3]).toBeCloseTo(both, 14);
    expect(distribution[2]).toBeCloseTo(1 - none - both, 14);
  });

  it("gives the geometric chain (1−T), T(1−T), T² on a path seeded at an end", () => {
    const tau = 2;
    const gamma = 1;
    const T = tau / (tau + gamma);
    const distribution = sirFinalSizeDistribution({ n: 3, edges: [[0, 1], [1, 2]] }, tau, gamma, [0]);
    expect(distribution[1]).toBeCloseTo(1 - T, 14);
    expect(distribution[2]).toBeCloseTo(T * (1 - T), 14);
    expect(distribution[3]).toBeCloseTo(T * T, 14);
  });

  it("has a final-size distribution summing to 1 on the Petersen graph (59,049 states)", () => {
    const distribution = sirFinalSizeDistribution(petersen, 0.8, 1, [0]);
    const total = distribution.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 1)).toBeLessThan(1e-13);
    expect(distribution[0]).toBe(0);
    for (const p of distribution) expect(p).toBeGreaterThanOrEqual(0);
  });

  it("has a final-size mean equal to E[R(∞)] from the transient solution (cube graph Q₃)", () => {
    const cube: SmallGraph = {
      n: 8,
      edges: [[0, 1], [1, 3], [3, 2], [2, 0], [4, 5], [5, 7], [7, 6], [6, 4], [0, 4], [1, 5], [2, 6], [3, 7]],
    };
    const tau = 0.8;
    const gamma = 1;
    const distribution = sirFinalSizeDistribution(cube, tau, gamma, [0]);
    const mean = distribution.reduce((acc, p, k) => acc + k * p, 0);
    // At t = 60, P(some node still infected) is of order 8·60·e^(−60): E[R(60)] is the final-size mean.
    const counts = sirExpectedCounts(cube, tau, gamma, [0], [60]);
    expect(Math.abs(counts.R[0] - mean)).toBeLessThan(1e-10);
    expect(counts.I[0]).toBeLessThan(1e-12);
  });

  it("conserves E[S + I + R] = n and starts from the given state", () => {
    const times = [0, 0.25, 1, 4, 12];
    const counts = sirExpectedCounts(petersen, 1.5, 0.6, [0, 7], times);
    times.forEach((_, i) => {
      expect(Math.abs(counts.S[i] + counts.I[i] + counts.R[i] - 10)).toBeLessThan(EXACT);
      expect(counts.S[i]).toBeGreaterThanOrEqual(-EXACT);
    });
    expect(counts.S[0]).toBe(8);
    expect(counts.I[0]).toBe(2);
    expect(counts.R[0]).toBe(0);
    // S is non-increasing, R non-decreasing along the path.
    for (let i = 1; i < times.length; i++) {
      expect(counts.S[i]).toBeLessThanOrEqual(counts.S[i - 1] + EXACT);
      expect(counts.R[i]).toBeGreaterThanOrEqual(counts.R[i - 1] - EXACT);
    }
  });

  it("gives E[I(t)] = e^(−γt) and E[R(t)] = 1 − e^(−γt) for an isolated infected node", () => {
    const times = [0, 0.5, 2];
    const counts = sirExpectedCounts({ n: 2, edges: [] }, 3, 0.4, [1], times);
    times.forEach((t, i) => {
      expect(counts.I[i]).toBeCloseTo(Math.exp(-0.4 * t), 12);
      expect(counts.R[i]).toBeCloseTo(1 - Math.exp(-0.4 * t), 12);
      expect(counts.S[i]).toBeCloseTo(1, 12);
    });
  });

  it("matches the closed-form E[S(t)] on K₂", () => {
    // Node 1 stays susceptible while node 0 is infectious and has not transmitted (rate τ + γ to leave),
    // and forever once node 0 recovers first: P(S₁(t)) = e^{−(τ+γ)t} + γ/(τ+γ)·(1 − e^{−(τ+γ)t}).
    const tau = 1.7;
    const gamma = 0.6;
    const times = [0.2, 1, 3, 9];
    const counts = sirExpectedCounts({ n: 2, edges: [[0, 1]] }, tau, gamma, [0], times);
    times.forEach((t, i) => {
      const decay = Math.exp(-(tau + gamma) * t);
      expect(Math.abs(counts.S[i] - (decay + (gamma / (tau + gamma)) * (1 - decay)))).toBeLessThan(EXACT);
    });
  });

  it("treats an edge weight as a multiplier of τ", () => {
    const weighted = sirFinalSizeDistribution({ n: 2, edges: [[0, 1, 2.5]] }, 0.4, 1, [0]);
    const scaled = sirFinalSizeDistribution({ n: 2, edges: [[0, 1]] }, 1.0, 1, [0]);
    expect(weighted[2]).toBeCloseTo(scaled[2], 14);
    expect(weighted[2]).toBeCloseTo(0.5, 14);
  });

  it("rejects graphs and parameters it cannot solve", () => {
    expect(() => sirFinalSizeDistribution({ n: 11, edges: [] }, 1, 1, [0])).toThrow(RangeError);
    expect(() => sirFinalSizeDistribution({ n: 2, edges: [[0, 0]] }, 1, 1, [0])).toThrow(RangeError);
    expect(() => sirFinalSizeDistribution({ n: 2, edges: [[0, 1]] }, 1, 0, [0])).toThrow(RangeError);
    expect(() => sisExpectedInfected({ n: 2, edges: [[0, 1]] }, -1, 1, [0], [1])).toThrow(RangeError);
    expect(() => sisExpectedInfected({ n: 2, edges: [[0, 1]] }, 1, 1, [2], [1])).toThrow(RangeError);
    expect(() => sirExpectedCounts({ n: 2, edges: [[0, 1]] }, 1, 1, [0], [-1])).toThrow(RangeError);
  });
});
