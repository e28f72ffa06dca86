/**
 * Two API instances on one PostgreSQL store (one schema for this file, tests/helpers/postgres.ts), each with
 * its own connection pool and LISTEN connection, as two `spreadlab serve` processes behind a proxy would be:
 * a run POSTed to A is listed, fetched, streamed (SSE, Last-Event-ID resume) and cancelled through B; exactly
 * one instance runs a job; start-up recovery (and the sweep once per lease) fails only the running jobs of
 * dead instances.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createApp } from "../../src/server/app.js";
import { startServer } from "../../src/server/index.js";
import { openPostgresStore } from "../../src/store/postgres.js";
import type { Store } from "../../src/store/types.js";
import { DATABASE_URL, dropSchema, testSchema } from "../helpers/postgres.js";
import { longScenario, parseSse, readStream, sirScenario, waitFor } from "./helpers.js";

const schema = testSchema();
const open = () => openPostgresStore(DATABASE_URL, { schema });
const options = { token: null, workers: 1, log: () => {}, leaseMs: 3000 };

let storeA: Store;
let storeB: Store;
let appA: ReturnType<typeof createApp>;
let appB: ReturnType<typeof createApp>;
let A: ReturnType<typeof request>;
let B: ReturnType<typeof request>;

beforeAll(async () => {
  storeA = await open();
  storeB = await open();
  appA = createApp({ store: storeA, options, webRoot: null });
  appB = createApp({ store: storeB, options, webRoot: null });
  await appA.instance.start();
  await appB.instance.start();
  A = request(appA.app);
  B = request(appB.app);
});

afterAll(async () => {
  await appA?.close();
  await appB?.close();
  await storeA?.close();
  await storeB?.close();
  await dropSchema(schema);
});

const finished = (http: ReturnType<typeof request>, id: string, timeoutMs = 60_000) =>
  waitFor(async () => {
    const row = (await http.get(`/v1/runs/${id}`)).body;
    return ["succeeded", "failed", "cancelled"].includes(row.status) ? row : undefined;
  }, timeoutMs);

describe("two instances on one PostgreSQL store", () => {
  it("a run POSTed to A is listed, fetched and streamed from B, with the same result on both", async () => {
    const { body } = await A.post("/v1/runs").send({ scenario: sirScenario({ runs: 40 }) }).expect(202);
    expect((await B.get(`/v1/runs/${body.id}`).expect(200)).body.id).toBe(body.id);
    expect((await B.get("/v1/runs").expect(200)).body.items.map((r: { id: string }) => r.id)).toContain(body.id);
    // B streams A's events live (LISTEN/NOTIFY), to the end.
    const events = parseSse((await readStream(B.get(`/v1/runs/${body.id}/events`))).text).filter((e) => e.id !== undefined);
    expect(events.at(-1)).toMatchObject({ event: "done" });
    expect(JSON.parse(events.at(-1)!.data!)).toMatchObject({ status: "succeeded" });
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1)); // every event once, in order
    // Resuming after the first event gives exactly the rest.
    const resumed = parseSse((await readStream(B.get(`/v1/runs/${body.id}/events`).set("Last-Event-ID", "1"))).text).filter((e) => e.id !== undefined);
    expect(resumed.map((e) => Number(e.id))).toEqual(ids.slice(1));
    const fromA = (await A.get(`/v1/runs/${body.id}/result`).expect(200)).body;
    const fromB = (await B.get(`/v1/runs/${body.id}/result`).expect(200)).body;
    expect(fromB).toEqual(fromA);
    // Exactly one instance ran it: the one that took the request.
    expect(await storeB.ownerOf("run", body.id)).toBe(appA.instance.id);
    // Deterministic from its seed: B running the same scenario itself gives the same numbers.
    const again = (await B.post("/v1/runs").send({ scenario: sirScenario({ runs: 40 }) }).expect(202)).body;
    await finished(B, again.id);
    const own = (await B.get(`/v1/runs/${again.id}/result`).expect(200)).body;
    expect(own.finalSize.values).toEqual(fromA.finalSize.values);
    expect(own.mean).toEqual(fromA.mean);
  });

  it("B cancels a job running on A; A stops it and B's stream ends with the cancellation", async () => {
    const { body } = await A.post("/v1/runs").send({ scenario: longScenario() }).expect(202);
    await waitFor(async () => ((await B.get(`/v1/runs/${body.id}`)).body.status === "running" ? true : undefined), 60_000);
    const stream = readStream(B.get(`/v1/runs/${body.id}/events`));
    const answer = await B.delete(`/v1/runs/${body.id}`).expect(202);
    expect(["running", "cancelled"]).toContain(answer.body.status);
    const events = parseSse((await stream).text).filter((e) => e.id !== undefined);
    expect(events.at(-1)).toMatchObject({ event: "done" });
    expect(JSON.parse(events.at(-1)!.data!)).toMatchObject({ status: "cancelled", error: { name: "CancelledError" } });
    const row = await finished(A, body.id, 30_000);
    expect(row.status).toBe("cancelled");
    expect(appA.jobs.counts().running).toBe(0); // A's workers stopped, not only the row
    expect((await storeA.runEvents(body.id, 0)).filter((e) => e.type === "done")).toHaveLength(1);
  });

  it("B cancels a job still queued on A at once, and A never runs it", async () => {
    const blocker = (await A.post("/v1/runs").send({ scenario: longScenario() }).expect(202)).body; // A runs one job at a time
    const queued = (await A.post("/v1/runs").send({ scenario: sirScenario() }).expect(202)).body;
    await waitFor(async () => ((await A.get(`/v1/runs/${blocker.id}`)).body.status === "running" ? true : undefined), 60_000);
    const answer = await B.delete(`/v1/runs/${queued.id}`).expect(202);
    expect(answer.body).toMatchObject({ status: "cancelled", error: { name: "CancelledError" } });
    await B.delete(`/v1/runs/${blocker.id}`).expect(202);
    await finished(A, blocker.id, 30_000);
    await new Promise((r) => setTimeout(r, 300)); // A's queue reaches the cancelled job: its claim must fail
    const row = (await A.get(`/v1/runs/${queued.id}`).expect(200)).body;
    expect(row).toMatchObject({ status: "cancelled", startedAt: null });
    expect(await storeA.getResult(queued.id)).toBeNull();
  });

  it("a forecast submitted to A is run once, by A, and read through B", async () => {
    const { body } = await A.post("/v1/forecasts").send({ dataset: "state360", region: "Alaska", horizons: [1, 2] }).expect(202);
    const row = await waitFor(async () => {
      const r = (await B.get(`/v1/forecasts/${body.id}`)).body;
      return r.status === "succeeded" ? r : undefined;
    }, 60_000);
    expect(row.result).toEqual((await A.get(`/v1/forecasts/${body.id}`).expect(200)).body.result);
    expect(await storeB.ownerOf("forecast", body.id)).toBe(appA.instance.id);
  });

  it("an instance starting up fails the running jobs of dead instances only", async () => {
    // A job running on live instance A.
    const live = (await A.post("/v1/runs").send({ scenario: longScenario() }).expect(202)).body;
    await waitFor(async () => ((await A.get(`/v1/runs/${live.id}`)).body.status === "running" ? true : undefined), 60_000);
    // A job left running by an instance that died (its heartbeat is older than the lease).
    await storeA.insertRun({ id: "dead-instance-run", spec: {}, networkId: null, total: 1 });
    await storeA.claimRun("dead-instance-run", "elsewhere:1:dead");
    await storeA.heartbeat("elsewhere:1:dead");
    await new Promise((r) => setTimeout(r, options.leaseMs + 200));

    const lines: string[] = [];
    const c = await startServer({ port: 0, dbPath: DATABASE_URL, dbSchema: schema, handleSignals: false, workers: 1, token: null, leaseMs: options.leaseMs, log: (l) => lines.push(l) });
    try {
      expect(lines.some((l) => l.includes("marked 1 interrupted job"))).toBe(true);
      const get = async (id: string) => (await (await fetch(`${c.url}/v1/runs/${id}`)).json()) as { status: string; error: { name: string } | null };
      expect(await get("dead-instance-run")).toMatchObject({ status: "failed", error: { name: "InterruptedError" } });
      // A is alive: its job is its own (still running, or finished by A on a fast machine — never failed by C).
      expect(["running", "succeeded"]).toContain((await get(live.id)).status);
      // An instance that dies while C runs: C's sweep (once per lease) fails its job once its heartbeat is stale.
      await storeA.insertRun({ id: "dies-later", spec: {}, networkId: null, total: 1 });
      await storeA.heartbeat("elsewhere:2:dies");
      await storeA.claimRun("dies-later", "elsewhere:2:dies");
      expect((await get("dies-later")).status).toBe("running");
      const failed = await waitFor(async () => {
        const row = await get("dies-later");
        return row.status === "failed" ? row : undefined;
      }, 4 * options.leaseMs, 100);
      expect(failed.error).toMatchObject({ name: "InterruptedError" });
      expect(["running", "succeeded"]).toContain((await get(live.id)).status);
    } finally {
      await c.close();
    }
    if ((await A.get(`/v1/runs/${live.id}`)).body.status === "running") {
      await B.delete(`/v1/runs/${live.id}`).expect(202);
      expect((await finished(A, live.id, 30_000)).status).toBe("cancelled");
    }
  });
});
