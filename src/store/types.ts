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
  /** On start-up: runs left queued or running by a previous process are marked failed with this reason. */
  recoverInterrupted(reason: string): number;
}
