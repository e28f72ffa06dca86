/**
 * The job queue: runs submitted through the API wait in a bounded queue and run off the request path, a
 * few at a time (each job may use the whole worker pool). A job moves queued → running → succeeded |
 * failed | cancelled in the store; progress is written at most every `progressIntervalMs` (4 per second by
 * default); `done` is the last event of every job. Listeners (the SSE route) receive each stored event as it
 * is appended, with its sequence number, so a live stream and a replay from the store are the same events.
 *
 * Ensembles run on the piscina pool even when they are small or a single run: there, an AbortSignal
 * terminates the worker threads, so cancellation and the wall-clock limit always take effect, and a
 * request with extreme rates cannot block the server's event loop. Reaction–diffusion fields and linear
 * threshold models with node thresholds run in the calling thread (as `runModelParallel` runs them); they
 * cannot be interrupted mid-way, and a cancel or time limit takes effect when they return.
 */
import { availableParallelism } from "node:os";
import { randomUUID } from "node:crypto";
import type Graph from "graphology";
import type { CSR } from "../graph/csr.js";
import type { AnySpec } from "../run.js";
import { runModelParallel } from "../run.js";
import { isDistributable } from "../families/index.js";
import { simulateEnsemble } from "../ensemble/pool.js";
import type { SimulationResult } from "../ensemble/assemble.js";
import type { RunEvent, RunRow, RunStatus, Store } from "../store/types.js";
import { Scheduler } from "./scheduler.js";

/** A run request, validated and resolved: what a job needs to run. */
export interface PreparedJob {
  name: string;
  /**
   * Build the network (generate, or decode a stored one); called when the job starts. The server builds it
   * in the network pool (a promise), off the event loop.
   */
  network(): Graph | CSR | Promise<Graph | CSR>;
  /** The spec to run, or, for a sweep, one spec per point. */
  spec: AnySpec;
  points?: { label: string; values: Record<string, number>; spec: AnySpec }[];
  /** Runs in all: runs × sweep points (1 for a field). */
  totalRuns: number;
}

export interface JobQueueOptions {
  concurrency: number;
  maxQueued: number;
  maxRuns: number;
  maxWallMs: number;
  /** Worker threads per job; default the available parallelism. */
  workers?: number;
  /** Ensembles go to `spreadlab worker`s through this Redis queue (same results; cancel removes queued batches). */
  redis?: { url: string; prefix?: string };
  /** Smallest interval between two stored progress updates. Default 250 ms. */
  progressIntervalMs?: number;
  log?: (line: string) => void;
}

export type JobListener = (event: RunEvent) => void;

export { QueueFullError } from "./scheduler.js";

/** A job asks for more runs than the server allows. */
export class TooManyRunsError extends Error {
  override name = "TooManyRunsError";
}

const TERMINAL: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];
export const isTerminal = (status: RunStatus): boolean => TERMINAL.includes(status);

const LIBRARY_ERRORS = new Set(["LimitError", "ScenarioError", "ModelError", "SimulationError", "GeneratorError", "ExpressionError", "GraphFormatError", "NotFoundError", "SpreadlabError", "WorkLimitError"]);

const now = (): string => new Date().toISOString();

/** Fields and thresholded linear-threshold models run in the calling thread (see the header). */
function runsInThread(spec: AnySpec): boolean {
  return !isDistributable(spec);
}

function withoutSeries(result: SimulationResult): SimulationResult {
  const { series: _series, ...rest } = result;
  return rest as SimulationResult;
}

export class JobQueue {
  private readonly store: Store;
  private readonly options: Required<Omit<JobQueueOptions, "workers" | "redis">> & { workers: number | undefined; redis: JobQueueOptions["redis"] };
  private readonly scheduler: Scheduler<PreparedJob>;
  private readonly listeners = new Map<string, Set<JobListener>>();
  private readonly lastSeq = new Map<string, number>();
  /** Runs whose `done` event has been appended (by the store or by this queue). */
  private readonly doneSeen = new Set<string>();

  constructor(store: Store, options: JobQueueOptions) {
    this.store = store;
    this.options = {
      progressIntervalMs: 250,
      log: (line) => process.stderr.write(line + "\n"),
      ...options,
      workers: options.workers,
      redis: options.redis,
    };
    this.scheduler = new Scheduler<PreparedJob>(
      {
        ...this.options,
        words: { waiting: "jobs", item: "run", timed: "job", timeHint: "ask for fewer runs or a smaller network." },
        libraryErrors: LIBRARY_ERRORS,
      },
      { run: (id, job, signal) => this.execute(id, job, signal), finish: (id, status, error) => this.finish(id, status, error) },
    );
  }

  counts(): { queued: number; running: number } {
    return this.scheduler.counts();
  }

  /** Check the limits, store the run as queued and schedule it. Throws QueueFullError / TooManyRunsError. */
  submit(job: PreparedJob, record: { spec: unknown; networkId: string | null }): RunRow {
    if (job.totalRuns > this.options.maxRuns) {
      throw new TooManyRunsError(`the job asks for ${job.totalRuns} runs (runs × sweep points); this server runs at most ${this.options.maxRuns} per job.`);
    }
    this.scheduler.checkRoom();
    const id = randomUUID();
    const row = this.store.insertRun({ id, spec: record.spec, networkId: record.networkId, total: job.totalRuns });
    this.lastSeq.set(id, 0);
    this.relay(id);
    this.scheduler.enqueue(id, job);
    return row;
  }

