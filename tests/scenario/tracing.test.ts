/**
 * Testing and tracing entries in scenario files: a valid file loads, resolves and runs on the tracing kernel
 * with the counts in the result; every broken one is a ScenarioError naming the field path, line and column.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runModel } from "../../src/run.js";
import type { ScenarioIssue } from "../../src/errors.js";
import type { SimulationResult } from "../../src/families/compartmental/simulate.js";
import { summary } from "../../src/cli/summary.js";
import { runsCsv } from "../../src/cli/output.js";

const dir = fileURLToPath(new URL("../../scenarios", import.meta.url));

const base = (interventions: string, model = "  preset: SIR\n  params: { beta: 0.5, gamma: 0.3 }\n", time = "time: { mode: continuous, tmax: 60 }\n") => `network:
  generate: { type: erdos-renyi, n: 300, k: 5 }
model:
${model}${time}initial: { I: { count: 3 } }
runs: 4
interventions:
${interventions}`;

const GOOD = base(`  - at: 0
    testing: { rate: 0.4, among: [I], delay: 1, isolation: .inf }
  - at: 2
    until: 40
    tracing: { probability: 0.8, contacts: transmissions, window: 5, levels: 2 }
`);

function issuesOf(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, "s.yaml", dir);
  } catch (e) {
    expect((e as Error).name).toBe("ScenarioError");
    return (e as { issues: ScenarioIssue[] }).issues;
  }
  throw new Error("expected a ScenarioError");
}
const where = (issues: ScenarioIssue[]) => issues.map(({ path, line }) => ({ path, line }));

describe("testing and tracing in scenario files", () => {
  it("load, resolve and run, with the counts per run and their summary", () => {
    const loaded = parseScenario(GOOD, "s.yaml", dir);
    expect(loaded.scenario.interventions![0]).toEqual({ at: 0, testing: { rate: 0.4, among: ["I"], delay: 1, isolation: Infinity } });
    const resolved = resolveScenario(loaded);
    const result = runModel(resolved.network(), resolved.spec) as SimulationResult;
    expect(result.engine.name).toMatch(/testing and tracing.*tracing transmissions with probability 0\.8/);
    expect(Object.keys(result.testing!)).toEqual(["tests", "positives", "isolations", "traced", "quarantined", "quarantinedUninfected"]);
    expect(result.testing!.tests.values).toHaveLength(4);
    expect(result.testing!.tests.mean).toBeGreaterThan(0);
    // The CLI prints and writes them with labels.
    expect(summary(result)).toMatch(/testing .* tests, .* positive, .* isolated per run\n.*tracing .* contacts traced, .* quarantined \(.* of them uninfected\) per run/);
    const csv = runsCsv(result).trim().split("\n");
    expect(csv[0]).toBe("run,finalSize,peak,peakTime,tests,positives,isolations,traced,quarantined,quarantinedUninfected");
    expect(csv[1].split(",").slice(4).map(Number)).toEqual(["tests", "positives", "isolations", "traced", "quarantined", "quarantinedUninfected"].map((k) => result.testing![k as "tests"].values[0]));
  });

  it("run in sweeps: every point gets its own counts", () => {
    const resolved = resolveScenario(parseScenario(`${GOOD}sweep: { beta: [0.05, 0.8] }\n`, "s.yaml", dir));
    const network = resolved.network();
    const [low, high] = resolved.points!.map((p) => runModel(network, p.spec) as SimulationResult);
    expect(low.testing!.positives.values).toHaveLength(4);
    expect(high.finalSize.mean).toBeGreaterThan(low.finalSize.mean);
    expect(high.testing!.positives.mean).toBeGreaterThan(low.testing!.positives.mean);
  });

  it.each([
    [base(`  - at: 0\n    testing: { rate: -1 }\n`), "interventions[0].testing.rate", 11],
    [base(`  - at: 0\n    testing:\n      rate: 1\n      among: [I, X]\n`), "interventions[0].testing.among[1]", 13],
    [base(`  - at: 0\n    testing: { rate: 1 }\n  - at: 0\n    tracing: { probability: 1, levels: 3 }\n`), "interventions[1].tracing.levels", 13],
    [base(`  - at: 0\n    tracing: { probability: 0.5 }\n`), "interventions[0].tracing", 11],
    [base(`  - at: 0\n    testing: { rate: 1 }\n  - { at: 3, scale: beta, by: 0.5 }\n`), "interventions[1]", 12],
    [base(`  - at: 0\n    testing: { rate: 1 }\n`, "  preset: SIS\n  params: { beta: 0.5, gamma: 0.3 }\n"), "interventions[0].testing", 11],
    [base(`  - at: 0\n    testing: { rate: 1 }\n`, undefined, "time: { mode: discrete, steps: 10 }\n"), "time.mode", 6],
  ])("%# reports the field with its line", (text, path, line) => {
    const issues = issuesOf(text);
    expect(where(issues)).toContainEqual({ path, line });
  });
});
