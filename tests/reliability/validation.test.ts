/**
 * Issue 15, item 6: validation as strong as running. Generator values of the wrong type or sign (`n: -1`,
 * `m: false`, `n: 1.5`, `k: "x"`) are scenario checks (with the line; 422 at submission); `spreadlab validate`
 * prepares what `run` would run, so the ranges the generator refuses, rates whose work is over
 * the bound (1e21, 1e308), and rate expressions that overflow within the horizon (`exp(t)` at t ≈ 710) fail
 * validation with a named error (exit 2), as they fail the run. Through the API the same errors end the job
 * as a failed run carrying the error's name, never a 500.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { prepareScenario } from "../../src/cli/prepare.js";
import { MAX_EVENTS_PER_RUN } from "../../src/engine/work.js";
import { makeApp, sirScenario, waitForRun } from "../server/helpers.js";

const base = (network: string, model = "{ preset: SIR, params: { beta: 0.3, gamma: 1 } }", time = "{ mode: continuous, tmax: 20, record: 1 }") =>
  `network: { generate: ${network} }\nmodel: ${model}\ntime: ${time}\ninitial: { I: { count: 2 } }\n`;

function prepareError(text: string): { name?: string; message?: string } {
  try {
    prepareScenario(parseScenario(text, "s.yaml"));
  } catch (e) {
    return e as Error;
  }
  return {};
}

describe("ranges that depend on other values are checked by the generator itself at validation", () => {
  const cases = [
    "{ type: watts-strogatz, n: 100, k: 3 }",
    "{ type: barabasi-albert, n: 100, m: 100 }",
    "{ type: erdos-renyi, n: 10, k: 50 }",
    "{ type: erdos-renyi, n: 100, p: 2 }",
  ];
  for (const network of cases) {
    it(network, () => {
      const e = prepareError(base(network));
      expect(e.name).toBe("GeneratorError");
      expect(e.message).toMatch(/^s\.yaml: network\.generate: /);
    });
  }
});

describe("the work bound", () => {
  it("refuses β = 1e21 and 1e308 in the general engine, with the estimate and the formula", () => {
    for (const beta of ["1e21", "1e308"]) {
      const e = prepareError(base("{ type: erdos-renyi, n: 200, k: 4 }", `{ preset: SEIR, params: { beta: ${beta} } }`));
      expect(e.name).toBe("WorkLimitError");
      expect(e.message).toMatch(/tmax · \(n·s \+ β·W\)/);
    }
  });
  it("refuses discrete steps × n over the bound, and γ = 0 with tmax = ∞ in the general engine (phantom attempts never end)", () => {
    const steps = Math.ceil(MAX_EVENTS_PER_RUN / 100) + 1;
    expect(prepareError(base("{ type: erdos-renyi, n: 100, k: 4 }", "{ preset: SIR }", `{ mode: discrete, steps: ${steps} }`)).name).toBe("WorkLimitError");
    expect(prepareError(base("{ type: erdos-renyi, n: 100, k: 4 }", "{ preset: SEIR, params: { gamma: 0 } }", "{ mode: continuous, tmax: .inf }")).name).toBe("WorkLimitError");
  });
  it("refuses a rate grid finer than 10^6 points (tmax / rateStep)", () => {
    const e = prepareError(base("{ type: path, n: 10 }", '{ preset: SIR, params: { beta: "0.1 * (1 + sin(t))" } }', "{ mode: continuous, tmax: 100, rateStep: 1e-9 }"));
    expect(e.name).toBe("WorkLimitError");
  });
  it("accepts every bundled scenario and large rates on the event-driven SIR path (events ≤ 2n + m)", () => {
    expect(prepareError(base("{ type: erdos-renyi, n: 200, k: 4 }", "{ preset: SIR, params: { beta: 1e21 } }")).name).toBeUndefined();
  });
});

describe("a rate expression that overflows within the horizon", () => {
  it("is an ExpressionError at validation", () => {
    const e = prepareError(base("{ type: path, n: 10 }", '{ preset: SIR, params: { beta: "0.1 * exp(t)" } }', "{ mode: continuous, tmax: 800, record: 10 }"));
    expect(e.name).toBe("ExpressionError");
  });
});

describe("CLI and API", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const work = mkdtempSync(join(tmpdir(), "spreadlab-valid-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin", "spreadlab.js"), ...args], { cwd: work, encoding: "utf8", timeout: 30_000 });

  it("validate exits 2 for n: -1 and β = 1e21; run exits 2 for exp(t) overflowing", { timeout: 60_000 }, () => {
    writeFileSync(join(work, "n.yaml"), base("{ type: erdos-renyi, n: -1, k: 4 }"));
    writeFileSync(join(work, "big.yaml"), base("{ type: erdos-renyi, n: 200, k: 4 }", "{ preset: SEIR, params: { beta: 1e21 } }"));
    writeFileSync(join(work, "exp.yaml"), base("{ type: path, n: 10 }", '{ preset: SIR, params: { beta: "0.1 * exp(t)" } }', "{ mode: continuous, tmax: 800, record: 10 }"));
    for (const [args, pattern] of [
      [["validate", "n.yaml"], /n\.yaml:1:\d+ +network\.generate\.n: erdos-renyi: n must be/],
      [["validate", "big.yaml"], /more than the bound/],
      [["run", "exp.yaml"], /evaluated to Infinity/],
    ] as const) {
      const out = cli(...args);
      expect(out.status, out.stderr).toBe(2);
      expect(out.stderr).toMatch(pattern);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("the API fails such runs with the error's name (no 500)", { timeout: 30_000 }, async () => {
    const t = makeApp({ rateLimit: 0 });
    try {
      const bodies = [
        sirScenario({ model: { preset: "SEIR", params: { beta: 1e21 } } }),
        sirScenario({ model: { preset: "SIR", params: { beta: "0.1 * exp(t)" } }, time: { mode: "continuous", tmax: 800, record: 10 } }),
      ];
      for (const [i, scenario] of bodies.entries()) {
        const res = await t.http.post("/v1/runs").send({ scenario });
        expect(res.status).toBeLessThan(500);
        if (res.status === 202) {
          const row = await waitForRun(t, res.body.id);
          expect(row.status).toBe("failed");
          expect((row.error as { name: string }).name).toBe(["WorkLimitError", "ExpressionError"][i]);
        } else {
          expect(res.headers["content-type"]).toMatch(/problem\+json/);
        }
      }
    } finally {
      await t.close();
    }
  });
});

describe("generator value types are scenario checks: the file's line, and 422 at submission", () => {
  it("n: -1, m: false, n: 1.5, k: \"x\" fail parseScenario at network.generate.<name>", () => {
    for (const network of ["{ type: erdos-renyi, n: -1, k: 4 }", "{ type: barabasi-albert, n: 100, m: false }", "{ type: erdos-renyi, n: 1.5, k: 4 }", '{ type: erdos-renyi, n: 100, k: "x" }']) {
      let error: { name?: string; issues?: { path: string; line?: number }[] } = {};
      try {
        parseScenario(base(network), "s.yaml");
      } catch (e) {
        error = e as typeof error;
      }
      expect(error.name).toBe("ScenarioError");
      expect(error.issues?.[0].path).toMatch(/^network\.generate\.(n|m|k)$/);
      expect(error.issues?.[0].line).toBe(1);
    }
  });
  it("POST /v1/runs answers 422 for them at submission", async () => {
    const t = makeApp({ rateLimit: 0 });
    try {
      for (const generate of [{ type: "erdos-renyi", n: -1, k: 4 }, { type: "barabasi-albert", n: 100, m: false }, { type: "erdos-renyi", n: 1.5, k: 4 }, { type: "erdos-renyi", n: 100, k: "x" }]) {
        const res = await t.http.post("/v1/runs").send({ scenario: sirScenario({ network: { generate } }) });
        expect(res.status, JSON.stringify(generate)).toBe(422);
      }
    } finally {
      await t.close();
    }
  });
});
