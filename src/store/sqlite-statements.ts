/**
 * The SQLite store's statements (sqlite.ts): their SQL, prepared once per connection, at open. Column lists and
 * paging clauses are shared with the PostgreSQL store (rows.ts).
 */
import type Database from "better-sqlite3";
import { AFTER_CURSOR, FORECAST_COLUMNS, NETWORK_COLUMNS, NEWEST_FIRST } from "./rows.js";

const SQL = {
  insertNetwork: `INSERT INTO networks (${NETWORK_COLUMNS}, graph_codec, graph)
     VALUES (@id, @name, @createdAt, @source, @n, @m, @directed, @stats, @codec, @graph)`,
  getNetwork: `SELECT ${NETWORK_COLUMNS} FROM networks WHERE id = ?`,
  getGraph: "SELECT graph_codec AS codec, graph AS bytes FROM networks WHERE id = ?",
  networksFirst: `SELECT ${NETWORK_COLUMNS} FROM networks ${NEWEST_FIRST}`,
  networksAfter: `SELECT ${NETWORK_COLUMNS} FROM networks WHERE ${AFTER_CURSOR} ${NEWEST_FIRST}`,
  countNetworks: "SELECT COUNT(*) FROM networks",
  deleteNetwork: "DELETE FROM networks WHERE id = ?",

  insertRun: `INSERT INTO runs (id, created_at, updated_at, status, spec, network_id, progress_done, progress_total)
     VALUES (@id, @createdAt, @createdAt, 'queued', @spec, @networkId, 0, @total)`,
  getRun: "SELECT * FROM runs WHERE id = ?",
  runsFirst: `SELECT * FROM runs ${NEWEST_FIRST}`,
  runsAfter: `SELECT * FROM runs WHERE ${AFTER_CURSOR} ${NEWEST_FIRST}`,
  runsByStatusFirst: `SELECT * FROM runs WHERE status = @status ${NEWEST_FIRST}`,
  runsByStatusAfter: `SELECT * FROM runs WHERE status = @status AND ${AFTER_CURSOR} ${NEWEST_FIRST}`,
  countRuns: "SELECT COUNT(*) FROM runs",
  countRunsByStatus: "SELECT COUNT(*) FROM runs WHERE status = ?",
  updateRun: `UPDATE runs SET status = @status, updated_at = @updatedAt, progress_done = @done, progress_total = @total,
       started_at = @startedAt, finished_at = @finishedAt, error = @error
     WHERE id = @id`,
  interruptedRuns: "SELECT * FROM runs WHERE status IN ('queued', 'running')",
  claimRun: "UPDATE runs SET owner = @owner WHERE id = @id",
  runOwner: "SELECT owner FROM runs WHERE id = ?",
  forecastOwner: "SELECT owner FROM forecasts WHERE id = ?",
  claimForecast: "UPDATE forecasts SET owner = @owner WHERE id = @id",
  heartbeat: `INSERT INTO instances (id, started_at, heartbeat_at) VALUES (@id, @t, @t)
     ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
  removeInstance: "DELETE FROM instances WHERE id = ?",
  instances: "SELECT id, started_at, heartbeat_at FROM instances ORDER BY id",
  deleteRun: "DELETE FROM runs WHERE id = ?",

  putResult: `INSERT INTO results (run_id, codec, json, json_bytes) VALUES (?, ?, ?, ?)
     ON CONFLICT (run_id) DO UPDATE SET codec = excluded.codec, json = excluded.json, json_bytes = excluded.json_bytes`,
  getResult: "SELECT codec, json AS bytes FROM results WHERE run_id = ?",

  // One statement reads MAX(seq) and inserts, so the seq cannot be taken twice.
  appendEvent: `INSERT INTO run_events (run_id, seq, type, data, created_at)
     SELECT @runId, COALESCE(MAX(seq), 0) + 1, @type, @data, @createdAt FROM run_events WHERE run_id = @runId
     RETURNING seq`,
  eventsAfter: "SELECT seq, type, data, created_at FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq",

  insertForecast: `INSERT INTO forecasts (id, created_at, updated_at, status, spec) VALUES (@id, @createdAt, @createdAt, 'queued', @spec)`,
  getForecast: `SELECT ${FORECAST_COLUMNS} FROM forecasts WHERE id = ?`,
  forecastsFirst: `SELECT ${FORECAST_COLUMNS} FROM forecasts ${NEWEST_FIRST}`,
  forecastsAfter: `SELECT ${FORECAST_COLUMNS} FROM forecasts WHERE ${AFTER_CURSOR} ${NEWEST_FIRST}`,
  forecastsByStatusFirst: `SELECT ${FORECAST_COLUMNS} FROM forecasts WHERE status = @status ${NEWEST_FIRST}`,
  forecastsByStatusAfter: `SELECT ${FORECAST_COLUMNS} FROM forecasts WHERE status = @status AND ${AFTER_CURSOR} ${NEWEST_FIRST}`,
  countForecasts: "SELECT COUNT(*) FROM forecasts",
  countForecastsByStatus: "SELECT COUNT(*) FROM forecasts WHERE status = ?",
  updateForecast: `UPDATE forecasts SET status = @status, updated_at = @updatedAt, started_at = @startedAt, finished_at = @finishedAt, error = @error
     WHERE id = @id`,
  completeForecast: `UPDATE forecasts SET status = 'succeeded', updated_at = @t, finished_at = @t, error = NULL,
       result_codec = @codec, result = @bytes, result_bytes = @rawBytes
     WHERE id = @id`,
  getForecastResult: "SELECT result_codec AS codec, result AS bytes FROM forecasts WHERE id = ? AND result IS NOT NULL",
  interruptedForecasts: `SELECT ${FORECAST_COLUMNS}, owner FROM forecasts WHERE status IN ('queued', 'running')`,
  deleteForecast: "DELETE FROM forecasts WHERE id = ?",
} as const;

/** Statements that answer the first column's value instead of a row. */
const PLUCKED: ReadonlySet<keyof typeof SQL> = new Set(["countNetworks", "countRuns", "countRunsByStatus", "runOwner", "forecastOwner", "appendEvent", "countForecasts", "countForecastsByStatus"]);

export type Statements = Record<keyof typeof SQL, Database.Statement>;

export function prepareStatements(db: Database.Database): Statements {
  const out = {} as Statements;
  for (const name of Object.keys(SQL) as (keyof typeof SQL)[]) {
    const statement = db.prepare(SQL[name]);
    out[name] = PLUCKED.has(name) ? statement.pluck() : statement;
  }
  return out;
}
