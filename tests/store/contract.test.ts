/**
 * The Store contract (src/store/types.ts) on both back ends: SQLite in memory and PostgreSQL (a fresh schema
 * per store, tests/helpers/postgres.ts). Networks, runs, events, results in one transaction with the status,
 * keyset paging, conditional updates and claims, instances, notices, and recovery that spares live owners.
 * SQLite-only matters (file, pragmas, migrations of old files) are in sqlite.test.ts; forecasts in
 * forecasts.test.ts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/sqlite.js";
import type { Store, StoreNotice } from "../../src/store/types.js";
import { openTestPostgresStore } from "../helpers/postgres.js";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const network = { id: "net-1", name: "kite", source: { generate: { type: "erdos-renyi", n: 10, k: 2 }, seed: 7 }, n: 10, m: 16, directed: false, stats: { meanDegree: 3.2 } };

let stores: Store[] = [];
afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
});

const backends: [string, () => Promise<Store>][] = [
  ["sqlite", async () => openStore(":memory:")],
  ["postgres", () => openTestPostgresStore()],
];

describe.each(backends)("the %s store", (kind, open) => {
  const fresh = async (): Promise<Store> => {
    const s = await open();
    stores.push(s);
    return s;
  };

  it("names its kind", async () => {
    expect((await fresh()).kind).toBe(kind);
  });

  it("round-trips a network and its graph bytes; deleting it leaves its runs readable", async () => {
    const store = await fresh();
    const graph = new Uint8Array(Array.from({ length: 5000 }, (_, i) => (i * 31) % 251));
    const row = await store.insertNetwork(network, graph);
    expect(row).toEqual({ ...network, createdAt: expect.stringMatching(ISO) });
    expect(await store.getNetwork("net-1")).toEqual(row);
    expect(Buffer.from((await store.getNetworkGraph("net-1"))!).equals(Buffer.from(graph))).toBe(true);
    await store.insertRun({ id: "r1", spec: { a: 1 }, networkId: "net-1", total: 3 });
    expect((await store.listNetworks(10)).total).toBe(1);
    expect(await store.deleteNetwork("net-1")).toBe(true);
    expect(await store.deleteNetwork("net-1")).toBe(false);
    expect((await store.getRun("r1"))!.networkId).toBeNull();
    await expect(store.insertRun({ id: "r2", spec: {}, networkId: "missing", total: 1 })).rejects.toMatchObject({ name: "NotFoundError" });
  });

  it("updateRun appends status and progress events in seq order; completeRun stores the result with succeeded and done", async () => {
    const store = await fresh();
    const queued = await store.insertRun({ id: "r1", spec: { seed: 3 }, networkId: null, total: 4 });
    expect(queued).toMatchObject({ status: "queued", progress: { done: 0, total: 4 }, startedAt: null, finishedAt: null, error: null });
    const running = (await store.updateRun("r1", { status: "running" }))!;
    expect(running.startedAt).toMatch(ISO);
    await store.updateRun("r1", { progress: { done: 2, total: 4 } });
    const result = { schemaVersion: 1, mean: { I: Array.from({ length: 500 }, (_, i) => i / 3) } };
    const done = (await store.completeRun("r1", result))!;
    expect(done).toMatchObject({ status: "succeeded", progress: { done: 4, total: 4 }, startedAt: running.startedAt });
    expect(done.finishedAt).toMatch(ISO);
    expect(await store.getResult("r1")).toEqual(result);
    const events = await store.runEvents("r1", 0);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, "status"],
      [2, "progress"],
      [3, "done"],
    ]);
    expect(events[0].data).toEqual({ status: "running" });
    expect((await store.runEvents("r1", 2)).map((e) => e.seq)).toEqual([3]);
    expect(await store.completeRun("nope", result)).toBeNull();
    await expect(store.appendRunEvent("nope", "done", {})).rejects.toMatchObject({ name: "NotFoundError" });
    expect(await store.deleteRun("r1")).toBe(true);
    expect(await store.getResult("r1")).toBeNull();
    expect(await store.runEvents("r1", 0)).toEqual([]);
  });

  it("pages runs newest first with cursors, by status, and refuses a forged cursor", async () => {
    const store = await fresh();
    for (let i = 0; i < 7; i++) {
      await store.insertRun({ id: `run-${i}`, spec: { i }, networkId: null, total: 1 });
      if (i % 2 === 0) await store.updateRun(`run-${i}`, { status: "failed", error: { name: "X", message: "x" } });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<Store["listRuns"]>> = await store.listRuns(3, cursor);
      expect(page.total).toBe(7);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.next;
    } while (cursor !== null);
    const all = await Promise.all(seen.map(async (id) => (await store.getRun(id))!));
    const key = (r: { createdAt: string; id: string }) => `${r.createdAt}|${r.id}`;
    expect(all.map(key)).toEqual([...all.map(key)].sort().reverse());
    expect(new Set(seen).size).toBe(7);
    const failed = await store.listRuns(10, null, "failed");
    expect(failed.total).toBe(4);
    expect(failed.items.every((r) => r.status === "failed")).toBe(true);
    await expect(store.listRuns(2, "not-a-cursor")).rejects.toMatchObject({ name: "InvalidCursorError" });
  });

  it("a conditional update applies only from the given states; of concurrent claims exactly one wins", async () => {
    const store = await fresh();
    await store.insertRun({ id: "r1", spec: {}, networkId: null, total: 1 });
    expect(await store.updateRun("r1", { status: "cancelled" }, ["running"])).toBeNull();
    expect((await store.getRun("r1"))!.status).toBe("queued");
    const claims = await Promise.all(["a", "b", "c", "d"].map((owner) => store.claimRun("r1", owner)));
    const winners = claims.filter((c) => c !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ status: "running", startedAt: expect.stringMatching(ISO) });
    const owner = await store.ownerOf("run", "r1");
    expect(["a", "b", "c", "d"]).toContain(owner);
    expect((await store.runEvents("r1", 0)).filter((e) => e.type === "status")).toHaveLength(1);
    expect(await store.claimRun("r1", "e")).toBeNull();

    await store.insertForecast({ id: "f1", spec: {} });
    const forecastClaims = await Promise.all(["a", "b", "c"].map((o) => store.claimForecast("f1", o)));
    expect(forecastClaims.filter((c) => c !== null)).toHaveLength(1);
    expect(await store.ownerOf("forecast", "f1")).not.toBeNull();
    expect(await store.ownerOf("run", "nope")).toBeNull();
  });

  it("keeps instance heartbeats, and recovery spares the running jobs of live owners only", async () => {
    const store = await fresh();
    await store.heartbeat("alive");
    await store.heartbeat("dead");
    const first = (await store.instances()).find((i) => i.id === "alive")!;
    expect(first.heartbeatAt).toMatch(ISO);
    await new Promise((r) => setTimeout(r, 5));
    await store.heartbeat("alive");
    const again = (await store.instances()).find((i) => i.id === "alive")!;
    expect(again.startedAt).toBe(first.startedAt);
    expect(again.heartbeatAt > first.heartbeatAt).toBe(true);
    await store.removeInstance("dead");
    expect((await store.instances()).map((i) => i.id)).toEqual(["alive"]);

    for (const id of ["mine", "theirs", "orphan", "waiting"]) await store.insertRun({ id, spec: {}, networkId: null, total: 1 });
    await store.claimRun("mine", "dead");
    await store.claimRun("theirs", "alive");
    await store.updateRun("orphan", { status: "running" }); // no owner: claimed before owners were kept
    await store.insertForecast({ id: "f-theirs", spec: {} });
    await store.claimForecast("f-theirs", "alive");
    expect(await store.recoverInterrupted("restarted", { keepQueued: true, liveOwners: ["alive"] })).toBe(2);
    const status = async (id: string) => (await store.getRun(id))!.status;
    expect([await status("mine"), await status("theirs"), await status("orphan"), await status("waiting")]).toEqual(["failed", "running", "failed", "queued"]);
    expect((await store.getRun("mine"))!.error).toEqual({ name: "InterruptedError", message: "restarted" });
    expect((await store.getForecast("f-theirs"))!.status).toBe("running");
    // Without live owners (one process, or the owner is gone), everything unfinished fails.
    expect(await store.recoverInterrupted("again")).toBe(3);
  });

  it("delivers notices to subscribers, run events included", async () => {
    const store = await fresh();
    const got: StoreNotice[] = [];
    const unsubscribe = store.subscribe((n) => got.push(n));
    await store.notify({ kind: "cancel-run", id: "x" });
    const deadline = Date.now() + 5000;
    while (got.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got).toContainEqual({ kind: "cancel-run", id: "x" });
    unsubscribe();
    await store.notify({ kind: "cancel-run", id: "y" });
    await new Promise((r) => setTimeout(r, 200));
    expect(got.some((n) => n.id === "y")).toBe(false);
  });
});

describe("PostgreSQL specifics", () => {
  it("a second store on the same schema hears the first one's run events (LISTEN/NOTIFY), and sees its rows", async () => {
    const { testSchema, dropSchema } = await import("../helpers/postgres.js");
    const { openPostgresStore } = await import("../../src/store/postgres.js");
    const { DATABASE_URL } = await import("../helpers/postgres.js");
    const schema = testSchema();
    const a = await openPostgresStore(DATABASE_URL, { schema });
    const b = await openPostgresStore(DATABASE_URL, { schema }); // migrations already applied: a no-op
    try {
      const heard: StoreNotice[] = [];
      b.subscribe((n) => heard.push(n));
      await a.insertRun({ id: "r1", spec: {}, networkId: null, total: 2 });
      await a.updateRun("r1", { status: "running" });
      const deadline = Date.now() + 5000;
      while (!heard.some((n) => n.kind === "run-events" && n.id === "r1") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toContainEqual({ kind: "run-events", id: "r1" });
      expect((await b.runEvents("r1", 0)).map((e) => e.type)).toEqual(["status"]);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(schema);
    }
  });

  it("an unreachable server is a StoreConnectionError naming the URL without its password", async () => {
    const { openPostgresStore } = await import("../../src/store/postgres.js");
    const error = await openPostgresStore("postgres://someone:secret@127.0.0.1:1/test").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "StoreConnectionError" });
    expect((error as Error).message).toContain("127.0.0.1:1");
    expect((error as Error).message).not.toContain("secret");
  });
});
