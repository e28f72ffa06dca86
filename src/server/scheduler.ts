/**
 * The scheduling both job queues share (runs in jobs.ts, forecasts in forecast-queue.ts): a bounded waiting
 * list (full → QueueFullError, answered 503), at most `concurrency` tasks at once, each with an
 * AbortController and a wall-clock limit, cancellation of queued (at once) and running (through the signal)
 * tasks, and a shutdown that fails what is left. The queues keep their own bookkeeping — what "running",
 * "succeeded" and "failed" mean in their store tables — in the hooks.
 */

export type StopReason = "cancelled" | "time" | "shutdown";

/** The queue is full (or shutting down): the route answers 503 with Retry-After. */
export class QueueFullError extends Error {
  override name = "QueueFullError";
}

export interface SchedulerOptions {
  concurrency: number;
  maxQueued: number;
  maxWallMs: number;
  log: (line: string) => void;
  /** Words for messages: the waiting items ("jobs"), one item ("run"), and a hint when time runs out. */
  words: { waiting: string; item: string; timed: string; timeHint: string };
  /** Error names that are the request's fault: reported in the item, not logged as bugs. */
  libraryErrors: ReadonlySet<string>;
}

export interface SchedulerHooks<T> {
  /** Do the work, including storing success; throw on failure. */
  run(id: string, task: T, signal: AbortSignal): Promise<void>;
  /** Store a terminal failure or cancellation. */
  finish(id: string, status: "failed" | "cancelled", error: { name: string; message: string }): Promise<void>;
}

interface Active {
  controller: AbortController;
  stop: StopReason | null;
  settled: Promise<void>;
}

export class Scheduler<T> {
  private readonly waiting: { id: string; task: T }[] = [];
  private readonly active = new Map<string, Active>();
  private closed = false;

  constructor(
    private readonly options: SchedulerOptions,
    private readonly hooks: SchedulerHooks<T>,
  ) {}

  counts(): { queued: number; running: number } {
    return { queued: this.waiting.length, running: this.active.size };
  }

  /** Throws QueueFullError when closed or full; call before storing the item. */
  checkRoom(): void {
    if (this.closed) throw new QueueFullError("the server is shutting down.");
    if (this.waiting.length >= this.options.maxQueued) {
      throw new QueueFullError(`${this.waiting.length} ${this.options.words.waiting} are already waiting; try again later.`);
    }
  }

  /** Schedule a stored item; it starts on a later turn of the event loop, so the 202 answer goes out first. */
  enqueue(id: string, task: T): void {
    this.waiting.push({ id, task });
    setImmediate(() => this.pump());
  }

  /** Whether the item is waiting or running here. */
  has(id: string): boolean {
    return this.active.has(id) || this.waiting.some((w) => w.id === id);
  }

  /**
   * Cancel a queued (at once: resolves once it is stored as cancelled) or running (through its signal) item;
   * false when it is neither here.
   */
  async cancel(id: string): Promise<boolean> {
    const index = this.waiting.findIndex((w) => w.id === id);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      await this.hooks.finish(id, "cancelled", { name: "CancelledError", message: "cancelled by request before it started." });
      return true;
    }
    const active = this.active.get(id);
    if (active === undefined) return false;
    active.stop ??= "cancelled";
    active.controller.abort(new Error("cancelled"));
    return true;
  }

  /** Stop taking items; queued and running ones fail with ShutdownError; resolves when they have stopped. */
  async close(): Promise<void> {
    this.closed = true;
    const { item } = this.options.words;
    // Abort the running ones first: each must see why it stops before anything else can fail it.
    const running = [...this.active.values()].map((a) => {
      a.stop ??= "shutdown";
      a.controller.abort(new Error("shutdown"));
      return a.settled;
    });
    const left = this.waiting.splice(0).map(({ id }) => this.hooks.finish(id, "failed", { name: "ShutdownError", message: `the server stopped before the ${item} started.` }).catch(() => {}));
    await Promise.all([...left, ...running]);
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.options.concurrency && this.waiting.length > 0) {
      const { id, task } = this.waiting.shift()!;
      const active: Active = { controller: new AbortController(), stop: null, settled: Promise.resolve() };
      this.active.set(id, active);
      // A store that fails while recording the outcome must not crash the server: log it.
      active.settled = this.execute(id, task, active)
        .catch((error: Error) => this.options.log(`spreadlab server: ${this.options.words.item} ${id}: its outcome could not be stored (${error?.message ?? String(error)}).`))
        .finally(() => {
        this.active.delete(id);
        setImmediate(() => this.pump());
      });
    }
  }

  private async execute(id: string, task: T, active: Active): Promise<void> {
    const { words, maxWallMs } = this.options;
    const timer = setTimeout(() => {
      active.stop ??= "time";
      active.controller.abort(new Error("time limit"));
    }, maxWallMs);
    try {
      await this.hooks.run(id, task, active.controller.signal);
    } catch (error) {
      if (active.stop === "cancelled") await this.hooks.finish(id, "cancelled", { name: "CancelledError", message: "cancelled by request." });
      else if (active.stop === "time") {
        await this.hooks.finish(id, "failed", { name: "TimeLimitError", message: `time limit: the ${words.timed} ran longer than ${maxWallMs / 1000} s and was stopped; ${words.timeHint}` });
      } else if (active.stop === "shutdown") await this.hooks.finish(id, "failed", { name: "ShutdownError", message: `the server stopped before the ${words.item} finished.` });
      else {
        const e = error as { name?: unknown; message?: unknown; stack?: unknown };
        const name = typeof e?.name === "string" ? e.name : "Error";
        const message = typeof e?.message === "string" ? e.message : String(error);
        // A library error is the request's fault and is reported in the item; anything else is a bug: log it.
        if (!this.options.libraryErrors.has(name)) this.options.log(`spreadlab server: ${words.item} ${id} failed unexpectedly: ${String(e?.stack ?? message).replace(/\n\s*/g, " | ")}`);
        await this.hooks.finish(id, "failed", { name, message });
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
