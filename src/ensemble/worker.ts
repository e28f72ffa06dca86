/**
 * Worker thread of the ensemble pool (piscina). The network arrives once, in `workerData`, as
 * SharedArrayBuffers: workers read the same memory and nothing is copied per task. A task names a range of
 * run indices of one spec; the worker prepares the spec once (cached by its JSON) and returns one record
 * per run. Run r's randomness comes from (seed, r) alone, so the split over workers changes nothing.
 */
import { workerData } from "node:worker_threads";
import { SpreadlabError } from "../errors.js";
import type { CSR } from "../graph/csr.js";
import { withLazyKeys } from "../graph/builder.js";
import type { RunRecord } from "./assemble.js";
import { prepareFamily, type EnsembleSpec, type PreparedFamily } from "../families/index.js";

/**
 * A network as workers receive it: typed arrays on SharedArrayBuffers, which cross a thread boundary as views
 * of the same memory (a view may be part of a larger buffer, e.g. a CSR built in WebAssembly memory).
 */
export interface SharedNetwork {
  n: number;
  m: number;
  directed: boolean;
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float32Array | null;
  arcData?: Record<string, Float32Array>;
  /** Activity windows of a temporal contact network (graph/temporal.ts). */
  temporal?: { pairs: number; period: number | null; arcPair: Int32Array; pairOffsets: Int32Array; start: Float64Array; end: Float64Array };
}

export interface WorkerTask {
  spec: EnsembleSpec;
  from: number;
  to: number;
}

function networkFromShared(shared: SharedNetwork): CSR {
  // Node keys are run-local indices here (the main thread rewrote explicit seed ids to indices), made only
  // when a run names a node: a worker on a 10⁷-node network does not hold 10⁷ strings for nothing.
  return withLazyKeys(
    {
      n: shared.n,
      m: shared.m,
      directed: shared.directed,
      offsets: shared.offsets,
      targets: shared.targets,
      weights: shared.weights,
      ...(shared.arcData ? { arcData: shared.arcData } : {}),
      ...(shared.temporal ? { temporal: shared.temporal } : {}),
    },
    () => Array.from({ length: shared.n }, (_, v) => String(v)),
  );
}

const csr = networkFromShared((workerData as { network: SharedNetwork }).network);
const prepared = new Map<string, PreparedFamily>();

/**
 * A named library error thrown in a run (a LimitError when a run passes its budget). Errors crossing a
 * worker boundary keep only the standard names, so the worker returns it as data and the pool rethrows it.
 */
export interface WorkerFailure {
  failed: { name: string; message: string; path?: string; limit?: string };
}

export default function runTask(task: WorkerTask): RunRecord[] | WorkerFailure {
  try {
    return runRange(task);
  } catch (e) {
    const error = e as { name?: unknown; message?: unknown; path?: unknown; limit?: unknown };
    if (e instanceof SpreadlabError && typeof error.name === "string") {
      return { failed: { name: error.name, message: String(error.message), ...(typeof error.path === "string" ? { path: error.path } : {}), ...(typeof error.limit === "string" ? { limit: error.limit } : {}) } };
    }
    throw e;
  }
}

function runRange(task: WorkerTask): RunRecord[] {
  const key = JSON.stringify(task.spec);
  let p = prepared.get(key);
  if (p === undefined) {
    p = prepareFamily(csr, task.spec);
    prepared.clear(); // one spec at a time is the common case; do not grow without bound
    prepared.set(key, p);
  }
  const records: RunRecord[] = [];
  for (let r = task.from; r < task.to; r++) records.push(p.runOne(r));
  return records;
}
