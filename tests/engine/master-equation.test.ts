/**
 * The sharpest test of Markovian semantics (docs/validation.md C, last item): on a 10-node graph the full
 * master equation is solved exactly (tests/reference/master-equation.ts: 3¹⁰ SIR / 2¹⁰ SIS states,
 * uniformization and the embedded jump chain) and every continuous-time engine must reproduce
 *  - E[S(t)], E[I(t)] (SIR) and E[I(t)] (SIS) at several times, within 3.5 standard errors of the mean over
 *    R runs (32 such comparisons in this file; at 3.5 SE each has a two-sided false-alarm rate of 4.7e-4,
 *    so the family's is below 3%; with fixed seeds the outcome is deterministic anyway);
 *  - the whole SIR final-size distribution, by a Pearson χ² test at α = 0.001.
 * An engine that drew one transmission attempt per infectious period, or mishandled reinfection in SIS,
 * misses these by many standard errors.
 */
import { describe, expect, it } from "vitest";
import { simulate, type EngineChoice } from "../../src/families/compartmental/simulate.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import type { CSR } from "../../src/graph/csr.js";
import { sirExpectedCounts, sirFinalSizeDistribution, sisExpectedInfected, type SmallGraph } from "../reference/master-equation.js";
import { chiSquareCritical, chiSquareTest, estimate } from "../helpers/statistics.js";

const Z = 3.5;
const kite = generateCSR({ type: "krackhardt-kite" }, 0);

function smallGraph(csr: CSR): SmallGraph {
  const edges: [number, number][] = [];
  for (let v = 0; v < csr.n; v++) {
    for (let a = csr.offsets[v]; a < csr.offsets[v + 1]; a++) if (csr.targets[a] > v) edges.push([v, csr.targets[a]]);
  }
  return { n: csr.n, edges };
}

const graph = smallGraph(kite);
const seedNode = 0; // a node of degree 4 in the kite
const times = [0.5, 1, 2, 4];
const record = 0.5;
const atTimes = (series: number[][], t: number) => series.map((run) => run[Math.round(t / record)]);

describe("SIR on the Krackhardt kite against its 3^10-state master equation", () => {
  const tau = 0.6;
  const gamma = 1;
  const exact = sirExpectedCounts(graph, tau, gamma, [seedNode], times);
  const distribution = sirFinalSizeDistribution(graph, tau, gamma, [seedNode]);
  const engines: EngineChoice[] = ["auto", "general", "next-reaction"];

  for (const engine of engines) {
    it(`engine "${engine}": E[S(t)], E[I(t)] and the final-size distribution`, () => {
      const runs = 20_000;
      const result = simulate(kite, {
        model: { preset: "SIR", params: { beta: tau, gamma } },
        time: { mode: "continuous", tmax: Infinity, record },
        initial: { I: { nodes: [kite.nodeIds[seedNode]] } },
        seed: 11,
        runs,
        engine,
        output: { nodes: "none", series: true },
      });
      times.forEach((t, i) => {
        for (const c of ["S", "I"] as const) {
          const est = estimate(atTimes(result.series![c], t));
          expect(Math.abs(est.mean - exact[c][i]), `${c}(${t}): ${est.mean} vs exact ${exact[c][i]} (SE ${est.se})`).toBeLessThan(Z * est.se);
        }
      });
      const histogram = new Array<number>(kite.n + 1).fill(0);
      for (const size of result.finalSize.values) histogram[size]++;
      const { statistic, dof } = chiSquareTest(histogram, distribution);
      expect(statistic, `χ² = ${statistic} on ${dof} dof`).toBeLessThan(chiSquareCritical(dof, 3.09));
    });
  }
});

describe("SIS (contact process) on the Krackhardt kite against its 2^10-state master equation", () => {
  const tau = 0.5;
  const gamma = 1;
  const exact = sisExpectedInfected(graph, tau, gamma, [seedNode, 5], times);
  for (const engine of ["general", "next-reaction"] as EngineChoice[]) {
    it(`engine "${engine}": E[I(t)]`, () => {
      const result = simulate(kite, {
        model: { preset: "SIS", params: { beta: tau, gamma } },
        time: { mode: "continuous", tmax: 4, record },
        initial: { I: { nodes: [kite.nodeIds[seedNode], kite.nodeIds[5]] } },
        seed: 12,
        runs: 20_000,
        engine,
        output: { nodes: "none", series: true },
      });
      times.forEach((t, i) => {
        const est = estimate(atTimes(result.series!.I, t));
        expect(Math.abs(est.mean - exact[i]), `I(${t}): ${est.mean} vs exact ${exact[i]} (SE ${est.se})`).toBeLessThan(Z * est.se);
      });
    });
  }
});

describe("weighted SIR against the master equation (edge weights scale the transmission rate)", () => {
  // A 7-node graph with weights from 0.25 to 3: exercises the weighted branches of every engine
  // (per-edge thresholds in the SIR path, arcs drawn ∝ weight in composition–rejection, pressures in NRM).
  const edges: [number, number, number][] = [
    [0, 1, 1], [0, 2, 0.25], [1, 2, 3], [1, 3, 0.5], [2, 4, 2], [3, 4, 1], [3, 5, 1.5], [4, 6, 0.75], [5, 6, 2.5],
  ];
  const csr: CSR = (() => {
    const n = 7;
    const offsets = new Int32Array(n + 1);
    for (const [u, v] of edges) {
      offsets[u + 1]++;
      offsets[v + 1]++;
    }
    for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
    const fill = offsets.slice(0, n);
    const targets = new Int32Array(offsets[n]);
    const weights = new Float32Array(offsets[n]);
    for (const [u, v, w] of edges) {
      targets[fill[u]] = v;
      weights[fill[u]++] = w;
      targets[fill[v]] = u;
      weights[fill[v]++] = w;
    }
    const nodeIds = Array.from({ length: n }, (_, i) => String(i));
    return { n, m: offsets[n], directed: false, offsets, targets, weights, nodeIds, index: new Map(nodeIds.map((k, i) => [k, i])) };
  })();
  const tau = 0.7;
  const gamma = 1;
  const exact = sirExpectedCounts({ n: 7, edges }, tau, gamma, [0], times);
  for (const engine of ["auto", "general", "next-reaction"] as EngineChoice[]) {
    it(`engine "${engine}"`, () => {
      const result = simulate(csr, {
        model: { preset: "SIR", params: { beta: tau, gamma } },
        time: { mode: "continuous", tmax: 4, record },
        initial: { I: { nodes: ["0"] } },
        seed: 13,
        runs: 10_000,
        engine,
        output: { nodes: "none", series: true },
      });
      times.forEach((t, i) => {
        for (const c of ["S", "I"] as const) {
          const est = estimate(atTimes(result.series![c], t));
          expect(Math.abs(est.mean - exact[c][i]), `${c}(${t}): ${est.mean} vs exact ${exact[c][i]} (SE ${est.se})`).toBeLessThan(Z * est.se);
        }
      });
    });
  }
});
