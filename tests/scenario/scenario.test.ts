/**
 * Scenario files: parsing fills the defaults, and every broken input is a ScenarioError whose `issues` name
 * the field path and the 1-based line and column of the offending text (a field's name when the name is the
 * problem, its value otherwise). Errors are matched on `name`, `issues[].path`, `line` and `column`, never on
 * message text — except that a misspelt name must come with a "Did you mean" suggestion.
 * Then resolving: generated networks depend on the seed alone, overrides apply, and a relative network file
 * is read from the scenario's folder whatever the working directory.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario, type LoadOptions } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ScenarioIssue } from "../../src/errors.js";

const scenariosDir = fileURLToPath(new URL("../../scenarios", import.meta.url));

/** A valid SIR scenario; `edit` swaps in the lines under test. */
const SIR = `name: test
network:
  generate: { type: erdos-renyi, n: 100, k: 4 }
model:
  preset: SIR
  params: { beta: 0.3, gamma: 1 }
time: { mode: continuous, tmax: 10 }
initial: { I: { count: 2 } }
`;

/** The issues of a scenario that must fail to load. */
function issuesOf(text: string, options: LoadOptions = {}, dir = scenariosDir): ScenarioIssue[] {
  try {
    parseScenario(text, "s.yaml", dir, options);
  } catch (e) {
    expect((e as Error).name).toBe("ScenarioError");
    return (e as { issues: ScenarioIssue[] }).issues;
  }
  throw new Error("expected a ScenarioError");
}

/** Path, line and column of each issue, for exact comparison. */
const where = (issues: ScenarioIssue[]) => issues.map(({ path, line, column }) => ({ path, line, column }));

describe("parseScenario: valid input", () => {
  it("reads YAML and fills the defaults (seed 0, runs 1, compartmental model)", () => {
    const { scenario, file, dir } = parseScenario(SIR, "s.yaml", scenariosDir);
    expect(file).toBe("s.yaml");
    expect(dir).toBe(scenariosDir);
    expect(scenario.seed).toBe(0);
    expect(scenario.runs).toBe(1);
    expect(scenario.model).toEqual({ type: "compartmental", preset: "SIR", params: { beta: 0.3, gamma: 1 } });
    expect(scenario.network.generate).toEqual({ type: "erdos-renyi", n: 100, k: 4 });
    expect(scenario.time).toEqual({ mode: "continuous", tmax: 10 });
    expect(scenario.initial).toEqual({ I: { count: 2 } });
  });

  it("reads the same scenario written as JSON", () => {
    const json = JSON.stringify({
      name: "test",
      network: { generate: { type: "erdos-renyi", n: 100, k: 4 } },
      model: { preset: "SIR", params: { beta: 0.3, gamma: 1 } },
      time: { mode: "continuous", tmax: 10 },
      initial: { I: { count: 2 } },
    }, null, 2);
    expect(parseScenario(json, "s.json").scenario).toEqual(parseScenario(SIR, "s.yaml").scenario);
  });

  it("keeps given seed and runs, and accepts a user-defined model and discrete time", () => {
    const text = `seed: 42
runs: 7
network: { generate: { type: path, n: 5 } }
model:
  compartments: [S, I, R]
  transitions:
    - { from: S, to: I, probability: 0.5, by: I }
    - { from: I, to: R, probability: 1 }
time: { mode: discrete, steps: 10 }
initial: { I: { nodes: ["0"] } }
`;
    const { scenario } = parseScenario(text);
    expect(scenario.seed).toBe(42);
    expect(scenario.runs).toBe(7);
    expect(scenario.model.transitions).toHaveLength(2);
  });
});

