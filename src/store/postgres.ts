/**
 * The Store (types.ts) on PostgreSQL through `pg` (node-postgres): a connection pool for queries and one
 * dedicated connection that LISTENs for the notices of the other instances on the same database.
 *
 * Same tables, migrations (migrations.ts, with BLOB read as BYTEA) and behaviour as the SQLite store; the
 * differences are only where the two engines differ:
 *   - Transactions: a pool client with BEGIN … COMMIT (ROLLBACK on any error, so nothing is half-written).
 *     Writes that append run events first lock the run row (`SELECT … FOR UPDATE`): the event seq is
 *     MAX(seq) + 1, and two instances appending to one run at once must not take the same number.
 *   - Claims: `UPDATE … WHERE id = $1 AND status = 'queued' RETURNING` is atomic: of several instances
 *     claiming one job, exactly one gets the row.
 *   - Notices: each run event does `pg_notify` in the transaction that stores it, so a listener is told only
 *     once the event is committed and readable. LISTEN/NOTIFY rather than Redis pub/sub: the store is
 *     already there and transactional, so a notice can never announce an event that was rolled back, and
 *     several instances need no Redis unless they also share a BullMQ queue. The channel carries the schema
 *     name, so stores in different schemas of one database (tests) do not hear each other.
 *   - Migrations: applied under a transaction-scoped advisory lock, so two instances starting at once on a
 *     new database apply each migration exactly once (postgres-setup.ts).
 */
import pg from "pg";
import { NotFoundError } from "../errors.js";
import { decodeBlob, decodeJson, encodeBlob, encodeJson } from "./codec.js";
import { StoreConnectionError, StoreSchemaError } from "./errors.js";
import { keysetPage } from "./postgres-pages.js";
import { migratePostgres, quoteIdent, redactUrl } from "./postgres-setup.js";
import { applyForecastPatch, applyRunPatch, FORECAST_COLUMNS, isStale, json, NETWORK_COLUMNS, now, toForecast, toNetwork, toRun, type EventRecord, type ForecastRecord, type NetworkRecord, type RunRecord } from "./rows.js";
import type { ForecastPatch, ForecastRow, InstanceRow, NetworkRow, Page, RunEvent, RunPatch, RunRow, RunStatus, Store, StoreNotice } from "./types.js";

export { redactUrl } from "./postgres-setup.js";

export interface PostgresStoreOptions {
  /** Schema for the tables (created if missing); default `public`. Tests use one schema per file. */
  schema?: string;
  /** Where connection losses of the listening connection are reported. Default: stderr. */
  log?: (line: string) => void;
}

type Queryable = Pick<pg.PoolClient, "query">;

// Byte order ("C"), as SQLite compares text: a locale collation would order ids and timestamps differently.

