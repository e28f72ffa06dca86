/**
 * Non-exponential periods (engine/nonmarkov.ts) against theory.
 *
 * Tolerances: every Monte Carlo estimate is a mean of R independent runs (run r has its own stream), so
 * it is compared with the exact value within 5 standard errors, the s.e. being the binomial √(p(1−p)/R)
 * for a probability or the sample s.d./√R for a mean. A correct engine fails one such check with
 * probability ≈ 6·10⁻⁷; a file with ~40 checks, ≈ 2·10⁻⁵. Seeds are fixed, so the outcome is reproducible.
 *
 *  A. Fixed infectious period D, Markovian transmission: each arc transmits independently with
 *     T = 1 − e^(−βD), and the final size from one seed is distributed as the seed's cluster in bond
 *     percolation with T (each edge is examined at most once by the epidemic). Exact distribution by
 *     enumerating all 2^14 bond configurations of a 9-node, 14-edge graph. A latent period of any
 *     distribution does not change it (SEIR with the same fixed I period).
 *  B. Star with gamma periods: a leaf is infected with probability 1 − E[e^(−βD)] (the Laplace transform of
 *     D at β; gamma(k, θ): (1 + βθ)^(−k)), and two leaves both with E[(1 − e^(−βD))²] = 1 − 2L(β) + L(2β),
 *     larger than the square of the first: transmissions from one node are correlated through its period.
 *  C. The samplers' means and variances (CLT bounds).
 *  D. Gamma with shape 1 is the exponential: the same final-size distribution as the Markovian engine.
 *  E. Same seed, same result; durations that are all exponential keep the Markovian engine bit for bit.
 *  F. What is not supported is refused with the field to change.
 *  I. Transmission delays (model.delays): with a fixed stay D each leaf of a star is infected independently
 *     with P(τ < D) (gamma(2, θ) delay: 1 − e^(−D/θ)(1 + D/θ)); with a fixed delay δ and a random stay all
 *     leaves are infected together, with probability P(D > δ).
 *  G. Configuration-model networks (exact as n → ∞): arcs INTO a node come from different sources, so the
 *     attack rate of a major outbreak is the bond-percolation one with the marginal T = 1 − L(β)
 *     (message passing on the realised degrees); the probability of a minor outbreak depends on the
 *     correlation of out-transmissions: w = Σ q_k E[(w + (1−w)e^(−βD))^(k−1)], P(minor) = Σ p_k E[(w + (1−w)e^(−βD))^k],
 *     expanded binomially into Laplace transforms L(jβ) (Kenah & Robins 2007; Miller 2007).
 */
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { csrFromEdges, type CSR } from "../../src/graph/csr.js";
import { createRandom, gammaVariate, lognormal, normal, weibull, type Random } from "../../src/random.js";
import { compileDurations, LOGNORMAL } from "../../src/models/durations.js";
import { compileModel } from "../../src/models/compartmental.js";
import { presetModel } from "../../src/models/presets.js";
import { estimate } from "../helpers/statistics.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { degreeDistribution } from "../../src/graph/stats.js";
import { messagePassingFinalSize } from "../reference/final-size.js";
import { runModel, runModelParallel } from "../../src/run.js";

const Z = 5;

function graph(n: number, edges: [number, number][]): CSR {
  return csrFromEdges(n, Int32Array.from(edges, (e) => e[0]), Int32Array.from(edges, (e) => e[1]), edges.length);
}

/** Distribution of the size of node 0's cluster under bond percolation with probability T (all 2^|E| configurations). */
function percolationClusterSizes(n: number, edges: [number, number][], T: number): Float64Array {
  const dist = new Float64Array(n + 1);
  const parent = new Int32Array(n);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const E = edges.length;
  for (let mask = 0; mask < 1 << E; mask++) {
    for (let v = 0; v < n; v++) parent[v] = v;
    let open = 0;
    for (let e = 0; e < E; e++) {
      if ((mask >> e) & 1) {
        open++;
        parent[find(edges[e][0])] = find(edges[e][1]);
      }
    }
    const root = find(0);
    let size = 0;
    for (let v = 0; v < n; v++) if (find(v) === root) size++;
    dist[size] += T ** open * (1 - T) ** (E - open);
  }
  return dist;
}

