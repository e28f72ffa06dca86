/**
 * Temporal contact networks through the REST API (server/contacts.ts): a contact file uploaded with
 * `POST /v1/networks?contacts=…` is stored, and a run by networkId gives exactly the CLI's result for the same
 * file and seed; a bad row is 422 problem+json with its line; query fields that do not fit are named.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runModel } from "../../src/run.js";
import { PROBLEM, makeApp, waitForRun } from "./helpers.js";

const t = makeApp({ workers: 1 });
afterAll(() => t.close());

const dir = fileURLToPath(new URL("../../scenarios", import.meta.url));
const school = readFileSync(`${dir}/networks/school-week-contacts.csv`, "utf8");

const scenario = {
  name: "seir-school",
  seed: 3,
  model: { preset: "SEIR", params: { beta: 0.03 }, durations: { E: { dist: "fixed", value: 48 }, I: { dist: "gamma", mean: 120, shape: 2 } } },
  time: { mode: "continuous", tmax: 1440, record: 24 },
  initial: { I: { nodes: ["p0"] } },
  runs: 6,
};

describe("contact files over /v1/networks and /v1/runs", () => {
  it("an intervals file with a period: stored, and a run by networkId equals the CLI's", async () => {
    const up = await t.http.post("/v1/networks?contacts=intervals&period=168&name=school").set("Content-Type", "text/csv").send(school);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const local = resolveScenario(parseScenario(JSON.stringify({ ...scenario, network: { contacts: { file: "networks/school-week-contacts.csv", format: "intervals", period: 168 } } }), "s.json", dir));
    const csr = local.network();
    expect(up.body).toMatchObject({ name: "school", n: csr.n, m: csr.m / 2, directed: false });

    const res = await t.http.post("/v1/runs").send({ scenario, networkId: up.body.id });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const done = await waitForRun(t, res.body.id, 60_000);
    expect(done.status, JSON.stringify(done)).toBe("succeeded");
    const result = (await t.http.get(`/v1/runs/${res.body.id}/result`).expect(200)).body as { engine: { name: string }; finalSize: { values: number[] }; mean: Record<string, number[]> };
    expect(result.engine.name).toMatch(/temporal contact network.*period 168/);
    const expected = runModel(csr, local.spec);
    expect(result.finalSize.values).toEqual(expected.finalSize.values);
    expect(result.mean).toEqual(expected.mean);
    expect(Math.max(...result.finalSize.values)).toBeGreaterThan(1);
  }, 120_000);

  it("snapshots and events read as the query says; the aggregated graph is served", async () => {
    const snaps = await t.http.post("/v1/networks?contacts=snapshots&until=2").set("Content-Type", "text/csv").send("day,i,j\n0,a,b\n1,b,c\n");
    expect(snaps.status, JSON.stringify(snaps.body)).toBe(201);
    expect(snaps.body).toMatchObject({ n: 3, m: 2 });
    const graph = (await t.http.get(`/v1/networks/${snaps.body.id}/graph`).expect(200)).body as { edges: unknown[] };
    expect(graph.edges).toHaveLength(2);
    const events = await t.http.post("/v1/networks?contacts=events&resolution=20").set("Content-Type", "text/tab-separated-values").send("0\ta\tb\n20\ta\tb\n40\tb\tc\n");
    expect(events.status).toBe(201);
    expect(events.body).toMatchObject({ n: 3, m: 2 });
  });

  it("a bad row: 422 problem+json with its line; query fields that do not fit are named", async () => {
    const bad = await t.http.post("/v1/networks?contacts=intervals").set("Content-Type", "text/csv").send("i,j,start,end\na,b,0,1\na,c,2,oops\n");
    expect(bad.status).toBe(422);
    expect(bad.headers["content-type"]).toMatch(PROBLEM);
    expect(bad.body.errors[0]).toMatchObject({ line: 3 });
    expect(bad.body.errors[0].message).toMatch(/end "oops" is not a number/);
    const noResolution = await t.http.post("/v1/networks?contacts=events").set("Content-Type", "text/csv").send("0,a,b\n");
    expect(noResolution.status).toBe(422);
    expect(noResolution.body.errors.map((e: { path: string }) => e.path)).toEqual(["query.resolution"]);
    const unknown = await t.http.post("/v1/networks?contacts=matrix").set("Content-Type", "text/csv").send("0,a,b\n");
    expect(unknown.status).toBe(422);
    expect(unknown.headers["content-type"]).toMatch(PROBLEM);
  });

  it("network.contacts in a run body: 422 saying how to upload", async () => {
    const res = await t.http.post("/v1/runs").send({ scenario: { ...scenario, network: { contacts: { file: "c.csv", format: "intervals" } } } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe("network.contacts");
    expect(res.body.errors[0].message).toMatch(/POST \/v1\/networks\?contacts=/);
  });
});
