/**
 * `/v1/runs`: the 202 → Location → poll → result flow, node states, stored networks, YAML text, sweeps,
 * fields, and the validation errors a client sees (field paths identical to scenario files).
 */
import { afterAll, describe, expect, it } from "vitest";
import { RunPageSchema, RunRowSchema, SimulationResultSchema, NodeStatesSchema, SweepResultSchema } from "../../src/server/schemas.js";
import { PROBLEM, makeApp, sirScenario, waitFor, waitForRun } from "./helpers.js";

const t = makeApp({ workers: 2 });
afterAll(() => t.close());

async function submit(body: unknown) {
  const res = await t.http.post("/v1/runs").send(body as object);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res;
}

describe("POST /v1/runs → poll → result", () => {
  it("runs SIR on an Erdős–Rényi graph (n = 200, 5 runs) and returns the v1 result", async () => {
    const res = await submit({ scenario: sirScenario() });
    const row = RunRowSchema.parse(res.body);
    expect(res.headers.location).toBe(`/v1/runs/${row.id}`);
    expect(row.status).toBe("queued");
    expect(row.progress).toEqual({ done: 0, total: 5 });
    expect(row.spec).toMatchObject({ name: "sir-er", runs: 5, model: { preset: "SIR" } });

    const done = await waitForRun(t, row.id);
    expect(done.status).toBe("succeeded");
    expect(done.progress).toEqual({ done: 5, total: 5 });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();

    const result = SimulationResultSchema.parse((await t.http.get(`${res.headers.location}/result`).expect(200)).body);
    expect(result).toMatchObject({ schemaVersion: 1, scenario: "sir-er", runs: 5, n: 200, model: "SIR", compartments: ["S", "I", "R"] });
    expect(result).not.toHaveProperty("series");
    // Counts are conserved at every record time.
    result.times.forEach((_, k) => expect(result.mean.S[k] + result.mean.I[k] + result.mean.R[k]).toBeCloseTo(200, 9));
    // The same scenario gives the same result (seeded), whatever ran before.
    const again = await submit({ scenario: sirScenario() });
    await waitForRun(t, again.body.id);
    const second = (await t.http.get(`/v1/runs/${again.body.id}/result`).expect(200)).body;
    expect(second.finalSize.values).toEqual((result as { finalSize: { values: number[] } }).finalSize.values);
  });

  it("GET /v1/runs/{id}/nodes: the final node states at the last record time; 422 for other times", async () => {
    const { body } = await submit({ scenario: sirScenario({ runs: 2 }) });
    await waitForRun(t, body.id);
    const result = (await t.http.get(`/v1/runs/${body.id}/result`)).body;
    const last = result.times[result.times.length - 1];
    const nodes = NodeStatesSchema.parse((await t.http.get(`/v1/runs/${body.id}/nodes`).expect(200)).body);
    expect(nodes.time).toBe(last);
    expect(nodes.run).toBe(0);
    expect(nodes.nodeIds).toHaveLength(200);
    expect(new Set(nodes.states)).toEqual(new Set(["S", "R"]));
    await t.http.get(`/v1/runs/${body.id}/nodes?time=${last}`).expect(200);
    const early = await t.http.get(`/v1/runs/${body.id}/nodes?time=0`);
    expect(early.status).toBe(422);
    expect(early.body.errors[0].path).toBe("query.time");
    expect((await t.http.get(`/v1/runs/${body.id}/nodes?time=soon`)).status).toBe(422);
  });

  it("GET /v1/runs/{id}/nodes?time=t with output.history: states at any time, consistent with the counts", async () => {
    // One run: the mean curve is that run's counts.
    const { body } = await submit({ scenario: sirScenario({ runs: 1, output: { history: true } }) });
    await waitForRun(t, body.id);
    const result = (await t.http.get(`/v1/runs/${body.id}/result`)).body;
    for (const k of [0, 3, 7, 12]) {
      const time = result.times[k];
      const nodes = NodeStatesSchema.parse((await t.http.get(`/v1/runs/${body.id}/nodes?time=${time}`).expect(200)).body);
      expect(nodes.time).toBe(time);
      const count = (c: string) => nodes.states!.filter((s: string) => s === c).length;
      for (const c of ["S", "I", "R"]) expect(count(c), `${c} at t = ${time}`).toBe(result.mean[c][k]);
    }
    expect((await t.http.get(`/v1/runs/${body.id}/nodes?time=1000`)).status).toBe(422);
  });

  it("reaction–diffusion fields give node values at any record time", async () => {
    const scenario = {
      name: "heat",
      network: { generate: { type: "path", n: 10 } },
      model: { type: "reaction-diffusion", preset: "heat", params: { D: 1 } },
      time: { mode: "continuous", tmax: 2, record: 0.5 },
      initial: { u: { nodes: { "0": 1 } } },
    };
    const { body } = await submit({ scenario });
    expect((await waitForRun(t, body.id)).status).toBe("succeeded");
    const at = (await t.http.get(`/v1/runs/${body.id}/nodes?time=1`).expect(200)).body;
    expect(at.time).toBe(1);
    expect(at.run).toBeNull();
    expect(at.values.u).toHaveLength(10);
    const total = at.values.u.reduce((s: number, x: number) => s + x, 0);
    expect(total).toBeCloseTo(1, 6); // heat is conserved
    expect((await t.http.get(`/v1/runs/${body.id}/nodes?time=0.7`)).status).toBe(422);
  });

  it("runs a scenario on a stored network (networkId)", async () => {
    const network = (await t.http.post("/v1/networks").send({ generate: { type: "barabasi-albert", n: 300, m: 2 }, seed: 5 }).expect(201)).body;
    const { network: _omit, ...withoutNetwork } = sirScenario({ runs: 3 });
    const { body } = await submit({ scenario: withoutNetwork, networkId: network.id });
    expect(body.networkId).toBe(network.id);
    expect(body.spec.network).toEqual({});
    expect((await waitForRun(t, body.id)).status).toBe("succeeded");
    const result = (await t.http.get(`/v1/runs/${body.id}/result`)).body;
    expect(result.n).toBe(300);
    // A stored network with a weight attribute named in the scenario.
    const weighted = await submit({ scenario: { ...withoutNetwork, network: { weight: "weight" } }, networkId: network.id });
    expect(weighted.body.spec.network).toEqual({ weight: "weight" });
  });

  it("takes YAML scenario text, in JSON (scenarioText) or as an application/yaml body", async () => {
    const yaml = [
      "name: yaml-sir",
      "seed: 3",
      "network:",
      "  generate: { type: watts-strogatz, n: 100, k: 4, beta: 0.1 }",
      "model: { preset: SIR, params: { beta: 0.5, gamma: 1 } }",
      "time: { mode: discrete, steps: 20 }",
      "initial: { I: { count: 3 } }",
      "runs: 2",
    ].join("\n");
    const fromJson = await submit({ scenarioText: yaml });
    const fromYaml = await t.http.post("/v1/runs").set("Content-Type", "application/yaml").send(yaml);
    expect(fromYaml.status).toBe(202);
    for (const id of [fromJson.body.id, fromYaml.body.id]) expect((await waitForRun(t, id)).status).toBe("succeeded");
    const a = (await t.http.get(`/v1/runs/${fromJson.body.id}/result`)).body;
    const b = (await t.http.get(`/v1/runs/${fromYaml.body.id}/result`)).body;
    expect(a.finalSize).toEqual(b.finalSize);
  });

  it("runs a sweep: one result per point", async () => {
    const { body } = await submit({ scenario: sirScenario({ runs: 2, sweep: { beta: [0.1, 0.8] } }) });
    expect(body.progress.total).toBe(4);
    expect((await waitForRun(t, body.id)).status).toBe("succeeded");
    const result = SweepResultSchema.parse((await t.http.get(`/v1/runs/${body.id}/result`)).body);
    expect(result.sweep.map((p) => p.label)).toEqual(["beta=0.1", "beta=0.8"]);
    expect((await t.http.get(`/v1/runs/${body.id}/nodes`)).status).toBe(422);
  });

  it("a run that fails at run time is failed with the error's name and message", async () => {
    const { body } = await submit({ scenario: sirScenario({ initial: { I: { nodes: ["no-such-node"] } }, runs: 1 }) });
    const row = await waitForRun(t, body.id);
    expect(row.status).toBe("failed");
    expect(row.error).toMatchObject({ name: "SimulationError" });
    expect(String((row.error as { message: string }).message)).toContain("no-such-node");
    const result = await t.http.get(`/v1/runs/${body.id}/result`);
    expect(result.status).toBe(409);
    expect(result.body.detail).toContain("failed");
  });

  it("GET /v1/runs lists runs, newest first, filtered by status", async () => {
    const app = makeApp({ workers: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await app.http.post("/v1/runs").send({ scenario: sirScenario({ runs: 1 }) }).expect(202)).body.id);
    await app.http.post("/v1/runs").send({ scenario: sirScenario({ runs: 1, initial: { I: { nodes: ["nope"] } } }) }).expect(202);
    for (const id of ids) await waitForRun(app, id);
    const all = RunPageSchema.parse((await app.http.get("/v1/runs?limit=2").expect(200)).body);
    expect(all.total).toBe(4);
    expect(all.items).toHaveLength(2);
    const rest = (await app.http.get(`/v1/runs?limit=2&cursor=${all.next}`).expect(200)).body;
    expect([...all.items, ...rest.items].map((r: { id: string }) => r.id).slice(1).reverse()).toEqual(ids);
    await waitFor(async () => ((await app.http.get("/v1/runs?status=failed")).body.total === 1 ? true : undefined));
    const succeeded = (await app.http.get("/v1/runs?status=succeeded").expect(200)).body;
    expect(succeeded.total).toBe(3);
    expect((await app.http.get("/v1/runs?status=finished")).status).toBe(422);
    await app.close();
  });
});

