/**
 * A collection used as a mapping key (`params: {{ beta: 1 }}`) is reported as a scenario problem at its
 * position — in files and in REST bodies — instead of being stringified with a process warning.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";

const TEXT = "network: { generate: { type: path, n: 20 } }\nmodel: { preset: SIS, params: {{ beta: 1, gamma: 1 }} }\ntime: { mode: discrete, steps: 10 }\ninitial: { I: { count: 2 } }\n";

const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
afterEach(() => {
  process.off("warning", onWarning);
  warnings.length = 0;
});

describe("collection keys in scenario YAML", () => {
  it("are a ScenarioError at the key's line and column, with no process warning", async () => {
    process.on("warning", onWarning);
    let error: unknown;
    try {
      parseScenario(TEXT, "keys.yaml");
    } catch (e) {
      error = e;
    }
    expect((error as Error).name).toBe("ScenarioError");
    const issues = (error as { issues: { path: string; line?: number; column?: number; message: string }[] }).issues;
    expect(issues).toEqual([expect.objectContaining({ path: "(syntax)", line: 2, column: 32 })]);
    expect(issues[0].message).toMatch(/mapping key must be a name/);
    await new Promise((r) => setImmediate(r)); // process warnings are emitted on the next tick
    expect(warnings.map((w) => w.message)).toEqual([]);
  });

  it("the same text without the extra braces is a valid scenario", () => {
    expect(() => parseScenario(TEXT.replace("{{ beta: 1, gamma: 1 }}", "{ beta: 1, gamma: 1 }"), "keys.yaml")).not.toThrow();
  });
});
