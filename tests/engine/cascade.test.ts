/**
 * Independent cascade and linear threshold (src/engine/cascade.ts, src/families/cascade/cascade.ts) against exact expected
 * spreads σ(S) from live-edge enumeration (Kempe, Kleinberg & Tardos 2003; tests/reference/live-edge.ts),
 * seeds counted as activated:
 *   - docs/validation.md D: IC on the Petersen graph from one seed, σ = 1.374477 / 2.936319 / 6.069092 at
 *     p = 0.1 / 0.3 / 0.5, R = 10⁵ runs each through the kernel with one reused workspace;
 *   - IC on a 7-node digraph with cycles and heterogeneous per-arc probabilities, two seed sets;
 *   - LT on a 7-node digraph with given weights (some in-sums < 1), on a 6-node digraph with the default
 *     1/in-degree weights, and on the (undirected) Petersen graph with the default weights 1/3;
 *   - IC through simulateCascade with probabilities read from an edge attribute of a graphology graph.
 *
 * Tolerance. Each estimate must lie within 3 standard errors (SE = per-run sd / √R) of the exact value.
 * A single comparison then has a two-sided false-alarm rate of 0.27% (normal approximation, fine at
 * R ≥ 2·10⁴); the file makes 9 such comparisons, so by Bonferroni the family-wise false-alarm rate is
 * below 9 × 0.27% ≈ 2.4%. The seeds are fixed, so the outcome is deterministic anyway. The SEs are
 * 0.006–0.02 nodes, small enough that an engine giving nodes a second chance on an arc, letting a node
 * act in its own activation round, or following arcs backwards is off by many SE in these cases.
 * The other tests are exact (deterministic cascades, error names, result shape).
 */
import { describe, expect, it } from "vitest";
import { DirectedGraph } from "graphology";
import {
  createCascadeWorkspace,
  linearThresholdWeights,
  runIndependentCascade,
  runLinearThreshold,
  type CascadeWorkspace,
} from "../../src/engine/cascade.js";
import { simulateCascade } from "../../src/families/cascade/cascade.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { withLazyIndex, type CSR } from "../../src/graph/csr.js";
import { createRandom, type Random } from "../../src/random.js";
import { icExpectedSpread, icExpectedSpreadUndirected, ltExpectedSpread, type Arc } from "../reference/live-edge.js";
import { estimate } from "../helpers/statistics.js";

const Z = 3;

/** A directed CSR whose arc order is the order of `arcs` sorted by tail; returns the arc values in that order. */
function digraph(n: number, arcs: readonly Arc[]): { csr: CSR; values: Float64Array; sorted: Arc[] } {
  const sorted = [...arcs].sort((a, b) => a[0] - b[0]);
  const offsets = new Int32Array(n + 1);
  for (const [u] of sorted) offsets[u + 1]++;
  for (let u = 0; u < n; u++) offsets[u + 1] += offsets[u];
  const targets = Int32Array.from(sorted, (a) => a[1]);
  const values = Float64Array.from(sorted, (a) => a[2]);
  const nodeIds = Array.from({ length: n }, (_, v) => String(v));
  const csr = withLazyIndex({ n, m: sorted.length, directed: true, offsets, targets, weights: null, nodeIds });
  return { csr, values, sorted };
}

/** Final sizes of R kernel runs sharing one workspace and one stream. */
function spreads(R: number, seed: number, one: (rng: Random, ws: CascadeWorkspace) => number, n: number): Float64Array {
  const ws = createCascadeWorkspace(n);
  const rng = createRandom(seed);
  const out = new Float64Array(R);
  for (let r = 0; r < R; r++) out[r] = one(rng, ws);
  return out;
}

function expectWithin(values: Float64Array | number[], exact: number): void {
  const est = estimate(values);
  expect(Math.abs(est.mean - exact), `σ̂ = ${est.mean.toFixed(5)} vs exact ${exact.toFixed(6)}, SE ${est.se.toFixed(5)}`).toBeLessThanOrEqual(Z * est.se);
}

const petersen = generateCSR({ type: "petersen" }, 0);
const petersenEdges: [number, number][] = [];
for (let v = 0; v < petersen.n; v++) {
  for (let a = petersen.offsets[v]; a < petersen.offsets[v + 1]; a++) if (petersen.targets[a] > v) petersenEdges.push([v, petersen.targets[a]]);
}

