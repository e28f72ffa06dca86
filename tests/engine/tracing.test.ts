/**
 * Testing, isolation and contact tracing (engine/tracing.ts, engine/testing.ts) against theory.
 *
 * Tolerances: a Monte Carlo mean of R independent runs is compared with its exact value within 5 standard
 * errors (sample s.d./√R); a correct engine fails one such check with probability ≈ 6·10⁻⁷. Seeds are fixed.
 *
 *  A. Isolation as a shorter infectious period. On a tree seeded at the root, node v at depth d is infected
 *     iff every edge on its path transmits; the edges leave different nodes, so P = T^d and
 *     E[final size] = Σ_d (nodes at depth d)·T^d, whatever the correlation of one node's out-transmissions.
 *     With Markovian transmission at rate β, T = 1 − E[e^(−β·X)], X the time the node is infectious with
 *     its arcs open:
 *       A1. exponential period (rate γ), tests at rate ρ while infectious, sensitivity s, result at once,
 *           isolation for the rest of the run: X ~ Exp(γ + ρs), T = β/(β + γ + ρs);
 *       A2. fixed period D, tests at rate ρ, result after a fixed delay d: X = min(D, τ + d), τ ~ Exp(ρ);
 *           E[e^(−βX)] = e^(−βd)·ρ/(ρ+β)·(1 − e^(−(ρ+β)(D−d))) + e^(−ρ(D−d) − βD);
 *       A3. as A2 with an isolation of L shorter than the period: X = D − |[τ+d, τ+d+L) ∩ [0, D)| (the arcs
 *           reopen, exercising the re-evaluation after a closure), E[e^(−βX)] by quadrature over τ.
 *  B. Streams: without closures the kernel is nonmarkov.ts's run draw for draw; sensitivity 0 gives the run
 *     without testing and tracing probability 0 the run without a tracing entry, bit for bit.
 *  C. On a tree, with results, tracing and notification all at once (delay 0, probability 1), an isolated
 *     case and its contacts transmit nothing after the isolation.
 *  D. More tracing never raises the mean final size beyond Monte Carlo error.
 *  E. Counts: quarantined-but-uninfected ≤ quarantined ≤ traced; two levels trace more.
 */
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { csrFromEdges, type CSR } from "../../src/graph/csr.js";
import { compileModel } from "../../src/models/compartmental.js";
import { presetModel } from "../../src/models/presets.js";
import { compileDurations } from "../../src/models/durations.js";
import { runNonMarkov } from "../../src/engine/nonmarkov.js";
import { controlStreams, runTracing, type ControlLog } from "../../src/engine/tracing.js";
import { compileControl } from "../../src/engine/testing.js";
import { runStream } from "../../src/random.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { estimate } from "../helpers/statistics.js";
import type { Intervention } from "../../src/engine/interventions.js";

/** Complete binary tree of the given depth, node 0 the root; node v's children 2v+1, 2v+2. */
function binaryTree(depth: number): CSR {
  const n = 2 ** (depth + 1) - 1;
  const s: number[] = [];
  const t: number[] = [];
  for (let v = 1; v < n; v++) {
    s.push((v - 1) >> 1);
    t.push(v);
  }
  return csrFromEdges(n, Int32Array.from(s), Int32Array.from(t), s.length);
}

/** E[final size] on a complete binary tree seeded at the root: Σ_d 2^d T^d. */
const treeMean = (depth: number, T: number) => Array.from({ length: depth + 1 }, (_, d) => (2 * T) ** d).reduce((a, b) => a + b, 0);

const R = 3000;
const tree = binaryTree(4);

function sir(beta: number, gamma: number, interventions: Intervention[], extra: Partial<SimulationSpec> = {}): SimulationSpec {
  return {
    model: { preset: "SIR", params: { beta, gamma } },
    time: { mode: "continuous", tmax: Infinity },
    initial: { I: { nodes: ["0"] } },
    runs: R,
    seed: 5,
    interventions,
    output: { nodes: "none" },
    ...extra,
  };
}

function expectMean(values: number[], exact: number): void {
  const e = estimate(values);
  expect(Math.abs(e.mean - exact), `mean ${e.mean} vs exact ${exact} (se ${e.se})`).toBeLessThan(5 * e.se);
}

