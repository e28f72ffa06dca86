/**
 * The persistent store's interface, implemented on SQLite (better-sqlite3, sqlite.ts: the embedded default)
 * and on PostgreSQL (pg, postgres.ts: shared by several server instances). The server and CLI talk to this
 * interface only; no SQL leaves src/store/.
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

/** A run's or forecast's owner: the server instance that claimed it, with its last heartbeat. */
export interface InstanceRow {
  id: string;
  startedAt: string;
  heartbeatAt: string;
}

/**
 * What one server instance tells the others through the store (Postgres: LISTEN/NOTIFY; SQLite: within the
 * process only). `run-events`: new events of a run are stored; `cancel-run` / `cancel-forecast`: a client
 * asked another instance to cancel a job that this one may be running.
 */
export interface StoreNotice {
  kind: "run-events" | "cancel-run" | "cancel-forecast";
  id: string;
}

export type RunPatch = Partial<Pick<RunRow, "status" | "progress" | "error" | "startedAt" | "finishedAt">>;

/**
 * Every method returns a Promise: SQLite (better-sqlite3) answers synchronously and is wrapped; PostgreSQL
 * (pg) answers over the network. Writes that change several rows are one transaction in both.
 */
export interface Store {
  /** The SQLite file, or the PostgreSQL URL without its password. */
  readonly path: string;
  readonly kind: "sqlite" | "postgres";
  close(): Promise<void>;

  insertNetwork(row: Omit<NetworkRow, "createdAt">, graph: Uint8Array): Promise<NetworkRow>;
  getNetwork(id: string): Promise<NetworkRow | null>;
  /** The serialised graph (graphology JSON, possibly compressed — opaque to callers: use the same codec). */
  getNetworkGraph(id: string): Promise<Uint8Array | null>;
  listNetworks(limit: number, cursor?: string | null): Promise<Page<NetworkRow>>;
  deleteNetwork(id: string): Promise<boolean>;

  insertRun(row: Pick<RunRow, "id" | "spec" | "networkId"> & { total: number }): Promise<RunRow>;
  getRun(id: string): Promise<RunRow | null>;
  listRuns(limit: number, cursor?: string | null, status?: RunStatus): Promise<Page<RunRow>>;
  /**
   * Change status/progress/error/timestamps; appends the matching event. Returns the updated row, or null
   * when there is no such run or (with `onlyIf`) its status is not one of those: a conditional update, so
   * two instances cannot both move a run out of the same state.
   */
  updateRun(id: string, patch: RunPatch, onlyIf?: readonly RunStatus[]): Promise<RunRow | null>;
  /**
   * queued → running for `owner` (an instance id), atomically (`UPDATE … WHERE status = 'queued'`): of
   * several instances claiming one run, exactly one gets the row, the others null.
   */
  claimRun(id: string, owner: string): Promise<RunRow | null>;
  /** Store the result (the v1 JSON, compact) in the same transaction as status → succeeded. */
  completeRun(id: string, result: unknown): Promise<RunRow | null>;
  getResult(id: string): Promise<unknown | null>;
  deleteRun(id: string): Promise<boolean>;
  /** Events of a run after `afterSeq` (0: all), in order. */
  runEvents(id: string, afterSeq: number): Promise<RunEvent[]>;
  appendRunEvent(id: string, type: RunEvent["type"], data: unknown): Promise<RunEvent>;

  /** Store a forecast as queued. */
  insertForecast(row: Pick<ForecastRow, "id" | "spec">): Promise<ForecastRow>;
  getForecast(id: string): Promise<ForecastRow | null>;
  /** Newest first, keyset-paged like runs; optionally only one status. */
  listForecasts(limit: number, cursor?: string | null, status?: RunStatus): Promise<Page<ForecastRow>>;
  /**
   * Change status/error/timestamps. Entering running sets startedAt, entering a final state sets finishedAt,
   * unless the patch gives them. Returns the updated row or null (no such forecast, or not in `onlyIf`).
   */
  updateForecast(id: string, patch: ForecastPatch, onlyIf?: readonly RunStatus[]): Promise<ForecastRow | null>;
  /** queued → running for `owner`, atomically, as claimRun. */
  claimForecast(id: string, owner: string): Promise<ForecastRow | null>;
  /** Store the result (JSON, compressed) in the same transaction as status → succeeded. */
  completeForecast(id: string, result: unknown): Promise<ForecastRow | null>;
  getForecastResult(id: string): Promise<unknown | null>;
  /** Delete the forecast and its result. */
  deleteForecast(id: string): Promise<boolean>;

  /** The instance that claimed a run or forecast (null: none, or claimed before owners were kept). */
  ownerOf(kind: "run" | "forecast", id: string): Promise<string | null>;
  /** Record that instance `id` is alive now (insert or refresh its heartbeat). */
  heartbeat(id: string): Promise<void>;
  /** Forget an instance (on a clean shutdown). */
  removeInstance(id: string): Promise<void>;
  instances(): Promise<InstanceRow[]>;

  /** Send a notice to every instance on this store (this one included). */
  notify(notice: StoreNotice): Promise<void>;
  /** Receive notices; returns the unsubscribe function. */
  subscribe(listener: (notice: StoreNotice) => void): () => void;

  /**
   * On start-up (and periodically): runs and forecasts left running by a dead instance are marked failed
   * (InterruptedError) with this reason, and so are queued ones unless `keepQueued` (the server re-queues
   * those: they never started). With `liveOwners`, running rows claimed by one of those instances are left
   * alone: another server on the same store is running them. Returns how many were marked.
   */
  recoverInterrupted(reason: string, options?: { keepQueued?: boolean; liveOwners?: readonly string[] }): Promise<number>;
}