describe("independent cascade: exact expected spread (docs/validation.md D)", () => {
  for (const [p, published] of [[0.1, 1.374477], [0.3, 2.936319], [0.5, 6.069092]] as const) {
    it(`Petersen, one seed, p = ${p}: σ = ${published}, 10⁵ runs within 3 SE`, () => {
      const exact = icExpectedSpreadUndirected(petersen.n, petersenEdges.map(([u, v]) => [u, v, p] as const), [0]);
      expect(exact).toBeCloseTo(published, 6);
      const seeds = Int32Array.of(0);
      const values = spreads(100_000, 1000 + p * 10, (rng, ws) => runIndependentCascade(petersen, p, seeds, Infinity, rng, ws).activated, petersen.n);
      expectWithin(values, exact);
    });
  }

  // Cycles (1 ⇄ 2, 4 → 5 → 6 → 4, 6 → 3), arcs into seeds, and probabilities from 0.1 to 0.9.
  const icArcs: Arc[] = [
    [0, 1, 0.4], [0, 2, 0.7], [1, 2, 0.2], [2, 1, 0.5], [1, 4, 0.6], [2, 4, 0.3], [2, 6, 0.1], [3, 4, 0.15],
    [3, 5, 0.8], [4, 5, 0.25], [5, 6, 0.9], [6, 4, 0.35], [4, 0, 0.5], [6, 3, 0.45],
  ];
  const ic = digraph(7, icArcs);
  for (const seedSet of [[0, 3], [2, 5, 6]]) {
    it(`7-node digraph, per-arc probabilities, seeds {${seedSet}}: exact σ within 3 SE`, () => {
      const exact = icExpectedSpread(7, icArcs, seedSet);
      const seeds = Int32Array.from(seedSet);
      const values = spreads(50_000, 7 + seedSet.length, (rng, ws) => runIndependentCascade(ic.csr, ic.values, seeds, Infinity, rng, ws).activated, 7);
      expectWithin(values, exact);
    });
  }

  it("probabilities from an edge attribute of a graphology graph (simulateCascade): exact σ within 3 SE", () => {
    // Dyadic probabilities, exact in the Float32 weights of the compiled CSR.
    const arcs: Arc[] = [[0, 1, 0.5], [1, 2, 0.75], [2, 0, 0.25], [0, 3, 0.375], [3, 4, 0.625], [2, 4, 0.125], [4, 5, 0.875], [5, 1, 0.5]];
    const graph = new DirectedGraph();
    for (let v = 0; v < 6; v++) graph.addNode(`n${v}`);
    for (const [u, v, p] of arcs) graph.addEdge(`n${u}`, `n${v}`, { p });
    const result = simulateCascade(graph, {
      model: { type: "independent-cascade", probability: { attribute: "p" } },
      initial: { active: { nodes: ["n0", "n5"] } },
      seed: 11,
      runs: 20_000,
      output: { nodes: "none" },
    });
    expectWithin(result.finalSize.values, icExpectedSpread(6, arcs, [0, 5]));
  });
});

