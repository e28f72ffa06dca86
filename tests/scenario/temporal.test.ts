/**
 * `network.contacts` in scenario files (temporal contact networks): a valid file loads, resolves and runs on the
 * temporal kernel, the same in worker threads as in-process; broken ones are ScenarioErrors naming the field path
 * and line, and errors inside the contact file name that file and its line.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runModel, runModelParallel } from "../../src/run.js";
import type { ScenarioIssue } from "../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "spreadlab-contacts-"));
writeFileSync(join(dir, "events.tsv"), "t\ti\tj\n0\ta\tb\n20\ta\tb\n40\tb\tc\n60\tc\td\n80\td\te\n100\ta\te\n");
writeFileSync(join(dir, "broken.csv"), "i,j,start,end\na,b,0,1\nb,c,2,oops\n");

const scenario = (network: string, extra = "") => `network:
${network}
model:
  preset: SIR
  params: { beta: 0.05, gamma: 0.001 }
time: { mode: continuous, tmax: 500, record: 50 }
initial: { I: { nodes: [a] } }
runs: 40
seed: 5
${extra}`;

const EVENTS = "  contacts: { file: events.tsv, format: events, resolution: 20, period: 120 }";

function issuesOf(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, "s.yaml", dir);
  } catch (e) {
    expect((e as Error).name).toBe("ScenarioError");
    return (e as { issues: ScenarioIssue[] }).issues;
  }
  throw new Error("expected a ScenarioError");
}

describe("network.contacts: valid input", () => {
  it("loads, resolves and runs on the temporal kernel; workers give the same runs", async () => {
    const resolved = resolveScenario(parseScenario(scenario(EVENTS), "s.yaml", dir));
    const network = resolved.network();
    const result = runModel(network, resolved.spec);
    expect(result.engine.name).toMatch(/temporal contact network \(5 pairs, 5 windows, period 120/);
    expect(result.n).toBe(5);
    // Some runs spread beyond the seed (β·20 per slot, periods repeat for 500 time units).
    expect(Math.max(...result.finalSize.values)).toBeGreaterThan(1);
    const pooled = await runModelParallel(network, resolved.spec, { workers: 2, offThread: true });
    expect(pooled.finalSize.values).toEqual(result.finalSize.values);
  });
});

describe("network.contacts: errors with their lines", () => {
  it("events without a resolution: the format's line", () => {
    const issues = issuesOf(scenario("  contacts: { file: events.tsv, format: events }"));
    expect(issues.map((i) => [i.path, i.line])).toEqual([["network.contacts.format", 2]]);
    expect(issues[0].message).toMatch(/resolution/);
  });

  it("a second network source, an unknown format, and a discrete-time run", () => {
    const both = issuesOf(scenario(`${EVENTS}\n  generate: { type: path, n: 5 }`));
    expect(both.some((i) => i.path === "network" && /exactly one/.test(i.message))).toBe(true);
    const format = issuesOf(scenario("  contacts: { file: events.tsv, format: matrix }"));
    expect(format[0].path).toBe("network.contacts.format");
    expect(format[0].line).toBe(2);
    const discrete = issuesOf(scenario(EVENTS).replace("time: { mode: continuous, tmax: 500, record: 50 }", "time: { mode: discrete, steps: 10 }"));
    expect(discrete.map((i) => [i.path, i.line])).toEqual([["time.mode", 6]]);
  });

  it("an endemic model (SIS) loads and runs (re-infection, tests/engine/temporal-sis.test.ts)", () => {
    const text = scenario(EVENTS).replace("preset: SIR", "preset: SIS");
    const resolved = resolveScenario(parseScenario(text, "s.yaml", dir)); // no ScenarioError
    expect(runModel(resolved.network(), resolved.spec).engine.name).toMatch(/temporal contact network/);
  });

  it("a bad row in the contact file: that file and line", () => {
    const resolved = resolveScenario(parseScenario(scenario("  contacts: { file: broken.csv, format: intervals }"), "s.yaml", dir));
    expect(() => resolved.network()).toThrow(/^broken\.csv:3: end "oops" is not a number/);
  });

  it("a missing contact file", () => {
    const resolved = resolveScenario(parseScenario(scenario("  contacts: { file: nowhere.csv, format: intervals }"), "s.yaml", dir));
    expect(() => resolved.network()).toThrow(/nowhere\.csv: cannot read the contact file: no such file/);
  });
});

describe("network.contacts from the command line (dist/)", () => {
  const bin = join(process.cwd(), "bin", "spreadlab.js");
  const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8" });

  it("validate: the example is ok; a bad contact row names the field, the file and its line", () => {
    const ok = cli("validate", join(process.cwd(), "scenarios", "seir-school-contacts.yaml"));
    expect(ok.status, ok.stderr).toBe(0);
    writeFileSync(join(dir, "bad.yaml"), scenario("  contacts: { file: broken.csv, format: intervals }"));
    const bad = cli("validate", "bad.yaml");
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/bad\.yaml: network\.contacts: broken\.csv:3: end "oops" is not a number/);
  });
});