describe("validation problems", () => {
  const post = (body: unknown) => t.http.post("/v1/runs").send(body as object);

  it("wrong types are 422 with the field paths of the scenario", async () => {
    const res = await post({ scenario: sirScenario({ runs: "five", seed: -1 }) });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.body.type).toBe("https://spreadlab.dev/problems/scenario-invalid");
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["runs", "seed"]);
    // Positions would refer to the server's re-serialisation of an object: none are given.
    expect(res.body.errors[0].line).toBeUndefined();
  });

  it("an unknown model preset names the path and suggests the closest preset", async () => {
    const res = await post({ scenario: sirScenario({ model: { preset: "SIRR", params: { beta: 0.1, gamma: 1 } } }) });
    expect(res.status).toBe(422);
    const issue = res.body.errors.find((e: { path: string }) => e.path === "model.preset");
    expect(issue.message).toMatch(/did you mean "SIR"/i);
  });

  it("YAML text issues carry their line and column", async () => {
    const text = "network: { generate: { type: path, n: 5 } }\nmodel: { preset: SIR }\ntime: { mode: continuous, tmax: 5 }\ninitial: { I: { cont: 1 } }\n";
    const res = await post({ scenarioText: text });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ path: "initial.I.cont", line: 4 });
    const syntax = await post({ scenarioText: "model: [\n" });
    expect(syntax.status).toBe(422);
    expect(syntax.body.errors[0].path).toBe("(syntax)");
  });

  it("the envelope is checked: exactly one of scenario or scenarioText, no unknown fields", async () => {
    for (const body of [{}, [], { scenario: sirScenario(), scenarioText: "x: 1" }, { scenario: 5 }, { scenario: sirScenario(), extra: 1 }]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(422);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
  });

  it("the server reads no files of its own, and stored networks must exist", async () => {
    const file = await post({ scenario: sirScenario({ network: { file: "/etc/passwd" } }) });
    expect(file.status).toBe(422);
    expect(file.body.errors[0].path).toBe("network.file");
    const contacts = await post({ scenario: sirScenario({ network: { contacts: { file: "/etc/passwd", format: "intervals" } } }) });
    expect(contacts.status).toBe(422);
    expect(contacts.body.errors[0].path).toBe("network.contacts");
    const { network: _n, ...rest } = sirScenario();
    const missing = await post({ scenario: rest, networkId: "no-such-network" });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].path).toBe("networkId");
    const stored = (await t.http.post("/v1/networks").send({ generate: { type: "petersen" } })).body;
    const both = await post({ scenario: sirScenario(), networkId: stored.id });
    expect(both.status).toBe(422);
    expect(both.body.errors[0].path).toBe("network.generate");
    const noNetwork = await post({ scenario: rest });
    expect(noNetwork.status).toBe(422);
    expect(noNetwork.body.errors[0].path).toBe("network");
  });

  it("limits: runs per job, sweep size, network size, recorded values", async () => {
    const small = makeApp({ maxRuns: 10, maxRecordValues: 10_000 });
    const runs = await small.http.post("/v1/runs").send({ scenario: sirScenario({ runs: 11 }) });
    expect(runs.status).toBe(422);
    expect(runs.body).toMatchObject({ type: "https://spreadlab.dev/problems/too-many-runs", errors: [{ path: "runs" }] });
    // Three sweeps of 1000 values would be 10^9 points: refused before any is built.
    const sweep = await small.http.post("/v1/runs").send({ scenario: sirScenario({ runs: 1, sweep: { beta: { from: 0, to: 1, steps: 1000 }, gamma: { from: 0.1, to: 1, steps: 1000 } } }) });
    expect(sweep.status).toBe(422);
    expect(sweep.body.errors[0].path).toBe("sweep");
    const records = await small.http.post("/v1/runs").send({ scenario: sirScenario({ runs: 10, time: { mode: "continuous", tmax: 1000, record: 0.1 } }) });
    expect(records.status).toBe(422);
    expect(records.body.type).toBe("https://spreadlab.dev/problems/result-too-large");
    const big = await t.http.post("/v1/runs").send({ scenario: sirScenario({ network: { generate: { type: "erdos-renyi", n: 10_000_000 } } }) });
    expect(big.status).toBe(422);
    expect(big.body.errors[0].path).toBe("network.generate");
    await small.close();
  });

  it("unknown run ids are 404 problems on every run route", async () => {
    for (const path of ["", "/result", "/nodes", "/events"]) {
      const res = await t.http.get(`/v1/runs/nope${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers["content-type"]).toMatch(PROBLEM);
    }
    expect((await t.http.delete("/v1/runs/nope")).status).toBe(404);
  });
});
