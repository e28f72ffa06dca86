/**
 * The Store (types.ts) on SQLite through better-sqlite3 12 (synchronous; one connection per process).
 *
 * Connection: WAL journal (readers never block the writer), synchronous = NORMAL (durable across process
 * crashes; an OS crash may lose the last commits but never corrupts), foreign_keys = ON (cascades, SET NULL),
 * busy timeout 5 s. Every write is one BEGIN IMMEDIATE transaction, so a second process waits for the lock
 * instead of failing half-way. Statements are prepared once, at open.
 *
 * Blobs: results are JSON gzipped (codec.ts), graphs gzipped when that helps; both opaque to callers.
 * Paging: keyset on (created_at DESC, id DESC) with opaque cursors (cursor.ts); `total` ignores the cursor.
 * Events: updateRun and completeRun append their events in the same transaction as the row change;
 * seq is MAX(seq) + 1 per run, allocated by the INSERT itself.
 * Forecasts: rows of the `forecasts` table (migrations 2 and 3), their result gzipped in the same row; no
 * events. Listing reads every column but the result blob.
 * Recovery: runs and forecasts left running by a dead process are marked failed, not re-run — the job that
 * was running when the process died may be what killed it (memory), and re-running it at every start would
 * crash-loop the server; a failed run with an explicit InterruptedError is unambiguous, and resubmitting its
 * stored spec gives the same result (runs are deterministic from their seed). Queued ones never started:
 * with `keepQueued` they stay queued for the server to re-queue (server/recover.ts).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { NotFoundError } from "../errors.js";
import { decodeBlob, decodeJson, encodeBlob, encodeJson } from "./codec.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { migrate } from "./migrations.js";
import { prepareStatements, type Statements } from "./sqlite-statements.js";
import { applyForecastPatch, applyRunPatch, isStale, NETWORK_COLUMNS, FORECAST_COLUMNS, AFTER_CURSOR, NEWEST_FIRST, now, json, toNetwork, toRun, toForecast, checkLimit, isForeignKeyError, type NetworkRecord, type RunRecord, type ForecastRecord, type EventRecord } from "./rows.js";

import type { ForecastPatch, ForecastRow, InstanceRow, NetworkRow, Page, RunEvent, RunPatch, RunRow, RunStatus, Store, StoreNotice } from "./types.js";

/** The Store with its Promises taken off: what better-sqlite3 answers. */
type Synchronous<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K] };
type SyncStore = Omit<Synchronous<Store>, "close" | "notify" | "subscribe" | "kind" | "path">;

export interface OpenStoreOptions {
  /** Keep everything in memory (tests); `path` is then only reported back. */
  memory?: boolean;
}

