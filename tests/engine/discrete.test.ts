/**
 * The discrete-time engine against exact independent-cascade values (docs/validation.md D). With dt = 1,
 * transmission probability p per step and recovery probability 1, discrete SIR is the independent cascade
 * on the bidirected graph: σ from one seed on the Petersen graph is 1.374477 / 2.936319 / 6.069092 at
 * p = 0.1 / 0.3 / 0.5 (live-edge enumeration, tests/reference/live-edge.ts). Per-run sd ≈ 2.2 nodes:
 * 4·10⁴ runs give an SE ≈ 0.011, and we require 3 SE.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { icExpectedSpreadUndirected } from "../reference/live-edge.js";
import { estimate } from "../helpers/statistics.js";

const petersen = generateCSR({ type: "petersen" }, 0);
const edges: [number, number, number][] = [];
for (let v = 0; v < petersen.n; v++) {
  for (let a = petersen.offsets[v]; a < petersen.offsets[v + 1]; a++) if (petersen.targets[a] > v) edges.push([v, petersen.targets[a], 0]);
}

const discreteSIR = (p: number) => ({
  compartments: ["S", "I", "R"],
  transitions: [
    { from: "S", to: "I", probability: p, by: "I" },
    { from: "I", to: "R", probability: 1 },
  ],
});

describe("D. discrete SIR = independent cascade on the Petersen graph", () => {
  for (const [p, published] of [[0.1, 1.374477], [0.3, 2.936319], [0.5, 6.069092]] as const) {
    it(`p = ${p}: σ = ${published} within 3 SE`, () => {
      const exact = icExpectedSpreadUndirected(petersen.n, edges.map(([u, v]) => [u, v, p] as const), [0]);
      expect(exact).toBeCloseTo(published, 6);
      const result = simulate(petersen, {
        model: discreteSIR(p),
        time: { mode: "discrete", steps: 20, dt: 1 },
        initial: { I: { nodes: ["0"] } },
        seed: 51,
        runs: 40_000,
        output: { nodes: "none" },
      });
      const est = estimate(result.finalSize.values);
      expect(Math.abs(est.mean - exact), `σ ${est.mean} vs ${exact}, SE ${est.se}`).toBeLessThan(3 * est.se);
    });
  }

  it("a transmission rate β per step is the probability 1 − e^(−β·dt)", () => {
    // β = −ln(1 − 0.3) per unit time with dt = 1 must give the p = 0.3 cascade.
    const beta = -Math.log(1 - 0.3);
    const result = simulate(petersen, {
      model: { compartments: ["S", "I", "R"], transitions: [{ from: "S", to: "I", rate: beta, by: "I" }, { from: "I", to: "R", probability: 1 }] },
      time: { mode: "discrete", steps: 20, dt: 1 },
      initial: { I: { nodes: ["0"] } },
      seed: 52,
      runs: 40_000,
      output: { nodes: "none" },
    });
    const est = estimate(result.finalSize.values);
    expect(Math.abs(est.mean - 2.936319)).toBeLessThan(3 * est.se);
  });

  it("records one row per step; counts sum to n; S never grows and R never shrinks", () => {
    const result = simulate(petersen, {
      model: discreteSIR(0.5),
      time: { mode: "discrete", steps: 6, dt: 0.5 },
      initial: { I: { nodes: ["0"] } },
      seed: 53,
      runs: 200,
      output: { nodes: "none", series: true },
    });
    expect(result.times).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    for (let r = 0; r < 200; r++) {
      result.times.forEach((_, k) => {
        expect(result.series!.S[r][k] + result.series!.I[r][k] + result.series!.R[r][k]).toBe(10);
        if (k > 0) {
          expect(result.series!.S[r][k]).toBeLessThanOrEqual(result.series!.S[r][k - 1]);
          expect(result.series!.R[r][k]).toBeGreaterThanOrEqual(result.series!.R[r][k - 1]);
          // Recovery has probability 1: whoever was infectious one step ago is recovered now.
          expect(result.series!.R[r][k] - result.series!.R[r][k - 1]).toBe(result.series!.I[r][k - 1]);
        }
      });
    }
  });
});
