/**
 * The dashboard's model.durations form as data (web/src/state/durations.ts): what it sends to POST /v1/runs,
 * what it refuses (with the API's field paths), and that links carry it.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DRAFT, toRunRequest, type ScenarioDraft } from "../../web/src/state/scenario.js";
import { durationDraft, durationIssues, PERIOD_COMPARTMENTS } from "../../web/src/state/durations.js";
import { decodeDraft, encodeDraft } from "../../web/src/state/url.js";
import { presetModel } from "../../src/models/presets.js";
import { compileModel } from "../../src/models/compartmental.js";

const draft = (over: Partial<ScenarioDraft>): ScenarioDraft => ({ ...DEFAULT_DRAFT, model: "SEIR", params: { beta: 0.3, sigma: 0.5, gamma: 0.2 }, ...over });

describe("model.durations from the form", () => {
  it("sends the non-exponential laws only, as the scenario format writes them", () => {
    const body = toRunRequest(draft({ durations: { E: durationDraft("fixed", { value: 2 }), I: durationDraft("gamma", { mean: 5, shape: 2 }) } }), ["S", "E", "I", "R"]);
    expect((body.scenario.model as Record<string, unknown>).durations).toEqual({ E: { dist: "fixed", value: 2 }, I: { dist: "gamma", mean: 5, shape: 2 } });
    const plain = toRunRequest(draft({ durations: { I: { dist: "exponential" } } }), ["S", "E", "I", "R"]);
    expect(plain.scenario.model).not.toHaveProperty("durations");
    expect(toRunRequest(draft({}), ["S", "E", "I", "R"]).scenario).toEqual(plain.scenario);
  });

  it("refuses what the API would, at the API's field paths", () => {
    expect(durationIssues({ I: { dist: "gamma", mean: 5, shape: 0 }, E: { dist: "fixed", value: 0 } })).toEqual([{ path: "model.durations.I.shape", message: "must be a finite number > 0." }]);
    expect(durationIssues({ I: { dist: "lognormal", mean: NaN, sd: -1 } }).map((i) => i.path)).toEqual(["model.durations.I.mean", "model.durations.I.sd"]);
    expect(durationIssues({ I: { dist: "weibull", shape: 1.5, scale: 3 } })).toEqual([]);
  });

  it("offers exactly the compartments with one spontaneous exit (checked against the registry's presets)", () => {
    for (const [id, offered] of Object.entries(PERIOD_COMPARTMENTS)) {
      const m = compileModel(presetModel(id as "SIR", {}));
      const single = m.compartments.filter((_, c) => m.spontOffsets[c + 1] - m.spontOffsets[c] === 1);
      expect(offered, id).toEqual(single);
    }
  });

  it("a link carries the periods; a damaged law is named", () => {
    const d = draft({ durations: { I: { dist: "lognormal", mean: 4, sd: 1 } } });
    expect(decodeDraft(encodeDraft(d))).toEqual(d);
    const bad = encodeDraft({ ...d, durations: { I: { dist: "pareto" } as never } });
    expect(() => decodeDraft(bad)).toThrow(/durations \(a law per compartment\)/);
  });
});
