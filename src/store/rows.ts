/**
 * Rows as SQLite returns them (snake_case, JSON as text) and their conversion to the Store's rows, plus the
 * SQL fragments the queries share.
 */
import type { ForecastRow, NetworkRow, RunEvent, RunRow, RunStatus } from "./types.js";

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