describe("parseScenario: every problem with its path, line and column", () => {
  it("an unknown top-level field points at its name and suggests the near one", () => {
    const issues = issuesOf(SIR + "rnus: 5\n");
    expect(where(issues)).toEqual([{ path: "rnus", line: 9, column: 1 }]);
    expect(issues[0].file).toBe("s.yaml");
    expect(issues[0].message).toContain('Did you mean "runs"');
  });

  it("a typo inside initial.I", () => {
    const issues = issuesOf(SIR.replace("initial: { I: { count: 2 } }", "initial:\n  I: { cont: 2 }"));
    expect(where(issues)).toEqual([{ path: "initial.I.cont", line: 9, column: 8 }]);
    expect(issues[0].message).toContain('Did you mean "count"');
  });

  it("an unknown generator type points at the type's value", () => {
    const issues = issuesOf(SIR.replace("type: erdos-renyi", "type: erdos-renyy"));
    expect(where(issues)).toEqual([{ path: "network.generate.type", line: 3, column: 21 }]);
    expect(issues[0].message).toContain('Did you mean "erdos-renyi"');
  });

  it("an unknown generator parameter points at its name", () => {
    const issues = issuesOf(SIR.replace("n: 100, k: 4", "n: 100, kk: 4"));
    expect(where(issues)).toEqual([{ path: "network.generate.kk", line: 3, column: 42 }]);
  });

  it("an unknown preset parameter (beat for beta)", () => {
    const issues = issuesOf(SIR.replace("beta: 0.3", "beat: 0.3"));
    expect(where(issues)).toEqual([{ path: "model.params.beat", line: 6, column: 13 }]);
    expect(issues[0].message).toContain('Did you mean "beta"');
  });

  it("a negative preset parameter is reported where it is written, not in the preset's hidden transitions", () => {
    const issues = issuesOf(SIR.replace("gamma: 1", "gamma: -1"));
    expect(where(issues)).toEqual([{ path: "model.params.gamma", line: 6, column: 31 }]);
  });

  const custom = (transitions: string, extra = "") => `network:
  generate: { type: erdos-renyi, n: 100 }
model:
  compartments: [S, I, R]${extra}
  transitions:
${transitions}time: { mode: continuous, tmax: 10 }
initial: { I: { count: 1 } }
`;

  it("a negative rate in a user-defined transition: model.transitions[1].rate, at the value", () => {
    const issues = issuesOf(custom("    - { from: S, to: I, rate: 0.1, by: I }\n    - { from: I, to: R, rate: -1 }\n"));
    expect(where(issues)).toEqual([{ path: "model.transitions[1].rate", line: 7, column: 31 }]);
  });

  it("a rate naming a parameter whose value is negative is reported at that transition's rate", () => {
    const issues = issuesOf(custom("    - { from: S, to: I, rate: 0.1, by: I }\n    - { from: I, to: R, rate: gamma }\n", "\n  params: { gamma: -1 }"));
    expect(where(issues)).toEqual([{ path: "model.transitions[1].rate", line: 8, column: 31 }]);
  });

  it("a rate naming an unknown parameter suggests the near one", () => {
    const issues = issuesOf(custom("    - { from: S, to: I, rate: beta, by: I }\n    - { from: I, to: R, rate: 1 }\n", "\n  params: { betta: 0.1 }"));
    expect(where(issues)).toEqual([{ path: "model.transitions[0].rate", line: 7, column: 31 }]);
    // The rate is read as an expression over the parameters; its unknown symbol gets the suggestion.
    expect(issues[0].message).toMatch(/did you mean "betta"/i);
  });

  it("transitions to unknown compartments: every one is reported", () => {
    const issues = issuesOf(custom("    - { from: S, to: Y, rate: 0.1, by: I }\n    - { from: I, to: X, rate: 1 }\n"));
    expect(where(issues)).toEqual([
      { path: "model.transitions[0].to", line: 6, column: 22 },
      { path: "model.transitions[1].to", line: 7, column: 22 },
    ]);
  });

  it("per-step probabilities need discrete time", () => {
    const issues = issuesOf(custom("    - { from: S, to: I, probability: 0.1, by: I }\n    - { from: I, to: R, rate: 1 }\n"));
    expect(where(issues)).toEqual([{ path: "time.mode", line: 8, column: 15 }]);
  });

  it("an initial compartment the model does not have points at its name", () => {
    const issues = issuesOf(SIR.replace("initial: { I: { count: 2 } }", "initial: { E: { count: 2 } }"));
    expect(where(issues)).toEqual([{ path: "initial.E", line: 8, column: 12 }]);
  });

  it("seeding the susceptible compartment is refused", () => {
    const issues = issuesOf(SIR.replace("initial: { I: { count: 2 } }", "initial: { S: { count: 2 } }"));
    expect(where(issues)).toEqual([{ path: "initial.S", line: 8, column: 12 }]);
  });

  it("both generate and file", () => {
    const issues = issuesOf(SIR.replace("  generate:", "  file: networks/kite.csv\n  generate:"));
    expect(where(issues)).toEqual([{ path: "network", line: 3, column: 3 }]);
  });

  it("neither generate nor file", () => {
    const issues = issuesOf(SIR.replace("  generate: { type: erdos-renyi, n: 100, k: 4 }", "  directed: false"));
    expect(where(issues)).toEqual([{ path: "network", line: 3, column: 3 }]);
  });

  describe("network.file outside the scenario's folder", () => {
    const withFile = (file: string) => SIR.replace("  generate: { type: erdos-renyi, n: 100, k: 4 }", `  file: ${file}`);

    it.each(["../kite.csv", "networks/../../kite.csv", "/etc/passwd"])("%s is refused", (file) => {
      expect(where(issuesOf(withFile(file)))).toEqual([{ path: "network.file", line: 3, column: 9 }]);
    });

    it("is accepted with allowOutside", () => {
      expect(() => parseScenario(withFile("../kite.csv"), "s.yaml", scenariosDir, { allowOutside: true })).not.toThrow();
      expect(() => parseScenario(withFile("/etc/passwd"), "s.yaml", scenariosDir, { allowOutside: true })).not.toThrow();
    });

    it("a name that merely starts with two dots, or a path that comes back inside, is not outside", () => {
      expect(() => parseScenario(withFile("..kite.csv"), "s.yaml", scenariosDir)).not.toThrow();
      expect(() => parseScenario(withFile("networks/../networks/kite.csv"), "s.yaml", scenariosDir)).not.toThrow();
    });
  });

  it("a YAML syntax error gives its line", () => {
    const issues = issuesOf("network:\n  generate: { type: erdos-renyi, n: 100\nmodel: { preset: SIR }\n");
    expect(issues.length).toBeGreaterThanOrEqual(1);
    expect(issues[0].path).toBe("(syntax)");
    expect(issues[0].line).toBe(3);
    expect(issues[0].column).toBe(1);
  });

  it("a document that is not a mapping", () => {
    expect(where(issuesOf("- just\n- a list\n"))).toEqual([{ path: "(root)", line: 1, column: 1 }]);
  });

  it("reports several problems at once, schema and semantic alike, in file order", () => {
    const text = `network:
  generate: { type: erdos-renyy, n: 100 }
model: { preset: SIR, params: { beat: 1 } }
time: { mode: continuous, tmax: -1 }
initial: { I: { cont: 1 } }
rnus: 2
`;
    expect(where(issuesOf(text))).toEqual([
      { path: "network.generate.type", line: 2, column: 21 },
      { path: "model.params.beat", line: 3, column: 33 },
      { path: "time.tmax", line: 4, column: 33 },
      { path: "initial.I.cont", line: 5, column: 17 },
      { path: "rnus", line: 6, column: 1 },
    ]);
  });

  it("positions are found in JSON too", () => {
    const json = `{
  "network": { "generate": { "type": "erdos-renyi", "n": 100 } },
  "model": { "preset": "SIR", "params": { "beat": 1 } },
  "time": { "mode": "continuous", "tmax": 10 },
  "initial": { "I": { "count": 1 } },
  "rnus": 3
}`;
    expect(where(issuesOf(json))).toEqual([
      { path: "model.params.beat", line: 3, column: 43 },
      { path: "rnus", line: 6, column: 3 },
    ]);
  });
});

