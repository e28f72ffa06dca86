/**
 * Issue 15, item 2: result-size caps that cannot be bypassed. The exact inputs of the issue — `tmax: .inf`
 * with `record: 1e-6` (server memory 134 MB → 4.98 GB, then RangeError: Invalid string length) and
 * `output.history: true` on an SIS run (4.55 GB in 300 s) — must be refused, fast, with LimitError (exit 2
 * in the CLI, 422 / a failed job in the API). Caps are checked before the first run with the formula in the
 * message (ensemble/caps.ts); the two outputs whose size is only known while running (record times of an
 * open-ended run, history events) stop with the same error when they pass their budget.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generateCSR } from "../../src/graph/generators/index.js";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { simulateCascade } from "../../src/families/cascade/cascade.js";
import { simulateField } from "../../src/families/field/reaction-diffusion.js";
import { simulateEnsemble } from "../../src/ensemble/pool.js";
import { checkResultSize, DEFAULT_CAPS } from "../../src/ensemble/caps.js";
import { makeApp, sirScenario, waitForRun } from "../server/helpers.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "spreadlab.js");
const work = mkdtempSync(join(tmpdir(), "spreadlab-caps-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const er = generateCSR({ type: "erdos-renyi", n: 2000, k: 6 }, 1);
const SIR = { preset: "SIR" as const, params: { beta: 0.5, gamma: 1 } };

function caught(f: () => unknown): Error & { path?: string; limit?: string } {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("library: tmax Infinity with record 1e-6 (the issue's input)", () => {
  it("one run stops with LimitError at its record-time budget, maxRecordValues / (C × (runs + 6))", () => {
    const e = caught(() => simulate(er, { model: SIR, time: { mode: "continuous", tmax: Infinity, record: 1e-6 }, initial: { I: { count: 5 } }, seed: 1 }));
    expect(e.name).toBe("LimitError");
    expect(e.path).toBe("time.tmax");
    const budget = Math.floor(DEFAULT_CAPS.maxRecordValues / (3 * (1 + 6)));
    // The run stopped at its budget: the time it reached is budget × record (to rounding).
    const t = Number(/t = ([\d.e+-]+)/.exec(e.message)![1]);
    expect(t).toBeCloseTo(budget * 1e-6, 3);
  });

  it("the same run through the worker pool fails with the same named error (it crosses the worker boundary)", async () => {
    const spec = { model: SIR, time: { mode: "continuous" as const, tmax: Infinity, record: 1e-6 }, initial: { I: { count: 5 } }, seed: 1, runs: 4 };
    await expect(simulateEnsemble(er, spec, { workers: 2 })).rejects.toMatchObject({ name: "LimitError", path: "time.tmax" });
  });

  it("a finite grid over the cap is refused before running, with the formula", () => {
    const e = caught(() => simulate(er, { model: SIR, time: { mode: "continuous", tmax: 100, record: 1e-3 }, initial: { I: { count: 5 } }, runs: 100 }));
    expect(e.name).toBe("LimitError");
    expect(e.limit).toBe("maxRecordValues");
    // 10^5 + 1 record times × (3 × (100 + 6)) + 100 × 6 = 31,800,918 values.
    expect(e.message).toContain("100001 record times × (3 × (100 + 6)) + 100 × 6");
    expect(e.message).toContain("3.18·10^7 values");
  });

  it("record times per run over maxRecordTimes are refused before running", () => {
    const e = caught(() => simulate(er, { model: SIR, time: { mode: "continuous", tmax: 1, record: 1e-7 }, initial: { I: { count: 5 } } }));
    expect(e).toMatchObject({ name: "LimitError", limit: "maxRecordTimes", path: "time.record" });
  });

  it("every node's state in every run counts: output.nodes all over the cap is refused", () => {
    const big = generateCSR({ type: "erdos-renyi", n: 100_000, k: 2 }, 1);
    const e = caught(() => simulate(big, { model: SIR, time: { mode: "continuous", tmax: 10, record: 1 }, initial: { I: { count: 5 } }, runs: 300, output: { nodes: "all", infectionTimes: true } }));
    expect(e).toMatchObject({ name: "LimitError", path: "output.nodes" });
  });

  it("an endemic model with tmax Infinity is refused: it may never run out of events", () => {
    const e = caught(() => simulate(er, { model: { preset: "SIS", params: { beta: 0.5, gamma: 1 } }, time: { mode: "continuous", tmax: Infinity, record: 1 }, initial: { I: { count: 5 } } }));
    expect(e.name).toBe("SimulationError");
  });

  it("open-ended runs that end well within the budget are untouched (SIR to extinction, record 0.5)", () => {
    const r = simulate(er, { model: { preset: "SIR", params: { beta: 0.1, gamma: 1 } }, time: { mode: "continuous", tmax: Infinity, record: 0.5 }, initial: { I: { count: 5 } }, runs: 20 });
    expect(r.times.length).toBeGreaterThan(1);
  });
});

describe("library: history, cascades and fields", () => {
  it("SIS with output.history stops with LimitError when the kept run passes maxHistoryEvents", () => {
    const e = caught(() =>
      simulate(er, { model: { preset: "SIS", params: { beta: 0.5, gamma: 1 } }, time: { mode: "continuous", tmax: 1e6 }, initial: { I: { count: 10 } }, output: { history: true }, limits: { maxHistoryEvents: 50_000 } }),
    );
    expect(e).toMatchObject({ name: "LimitError", path: "output.history", limit: "maxHistoryEvents" });
  });

  it("history budget is shared by the kept runs (output.nodes all): each run gets maxHistoryEvents / runs", () => {
    const budget = checkResultSize({ runs: 10, recordTimes: 11, recordPath: "time.record", compartments: 2, n: 100, keptRuns: 10, perNode: 1, fieldVariables: 0, history: true }, { ...DEFAULT_CAPS, maxHistoryEvents: 1000 });
    expect(budget.historyLimit).toBe(100);
  });

  it("cascade: a round grid over the cap is refused before running (maxRounds)", () => {
    const e = caught(() => simulateCascade(er, { model: { type: "independent-cascade", probability: 0.1 }, initial: { active: { count: 3 } }, runs: 100, maxRounds: 1e6 }));
    expect(e).toMatchObject({ name: "LimitError", path: "maxRounds" });
  });

  it("field: values per node per record time count (heat on 2000 nodes, 10^4 record times)", () => {
    const e = caught(() => simulateField(er, { model: { preset: "heat", params: { D: 1 } }, initial: { u: { all: 1 } }, time: { tmax: 10, record: 1e-3 } }));
    expect(e).toMatchObject({ name: "LimitError", path: "output.field" });
  });
});

function cli(file: string, text: string, ...args: string[]) {
  writeFileSync(join(work, file), text);
  return spawnSync(process.execPath, [bin, "run", file, "--quiet", ...args], { cwd: work, encoding: "utf8" });
}

describe("CLI", () => {
  const INF = `name: inf
seed: 1
network: { generate: { type: erdos-renyi, n: 2000, k: 6 } }
model: { type: compartmental, preset: SIR, params: { beta: 0.5, gamma: 1 } }
time: { mode: continuous, tmax: .inf, record: 1e-6 }
initial: { I: { count: 5 } }
`;
  it("tmax: .inf with record: 1e-6 exits 2 with LimitError's message, and writes nothing", () => {
    const r = cli("inf.yaml", INF + "output: { dir: out/inf }\n");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/time\.tmax: the run was still going/);
    expect(spawnSync("ls", [join(work, "out")]).status).not.toBe(0);
  });

  it("--max-record-values lowers the cap: refused before running, with the formula", () => {
    const r = cli("small.yaml", INF.replace("tmax: .inf, record: 1e-6", "tmax: 100, record: 0.01"), "--max-record-values", "1000");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("more than the limit of 1000 (maxRecordValues)");
  });

  it("SIS with output.history: true (the issue's input) exits 2 at the default history cap", () => {
    const r = cli(
      "sis.yaml",
      `name: sis-history
seed: 1
network: { generate: { type: erdos-renyi, n: 1000, k: 6 } }
model: { type: compartmental, preset: SIS, params: { beta: 0.5, gamma: 1 } }
time: { mode: continuous, tmax: 100000 }
initial: { I: { count: 10 } }
output: { history: true }
`,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`output.history: a kept run passed ${(DEFAULT_CAPS.maxHistoryEvents).toExponential(2).replace("e+", "·10^")} state changes`);
  }, 60_000);
});

describe("REST API", () => {
  it("tmax .inf with record 1e-6: 100 runs leave no budget of two record times → 422; one run fails with LimitError", async () => {
    const t = makeApp({ rateLimit: 0, workers: 1, maxRecordValues: 1000 });
    // JSON has no Infinity: the YAML text carries tmax .inf, as a client sends it.
    const yaml = `name: inf\nseed: 1\nnetwork: { generate: { type: erdos-renyi, n: 200, k: 6 } }\nmodel: { type: compartmental, preset: SIR, params: { beta: 0.5, gamma: 1 } }\ntime: { mode: continuous, tmax: .inf, record: 1e-6 }\ninitial: { I: { count: 5 } }\n`;
    const many = await t.http.post("/v1/runs").send({ scenarioText: yaml + "runs: 100\n" });
    expect(many.status).toBe(422);
    expect(many.body).toMatchObject({ type: "https://spreadlab.dev/problems/result-too-large", errors: [{ path: "time.tmax" }] });
    const one = await t.http.post("/v1/runs").send({ scenarioText: yaml });
    expect(one.status).toBe(202);
    const row = await waitForRun(t, one.body.id);
    expect(row).toMatchObject({ status: "failed", error: { name: "LimitError" } });
    expect(t.logs.filter((l) => l.includes("failed unexpectedly"))).toEqual([]);
    await t.close();
  });

  it("SIS with output.history: the job fails with LimitError at the server's maxHistoryEvents", async () => {
    const t = makeApp({ rateLimit: 0, workers: 1, maxHistoryEvents: 20_000 });
    const res = await t.http.post("/v1/runs").send({ scenario: sirScenario({ runs: 1, model: { type: "compartmental", preset: "SIS", params: { beta: 0.5, gamma: 1 } }, time: { mode: "continuous", tmax: 100000 }, output: { history: true } }) });
    expect(res.status).toBe(202);
    const row = await waitForRun(t, res.body.id);
    expect(row).toMatchObject({ status: "failed", error: { name: "LimitError" } });
    expect((row.error as { message: string }).message).toMatch(/^output\.history: a kept run passed 20000 state changes/);
    const health = await t.http.get("/v1/health");
    expect(health.body.limits).toMatchObject({ maxHistoryEvents: 20_000, maxRecordValues: DEFAULT_CAPS.maxRecordValues });
    await t.close();
  });
});