export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const memory = options.memory === true || path === ":memory:";
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(memory ? ":memory:" : path, { timeout: 5000 });
  try {
    db.pragma("journal_mode = WAL"); // in-memory databases answer "memory"; nothing to share there
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    migrate(db);
    return asyncStore(new SqliteStore(db), path, () => {
      if (db.open) db.close();
    });
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * The synchronous store wrapped in Promises (each call still runs to completion before it returns, so the
 * server's behaviour on SQLite is what it was). Notices reach the subscribers of this process only: a SQLite
 * file is one machine's, and several processes on it share rows but not live events.
 */
function asyncStore(sync: SyncStore, path: string, close: () => void): Store {
  const listeners = new Set<(notice: StoreNotice) => void>();
  const wrapped: Record<string, unknown> = {
    path,
    kind: "sqlite",
    close: async () => close(),
    notify: async (notice: StoreNotice) => {
      for (const listener of [...listeners]) listener(notice);
    },
    subscribe: (listener: (notice: StoreNotice) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  const proto = Object.getPrototypeOf(sync) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = proto[name];
    if (name === "constructor" || typeof method !== "function" || name in wrapped) continue;
    // async: a synchronous throw becomes a rejection, as from a network store.
    wrapped[name] = async (...args: unknown[]) => (method as (...a: unknown[]) => unknown).apply(sync, args);
  }
  return wrapped as unknown as Store;
}

class SqliteStore implements SyncStore {
  private readonly db: Database.Database;
  private readonly sql: Statements;

  constructor(db: Database.Database) {
    this.db = db;
    this.sql = prepareStatements(db);
  }

  // ── networks ───────────────────────────────────────────────────────────────────────────────────────────

  insertNetwork(row: Omit<NetworkRow, "createdAt">, graph: Uint8Array): NetworkRow {
    const blob = encodeBlob(graph);
    const createdAt = now();
    this.sql.insertNetwork.run({
      id: row.id,
      name: row.name,
      createdAt,
      source: json(row.source),
      n: row.n,
      m: row.m,
      directed: row.directed ? 1 : 0,
      stats: json(row.stats),
      codec: blob.codec,
      graph: blob.bytes,
    });
    return { id: row.id, name: row.name, createdAt, source: row.source, n: row.n, m: row.m, directed: row.directed, stats: row.stats };
  }

  getNetwork(id: string): NetworkRow | null {
    const r = this.sql.getNetwork.get(id) as NetworkRecord | undefined;
    return r ? toNetwork(r) : null;
  }

  getNetworkGraph(id: string): Uint8Array | null {
    const r = this.sql.getGraph.get(id) as { codec: string; bytes: Buffer } | undefined;
    return r ? decodeBlob(r.codec, r.bytes) : null;
  }

  listNetworks(limit: number, cursor?: string | null): Page<NetworkRow> {
    checkLimit(limit);
    const rows = (
      cursor
        ? this.sql.networksAfter.all({ ...decodeCursor(cursor), limit: limit + 1 })
        : this.sql.networksFirst.all({ limit: limit + 1 })
    ) as NetworkRecord[];
    return this.page(rows.map(toNetwork), limit, this.sql.countNetworks.get() as number);
  }

  deleteNetwork(id: string): boolean {
    return this.sql.deleteNetwork.run(id).changes > 0;
  }

  // ── runs ───────────────────────────────────────────────────────────────────────────────────────────────

  insertRun(row: Pick<RunRow, "id" | "spec" | "networkId"> & { total: number }): RunRow {
    try {
      this.sql.insertRun.run({ id: row.id, createdAt: now(), spec: json(row.spec), networkId: row.networkId, total: row.total });
    } catch (e) {
      if (isForeignKeyError(e)) {
        throw new NotFoundError(`store.insertRun: network "${row.networkId}" does not exist; store the network first or pass networkId: null.`);
      }
      throw e;
    }
    return this.getRun(row.id)!;
  }

  getRun(id: string): RunRow | null {
    const r = this.sql.getRun.get(id) as RunRecord | undefined;
    return r ? toRun(r) : null;
  }

  listRuns(limit: number, cursor?: string | null, status?: RunStatus): Page<RunRow> {
    checkLimit(limit);
    const after = cursor ? decodeCursor(cursor) : null;
    const params = { ...after, status, limit: limit + 1 };
    const statement = status
      ? after ? this.sql.runsByStatusAfter : this.sql.runsByStatusFirst
      : after ? this.sql.runsAfter : this.sql.runsFirst;
    const rows = statement.all(params) as RunRecord[];
    const total = (status ? this.sql.countRunsByStatus.get(status) : this.sql.countRuns.get()) as number;
    return this.page(rows.map(toRun), limit, total);
  }

  updateRun(id: string, patch: RunPatch, onlyIf?: readonly RunStatus[]): RunRow | null {
    return this.db
      .transaction(() => {
        const before = this.getRun(id);
        if (!before || (onlyIf !== undefined && !onlyIf.includes(before.status))) return null;
        const t = now();
        const next = applyRunPatch(before, patch, t);
        this.sql.updateRun.run({
          id,
          status: next.status,
          updatedAt: t,
          done: next.progress.done,
          total: next.progress.total,
          startedAt: next.startedAt,
          finishedAt: next.finishedAt,
          error: next.error === null ? null : json(next.error),
        });
        for (const event of next.events) this.appendEvent(id, event.type, event.data, t);
        return this.getRun(id);
      })
      .immediate();
  }

  claimRun(id: string, owner: string): RunRow | null {
    return this.db
      .transaction(() => {
        // One write transaction: the status check and the change cannot interleave with another claim.
        const row = this.updateRun(id, { status: "running" }, ["queued"]);
        if (row) this.sql.claimRun.run({ id, owner });
        return row;
      })
      .immediate();
  }

  completeRun(id: string, result: unknown): RunRow | null {
    const blob = encodeJson(result); // compress outside the write lock
    return this.db
      .transaction(() => {
        const before = this.getRun(id);
        if (!before) return null;
        const t = now();
        this.sql.putResult.run(id, blob.codec, blob.bytes, blob.rawBytes);
        this.sql.updateRun.run({
          id,
          status: "succeeded",
          updatedAt: t,
          done: before.progress.total,
          total: before.progress.total,
          startedAt: before.startedAt,
          finishedAt: t,
          error: null,
        });
        this.appendEvent(id, "done", { status: "succeeded" }, t);
        return this.getRun(id);
      })
      .immediate();
  }

  getResult(id: string): unknown | null {
    const r = this.sql.getResult.get(id) as { codec: string; bytes: Buffer } | undefined;
    return r ? decodeJson(r.codec, r.bytes) : null;
  }

  deleteRun(id: string): boolean {
    return this.sql.deleteRun.run(id).changes > 0; // results and events go by ON DELETE CASCADE
  }

  runEvents(id: string, afterSeq: number): RunEvent[] {
    const rows = this.sql.eventsAfter.all(id, afterSeq) as EventRecord[];
    return rows.map((r) => ({ seq: r.seq, type: r.type, data: JSON.parse(r.data), createdAt: r.created_at }));
  }

  appendRunEvent(id: string, type: RunEvent["type"], data: unknown): RunEvent {
    const createdAt = now();
    const seq = this.db.transaction(() => this.appendEvent(id, type, data, createdAt)).immediate();
    return { seq, type, data, createdAt };
  }

  // ── forecasts ──────────────────────────────────────────────────────────────────────────────────────────

  insertForecast(row: Pick<ForecastRow, "id" | "spec">): ForecastRow {
    this.sql.insertForecast.run({ id: row.id, createdAt: now(), spec: json(row.spec) });
    return this.getForecast(row.id)!;
  }

  getForecast(id: string): ForecastRow | null {
    const r = this.sql.getForecast.get(id) as ForecastRecord | undefined;
    return r ? toForecast(r) : null;
  }

  listForecasts(limit: number, cursor?: string | null, status?: RunStatus): Page<ForecastRow> {
    checkLimit(limit);
    const after = cursor ? decodeCursor(cursor) : null;
    const params = { ...after, status, limit: limit + 1 };
    const statement = status
      ? after ? this.sql.forecastsByStatusAfter : this.sql.forecastsByStatusFirst
      : after ? this.sql.forecastsAfter : this.sql.forecastsFirst;
    const rows = statement.all(params) as ForecastRecord[];
    const total = (status ? this.sql.countForecastsByStatus.get(status) : this.sql.countForecasts.get()) as number;
    return this.page(rows.map(toForecast), limit, total);
  }

  updateForecast(id: string, patch: ForecastPatch, onlyIf?: readonly RunStatus[]): ForecastRow | null {
    return this.db
      .transaction(() => {
        const before = this.getForecast(id);
        if (!before || (onlyIf !== undefined && !onlyIf.includes(before.status))) return null;
        const t = now();
        const next = applyForecastPatch(before, patch, t);
        this.sql.updateForecast.run({ id, status: next.status, updatedAt: t, startedAt: next.startedAt, finishedAt: next.finishedAt, error: next.error === null ? null : json(next.error) });
        return this.getForecast(id);
      })
      .immediate();
  }

  claimForecast(id: string, owner: string): ForecastRow | null {
    return this.db
      .transaction(() => {
        const row = this.updateForecast(id, { status: "running" }, ["queued"]);
        if (row) this.sql.claimForecast.run({ id, owner });
        return row;
      })
      .immediate();
  }

  completeForecast(id: string, result: unknown): ForecastRow | null {
    const blob = encodeJson(result); // compress outside the write lock
    return this.db
      .transaction(() => {
        const changed = this.sql.completeForecast.run({ id, t: now(), codec: blob.codec, bytes: blob.bytes, rawBytes: blob.rawBytes }).changes;
        return changed > 0 ? this.getForecast(id) : null;
      })
      .immediate();
  }

  getForecastResult(id: string): unknown | null {
    const r = this.sql.getForecastResult.get(id) as { codec: string | null; bytes: Buffer } | undefined;
    // Rows written by version 2 (none are known) would have no codec: their blob is read as stored.
    return r ? decodeJson(r.codec ?? "identity", r.bytes) : null;
  }

  deleteForecast(id: string): boolean {
    return this.sql.deleteForecast.run(id).changes > 0;
  }

  // ── recovery ───────────────────────────────────────────────────────────────────────────────────────────

  ownerOf(kind: "run" | "forecast", id: string): string | null {
    return ((kind === "run" ? this.sql.runOwner : this.sql.forecastOwner).get(id) as string | null | undefined) ?? null;
  }

  heartbeat(id: string): void {
    this.sql.heartbeat.run({ id, t: now() });
  }

  removeInstance(id: string): void {
    this.sql.removeInstance.run(id);
  }

  instances(): InstanceRow[] {
    return (this.sql.instances.all() as { id: string; started_at: string; heartbeat_at: string }[]).map((r) => ({ id: r.id, startedAt: r.started_at, heartbeatAt: r.heartbeat_at }));
  }

  recoverInterrupted(reason: string, options: { keepQueued?: boolean; liveOwners?: readonly string[] } = {}): number {
    const keep = (r: { status: string; owner: string | null }) => isStale(r, options);
    return this.db
      .transaction(() => {
        const staleForecasts = (this.sql.interruptedForecasts.all() as (ForecastRecord & { owner: string | null })[]).filter(keep);
        const stale = (this.sql.interruptedRuns.all() as (RunRecord & { owner: string | null })[]).filter(keep);
        const error = { name: "InterruptedError", message: reason };
        const t = now();
        for (const r of stale) {
          this.sql.updateRun.run({
            id: r.id,
            status: "failed",
            updatedAt: t,
            done: r.progress_done,
            total: r.progress_total,
            startedAt: r.started_at,
            finishedAt: t,
            error: json(error),
          });
          this.appendEvent(r.id, "status", { status: "failed", error }, t);
        }
        for (const r of staleForecasts) {
          this.sql.updateForecast.run({ id: r.id, status: "failed", updatedAt: t, startedAt: r.started_at, finishedAt: t, error: json(error) });
        }
        return stale.length + staleForecasts.length;
      })
      .immediate();
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────────────────────

  /** Must run inside a transaction of the caller's. */
  private appendEvent(runId: string, type: RunEvent["type"], data: unknown, createdAt: string): number {
    try {
      return this.sql.appendEvent.get({ runId, type, data: json(data), createdAt }) as number;
    } catch (e) {
      if (isForeignKeyError(e)) throw new NotFoundError(`store.appendRunEvent: run "${runId}" does not exist.`);
      throw e;
    }
  }

  /** `rows` holds up to limit + 1 rows: the extra one only says that another page exists. */
  private page<T extends { createdAt: string; id: string }>(rows: T[], limit: number, total: number): Page<T> {
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, total, next: rows.length > limit && last ? encodeCursor(last) : null };
  }
}
