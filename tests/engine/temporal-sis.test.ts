/**
 * Re-infection in the event-driven kernel (engine/nonmarkov.ts): SIS (and other models that return to S) on
 * temporal contact networks and with non-exponential periods on static ones (issue 14).
 *
 * Tolerances: a mean over R independent runs is compared within Z = 5 standard errors (two-sample: the two
 * standard errors added in quadrature, each from its own sample sd). A correct engine fails one such check with
 * probability ≈ 6·10⁻⁷; seeds are fixed, so the outcome is reproducible.
 *
 *  A. Always-on windows: exactly the kernel's weighted static path (weight 1), run for run (final states,
 *     infection times, event counts), on SIS and SIRS.
 *  B. Two nodes, SIS with on/off windows: prevalence at t against the exact 4-state master equation (RK4,
 *     integrated piecewise between window edges), periodic and once-only.
 *  C. The static kernel's SIS with gamma(shape 1) periods (exponential in law, but run by the event-driven kernel)
 *     against the Markovian Gillespie engine: mean prevalence at t = 1, 2, 4, undirected and directed graphs.
 *  D. Refusals: tmax = ∞ for an endemic model, transmission delays with re-infection.
 */
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { csrFromEdges, type CSR } from "../../src/graph/csr.js";
import { temporalNetwork, type ContactWindow } from "../../src/graph/temporal.js";
import { createRandom } from "../../src/random.js";
import { compileDurations } from "../../src/models/durations.js";
import { compileModel } from "../../src/models/compartmental.js";
import { presetModel } from "../../src/models/presets.js";
import { runNonMarkov } from "../../src/engine/nonmarkov.js";
import { runCompositionRejection } from "../../src/engine/composition-rejection.js";
import { estimate } from "../helpers/statistics.js";

const Z = 5;

const EDGES: [number, number][] = [
  [0, 1], [0, 2], [1, 2], [1, 3], [2, 4], [3, 4], [3, 5], [4, 6], [5, 6], [5, 7], [6, 8], [7, 8], [2, 3], [6, 7],
];

const countIn = (state: Uint8Array, c: number): number => state.reduce((s, x) => s + (x === c ? 1 : 0), 0);

describe("A. always-on windows equal the static weighted path, draw for draw", () => {
  const always = temporalNetwork(EDGES.map(([i, j]) => ({ i, j, start: 0, end: Infinity })));
  const plain = csrFromEdges(9, Int32Array.from(EDGES, (e) => e[0]), Int32Array.from(EDGES, (e) => e[1]), EDGES.length);
  const weighted: CSR = { ...plain, weights: new Float32Array(plain.m).fill(1) };

  for (const [preset, params, durationsSpec] of [
    ["SIS", { beta: 0.9, gamma: 1 }, undefined],
    ["SIS", { beta: 0.9, gamma: 1 }, { I: { dist: "gamma" as const, mean: 1, shape: 3 } }],
    ["SIRS", { beta: 1.2, gamma: 1, omega: 0.7 }, { I: { dist: "fixed" as const, value: 1 } }],
  ] as const) {
    it(`${preset}${durationsSpec ? " with " + Object.values(durationsSpec)[0].dist + " periods" : ""}`, () => {
      const model = compileModel(presetModel(preset, params));
      const durations = compileDurations(durationsSpec, model, params, []);
      let reinfected = 0;
      for (let r = 0; r < 200; r++) {
        const initial = new Uint8Array(9);
        initial[0] = model.compartments.indexOf("I");
        const keep = { infectionTimes: true, history: true };
        const a = runNonMarkov(always, model, durations, null, initial, 8, 0.5, createRandom(5, r), keep, always.temporal);
        const b = runNonMarkov(weighted, model, durations, null, initial, 8, 0.5, createRandom(5, r), keep);
        expect(a.events).toBe(b.events);
        expect(a.counts).toEqual(b.counts);
        expect(Array.from(a.finalState)).toEqual(Array.from(b.finalState));
        expect(Array.from(a.infectionTime!)).toEqual(Array.from(b.infectionTime!));
        // Re-infections happened: more events than C per infected node allows without one.
        if (a.events > model.nComp * a.finalSize) reinfected++;
      }
      expect(reinfected).toBeGreaterThan(20);
    });
  }
});

/**
 * Two nodes A (seeded) and B, SIS with recovery rate γ; transmission at rate β while the pair is active.
 * States 0 = (S,S), 1 = (I,S), 2 = (S,I), 3 = (I,I). Returns E[number infected] at each time of `at`.
 */
