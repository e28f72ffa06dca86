/**
 * The API on the real store (SQLite in memory): the run flow, the event stream and cancellation, so that
 * the queue's event handling matches what src/store/sqlite.ts appends (it writes `done` itself on success).
 */
import { afterAll, describe, expect, it } from "vitest";
import request from "supertest";
import { openStore } from "../../src/store/sqlite.js";
import { createApp } from "../../src/server/app.js";
import { longScenario, parseSse, readStream, sirScenario, waitFor } from "./helpers.js";

const store = openStore(":memory:", { memory: true });
const made = createApp({ store, options: { token: null, workers: 2, log: () => {} } });
const http = request(made.app);
afterAll(async () => {
  await made.close();
  await store.close();
});

const finished = (id: string) =>
  waitFor(async () => {
    const row = (await http.get(`/v1/runs/${id}`)).body;
    return ["succeeded", "failed", "cancelled"].includes(row.status) ? row : undefined;
  });

describe("on the SQLite store", () => {
  it("runs a stored-network scenario to its result, with one done event", async () => {
    const network = (await http.post("/v1/networks").send({ generate: { type: "erdos-renyi", n: 200, k: 6 } }).expect(201)).body;
    expect((await http.get(`/v1/networks/${network.id}/graph`).expect(200)).body.nodes).toHaveLength(200);
    const { network: _n, ...scenario } = sirScenario();
    const { body } = await http.post("/v1/runs").send({ scenario, networkId: network.id }).expect(202);
    const row = await finished(body.id);
    expect(row).toMatchObject({ status: "succeeded", progress: { done: 5, total: 5 } });
    expect((await http.get(`/v1/runs/${body.id}/result`).expect(200)).body.n).toBe(200);
    const events = parseSse((await readStream(http.get(`/v1/runs/${body.id}/events`))).text);
    expect(events.filter((e) => e.event === "done")).toHaveLength(1);
    expect(events.at(-1)?.event).toBe("done");
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect((await http.get("/v1/runs?status=succeeded").expect(200)).body.total).toBe(1);
  });

  it("cancels a running job and streams its done event", async () => {
    const { body } = await http.post("/v1/runs").send({ scenario: longScenario() }).expect(202);
    await waitFor(async () => ((await http.get(`/v1/runs/${body.id}`)).body.status === "running" ? true : undefined));
    const stream = readStream(http.get(`/v1/runs/${body.id}/events`));
    await http.delete(`/v1/runs/${body.id}`).expect(202);
    const events = parseSse((await stream).text);
    expect(events.at(-1)).toMatchObject({ event: "done" });
    expect(JSON.parse(events.at(-1)!.data!)).toMatchObject({ status: "cancelled", error: { name: "CancelledError" } });
    expect((await finished(body.id)).status).toBe("cancelled");
    expect((await store.runEvents(body.id, 0)).filter((e) => e.type === "done")).toHaveLength(1);
  });

  it("a run left unfinished by a previous process reads as failed, and its stream ends", async () => {
    const { body } = await http.post("/v1/runs").send({ scenario: sirScenario({ runs: 1 }) }).expect(202);
    await finished(body.id);
    // A run row that no queue owns, as after a crash:
    await store.insertRun({ id: "orphan", spec: {}, networkId: null, total: 1 });
    expect(await store.recoverInterrupted("the server restarted before the run finished")).toBe(1);
    const events = parseSse((await readStream(http.get("/v1/runs/orphan/events"))).text);
    expect(events.at(-1)).toMatchObject({ event: "done" });
    expect((await http.get("/v1/runs/orphan")).body.error.name).toBe("InterruptedError");
  });
});

describe("startServer", () => {
  it("opens the database, recovers interrupted runs, listens, logs its URL and closes cleanly", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { startServer } = await import("../../src/server/index.js");
    const dir = mkdtempSync(join(tmpdir(), "spreadlab-serve-"));
    const dbPath = join(dir, "db", "spreadlab.db");
    // A run left "running" by a previous process.
    const previous = openStore(dbPath);
    await previous.insertRun({ id: "left-over", spec: {}, networkId: null, total: 1 });
    await previous.updateRun("left-over", { status: "running" });
    await previous.close();
    const lines: string[] = [];
    const running = await startServer({ port: 0, dbPath, token: null, handleSignals: false, log: (l) => lines.push(l) });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines.some((l) => l.includes(running.url))).toBe(true);
      const health = await (await fetch(`${running.url}/v1/health`)).json();
      expect(health.status).toBe("ok");
      const row = await (await fetch(`${running.url}/v1/runs/left-over`)).json();
      expect(row).toMatchObject({ status: "failed", error: { name: "InterruptedError", message: "the server restarted before the run finished" } });
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(running.server.listening).toBe(false);
  });
});

describe("restart mid-run", () => {
  it("closing the server while a job runs, then reopening the same database: finished results intact, the interrupted run failed", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { startServer } = await import("../../src/server/index.js");
    const dir = mkdtempSync(join(tmpdir(), "spreadlab-restart-"));
    const dbPath = join(dir, "spreadlab.db");
    const options = { port: 0, dbPath, token: null, handleSignals: false, log: () => {} };
    const first = await startServer(options);
    let doneId = "";
    let longId = "";
    let before: unknown;
    try {
      const post = async (scenario: unknown) => (await (await fetch(`${first.url}/v1/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario }) })).json()) as { id: string };
      doneId = (await post(sirScenario({ runs: 3 }))).id;
      await waitFor(async () => ((await (await fetch(`${first.url}/v1/runs/${doneId}`)).json()).status === "succeeded" ? true : undefined));
      before = await (await fetch(`${first.url}/v1/runs/${doneId}/result`)).json();
      longId = (await post(longScenario())).id;
      await waitFor(async () => ((await (await fetch(`${first.url}/v1/runs/${longId}`)).json()).status === "running" ? true : undefined));
    } finally {
      await first.close(); // mid-run: the store is closed under the running job
    }
    const second = await startServer(options);
    try {
      const after = await (await fetch(`${second.url}/v1/runs/${doneId}/result`)).json();
      expect(after).toEqual(before);
      const long = await (await fetch(`${second.url}/v1/runs/${longId}`)).json();
      expect(long.status).toBe("failed");
      expect(long.error).not.toBeNull();
      expect((await fetch(`${second.url}/v1/runs/${longId}/result`)).status).toBe(409);
    } finally {
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