describe("A. isolation of positives shortens the infectious period (tree, exact mean final size)", () => {
  it("A1: exponential period, tests at rate ρ with sensitivity s, immediate isolation: T = β/(β+γ+ρs)", () => {
    const [beta, gamma, rho, s] = [1.2, 0.5, 0.8, 0.75];
    const r = simulate(tree, sir(beta, gamma, [{ at: 0, testing: { rate: rho, among: ["I"], sensitivity: s, isolation: Infinity } }]));
    expectMean(r.finalSize.values, treeMean(4, beta / (beta + gamma + rho * s)));
    // Without testing the same tree has T = β/(β+γ): testing must make a visible difference here.
    expect(treeMean(4, beta / (beta + gamma)) - treeMean(4, beta / (beta + gamma + rho * s))).toBeGreaterThan(10 * estimate(r.finalSize.values).se);
    expect(r.testing!.positives.mean).toBeGreaterThan(0);
    expect(r.testing!.isolations.values).toEqual(r.testing!.positives.values);
  });

  const [beta, D, rho, d] = [0.6, 3, 0.7, 0.5];
  const fixedI = { durations: { I: { dist: "fixed" as const, value: D } } };
  const spec = (isolation: number): SimulationSpec => ({
    ...sir(beta, 1, [{ at: 0, testing: { rate: rho, among: ["I"], delay: d, isolation } }]),
    model: { preset: "SIR", params: { beta, gamma: 1 }, ...fixedI },
  });

  it("A2: fixed period D, result after a fixed delay d, isolation for good: X = min(D, τ + d)", () => {
    const L = Math.exp(-beta * d) * (rho / (rho + beta)) * (1 - Math.exp(-(rho + beta) * (D - d))) + Math.exp(-rho * (D - d) - beta * D);
    const r = simulate(tree, spec(Infinity));
    expectMean(r.finalSize.values, treeMean(4, 1 - L));
  });

  it("A3: an isolation shorter than the period reopens the arcs (exact re-evaluation after a closure)", () => {
    const iso = 1;
    // E[e^(−βX)] with X = D − overlap of [τ+d, τ+d+iso) with [0, D); τ ~ Exp(ρ) (no test after D: overlap 0).
    const steps = 200000;
    const h = (D - d) / steps;
    let L = 0;
    for (let k = 0; k < steps; k++) {
      const tau = (k + 0.5) * h;
      const overlap = Math.min(tau + d + iso, D) - (tau + d);
      L += rho * Math.exp(-rho * tau) * Math.exp(-beta * (D - overlap)) * h;
    }
    L += Math.exp(-rho * (D - d)) * Math.exp(-beta * D);
    const r = simulate(tree, spec(iso));
    expectMean(r.finalSize.values, treeMean(4, 1 - L));
    // ...and differs from the permanent isolation of A2 by far more than the error.
    const permanent = Math.exp(-beta * d) * (rho / (rho + beta)) * (1 - Math.exp(-(rho + beta) * (D - d))) + Math.exp(-rho * (D - d) - beta * D);
    expect(treeMean(4, 1 - L) - treeMean(4, 1 - permanent)).toBeGreaterThan(8 * estimate(r.finalSize.values).se);
  });
});

