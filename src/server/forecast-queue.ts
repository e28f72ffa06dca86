/**
 * The forecast job queue: bounded (full → 503 with Retry-After), `concurrency` jobs at once, each with a
 * wall-clock limit and an AbortController; a job's work yields between horizons, so cancellation and the
 * time limit take effect there. Closing the app fails what is left. (The runs queue in jobs.ts is tied to
 * scenarios and the runs table; forecasts are a different resource with their own rows.)
 */
import { randomUUID } from "node:crypto";
import type { ForecastRow, RunStatus, Store } from "../store/types.js";
import { QueueFullError } from "./jobs.js";

export type ForecastTask = (signal: AbortSignal) => Promise<unknown>;

export interface ForecastQueueOptions {
  concurrency: number;
  maxQueued: number;
  maxWallMs: number;
  log: (line: string) => void;
}

interface Active {
  controller: AbortController;
  stop: "cancelled" | "time" | "shutdown" | null;
  settled: Promise<void>;
}

/** Errors that are the request's fault: reported in the forecast, not logged. */
const LIBRARY_ERRORS = new Set(["DataError", "ForecastError", "NotFoundError", "SpreadlabError"]);

/** A bounded queue of forecast jobs (see the file header): queued → running → succeeded | failed | cancelled. */
export class ForecastQueue {
  private readonly waiting: { id: string; task: ForecastTask }[] = [];
  private readonly active = new Map<string, Active>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly options: ForecastQueueOptions,
  ) {}

  counts(): { queued: number; running: number } {
    return { queued: this.waiting.length, running: this.active.size };
  }

  /** Store the forecast as queued and schedule it. Throws QueueFullError. */
  submit(spec: unknown, task: ForecastTask): ForecastRow {
    if (this.closed) throw new QueueFullError("the server is shutting down.");
    if (this.waiting.length >= this.options.maxQueued) throw new QueueFullError(`${this.waiting.length} forecasts are already waiting; try again later.`);
    const id = randomUUID();
    const row = this.store.insertForecast({ id, spec });
    this.waiting.push({ id, task });
    // Start on a later turn of the event loop: the 202 answer goes out first.
    setImmediate(() => this.pump());
    return row;
  }

  /** Cancel a queued (at once) or running (at its next horizon) forecast; false when it is neither here. */
  cancel(id: string): boolean {
    const index = this.waiting.findIndex((w) => w.id === id);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      this.finish(id, "cancelled", { name: "CancelledError", message: "cancelled by request before it started." });
      return true;
    }
    const active = this.active.get(id);
    if (active === undefined) return false;
    active.stop ??= "cancelled";
    active.controller.abort(new Error("cancelled"));
    return true;
  }

  /** Stop taking forecasts; queued and running ones fail with ShutdownError; resolves when they have stopped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { id } of this.waiting.splice(0)) this.finish(id, "failed", { name: "ShutdownError", message: "the server stopped before the forecast started." });
    await Promise.all(
      [...this.active.values()].map((a) => {
        a.stop ??= "shutdown";
        a.controller.abort(new Error("shutdown"));
        return a.settled;
      }),
    );
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.options.concurrency && this.waiting.length > 0) {
      const { id, task } = this.waiting.shift()!;
      const active: Active = { controller: new AbortController(), stop: null, settled: Promise.resolve() };
      this.active.set(id, active);
      active.settled = this.execute(id, task, active).finally(() => {
        this.active.delete(id);
        setImmediate(() => this.pump());
      });
    }
  }

  private async execute(id: string, task: ForecastTask, active: Active): Promise<void> {
    const { signal } = active.controller;
    const timer = setTimeout(() => {
      active.stop ??= "time";
      active.controller.abort(new Error("time limit"));
    }, this.options.maxWallMs);
    this.store.updateForecast(id, { status: "running" });
    try {
      const result = await task(signal);
      if (signal.aborted) throw new Error("stopped");
      this.store.completeForecast(id, result);
    } catch (error) {
      if (active.stop === "cancelled") this.finish(id, "cancelled", { name: "CancelledError", message: "cancelled by request." });
      else if (active.stop === "time") {
        this.finish(id, "failed", { name: "TimeLimitError", message: `time limit: the forecast ran longer than ${this.options.maxWallMs / 1000} s and was stopped; ask for fewer samples or horizons.` });
      } else if (active.stop === "shutdown") this.finish(id, "failed", { name: "ShutdownError", message: "the server stopped before the forecast finished." });
      else {
        const e = error as { name?: unknown; message?: unknown; stack?: unknown };
        const name = typeof e?.name === "string" ? e.name : "Error";
        const message = typeof e?.message === "string" ? e.message : String(error);
        if (!LIBRARY_ERRORS.has(name)) this.options.log(`spreadlab server: forecast ${id} failed unexpectedly: ${String(e?.stack ?? message).replace(/\n\s*/g, " | ")}`);
        this.finish(id, "failed", { name, message });
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private finish(id: string, status: RunStatus, error: { name: string; message: string }): void {
    this.store.updateForecast(id, { status, error });
  }
}

