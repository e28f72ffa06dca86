/**
 * The example scenarios in scenarios/: each one is documented (a comment header), validates, and runs
 * through the library path the CLI uses (loadScenario → resolveScenario → simulate) with runs overridden
 * to 2. Conservation is exact: every node is in exactly one compartment, so in every run the counts sum to
 * n at every record time (and their means to n, up to rounding).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { PRESETS } from "../../src/models/presets.js";
import { simulate } from "../../src/simulate.js";

const dir = fileURLToPath(new URL("../../scenarios", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();

describe("example scenarios", () => {
  it("include the documented set", () => {
    expect(files).toEqual(expect.arrayContaining([
      "custom-seihr.yaml",
      "discrete-sir-kite.yaml",
      "seir-small-world.yaml",
      "sir-scale-free.yaml",
      "sirs-waning.yaml",
      "sis-endemic.yaml",
    ]));
  });

  describe.each(files)("%s", (file) => {
    const path = join(dir, file);

    it("opens with a comment header explaining it", () => {
      expect(readFileSync(path, "utf8")).toMatch(/^#/);
    });

    it("validates and runs, with the model's compartments and counts summing to n", () => {
      const loaded = loadScenario(path);
      const resolved = resolveScenario(loaded, { runs: 2 });
      const result = simulate(resolved.network(), { ...resolved.spec, output: { ...resolved.spec.output, series: true } });
      const model = loaded.scenario.model;
      const compartments = model.preset ? PRESETS[model.preset].definition.compartments : model.compartments;
      expect(result.compartments).toEqual(compartments);
      expect(result.runs).toBe(2);
      expect(result.times.length).toBeGreaterThan(1);
      for (let k = 0; k < result.times.length; k++) {
        for (let run = 0; run < 2; run++) {
          const total = result.compartments.reduce((sum, c) => sum + result.series![c][run][k], 0);
          expect(total, `run ${run}, t = ${result.times[k]}`).toBe(result.n);
        }
        const meanTotal = result.compartments.reduce((sum, c) => sum + result.mean[c][k], 0);
        expect(meanTotal).toBeCloseTo(result.n, 6);
      }
    });
  });
});