function twoNodeSIS(beta: number, gamma: number, active: (t: number) => boolean, edges: number[], at: number[]): number[] {
  let p = [0, 1, 0, 0];
  const deriv = (q: number[], on: boolean): number[] => {
    const b = on ? beta : 0;
    return [
      gamma * (q[1] + q[2]),
      -(gamma + b) * q[1] + gamma * q[3],
      -(gamma + b) * q[2] + gamma * q[3],
      b * (q[1] + q[2]) - 2 * gamma * q[3],
    ];
  };
  const out: number[] = [];
  let t = 0;
  const points = [...new Set([...edges, ...at])].filter((x) => x > 0).sort((x, y) => x - y);
  for (const next of points) {
    // Integrate [t, next) at the activity of its midpoint (constant between window edges).
    const on = active((t + next) / 2);
    const steps = Math.max(1, Math.ceil((next - t) / 1e-3));
    const h = (next - t) / steps;
    for (let k = 0; k < steps; k++) {
      const k1 = deriv(p, on);
      const k2 = deriv(p.map((x, i) => x + (h / 2) * k1[i]), on);
      const k3 = deriv(p.map((x, i) => x + (h / 2) * k2[i]), on);
      const k4 = deriv(p.map((x, i) => x + h * k3[i]), on);
      p = p.map((x, i) => x + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
    }
    t = next;
    if (at.includes(next)) out.push(p[1] + p[2] + 2 * p[3]);
  }
  return out;
}

describe("B. two nodes, SIS on on/off windows: the exact master equation", () => {
  const beta = 1.5;
  const gamma = 0.6;
  const R = 20000;
  const model = compileModel(presetModel("SIS", { beta, gamma }));
  const durations = compileDurations(undefined, model, { beta, gamma }, []);
  const I = model.compartments.indexOf("I");

  function check(contacts: ContactWindow[], period: number | undefined, active: (t: number) => boolean, edges: number[]): void {
    const net = temporalNetwork(contacts, { period, nodes: ["a", "b"] });
    for (const T of [2.5, 6, 9]) {
      const [exact] = twoNodeSIS(beta, gamma, active, edges, [T]);
      const values = new Float64Array(R);
      for (let r = 0; r < R; r++) {
        const initial = new Uint8Array(2);
        initial[0] = I;
        values[r] = countIn(runNonMarkov(net, model, durations, null, initial, T, T, createRandom(31, r), {}, net.temporal).finalState, I);
      }
      const e = estimate(values);
      expect(Math.abs(e.mean - exact), `t = ${T}: ${e.mean} vs exact ${exact.toFixed(5)} (s.e. ${e.se.toExponential(2)})`).toBeLessThanOrEqual(Z * e.se);
    }
  }

  it("once-only windows [1, 3) and [4.5, 8)", () => {
    const windows = [[1, 3], [4.5, 8]];
    check(
      windows.map(([start, end]) => ({ i: "a", j: "b", start, end })),
      undefined,
      (t) => windows.some(([s, e]) => t >= s && t < e),
      windows.flat(),
    );
  });

  it("a periodic window [0.5, 1.5) every 2", () => {
    const edges = Array.from({ length: 10 }, (_, k) => [2 * k + 0.5, 2 * k + 1.5]).flat();
    check([{ i: "a", j: "b", start: 0.5, end: 1.5 }], 2, (t) => t % 2 >= 0.5 && t % 2 < 1.5, edges);
  });
});

describe("C. static SIS through the kernel (gamma periods of shape 1) against the Gillespie engine", () => {
  const beta = 0.8;
  const gamma = 1;
  const R = 6000;
  const model = compileModel(presetModel("SIS", { beta, gamma }));
  const exponentialAsGamma = compileDurations({ I: { dist: "gamma", mean: 1 / gamma, shape: 1 } }, model, { beta, gamma }, []);
  const I = model.compartments.indexOf("I");

  for (const directed of [false, true]) {
    it(directed ? "directed graph (in-arcs through a reversed CSR)" : "undirected graph", () => {
      // Directed: each edge one way plus a few back-arcs, so in- and out-neighbourhoods differ.
      const src = [...EDGES.map((e) => e[0]), ...(directed ? [8, 7, 4] : [])];
      const dst = [...EDGES.map((e) => e[1]), ...(directed ? [0, 1, 0] : [])];
      const csr = csrFromEdges(9, Int32Array.from(src), Int32Array.from(dst), src.length, directed);
      for (const T of [1, 2, 4]) {
        const kernel = new Float64Array(R);
        const gillespie = new Float64Array(R);
        for (let r = 0; r < R; r++) {
          const initial = new Uint8Array(9);
          initial[0] = I;
          initial[4] = I;
          kernel[r] = countIn(runNonMarkov(csr, model, exponentialAsGamma, null, initial, T, T, createRandom(41, r)).finalState, I);
          gillespie[r] = countIn(runCompositionRejection(csr, model, initial, T, T, createRandom(42, r)).finalState, I);
        }
        const a = estimate(kernel);
        const b = estimate(gillespie);
        const se = Math.hypot(a.se, b.se);
        expect(Math.abs(a.mean - b.mean), `t = ${T}: kernel ${a.mean} vs Gillespie ${b.mean} (s.e. ${se.toExponential(2)})`).toBeLessThanOrEqual(Z * se);
        expect(b.mean).toBeGreaterThan(0.5); // the epidemic is alive at t: the check has something to compare
      }
    });
  }
});

describe("D. refusals", () => {
  const net = temporalNetwork(EDGES.map(([i, j]) => ({ i, j, start: 0, end: 5 })));
  const spec = (model: SimulationSpec["model"], tmax: number): SimulationSpec => ({
    model,
    time: { mode: "continuous", tmax, record: 1 },
    initial: { I: { nodes: ["0"] } },
    seed: 1,
    runs: 2,
  });
  it("SIS on a contact network runs with a finite tmax, and is refused with tmax = ∞", () => {
    const r = simulate(net, spec({ preset: "SIS", params: { beta: 1, gamma: 1 } }, 10));
    expect(r.engine.name).toMatch(/temporal contact network/);
    expect(() => simulate(net, spec({ preset: "SIS", params: { beta: 1, gamma: 1 } }, Infinity))).toThrow(/^time\.tmax: an endemic model/);
  });
  it("transmission delays with re-infection", () => {
    const plain = csrFromEdges(9, Int32Array.from(EDGES, (e) => e[0]), Int32Array.from(EDGES, (e) => e[1]), EDGES.length);
    expect(() => simulate(plain, spec({ preset: "SIS", params: { beta: 1, gamma: 1 }, delays: { I: { dist: "fixed", value: 0.5 } } }, 10))).toThrow(/^model\.delays: transmission delays need a progressive model/);
  });
});
