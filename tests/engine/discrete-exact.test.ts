/**
 * The synchronous discrete-time engine against the exact chain (tests/reference/discrete-chain.ts): on
 * graphs of ≤ 6 nodes the distribution over all joint states is propagated step by step, giving exact
 * E[count of compartment c after k steps] and the exact distribution of the final size (nodes ever
 * infected, seeds included; a node moved to V or D without infection is not one). The cases cover every code path of
 * src/engine/discrete.ts:
 *   - per-arc trials for "simple" compartments (one induced transition, nothing spontaneous): with geometric
 *     skipping on unweighted graphs (a, d, e1), with one trial per arc on weighted graphs (c, f1), and
 *     with certain (p = 1) transmission (e3);
 *   - accumulated pressure for other sensitive compartments (b, e2, f2), e2 with p = 1 induced transitions;
 *   - rates (hazard rate·dt), per-step probabilities (−ln(1 − p)), competing transitions chosen in
 *     proportion to their hazards (b), several certain transitions chosen uniformly (e1, e2);
 *   - reinfection, i.e. returning to S (d), and directed arcs (f1, f2: u acts on targets[offsets[u]..)).
 *
 * Tolerance. Each E[count] is estimated from R = 40,000 runs and must lie within 3.5 standard errors of
 * the mean (SE = per-run sd / √R, from the per-run series) of the exact value; where all runs agree
 * (SE = 0, e.g. at k = 0) the mean must equal the exact value. At 3.5 SE a single comparison has a
 * two-sided false-alarm rate of 4.65e-4. This file makes 230 such comparisons of E[count] (Σ over cases of
 * K·nComp, k = 1..K) plus 9 of E[final size], so by Bonferroni the family-wise false-alarm rate is below
 * 239 × 4.65e-4 ≈ 11% — a loose bound, since counts at neighbouring steps and the compartments of one step
 * (which sum to n) are strongly correlated. The final-size distributions are also compared by Pearson χ² at
 * α = 0.001 each (9 tests). With fixed seeds the outcome is deterministic anyway. The comparisons have
 * power against wrong rules: giving the reference a per-step hazard of p instead of −ln(1 − p) fails
 * cases d, e1 and e3, and reversing its arcs fails the directed cases f1 and f2.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { compileModel, type CompartmentalModelDef } from "../../src/models/compartmental.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import type { CSR } from "../../src/graph/csr.js";
import { discreteChainExact } from "../reference/discrete-chain.js";
import { chiSquareCritical, chiSquareTest, estimate } from "../helpers/statistics.js";

const Z = 3.5;
const RUNS = 40_000;

/** A CSR from an edge list [u, v, w]: undirected edges give two arcs, directed ones the arc u → v. */
function weightedCSR(n: number, edges: [number, number, number][], directed: boolean): CSR {
  const offsets = new Int32Array(n + 1);
  for (const [u, v] of edges) {
    offsets[u + 1]++;
    if (!directed) offsets[v + 1]++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]);
  const weights = new Float32Array(offsets[n]);
  for (const [u, v, w] of edges) {
    targets[fill[u]] = v;
    weights[fill[u]++] = w;
    if (!directed) {
      targets[fill[v]] = u;
      weights[fill[v]++] = w;
    }
  }
  const nodeIds = Array.from({ length: n }, (_, i) => String(i));
  return { n, m: offsets[n], directed, offsets, targets, weights, nodeIds, index: new Map(nodeIds.map((k, i) => [k, i])) };
}

interface Case {
  name: string;
  graph: CSR;
  model: CompartmentalModelDef;
  dt: number;
  steps: number;
  /** Seeds: compartment name → node indices. */
  seeds: Record<string, number[]>;
  seed: number;
}

/** Largest |mean − exact| / SE seen per case, reported at the end. */
const worst: Record<string, number> = {};

