/**
 * `GET /v1/runs/{id}/events` (Server-Sent Events): delivery until `done` with increasing ids, replay after
 * Last-Event-ID (header or query), live progress throttled to at most 4 updates per second, heartbeats.
 */
import { afterAll, describe, expect, it } from "vitest";
import { longScenario, makeApp, parseSse, readStream, sirScenario, waitFor, waitForRun } from "./helpers.js";

const t = makeApp({ workers: 2 });
afterAll(() => t.close());

describe("SSE", () => {
  it("streams a run from its start until done, with increasing ids", async () => {
    const { body } = await t.http.post("/v1/runs").send({ scenario: sirScenario({ runs: 20 }) }).expect(202);
    const res = await readStream(t.http.get(`/v1/runs/${body.id}/events`));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(res.headers["cache-control"]).toContain("no-cache");
    const events = parseSse(res.text).filter((e) => e.id !== undefined);
    const ids = events.map((e) => Number(e.id));
    ids.forEach((id, i) => i > 0 && expect(id).toBeGreaterThan(ids[i - 1]));
    expect(events[events.length - 1].event).toBe("done");
    expect(JSON.parse(events[events.length - 1].data!)).toMatchObject({ status: "succeeded" });
    const statuses = events.filter((e) => e.event === "status").map((e) => JSON.parse(e.data!).status);
    expect(statuses).toContain("running");
    const progress = events.filter((e) => e.event === "progress").map((e) => JSON.parse(e.data!));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[progress.length - 1]).toEqual({ done: 20, total: 20 });
  });

  it("replays only the events after Last-Event-ID (header or ?lastEventId=), then ends", async () => {
    const { body } = await t.http.post("/v1/runs").send({ scenario: sirScenario() }).expect(202);
    await waitForRun(t, body.id);
    const all = parseSse((await readStream(t.http.get(`/v1/runs/${body.id}/events`))).text);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const cut = Number(all[1].id);
    const fromHeader = parseSse((await readStream(t.http.get(`/v1/runs/${body.id}/events`).set("Last-Event-ID", String(cut)))).text);
    expect(fromHeader.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
    const fromQuery = parseSse((await readStream(t.http.get(`/v1/runs/${body.id}/events?lastEventId=${cut}`))).text);
    expect(fromQuery).toEqual(fromHeader);
    // Everything already delivered: 204 tells an EventSource to stop reconnecting.
    const lastId = all[all.length - 1].id;
    expect((await t.http.get(`/v1/runs/${body.id}/events`).set("Last-Event-ID", lastId!)).status).toBe(204);
    expect((await t.http.get(`/v1/runs/${body.id}/events`).set("Last-Event-ID", "soon")).status).toBe(422);
  });

  it("a client reconnecting mid-run gets the later events only, live, with heartbeats in between", async () => {
    const app = makeApp({ workers: 2, heartbeatMs: 40 });
    const { body } = await app.http.post("/v1/runs").send({ scenario: longScenario() }).expect(202);
    await waitFor(async () => ((await app.http.get(`/v1/runs/${body.id}`)).body.progress.done > 0 ? true : undefined));
    const seen = await app.store.runEvents(body.id, 0);
    const after = seen[seen.length - 1].seq;
    const started = Date.now();
    const stream = readStream(app.http.get(`/v1/runs/${body.id}/events`).set("Last-Event-ID", String(after)));
    await new Promise((r) => setTimeout(r, 600));
    await app.http.delete(`/v1/runs/${body.id}`).expect(202);
    const res = await stream;
    const seconds = (Date.now() - started) / 1000;
    const blocks = parseSse(res.text);
    expect(blocks.some((b) => b.comment === "heartbeat")).toBe(true);
    const events = blocks.filter((b) => b.id !== undefined);
    expect(Number(events[0].id)).toBe(after + 1);
    expect(events[events.length - 1]).toMatchObject({ event: "done" });
    expect(JSON.parse(events[events.length - 1].data!).status).toBe("cancelled");
    // Progress is written at most every 250 ms.
    const progress = events.filter((e) => e.event === "progress").length;
    expect(progress).toBeLessThanOrEqual(4 * seconds + 1);
    await app.close();
  });
});
