/**
 * Issue 15, item 7 (depth): deeply nested data inside a scenario (10,000 levels gave a 500 from the API)
 * is refused before any parser or validator recurses into it: 422 problem+json from REST, ScenarioError and
 * exit 2 from the CLI. The documented limit is MAX_DEPTH = 64 levels.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { MAX_DEPTH } from "../../src/scenario/structure.js";
import { makeApp, sirScenario } from "../server/helpers.js";

const DEEP = 10_000;
const deepJson = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
const deepList = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
/** A scenario whose model.params.beta holds `nested` (JSON text). */
const withNested = (nested: string) => JSON.stringify(sirScenario()).replace('"beta":0.4', `"beta":${nested}`);
/** Block-style YAML nested `depth` levels by indentation alone. */
const deepBlockYaml = (depth: number) => {
  let out = "network: { generate: { type: path, n: 5 } }\nmodel: { preset: SIR }\ntime: { mode: continuous, tmax: 5 }\ninitial: { I: { count: 1 } }\ndescription_tree:\n";
  for (let i = 1; i <= depth; i++) out += `${" ".repeat(i)}k:\n`;
  return out + `${" ".repeat(depth + 1)}1\n`;
};

const errorName = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as Error).name;
  }
  return undefined;
};

describe("parseScenario (validate, run, and the API's scenario checks)", () => {
  it(`refuses nesting deeper than ${MAX_DEPTH} levels, in JSON and flow YAML, with a ScenarioError`, () => {
    for (const text of [withNested(deepJson(DEEP)), withNested(deepList(DEEP)), withNested(deepJson(MAX_DEPTH + 1))]) {
      expect(errorName(() => parseScenario(text, "deep.json"))).toBe("ScenarioError");
    }
    expect(() => parseScenario(withNested(deepJson(DEEP)), "deep.json")).toThrow(/nested more than 64 levels/);
  });
  it("refuses deep block-style YAML (indentation only)", () => {
    expect(errorName(() => parseScenario(deepBlockYaml(2000), "deep.yaml"))).toBe("ScenarioError");
  });
  it("nesting within the limit is judged by the schema as usual (a number was expected)", () => {
    expect(() => parseScenario(withNested(deepJson(3)), "ok.json")).toThrow(/model\.params\.beta/);
  });
});

describe("REST", () => {
  const t = makeApp({ rateLimit: 0 });
  afterAll(() => t.close());
  it("POST /v1/runs with 10,000 levels inside scenario: 422 problem+json", { timeout: 30_000 }, async () => {
    for (const body of [`{"scenario":${withNested(deepJson(DEEP))}}`, `{"scenario":${withNested(deepList(DEEP))}}`, JSON.stringify({ scenarioText: withNested(deepJson(DEEP)) })]) {
      const res = await t.http.post("/v1/runs").set("Content-Type", "application/json").send(body);
      expect([413, 422], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    }
    const yaml = await t.http.post("/v1/runs").set("Content-Type", "application/yaml").send(deepBlockYaml(2000));
    expect([413, 422]).toContain(yaml.status);
    expect(yaml.headers["content-type"]).toMatch(/application\/problem\+json/);
  });
});

describe("CLI", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const work = mkdtempSync(join(tmpdir(), "spreadlab-deep-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  it("`spreadlab validate` on a 10,000-level scenario file exits 2 without a stack trace", { timeout: 30_000 }, () => {
    const file = join(work, "deep.json");
    writeFileSync(file, withNested(deepJson(DEEP)));
    const out = spawnSync(process.execPath, [join(root, "bin", "spreadlab.js"), "validate", file], { encoding: "utf8", timeout: 20_000 });
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/nested more than 64 levels/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});