describe("linear threshold: exact expected spread with uniform random thresholds", () => {
  it("7-node digraph with given weights (in-sums 0.3 … 1): exact σ within 3 SE", () => {
    const arcs: Arc[] = [
      [0, 1, 0.5], [2, 1, 0.3], [0, 2, 0.6], [1, 2, 0.4], [1, 3, 0.7], [4, 3, 0.2], [2, 4, 0.5], [3, 4, 0.5],
      [3, 5, 0.25], [4, 5, 0.25], [6, 5, 0.5], [5, 6, 0.9], [6, 0, 0.3],
    ];
    const g = digraph(7, arcs);
    const weights = linearThresholdWeights(g.csr, g.values);
    const seeds = Int32Array.of(0, 6);
    const values = spreads(50_000, 21, (rng, ws) => runLinearThreshold(g.csr, weights, seeds, Infinity, rng, ws).activated, 7);
    expectWithin(values, ltExpectedSpread(7, arcs, [0, 6]));
  });

  it("6-node digraph with the default weights 1/in-degree: exact σ within 3 SE", () => {
    const pairs = [[0, 1], [0, 2], [1, 2], [2, 3], [1, 3], [3, 1], [3, 4], [4, 5], [2, 5], [5, 0], [5, 4], [1, 4]];
    const g = digraph(6, pairs.map(([u, v]) => [u, v, 0] as const));
    const weights = linearThresholdWeights(g.csr);
    const inDegree = new Array(6).fill(0);
    for (const [, v] of pairs) inDegree[v]++;
    g.sorted.forEach(([, v], a) => expect(weights[a]).toBe(1 / inDegree[v]));
    const exactArcs = g.sorted.map(([u, v], a) => [u, v, weights[a]] as const);
    const seeds = Int32Array.of(0);
    const values = spreads(50_000, 22, (rng, ws) => runLinearThreshold(g.csr, weights, seeds, Infinity, rng, ws).activated, 6);
    expectWithin(values, ltExpectedSpread(6, exactArcs, [0]));
  });

  it("undirected Petersen graph, default weights 1/3 on both arcs of every edge: exact σ within 3 SE", () => {
    const weights = linearThresholdWeights(petersen);
    const arcs: Arc[] = [];
    for (let u = 0; u < petersen.n; u++) {
      for (let a = petersen.offsets[u]; a < petersen.offsets[u + 1]; a++) arcs.push([u, petersen.targets[a], weights[a]]);
    }
    const seeds = Int32Array.of(0);
    const values = spreads(50_000, 23, (rng, ws) => runLinearThreshold(petersen, weights, seeds, Infinity, rng, ws).activated, petersen.n);
    expectWithin(values, ltExpectedSpread(petersen.n, arcs, [0]));
  });
});

describe("cascade kernels: direction, rounds, workspace reuse", () => {
  // Directed path 0 → 1 → … → 9.
  const path = digraph(10, Array.from({ length: 9 }, (_, v) => [v, v + 1, 1] as const));
  const pathWeights = linearThresholdWeights(path.csr);

  it("a directed path is followed forwards only: a seed in the middle activates nothing upstream", () => {
    const ws = createCascadeWorkspace(10);
    const seeds = Int32Array.of(4);
    const ic = runIndependentCascade(path.csr, 1, seeds, Infinity, createRandom(1), ws);
    expect(ic.activated).toBe(6);
    expect(ic.perRound).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(ws.round)).toEqual([-1, -1, -1, -1, 0, 1, 2, 3, 4, 5]);
    expect(Array.from(ws.order.subarray(0, ws.activated))).toEqual([4, 5, 6, 7, 8, 9]);
    const lt = runLinearThreshold(path.csr, pathWeights, seeds, Infinity, createRandom(1), ws);
    expect(lt.perRound).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(ws.round)).toEqual([-1, -1, -1, -1, 0, 1, 2, 3, 4, 5]);
    // The same path undirected (generator "path") spreads both ways.
    const undirected = generateCSR({ type: "path", n: 10 }, 0);
    expect(runIndependentCascade(undirected, 1, seeds, Infinity, createRandom(1)).perRound).toEqual([1, 3, 5, 7, 9, 10]);
  });

  it("maxRounds stops the cascade after that many rounds (0: seeds only)", () => {
    const seeds = Int32Array.of(0);
    expect(runIndependentCascade(path.csr, 1, seeds, 3, createRandom(1)).perRound).toEqual([1, 2, 3, 4]);
    expect(runLinearThreshold(path.csr, pathWeights, seeds, 3, createRandom(1)).perRound).toEqual([1, 2, 3, 4]);
    expect(runIndependentCascade(path.csr, 1, seeds, 0, createRandom(1))).toEqual({ activated: 1, perRound: [1] });
    const result = simulateCascade(path.csr, { model: { type: "independent-cascade", probability: 1 }, initial: { active: { nodes: ["0"] } }, maxRounds: 3 });
    expect(result.times).toEqual([0, 1, 2, 3]);
    expect(result.finalSize.values).toEqual([4]);
  });

  it("p = 0 activates only the seeds; duplicate seeds count once; bad seeds throw SimulationError", () => {
    expect(runIndependentCascade(petersen, 0, Int32Array.of(3, 3, 7), Infinity, createRandom(1))).toEqual({ activated: 2, perRound: [2] });
    expect(() => runIndependentCascade(petersen, 0.5, Int32Array.of(10), Infinity, createRandom(1))).toThrow(expect.objectContaining({ name: "SimulationError" }));
  });

  it("a reused workspace gives the same runs as fresh ones, and exposes the last run's states", () => {
    const ba = generateCSR({ type: "barabasi-albert", n: 300, m: 2 }, 5);
    const probs = Float64Array.from({ length: ba.m }, (_, a) => ((a * 7919) % 10) / 20);
    const weights = linearThresholdWeights(ba);
    const kernels = [
      (rng: Random, ws?: CascadeWorkspace) => runIndependentCascade(ba, 0.3, Int32Array.of(0, 17), Infinity, rng, ws),
      (rng: Random, ws?: CascadeWorkspace) => runIndependentCascade(ba, probs, Int32Array.of(5), Infinity, rng, ws),
      (rng: Random, ws?: CascadeWorkspace) => runLinearThreshold(ba, weights, Int32Array.of(0, 1, 2), Infinity, rng, ws),
    ];
    const shared = createCascadeWorkspace(ba.n);
    for (let r = 0; r < 60; r++) {
      const kernel = kernels[r % 3];
      const fresh = createCascadeWorkspace(ba.n);
      const a = kernel(createRandom(99, r), shared);
      const b = kernel(createRandom(99, r), fresh);
      expect(a).toEqual(b);
      expect(shared.round).toEqual(fresh.round);
      let active = 0;
      for (let v = 0; v < ba.n; v++) if (shared.round[v] >= 0) active++;
      expect(active).toBe(a.activated);
    }
  });

  it("LT with fixed thresholds is deterministic and waits for enough active in-weight", () => {
    const graph = new DirectedGraph();
    for (const [key, theta] of [["a", 0.5], ["b", 0.5], ["c", 0.6], ["d", 0.2]] as const) graph.addNode(key, { theta });
    graph.addEdge("a", "c", { w: 0.5 });
    graph.addEdge("b", "c", { w: 0.5 });
    graph.addEdge("c", "d", { w: 1 });
    const spec = (nodes: string[]) => ({
      model: { type: "linear-threshold" as const, weights: { attribute: "w" }, thresholds: { attribute: "theta" } },
      initial: { active: { nodes } },
      runs: 3,
      output: { nodes: "first" as const, infectionTimes: true },
    });
    const one = simulateCascade(graph, spec(["a"]));
    expect(one.finalSize.values).toEqual([1, 1, 1]);
    const two = simulateCascade(graph, spec(["a", "b"]));
    expect(two.finalSize.values).toEqual([4, 4, 4]);
    expect(two.nodes!.runs[0].infectionTime).toEqual([0, 0, 1, 2]);
    expect(two.nodes!.runs[0].state).toEqual(["active", "active", "active", "active"]);
  });
});