describe("B. random streams: interventions that do nothing leave the run untouched, draw for draw", () => {
  const ba = generateCSR({ type: "barabasi-albert", n: 1500, m: 2 }, 3);
  const seir = (interventions: Intervention[]): SimulationSpec => ({
    model: { preset: "SEIR", params: { beta: 0.3 }, durations: { E: { dist: "gamma", mean: 2, shape: 3 }, I: { dist: "gamma", mean: 4, shape: 2 } } },
    time: { mode: "continuous", tmax: 80, record: 1 },
    initial: { I: { count: 3 } },
    runs: 6,
    seed: 9,
    interventions,
    output: { nodes: "all", infectionTimes: true, series: true },
  });
  const same = (a: ReturnType<typeof simulate>, b: ReturnType<typeof simulate>) => {
    expect(a.finalSize.values).toEqual(b.finalSize.values);
    expect(a.series).toEqual(b.series);
    expect(a.nodes).toEqual(b.nodes);
    expect(a.duration).toEqual(b.duration);
  };

  it("without closures the kernel is nonmarkov.ts's run (exponential and gamma periods)", () => {
    for (const durations of [undefined, { I: { dist: "gamma" as const, mean: 3, shape: 2 } }]) {
      const model = compileModel({ ...presetModel("SIR"), params: { beta: 0.4, gamma: 0.3 } });
      const compiled = compileDurations(durations, model, { beta: 0.4, gamma: 0.3 });
      const control = compileControl([{ at: 0, testing: { rate: 0.5, sensitivity: 0 } }], model, (m) => new Error(m));
      for (let run = 0; run < 5; run++) {
        const initial = new Uint8Array(ba.n);
        initial[run] = 1;
        const a = runNonMarkov(ba, model, compiled, null, initial, Infinity, 1, runStream(1, run), { infectionTimes: true });
        const b = runTracing(ba, model, compiled, control, initial, Infinity, 1, runStream(1, run), controlStreams(1, run), { infectionTimes: true });
        expect(b.finalState).toEqual(a.finalState);
        expect(b.infectionTime).toEqual(a.infectionTime);
        expect(b.counts).toEqual(a.counts);
        expect(b.endTime).toBe(a.endTime);
        expect(b.testing.tests).toBeGreaterThan(0);
        expect(b.testing.positives).toBe(0);
      }
    }
  });

  it("sensitivity 0 is the run without testing", () => {
    const base = simulate(ba, seir([]));
    const zero = simulate(ba, seir([{ at: 0, testing: { rate: 0.3, sensitivity: 0 } }, { at: 0, tracing: { probability: 1 } }]));
    same(zero, base);
    expect(zero.testing!.tests.mean).toBeGreaterThan(0);
    expect(zero.testing!.positives.mean).toBe(0);
  });

  it("tracing probability 0 is the run without a tracing entry", () => {
    const testing: Intervention = { at: 0, testing: { rate: 0.2, among: ["I"], delay: 1, isolation: 10 } };
    const without = simulate(ba, seir([testing]));
    const zero = simulate(ba, seir([testing, { at: 0, tracing: { probability: 0, levels: 2 } }]));
    same(zero, without);
    expect(zero.testing).toEqual(without.testing);
    expect(zero.testing!.positives.mean).toBeGreaterThan(0);
    // And tracing that does something changes the run.
    const some = simulate(ba, seir([testing, { at: 0, tracing: { probability: 1 } }]));
    expect(some.finalSize.values).not.toEqual(without.finalSize.values);
  });

  it("same seed, same result; runs are independent of each other", () => {
    const spec = seir([{ at: 0, testing: { rate: 0.2, among: ["I"] } }, { at: 0, tracing: { probability: 0.5, delay: 1 } }]);
    same(simulate(ba, spec), simulate(ba, spec));
    const alone = simulate(ba, { ...spec, runs: 1, seed: 9 });
    expect(alone.finalSize.values[0]).toBe(simulate(ba, spec).finalSize.values[0]);
  });
});

describe("C. on a tree, an isolated case (delay 0, tracing probability 1) transmits nothing further", () => {
  it("no infection by an isolated node or by its contacts after the isolation", () => {
    const big = binaryTree(8);
    const model = compileModel({ ...presetModel("SIR"), params: { beta: 1.5, gamma: 0.4 } });
    const durations = compileDurations(undefined, model, {});
    const control = compileControl(
      [
        { at: 0, testing: { rate: 0.5, among: ["I"], isolation: Infinity } },
        { at: 0, tracing: { probability: 1, quarantine: Infinity } },
      ],
      model,
      (m) => new Error(m),
    );
    let isolations = 0;
    let infections = 0;
    for (let run = 0; run < 200; run++) {
      const closedAt = new Map<number, number>();
      const isolatedAt = new Map<number, number>();
      const events: { t: number; node: number; by: number }[] = [];
      const log: ControlLog = (kind, t, node, by) => {
        if (kind === "infect") events.push({ t, node, by });
        else if (!closedAt.has(node)) closedAt.set(node, t);
        if (kind === "isolate") isolatedAt.set(node, t);
      };
      const initial = new Uint8Array(big.n);
      initial[0] = 1;
      runTracing(big, model, durations, control, initial, Infinity, 1, runStream(2, run), controlStreams(2, run), {}, log);
      for (const [v, t] of isolatedAt) {
        // The contacts of an isolated node are its tree neighbours: all closed by the same instant.
        for (const u of [(v - 1) >> 1, 2 * v + 1, 2 * v + 2]) if (u >= 0 && u < big.n && u !== v) expect(closedAt.get(u)).toBeLessThanOrEqual(t);
      }
      for (const [v, t] of closedAt) {
        for (const e of events) {
          if (e.t < t) continue;
          expect(e.by, `node ${e.by} infected ${e.node} at ${e.t} after its closure at ${closedAt.get(e.by)}`).not.toBe(v);
          expect(e.node).not.toBe(v);
        }
      }
      for (const e of events) {
        const closed = closedAt.get(e.by);
        if (closed !== undefined) expect(e.t).toBeLessThan(closed);
      }
      isolations += isolatedAt.size;
      infections += events.length;
    }
    // Not vacuous: many closures and infections happened.
    expect(isolations).toBeGreaterThan(100);
    expect(infections).toBeGreaterThan(200);
  });
});