const EDGES: [number, number][] = [
  [0, 1], [0, 2], [1, 2], [1, 3], [2, 4], [3, 4], [3, 5], [4, 6], [5, 6], [5, 7], [6, 8], [7, 8], [2, 3], [6, 7],
];
const KITE = graph(9, EDGES);

/** Empirical distribution of final sizes over the runs. */
function sizeFrequencies(values: number[], n: number): Float64Array {
  const f = new Float64Array(n + 1);
  for (const v of values) f[v] += 1 / values.length;
  return f;
}

function expectDistribution(observed: Float64Array, exact: Float64Array, R: number): void {
  for (let s = 0; s < exact.length; s++) {
    const p = exact[s];
    const se = Math.sqrt((p * (1 - p)) / R);
    expect(Math.abs(observed[s] - p), `P(final size = ${s}) = ${observed[s]} vs exact ${p.toFixed(5)} (s.e. ${se.toExponential(2)})`).toBeLessThanOrEqual(Z * se + 1e-12);
  }
}

const base = (model: SimulationSpec["model"], runs: number, seed = 7): SimulationSpec => ({
  model,
  time: { mode: "continuous", tmax: Infinity, record: 1000 },
  initial: { I: { nodes: ["0"] } },
  seed,
  runs,
  output: { nodes: "none" },
});

