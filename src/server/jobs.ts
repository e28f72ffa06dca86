/**
 * The job queue: runs submitted through the API wait in a bounded queue and run off the request path, a
 * few at a time (each job may use the whole worker pool). A job moves queued → running → succeeded |
 * failed | cancelled in the store; progress is written at most every `progressIntervalMs` (4 per second by
 * default); `done` is the last event of every job. Listeners (the SSE route) receive each stored event as it
 * is appended, with its sequence number, so a live stream and a replay from the store are the same events.
 *
 * Several instances on one store (PostgreSQL): a job is queued on the instance that took the request and
 * claimed (`store.claimRun`, atomic) when it starts, so exactly one instance runs it even when another
 * re-queued it at start-up. Events stored by any instance reach this one's listeners through the store's
 * notices (LISTEN/NOTIFY); a cancel for a job running elsewhere is sent as a notice to its owner.
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
import type { RunEvent, RunPatch, RunRow, RunStatus, Store, StoreNotice } from "../store/types.js";
import type { Instance } from "./instances.js";
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
  /** Runs this instance claimed (queued → running) and is running. */
  private readonly claimed = new Set<string>();
  private readonly unsubscribeStore: () => void;

  constructor(
    store: Store,
    options: JobQueueOptions,
    private readonly instance: Instance,
  ) {
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
    this.unsubscribeStore = store.subscribe((notice) => this.onNotice(notice));
  }

  private onNotice(notice: StoreNotice): void {
    if (notice.kind === "run-events" && this.listeners.has(notice.id)) void this.relay(notice.id).catch(() => {});
    else if (notice.kind === "cancel-run") void this.scheduler.cancel(notice.id).catch(() => {});
  }

  counts(): { queued: number; running: number } {
    return this.scheduler.counts();
  }

  /** Check the limits, store the run as queued and schedule it. Throws QueueFullError / TooManyRunsError. */
  async submit(job: PreparedJob, record: { spec: unknown; networkId: string | null }): Promise<RunRow> {
    if (job.totalRuns > this.options.maxRuns) {
      throw new TooManyRunsError(`the job asks for ${job.totalRuns} runs (runs × sweep points); this server runs at most ${this.options.maxRuns} per job.`);
    }
    this.scheduler.checkRoom();
    const id = randomUUID();
    const row = await this.store.insertRun({ id, spec: record.spec, networkId: record.networkId, total: job.totalRuns });
    this.lastSeq.set(id, 0);
    this.scheduler.enqueue(id, job);
    return row;
  }

  /**
   * Schedule a run that is already stored as queued (left by a previous process, see recover.ts), or, when
   * it can no longer be prepared, fail it with that error.
   */
  async resume(id: string, job: PreparedJob | { error: { name: string; message: string } }): Promise<void> {
    const events = await this.store.runEvents(id, 0);
    this.lastSeq.set(id, events.length > 0 ? events[events.length - 1].seq : 0);
    if ("error" in job) await this.finish(id, "failed", job.error);
    else this.scheduler.enqueue(id, job);
  }

  /**
   * Cancel a job: a queued one is removed and marked cancelled at once; a running one has its workers
   * aborted and is marked cancelled when they have stopped. A job of another instance: queued, it is marked
   * cancelled at once (conditionally: its instance will then fail to claim it); running on a live instance,
   * the cancel is sent to that instance ("sent"); running on a dead one, it is marked cancelled here.
   * Returns false when the run is not queued or running.
   */
  async cancel(id: string): Promise<"here" | "sent" | "marked" | false> {
    if (await this.scheduler.cancel(id)) return "here";
    const error = { name: "CancelledError", message: "cancelled by request." };
    if (await this.markFinal(id, "cancelled", error, ["queued"])) return "marked";
    const owner = await this.store.ownerOf("run", id);
    if (owner !== null && owner !== this.instance.id && (await this.instance.isAlive(owner))) {
      const row = await this.store.getRun(id);
      if (row?.status !== "running") return false;
      await this.store.notify({ kind: "cancel-run", id });
      return "sent";
    }
    return (await this.markFinal(id, "cancelled", error, ["running"])) ? "marked" : false;
  }

  /** Move a run to a final state only if its status is one of `onlyIf`; appends its `done`. */
  private async markFinal(id: string, status: RunStatus, error: { name: string; message: string }, onlyIf: readonly RunStatus[]): Promise<boolean> {
    const row = await this.store.updateRun(id, { status, error }, onlyIf);
    if (row === null) return false;
    await this.store.appendRunEvent(id, "done", { status, error });
    return true;
  }

  /** Listen to a run's stored events as they are appended. Returns the unsubscribe function. */
  subscribe(id: string, listener: JobListener): () => void {
    let set = this.listeners.get(id);
    if (set === undefined) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(id) === set) {
        this.listeners.delete(id);
        // A run of another instance was followed only for these listeners.
        if (!this.scheduler.has(id)) {
          this.lastSeq.delete(id);
          this.doneSeen.delete(id);
        }
      }
    };
  }

  /** Stop taking jobs; queued and running jobs fail with "the server stopped"; resolves when workers are gone. */
  async close(): Promise<void> {
    await this.scheduler.close();
    this.unsubscribeStore();
  }

  private async execute(id: string, job: PreparedJob, signal: AbortSignal): Promise<void> {
    // Another instance may have claimed it (re-queued at its start-up) or a client cancelled it meanwhile.
    if ((await this.store.claimRun(id, this.instance.id)) === null) {
      this.lastSeq.delete(id);
      return;
    }
    this.claimed.add(id);
    await this.update(id, { progress: { done: 0, total: job.totalRuns } });
    let lastWrite = 0;
    let written = 0;
    const progress = (done: number) => {
      const t = performance.now();
      if (t - lastWrite < this.options.progressIntervalMs || done === written) return;
      lastWrite = t;
      written = done;
      void this.update(id, { progress: { done, total: job.totalRuns } }).catch((error: Error) => this.options.log(`spreadlab server: progress of run ${id} not stored (${error.message}).`));
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
    if (written !== job.totalRuns) await this.update(id, { progress: { done: job.totalRuns, total: job.totalRuns } });
    await this.store.completeRun(id, result);
    await this.relay(id);
    await this.finish(id, "succeeded", null);
  }

  /** Terminal state: status (unless completeRun set it), then the `done` event if the store did not append one. */
  private async finish(id: string, status: RunStatus, error: { name: string; message: string } | null): Promise<void> {
    const mine = this.claimed.delete(id);
    if (status !== "succeeded") {
      // Only from the state this instance holds it in: a job it never claimed may belong to another one now.
      const row = await this.store.updateRun(id, { status, error, finishedAt: now() }, mine ? ["running"] : ["queued"]);
      if (row === null) {
        this.lastSeq.delete(id);
        return;
      }
    } else {
      const row = await this.store.getRun(id);
      if (row && row.finishedAt === null) await this.store.updateRun(id, { finishedAt: now() });
    }
    await this.relay(id);
    if (!this.doneSeen.has(id)) {
      await this.store.appendRunEvent(id, "done", { status, error });
      await this.relay(id);
    }
    this.lastSeq.delete(id);
    this.doneSeen.delete(id);
  }

  private async update(id: string, patch: RunPatch): Promise<void> {
    await this.store.updateRun(id, patch);
    await this.relay(id);
  }

  /**
   * Hand the events stored since the last relay to the listeners. Relays may overlap (a store notice and
   * this instance's own write): listeners get each event in seq order and drop seqs they have already had.
   */
  private async relay(id: string): Promise<void> {
    const after = this.lastSeq.get(id) ?? 0;
    const events = await this.store.runEvents(id, after);
    if (events.length === 0) return;
    const last = events[events.length - 1].seq;
    if (last > (this.lastSeq.get(id) ?? 0) && (this.lastSeq.has(id) || this.listeners.has(id))) this.lastSeq.set(id, last);
    if (events.some((e) => e.type === "done")) this.doneSeen.add(id);
    const set = this.listeners.get(id);
    if (set) for (const event of events) for (const listener of [...set]) listener(event);
  }
}
