/**
 * An in-memory Store for the server tests: the interface of src/store/types.ts with the behaviour of the
 * SQLite store (src/store/sqlite.ts): newest-first paging with opaque cursors; insertRun appends no event;
 * updateRun appends a `status` event when the status changes and a `progress` event when the progress
 * changes, and sets startedAt/finishedAt on entering running/a final state unless given; completeRun sets
 * progress to its total and appends `done`; rows and results are copied as JSON, as from SQLite.
 * Forecasts: the same lifecycle without progress or events; completeForecast sets succeeded and finishedAt.
 */
import { SpreadlabError } from "../../src/errors.js";
import type { ForecastPatch, ForecastRow, NetworkRow, Page, RunEvent, RunRow, RunStatus, Store } from "../../src/store/types.js";

/** Same name as the SQLite store's error, which the server maps to 400. */
class InvalidCursorError extends SpreadlabError {
  override name = "InvalidCursorError";
}

const TERMINAL: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export class MemoryStore implements Store {
  readonly path = ":memory:";
  private networks = new Map<string, { row: NetworkRow; graph: Uint8Array; order: number }>();
  private runs = new Map<string, { row: RunRow; order: number; result: string | null; events: RunEvent[] }>();
  private forecasts = new Map<string, { row: ForecastRow; order: number; result: string | null }>();
  private counter = 0;
  private tick = 0;

  close(): void {}

  /** Strictly increasing timestamps, so ordering by createdAt is well defined within a test. */
  private now(): string {
    const t = Math.max(Date.now(), this.tick + 1);
    this.tick = t;
    return new Date(t).toISOString();
  }

  private page<T extends { id: string }>(entries: { row: T; order: number }[], limit: number, cursor: string | null | undefined): Page<T> {
    const sorted = [...entries].sort((a, b) => b.order - a.order);
    let start = 0;
    if (cursor) {
      const decoded = Buffer.from(cursor, "base64url").toString("utf8");
      const order = Number(decoded);
      if (!/^\d+$/.test(decoded) || !Number.isSafeInteger(order)) throw new InvalidCursorError(`store: invalid paging cursor "${cursor.slice(0, 40)}".`);
      start = sorted.findIndex((e) => e.order < order);
      if (start < 0) start = sorted.length;
    }
    const items = sorted.slice(start, start + limit);
    const more = start + limit < sorted.length;
    return {
      items: items.map((e) => clone(e.row)),
      total: sorted.length,
      next: more ? Buffer.from(String(items[items.length - 1].order), "utf8").toString("base64url") : null,
    };
  }

  insertNetwork(row: Omit<NetworkRow, "createdAt">, graph: Uint8Array): NetworkRow {
    const full: NetworkRow = { ...clone(row), createdAt: this.now() };
    this.networks.set(row.id, { row: full, graph: Uint8Array.from(graph), order: ++this.counter });
    return clone(full);
  }
  getNetwork(id: string): NetworkRow | null {
    const e = this.networks.get(id);
    return e ? clone(e.row) : null;
  }
  getNetworkGraph(id: string): Uint8Array | null {
    return this.networks.get(id)?.graph ?? null;
  }
  listNetworks(limit: number, cursor?: string | null): Page<NetworkRow> {
    return this.page([...this.networks.values()], limit, cursor);
  }
  deleteNetwork(id: string): boolean {
    return this.networks.delete(id);
  }

  insertRun(row: Pick<RunRow, "id" | "spec" | "networkId"> & { total: number }): RunRow {
    const t = this.now();
    const full: RunRow = {
      id: row.id,
      createdAt: t,
      updatedAt: t,
      status: "queued",
      spec: clone(row.spec),
      networkId: row.networkId,
      progress: { done: 0, total: row.total },
      startedAt: null,
      finishedAt: null,
      error: null,
    };
    this.runs.set(row.id, { row: full, order: ++this.counter, result: null, events: [] });
    return clone(full);
  }
  getRun(id: string): RunRow | null {
    const e = this.runs.get(id);
    return e ? clone(e.row) : null;
  }
  listRuns(limit: number, cursor?: string | null, status?: RunStatus): Page<RunRow> {
    return this.page([...this.runs.values()].filter((e) => status === undefined || e.row.status === status), limit, cursor);
  }
  updateRun(id: string, patch: Partial<Pick<RunRow, "status" | "progress" | "error" | "startedAt" | "finishedAt">>): RunRow | null {
    const e = this.runs.get(id);
    if (!e) return null;
    const before = e.row;
    const t = this.now();
    const statusChanged = patch.status !== undefined && patch.status !== before.status;
    const progressChanged = patch.progress !== undefined && (patch.progress.done !== before.progress.done || patch.progress.total !== before.progress.total);
    e.row = { ...before, ...clone(patch), updatedAt: t };
    if (statusChanged && e.row.status === "running" && e.row.startedAt === null) e.row.startedAt = t;
    if (statusChanged && TERMINAL.includes(e.row.status) && patch.finishedAt === undefined) e.row.finishedAt = t;
    if (statusChanged) {
      const terminalError = e.row.error !== null && TERMINAL.includes(e.row.status);
      this.appendRunEvent(id, "status", terminalError ? { status: e.row.status, error: e.row.error } : { status: e.row.status });
    }
    if (progressChanged) this.appendRunEvent(id, "progress", e.row.progress);
    return clone(e.row);
  }
  completeRun(id: string, result: unknown): RunRow | null {
    const e = this.runs.get(id);
    if (!e) return null;
    e.result = JSON.stringify(result);
    const t = this.now();
    e.row = { ...e.row, status: "succeeded", updatedAt: t, finishedAt: t, error: null, progress: { done: e.row.progress.total, total: e.row.progress.total } };
    this.appendRunEvent(id, "done", { status: "succeeded" });
    return clone(e.row);
  }
  getResult(id: string): unknown | null {
    const text = this.runs.get(id)?.result;
    return text ? (JSON.parse(text) as unknown) : null;
  }
  deleteRun(id: string): boolean {
    return this.runs.delete(id);
  }
  runEvents(id: string, afterSeq: number): RunEvent[] {
    return clone(this.runs.get(id)?.events.filter((e) => e.seq > afterSeq) ?? []);
  }
  appendRunEvent(id: string, type: RunEvent["type"], data: unknown): RunEvent {
    const e = this.runs.get(id);
    if (!e) throw new Error(`memory store: no run ${id}`);
    const event: RunEvent = { seq: e.events.length + 1, type, data: clone(data), createdAt: this.now() };
    e.events.push(event);
    return clone(event);
  }

  insertForecast(row: Pick<ForecastRow, "id" | "spec">): ForecastRow {
    const t = this.now();
    const full: ForecastRow = { id: row.id, createdAt: t, updatedAt: t, status: "queued", spec: clone(row.spec), startedAt: null, finishedAt: null, error: null };
    this.forecasts.set(row.id, { row: full, order: ++this.counter, result: null });
    return clone(full);
  }
  getForecast(id: string): ForecastRow | null {
    const e = this.forecasts.get(id);
    return e ? clone(e.row) : null;
  }
  listForecasts(limit: number, cursor?: string | null, status?: RunStatus): Page<ForecastRow> {
    return this.page([...this.forecasts.values()].filter((e) => status === undefined || e.row.status === status), limit, cursor);
  }
  updateForecast(id: string, patch: ForecastPatch): ForecastRow | null {
    const e = this.forecasts.get(id);
    if (!e) return null;
    const before = e.row;
    const t = this.now();
    const statusChanged = patch.status !== undefined && patch.status !== before.status;
    e.row = { ...before, ...clone(patch), updatedAt: t };
    if (statusChanged && e.row.status === "running" && e.row.startedAt === null) e.row.startedAt = t;
    if (statusChanged && TERMINAL.includes(e.row.status) && patch.finishedAt === undefined) e.row.finishedAt = t;
    return clone(e.row);
  }
  completeForecast(id: string, result: unknown): ForecastRow | null {
    const e = this.forecasts.get(id);
    if (!e) return null;
    e.result = JSON.stringify(result);
    const t = this.now();
    e.row = { ...e.row, status: "succeeded", updatedAt: t, finishedAt: t, error: null };
    return clone(e.row);
  }
  getForecastResult(id: string): unknown | null {
    const text = this.forecasts.get(id)?.result;
    return text ? (JSON.parse(text) as unknown) : null;
  }
  deleteForecast(id: string): boolean {
    return this.forecasts.delete(id);
  }

  recoverInterrupted(reason: string, options: { keepQueued?: boolean } = {}): number {
    let count = 0;
    const error = { name: "InterruptedError", message: reason };
    for (const e of this.runs.values()) {
      if ((e.row.status === "queued" && !options.keepQueued) || e.row.status === "running") {
        this.updateRun(e.row.id, { status: "failed", error, finishedAt: this.now() });
        count++;
      }
    }
    for (const e of this.forecasts.values()) {
      if ((e.row.status === "queued" && !options.keepQueued) || e.row.status === "running") {
        this.updateForecast(e.row.id, { status: "failed", error, finishedAt: this.now() });
        count++;
      }
    }
    return count;
  }
}
