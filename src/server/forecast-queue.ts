/**
 * The forecast job queue: the shared scheduler (scheduler.ts: bounded, `concurrency` at once, wall-clock
 * limit, cancellation, shutdown) over the forecasts table. A forecast's work yields between horizons, so
 * cancellation and the time limit take effect there.
 */
import { randomUUID } from "node:crypto";
import type { ForecastRow, RunStatus, Store } from "../store/types.js";
import type { Instance } from "./instances.js";
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
  /** Forecasts this instance claimed and is running (see jobs.ts: the same claim for runs). */
  private readonly claimed = new Set<string>();
  private readonly unsubscribeStore: () => void;

  constructor(
    private readonly store: Store,
    options: ForecastQueueOptions,
    private readonly instance: Instance,
  ) {
    this.scheduler = new Scheduler<ForecastTask>(
      {
        ...options,
        words: { waiting: "forecasts", item: "forecast", timed: "forecast", timeHint: "ask for fewer samples or horizons." },
        libraryErrors: LIBRARY_ERRORS,
      },
      {
        run: async (id, task, signal) => {
          // Claimed by another instance, or cancelled meanwhile: nothing to do here.
          if ((await this.store.claimForecast(id, this.instance.id)) === null) return;
          this.claimed.add(id);
          const result = await task(signal, (p) => this.progress.set(id, p));
          if (signal.aborted) throw new Error("stopped");
          this.progress.delete(id);
          this.claimed.delete(id);
          await this.store.completeForecast(id, result);
        },
        finish: async (id, status, error) => {
          this.progress.delete(id);
          const mine = this.claimed.delete(id);
          await this.store.updateForecast(id, { status, error }, mine ? ["running"] : ["queued"]);
        },
      },
    );
    this.unsubscribeStore = store.subscribe((notice) => {
      if (notice.kind === "cancel-forecast") void this.scheduler.cancel(notice.id).catch(() => {});
    });
  }

  /** The latest progress of a running forecast, or null. */
  progressOf(id: string): ForecastProgress | null {
    return this.progress.get(id) ?? null;
  }

  counts(): { queued: number; running: number } {
    return this.scheduler.counts();
  }

  /** Store the forecast as queued and schedule it. Throws QueueFullError. */
  async submit(spec: unknown, task: ForecastTask): Promise<ForecastRow> {
    this.scheduler.checkRoom();
    const id = randomUUID();
    const row = await this.store.insertForecast({ id, spec });
    this.scheduler.enqueue(id, task);
    return row;
  }

  /** Schedule a forecast already stored as queued (left by a previous process, see recover.ts). */
  resume(id: string, task: ForecastTask): void {
    this.scheduler.enqueue(id, task);
  }

  /**
   * Cancel a queued (at once) or running (at its next horizon) forecast, here or on the instance that runs
   * it (as JobQueue.cancel); false when it is neither queued nor running.
   */
  async cancel(id: string): Promise<"here" | "sent" | "marked" | false> {
    if (await this.scheduler.cancel(id)) return "here";
    const error = { name: "CancelledError", message: "cancelled by request." };
    const mark = async (onlyIf: readonly RunStatus[]) => (await this.store.updateForecast(id, { status: "cancelled", error }, onlyIf)) !== null;
    if (await mark(["queued"])) return "marked";
    const owner = await this.store.ownerOf("forecast", id);
    if (owner !== null && owner !== this.instance.id && (await this.instance.isAlive(owner))) {
      if ((await this.store.getForecast(id))?.status !== "running") return false;
      await this.store.notify({ kind: "cancel-forecast", id });
      return "sent";
    }
    return (await mark(["running"])) ? "marked" : false;
  }

  /** Stop taking forecasts; queued and running ones fail with ShutdownError; resolves when they have stopped. */
  async close(): Promise<void> {
    await this.scheduler.close();
    this.unsubscribeStore();
  }
}
