/**
 * Temporal contact networks (graph/temporal.ts) and exact transmission on them (engine/nonmarkov.ts, temporal branch).
 *
 * Tolerances: a Monte Carlo probability from R independent runs is compared with the exact value within 5 binomial
 * standard errors √(p(1−p)/R) (two-sample: √(p(1−p)(1/R₁ + 1/R₂)) with the pooled p). A correct engine fails one such
 * check with probability ≈ 6·10⁻⁷. Seeds are fixed, so the outcome is reproducible.
 *
 *  A. Layout: windows merged per pair, sorted and disjoint; both arcs of an edge share the pair.
 *  B. The active-time walk against a brute-force sum (random windows, with and without a period).
 *  C. A static network as one always-on window per edge: exactly the weighted non-Markovian path (weight 1) on the
 *     same seed, draw for draw; and the final-size distribution of today's Markovian engine.
 *  D. Two nodes, one window [a, b), source infected at 0: P(transmission) = 1 − E[e^(−β·overlap)],
 *     overlap = (min(b, D) − a)⁺; with D ~ Exp(γ) the expectation is computed in closed form; with D fixed it is exact.
 *  E. Periodic repetition: the same result as the windows written out, bit for bit, and 1 − e^(−β·overlap).
 *  F. Contact files: events with a resolution, intervals, headers, SocioPatterns extra columns; errors with file:line.
 *  G. Same seed, same result.
 */
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { csrFromEdges, type CSR } from "../../src/graph/csr.js";
import { activeTimeReached, activeTimeWithin, temporalNetwork, type ContactWindow } from "../../src/graph/temporal.js";
import { parseContacts } from "../../src/graph/temporal-files.js";
import { createRandom } from "../../src/random.js";
import { compileDurations } from "../../src/models/durations.js";
import { compileModel } from "../../src/models/compartmental.js";
import { presetModel } from "../../src/models/presets.js";
import { runNonMarkov } from "../../src/engine/nonmarkov.js";

const Z = 5;

const EDGES: [number, number][] = [
  [0, 1], [0, 2], [1, 2], [1, 3], [2, 4], [3, 4], [3, 5], [4, 6], [5, 6], [5, 7], [6, 8], [7, 8], [2, 3], [6, 7],
];

const spec = (model: SimulationSpec["model"], runs: number, seed = 7, tmax = Infinity): SimulationSpec => ({
  model,
  time: { mode: "continuous", tmax, record: Number.isFinite(tmax) ? tmax / 10 : 1000 },
  initial: { I: { nodes: ["0"] } },
  seed,
  runs,
  output: { nodes: "none" },
});

function expectProbability(observed: number, p: number, R: number, what: string): void {
  const se = Math.sqrt((p * (1 - p)) / R);
  expect(Math.abs(observed - p), `${what}: ${observed} vs exact ${p.toFixed(5)} (s.e. ${se.toExponential(2)})`).toBeLessThanOrEqual(Z * se + 1e-12);
}

describe("A. layout", () => {
  it("merges overlapping and touching windows per pair, sorted; arcs share their pair", () => {
    const net = temporalNetwork([
      { i: "a", j: "b", start: 5, end: 7 },
      { i: "b", j: "a", start: 1, end: 2 },
      { i: "a", j: "b", start: 6, end: 9 }, // overlaps [5, 7)
      { i: "a", j: "b", start: 9, end: 10 }, // touches [5, 9)
      { i: "c", j: "b", start: 0, end: 1 },
    ]);
    expect(net.n).toBe(3);
    expect(net.m).toBe(4);
    expect(net.nodeIds).toEqual(["a", "b", "c"]);
    const w = net.temporal;
    expect(w.pairs).toBe(2);
    expect(Array.from(w.pairOffsets)).toEqual([0, 2, 3]);
    expect(Array.from(w.start)).toEqual([1, 5, 0]);
    expect(Array.from(w.end)).toEqual([2, 10, 1]);
    for (let v = 0; v < net.n; v++) {
      for (let a = net.offsets[v]; a < net.offsets[v + 1]; a++) {
        const u = net.targets[a];
        const expected = (u === 2 || v === 2) ? 1 : 0;
        expect(w.arcPair[a]).toBe(expected);
      }
    }
  });

  it("refuses bad windows with the index of the contact", () => {
    expect(() => temporalNetwork([{ i: 1, j: 2, start: 3, end: 3 }])).toThrow(/contacts\[0\]: end \(3\) must be after start/);
    expect(() => temporalNetwork([{ i: 1, j: 2, start: 0, end: 1 }, { i: 4, j: 4, start: 0, end: 1 }])).toThrow(/contacts\[1\]: contact of node 4 with itself/);
    expect(() => temporalNetwork([{ i: 1, j: 2, start: 3, end: 12 }], { period: 10 })).toThrow(/outside \[0, 10\)/);
    expect(() => temporalNetwork([])).toThrow(/no contacts/);
  });
});

