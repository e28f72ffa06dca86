/**
 * A queue worker (`spreadlab worker`): a BullMQ Worker that makes batches of runs. Networks are fetched by
 * hash once and cached (the last few, by use); a prepared spec is cached by its JSON. Between runs the
 * worker yields to the event loop every ~50 ms so BullMQ can renew the batch's lock: a live worker keeps its
 * batch, a killed one loses it after `lockMs` and another worker picks it up (stalled-job recovery).
 * Records go to the ensemble's results hash with HSETNX before the job completes, so a batch made twice
 * is stored once.
 */
import { setImmediate as yieldLoop } from "node:timers/promises";
import { Redis } from "ioredis";
import { Worker, type Job } from "bullmq";
import { SpreadlabError } from "../../errors.js";
import type { CSR } from "../../graph/csr.js";
import type { RunRecord } from "../assemble.js";
import { prepareFamily, type EnsembleSpec, type PreparedFamily } from "../families.js";
import { decodeJson, decodeNetwork, decompress, encodeRecords } from "./codec.js";
import { bullConnection, checkRedisUrl, connectOrFail, DATA_TTL_S, DEFAULT_PREFIX, keys, plainClient, QUEUE_NAME, redactUrl, type BatchJob, type BatchOutcome } from "./common.js";

export interface QueueWorkerOptions {
  redis: string;
  prefix?: string;
  /** Batches at once in this process (they share one thread: use more processes for more cores). Default 1. */
  concurrency?: number;
  /**
   * Lock on a running batch (ms). A worker that dies loses its batches after this long and they go back to
   * the queue. Default 10,000: long enough for a loaded machine's event loop to renew it (every lockMs / 2;
   * the worker yields every ~50 ms), short enough that a lost batch costs seconds.
   */
  lockMs?: number;
  /** How often a killed worker's batch may be recovered before it fails. Default 5. */
  maxStalled?: number;
  /** Messages for the operator (connection trouble). Default: none. */
  log?: (line: string) => void;
}

export interface QueueWorker {
  /** Batches finished by this worker. */
  readonly done: () => number;
  close(): Promise<void>;
}

const NETWORK_CACHE = 4;
const YIELD_MS = 50;
const CANCEL_CHECK_MS = 500;

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const url = options.redis;
  checkRedisUrl(url);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const log = options.log ?? (() => {});
  // Fail fast and clearly when Redis is not there at all; afterwards, reconnect for as long as it takes.
  const probe = plainClient(url);
  await connectOrFail(probe, url);
  probe.disconnect();
  const data = new Redis(url, { maxRetriesPerRequest: 3, retryStrategy: (times: number) => Math.min(200 * times, 2000) });
  let complaining = false;
  data.on("error", (e: Error) => {
    if (!complaining) log(`worker: Redis at ${redactUrl(url)}: ${e.message}; retrying`);
    complaining = true;
  });
  data.on("ready", () => {
    if (complaining) log(`worker: reconnected to Redis at ${redactUrl(url)}`);
    complaining = false;
  });

  const networks = new Map<string, CSR>();
  const specs = new Map<string, PreparedFamily>();
  const network = async (hash: string): Promise<CSR> => {
    const cached = networks.get(hash);
    if (cached) {
      networks.delete(hash);
      networks.set(hash, cached); // most recently used last
      return cached;
    }
    const bytes = await data.getBuffer(keys.network(prefix, hash));
    if (bytes === null) throw new Error(`network ${hash.slice(0, 12)}… is not in Redis (expired or removed); run the ensemble again.`);
    const csr = decodeNetwork(decompress(bytes));
    networks.set(hash, csr);
    if (networks.size > NETWORK_CACHE) networks.delete(networks.keys().next().value!);
    return csr;
  };

  let done = 0;
  const processor = async (job: Job<BatchJob>): Promise<BatchOutcome> => {
    const { ensemble, from, to, spec } = job.data;
    const cancelled = async () => (await data.exists(keys.cancel(prefix, ensemble))) === 1;
    if (await cancelled()) return { ok: false, cancelled: true };
    const resultsKey = keys.results(prefix, ensemble);
    try {
      const csr = await network(job.data.network);
      const specKey = `${job.data.network}:${spec}`;
      let prepared = specs.get(specKey);
      if (prepared === undefined) {
        prepared = prepareFamily(csr, decodeJson<EnsembleSpec>(spec));
        specs.clear(); // one spec at a time is the common case
        specs.set(specKey, prepared);
      }
      const records: RunRecord[] = [];
      let yielded = performance.now();
      let checked = yielded;
      for (let r = from; r < to; r++) {
        records.push(prepared.runOne(r));
        const now = performance.now();
        if (now - yielded > YIELD_MS) {
          await yieldLoop();
          yielded = performance.now();
        }
        if (now - checked > CANCEL_CHECK_MS) {
          if (await cancelled()) return { ok: false, cancelled: true };
          checked = performance.now();
        }
      }
      await data.multi().hsetnx(resultsKey, String(from), encodeRecords(records)).expire(resultsKey, DATA_TTL_S).exec();
      done++;
      return { ok: true, runs: records.length };
    } catch (e) {
      if (!(e instanceof SpreadlabError)) throw e;
      // A named library error (a run over its budget, …): report it to the producer as data, no retry.
      const error = e as SpreadlabError & { path?: unknown; limit?: unknown };
      const outcome: BatchOutcome = { ok: false, failed: { name: error.name, message: error.message, ...(typeof error.path === "string" ? { path: error.path } : {}), ...(typeof error.limit === "string" ? { limit: error.limit } : {}) } };
      await data.multi().hsetnx(resultsKey, "fail", JSON.stringify(outcome)).expire(resultsKey, DATA_TTL_S).exec();
      return outcome;
    }
  };

  const lockMs = options.lockMs ?? 10_000;
  const worker = new Worker<BatchJob, BatchOutcome>(QUEUE_NAME, processor, {
    connection: bullConnection(url),
    prefix,
    concurrency: options.concurrency ?? 1,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: options.maxStalled ?? 5,
    removeOnComplete: { count: 0 },
    removeOnFail: { age: 3600 },
  });
  worker.on("error", (e: Error) => {
    if (!complaining) log(`worker: ${e.message}`);
  });
  // This worker's stalled-job check found a batch whose worker died (its lock expired): back in the queue.
  worker.on("stalled", (jobId: string) => log(`worker: batch ${jobId} stalled (its worker died); queued again`));
  await worker.waitUntilReady();
  return {
    done: () => done,
    async close() {
      await worker.close();
      data.disconnect();
    },
  };
}
