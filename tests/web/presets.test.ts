/**
 * Every bundled scenario file as a dashboard preset runs to the same result as `spreadlab run` on the file:
 * the dashboard's path (presetPlan → its network built through the API → toRunRequest → POST /v1/runs) is
 * compared with the CLI's path (loadScenario → resolveScenario → runModel) run for run (same seed → same
 * finalSize values). A sweep runs its base point on both sides; a model the dashboard cannot run must say so.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runModel } from "../../src/run.js";
import { bundledScenarios } from "../../src/server/app.js";
import { presetPlan, type PresetModel } from "../../web/src/state/preset.js";
import { toRunRequest } from "../../web/src/state/scenario.js";
import { makeApp, waitForRun } from "../server/helpers.js";

const DIR = join(process.cwd(), "scenarios");
const presets = bundledScenarios(DIR);

describe("dashboard presets run as the CLI runs their files", () => {
  it("finds the bundled scenarios", () => {
    expect(presets.length).toBeGreaterThanOrEqual(10);
  });

  for (const preset of presets) {
    it(`${preset.id}: same network, same finalSize per run`, async () => {
      const t = makeApp();
      try {
        // What the dashboard receives: the JSON of GET /v1/scenarios (Infinity becomes null there).
        const listed = ((await t.http.get("/v1/scenarios").expect(200)).body as { id: string; scenario: Record<string, unknown> }[]).find((s) => s.id === preset.id)!;
        const models = (await t.http.get("/v1/models").expect(200)).body as PresetModel[];
        const plan = presetPlan(listed.scenario, models);
        const loaded = loadScenario(join(DIR, `${preset.id}.yaml`));
        // Temporal contact networks run from the dashboard too (the bundled contact file is stored by the server).
        if (loaded.scenario.network.contacts) expect(plan.runnable, plan.notes.join(" ")).toBe(true);
        if (!plan.runnable) {
          expect(loaded.scenario.model.type).toBe("reaction-diffusion");
          expect(plan.notes.join(" ")).toMatch(/reaction–diffusion.*spreadlab run/);
          return;
        }
        const row =
          "generate" in plan.network
            ? (await t.http.post("/v1/networks").send({ generate: plan.network.generate, seed: plan.network.seed }).expect(201)).body
            : (await t.http.post(`/v1/scenarios/${preset.id}/network`).expect(201)).body;
        const resolved = resolveScenario(loaded);
        const csr = resolved.network() as { offsets: Int32Array; targets: Int32Array };
        expect(row.n).toBe(csr.offsets.length - 1);
        const compartments = models.find((m) => m.id === plan.draft.model)!.compartments;
        const body = toRunRequest(plan.draft, compartments, row.id);
        const submitted = await t.http.post("/v1/runs").send(body);
        expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
        const done = await waitForRun(t, submitted.body.id, 120_000);
        expect(done.status, JSON.stringify(done.error)).toBe("succeeded");
        const api = (await t.http.get(`/v1/runs/${submitted.body.id}/result`).expect(200)).body as { n: number; finalSize: { values: number[] } };
        const cli = runModel(resolved.network(), resolved.spec) as unknown as { finalSize: { values: number[] } };
        expect(api.n).toBe(row.n);
        expect(api.finalSize.values).toEqual(cli.finalSize.values);
        if (loaded.scenario.sweep) expect(plan.notes.join(" ")).toMatch(/sweeps beta/);
      } finally {
        await t.close();
      }
    }, 180_000);
  }
});