describe("B. active-time walk", () => {
  /** τ solves activeTimeWithin(t0, τ) = budget with τ inside an active window, or no such τ before t1. */
  function check(contacts: ContactWindow[], period: number | undefined, rngSeed: number): void {
    const net = temporalNetwork(contacts, { period });
    const w = net.temporal;
    const rng = createRandom(rngSeed);
    for (let k = 0; k < 400; k++) {
      const t0 = rng.next() * 60;
      const t1 = rng.next() < 0.2 ? Infinity : t0 + rng.next() * 40;
      const budget = rng.next() * 15;
      const tau = activeTimeReached(w, 0, t0, t1, budget);
      const available = activeTimeWithin(w, 0, t0, t1);
      if (tau === Infinity) {
        expect(available, `t0 ${t0} t1 ${t1} budget ${budget}`).toBeLessThanOrEqual(budget + 1e-9);
      } else {
        expect(tau).toBeGreaterThanOrEqual(t0);
        expect(tau).toBeLessThan(t1);
        expect(activeTimeWithin(w, 0, t0, tau)).toBeCloseTo(budget, 9);
      }
    }
  }
  const windows = (seed: number, span: number): ContactWindow[] => {
    const rng = createRandom(seed);
    return Array.from({ length: 12 }, () => {
      const s = rng.next() * (span - 2);
      return { i: "x", j: "y", start: s, end: s + 0.1 + rng.next() * 2 };
    });
  };
  it("once-only windows: the first time the budget of active time is used up", () => check(windows(1, 80), undefined, 2));
  it("periodic windows (period 12), whole periods skipped", () => check(windows(3, 12), 12, 4));
});

describe("C. a static network as one always-on window per edge", () => {
  const always = temporalNetwork(EDGES.map(([i, j]) => ({ i, j, start: 0, end: Infinity })));
  // The same graph, node keys and arc order as the temporal one, with weight 1 on every arc.
  const plain = csrFromEdges(9, Int32Array.from(EDGES, (e) => e[0]), Int32Array.from(EDGES, (e) => e[1]), EDGES.length);
  const weighted: CSR = { ...plain, weights: new Float32Array(plain.m).fill(1) };

  it("the same arcs in the same order as the static CSR", () => {
    expect(Array.from(always.offsets)).toEqual(Array.from(plain.offsets));
    expect(Array.from(always.targets)).toEqual(Array.from(plain.targets));
    expect(always.nodeIds).toEqual(plain.nodeIds);
  });

  it("exactly the non-Markovian kernel's weighted path (weight 1), run for run, on the same seeds", () => {
    for (const durationsSpec of [undefined, { I: { dist: "gamma" as const, mean: 2, shape: 3 } }]) {
      const model = compileModel(presetModel("SIR", { beta: 0.4, gamma: 0.5 }));
      const durations = compileDurations(durationsSpec, model, { beta: 0.4, gamma: 0.5 }, []);
      for (let r = 0; r < 300; r++) {
        const initial = new Uint8Array(9);
        initial[0] = model.compartments.indexOf("I");
        const a = runNonMarkov(always, model, durations, null, initial, Infinity, 1000, createRandom(5, r), { infectionTimes: true }, always.temporal);
        const b = runNonMarkov(weighted, model, durations, null, initial, Infinity, 1000, createRandom(5, r), { infectionTimes: true });
        expect(a.finalSize).toBe(b.finalSize);
        expect(Array.from(a.infectionTime!)).toEqual(Array.from(b.infectionTime!));
      }
    }
  });

  it("the final-size distribution of the Markovian engine (two-sample, 5 s.e. per size)", () => {
    const R = 8000;
    const params = { beta: 0.4, gamma: 0.5 };
    const a = simulate(always, spec({ preset: "SIR", params }, R, 21)).finalSize.values;
    const b = simulate(plain, spec({ preset: "SIR", params }, R, 22)).finalSize.values;
    for (let s = 1; s <= 9; s++) {
      const pa = a.filter((x) => x === s).length / R;
      const pb = b.filter((x) => x === s).length / R;
      const p = (pa + pb) / 2;
      const se = Math.sqrt(p * (1 - p) * (2 / R));
      expect(Math.abs(pa - pb), `P(size ${s}): ${pa} vs ${pb}`).toBeLessThanOrEqual(Z * se + 1e-12);
    }
  });
});

