/**
 * Non-exponential periods through the REST API: a scenario with model.durations runs (on the worker pool)
 * and gives the same result as the library, seeded; a bad duration is a 422 problem+json naming the field
 * path (with line and column when the scenario is sent as text).
 */
import { afterAll, describe, expect, it } from "vitest";
import { SimulationResultSchema } from "../../src/server/schemas.js";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runModel } from "../../src/run.js";
import { PROBLEM, makeApp, sirScenario, waitForRun } from "./helpers.js";

const t = makeApp({ workers: 2 });
afterAll(() => t.close());

const durations = { I: { dist: "gamma", mean: 3, shape: 2 } };
const scenario = () => sirScenario({ name: "sir-gamma", model: { type: "compartmental", preset: "SIR", params: { beta: 0.4 }, durations } });

describe("model.durations over /v1/runs", () => {
  it("runs on the non-Markovian engine, over the worker pool, with the library's result", async () => {
    const res = await t.http.post("/v1/runs").send({ scenario: scenario() });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const done = await waitForRun(t, res.body.id);
    expect(done.status).toBe("succeeded");
    const result = SimulationResultSchema.parse((await t.http.get(`/v1/runs/${res.body.id}/result`).expect(200)).body) as unknown as {
      engine: { name: string };
      finalSize: { values: number[] };
      runs: number;
    };
    expect(result.engine.name).toMatch(/non-exponential periods.*I: gamma\(mean 3, shape 2\)/);
    expect(result.runs).toBe(5);
    const resolved = resolveScenario(parseScenario(JSON.stringify(scenario()), "s.json", "."));
    const local = runModel(resolved.network(), resolved.spec);
    expect(result.finalSize.values).toEqual(local.finalSize.values);
  });

  it("a bad duration is 422 problem+json at model.durations.I.shape (line and column for text)", async () => {
    const bad = sirScenario({ model: { type: "compartmental", preset: "SIR", durations: { I: { dist: "gamma", mean: 3, shape: -2 } } } });
    const res = await t.http.post("/v1/runs").send({ scenario: bad });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["model.durations.I.shape"]);
    const text = `network: { generate: { type: path, n: 20 } }
model:
  preset: SIR
  durations:
    R: { dist: fixed, value: 1 }
time: { mode: continuous, tmax: 10 }
initial: { I: { count: 1 } }
`;
    const res2 = await t.http.post("/v1/runs").send({ scenarioText: text });
    expect(res2.status).toBe(422);
    expect(res2.body.errors[0]).toMatchObject({ path: "model.durations.R", line: 5, column: 5 });
    expect(res2.body.errors[0].message).toContain("0 spontaneous exits");
  });
});
