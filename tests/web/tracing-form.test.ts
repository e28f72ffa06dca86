/**
 * The dashboard's testing and tracing rows: the draft becomes the scenario entries the engine runs (checked by
 * the scenario schema itself), survives a link, and a preset's entries map back into the form (or, when they
 * use a field the form does not show, make the run send the file as written).
 */
import { describe, expect, it } from "vitest";
import { decodeDraft, encodeDraft } from "../../web/src/state/url.js";
import { DEFAULT_DRAFT, runLabel, toRunRequest, type ScenarioDraft } from "../../web/src/state/scenario.js";
import { presetPlan, type PresetModel } from "../../web/src/state/preset.js";
import { InterventionSchema } from "../../src/scenario/schema.js";

const draft: ScenarioDraft = {
  ...DEFAULT_DRAFT,
  model: "SEIR",
  params: { beta: 0.3, sigma: 0.5, gamma: 0.2 },
  interventions: [
    { kind: "testing", at: 2, rate: 0.3, symptomatic: true, sensitivity: 0.9, delay: 1, isolation: 10 },
    { kind: "tracing", at: 0, probability: 0.5, delay: 1, quarantine: 14, levels: 2 },
  ],
};

describe("testing and tracing in the dashboard's form", () => {
  it("become scenario entries that the scenario schema accepts", () => {
    const { scenario } = toRunRequest(draft, ["S", "E", "I", "R"]);
    const entries = scenario.interventions as unknown[];
    expect(entries).toEqual([
      { at: 2, testing: { rate: 0.3, among: ["I"], sensitivity: 0.9, delay: 1, isolation: 10 } },
      { at: 0, tracing: { probability: 0.5, delay: 1, quarantine: 14, levels: 2 } },
    ]);
    for (const e of entries) expect(InterventionSchema.safeParse(e).success).toBe(true);
    // Screening: no `among` (everyone).
    const screening = toRunRequest({ ...draft, interventions: [{ ...draft.interventions[0], symptomatic: false } as ScenarioDraft["interventions"][number]] }, ["S", "I", "R"]);
    expect((screening.scenario.interventions as { testing: object }[])[0].testing).not.toHaveProperty("among");
    expect(runLabel(draft, 3)).toBe("#3 SEIR + testing + tracing (β 0.3)");
  });

  it("survive a link", () => {
    expect(decodeDraft(encodeDraft(draft))).toEqual(draft);
  });

  it("map back from a preset; a field the form does not show keeps the file as written", () => {
    const models: PresetModel[] = [{ id: "SEIR", family: "compartmental", compartments: ["S", "E", "I", "R"] }];
    const scenario = {
      network: { generate: { type: "barabasi-albert", n: 500, m: 3 } },
      model: { preset: "SEIR", params: { beta: 0.2, sigma: 0.5, gamma: 0.2 } },
      interventions: [{ at: 0, testing: { rate: 0.3, among: ["I"] } }, { at: 1, tracing: { probability: 0.4, contacts: "transmissions" } }],
    };
    const plan = presetPlan(scenario, models);
    expect(plan.draft.interventions).toEqual([{ kind: "testing", at: 0, rate: 0.3, symptomatic: true, sensitivity: 1, delay: 0, isolation: 14 }]);
    expect(plan.draft.verbatim).toMatchObject({ interventions: scenario.interventions });
  });
});