describe("D. two nodes, one window: P(transmission) = 1 − E[e^(−β·overlap)]", () => {
  const a = 2;
  const b = 5;
  const beta = 0.6;
  const gamma = 0.3;
  const R = 20000;
  const pair = temporalNetwork([{ i: 0, j: 1, start: a, end: b }]);

  it("exponential infectious period (rate γ): closed-form expectation", () => {
    // E[e^(−β·overlap)] = P(D < a) + ∫_a^b γe^(−γd) e^(−β(d−a)) dd + P(D ≥ b) e^(−β(b−a)).
    const L = 1 - Math.exp(-gamma * a) + (gamma * Math.exp(-gamma * a) * (1 - Math.exp(-(gamma + beta) * (b - a)))) / (gamma + beta) + Math.exp(-gamma * b - beta * (b - a));
    const r = simulate(pair, spec({ preset: "SIR", params: { beta, gamma } }, R));
    const observed = r.finalSize.values.filter((s) => s === 2).length / R;
    expectProbability(observed, 1 - L, R, "P(transmission)");
  });

  it("fixed infectious periods inside, across and after the window", () => {
    for (const D of [1.5, 3.5, 8]) {
      const overlap = Math.max(0, Math.min(b, D) - a);
      const r = simulate(pair, spec({ preset: "SIR", params: { beta }, durations: { I: { dist: "fixed", value: D } } }, R, 9));
      const observed = r.finalSize.values.filter((s) => s === 2).length / R;
      if (overlap === 0) expect(observed).toBe(0);
      else expectProbability(observed, 1 - Math.exp(-beta * overlap), R, `D = ${D}`);
    }
  });
});

describe("E. periodic repetition", () => {
  const beta = 0.15;
  const D = 25; // spans [2,4), [12,14), [22,24) of a period-10 timetable with the window [2,4): overlap 6
  const R = 20000;
  const periodic = temporalNetwork([{ i: 0, j: 1, start: 2, end: 4 }], { period: 10 });
  const unrolled = temporalNetwork([0, 10, 20, 30].map((k) => ({ i: 0, j: 1, start: k + 2, end: k + 4 })));
  const model = { preset: "SIR" as const, params: { beta }, durations: { I: { dist: "fixed" as const, value: D } } };

  it("the same runs as the windows written out, bit for bit", () => {
    const p = simulate(periodic, { ...spec(model, 200), output: { nodes: "none", infectionTimes: true } });
    const u = simulate(unrolled, { ...spec(model, 200), output: { nodes: "none", infectionTimes: true } });
    expect(p.finalSize.values).toEqual(u.finalSize.values);
    expect(p.finalSize.values.some((s) => s === 2)).toBe(true);
  });

  it("P(transmission) = 1 − e^(−β·6)", () => {
    expect(activeTimeWithin(periodic.temporal, 0, 0, D)).toBeCloseTo(6, 12);
    const r = simulate(periodic, spec(model, R, 10));
    expectProbability(r.finalSize.values.filter((s) => s === 2).length / R, 1 - Math.exp(-beta * 6), R, "P(transmission)");
  });

  it("every infection time falls inside a repetition of the window, later periods included", () => {
    const r = simulate(periodic, { ...spec({ preset: "SIR", params: { beta: 0.05 }, durations: { I: { dist: "fixed", value: 100 } } }, 300), output: { nodes: "all", infectionTimes: true } });
    const times = r.nodes!.runs.map((run) => run.infectionTime![1]).filter((t): t is number => t !== null);
    expect(times.length).toBeGreaterThan(50);
    expect(times.some((t) => t > 10)).toBe(true);
    for (const t of times) {
      expect(t % 10).toBeGreaterThanOrEqual(2);
      expect(t % 10).toBeLessThan(4);
    }
  });
});

