/**
 * The persistent store's interface (implemented with better-sqlite3 in sqlite.ts). The server and CLI talk
 * to this interface only; no SQL leaves src/store/.
 */

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface Page<T> {
  items: T[];
  /** Total matching rows. */
  total: number;
  /** Opaque cursor for the next page, or null at the end. */
  next: string | null;
}

export interface NetworkRow {
  id: string;
  name: string;
  createdAt: string;
  /** How it was made: a generator spec with its seed, or `{ upload: format, file }`. */
  source: unknown;
  n: number;
  /** Edges (not arcs). */
  m: number;
  directed: boolean;
  /** Degree statistics (JSON): mean degree, ⟨k²⟩, min/max, thresholds. */
  stats: unknown;
}

export interface RunRow {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  /** The scenario as submitted (JSON), with the seed actually used. */
  spec: unknown;
  /** Network id when the run references a stored network. */
  networkId: string | null;
  progress: { done: number; total: number };
  startedAt: string | null;
  finishedAt: string | null;
  /** { name, message } when failed or cancelled. */
  error: { name: string; message: string } | null;
}

/**
 * A forecast job (`POST /v1/forecasts`): same lifecycle and statuses as a run, no progress or events. The
 * result (quantiles per horizon) is stored compressed beside the row and read with `getForecastResult`.
 */
export interface ForecastRow {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  /** The request as validated, defaults filled in (asOf resolved to a row index; an upload described, not kept). */
  spec: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  /** { name, message } when failed or cancelled. */
  error: { name: string; message: string } | null;
}

export type ForecastPatch = Partial<Pick<ForecastRow, "status" | "error" | "startedAt" | "finishedAt">>;

export interface RunEvent {
  /** Increasing per run, from 1: the SSE id (Last-Event-ID resumes after it). */
  seq: number;
  type: "status" | "progress" | "done";
  data: unknown;
  createdAt: string;
}

export interface Store {
  readonly path: string;
  close(): void;

  insertNetwork(row: Omit<NetworkRow, "createdAt">, graph: Uint8Array): NetworkRow;
  getNetwork(id: string): NetworkRow | null;
  /** The serialised graph (graphology JSON, possibly compressed — opaque to callers: use the same codec). */
  getNetworkGraph(id: string): Uint8Array | null;
  listNetworks(limit: number, cursor?: string | null): Page<NetworkRow>;
  deleteNetwork(id: string): boolean;

  insertRun(row: Pick<RunRow, "id" | "spec" | "networkId"> & { total: number }): RunRow;
  getRun(id: string): RunRow | null;
  listRuns(limit: number, cursor?: string | null, status?: RunStatus): Page<RunRow>;
  /** Change status/progress/error/timestamps; appends the matching event. Returns the updated row or null. */
  updateRun(id: string, patch: Partial<Pick<RunRow, "status" | "progress" | "error" | "startedAt" | "finishedAt">>): RunRow | null;
  /** Store the result (the v1 JSON, compact) in the same transaction as status → succeeded. */
  completeRun(id: string, result: unknown): RunRow | null;
  getResult(id: string): unknown | null;
  deleteRun(id: string): boolean;
  /** Events of a run after `afterSeq` (0: all), in order. */
  runEvents(id: string, afterSeq: number): RunEvent[];
  appendRunEvent(id: string, type: RunEvent["type"], data: unknown): RunEvent;

  /** Store a forecast as queued. */
  insertForecast(row: Pick<ForecastRow, "id" | "spec">): ForecastRow;
  getForecast(id: string): ForecastRow | null;
  /** Newest first, keyset-paged like runs; optionally only one status. */
  listForecasts(limit: number, cursor?: string | null, status?: RunStatus): Page<ForecastRow>;
  /**
   * Change status/error/timestamps. Entering running sets startedAt, entering a final state sets finishedAt,
   * unless the patch gives them. Returns the updated row or null.
   */
  updateForecast(id: string, patch: ForecastPatch): ForecastRow | null;
  /** Store the result (JSON, compressed) in the same transaction as status → succeeded. */
  completeForecast(id: string, result: unknown): ForecastRow | null;
  getForecastResult(id: string): unknown | null;
  /** Delete the forecast and its result. */
  deleteForecast(id: string): boolean;

  /**
   * On start-up: runs and forecasts left running by a previous process are marked failed (InterruptedError)
   * with this reason, and so are queued ones unless `keepQueued` (the server re-queues those: they never
   * started). Returns how many were marked, runs and forecasts together.
   */
  recoverInterrupted(reason: string, options?: { keepQueued?: boolean }): number;
}
