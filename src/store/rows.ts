/**
 * Rows as SQLite returns them (snake_case, JSON as text) and their conversion to the Store's rows, plus the
 * SQL fragments the queries share.
 */
import type { ForecastPatch, ForecastRow, NetworkRow, RunEvent, RunPatch, RunRow, RunStatus } from "./types.js";

export interface NetworkRecord {
  id: string;
  name: string;
  created_at: string;
  source: string;
  n: number;
  m: number;
  directed: number;
  stats: string;
}

export interface RunRecord {
  id: string;
  created_at: string;
  updated_at: string;
  status: RunStatus;
  spec: string;
  network_id: string | null;
  progress_done: number;
  progress_total: number;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

export interface ForecastRecord {
  id: string;
  created_at: string;
  updated_at: string;
  status: RunStatus;
  spec: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

export interface EventRecord {
  seq: number;
  type: RunEvent["type"];
  data: string;
  created_at: string;
}

export const TERMINAL: ReadonlySet<RunStatus> = new Set(["succeeded", "failed", "cancelled"]);
export const NETWORK_COLUMNS = "id, name, created_at, source, n, m, directed, stats";
export const FORECAST_COLUMNS = "id, created_at, updated_at, status, spec, started_at, finished_at, error";
export const AFTER_CURSOR = "(created_at, id) < (@createdAt, @id)";
export const NEWEST_FIRST = "ORDER BY created_at DESC, id DESC LIMIT @limit";

export const now = (): string => new Date().toISOString();
export const json = (value: unknown): string => JSON.stringify(value ?? null);

export function toNetwork(r: NetworkRecord): NetworkRow {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    source: JSON.parse(r.source),
    n: r.n,
    m: r.m,
    directed: r.directed === 1,
    stats: JSON.parse(r.stats),
  };
}

/**
 * A run row. Its spec is parsed when first read, not with the row: a spec may be large (a list of 120,000
 * seed ids is 0.7 MB) and most reads (progress updates, status changes) never look at it.
 */
export function toRun(r: RunRecord): RunRow {
  let spec: unknown;
  let parsed = false;
  const row = {
    id: r.id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status,
    get spec(): unknown {
      if (!parsed) {
        spec = JSON.parse(r.spec);
        parsed = true;
      }
      return spec;
    },
    set spec(value: unknown) {
      spec = value;
      parsed = true;
    },
    networkId: r.network_id,
    progress: { done: r.progress_done, total: r.progress_total },
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error === null ? null : (JSON.parse(r.error) as RunRow["error"]),
  };
  return row;
}

export function toForecast(r: ForecastRecord): ForecastRow {
  return {
    id: r.id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status,
    spec: JSON.parse(r.spec),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error === null ? null : (JSON.parse(r.error) as ForecastRow["error"]),
  };
}

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`store: page limit must be a positive integer; got ${limit}.`);
  }
}

export function isForeignKeyError(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === "SQLITE_CONSTRAINT_FOREIGNKEY";
}

/** Open (creating parent folders and the file if needed) and migrate a store. */

/** A run patch applied to the row before it (shared by both back ends): the new fields and the events to append. */
export function applyRunPatch(before: RunRow, patch: RunPatch, t: string) {
  const status = patch.status ?? before.status;
  const statusChanged = status !== before.status;
  const progress = patch.progress ?? before.progress;
  const progressChanged = progress.done !== before.progress.done || progress.total !== before.progress.total;
  const error = patch.error !== undefined ? patch.error : before.error;
  // Timestamps follow the status unless the caller sets them: first start, and entering a final state.
  let startedAt = patch.startedAt !== undefined ? patch.startedAt : before.startedAt;
  if (statusChanged && status === "running" && startedAt === null && patch.startedAt === undefined) startedAt = t;
  let finishedAt = patch.finishedAt !== undefined ? patch.finishedAt : before.finishedAt;
  if (statusChanged && TERMINAL.has(status) && patch.finishedAt === undefined) finishedAt = t;
  const events: { type: RunEvent["type"]; data: unknown }[] = [];
  if (statusChanged) events.push({ type: "status", data: error !== null && TERMINAL.has(status) ? { status, error } : { status } });
  if (progressChanged) events.push({ type: "progress", data: { done: progress.done, total: progress.total } });
  return { status, progress, error, startedAt, finishedAt, events };
}

/** A forecast patch applied to the row before it: timestamps follow the status as for runs. */
export function applyForecastPatch(before: ForecastRow, patch: ForecastPatch, t: string) {
  const status = patch.status ?? before.status;
  const statusChanged = status !== before.status;
  const error = patch.error !== undefined ? patch.error : before.error;
  let startedAt = patch.startedAt !== undefined ? patch.startedAt : before.startedAt;
  if (statusChanged && status === "running" && startedAt === null && patch.startedAt === undefined) startedAt = t;
  let finishedAt = patch.finishedAt !== undefined ? patch.finishedAt : before.finishedAt;
  if (statusChanged && TERMINAL.has(status) && patch.finishedAt === undefined) finishedAt = t;
  return { status, error, startedAt, finishedAt };
}

/** Which rows start-up recovery marks failed: not queued ones it keeps, not running ones of a live owner. */
export function isStale(row: { status: string; owner: string | null }, options: { keepQueued?: boolean; liveOwners?: readonly string[] }): boolean {
  if (row.status === "queued") return options.keepQueued !== true;
  return !(row.owner !== null && (options.liveOwners ?? []).includes(row.owner));
}