describe("D. more tracing never raises the mean final size", () => {
  it("probability 0 → 0.5 → 1 on a scale-free network (SEIR, tests of the infectious)", () => {
    const ba = generateCSR({ type: "barabasi-albert", n: 2000, m: 3 }, 4);
    const runs = 150;
    const spec = (p: number, levels: 1 | 2 = 1): SimulationSpec => ({
      model: { preset: "SEIR", params: { beta: 0.25, sigma: 0.5, gamma: 0.25 } },
      time: { mode: "continuous", tmax: Infinity },
      initial: { I: { count: 5 } },
      runs,
      seed: 21,
      interventions: [
        { at: 0, testing: { rate: 0.3, among: ["I"], delay: 1, isolation: 14 } },
        { at: 0, tracing: { probability: p, delay: 1, quarantine: 14, levels } },
      ],
      output: { nodes: "none" },
    });
    const results = [simulate(ba, spec(0)), simulate(ba, spec(0.5)), simulate(ba, spec(1)), simulate(ba, spec(1, 2))];
    const est = results.map((r) => estimate(r.finalSize.values));
    for (let k = 1; k < est.length; k++) {
      const se = Math.hypot(est[k].se, est[k - 1].se);
      expect(est[k].mean, `step ${k}: ${est[k].mean} vs ${est[k - 1].mean}`).toBeLessThanOrEqual(est[k - 1].mean + 5 * se);
    }
    // E. Counts are consistent, and two levels trace more contacts than one.
    for (const r of results) {
      const t = r.testing!;
      for (let i = 0; i < runs; i++) {
        expect(t.quarantinedUninfected.values[i]).toBeLessThanOrEqual(t.quarantined.values[i]);
        expect(t.quarantined.values[i]).toBeLessThanOrEqual(t.traced.values[i]);
        expect(t.positives.values[i]).toBeLessThanOrEqual(t.tests.values[i]);
      }
    }
    expect(results[0].testing!.traced.mean).toBe(0);
    expect(results[2].testing!.quarantinedUninfected.mean).toBeGreaterThan(0);
    expect(results[3].testing!.traced.mean / Math.max(1, results[3].testing!.positives.mean)).toBeGreaterThan(
      results[2].testing!.traced.mean / Math.max(1, results[2].testing!.positives.mean),
    );
  });
});

describe("F. what is not supported is refused with the field to change", () => {
  const g = binaryTree(3);
  const base = sir(1, 1, [], { runs: 1 });
  it.each([
    [{ interventions: [{ at: 0, testing: { rate: 1 } }, { at: 1, scale: "beta", by: 0.5 }] }, /interventions\[1\]: testing and tracing do not run together/],
    [{ interventions: [{ at: 0, tracing: { probability: 1 } }] }, /interventions\[0\]\.tracing: tracing starts from positive tests/],
    [{ interventions: [{ at: 0, testing: { rate: 1, sensitivity: 2 } }] }, /interventions\[0\]\.testing\.sensitivity: expected a probability/],
    [{ interventions: [{ at: 0, testing: { rate: 1, among: ["X"] } }] }, /interventions\[0\]\.testing\.among\[0\]: unknown compartment "X"/],
    [{ time: { mode: "discrete" as const, steps: 10 }, interventions: [{ at: 0, testing: { rate: 1 } }] }, /time\.mode: testing and tracing run in continuous time/],
    [{ model: { preset: "SIS" as const, params: { beta: 1 } }, interventions: [{ at: 0, testing: { rate: 1 } }] }, /model: .*progressive/],
    [{ time: { mode: "continuous" as const, tmax: 1e6 }, interventions: [{ at: 0, testing: { rate: 1e4 } }] }, /interventions\[0\]\.testing\.rate: one run would take up to/],
  ])("%#", (patch, message) => {
    expect(() => simulate(g, { ...base, ...patch } as SimulationSpec)).toThrow(message);
  });
});
