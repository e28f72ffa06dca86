/**
 * Issue 15: property-based fuzzing of scenario files. Start from the bundled scenarios/*.yaml, mutate one to
 * three values (type confusion, extreme numbers, −0, NaN and ±∞, NaN-ish strings, prototype names, deep
 * nesting), then validate and, when valid, prepare and run it bounded (runs ≤ 2, small networks). A
 * mutated file may be refused — only ever with a named error that the CLI maps to exit 2 — or run; nothing
 * may crash with another error or hang. A few mutants also go through the real CLI (exit code ∈ {0, 2}, no
 * stack trace on stderr). fast-check is seeded; a failure prints the seed and the counterexample.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { prepareScenario } from "../../src/cli/prepare.js";
import { runModel } from "../../src/run.js";
import { INVALID_INPUT } from "../../src/cli/main.js";
import { SpreadlabError } from "../../src/errors.js";
import { estimateGeneratedSize } from "../../src/server/limits.js";
import { mutant, root, scenarioDir } from "./mutants.js";

const SEED = 15_015;

/** The CLI's exit code for an error thrown by the library (as in cli/main.ts). */
const exitCodeOf = (e: unknown): number => {
  const err = e as Error;
  return INVALID_INPUT.has(err.name) || (err instanceof SpreadlabError && err.name === "SpreadlabError") ? 2 : 1;
};

let ran = 0;
/** Validate, prepare and run a mutant bounded (runs ≤ 2; networks over 20,000 nodes or 60,000 edges are only validated). */
function check(text: string): number {
  try {
    const loaded = parseScenario(text, join(scenarioDir, "mutant.yaml"), scenarioDir);
    const gen = loaded.scenario.network.generate;
    const size = gen ? estimateGeneratedSize(gen) : { n: 0, m: 0 };
    if (!(size.n <= 20_000 && size.m <= 60_000)) return 0;
    prepareScenario(loaded);
    const resolved = resolveScenario(loaded, { runs: Math.min(2, loaded.scenario.runs) });
    const network = resolved.network();
    for (const spec of (resolved.points ?? [{ spec: resolved.spec }]).slice(0, 2).map((p) => p.spec)) runModel(network, spec);
    ran++;
    return 0;
  } catch (e) {
    if (process.env.FUZZ_DEBUG) console.log(String((e as Error).message).split("\n").slice(0, 2).join(" | "));
    return exitCodeOf(e);
  }
}

describe("mutated scenario files", () => {
  it("validate + bounded run: exit code 0 or 2, never anything else", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(mutant, ({ text }) => {
        const code = check(text);
        if (code !== 0 && code !== 2) {
          // Show what failed (the seed is printed by fast-check with the counterexample).
          try {
            parseScenario(text, "mutant.yaml", scenarioDir);
          } catch (e) {
            console.error(e);
          }
        }
        expect(code).not.toBe(1);
      }),
      { seed: SEED, numRuns: 150, verbose: true },
    );
    // Not only refusals: a share of the mutants must be valid and actually run.
    console.log(`fuzz-scenario: ${ran} of 150 mutants ran (fast-check seed ${SEED})`);
    expect(ran).toBeGreaterThanOrEqual(10);
  });

  const work = mkdtempSync(join(tmpdir(), "spreadlab-fuzz-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  it("through the CLI: validate and run exit 0 or 2, with no stack trace", { timeout: 90_000 }, () => {
    const samples = fc.sample(mutant, { seed: SEED + 1, numRuns: 4 });
    for (const [i, { text, base }] of samples.entries()) {
      const file = join(work, `m${i}.yaml`);
      writeFileSync(file, text);
      for (const command of ["validate", "run"]) {
        const args = command === "run" ? ["run", file, "--runs", "1", "--quiet", "--allow-outside", "--out", join(work, `out${i}`)] : ["validate", file, "--allow-outside"];
        const out = spawnSync(process.execPath, [join(root, "bin", "spreadlab.js"), ...args], { cwd: scenarioDir, encoding: "utf8", timeout: 30_000 });
        expect([0, 2], `${command} of a mutant of ${base} (fast-check seed ${SEED + 1}, sample ${i}):\n${text}\n${out.stderr}`).toContain(out.status);
        expect(out.stderr).not.toMatch(/\n\s+at /);
      }
    }
  });
});
