/** The dashboard's scenario drafts: URL codec round trips, damaged links, and the POST /v1/runs body. */
import { describe, expect, it } from "vitest";
import { decodeDraft, encodeDraft, UrlStateError } from "../../web/src/state/url.js";
import { DEFAULT_DRAFT, isCascadeFamily, isCascadeModel, runLabel, toRunRequest, type ScenarioDraft } from "../../web/src/state/scenario.js";

const cascadeDraft: ScenarioDraft = {
  ...DEFAULT_DRAFT,
  name: "word of mouth",
  network: { id: "net-7" },
  model: "independent-cascade",
  params: { probability: 0.15 },
  tmax: 25,
  seeding: { nodes: ["0", "33"] },
  interventions: [],
  runs: 200,
  seed: 17,
};

const draft: ScenarioDraft = {
  ...DEFAULT_DRAFT,
  name: "vaccinate hubs — ünïcode",
  network: { generate: { type: "watts-strogatz", n: 120, k: 4, beta: 0.1 }, seed: 9 },
  model: "SEIR",
  params: { beta: 0.4, sigma: 0.33, gamma: 0.2 },
  seeding: { nodes: ["3", "17"] },
  interventions: [
    { kind: "vaccinate", at: 5, fraction: 0.1, strategy: "highest-degree" },
    { kind: "scale", at: 10, until: 30, by: 0.5 },
  ],
  runs: 12,
  seed: 7,
};

describe("URL state codec", () => {
  it("round-trips a draft through the hash, unicode included, in URL-safe characters", () => {
    const hash = encodeDraft(draft);
    expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
    expect(decodeDraft(hash)).toEqual(draft);
    expect(decodeDraft(hash.slice(1))).toEqual(draft);
  });

  it("round-trips the cascade models (independent cascade with clicked seeds, linear threshold with a strategy)", () => {
    expect(decodeDraft(encodeDraft(cascadeDraft))).toEqual(cascadeDraft);
    const lt: ScenarioDraft = { ...cascadeDraft, model: "linear-threshold", params: {}, seeding: { count: 20, strategy: "highest-degree" } };
    expect(decodeDraft(encodeDraft(lt))).toEqual(lt);
  });

  it("refuses a cascade link with interventions or a fractional number of rounds", () => {
    expect(() => decodeDraft(encodeDraft({ ...cascadeDraft, interventions: [{ kind: "scale", at: 1, by: 0.5 }] }))).toThrow(/interventions \(independent-cascade takes none\)/);
    expect(() => decodeDraft(encodeDraft({ ...cascadeDraft, model: "linear-threshold", tmax: 2.5 }))).toThrow(/whole number of rounds/);
    // The same values stay valid for a compartmental model.
    expect(decodeDraft(encodeDraft({ ...cascadeDraft, model: "SIR", params: { beta: 0.3, gamma: 0.2 }, tmax: 2.5 }))?.tmax).toBe(2.5);
  });

  it("returns null for a hash without a scenario", () => {
    expect(decodeDraft("")).toBeNull();
    expect(decodeDraft("#tab=forecast")).toBeNull();
  });

  it("refuses a cut or edited link with a readable UrlStateError", () => {
    const hash = encodeDraft(draft);
    expect(() => decodeDraft(hash.slice(0, 20))).toThrow(UrlStateError);
    const other = "#s=" + btoa(JSON.stringify({ v: 1, ...draft, name: "plain", runs: -3, seed: "x" })).replace(/=+$/, "");
    expect(() => decodeDraft(other)).toThrow(/runs \(a positive integer\); seed/);
    const future = "#s=" + btoa(JSON.stringify({ v: 2 }));
    expect(() => decodeDraft(future)).toThrow(/another version/);
  });
});

describe("toRunRequest", () => {
  it("builds a scenario in the file format, keeping the first run's history for playback", () => {
    const { scenario, networkId } = toRunRequest(draft, ["S", "E", "I", "R"]);
    expect(networkId).toBeUndefined();
    expect(scenario).toEqual({
      name: draft.name,
      seed: 7,
      network: { generate: { type: "watts-strogatz", n: 120, k: 4, beta: 0.1 }, seed: 9 },
      model: { type: "compartmental", preset: "SEIR", params: { beta: 0.4, sigma: 0.33, gamma: 0.2 } },
      time: { mode: "continuous", tmax: 60, record: 0.5 },
      initial: { I: { nodes: ["3", "17"] } },
      interventions: [
        { at: 5, vaccinate: { strategy: "highest-degree", fraction: 0.1 }, to: "R" },
        { at: 10, until: 30, scale: "beta", by: 0.5 },
      ],
      runs: 12,
      output: { nodes: "first", history: true },
    });
  });

  it("runs on a stored network by id, with no network source in the scenario", () => {
    const req = toRunRequest({ ...DEFAULT_DRAFT, interventions: [] }, ["S", "I"], "net-1");
    expect(req.networkId).toBe("net-1");
    expect(req.scenario).not.toHaveProperty("network");
    expect(req.scenario).not.toHaveProperty("interventions");
    expect(req.scenario.initial).toEqual({ I: { count: 3, strategy: "random" } });
  });
});

describe("toRunRequest for cascades", () => {
  it("builds an independent cascade: model type and probability, active seeds, rounds as discrete steps, activation rounds for playback", () => {
    const withIvs = { ...cascadeDraft, record: 0.5, interventions: [{ kind: "scale" as const, at: 1, by: 0.5 }] };
    expect(toRunRequest(withIvs, ["inactive", "active"])).toEqual({
      networkId: "net-7",
      scenario: {
        name: "word of mouth",
        seed: 17,
        model: { type: "independent-cascade", params: { probability: 0.15 } },
        time: { mode: "discrete", steps: 25 },
        initial: { active: { nodes: ["0", "33"] } },
        runs: 200,
        output: { nodes: "first", infectionTimes: true },
      },
    });
  });

  it("builds a linear threshold without params, seeding by strategy on a generated network", () => {
    const { scenario } = toRunRequest({ ...cascadeDraft, network: { generate: { type: "barabasi-albert", n: 300, m: 2 }, seed: 4 }, model: "linear-threshold", params: { probability: 0.2 }, tmax: 0.4, seeding: { count: 20, strategy: "highest-degree" } }, ["inactive", "active"]);
    expect(scenario.model).toEqual({ type: "linear-threshold" });
    expect(scenario.time).toEqual({ mode: "discrete", steps: 1 });
    expect(scenario.initial).toEqual({ active: { count: 20, strategy: "highest-degree" } });
    expect(scenario.network).toEqual({ generate: { type: "barabasi-albert", n: 300, m: 2 }, seed: 4 });
  });

  it("knows the cascade models and families of the registry, and labels their runs", () => {
    expect(["independent-cascade", "linear-threshold", "SIR", "heat"].map(isCascadeModel)).toEqual([true, true, false, false]);
    expect(["cascade", "independent-cascade", "linear-threshold", "compartmental", "reaction-diffusion"].map(isCascadeFamily)).toEqual([true, true, true, false, false]);
    expect(runLabel(cascadeDraft, 3)).toBe("#3 independent-cascade (p 0.15)");
    expect(runLabel({ ...cascadeDraft, model: "linear-threshold", params: {} }, 4)).toBe("#4 linear-threshold");
    expect(runLabel(draft, 1)).toBe("#1 SEIR + vaccination + distancing (β 0.4)");
  });
});