function check(c: Case): void {
  const model = compileModel(c.model);
  const initial = new Uint8Array(c.graph.n).fill(model.susceptible);
  for (const [name, nodes] of Object.entries(c.seeds)) for (const v of nodes) initial[v] = model.compartments.indexOf(name);
  const exact = discreteChainExact(model, c.graph, c.dt, initial, c.steps);
  for (const m of exact.mass) expect(m).toBeCloseTo(1, 12);

  const result = simulate(c.graph, {
    model: c.model,
    time: { mode: "discrete", steps: c.steps, dt: c.dt },
    initial: Object.fromEntries(Object.entries(c.seeds).map(([name, nodes]) => [name, { nodes: nodes.map(String) }])),
    seed: c.seed,
    runs: RUNS,
    output: { series: true, nodes: "none" },
  });
  expect(result.times.length).toBe(c.steps + 1);
  let largest = 0;
  const compare = (values: number[], truth: number, label: string) => {
    const est = estimate(values);
    const message = `${c.name}, ${label}: ${est.mean} vs exact ${truth} (SE ${est.se})`;
    if (est.se === 0) {
      expect(Math.abs(est.mean - truth), message).toBeLessThan(1e-9);
      return;
    }
    const z = Math.abs(est.mean - truth) / est.se;
    largest = Math.max(largest, z);
    expect(z, message).toBeLessThan(Z);
  };
  for (let k = 0; k <= c.steps; k++) {
    model.compartments.forEach((name, ci) => {
      compare(result.series![name].map((run) => run[k]), exact.expected[k][ci], `E[${name}(${k})]`);
    });
  }
  const finalDist = exact.everInfected[c.steps];
  const meanFinal = finalDist.reduce((s, p, m) => s + p * m, 0);
  compare(result.finalSize.values, meanFinal, "E[final size]");
  const histogram = new Array<number>(c.graph.n + 1).fill(0);
  for (const size of result.finalSize.values) histogram[size]++;
  const { statistic, dof } = chiSquareTest(histogram, finalDist);
  if (dof > 0) expect(statistic, `${c.name}: final size χ² = ${statistic} on ${dof} dof`).toBeLessThan(chiSquareCritical(dof, 3.09));
  worst[c.name] = largest;
}

const cycle6 = generateCSR({ type: "cycle", n: 6 }, 0);
const star6 = generateCSR({ type: "star", n: 6 }, 0);
const path6 = generateCSR({ type: "path", n: 6 }, 0);
// Five nodes: triangle 0–1–2, then a tail 2–3–4; weights 0.3 … 2.5.
const triangle5 = weightedCSR(5, [[0, 1, 0.3], [1, 2, 2.5], [0, 2, 1.2], [2, 3, 0.8], [3, 4, 2]], false);
// Directed, weighted: a 3-cycle 0 → 1 → 2 → 0 with chords; node 4 feeds back into 1.
const directed5 = weightedCSR(5, [[0, 1, 1], [1, 2, 0.5], [2, 0, 2], [1, 3, 1.5], [3, 4, 1], [4, 1, 0.7], [2, 4, 0.4]], true);

const SIR = (beta: number, gamma: number): CompartmentalModelDef => ({
  compartments: ["S", "I", "R"],
  transitions: [
    { from: "S", to: "I", rate: beta, by: "I" },
    { from: "I", to: "R", rate: gamma },
  ],
});
const SIRV: CompartmentalModelDef = {
  compartments: ["S", "I", "R", "V"],
  transitions: [
    { from: "S", to: "I", rate: 0.6, by: "I" },
    { from: "S", to: "V", rate: 0.1 },
    { from: "I", to: "R", rate: 0.5 },
  ],
};