describe("simulateCascade: result schema and determinism", () => {
  const er = generateCSR({ type: "erdos-renyi", n: 300, k: 4 }, 3);

  for (const model of [{ type: "independent-cascade", probability: 0.35 }, { type: "linear-threshold" }] as const) {
    it(`${model.type}: compartments, counts summing to n every round, finalSize = last active count`, () => {
      const runs = 25;
      const res = simulateCascade(er, { model, initial: { active: { count: 3 } }, seed: 4, runs, output: { nodes: "all", infectionTimes: true, series: true } });
      expect(res.schemaVersion).toBe(1);
      expect(res.model).toBe(model.type);
      expect(res.scenario).toBe(model.type);
      expect(res.compartments).toEqual(["inactive", "active"]);
      expect(res.n).toBe(er.n);
      expect(res.runs).toBe(runs);
      const R = res.times.length - 1;
      expect(res.times).toEqual(Array.from({ length: R + 1 }, (_, k) => k));
      for (let k = 0; k <= R; k++) expect(res.mean.inactive[k] + res.mean.active[k]).toBeCloseTo(er.n, 9);
      expect(Object.keys(res.quantiles.active)).toEqual(["0.025", "0.25", "0.5", "0.75", "0.975"]);
      const { inactive, active } = res.series!;
      for (let r = 0; r < runs; r++) {
        expect(active[r]).toHaveLength(R + 1);
        for (let k = 0; k <= R; k++) expect(inactive[r][k] + active[r][k]).toBe(er.n);
        expect(active[r][0]).toBe(3);
        expect(res.finalSize.values[r]).toBe(active[r][R]);
        const states = res.nodes!.runs[r].state;
        expect(states.filter((s) => s === "active")).toHaveLength(res.finalSize.values[r]);
        const times = res.nodes!.runs[r].infectionTime!;
        times.forEach((t, v) => expect(t === null).toBe(states[v] === "inactive"));
        expect(times.filter((t) => t === 0)).toHaveLength(3);
        // Peak: the largest number newly activated in one round, at round peak.time.
        const fresh = active[r].map((c, k) => c - (k > 0 ? active[r][k - 1] : 0));
        expect(res.peak.values[r]).toBe(Math.max(...fresh));
        expect(fresh[res.peak.time.values[r]]).toBe(res.peak.values[r]);
      }
      expect(res.events.total).toBe(res.finalSize.values.reduce((s, x) => s + x - 3, 0));
      expect(res.engine.name.length).toBeGreaterThan(0);
    });
  }

  it("the same seed gives identical results; another seed does not", () => {
    const spec = { model: { type: "independent-cascade" as const, probability: 0.3 }, initial: { active: { fraction: 0.01 } }, seed: 8, runs: 20 };
    const strip = ({ elapsedMs: _, ...rest }: ReturnType<typeof simulateCascade>) => rest;
    expect(strip(simulateCascade(er, spec))).toEqual(strip(simulateCascade(er, spec)));
    expect(simulateCascade(er, { ...spec, seed: 9 }).finalSize.values).not.toEqual(simulateCascade(er, spec).finalSize.values);
    const lt = { model: { type: "linear-threshold" as const }, initial: { active: { count: 2 } }, seed: 8, runs: 20 };
    expect(strip(simulateCascade(er, lt))).toEqual(strip(simulateCascade(er, lt)));
  });
});