describe("A. fixed infectious period = bond percolation with T = 1 − e^(−βD) (exact enumeration, 2^14 configurations)", () => {
  const beta = 0.5;
  const D = 1;
  const T = 1 - Math.exp(-beta * D);
  const exact = percolationClusterSizes(9, EDGES, T);
  const R = 20000;

  it("the enumeration is a distribution with the mean of E[cluster size]", () => {
    expect(exact.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(exact[1]).toBeCloseTo((1 - T) ** 2, 12); // node 0 has two edges
  });

  it(`SIR, I fixed ${D}: every final-size probability within ${Z} binomial s.e. (${R} runs)`, () => {
    const r = simulate(KITE, base({ preset: "SIR", params: { beta }, durations: { I: { dist: "fixed", value: D } } }, R));
    expectDistribution(sizeFrequencies(r.finalSize.values, 9), exact, R);
    const mean = exact.reduce((acc, p, s) => acc + p * s, 0);
    expect(Math.abs(r.finalSize.mean - mean)).toBeLessThan((Z * r.finalSize.sd) / Math.sqrt(R));
  });

  it("SEIR with a lognormal latent period and the same fixed I period: the same distribution", () => {
    const r = simulate(
      KITE,
      base({ preset: "SEIR", params: { beta }, durations: { E: { dist: "lognormal", mean: 2, sd: 1 }, I: { dist: "fixed", value: D } } }, R, 8),
    );
    expectDistribution(sizeFrequencies(r.finalSize.values, 9), exact, R);
  });
});

describe("B. star with gamma periods: Laplace transform and the correlation between leaves", () => {
  const k = 10;
  const STAR = graph(k + 1, Array.from({ length: k }, (_, i) => [0, i + 1] as [number, number]));
  const beta = 0.2;
  const shape = 2;
  const mean = 5;
  const theta = mean / shape;
  const L = (s: number) => (1 + s * theta) ** -shape;
  const pLeaf = 1 - L(beta);
  const pBoth = 1 - 2 * L(beta) + L(2 * beta);
  const R = 20000;
  const r = simulate(STAR, base({ preset: "SIR", params: { beta }, durations: { I: { dist: "gamma", mean, shape } } }, R));
  // Leaves cannot infect each other (no leaf–leaf edges): c = final size − 1 infected leaves per run.
  const leaves = r.finalSize.values.map((s) => s - 1);

  it(`P(leaf infected) = 1 − (1 + βθ)^(−k) = ${pLeaf.toFixed(5)} within ${Z} s.e.`, () => {
    const e = estimate(leaves.map((c) => c / k));
    expect(Math.abs(e.mean - pLeaf)).toBeLessThan(Z * e.se);
  });

  it(`P(two given leaves infected) = E[(1 − e^(−βD))²] = ${pBoth.toFixed(5)}, not the independent ${(pLeaf ** 2).toFixed(5)}`, () => {
    // c(c − 1) / (k(k − 1)) is the fraction of ordered leaf pairs both infected: unbiased for P(both).
    const e = estimate(leaves.map((c) => (c * (c - 1)) / (k * (k - 1))));
    expect(Math.abs(e.mean - pBoth)).toBeLessThan(Z * e.se);
    expect(e.mean - pLeaf ** 2).toBeGreaterThan(Z * e.se);
  });
});

describe("C. samplers: mean and variance within CLT bounds", () => {
  const N = 200000;
  /** Sample mean within Z·σ/√N of μ; sample variance within Z s.e. of σ², the s.e. from the squared deviations. */
  function check(draw: (rng: Random) => number, mu: number, variance: number, seed: number): void {
    const rng = createRandom(seed);
    const x = new Float64Array(N);
    for (let i = 0; i < N; i++) x[i] = draw(rng);
    const m = estimate(x);
    expect(Math.abs(m.mean - mu), `mean ${m.mean} vs ${mu}`).toBeLessThan((Z * Math.sqrt(variance)) / Math.sqrt(N));
    const sq = estimate(x.map((v) => (v - mu) ** 2));
    expect(Math.abs(sq.mean - variance), `variance ${sq.mean} vs ${variance}`).toBeLessThan(Z * sq.se);
  }
  it("normal (polar method): 0, 1", () => check(normal, 0, 1, 1));
  it("gamma shape 3, scale 1.5 (Marsaglia–Tsang): 4.5, 6.75", () => check((g) => gammaVariate(g, 3, 1.5), 4.5, 6.75, 2));
  it("gamma shape 0.5, scale 2 (boosted): 1, 2", () => check((g) => gammaVariate(g, 0.5, 2), 1, 2, 3));
  it("lognormal with mean 5, sd 2 (durations' parameterisation): 5, 4", () => {
    const def = presetModel("SIR");
    const d = compileDurations({ I: { dist: "lognormal", mean: 5, sd: 2 } }, compileModel(def), def.params!);
    expect(d.kind[1]).toBe(LOGNORMAL);
    check((g) => lognormal(g, d.a[1], d.b[1]), 5, 4, 4);
  });
  it("weibull shape 2, scale 3 (Rayleigh): 3√π/2, 9(1 − π/4)", () => check((g) => weibull(g, 2, 3), (3 * Math.sqrt(Math.PI)) / 2, 9 * (1 - Math.PI / 4), 5));
  it("weibull shape 0.5, scale 1: Γ(3) = 2, Γ(5) − Γ(3)² = 20", () => check((g) => weibull(g, 0.5, 1), 2, 20, 6));
});

describe("D. gamma with shape 1 is the exponential: same final-size distribution as the Markovian engine", () => {
  const R = 20000;
  const params = { beta: 0.5, gamma: 1 };
  it(`SIR on the 9-node graph: every final-size probability within ${Z} s.e. of the difference (${R} + ${R} runs)`, () => {
    const markov = simulate(KITE, base({ preset: "SIR", params }, R, 11));
    expect(markov.engine.name).toMatch(/event-driven SIR/);
    const gamma1 = simulate(KITE, base({ preset: "SIR", params, durations: { I: { dist: "gamma", mean: 1, shape: 1 } } }, R, 12));
    expect(gamma1.engine.name).toMatch(/non-exponential/);
    const a = sizeFrequencies(markov.finalSize.values, 9);
    const b = sizeFrequencies(gamma1.finalSize.values, 9);
    for (let s = 1; s <= 9; s++) {
      const p = (a[s] + b[s]) / 2;
      const se = Math.sqrt((2 * p * (1 - p)) / R); // two independent samples of R runs
      expect(Math.abs(a[s] - b[s]), `size ${s}`).toBeLessThanOrEqual(Z * se + 1e-12);
    }
  });
  it("SEIR with both periods gamma(shape 1) against the general Markovian engine: mean final size", () => {
    const p = { beta: 0.5, sigma: 0.5, gamma: 1 };
    const markov = simulate(KITE, { ...base({ preset: "SEIR", params: p }, R, 13) });
    const gamma1 = simulate(KITE, base({ preset: "SEIR", params: p, durations: { E: { dist: "gamma", mean: 2, shape: 1 }, I: { dist: "weibull", shape: 1, scale: 1 } } }, R, 14));
    const se = Math.sqrt(markov.finalSize.sd ** 2 / R + gamma1.finalSize.sd ** 2 / R);
    expect(Math.abs(markov.finalSize.mean - gamma1.finalSize.mean)).toBeLessThan(Z * se);
  });
});

describe("E. determinism and the exponential case", () => {
  const csr = graph(30, Array.from({ length: 60 }, (_, i) => [i % 30, (i * 7 + 3) % 30] as [number, number]));
  const spec = (durations?: NonNullable<SimulationSpec["model"]["durations"]>, seed = 3): SimulationSpec => ({
    model: { preset: "SEIR", params: { beta: 0.4, sigma: 0.5, gamma: 0.25 }, durations },
    time: { mode: "continuous", tmax: 60, record: 1 },
    initial: { I: { count: 2 } },
    seed,
    runs: 20,
    output: { nodes: "all", infectionTimes: true, series: true },
  });
  const gammaI = { I: { dist: "gamma", mean: 4, shape: 3 } } as const;
  it("same seed → the same result; another seed → another", () => {
    const a = simulate(csr, spec(gammaI));
    const b = simulate(csr, spec(gammaI));
    expect(b.finalSize.values).toEqual(a.finalSize.values);
    expect(b.series).toEqual(a.series);
    expect(b.nodes).toEqual(a.nodes);
    expect(simulate(csr, spec(gammaI, 4)).series).not.toEqual(a.series);
  });
  it("durations all exponential: the Markovian engine, bit-identical", () => {
    const plain = simulate(csr, spec());
    const expo = simulate(csr, spec({ E: { dist: "exponential" }, I: { dist: "exponential" } }));
    expect(expo.engine).toEqual(plain.engine);
    expect(expo.series).toEqual(plain.series);
    expect(expo.nodes).toEqual(plain.nodes);
  });
  it("history replays to the final states, and infection times are set exactly for the infected", () => {
    const r = simulate(csr, { ...spec(gammaI), output: { nodes: "first", infectionTimes: true, history: true } });
    const run = r.nodes!.runs[0];
    const h = run.history!;
    const replay = [...h.initial];
    for (let i = 0; i < h.time.length; i++) {
      if (i > 0) expect(h.time[i]).toBeGreaterThanOrEqual(h.time[i - 1]);
      replay[h.node[i]] = h.to[i];
    }
    expect(replay.map((c) => r.compartments[c])).toEqual(run.state);
    const infected = run.state.filter((c) => c !== "S").length;
    expect(run.infectionTime!.filter((x) => x !== null).length).toBe(infected);
  });
  it("counts sum to n at every record time; with a finite tmax the run stops there", () => {
    const r = simulate(csr, { ...spec(gammaI), time: { mode: "continuous", tmax: 5, record: 1 } });
    expect(r.times).toEqual([0, 1, 2, 3, 4, 5]);
    for (let run = 0; run < r.runs; run++) {
      for (let t = 0; t < r.times.length; t++) expect(r.compartments.reduce((s, c) => s + r.series![c][run][t], 0)).toBe(30);
    }
  });
});

describe("F. refusals name the field", () => {
  const csr = graph(5, [[0, 1], [1, 2], [2, 3], [3, 4]]);
  const run = (patch: Partial<SimulationSpec>, model: SimulationSpec["model"] = { preset: "SIR", durations: { I: { dist: "fixed", value: 2 } } }) =>
    () => simulate(csr, { ...base(model, 1), ...patch });
  it("discrete time, other engines, interventions", () => {
    expect(run({ time: { mode: "discrete", steps: 10 } })).toThrow(/^time\.mode: durations .* continuous time/);
    expect(run({ engine: "general" })).toThrow(/^engine: "general" runs exponential periods only/);
    expect(run({ interventions: [{ at: 1, scale: "beta", by: 0.5 }] })).toThrow(/^interventions: not supported together with model\.durations/);
  });
  it("time-varying parameters and endemic models", () => {
    expect(run({}, { preset: "SIR", params: { beta: "0.1 * (t < 5 ? 1 : 2)" }, durations: { I: { dist: "fixed", value: 2 } } })).toThrow(/^model\.params\.beta: changes with t/);
    // Endemic models run (tests/engine/temporal-sis.test.ts), with a finite tmax and without transmission delays.
    expect(run({ time: { mode: "continuous", tmax: Infinity } }, { preset: "SIRS", durations: { I: { dist: "fixed", value: 2 } } })).toThrow(/^time\.tmax: an endemic model/);
    expect(run({}, { preset: "SIRS", delays: { I: { dist: "fixed", value: 1 } } })).toThrow(/^model\.delays: transmission delays need a progressive model/);
  });
  it("unknown compartment, the susceptible one, two exits, bad values, unknown parameter", () => {
    expect(run({}, { preset: "SIR", durations: { X: { dist: "fixed", value: 2 } } })).toThrow(/^model\.durations\.X: unknown compartment "X"; compartments are S, I, R/);
    expect(run({}, { preset: "SIR", durations: { S: { dist: "fixed", value: 2 } } })).toThrow(/^model\.durations\.S: nodes leave "S" by infection/);
    const twoExits = { compartments: ["S", "I", "R", "D"], transitions: [{ from: "S", to: "I", rate: 0.5, by: "I" }, { from: "I", to: "R", rate: 1 }, { from: "I", to: "D", rate: 0.1 }], durations: { I: { dist: "fixed" as const, value: 2 } } };
    expect(run({}, twoExits)).toThrow(/^model\.durations\.I: "I" has 2 spontaneous exits; a duration replaces exactly one/);
    expect(run({}, { preset: "SIR", durations: { I: { dist: "gamma", mean: 5, shape: 0 } } })).toThrow(/^model\.durations\.I\.shape: must be a finite number > 0, got 0/);
    expect(run({}, { preset: "SIR", durations: { I: { dist: "fixed", value: -1 } } })).toThrow(/^model\.durations\.I\.value: must be a finite number ≥ 0, got -1/);
    expect(run({}, { preset: "SIR", durations: { I: { dist: "gamma", mean: "period", shape: 2 } } })).toThrow(/^model\.durations\.I\.mean: unknown parameter "period"/);
    expect(run({}, { preset: "SIR", durations: { I: { dist: "pareto" } as never } })).toThrow(/^model\.durations\.I\.dist: unknown distribution "pareto"/);
  });
  it("a duration may name a parameter (so sweeps can vary it)", () => {
    const model = { compartments: ["S", "I", "R"], transitions: [{ from: "S", to: "I", rate: "beta", by: "I" }, { from: "I", to: "R", rate: 1 }], params: { beta: 0.5, period: 3 }, durations: { I: { dist: "fixed" as const, value: "period" } } };
    const r = simulate(csr, { ...base(model, 1), output: { nodes: "first", infectionTimes: true } });
    expect(r.engine.name).toMatch(/I: fixed 3/);
  });
});

describe("G. configuration model, gamma periods with shape 0.5 (CV 1.41): attack rate and P(minor outbreak)", () => {
  const n = 2000;
  const csr = generateCSR({ type: "configuration-model", n, distribution: { regular: 5 } }, 17);
  const beta = 0.5;
  const shape = 0.5;
  const mean = 2;
  const theta = mean / shape;
  const L = (s: number) => (1 + s * theta) ** -shape;
  const T = 1 - L(beta);
  const counts = degreeDistribution(csr);
  const kmean = counts.reduce((acc, c, k) => acc + c * k, 0) / n;
  const binom = (m: number, j: number) => { let c = 1; for (let i = 1; i <= j; i++) c = (c * (m - i + 1)) / i; return c; };
  /** E[(w + (1 − w)e^(−βD))^m] = Σ_j C(m, j) w^(m−j) (1 − w)^j L(jβ). */
  const moment = (m: number, w: number) => { let acc = 0; for (let j = 0; j <= m; j++) acc += binom(m, j) * w ** (m - j) * (1 - w) ** j * L(j * beta); return acc; };
  let w = 0;
  for (let i = 0; i < 2000; i++) w = counts.reduce((acc, c, k) => (k >= 1 ? acc + ((c * k) / (n * kmean)) * moment(k - 1, w) : acc), 0);
  const pMinor = counts.reduce((acc, c, k) => acc + (c / n) * moment(k, w), 0);
  const attack = messagePassingFinalSize(counts, T, 0);
  const R = 600;
  const r = simulate(csr, {
    model: { preset: "SIR", params: { beta }, durations: { I: { dist: "gamma", mean, shape } } },
    time: { mode: "continuous", tmax: Infinity, record: 1000 },
    initial: { I: { count: 1 } },
    seed: 5,
    runs: R,
    output: { nodes: "none" },
  });
  // Minor outbreaks stay small (tens of nodes); a major one infects ≈ 0.88 n. 0.2 n separates them.
  const major = r.finalSize.values.filter((s) => s > 0.2 * n).map((s) => s / n);

  it(`P(minor) = ${pMinor.toFixed(4)} (independent transmissions would give ≈ 0.12) within ${Z} binomial s.e.`, () => {
    const observed = 1 - major.length / R;
    expect(Math.abs(observed - pMinor)).toBeLessThan(Z * Math.sqrt((pMinor * (1 - pMinor)) / R));
  });

  it(`attack rate of major outbreaks = message passing with T = 1 − L(β) = ${T.toFixed(4)}: ${attack.toFixed(4)} (±5 s.e. + 0.005 finite-n allowance)`, () => {
    const e = estimate(major);
    // The allowance covers the O(1/√n) finite-size offset of the n → ∞ reference (measured −0.0014 at n = 2000, 1.6 s.e.).
    expect(Math.abs(e.mean - attack)).toBeLessThan(Z * e.se + 0.005);
  });
});

describe("H. ensembles over the worker pool give the serial result", () => {
  it("SEIR with Weibull and lognormal periods, 8 runs on 2 workers", async () => {
    const csr = generateCSR({ type: "barabasi-albert", n: 3000, m: 3 }, 1);
    const spec: SimulationSpec = {
      model: { preset: "SEIR", params: { beta: 0.1 }, durations: { E: { dist: "weibull", shape: 2, scale: 2 }, I: { dist: "lognormal", mean: 4, sd: 2 } } },
      time: { mode: "continuous", tmax: 100, record: 1 },
      initial: { I: { count: 5 } },
      runs: 8,
      seed: 3,
    };
    const pooled = await runModelParallel(csr, spec, { workers: 2, offThread: true });
    expect(pooled.finalSize.values).toEqual(runModel(csr, spec).finalSize.values);
  });
});

describe("I. transmission delays (model.delays) on a 10-leaf star", () => {
  const k = 10;
  const STAR = graph(k + 1, Array.from({ length: k }, (_, i) => [0, i + 1] as [number, number]));
  const R = 20000;
  it("fixed stay D = 2, gamma delay (shape 2, mean 2): P(leaf) = 1 − 3e^(−2), leaves independent", () => {
    const p = 1 - 3 * Math.exp(-2);
    const r = simulate(STAR, base({ preset: "SIR", durations: { I: { dist: "fixed", value: 2 } }, delays: { I: { dist: "gamma", mean: 2, shape: 2 } } }, R, 21));
    expect(r.engine.name).toMatch(/transmission delays I: gamma\(mean 2, shape 2\)/);
    const c = r.finalSize.values.map((s) => s - 1);
    const leaf = estimate(c.map((x) => x / k));
    expect(Math.abs(leaf.mean - p)).toBeLessThan(Z * leaf.se);
    const both = estimate(c.map((x) => (x * (x - 1)) / (k * (k - 1))));
    expect(Math.abs(both.mean - p * p)).toBeLessThan(Z * both.se);
  });
  it("random stay (exponential, mean 2), fixed delay 1: all leaves or none, with P(D > 1) = e^(−1/2)", () => {
    const r = simulate(STAR, base({ preset: "SIR", durations: { I: { dist: "gamma", mean: 2, shape: 1 } }, delays: { I: { dist: "fixed", value: 1 } } }, R, 22));
    const c = r.finalSize.values.map((s) => s - 1);
    expect(c.every((x) => x === 0 || x === k)).toBe(true);
    const p = Math.exp(-0.5);
    const all = c.filter((x) => x === k).length / R;
    expect(Math.abs(all - p)).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / R));
  });
  it("delays that are exponential keep the Markovian engine (rate β from params)", () => {
    const plain = simulate(STAR, base({ preset: "SIR", params: { beta: 0.3 } }, 50, 23));
    const expo = simulate(STAR, base({ preset: "SIR", params: { beta: 0.3 }, delays: { I: { dist: "exponential" } } }, 50, 23));
    expect(expo.engine).toEqual(plain.engine);
    expect(expo.finalSize.values).toEqual(plain.finalSize.values);
  });
  it("refusals: a compartment that induces nothing; a weighted network", () => {
    expect(() => simulate(STAR, base({ preset: "SIR", delays: { R: { dist: "fixed", value: 1 } } }, 1))).toThrow(/^model\.delays\.R: "R" induces no transition/);
    const weighted = { ...STAR, weights: new Float64Array(STAR.m).fill(1) };
    expect(() => simulate(weighted, base({ preset: "SIR", delays: { I: { dist: "fixed", value: 1 } } }, 1))).toThrow(/^model\.delays: transmission delays run on unweighted networks only/);
  });
});