const cases: Case[] = [
  { name: "a. SIR rates, 6-cycle (per-arc, geometric skipping)", graph: cycle6, model: SIR(0.4, 0.3), dt: 1, steps: 8, seeds: { I: [0] }, seed: 101 },
  { name: "b. SIR + vaccination S→V, 6-star (pressure path)", graph: star6, model: SIRV, dt: 0.5, steps: 10, seeds: { I: [1] }, seed: 102 },
  { name: "c. weighted SIR, 5 nodes with a triangle (per-arc trials)", graph: triangle5, model: SIR(0.4, 0.3), dt: 1, steps: 8, seeds: { I: [0] }, seed: 103 },
  {
    name: "d. SIS with per-step probabilities, 6-path",
    graph: path6,
    model: {
      compartments: ["S", "I"],
      transitions: [
        { from: "S", to: "I", probability: 0.3, by: "I" },
        { from: "I", to: "S", probability: 0.5 },
      ],
    },
    dt: 1,
    steps: 10,
    seeds: { I: [0, 3] },
    seed: 104,
  },
  {
    name: "e1. two certain transitions I→R, I→D (uniform), 6-cycle",
    graph: cycle6,
    model: {
      compartments: ["S", "I", "R", "D"],
      transitions: [
        { from: "S", to: "I", probability: 0.5, by: "I" },
        { from: "I", to: "R", probability: 1 },
        { from: "I", to: "D", probability: 1 },
      ],
    },
    dt: 1,
    steps: 6,
    seeds: { I: [0] },
    seed: 105,
  },
  {
    name: "e2. certain induced S→I in the pressure path (S→D rate 0.2), weighted 5 nodes",
    graph: triangle5,
    model: {
      compartments: ["S", "I", "R", "D"],
      transitions: [
        { from: "S", to: "I", probability: 1, by: "I" },
        { from: "S", to: "D", rate: 0.2 },
        { from: "I", to: "R", probability: 1 },
        { from: "I", to: "D", probability: 1 },
      ],
    },
    dt: 1,
    steps: 6,
    seeds: { I: [4] },
    seed: 106,
  },
  {
    name: "e3. certain induced S→I per arc, weighted 5 nodes",
    graph: triangle5,
    model: {
      compartments: ["S", "I", "R"],
      transitions: [
        { from: "S", to: "I", probability: 1, by: "I" },
        { from: "I", to: "R", probability: 0.4 },
      ],
    },
    dt: 1,
    steps: 6,
    seeds: { I: [4] },
    seed: 107,
  },
  {
    // Regression: an arc of weight 0 never transmits, even with probability 1 (the tail 3–4 is cut off).
    name: "e4. certain induced S→I per arc with a weight-0 arc",
    graph: weightedCSR(5, [[0, 1, 0.3], [1, 2, 2.5], [0, 2, 1.2], [2, 3, 0.8], [3, 4, 0]], false),
    model: {
      compartments: ["S", "I", "R"],
      transitions: [
        { from: "S", to: "I", probability: 1, by: "I" },
        { from: "I", to: "R", probability: 0.4 },
      ],
    },
    dt: 1,
    steps: 6,
    seeds: { I: [0] },
    seed: 110,
  },
  { name: "f1. SIR on a directed weighted graph (per-arc)", graph: directed5, model: SIR(0.5, 0.4), dt: 1, steps: 8, seeds: { I: [0] }, seed: 108 },
  { name: "f2. SIR + vaccination on a directed weighted graph (pressure)", graph: directed5, model: SIRV, dt: 1, steps: 8, seeds: { I: [0] }, seed: 109 },
];

