/**
 * The forecast job queue: the shared scheduler (scheduler.ts: bounded, `concurrency` at once, wall-clock
 * limit, cancellation, shutdown) over the forecasts table. A forecast's work yields between horizons, so
 * cancellation and the time limit take effect there.
 */
import { randomUUID } from "node:crypto";
import type { ForecastRow, Store } from "../store/types.js";
import { Scheduler } from "./scheduler.js";

/** Progress of a running forecast (a transformer fine-tune reports its epochs). */
export interface ForecastProgress {
  phase: string;
  epoch: number;
  epochs: number;
  loss?: number;
}

export type ForecastTask = (signal: AbortSignal, progress: (p: ForecastProgress) => void) => Promise<unknown>;

export interface ForecastQueueOptions {
  concurrency: number;
  maxQueued: number;
  maxWallMs: number;
  log: (line: string) => void;
}

/** Errors that are the request's fault: reported in the forecast, not logged. */
const LIBRARY_ERRORS = new Set(["DataError", "ForecastError", "NotFoundError", "SpreadlabError"]);

/** A bounded queue of forecast jobs: queued → running → succeeded | failed | cancelled. */
export class ForecastQueue {
  private readonly scheduler: Scheduler<ForecastTask>;
  /** Progress of running forecasts, in memory only (it means nothing once the job has ended). */
  private readonly progress = new Map<string, ForecastProgress>();

  constructor(
    private readonly store: Store,
    options: ForecastQueueOptions,
  ) {
    this.scheduler = new Scheduler<ForecastTask>(
      {
        ...options,
        words: { waiting: "forecasts", item: "forecast", timed: "forecast", timeHint: "ask for fewer samples or horizons." },
        libraryErrors: LIBRARY_ERRORS,
      },
      {
        run: async (id, task, signal) => {
          this.store.updateForecast(id, { status: "running" });
          const result = await task(signal, (p) => this.progress.set(id, p));
          if (signal.aborted) throw new Error("stopped");
          this.progress.delete(id);
          this.store.completeForecast(id, result);
        },
        finish: (id, status, error) => {
          this.progress.delete(id);
          this.store.updateForecast(id, { status, error });
        },
      },
    );
  }

  /** The latest progress of a running forecast, or null. */
  progressOf(id: string): ForecastProgress | null {
    return this.progress.get(id) ?? null;
  }

  counts(): { queued: number; running: number } {
    return this.scheduler.counts();
  }

  /** Store the forecast as queued and schedule it. Throws QueueFullError. */
  submit(spec: unknown, task: ForecastTask): ForecastRow {
    this.scheduler.checkRoom();
    const id = randomUUID();
    const row = this.store.insertForecast({ id, spec });
    this.scheduler.enqueue(id, task);
    return row;
  }

  /** Schedule a forecast already stored as queued (left by a previous process, see recover.ts). */
  resume(id: string, task: ForecastTask): void {
    this.scheduler.enqueue(id, task);
  }

  /** Cancel a queued (at once) or running (at its next horizon) forecast; false when it is neither here. */
  cancel(id: string): boolean {
    return this.scheduler.cancel(id);
  }

  /** Stop taking forecasts; queued and running ones fail with ShutdownError; resolves when they have stopped. */
  close(): Promise<void> {
    return this.scheduler.close();
  }
}