describe("resolveScenario", () => {
  const arrays = (csr: { offsets: Int32Array; targets: Int32Array }) => ({ offsets: Array.from(csr.offsets), targets: Array.from(csr.targets) });

  it("generates the network from the scenario seed, the same every time", () => {
    const seeded = (seed: number) => resolveScenario(parseScenario(`seed: ${seed}\n` + SIR)).network();
    const a = seeded(5);
    expect(a.n).toBe(100);
    expect(arrays(seeded(5))).toEqual(arrays(a));
    expect(arrays(seeded(6))).not.toEqual(arrays(a));
  });

  it("network.seed fixes the network while the scenario seed changes", () => {
    const text = (seed: number) => `seed: ${seed}\n` + SIR.replace("n: 100, k: 4 }", "n: 100, k: 4 }\n  seed: 9");
    const a = resolveScenario(parseScenario(text(1)));
    const b = resolveScenario(parseScenario(text(2)));
    expect(a.spec.seed).not.toBe(b.spec.seed);
    expect(arrays(b.network())).toEqual(arrays(a.network()));
  });

  it("--runs and --seed override the file, and the overriding seed also drives the generator", () => {
    const loaded = parseScenario("seed: 3\nruns: 10\n" + SIR, "dir/my-scenario.yaml");
    const plain = resolveScenario(loaded);
    expect(plain.spec.runs).toBe(10);
    expect(plain.spec.seed).toBe(3);
    const over = resolveScenario(loaded, { runs: 2, seed: 8 });
    expect(over.spec.runs).toBe(2);
    expect(over.spec.seed).toBe(8);
    expect(arrays(over.network())).toEqual(arrays(resolveScenario(parseScenario("seed: 8\n" + SIR)).network()));
  });

  it("names the result after the file when the scenario has no name", () => {
    const resolved = resolveScenario(parseScenario(SIR.replace("name: test\n", ""), "some/dir/flu-2024.yaml"));
    expect(resolved.name).toBe("flu-2024");
    expect(resolved.spec.name).toBe("flu-2024");
  });

  it("reads a relative network.file from the scenario's folder, not the working directory", () => {
    const text = SIR.replace("  generate: { type: erdos-renyi, n: 100, k: 4 }", "  file: networks/kite.csv");
    const csr = resolveScenario(parseScenario(text, "kite.yaml", scenariosDir)).network();
    // Krackhardt kite: 10 nodes, 18 undirected edges (36 arcs); Diane ("3") has the highest degree, 6.
    expect(csr.n).toBe(10);
    expect(csr.m).toBe(36);
    const diane = csr.index.get("3")!;
    expect(csr.offsets[diane + 1] - csr.offsets[diane]).toBe(6);
  });
});
