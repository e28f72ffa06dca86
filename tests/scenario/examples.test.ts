/**
 * The example scenarios in scenarios/: each one is documented (a comment header), validates, and runs
 * through the library path the CLI uses (loadScenario → resolveScenario → runModel) with runs overridden
 * to 2. Conservation is exact: every node is in exactly one compartment, so in every run the counts sum to
 * n at every record time (and their means to n, up to rounding). Fields (reaction–diffusion) conserve their
 * population instead; sweeps run every point.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { getModel } from "../../src/families/registry.js";
import { runModel, type AnySpec } from "../../src/run.js";

const dir = fileURLToPath(new URL("../../scenarios", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();

describe("example scenarios", () => {
  it("include the documented set", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "custom-seihr.yaml",
        "discrete-sir-kite.yaml",
        "ic-social.yaml",
        "lt-threshold.yaml",
        "metapop-regions.yaml",
        "seir-gamma-periods.yaml",
        "seir-school-contacts.yaml",
        "seir-small-world.yaml",
        "seir-testing-tracing.yaml",
        "seir-vaccination-lockdown.yaml",
        "sir-scale-free.yaml",
        "sir-screening-backward.yaml",
        "sirs-seasonal.yaml",
        "sirs-waning.yaml",
        "sis-endemic.yaml",
        "sis-school-days.yaml",
        "sweep-beta.yaml",
      ]),
    );
  });

  describe.each(files)("%s", (file) => {
    const path = join(dir, file);

    it("opens with a comment header explaining it", () => {
      expect(readFileSync(path, "utf8")).toMatch(/^#/);
    });

    it("validates and runs, with the model's compartments and counts summing to n", () => {
      const loaded = loadScenario(path);
      const resolved = resolveScenario(loaded, { runs: 2 });
      const network = resolved.network();
      const model = loaded.scenario.model;
      const id = model.type === "compartmental" ? (model.preset ?? "compartmental") : model.type === "reaction-diffusion" ? model.preset! : model.type;
      const compartments = getModel(id).compartments.length > 0 ? getModel(id).compartments : model.compartments;
      const specs: AnySpec[] = resolved.points ? resolved.points.map((p) => p.spec) : [resolved.spec];
      for (const spec of specs) {
        const withSeries = spec.family === "field" ? spec : ({ ...spec, output: { ...spec.output, series: true } } as AnySpec);
        const result = runModel(network, withSeries);
        expect(result.compartments).toEqual(compartments);
        expect(result.times.length).toBeGreaterThan(1);
        if (spec.family === "field") {
          // Metapopulation SIR moves people between regions: the total population is conserved.
          const total = (k: number) => result.compartments.reduce((sum, c) => sum + result.mean[c][k], 0);
          for (let k = 0; k < result.times.length; k++) expect(total(k) / total(0)).toBeCloseTo(1, 9);
          continue;
        }
        expect(result.runs).toBe(2);
        for (let k = 0; k < result.times.length; k++) {
          for (let run = 0; run < 2; run++) {
            const total = result.compartments.reduce((sum, c) => sum + result.series![c][run][k], 0);
            expect(total, `run ${run}, t = ${result.times[k]}`).toBe(result.n);
          }
          const meanTotal = result.compartments.reduce((sum, c) => sum + result.mean[c][k], 0);
          expect(meanTotal).toBeCloseTo(result.n, 6);
        }
      }
    });
  });
});
