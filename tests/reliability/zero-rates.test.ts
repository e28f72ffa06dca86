/**
 * Issue 15, item 1: a rate of −0 (or an expression that evaluates to −0) and rates or probabilities of exactly
 * 0 and 1 must mean "never" / "always", never an infinite loop or NaN. Before the fix, `beta: -0` made the
 * event-driven SIR path and the discrete engine divide by −0 (a geometric skip of −∞ that never ends).
 * Every case here is bounded by a vitest timeout: a loop is a failure, not a hang.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { simulateCascade } from "../../src/families/cascade/cascade.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { makeApp, sirScenario, waitForRun } from "../server/helpers.js";

const csr = generateCSR({ type: "erdos-renyi", n: 300, k: 6 }, 1);
const NEGATIVE_ZERO = [-0, "-0", "0*-1", "log(1, 0)"] as const;

function run(model: SimulationSpec["model"], time: SimulationSpec["time"], engine?: SimulationSpec["engine"]) {
  return simulate(csr, { model, time, initial: { I: { count: 5 } }, seed: 3, runs: 2, engine });
}

describe("β = −0 is β = 0: only the seeds are ever infected", () => {
  for (const beta of NEGATIVE_ZERO) {
    it(`SIR, continuous (event-driven path), beta = ${JSON.stringify(beta)}`, { timeout: 10_000 }, () => {
      const r = run({ preset: "SIR", params: { beta, gamma: 0.2 } }, { mode: "continuous", tmax: 30, record: 1 });
      expect(r.finalSize.values).toEqual([5, 5]);
    });
    it(`SIR, discrete, beta = ${JSON.stringify(beta)}`, { timeout: 10_000 }, () => {
      const r = run({ preset: "SIR", params: { beta, gamma: 0.2 } }, { mode: "discrete", steps: 30 });
      expect(r.finalSize.values).toEqual([5, 5]);
    });
    it(`SEIR, continuous (composition–rejection and next-reaction), beta = ${JSON.stringify(beta)}`, { timeout: 10_000 }, () => {
      for (const engine of ["auto", "next-reaction"] as const) {
        const r = run({ preset: "SEIR", params: { beta, sigma: 1, gamma: 0.2 } }, { mode: "continuous", tmax: 30, record: 1 }, engine);
        expect(r.finalSize.values).toEqual([5, 5]);
      }
    });
  }
  it("γ = −0: nobody recovers, and the run stops at tmax", { timeout: 10_000 }, () => {
    const r = run({ preset: "SIR", params: { beta: 0.3, gamma: -0 } }, { mode: "continuous", tmax: 20, record: 1 });
    expect(r.mean.R.at(-1)).toBe(0);
    expect(r.times.at(-1)).toBe(20);
  });
});

describe("rates of 0 put events at +∞ even with tmax = ∞", () => {
  it("SIR with γ = 0 and tmax = ∞ ends once every reachable node is infected", { timeout: 10_000 }, () => {
    const r = run({ preset: "SIR", params: { beta: 1, gamma: 0 } }, { mode: "continuous", tmax: Infinity, record: 1 });
    expect(r.mean.R.at(-1)).toBe(0);
    expect(Number.isFinite(r.times.at(-1)!)).toBe(true);
  });
  it("SIR with β = 0 and γ = 0, tmax = ∞: nothing ever happens", { timeout: 10_000 }, () => {
    const r = run({ preset: "SIR", params: { beta: 0, gamma: 0 } }, { mode: "continuous", tmax: Infinity, record: 1 });
    expect(r.finalSize.values).toEqual([5, 5]);
    expect(r.mean.I.at(-1)).toBe(5);
  });
  it("user-defined SIS with rate 0, tmax = ∞, next-reaction engine", { timeout: 10_000 }, () => {
    const model = { compartments: ["S", "I"], transitions: [{ from: "S", to: "I", rate: 0, by: "I" }, { from: "I", to: "S", rate: -0 }] };
    const r = run(model, { mode: "continuous", tmax: Infinity, record: 1 }, "next-reaction");
    expect(r.mean.I.at(-1)).toBe(5);
  });
});

describe("probabilities of exactly 0 and 1 (discrete time, cascades)", () => {
  const model = (p: number) => ({ compartments: ["S", "I", "R"], transitions: [{ from: "S", to: "I", probability: p, by: "I" }, { from: "I", to: "R", probability: 1 }] });
  it("p = 0 and p = −0 infect nobody", { timeout: 10_000 }, () => {
    for (const p of [0, -0]) expect(run(model(p), { mode: "discrete", steps: 10 }).finalSize.values).toEqual([5, 5]);
  });
  it("p = 1 infects every neighbour of a seed in one step, and I → R with p = 1 lasts one step", { timeout: 10_000 }, () => {
    const r = run(model(1), { mode: "discrete", steps: 1 });
    expect(r.mean.R[1]).toBe(5);
    expect(r.mean.I[1]).toBeGreaterThan(5);
  });
  it("independent cascade with probability −0, 0 and 1", { timeout: 10_000 }, () => {
    for (const probability of [-0, 0]) {
      expect(simulateCascade(csr, { model: { type: "independent-cascade", probability }, initial: { active: { count: 3 } }, seed: 1 }).finalSize.mean).toBe(3);
    }
    const all = simulateCascade(csr, { model: { type: "independent-cascade", probability: 1 }, initial: { active: { count: 3 } }, seed: 1 });
    expect(all.finalSize.mean).toBeGreaterThan(250); // the giant component of G(300, k = 6)
  });
});

describe("through the CLI and the API", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const work = mkdtempSync(join(tmpdir(), "spreadlab-zero-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("`spreadlab run` with beta: -0 (and the expressions) exits 0 quickly", { timeout: 60_000 }, () => {
    // (Each spawn costs seconds: the literal in both time modes, and one expression; the rest run in-process above.)
    const cases = [["-0", "continuous"], ["-0", "discrete"], ['"log(1, 0)"', "continuous"]];
    for (const [i, [beta, mode]] of cases.entries()) {
      for (const time of [mode === "continuous" ? "{ mode: continuous, tmax: 20, record: 1 }" : "{ mode: discrete, steps: 20 }"]) {
        const file = join(work, `zero-${i}.yaml`);
        writeFileSync(file, `seed: 1\nnetwork:\n  generate: { type: erdos-renyi, n: 200, k: 4 }\nmodel:\n  preset: SIR\n  params: { beta: ${beta}, gamma: 0.2 }\ntime: ${time}\ninitial: { I: { count: 2 } }\n`);
        const out = spawnSync(process.execPath, [join(root, "bin", "spreadlab.js"), "run", file, "--json"], { encoding: "utf8", timeout: 20_000 });
        expect(out.status, out.stderr).toBe(0);
        expect(JSON.parse(out.stdout).finalSize.values).toEqual([2]);
      }
    }
  });

  it("POST /v1/runs with beta: -0 completes", { timeout: 30_000 }, async () => {
    const t = makeApp();
    try {
      // JSON has no −0 (JSON.stringify(-0) is "0"): send it as YAML text, and as an expression.
      const text = "network: { generate: { type: erdos-renyi, n: 200, k: 4 } }\nmodel: { preset: SIR, params: { beta: -0, gamma: 1 } }\ntime: { mode: continuous, tmax: 20, record: 1 }\ninitial: { I: { count: 2 } }\nruns: 2\n";
      for (const body of [{ scenarioText: text }, { scenario: sirScenario({ model: { preset: "SIR", params: { beta: "0*-1", gamma: 1 } }, runs: 2 }) }]) {
        const res = await t.http.post("/v1/runs").send(body);
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        const row = await waitForRun(t, res.body.id);
        expect(row.status).toBe("succeeded");
      }
    } finally {
      await t.close();
    }
  });
});
