/** Initial conditions: counts, fractions, explicit nodes and strategies. */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { degrees } from "../../src/graph/csr.js";

const star = generateCSR({ type: "star", n: 50 }, 0);
const ba = generateCSR({ type: "barabasi-albert", n: 500, m: 2 }, 3);
const frozen = { preset: "SIR" as const, params: { beta: 0, gamma: 0 } }; // nothing happens: t = 0 is the initial state

describe("initial conditions", () => {
  it("count and fraction seed exactly that many nodes", () => {
    const r1 = simulate(ba, { model: frozen, time: { mode: "continuous", tmax: 1 }, initial: { I: { count: 7 }, R: { fraction: 0.1 } }, seed: 1 });
    expect(r1.mean.I[0]).toBe(7);
    expect(r1.mean.R[0]).toBe(50);
    expect(r1.mean.S[0]).toBe(443);
  });
  it("highest-degree picks the hub of a star", () => {
    const r = simulate(star, { model: frozen, time: { mode: "continuous", tmax: 1 }, initial: { I: { count: 1, strategy: "highest-degree" } }, seed: 1 });
    const hub = r.nodes!.runs[0].state.indexOf("I");
    expect(degrees(star)[hub]).toBe(49);
  });
  it("highest-degree on BA takes the top-k degrees", () => {
    const r = simulate(ba, { model: frozen, time: { mode: "continuous", tmax: 1 }, initial: { I: { count: 10, strategy: "highest-degree" } }, seed: 1 });
    const k = degrees(ba);
    const seeded = r.nodes!.runs[0].state.flatMap((s, i) => (s === "I" ? [k[i]] : []));
    const top = [...k].sort((a, b) => b - a).slice(0, 10);
    expect(seeded.sort((a, b) => b - a)).toEqual(top);
  });
  it("random seeding differs between runs of an ensemble and covers the nodes uniformly", () => {
    const r = simulate(ba, { model: frozen, time: { mode: "continuous", tmax: 1 }, initial: { I: { count: 250 } }, seed: 2, runs: 2, output: { nodes: "all" } });
    const a = r.nodes!.runs[0].state;
    const b = r.nodes!.runs[1].state;
    expect(a).not.toEqual(b);
    // Overlap of two independent uniform 250-of-500 draws is hypergeometric: mean 125, sd ≈ 5.6.
    const overlap = a.filter((s, i) => s === "I" && b[i] === "I").length;
    expect(Math.abs(overlap - 125)).toBeLessThan(4 * 5.6);
  });
  it("explicit nodes are honoured and counted in the final size", () => {
    const r = simulate(star, { model: frozen, time: { mode: "continuous", tmax: 1 }, initial: { I: { nodes: ["3", 4] } }, seed: 1 });
    expect(r.nodes!.runs[0].state[3]).toBe("I");
    expect(r.nodes!.runs[0].state[4]).toBe("I");
    expect(r.finalSize.values).toEqual([2]);
  });
});