/** Open a pool on `url`, check that it answers, migrate, start listening. Fails with StoreConnectionError. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const schema = options.schema ?? "public";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new StoreConnectionError(`store: schema must be a plain identifier (letters, digits, _); got "${schema}".`);
  const shown = redactUrl(url);
  const config = { connectionString: url, connectionTimeoutMillis: 5000, options: `-c search_path=${schema}` };
  const pool = new pg.Pool({ ...config, max: 10 });
  // An idle client losing its connection emits here; without a listener that would crash the process.
  pool.on("error", () => {});
  const listener = new pg.Client(config);
  try {
    await listener.connect();
    await listener.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await migratePostgres(pool, shown);
  } catch (error) {
    await listener.end().catch(() => {});
    await pool.end().catch(() => {});
    if (error instanceof StoreSchemaError) throw error;
    const e = error as { code?: string; message?: string };
    throw new StoreConnectionError(`store: cannot use PostgreSQL at ${shown}: ${e.code ? `${e.code} ` : ""}${e.message ?? String(error)}. Start PostgreSQL, or fix --db / SPREADLAB_DB_URL.`);
  }
  const store = new PostgresStore(pool, listener, shown, `spreadlab:${schema}`, options.log ?? ((line) => process.stderr.write(line + "\n")));
  await store.listen();
  return store;
}

const isForeignKey = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === "23503";

class PostgresStore implements Store {
  readonly kind = "postgres" as const;
  private readonly listeners = new Set<(notice: StoreNotice) => void>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly listener: pg.Client,
    readonly path: string,
    private readonly channel: string,
    private readonly log: (line: string) => void,
  ) {}

  async listen(): Promise<void> {
    this.listener.on("notification", (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      let notice: StoreNotice;
      try {
        notice = JSON.parse(message.payload) as StoreNotice;
      } catch {
        return;
      }
      for (const listener of [...this.listeners]) listener(notice);
    });
    this.listener.on("error", (error) => {
      if (!this.closed) this.log(`spreadlab store: the PostgreSQL listening connection failed (${error.message}); live events from other instances stop until restart.`);
    });
    await this.listener.query(`LISTEN ${quoteIdent(this.channel)}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener.end().catch(() => {});
    await this.pool.end();
  }

  private async tx<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async one<T>(sql: string, params: unknown[], client: Queryable = this.pool): Promise<T | null> {
    return ((await client.query(sql, params)).rows[0] as T | undefined) ?? null;
  }

  // ── networks ───────────────────────────────────────────────────────────────────────────────────────────

  async insertNetwork(row: Omit<NetworkRow, "createdAt">, graph: Uint8Array): Promise<NetworkRow> {
    const blob = encodeBlob(graph);
    const createdAt = now();
    await this.pool.query(`INSERT INTO networks (${NETWORK_COLUMNS}, graph_codec, graph) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      row.id, row.name, createdAt, json(row.source), row.n, row.m, row.directed ? 1 : 0, json(row.stats), blob.codec, blob.bytes,
    ]);
    return { id: row.id, name: row.name, createdAt, source: row.source, n: row.n, m: row.m, directed: row.directed, stats: row.stats };
  }

  async getNetwork(id: string): Promise<NetworkRow | null> {
    const r = await this.one<NetworkRecord>(`SELECT ${NETWORK_COLUMNS} FROM networks WHERE id = $1`, [id]);
    return r ? toNetwork(r) : null;
  }

  async getNetworkGraph(id: string): Promise<Uint8Array | null> {
    const r = await this.one<{ codec: string; bytes: Buffer }>("SELECT graph_codec AS codec, graph AS bytes FROM networks WHERE id = $1", [id]);
    return r ? decodeBlob(r.codec, r.bytes) : null;
  }

  listNetworks(limit: number, cursor?: string | null): Promise<Page<NetworkRow>> {
    return keysetPage(this.pool, "networks", NETWORK_COLUMNS, toNetwork as (r: unknown) => NetworkRow, limit, cursor);
  }

  async deleteNetwork(id: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM networks WHERE id = $1", [id])).rowCount ?? 0) > 0;
  }

  // ── runs ───────────────────────────────────────────────────────────────────────────────────────────────

  async insertRun(row: Pick<RunRow, "id" | "spec" | "networkId"> & { total: number }): Promise<RunRow> {
    const t = now();
    try {
      const r = await this.one<RunRecord>(
        `INSERT INTO runs (id, created_at, updated_at, status, spec, network_id, progress_done, progress_total)
         VALUES ($1, $2, $2, 'queued', $3, $4, 0, $5) RETURNING *`,
        [row.id, t, json(row.spec), row.networkId, row.total],
      );
      return toRun(r!);
    } catch (e) {
      if (isForeignKey(e)) throw new NotFoundError(`store.insertRun: network "${row.networkId}" does not exist; store the network first or pass networkId: null.`);
      throw e;
    }
  }

  async getRun(id: string): Promise<RunRow | null> {
    const r = await this.one<RunRecord>("SELECT * FROM runs WHERE id = $1", [id]);
    return r ? toRun(r) : null;
  }

  listRuns(limit: number, cursor?: string | null, status?: RunStatus): Promise<Page<RunRow>> {
    return keysetPage(this.pool, "runs", "*", toRun as (r: unknown) => RunRow, limit, cursor, status);
  }

  async updateRun(id: string, patch: RunPatch, onlyIf?: readonly RunStatus[]): Promise<RunRow | null> {
    return this.tx((c) => this.updateRunIn(c, id, patch, onlyIf));
  }

  async claimRun(id: string, owner: string): Promise<RunRow | null> {
    return this.tx(async (c) => {
      const row = await this.updateRunIn(c, id, { status: "running" }, ["queued"]);
      if (row) await c.query("UPDATE runs SET owner = $2 WHERE id = $1", [id, owner]);
      return row;
    });
  }

  async completeRun(id: string, result: unknown): Promise<RunRow | null> {
    const blob = encodeJson(result); // compress before the transaction
    return this.tx(async (c) => {
      const before = await this.lockRun(c, id);
      if (!before) return null;
      const t = now();
      await c.query(
        `INSERT INTO results (run_id, codec, json, json_bytes) VALUES ($1, $2, $3, $4)
         ON CONFLICT (run_id) DO UPDATE SET codec = excluded.codec, json = excluded.json, json_bytes = excluded.json_bytes`,
        [id, blob.codec, blob.bytes, blob.rawBytes],
      );
      const r = await this.one<RunRecord>(
        `UPDATE runs SET status = 'succeeded', updated_at = $2, progress_done = progress_total, finished_at = $2, error = NULL WHERE id = $1 RETURNING *`,
        [id, t],
        c,
      );
      await this.appendEvent(c, id, "done", { status: "succeeded" }, t);
      return toRun(r!);
    });
  }

  async getResult(id: string): Promise<unknown | null> {
    const r = await this.one<{ codec: string; bytes: Buffer }>("SELECT codec, json AS bytes FROM results WHERE run_id = $1", [id]);
    return r ? decodeJson(r.codec, r.bytes) : null;
  }

  async deleteRun(id: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM runs WHERE id = $1", [id])).rowCount ?? 0) > 0;
  }

  async runEvents(id: string, afterSeq: number): Promise<RunEvent[]> {
    const rows = (await this.pool.query("SELECT seq, type, data, created_at FROM run_events WHERE run_id = $1 AND seq > $2 ORDER BY seq", [id, afterSeq])).rows as EventRecord[];
    return rows.map((r) => ({ seq: r.seq, type: r.type, data: JSON.parse(r.data), createdAt: r.created_at }));
  }

  async appendRunEvent(id: string, type: RunEvent["type"], data: unknown): Promise<RunEvent> {
    const createdAt = now();
    const seq = await this.tx(async (c) => {
      if (!(await this.lockRun(c, id))) throw new NotFoundError(`store.appendRunEvent: run "${id}" does not exist.`);
      return this.appendEvent(c, id, type, data, createdAt);
    });
    return { seq, type, data, createdAt };
  }

  // ── forecasts ──────────────────────────────────────────────────────────────────────────────────────────

  async insertForecast(row: Pick<ForecastRow, "id" | "spec">): Promise<ForecastRow> {
    const r = await this.one<ForecastRecord>(
      `INSERT INTO forecasts (id, created_at, updated_at, status, spec) VALUES ($1, $2, $2, 'queued', $3) RETURNING ${FORECAST_COLUMNS}`,
      [row.id, now(), json(row.spec)],
    );
    return toForecast(r!);
  }

  async getForecast(id: string): Promise<ForecastRow | null> {
    const r = await this.one<ForecastRecord>(`SELECT ${FORECAST_COLUMNS} FROM forecasts WHERE id = $1`, [id]);
    return r ? toForecast(r) : null;
  }

  listForecasts(limit: number, cursor?: string | null, status?: RunStatus): Promise<Page<ForecastRow>> {
    return keysetPage(this.pool, "forecasts", FORECAST_COLUMNS, toForecast as (r: unknown) => ForecastRow, limit, cursor, status);
  }

  async updateForecast(id: string, patch: ForecastPatch, onlyIf?: readonly RunStatus[]): Promise<ForecastRow | null> {
    return this.tx((c) => this.updateForecastIn(c, id, patch, onlyIf));
  }

  async claimForecast(id: string, owner: string): Promise<ForecastRow | null> {
    return this.tx(async (c) => {
      const row = await this.updateForecastIn(c, id, { status: "running" }, ["queued"]);
      if (row) await c.query("UPDATE forecasts SET owner = $2 WHERE id = $1", [id, owner]);
      return row;
    });
  }

  async completeForecast(id: string, result: unknown): Promise<ForecastRow | null> {
    const blob = encodeJson(result);
    const t = now();
    const r = await this.one<ForecastRecord>(
      `UPDATE forecasts SET status = 'succeeded', updated_at = $2, finished_at = $2, error = NULL, result_codec = $3, result = $4, result_bytes = $5
       WHERE id = $1 RETURNING ${FORECAST_COLUMNS}`,
      [id, t, blob.codec, blob.bytes, blob.rawBytes],
    );
    return r ? toForecast(r) : null;
  }

  async getForecastResult(id: string): Promise<unknown | null> {
    const r = await this.one<{ codec: string | null; bytes: Buffer }>("SELECT result_codec AS codec, result AS bytes FROM forecasts WHERE id = $1 AND result IS NOT NULL", [id]);
    return r ? decodeJson(r.codec ?? "identity", r.bytes) : null;
  }

  async deleteForecast(id: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM forecasts WHERE id = $1", [id])).rowCount ?? 0) > 0;
  }

  // ── instances and notices ──────────────────────────────────────────────────────────────────────────────

  async ownerOf(kind: "run" | "forecast", id: string): Promise<string | null> {
    const r = await this.one<{ owner: string | null }>(`SELECT owner FROM ${kind === "run" ? "runs" : "forecasts"} WHERE id = $1`, [id]);
    return r?.owner ?? null;
  }

  async heartbeat(id: string): Promise<void> {
    await this.pool.query("INSERT INTO instances (id, started_at, heartbeat_at) VALUES ($1, $2, $2) ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at", [id, now()]);
  }

  async removeInstance(id: string): Promise<void> {
    await this.pool.query("DELETE FROM instances WHERE id = $1", [id]);
  }

  async instances(): Promise<InstanceRow[]> {
    const rows = (await this.pool.query("SELECT id, started_at, heartbeat_at FROM instances ORDER BY id")).rows as { id: string; started_at: string; heartbeat_at: string }[];
    return rows.map((r) => ({ id: r.id, startedAt: r.started_at, heartbeatAt: r.heartbeat_at }));
  }

  async notify(notice: StoreNotice): Promise<void> {
    await this.pool.query("SELECT pg_notify($1, $2)", [this.channel, JSON.stringify(notice)]);
  }

  subscribe(listener: (notice: StoreNotice) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  // ── recovery ───────────────────────────────────────────────────────────────────────────────────────────

  async recoverInterrupted(reason: string, options: { keepQueued?: boolean; liveOwners?: readonly string[] } = {}): Promise<number> {
    const error = { name: "InterruptedError", message: reason };
    return this.tx(async (c) => {
      const t = now();
      const runs = (await c.query("SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY id FOR UPDATE")).rows as (RunRecord & { owner: string | null })[];
      const forecasts = (await c.query("SELECT id, status, owner FROM forecasts WHERE status IN ('queued', 'running') ORDER BY id FOR UPDATE")).rows as { id: string; status: string; owner: string | null }[];
      let marked = 0;
      for (const r of runs.filter((r) => isStale(r, options))) {
        await c.query("UPDATE runs SET status = 'failed', updated_at = $2, finished_at = $2, error = $3 WHERE id = $1", [r.id, t, json(error)]);
        await this.appendEvent(c, r.id, "status", { status: "failed", error }, t);
        marked++;
      }
      for (const r of forecasts.filter((r) => isStale(r, options))) {
        await c.query("UPDATE forecasts SET status = 'failed', updated_at = $2, finished_at = $2, error = $3 WHERE id = $1", [r.id, t, json(error)]);
        marked++;
      }
      return marked;
    });
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────────────────────

  /** Lock a run's row for the rest of the transaction (event seqs are allocated under it). */
  private async lockRun(c: Queryable, id: string): Promise<RunRow | null> {
    const r = await this.one<RunRecord>("SELECT * FROM runs WHERE id = $1 FOR UPDATE", [id], c);
    return r ? toRun(r) : null;
  }

  private async updateRunIn(c: Queryable, id: string, patch: RunPatch, onlyIf?: readonly RunStatus[]): Promise<RunRow | null> {
    const before = await this.lockRun(c, id);
    if (!before || (onlyIf !== undefined && !onlyIf.includes(before.status))) return null;
    const t = now();
    const next = applyRunPatch(before, patch, t);
    const r = await this.one<RunRecord>(
      `UPDATE runs SET status = $2, updated_at = $3, progress_done = $4, progress_total = $5, started_at = $6, finished_at = $7, error = $8
       WHERE id = $1 RETURNING *`,
      [id, next.status, t, next.progress.done, next.progress.total, next.startedAt, next.finishedAt, next.error === null ? null : json(next.error)],
      c,
    );
    for (const event of next.events) await this.appendEvent(c, id, event.type, event.data, t);
    return toRun(r!);
  }

  private async updateForecastIn(c: Queryable, id: string, patch: ForecastPatch, onlyIf?: readonly RunStatus[]): Promise<ForecastRow | null> {
    const locked = await this.one<ForecastRecord>(`SELECT ${FORECAST_COLUMNS} FROM forecasts WHERE id = $1 FOR UPDATE`, [id], c);
    if (!locked) return null;
    const before = toForecast(locked);
    if (onlyIf !== undefined && !onlyIf.includes(before.status)) return null;
    const t = now();
    const next = applyForecastPatch(before, patch, t);
    const r = await this.one<ForecastRecord>(
      `UPDATE forecasts SET status = $2, updated_at = $3, started_at = $4, finished_at = $5, error = $6 WHERE id = $1 RETURNING ${FORECAST_COLUMNS}`,
      [id, next.status, t, next.startedAt, next.finishedAt, next.error === null ? null : json(next.error)],
      c,
    );
    return toForecast(r!);
  }

  /** Inside a transaction holding the run's row lock; the notice is delivered when it commits. */
  private async appendEvent(c: Queryable, runId: string, type: RunEvent["type"], data: unknown, createdAt: string): Promise<number> {
    const r = await this.one<{ seq: number }>(
      `INSERT INTO run_events (run_id, seq, type, data, created_at)
       SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4 FROM run_events WHERE run_id = $1 RETURNING seq`,
      [runId, type, json(data), createdAt],
      c,
    );
    await c.query("SELECT pg_notify($1, $2)", [this.channel, JSON.stringify({ kind: "run-events", id: runId } satisfies StoreNotice)]);
    return r!.seq;
  }
}