describe("the exact discrete chain itself, on cases done by hand", () => {
  const edge = weightedCSR(2, [[0, 1, 1]], false);
  it("SIR with probabilities on one edge", () => {
    // p = 0.3 per step along the edge, recovery q = 0.6 per step; node 0 infected, node 1 susceptible.
    // Step 1: node 1 infected w.p. 0.3, node 0 recovers w.p. 0.6 (both from the previous state).
    // Step 2: node 1 still S w.p. 0.7 × (0.4·0.7 + 0.6) = 0.616; I: node 0 0.4² = 0.16, node 1
    // 0.3·0.4 + 0.4·0.7·0.3 = 0.204; R = 2 − 0.616 − 0.364 = 1.02.
    const model = compileModel({
      compartments: ["S", "I", "R"],
      transitions: [
        { from: "S", to: "I", probability: 0.3, by: "I" },
        { from: "I", to: "R", probability: 0.6 },
      ],
    });
    const r = discreteChainExact(model, edge, 1, Uint8Array.of(1, 0), 2);
    const want = [[1, 1, 0], [0.7, 0.7, 0.6], [0.616, 0.364, 1.02]];
    want.forEach((row, k) => row.forEach((x, c) => expect(r.expected[k][c]).toBeCloseTo(x, 12)));
    expect(r.everInfected[2][1]).toBeCloseTo(0.616, 12);
    expect(r.everInfected[2][2]).toBeCloseTo(0.384, 12);
  });

  it("SIS: a node that returns to S still counts as infected", () => {
    // S→I w.p. 0.5 per infectious neighbour, I→S surely. From (I, S): step 1 gives (S', I) or (S', S) w.p.
    // ½ each (S' = back in S); step 2: (S', I) → (I, S') or (S', S') w.p. ¼ each, (S', S) stays.
    const model = compileModel({
      compartments: ["S", "I"],
      transitions: [
        { from: "S", to: "I", probability: 0.5, by: "I" },
        { from: "I", to: "S", probability: 1 },
      ],
    });
    const r = discreteChainExact(model, edge, 1, Uint8Array.of(1, 0), 2);
    expect(r.expected[1][1]).toBeCloseTo(0.5, 12);
    expect(r.expected[2][1]).toBeCloseTo(0.25, 12);
    expect(r.everInfected[1]).toEqual([0, 0.5, 0.5]);
    expect(r.everInfected[2][1]).toBeCloseTo(0.5, 12);
    expect(r.everInfected[2][2]).toBeCloseTo(0.5, 12);
  });

  it("competing rates, competing certain transitions, and weighted pressure", () => {
    // One node in I with I→R rate a and I→D rate b, dt = 0.5: P(R) = a/(a+b)·(1 − e^(−(a+b)dt)).
    const lone = weightedCSR(1, [], false);
    const rates = compileModel({
      compartments: ["S", "I", "R", "D"],
      transitions: [
        { from: "S", to: "I", rate: 1, by: "I" },
        { from: "I", to: "R", rate: 0.3 },
        { from: "I", to: "D", rate: 0.9 },
      ],
    });
    const r1 = discreteChainExact(rates, lone, 0.5, Uint8Array.of(1), 1);
    const leave = 1 - Math.exp(-1.2 * 0.5);
    expect(r1.expected[1]).toEqual([0, 1 - leave, 0.25 * leave, 0.75 * leave].map((x) => expect.closeTo(x, 12)));
    // Two certain transitions and a rate: uniform among the certain ones, the rate never wins.
    const certain = compileModel({
      compartments: ["S", "I", "R", "D"],
      transitions: [
        { from: "S", to: "I", rate: 1, by: "I" },
        { from: "I", to: "R", probability: 1 },
        { from: "I", to: "D", probability: 1 },
        { from: "I", to: "S", rate: 5 },
      ],
    });
    const r2 = discreteChainExact(certain, lone, 1, Uint8Array.of(1), 1);
    expect(r2.expected[1]).toEqual([0, 0, 0.5, 0.5]);
    // Weighted edge of weight 2.5, β = 0.4, dt = 1: infection w.p. 1 − e^(−1).
    const heavy = weightedCSR(2, [[0, 1, 2.5]], false);
    const r3 = discreteChainExact(compileModel(SIR(0.4, 0)), heavy, 1, Uint8Array.of(1, 0), 1);
    expect(r3.expected[1][0]).toBeCloseTo(Math.exp(-1), 12);
    // Directed arc 0 → 1 only: node 0 cannot be infected by node 1.
    const arc = weightedCSR(2, [[0, 1, 1]], true);
    const r4 = discreteChainExact(compileModel(SIR(0.4, 0)), arc, 1, Uint8Array.of(0, 1), 3);
    expect(r4.expected[3][0]).toBe(1);
  });
});

describe("discrete engine: E[count_c(k)] within 3.5 SE of the exact chain (40,000 runs)", () => {
  for (const c of cases) it(c.name, () => check(c));
  it("largest |mean − exact| / SE per case (informational)", () => {
    const lines = Object.entries(worst).map(([name, z]) => `${z.toFixed(2)}  ${name}`);
    if (lines.length > 0) console.log(lines.join("\n"));
  });
});
