/**
 * `model.durations` in scenario files: a valid file loads and resolves to a spec the non-Markovian engine
 * runs; every broken one is a ScenarioError naming the field path, line and column (matched on those, and
 * on a word of the message where the message is the point).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runModel } from "../../src/run.js";
import type { ScenarioIssue } from "../../src/errors.js";

const dir = fileURLToPath(new URL("../../scenarios", import.meta.url));

const SEIR = `network:
  generate: { type: erdos-renyi, n: 200, k: 4 }
model:
  preset: SEIR
  params: { beta: 0.4 }
  durations:
    E: { dist: fixed, value: 2 }
    I: { dist: gamma, mean: 5, shape: 2 }
time: { mode: continuous, tmax: 50 }
initial: { I: { count: 2 } }
runs: 3
`;

function issuesOf(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, "s.yaml", dir);
  } catch (e) {
    expect((e as Error).name).toBe("ScenarioError");
    return (e as { issues: ScenarioIssue[] }).issues;
  }
  throw new Error("expected a ScenarioError");
}
const where = (issues: ScenarioIssue[]) => issues.map(({ path, line, column }) => ({ path, line, column }));

describe("model.durations: valid input", () => {
  it("loads, resolves and runs on the non-Markovian engine", () => {
    const loaded = parseScenario(SEIR, "s.yaml", dir);
    expect(loaded.scenario.model.durations).toEqual({ E: { dist: "fixed", value: 2 }, I: { dist: "gamma", mean: 5, shape: 2 } });
    const resolved = resolveScenario(loaded);
    const result = runModel(resolved.network(), resolved.spec);
    expect(result.engine.name).toMatch(/non-exponential periods.*E: fixed 2; I: gamma\(mean 5, shape 2\)/);
    expect(result.runs).toBe(3);
  });

  it("a sweep over a parameter a duration names gives each point its own period", () => {
    const text = `network: { generate: { type: path, n: 30 } }
model:
  compartments: [S, I, R]
  transitions:
    - { from: S, to: I, rate: beta, by: I }
    - { from: I, to: R, rate: 1 }
  params: { beta: 0.5, period: 1 }
  durations: { I: { dist: fixed, value: period } }
time: { mode: continuous, tmax: .inf }
initial: { I: { nodes: ["0"] } }
sweep: { period: [1, 4] }
`;
    const resolved = resolveScenario(parseScenario(text, "s.yaml", dir));
    const names = resolved.points!.map((p) => runModel(resolved.network(), p.spec).engine.name);
    expect(names[0]).toMatch(/I: fixed 1\)/);
    expect(names[1]).toMatch(/I: fixed 4\)/);
  });
});

describe("model.durations: every problem with its path, line and column", () => {
  it("an unknown compartment points at its name", () => {
    const issues = issuesOf(SEIR.replace("    E: { dist: fixed", "    X: { dist: fixed"));
    expect(where(issues)).toEqual([{ path: "model.durations.X", line: 7, column: 5 }]);
    expect(issues[0].message).toContain('unknown compartment "X"');
  });

  it("the susceptible compartment cannot have a duration", () => {
    const issues = issuesOf(SEIR.replace("    E: { dist: fixed", "    S: { dist: fixed"));
    expect(where(issues)).toEqual([{ path: "model.durations.S", line: 7, column: 5 }]);
  });

  it("a non-positive shape, at its value", () => {
    const issues = issuesOf(SEIR.replace("shape: 2", "shape: 0"));
    expect(where(issues)).toEqual([{ path: "model.durations.I.shape", line: 8, column: 39 }]);
    expect(issues[0].message).toContain("> 0");
  });

  it("a field of another distribution, at its name", () => {
    const issues = issuesOf(SEIR.replace("mean: 5, shape: 2", "mean: 5, sd: 2"));
    expect(issues.map((i) => i.path)).toContain("model.durations.I.sd");
    expect(issues.find((i) => i.path === "model.durations.I.sd")!.line).toBe(8);
  });

  it("an unknown distribution, at the dist value", () => {
    const issues = issuesOf(SEIR.replace("dist: gamma", "dist: pareto"));
    expect(issues[0].path).toBe("model.durations.I.dist");
    expect(issues[0].line).toBe(8);
  });

  it("a compartment with two spontaneous exits", () => {
    const text = `network: { generate: { type: path, n: 30 } }
model:
  compartments: [S, I, R, D]
  transitions:
    - { from: S, to: I, rate: 0.5, by: I }
    - { from: I, to: R, rate: 1 }
    - { from: I, to: D, rate: 0.1 }
  durations:
    I: { dist: fixed, value: 3 }
time: { mode: continuous, tmax: 10 }
initial: { I: { count: 1 } }
`;
    const issues = issuesOf(text);
    expect(where(issues)).toEqual([{ path: "model.durations.I", line: 9, column: 5 }]);
    expect(issues[0].message).toContain("2 spontaneous exits");
  });

  it("discrete time, an endemic model and interventions are refused where they are written", () => {
    expect(where(issuesOf(SEIR.replace("time: { mode: continuous, tmax: 50 }", "time: { mode: discrete, steps: 50 }")))).toEqual([{ path: "time.mode", line: 9, column: 15 }]);
    // An endemic model runs with durations (re-infection), but not with transmission delays.
    expect(() => parseScenario(SEIR.replace("preset: SEIR", "preset: SEIRS"), "s.yaml", dir)).not.toThrow();
    const delayed = issuesOf(SEIR.replace("preset: SEIR", "preset: SEIRS").replace("durations:", "delays:\n    I: { dist: fixed, value: 1 }\n  durations:"));
    expect(delayed.map((i) => i.path)).toEqual(["model.delays"]);
    expect(delayed[0].message).toContain("progressive model");
    const withIntervention = issuesOf(SEIR + "interventions:\n  - { at: 5, scale: beta, by: 0.5 }\n");
    expect(where(withIntervention)).toEqual([{ path: "interventions", line: 13, column: 3 }]);
  });

  it("model.delays: a compartment that induces nothing, at its name; a valid delay runs", () => {
    const text = SEIR.replace("    I: { dist: gamma, mean: 5, shape: 2 }\n", "    I: { dist: gamma, mean: 5, shape: 2 }\n  delays:\n    E: { dist: fixed, value: 1 }\n");
    expect(where(issuesOf(text))).toEqual([{ path: "model.delays.E", line: 10, column: 5 }]);
    const ok = parseScenario(text.replace("    E: { dist: fixed, value: 1 }", "    I: { dist: weibull, shape: 2, scale: 3 }"), "s.yaml", dir);
    const resolved = resolveScenario(ok);
    expect(runModel(resolved.network(), resolved.spec).engine.name).toMatch(/transmission delays I: weibull\(shape 2, scale 3\)/);
  });

  it("durations that are all exponential run anything the Markovian engines run (here: discrete time)", () => {
    const text = SEIR.replace("E: { dist: fixed, value: 2 }", "E: { dist: exponential }")
      .replace("I: { dist: gamma, mean: 5, shape: 2 }", "I: { dist: exponential }")
      .replace("time: { mode: continuous, tmax: 50 }", "time: { mode: discrete, steps: 50 }");
    expect(() => parseScenario(text, "s.yaml", dir)).not.toThrow();
  });
});