  /**
   * Schedule a run that is already stored as queued (left by a previous process, see recover.ts), or, when
   * it can no longer be prepared, fail it with that error.
   */
  resume(id: string, job: PreparedJob | { error: { name: string; message: string } }): void {
    const events = this.store.runEvents(id, 0);
    this.lastSeq.set(id, events.length > 0 ? events[events.length - 1].seq : 0);
    if ("error" in job) this.finish(id, "failed", job.error);
    else this.scheduler.enqueue(id, job);
  }

  /**
   * Cancel a job: a queued one is removed and marked cancelled at once; a running one has its workers
   * aborted and is marked cancelled when they have stopped. Returns false when the job is not queued or
   * running here.
   */
  cancel(id: string): boolean {
    return this.scheduler.cancel(id);
  }

  /** Listen to a run's stored events as they are appended. Returns the unsubscribe function. */
  subscribe(id: string, listener: JobListener): () => void {
    let set = this.listeners.get(id);
    if (set === undefined) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(id) === set) this.listeners.delete(id);
    };
  }

  /** Stop taking jobs; queued and running jobs fail with "the server stopped"; resolves when workers are gone. */
  close(): Promise<void> {
    return this.scheduler.close();
  }

  private async execute(id: string, job: PreparedJob, signal: AbortSignal): Promise<void> {
    this.update(id, { status: "running", startedAt: now(), progress: { done: 0, total: job.totalRuns } });
    let lastWrite = 0;
    let written = 0;
    const progress = (done: number) => {
      const t = performance.now();
      if (t - lastWrite < this.options.progressIntervalMs || done === written) return;
      lastWrite = t;
      written = done;
      this.update(id, { progress: { done, total: job.totalRuns } });
    };
    // Yield once so that a cancel sent right after submitting is seen before any work starts.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted) throw new Error("stopped before it started");
    const network = await job.network();
    if (signal.aborted) throw new Error("stopped before it started");
    const workers = this.options.workers ?? availableParallelism();
    const redis = this.options.redis;
    const run = async (spec: AnySpec, offset: number): Promise<SimulationResult> => {
      const options = { signal, workers, onProgress: (done: number) => progress(offset + done) };
      if (redis && !runsInThread(spec)) {
        const { simulateEnsembleOnQueue } = await import("../ensemble/queue/producer.js");
        return simulateEnsembleOnQueue(network, spec as Parameters<typeof simulateEnsembleOnQueue>[1], { redis: redis.url, prefix: redis.prefix, signal, onProgress: options.onProgress });
      }
      return runsInThread(spec) ? runModelParallel(network, spec, options) : simulateEnsemble(network, spec as Parameters<typeof simulateEnsemble>[1], options);
    };
    let result: unknown;
    if (job.points) {
      const sweep: { label: string; values: Record<string, number>; result: SimulationResult }[] = [];
      let offset = 0;
      for (const point of job.points) {
        sweep.push({ label: point.label, values: point.values, result: withoutSeries(await run(point.spec, offset)) });
        offset += job.totalRuns / job.points.length;
        if (signal.aborted) break;
      }
      result = { schemaVersion: 1, scenario: job.name, sweep };
    } else {
      result = withoutSeries(await run(job.spec, 0));
    }
    if (signal.aborted) throw new Error("stopped");
    if (written !== job.totalRuns) this.update(id, { progress: { done: job.totalRuns, total: job.totalRuns } });
    this.store.completeRun(id, result);
    this.relay(id);
    this.finish(id, "succeeded", null);
  }

  /** Terminal state: status (unless completeRun set it), then the `done` event if the store did not append one. */
  private finish(id: string, status: RunStatus, error: { name: string; message: string } | null): void {
    if (status !== "succeeded") this.update(id, { status, error, finishedAt: now() });
    else {
      const row = this.store.getRun(id);
      if (row && row.finishedAt === null) this.update(id, { finishedAt: now() });
    }
    this.relay(id);
    if (!this.doneSeen.has(id)) {
      this.store.appendRunEvent(id, "done", { status, error });
      this.relay(id);
    }
    this.lastSeq.delete(id);
    this.doneSeen.delete(id);
  }

  private update(id: string, patch: Parameters<Store["updateRun"]>[1]): void {
    this.store.updateRun(id, patch);
    this.relay(id);
  }

  /** Hand the events appended since the last relay to the listeners; returns them. */
  private relay(id: string): RunEvent[] {
    const after = this.lastSeq.get(id) ?? 0;
    const events = this.store.runEvents(id, after);
    if (events.length === 0) return events;
    this.lastSeq.set(id, events[events.length - 1].seq);
    if (events.some((e) => e.type === "done")) this.doneSeen.add(id);
    const set = this.listeners.get(id);
    if (set) for (const event of events) for (const listener of [...set]) listener(event);
    return events;
  }
}
