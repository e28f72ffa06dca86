/**
 * The `spreadlab` command, run as users run it: `node bin/spreadlab.js …` in a child process, on small
 * scenarios written to a temporary folder (n ≤ 200, runs ≤ 3, so the file takes a few seconds). Checks exit
 * codes (0 success, 2 invalid input), where errors point (file:line:column and field path), the v1 result
 * JSON, the files `--out` writes, and that a seed reproduces a run exactly.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "spreadlab.js");
const compiledMain = join(root, "dist", "src", "cli", "main.js");
const work = mkdtempSync(join(tmpdir(), "spreadlab-cli-"));

beforeAll(() => {
  // tests/setup/build.ts (vitest globalSetup) compiles dist/ before any test runs.
  if (!existsSync(compiledMain)) throw new Error("dist/ is missing: the vitest global setup should have built it.");
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: "utf8" });
}

function scenario(name: string, text: string): string {
  writeFileSync(join(work, name), text);
  return name;
}

const GOOD = scenario(
  "good.yaml",
  `name: cli test
seed: 3
network:
  generate: { type: erdos-renyi, n: 200, k: 5 }
model:
  preset: SIR
  params: { beta: 0.4, gamma: 1 }
time: { mode: continuous, tmax: 20, record: 1 }
initial: { I: { count: 3 } }
runs: 3
`,
);

// Line 5, column 13: the misspelt parameter name "beat".
const BAD = scenario(
  "bad.yaml",
  `network:
  generate: { type: erdos-renyi, n: 200, k: 5 }
model:
  preset: SIR
  params: { beat: 0.4 }
time: { mode: continuous, tmax: 20 }
initial: { I: { count: 3 } }
`,
);

/** The result with its only run-dependent field removed. */
function withoutTiming(json: string): unknown {
  const result = JSON.parse(json) as Record<string, unknown>;
  expect(typeof result.elapsedMs).toBe("number");
  delete result.elapsedMs;
  return result;
}

describe("spreadlab validate", () => {
  it("accepts a good scenario: exit 0", () => {
    const r = cli("validate", GOOD);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(GOOD);
  });

  it("rejects a bad one: exit 2, with file:line:column and the field path on stderr", () => {
    const r = cli("validate", BAD);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("bad.yaml:5:13");
    expect(r.stderr).toContain("model.params.beat");
    expect(r.stdout).toBe("");
  });

  it("a missing file: exit 2, naming the file", () => {
    const r = cli("validate", "no-such-scenario.yaml");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no-such-scenario.yaml");
  });
});

describe("spreadlab run", () => {
  it("--json prints a v1 result: exit 0", () => {
    const r = cli("run", GOOD, "--json");
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ schemaVersion: 1, scenario: "cli test", seed: 3, runs: 3, n: 200, model: "SIR", compartments: ["S", "I", "R"] });
    // Record every 1 up to tmax = 20 (SIR runs may stop early; the longest run sets the times).
    expect(result.times[0]).toBe(0);
    expect(result.times.length).toBeGreaterThan(1);
    for (const c of ["S", "I", "R"]) {
      expect(result.mean[c]).toHaveLength(result.times.length);
      expect(Object.keys(result.quantiles[c])).toEqual(["0.025", "0.25", "0.5", "0.75", "0.975"]);
      expect(result.quantiles[c]["0.5"]).toHaveLength(result.times.length);
    }
    expect(result.finalSize.values).toHaveLength(3);
    expect(result.finalSize.mean).toBeGreaterThanOrEqual(3); // the seeds count as infected
  });

  it("--out writes result.json, curves.csv, runs.csv, series.csv and nodes.csv with their headers", () => {
    const out = join(work, "out-files");
    const r = cli("run", GOOD, "--out", out, "--quiet");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(readdirSync(out).sort()).toEqual(["curves.csv", "manifest.json", "nodes.csv", "result.json", "runs.csv", "series.csv"]);
    const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    expect(result.schemaVersion).toBe(1);
    expect(result.series).toBeUndefined();
    const lines = (name: string) => readFileSync(join(out, name), "utf8").trimEnd().split("\n");
    const curves = lines("curves.csv");
    expect(curves[0]).toBe("time,compartment,mean,q0.025,q0.25,q0.5,q0.75,q0.975");
    expect(curves).toHaveLength(1 + 3 * result.times.length);
    const runs = lines("runs.csv");
    expect(runs[0]).toBe("run,finalSize,peak,peakTime");
    expect(runs).toHaveLength(1 + 3);
    const series = lines("series.csv");
    expect(series[0]).toBe("run,time,compartment,count");
    expect(series).toHaveLength(1 + 3 * 3 * result.times.length); // 3 runs × 3 compartments
    // The tidy rows reproduce the mean curve: mean over runs of I at the last time.
    const lastI = series.slice(1).map((l) => l.split(",")).filter(([, t, c]) => Number(t) === result.times.at(-1) && c === "I");
    expect(lastI.reduce((s, [, , , n]) => s + Number(n), 0) / 3).toBeCloseTo(result.mean.I.at(-1), 9);
    const nodes = lines("nodes.csv");
    expect(nodes[0]).toBe("run,node,state");
    expect(nodes).toHaveLength(1 + 200); // the first run's final states, by default
  });

  it("the same seed gives the same result, apart from elapsedMs; another seed does not", () => {
    const a = cli("run", GOOD, "--json");
    const b = cli("run", GOOD, "--json");
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(withoutTiming(b.stdout)).toEqual(withoutTiming(a.stdout));
    const c = cli("run", GOOD, "--json", "--seed", "4");
    expect(c.status).toBe(0);
    expect(JSON.parse(c.stdout).seed).toBe(4);
    expect(withoutTiming(c.stdout)).not.toEqual(withoutTiming(a.stdout));
  });

  it("--runs overrides the file", () => {
    const r = cli("run", GOOD, "--json", "--runs", "2");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).runs).toBe(2);
  });

  it("invalid input exits 2: a bad scenario, a missing file, --runs 0", () => {
    expect(cli("run", BAD).status).toBe(2);
    expect(cli("run", "no-such-scenario.yaml").status).toBe(2);
    expect(cli("run", GOOD, "--runs", "0").status).toBe(2);
  });
});

describe("spreadlab models", () => {
  it("lists SIR with its parameters", () => {
    const r = cli("models");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^SIR\b/m);
    expect(r.stdout).toMatch(/^\s+beta = /m);
  });

  it("--json lists SIR", () => {
    const r = cli("models", "--json");
    expect(r.status).toBe(0);
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((m) => m.id);
    expect(ids).toContain("SIR");
  });
});
