/**
 * Runs `evaluate`'s training tasks (fit-tasks.ts) on several threads. The wasm backend runs one thread under
 * Node, so the fits of `evaluate` — fine-tuned, from scratch, cross-region, the transfer comparison — ran one
 * after another on one core; here each task goes to a worker thread of a piscina pool with its own backend.
 * Results come back in the tasks' order and each task's training depends on its inputs and seed only, so the
 * scores are bit-identical whatever the number of threads (tested).
 *
 * One thread, a single task, or the native tfjs-node backend (which already uses every core, and whose addon
 * is not meant to be loaded once per thread) run the tasks in the calling thread, one after another.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { currentTfBackend } from "./backend.js";
import type { tf } from "./backend.js";
import { modelArtifacts } from "./checkpoint.js";
import { runFitTask, type FitTask, type FitTaskKind, type FitTaskResult, type TaskModels } from "./fit-tasks.js";
import type { EpochInfo } from "./train.js";
import type { WorkerFitTask } from "./fit-worker.js";

export interface FitPoolOptions {
  /** Worker threads (default 1: the calling thread). At most one per task is started. */
  threads?: number;
  /** In the calling thread: a task is about to run (on a pool the tasks start together, and this is not called). */
  onStart?: (kind: FitTaskKind) => void;
  onEpoch?: (kind: FitTaskKind, info: EpochInfo) => void | Promise<void>;
  /**
   * Checked between batches in the calling thread, every 100 ms on a pool (where it ends the worker threads);
   * throw or return true to stop: the tasks then reject with "training was stopped".
   */
  shouldStop?: () => boolean;
}

/** The compiled worker: beside this file when running from dist/, else in dist/ (tests run the TS sources). */
function workerFile(): string {
  const sibling = fileURLToPath(new URL("./fit-worker.js", import.meta.url));
  if (existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL("../../../dist/src/forecast/transformer/fit-worker.js", import.meta.url));
  if (existsSync(built)) return built;
  throw new Error("evaluate: the compiled fit worker is missing; run `npm run build` first (or pass threads: 1).");
}

/**
 * The worker threads `runFitTasks` starts for `tasks` tasks when asked for `requested` (default 1): at most one
 * per task; 1 — the calling thread — without a backend loaded or with tfjs-node.
 */
export function poolThreads(requested: number | undefined, tasks: number): number {
  const backend = currentTfBackend();
  if (backend === null || backend === "tensorflow") return 1;
  return Math.max(1, Math.min(Math.floor(requested ?? 1), tasks));
}

/** Runs the tasks; their results in the tasks' order. */
export async function runFitTasks(tasks: readonly FitTask[], models: TaskModels, options: FitPoolOptions = {}): Promise<FitTaskResult[]> {
  const backend = currentTfBackend();
  const threads = poolThreads(options.threads, tasks.length);
  if (threads <= 1 || backend === null) {
    const results: FitTaskResult[] = [];
    for (const task of tasks) {
      options.onStart?.(task.kind);
      results.push(await runFitTask(task, models, options.onEpoch && ((info) => options.onEpoch!(task.kind, info)), options.shouldStop));
    }
    return results;
  }
  const artifacts = async (model: tf.LayersModel) => {
    const a = await modelArtifacts(model);
    return { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData };
  };
  const pretrained = await artifacts(models.pretrained);
  const spatial = models.spatial ? await artifacts(models.spatial) : undefined;
  const pool = new Piscina<WorkerFitTask, FitTaskResult>({ filename: workerFile(), minThreads: 0, maxThreads: threads, idleTimeout: 1000 });
  const ports: MessageChannel[] = [];
  const abort = new AbortController();
  let stopError: unknown = null;
  const watch = options.shouldStop
    ? setInterval(() => {
        try {
          if (options.shouldStop!()) stopError = new Error("training was stopped");
        } catch (e) {
          stopError = e;
        }
        if (stopError !== null) abort.abort(stopError);
      }, 100)
    : null;
  try {
    const running = tasks.map((task) => {
      const channel = new MessageChannel();
      ports.push(channel);
      // Epochs arrive in order per task; a listener's promise is not awaited (the worker does not wait for it).
      channel.port1.on("message", (info: EpochInfo) => void options.onEpoch?.(task.kind, info));
      const needsSpatial = task.kind === "transformer-spatial";
      return pool.run({ task, backend, pretrained, ...(needsSpatial && spatial ? { spatial } : {}), port: channel.port2 }, { transferList: [channel.port2], signal: abort.signal });
    });
    try {
      return await Promise.all(running);
    } catch (e) {
      throw stopError ?? e;
    }
  } finally {
    if (watch !== null) clearInterval(watch);
    for (const c of ports) c.port1.close();
    await pool.destroy();
  }
}
