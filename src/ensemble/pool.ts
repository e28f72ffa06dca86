/**
 * Ensembles on every core: a piscina pool of worker threads sharing the network through
 * SharedArrayBuffers (passed once, in workerData), each task a range of run indices. Results are assembled
 * in run order and each run draws from (seed, r) alone, so 1, 2 or 16 workers give identical results.
 *
 * Piscina is the well-kept pool the house plan names; the per-task overhead (≈ 60 µs) is amortised by
 * giving each task a batch of runs.
 */
import { availableParallelism } from "node:os";
import { setMaxListeners } from "node:events";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type Graph from "graphology";
import { Piscina } from "piscina";
import { compile, isCSR, type CSR } from "../graph/csr.js";
import { isTemporal } from "../graph/temporal.js";
import { LimitError, SimulationError, SpreadlabError } from "../errors.js";
import { assemble, type RunRecord, type SimulationResult } from "./assemble.js";
import { networkNeeds, prepareFamily, type EnsembleSpec } from "../families/index.js";
import type { SharedNetwork, WorkerFailure, WorkerTask } from "./worker.js";
import { defaultProgress } from "./progress.js";

export interface EnsembleOptions {
  /** Worker threads (default: the machine's available parallelism). 1 still uses one worker thread. */
  workers?: number;
  /** Called after each finished batch with the number of runs done so far. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Without `onProgress`, an ensemble still running after 2 s shows a progress line on stderr when stderr is
   * a terminal (never in pipes, CI logs or servers). `false` turns it off. Default true.
   */
  progress?: boolean;
  /** Abort: pending batches are cancelled, running workers are terminated, the promise rejects. */
  signal?: AbortSignal;
  /**
   * runModelParallel: run even a single run in a worker thread, so that `signal` stops it at once (a run in
   * this thread blocks the event loop, and with it Ctrl-C). Costs a worker start (tens of ms).
   */
  offThread?: boolean;
}

/** Below this many node-and-arc visits (runs × (n + m)) an ensemble runs in the calling thread. */
const SMALL_WORK = 2_000_000;

/** The compiled worker: beside this file when running from dist/, else in dist/ (tests run the TS sources). */
export function workerFile(): string {
  const sibling = fileURLToPath(new URL("./worker.js", import.meta.url));
  if (existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL("../../dist/src/ensemble/worker.js", import.meta.url));
  if (existsSync(built)) return built;
  throw new SimulationError("ensemble: the compiled worker is missing; run `npm run build` first.");
}

export function toShared(csr: CSR): SharedNetwork {
  const share = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
    copy.set(a);
    return copy;
  };
  const arcData = csr.arcData ? Object.fromEntries(Object.entries(csr.arcData).map(([k, v]) => [k, share(v)])) : undefined;
  // Temporal contact networks (graph/temporal.ts) carry their activity windows along.
  const w = isTemporal(csr) ? csr.temporal : null;
  const temporal = w ? { pairs: w.pairs, period: w.period, arcPair: share(w.arcPair), pairOffsets: share(w.pairOffsets), start: share(w.start), end: share(w.end) } : undefined;
  return { n: csr.n, m: csr.m, directed: csr.directed, offsets: share(csr.offsets), targets: share(csr.targets), weights: csr.weights ? share(csr.weights) : null, arcData, ...(temporal ? { temporal } : {}) };
}

/** Workers know nodes by index: rewrite explicit seed ids (keys) into index strings. */
export function withIndexedSeeds(spec: EnsembleSpec, csr: CSR): EnsembleSpec {
  const initial: Record<string, unknown> = {};
  for (const [name, seeding] of Object.entries(spec.initial ?? {})) {
    if (seeding && typeof seeding === "object" && "nodes" in seeding && Array.isArray(seeding.nodes)) {
      initial[name] = {
        nodes: seeding.nodes.map((key) => {
          const i = csr.index.get(String(key));
          if (i === undefined) throw new SimulationError(`initial.${name}.nodes: "${String(key)}" is not a node of the network.`);
          return String(i);
        }),
      };
    } else initial[name] = seeding;
  }
  return { ...spec, initial } as EnsembleSpec;
}

/**
 * Run an ensemble over a worker pool. Same result as `simulate(network, spec)` for the same spec, whatever
 * the number of workers.
 */
/** A worker's named error, rebuilt with its name (and, for a LimitError, its field and limit). */
export function rebuildError({ failed }: WorkerFailure): Error {
  if (failed.name === "LimitError") return new LimitError(failed.message, failed.path ?? "", failed.limit ?? "");
  const error = new SpreadlabError(failed.message);
  error.name = failed.name;
  return error;
}

export async function simulateEnsemble(network: Graph | CSR, spec: EnsembleSpec, options: EnsembleOptions = {}): Promise<SimulationResult> {
  if (options.onProgress === undefined && options.progress !== false) {
    const line = defaultProgress();
    try {
      return await simulateEnsemble(network, spec, { ...options, progress: false, onProgress: (done, total) => line.update(done, total) });
    } finally {
      line.finish();
    }
  }
  const started = performance.now();
  const csr = isCSR(network) ? network : compile(network, { ...networkNeeds(spec), shared: true });
  // Validate on the main thread first: errors surface here with their names, not from inside a worker.
  const prepared = prepareFamily(csr, spec);
  const total = prepared.runs;
  // Starting worker threads costs tens of milliseconds each: when the whole ensemble is smaller than that
  // (runs × network size), and the caller did not ask for workers, run it here. Same result either way.
  if (options.workers === undefined && total * (csr.n + csr.m) < SMALL_WORK) {
    const records: RunRecord[] = [];
    for (let r = 0; r < total; r++) {
      if (options.signal?.aborted) throw new SimulationError("ensemble: cancelled.");
      records.push(prepared.runOne(r));
      options.onProgress?.(r + 1, total);
    }
    return assemble({ ...prepared.meta, nodeIds: csr.nodeIds }, records, started);
  }
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), total));
  const workerSpec = withIndexedSeeds(spec, csr);
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 1000,
    workerData: { network: toShared(csr) },
  });
  const abort = new AbortController();
  const onAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (options.signal?.aborted) throw new SimulationError("ensemble: cancelled before it started.");
    // About four batches per worker balances load without paying the task overhead per run.
    const batch = Math.max(1, Math.ceil(total / (workers * 4)));
    // Every queued task listens on the one abort signal until it settles: that many listeners is by design,
    // not a leak (Node warns past 10).
    setMaxListeners(Math.ceil(total / batch) + 10, abort.signal);
    let done = 0;
    const tasks: Promise<RunRecord[]>[] = [];
    for (let from = 0; from < total; from += batch) {
      const task: WorkerTask = { spec: workerSpec, from, to: Math.min(total, from + batch) };
      tasks.push(
        (pool.run(task, { signal: abort.signal }) as Promise<RunRecord[] | WorkerFailure>).then((records) => {
          if (!Array.isArray(records)) throw rebuildError(records);
          done += records.length;
          options.onProgress?.(done, total);
          return records;
        }),
      );
    }
    const records = (await Promise.all(tasks)).flat();
    // Node states come back indexed by run-local ids; the assembly uses the real keys.
    return assemble({ ...prepared.meta, nodeIds: csr.nodeIds }, records, started);
  } catch (e) {
    if (abort.signal.aborted) throw new SimulationError("ensemble: cancelled.", { cause: e });
    throw e;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await pool.destroy();
  }
}
