/** The dashboard's scenario drafts: URL codec round trips, damaged links, and the POST /v1/runs body. */
import { describe, expect, it } from "vitest";
import { decodeDraft, encodeDraft, UrlStateError } from "../../web/src/state/url.js";
import { DEFAULT_DRAFT, draftFromScenario, toRunRequest, type ScenarioDraft } from "../../web/src/state/scenario.js";

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

describe("draftFromScenario (presets from scenarios/)", () => {
  it("reads a bundled scenario's model, time, seeding and interventions", () => {
    const { draft: d, notes } = draftFromScenario({
      name: "SEIR with vaccination and a lockdown window",
      seed: 11,
      network: { generate: { type: "barabasi-albert", n: 5000, m: 3 } },
      model: { preset: "SEIR", params: { beta: 0.08, sigma: 0.33, gamma: 0.2 } },
      time: { mode: "continuous", tmax: 150, record: 1 },
      initial: { I: { count: 10 } },
      interventions: [{ at: 10, vaccinate: { strategy: "highest-degree", fraction: 0.1 } }, { at: 20, until: 50, scale: "beta", by: 0.4 }, { at: 3, import: { count: 2 } }],
      runs: 20,
    });
    expect(d).toMatchObject({ model: "SEIR", seed: 11, runs: 20, tmax: 150, record: 1, seeding: { count: 10, strategy: "random" } });
    expect(d.network).toEqual({ generate: { type: "barabasi-albert", n: 5000, m: 3 }, seed: 0 });
    expect(d.interventions).toEqual([
      { kind: "vaccinate", at: 10, fraction: 0.1, strategy: "highest-degree" },
      { kind: "scale", at: 20, until: 50, by: 0.4 },
    ]);
    expect(notes).toEqual([expect.stringMatching(/cannot edit.*import/)]);
  });
});
