/**
 * The SQLite store against its contract (src/store/types.ts): round trips, keyset paging, run events,
 * compressed results, cascades, restart recovery, migrations and the connection's pragmas.
 * File databases live in a fresh temporary directory per test; `:memory:` where a file is not the point.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { migrate, MIGRATIONS, SCHEMA_VERSION } from "../../src/store/migrations.js";
import { openStore } from "../../src/store/sqlite.js";
import type { RunRow, RunStatus, Store } from "../../src/store/types.js";

/** Deterministic bytes/numbers for test data (a 32-bit LCG; the project never uses Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function randomBytes(size: number, seed: number): Uint8Array {
  const next = lcg(seed);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = next() >>> 24;
  return bytes;
}

/** Bytes the database occupies on disk, WAL included. */
function diskBytes(file: string): number {
  const wal = `${file}-wal`;
  return statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0);
}

let dir: string;
let store: Store | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "spreadlab-store-"));
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const network = { id: "net-1", name: "kite", source: { generate: { type: "barabasi-albert", n: 10, m: 2 }, seed: 7 }, n: 10, m: 16, directed: false, stats: { meanDegree: 3.2, k2: 12.4 } };

describe("networks", () => {
  it("round-trips the row and a 1 MB graph blob byte for byte", async () => {
    store = openStore(join(dir, "nested", "folders", "spreadlab.db")); // parent folders are created
    const graph = randomBytes(1 << 20, 1);
    const row = await store.insertNetwork(network, graph);
    expect(row).toEqual({ ...network, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(await store.getNetwork("net-1")).toEqual(row);
    expect(Buffer.from((await store.getNetworkGraph("net-1"))!).equals(Buffer.from(graph))).toBe(true);
    expect(await store.getNetwork("nope")).toBeNull();
    expect(await store.getNetworkGraph("nope")).toBeNull();
  });

  it("returns a compressible graph unchanged (stored gzipped) and lists networks newest first", async () => {
    store = openStore(":memory:");
    const json = new TextEncoder().encode(JSON.stringify({ nodes: Array.from({ length: 5000 }, (_, i) => ({ key: String(i) })) }));
    await store.insertNetwork(network, json);
    await store.insertNetwork({ ...network, id: "net-2", directed: true }, new Uint8Array(0));
    expect(new TextDecoder().decode(await store.getNetworkGraph("net-1")!)).toBe(new TextDecoder().decode(json));
    expect((await store.getNetworkGraph("net-2"))!.byteLength).toBe(0);
    const page = await store.listNetworks(10);
    expect(page.items.map((n) => n.id)).toEqual(["net-2", "net-1"]); // later, or the same millisecond and a larger id
    expect(page.total).toBe(2);
    expect(page.next).toBeNull();
    expect((await store.getNetwork("net-2"))!.directed).toBe(true);

    await store.insertNetwork({ ...network, id: "net-3" }, new Uint8Array([1, 2, 3]));
    const first = await store.listNetworks(2);
    expect(first.items.map((n) => n.id)).toEqual(["net-3", "net-2"]);
    expect(first.next).not.toBeNull();
    expect(await store.listNetworks(2, first.next)).toMatchObject({ items: [{ id: "net-1" }], total: 3, next: null });
  });

  it("deleteNetwork removes it; runs made on it keep their spec with networkId null", async () => {
    store = openStore(":memory:");
    await store.insertNetwork(network, randomBytes(100, 2));
    await store.insertRun({ id: "run-1", spec: { name: "sir" }, networkId: "net-1", total: 10 });
    expect(await store.deleteNetwork("net-1")).toBe(true);
    expect(await store.deleteNetwork("net-1")).toBe(false);
    expect(await store.getNetwork("net-1")).toBeNull();
    expect(await store.getNetworkGraph("net-1")).toBeNull();
    expect(await store.getRun("run-1")).toMatchObject({ networkId: null, spec: { name: "sir" } });
  });
});

describe("runs", () => {
  it("round-trips a run: queued, progress 0 of total, no timestamps or error yet", async () => {
    store = openStore(":memory:");
    await store.insertNetwork(network, randomBytes(10, 3));
    const spec = { name: "SIR", seed: 42, model: { type: "compartmental", params: { beta: 0.08, gamma: 1 } } };
    const run = await store.insertRun({ id: "run-1", spec, networkId: "net-1", total: 100 });
    expect(run).toEqual({
      id: "run-1",
      createdAt: run.createdAt,
      updatedAt: run.createdAt,
      status: "queued",
      spec,
      networkId: "net-1",
      progress: { done: 0, total: 100 },
      startedAt: null,
      finishedAt: null,
      error: null,
    });
    expect(await store.getRun("run-1")).toEqual(run);
    expect(await store.getRun("nope")).toBeNull();
    expect(await store.updateRun("nope", { status: "running" })).toBeNull();
    expect(await store.completeRun("nope", {})).toBeNull();
    expect(await store.getResult("run-1")).toBeNull();
  });

  it("refuses a run on a network that does not exist (NotFoundError)", async () => {
    store = openStore(":memory:");
    await expect(store!.insertRun({ id: "r", spec: {}, networkId: "ghost", total: 1 })).rejects.toThrow(expect.objectContaining({ name: "NotFoundError" }));
  });
});

describe("paging", () => {
  // 25 runs over 9 distinct milliseconds, so ties on created_at are broken by id as the contract says.
  async function insert25(s: Store): Promise<RunRow[]> {
    vi.useFakeTimers({ toFake: ["Date"] });
    const base = Date.parse("2025-03-01T12:00:00.000Z");
    const rows: RunRow[] = [];
    for (let i = 0; i < 25; i++) {
      vi.setSystemTime(base + Math.floor(i / 3));
      const id = `run-${String((i * 7) % 25).padStart(2, "0")}`; // ids not in insertion order
      rows.push(await s.insertRun({ id, spec: { i }, networkId: null, total: 1 }));
    }
    vi.useRealTimers();
    return rows;
  }
  const newestFirst = (a: RunRow, b: RunRow): number =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;

  it("walks 25 runs in pages of 7: created_at DESC, id DESC, no duplicates, no gaps, total on every page", async () => {
    store = openStore(":memory:");
    const expected = (await insert25(store)).sort(newestFirst).map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await store.listRuns(7, cursor);
      expect(page.total).toBe(pages < 2 ? 25 : 26); // total counts what matches now
      expect(page.items.length).toBe(pages < 3 ? 7 : 4);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.next;
      pages++;
      if (pages === 2) await store.insertRun({ id: "late", spec: {}, networkId: null, total: 1 }); // newer: lands before page 1, never in later pages
    } while (cursor !== null);
    expect(pages).toBe(4);
    expect(seen).toEqual(expected);
    // 26 runs now: a page that holds them all has no next cursor; one short of that has.
    expect((await store.listRuns(26)).next).toBeNull();
    expect((await store.listRuns(25)).next).not.toBeNull();
  });

  it("filters by status, with its own total and cursors", async () => {
    store = openStore(":memory:");
    const rows = (await insert25(store)).sort(newestFirst);
    const running = rows.filter((_, i) => i % 3 === 0).map((r) => r.id); // 9 runs
    for (const id of running) await store.updateRun(id, { status: "running" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listRuns(4, cursor, "running");
      expect(page.total).toBe(9);
      expect(page.items.every((r) => r.status === "running")).toBe(true);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.next;
    } while (cursor !== null);
    expect(seen).toEqual(running); // order is by created_at, not by updated_at
    expect((await store.listRuns(100, null, "queued")).total).toBe(16);
    expect(await store.listRuns(100, null, "succeeded" satisfies RunStatus)).toEqual({ items: [], total: 0, next: null });
  });

  it("rejects a cursor it did not hand out, and a bad limit", async () => {
    store = openStore(":memory:");
    await expect(store!.listRuns(5, "not-a-cursor")).rejects.toThrow(expect.objectContaining({ name: "InvalidCursorError" }));
    await expect(store!.listNetworks(5, Buffer.from('{"a":1}').toString("base64url"))).rejects.toThrow(expect.objectContaining({ name: "InvalidCursorError" }));
    await expect(store!.listRuns(0)).rejects.toThrow(RangeError);
  });
});

describe("run events", () => {
  it("appends status and progress events with increasing seq; runEvents resumes after a seq", async () => {
    store = openStore(":memory:");
    await store.insertRun({ id: "r", spec: {}, networkId: null, total: 4 });
    const running = (await store.updateRun("r", { status: "running" }))!;
    expect(running.status).toBe("running");
    expect(running.startedAt).not.toBeNull();
    for (let done = 1; done <= 3; done++) await store.updateRun("r", { progress: { done, total: 4 } });
    await store.updateRun("r", { status: "running", progress: { done: 3, total: 4 } }); // no change: no event
    const events = await store.runEvents("r", 0);
    expect(events.map((e) => [e.seq, e.type, e.data])).toEqual([
      [1, "status", { status: "running" }],
      [2, "progress", { done: 1, total: 4 }],
      [3, "progress", { done: 2, total: 4 }],
      [4, "progress", { done: 3, total: 4 }],
    ]);
    expect((await store.runEvents("r", 2)).map((e) => e.seq)).toEqual([3, 4]);
    expect(await store.runEvents("r", 4)).toEqual([]);
    expect(await store.runEvents("ghost", 0)).toEqual([]);

    const extra = await store.appendRunEvent("r", "progress", { done: 3, total: 4, note: "heartbeat" });
    expect(extra.seq).toBe(5);
    expect(await store.runEvents("r", 4)).toEqual([extra]);
    await expect(store!.appendRunEvent("ghost", "status", {})).rejects.toThrow(expect.objectContaining({ name: "NotFoundError" }));

    const failed = (await store.updateRun("r", { status: "failed", error: { name: "SimulationError", message: "boom" } }))!;
    expect(failed.finishedAt).not.toBeNull();
    expect(failed.error).toEqual({ name: "SimulationError", message: "boom" });
    expect(await store.runEvents("r", 5)).toMatchObject([{ seq: 6, type: "status", data: { status: "failed", error: { name: "SimulationError", message: "boom" } } }]);
  });

  it("keeps seq per run", async () => {
    store = openStore(":memory:");
    await store.insertRun({ id: "a", spec: {}, networkId: null, total: 1 });
    await store.insertRun({ id: "b", spec: {}, networkId: null, total: 1 });
    await store.updateRun("a", { status: "running" });
    await store.updateRun("a", { status: "cancelled" });
    await store.updateRun("b", { status: "running" });
    expect((await store.runEvents("a", 0)).map((e) => e.seq)).toEqual([1, 2]);
    expect((await store.runEvents("b", 0)).map((e) => e.seq)).toEqual([1]);
  });
});

describe("results", () => {
  it("completeRun stores a 5 MB result compressed, flips to succeeded with a done event, and returns identical JSON", async () => {
    const file = join(dir, "results.db");
    store = openStore(file);
    await store.insertRun({ id: "big", spec: { runs: 1000 }, networkId: null, total: 1000 });
    await store.updateRun("big", { status: "running", progress: { done: 999, total: 1000 } });
    // An ensemble's worth of infectious counts: 1000 runs × 1001 record times of a random walk near 5,000.
    const next = lcg(11);
    const values = Array.from({ length: 1000 }, () => {
      let x = 5000;
      return Array.from({ length: 1001 }, () => (x = Math.max(0, x + ((next() >>> 16) % 41) - 20)));
    });
    const result = { schemaVersion: 1, runs: 1000, times: Array.from({ length: 1001 }, (_, i) => i * 0.5), values, elapsedMs: 1234.5 };
    const jsonBytes = Buffer.byteLength(JSON.stringify(result));
    expect(jsonBytes).toBeGreaterThan(5e6);

    const done = (await store.completeRun("big", result))!;
    expect(done).toMatchObject({ status: "succeeded", progress: { done: 1000, total: 1000 }, error: null });
    expect(done.finishedAt).not.toBeNull();
    expect((await store.runEvents("big", 0)).at(-1)).toMatchObject({ seq: 3, type: "done", data: { status: "succeeded" } });
    expect(await store.getResult("big")).toEqual(result);

    await store.close();
    store = undefined;
    const onDisk = diskBytes(file);
    expect(onDisk).toBeLessThan(0.4 * jsonBytes); // gzip-6 gets these counts to ~29 % of their JSON
    store = openStore(file);
    expect(await store.getResult("big")).toEqual(result);
  });

  it("deleteRun cascades to its result and events", async () => {
    store = openStore(":memory:");
    await store.insertRun({ id: "r", spec: {}, networkId: null, total: 1 });
    await store.updateRun("r", { status: "running" });
    await store.completeRun("r", { ok: true });
    expect(await store.getResult("r")).toEqual({ ok: true });
    expect(await store.deleteRun("r")).toBe(true);
    expect(await store.deleteRun("r")).toBe(false);
    expect(await store.getRun("r")).toBeNull();
    expect(await store.getResult("r")).toBeNull();
    expect(await store.runEvents("r", 0)).toEqual([]);
    // A run re-made with the same id starts clean: no orphan rows were left behind.
    await store.insertRun({ id: "r", spec: {}, networkId: null, total: 1 });
    expect(await store.getResult("r")).toBeNull();
    expect((await store.appendRunEvent("r", "status", { status: "queued" })).seq).toBe(1);
  });
});

describe("restart recovery", () => {
  it("marks runs left queued or running as failed (InterruptedError) and leaves finished ones and their results", async () => {
    const file = join(dir, "spreadlab.db");
    store = openStore(file);
    await store.insertRun({ id: "running", spec: {}, networkId: null, total: 10 });
    await store.updateRun("running", { status: "running", progress: { done: 4, total: 10 } });
    await store.insertRun({ id: "queued", spec: {}, networkId: null, total: 10 });
    await store.insertRun({ id: "done", spec: {}, networkId: null, total: 1 });
    await store.updateRun("done", { status: "running" });
    const finished = await store.completeRun("done", { finalSize: { mean: 42 } });
    await store.close();

    store = openStore(file);
    expect(await store.recoverInterrupted("server restarted")).toBe(2);
    for (const id of ["running", "queued"]) {
      const run = (await store.getRun(id))!;
      expect(run.status).toBe("failed");
      expect(run.error).toEqual({ name: "InterruptedError", message: "server restarted" });
      expect(run.finishedAt).not.toBeNull();
      expect((await store.runEvents(id, 0)).at(-1)).toMatchObject({ type: "status", data: { status: "failed", error: { name: "InterruptedError" } } });
    }
    expect((await store.getRun("running"))!.progress).toEqual({ done: 4, total: 10 });
    expect(await store.getRun("done")).toEqual(finished);
    expect(await store.getResult("done")).toEqual({ finalSize: { mean: 42 } });
    expect(await store.recoverInterrupted("again")).toBe(0);
  });
});

describe("migrations and connection", () => {
  it("applies every migration once; reopening applies none", async () => {
    const file = join(dir, "m.db");
    openStore(file).close();
    const read = (): unknown[] => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version").all();
      } finally {
        db.close();
      }
    };
    const first = read();
    expect(first.map((r) => (r as { version: number }).version)).toEqual(MIGRATIONS.map((m) => m.version));
    openStore(file).close();
    expect(read()).toEqual(first);

    const db = new Database(":memory:");
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(
      ["forecasts", "instances", "models", "networks", "results", "run_events", "runs", "schema_migrations"],
    );
    db.close();
  });

  it("refuses a database written by a newer version, and leaves it untouched", async () => {
    const file = join(dir, "future.db");
    openStore(file).close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(SCHEMA_VERSION + 1, new Date().toISOString());
    db.close();
    let error: unknown;
    try {
      openStore(file);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: "StoreSchemaError" });
    expect((error as Error).message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect((error as Error).message).toContain(`up to ${SCHEMA_VERSION}`);
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT MAX(version) FROM schema_migrations").pluck().get()).toBe(SCHEMA_VERSION + 1);
    check.close();
  });

  it("keeps a { memory: true } store off the disk", async () => {
    const file = join(dir, "never.db");
    store = openStore(file, { memory: true });
    await store.insertRun({ id: "r", spec: {}, networkId: null, total: 1 });
    expect(store.path).toBe(file);
    expect(existsSync(file)).toBe(false);
  });

  it("uses WAL, and the file stays in WAL for other connections", async () => {
    const file = join(dir, "wal.db");
    store = openStore(file);
    await store.insertRun({ id: "r", spec: {}, networkId: null, total: 1 });
    const other = new Database(file, { readonly: true });
    expect(other.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(other.prepare("SELECT COUNT(*) FROM runs").pluck().get()).toBe(1); // a reader alongside the writer
    await other.close();
    expect(store.path).toBe(file);
  });
});
