/**
 * Testing and tracing through the REST API: a scenario with testing and tracing entries runs on the worker
 * pool with the library's result, counts included; a bad entry is a 422 problem+json naming the field path.
 */
import { afterAll, describe, expect, it } from "vitest";
import { SimulationResultSchema } from "../../src/server/schemas.js";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runModel } from "../../src/run.js";
import { PROBLEM, makeApp, sirScenario, waitForRun } from "./helpers.js";

const t = makeApp({ workers: 2 });
afterAll(() => t.close());

const scenario = (tracing: Record<string, unknown> = { probability: 0.5, delay: 1 }) =>
  sirScenario({
    name: "sir-tracing",
    model: { type: "compartmental", preset: "SIR", params: { beta: 0.6 } },
    interventions: [{ at: 0, testing: { rate: 0.5, among: ["I"], delay: 0.5 } }, { at: 0, tracing }],
  });

describe("testing and tracing over /v1/runs", () => {
  it("run over the worker pool with the library's result and counts", async () => {
    const res = await t.http.post("/v1/runs").send({ scenario: scenario() });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const done = await waitForRun(t, res.body.id);
    expect(done.status).toBe("succeeded");
    const body = (await t.http.get(`/v1/runs/${res.body.id}/result`).expect(200)).body;
    const result = SimulationResultSchema.parse(body) as unknown as { engine: { name: string }; finalSize: { values: number[] }; testing: Record<string, { values: number[] }> };
    expect(result.engine.name).toMatch(/testing and tracing/);
    const local = runModel(...(() => {
      const resolved = resolveScenario(parseScenario(JSON.stringify(scenario()), "s.json", "."));
      return [resolved.network(), resolved.spec] as const;
    })()) as unknown as { finalSize: { values: number[] }; testing: unknown };
    expect(result.finalSize.values).toEqual(local.finalSize.values);
    expect(result.testing).toEqual(local.testing);
  });

  it("a bad entry is 422 problem+json at its field", async () => {
    const res = await t.http.post("/v1/runs").send({ scenario: scenario({ probability: 0.5, levels: 3 }) });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("interventions[1].tracing.levels");
  });
});