describe("validation errors", () => {
  const triangle = digraph(3, [[0, 2, 0.7], [1, 2, 0.5], [2, 0, 0.2]]);
  const modelError = expect.objectContaining({ name: "ModelError" });

  it("LT weights: an in-weight sum above 1 names the node and its sum", () => {
    expect(() => linearThresholdWeights(triangle.csr, triangle.values)).toThrow(modelError);
    expect(() => linearThresholdWeights(triangle.csr, triangle.values)).toThrow(/"2".*1\.2/);
    expect(() => linearThresholdWeights(triangle.csr, Float64Array.of(0.5, 0.5, 1 + 1e-12))).not.toThrow();
  });

  it("LT weights: negative, non-finite or missing weights", () => {
    for (const bad of [-0.1, NaN, Infinity]) expect(() => linearThresholdWeights(triangle.csr, Float64Array.of(0.2, bad, 0.2))).toThrow(modelError);
    expect(() => linearThresholdWeights(triangle.csr, Float64Array.of(0.2, 0.2))).toThrow(modelError);
    expect(() => simulateCascade(triangle.csr, { model: { type: "linear-threshold", weights: { attribute: "w" } }, initial: { active: { count: 1 } } })).toThrow(modelError);
  });

  it("IC probabilities outside [0, 1]", () => {
    for (const p of [-0.1, 1.5, NaN]) {
      expect(() => runIndependentCascade(petersen, p, Int32Array.of(0), Infinity, createRandom(1))).toThrow(modelError);
      expect(() => simulateCascade(petersen, { model: { type: "independent-cascade", probability: p }, initial: { active: { count: 1 } } })).toThrow(modelError);
    }
    expect(() => runIndependentCascade(triangle.csr, Float64Array.of(1, 1, 2), Int32Array.of(2), Infinity, createRandom(1))).toThrow(modelError);
  });

  it("thresholds need a graphology graph and values in [0, 1]; unknown model types are rejected", () => {
    expect(() => simulateCascade(petersen, { model: { type: "linear-threshold", thresholds: { attribute: "theta" } }, initial: { active: { count: 1 } } })).toThrow(modelError);
    const graph = new DirectedGraph();
    graph.addNode("a", { theta: 0.5 });
    graph.addNode("b", { theta: 1.5 });
    graph.addEdge("a", "b");
    expect(() => simulateCascade(graph, { model: { type: "linear-threshold", thresholds: { attribute: "theta" } }, initial: { active: { nodes: ["a"] } } })).toThrow(modelError);
    expect(() => simulateCascade(petersen, { model: { type: "sir" } as never, initial: { active: { count: 1 } } })).toThrow(modelError);
  });
});
