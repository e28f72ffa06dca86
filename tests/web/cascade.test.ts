/**
 * Cascade models from the dashboard: the `POST /v1/runs` body that `toRunRequest` builds for an independent
 * cascade or linear threshold draft is accepted by the server (in-process app, as in server.test.ts), runs,
 * and its result feeds the dashboard's playback (activation rounds → history), curves and summary card.
 */
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DRAFT, toRunRequest, type ScenarioDraft } from "../../web/src/state/scenario.js";
import { Playback, cascadeHistory } from "../../web/src/run/playback.js";
import { bandData, type ResultLike } from "../../web/src/run/series.js";
import { summaryMetrics } from "../../web/src/run/summary.js";
import { makeApp, waitForRun } from "../server/helpers.js";

const t = makeApp({ workers: 1 });
afterAll(() => t.close());

async function run(body: { scenario: Record<string, unknown>; networkId?: string }): Promise<ResultLike> {
  const res = await t.http.post("/v1/runs").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const done = await waitForRun(t, res.body.id);
  expect(done.status, JSON.stringify(done.error)).toBe("succeeded");
  return (await t.http.get(`/v1/runs/${res.body.id}/result`).expect(200)).body as ResultLike;
}

describe("cascade scenarios from the dashboard", () => {
  it("runs an independent cascade on a stored network (as the dashboard does) from clicked seeds", async () => {
    const network = await t.http.post("/v1/networks").send({ generate: { type: "karate-club" }, seed: 0 }).expect(201);
    const draft: ScenarioDraft = { ...DEFAULT_DRAFT, network: { generate: { type: "karate-club" }, seed: 0 }, model: "independent-cascade", params: { probability: 0.3 }, tmax: 20, seeding: { nodes: ["0", "33"] }, runs: 20 };
    const result = await run(toRunRequest(draft, ["inactive", "active"], network.body.id));
    expect(result).toMatchObject({ runs: 20, n: 34, compartments: ["inactive", "active"] });
    expect(result.times[0]).toBe(0);
    expect(result.mean.active[0]).toBe(2);
    // Playback: the first run's activation rounds replay to its final states.
    const first = result.nodes!.runs[0];
    const playback = new Playback(cascadeHistory(first.infectionTime!));
    expect(playback.counts(2)).toEqual([32, 2]);
    playback.seek(result.times.at(-1)!);
    expect(playback.counts(2)).toEqual([34 - result.finalSize.values[0], result.finalSize.values[0]]);
    expect(first.state.filter((s) => s === "active").length).toBe(result.finalSize.values[0]);
    // Curves and the summary card.
    expect(bandData(result).compartments.map((c) => c.name)).toEqual(["inactive", "active"]);
    expect(summaryMetrics(result, true, draft.params, null).map(([label]) => label)).toEqual(["Final active", "Reach", "Rounds"]);
  });

  it("runs a linear threshold on a generated network from highest-degree seeds, rounds capped", async () => {
    const draft: ScenarioDraft = { ...DEFAULT_DRAFT, network: { generate: { type: "barabasi-albert", n: 200, m: 2 }, seed: 3 }, model: "linear-threshold", params: {}, tmax: 3, seeding: { count: 5, strategy: "highest-degree" }, runs: 10 };
    const result = await run(toRunRequest(draft, ["inactive", "active"]));
    expect(result).toMatchObject({ runs: 10, n: 200, model: "linear-threshold", compartments: ["inactive", "active"] });
    expect(result.times.length).toBeLessThanOrEqual(4);
    expect(result.mean.active[0]).toBe(5);
  });
});