describe("F. contact files", () => {
  it("events (t,i,j) with a resolution, SocioPatterns columns ignored, merged slots", () => {
    const net = parseContacts("# t i j Ci Cj\n20\t1\t2\t3A\t3B\n40\t1\t2\t3A\t3B\n100\t2\t3\t3B\t4A\n", { format: "events", resolution: 20, file: "c.tsv" });
    expect(net.nodeIds).toEqual(["1", "2", "3"]);
    expect(Array.from(net.temporal.start)).toEqual([20, 100]);
    expect(Array.from(net.temporal.end)).toEqual([60, 120]);
  });

  it("intervals (i,j,start,end) with a header", () => {
    const net = parseContacts("i,j,start,end\na,b,0,3.5\nb,c,1e1,12\n", { format: "intervals", file: "c.csv" });
    expect(Array.from(net.temporal.end)).toEqual([3.5, 12]);
  });

  it("errors name the file and line", () => {
    const bad = (text: string, format: "events" | "intervals", re: RegExp, extra: object = {}) =>
      expect(() => parseContacts(text, { format, file: "c.csv", resolution: 20, ...extra })).toThrow(re);
    bad("t,i,j\n0,1,2\nx,1,2\n", "events", /^c\.csv:3: time "x" is not a number/);
    bad("0,1,2\n\n20,1\n", "events", /^c\.csv:3: expected 3 columns \(t,i,j\), got 2/);
    bad("a,b,0,1\na,b,5,4\n", "intervals", /^c\.csv:2: end \(4\) must be after start \(5\)/);
    bad("a,b,0,1\n# note\na,a,0,1\n", "intervals", /^c\.csv:3: contact of node a with itself/);
    bad("a,b,0,1\na,c,8,12\n", "intervals", /^c\.csv:2: window \[8, 12\) is outside \[0, 10\)/, { period: 10 });
    bad("# nothing\n", "intervals", /^c\.csv: no contacts found/);
    expect(() => parseContacts("0,1,2\n", { format: "events", file: "c.csv" })).toThrow(/c\.csv: resolution: events \(t,i,j\) need/);
  });
});

describe("G. determinism", () => {
  it("same seed, same result; another seed, another result", () => {
    const net = temporalNetwork(EDGES.flatMap(([i, j], e) => [{ i, j, start: e % 3, end: (e % 3) + 2 }, { i, j, start: 6 + e, end: 7 + e }]), { period: 30 });
    const model = { preset: "SIR" as const, params: { beta: 0.8, gamma: 0.05 } };
    const a = simulate(net, { ...spec(model, 50, 3, 500), output: { nodes: "all", infectionTimes: true } });
    const b = simulate(net, { ...spec(model, 50, 3, 500), output: { nodes: "all", infectionTimes: true } });
    const c = simulate(net, { ...spec(model, 50, 4, 500), output: { nodes: "all", infectionTimes: true } });
    expect(b.finalSize.values).toEqual(a.finalSize.values);
    expect(b.nodes!.runs.map((r) => r.infectionTime)).toEqual(a.nodes!.runs.map((r) => r.infectionTime));
    expect(c.nodes!.runs.map((r) => r.infectionTime)).not.toEqual(a.nodes!.runs.map((r) => r.infectionTime));
  });
});
