/**
 * Issue 15, item 4: names a user gives (presets, generators, compartments, parameters, intervention fields,
 * Content-Type, model ids, datasets) are looked up as own keys only, so the names of Object.prototype's
 * members are unknown names like any other: a "did you mean" ScenarioError (exit 2 / 422), never a TypeError
 * (exit 1 / 500). Every lookup site reachable from a scenario file and from REST, times the five names.
 */
import { afterAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { makeApp, sirScenario } from "../server/helpers.js";

const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
const er = { generate: { type: "erdos-renyi", n: 50, k: 4 } };
const time = { mode: "continuous", tmax: 5, record: 1 };

/** One scenario per lookup site, with `name` at that site. */
const SITES: Record<string, (name: string) => Record<string, unknown>> = {
  "model.preset": (name) => ({ network: er, model: { preset: name }, time, initial: { I: { count: 1 } } }),
  "model.preset (reaction-diffusion)": (name) => ({ network: er, model: { type: "reaction-diffusion", preset: name }, time, initial: { u: { all: 1 } } }),
  "network.generate.type": (name) => ({ network: { generate: { type: name } }, model: { preset: "SIR" }, time, initial: { I: { count: 1 } } }),
  "network.generate parameter": (name) => ({ network: { generate: { type: "erdos-renyi", [name]: 3 } }, model: { preset: "SIR" }, time, initial: { I: { count: 1 } } }),
  "model.params key": (name) => ({ network: er, model: { preset: "SIR", params: { [name]: 1 } }, time, initial: { I: { count: 1 } } }),
  "transition rate name": (name) => ({
    network: er,
    model: { compartments: ["S", "I"], transitions: [{ from: "S", to: "I", rate: name, by: "I" }, { from: "I", to: "S", rate: 1 }] },
    time,
    initial: { I: { count: 1 } },
  }),
  "transition compartment": (name) => ({ network: er, model: { compartments: ["S", "I"], transitions: [{ from: "S", to: name, rate: 1, by: "I" }] }, time, initial: { I: { count: 1 } } }),
  "initial compartment": (name) => ({ network: er, model: { preset: "SIR" }, time, initial: { [name]: { count: 1 } } }),
  "interventions scale": (name) => ({ network: er, model: { preset: "SIR" }, time, initial: { I: { count: 1 } }, interventions: [{ at: 1, scale: name, by: 0.5 }] }),
  "interventions import.into": (name) => ({ network: er, model: { preset: "SIR" }, time, initial: { I: { count: 1 } }, interventions: [{ at: 1, import: { count: 1, into: name } }] }),
  "sweep parameter": (name) => ({ network: er, model: { preset: "SIR" }, time, initial: { I: { count: 1 } }, sweep: { [name]: [0.1, 0.2] } }),
  "top-level field": (name) => ({ network: er, model: { preset: "SIR" }, time, initial: { I: { count: 1 } }, [name]: 1 }),
};

/** JSON text keeps "__proto__" as an own key (an object literal would set the prototype instead). */
const text = (site: string, name: string) => JSON.stringify(SITES[site](name)).replaceAll('"__proto__"', '"__proto__"');

describe("a scenario file (the checks behind `spreadlab validate`)", () => {
  for (const site of Object.keys(SITES)) {
    it(`${site}: the five prototype names are reported as unknown names`, () => {
      for (const name of NAMES) {
        let error: unknown;
        try {
          parseScenario(text(site, name), "proto.json");
        } catch (e) {
          error = e;
        }
        expect((error as Error | undefined)?.name, `${site} = ${name}: ${String(error)}`).toBe("ScenarioError");
      }
    });
  }
  it('model.preset: "constructor" gets the usual "unknown preset" message with the list', () => {
    expect(() => parseScenario(text("model.preset", "constructor"), "p.json")).toThrow(/unknown preset "constructor".*Presets: SIR, SIS, SEIR/s);
  });
});

describe("REST", () => {
  // No rate limit: this test sends well over the default number of job-creating requests per minute.
  const t = makeApp({ rateLimit: 0 });
  afterAll(() => t.close());

  it("POST /v1/runs: every site × name is a 422 problem, never a 500", { timeout: 60_000 }, async () => {
    for (const site of Object.keys(SITES)) {
      for (const name of NAMES) {
        const res = await t.http.post("/v1/runs").set("Content-Type", "application/json").send(`{"scenario":${text(site, name)}}`);
        expect(res.status, `${site} = ${name}: ${JSON.stringify(res.body)}`).toBe(422);
        expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
      }
    }
  });

  it("POST /v1/networks (generator type, Content-Type), GET /v1/models/:id, POST /v1/scenarios/:id/network", async () => {
    for (const name of NAMES) {
      const gen = await t.http.post("/v1/networks").set("Content-Type", "application/json").send(`{"generate":{"type":${JSON.stringify(name)}}}`);
      expect(gen.status, `${name}: ${JSON.stringify(gen.body)}`).toBeGreaterThanOrEqual(400);
      expect(gen.status).toBeLessThan(500);
      const upload = await t.http.post("/v1/networks").set("Content-Type", name).send("a,b\n");
      expect(upload.status, `Content-Type ${name}`).toBeGreaterThanOrEqual(400);
      expect(upload.status).toBeLessThan(500);
      for (const path of [`/v1/models/${name}`, `/v1/runs/${name}`, `/v1/networks/${name}`]) {
        const res = await t.http.get(path);
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(res.status, path).toBeLessThan(500);
      }
      const preset = await t.http.post(`/v1/scenarios/${name}/network`);
      expect(preset.status).toBe(404);
    }
  });

  it("the envelope's own fields", async () => {
    for (const name of NAMES) {
      const res = await t.http.post("/v1/runs").set("Content-Type", "application/json").send(`{"scenario":${JSON.stringify(sirScenario())},${JSON.stringify(name)}:1}`);
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
    }
  });
});
