/**
 * A queue worker (`spreadlab worker`): a BullMQ Worker that makes batches of runs. Networks are fetched by
 * hash once and cached (the last few, by use), each with a piscina thread pool that holds it in
 * SharedArrayBuffers (the thread pool's own worker, src/ensemble/worker.ts, which also caches the prepared
 * spec). The runs happen on those threads, never on the event loop (DESIGN.md): BullMQ renews the batch's
 * lock on time however long a batch takes, so a live worker keeps its batch, and a killed one loses it after
 * `lockMs` and another worker picks it up (stalled-job recovery).
 * Records go to the ensemble's results hash with HSETNX before the job completes, so a batch made twice
 * is stored once.
 */
import { Redis } from "ioredis";
import { Worker, type Job } from "bullmq";
import { Piscina } from "piscina";
import type { RunRecord } from "../assemble.js";
import type { EnsembleSpec } from "../../families/index.js";
import { toShared, workerFile } from "../pool.js";
import type { WorkerFailure, WorkerTask } from "../worker.js";
import { decodeJson, decodeNetwork, decompress, encodeRecords } from "./codec.js";
import { bullConnection, checkRedisUrl, connectOrFail, DATA_TTL_S, DEFAULT_PREFIX, keys, plainClient, QUEUE_NAME, redactUrl, type BatchJob, type BatchOutcome } from "./common.js";

export interface QueueWorkerOptions {
  redis: string;
  prefix?: string;
  /** Batches at once in this process, each on its own thread. Default 1. */
  concurrency?: number;
  /**
   * Lock on a running batch (ms). A worker that dies loses its batches after this long and they go back to
   * the queue. Default 10,000: renewed every lockMs / 2 by an event loop that the runs never block, so even
   * a loaded machine renews it in time; short enough that a lost batch costs seconds.
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

  const concurrency = options.concurrency ?? 1;
  const networks = new Map<string, Piscina>();
  const pool = async (hash: string): Promise<Piscina> => {
    const cached = networks.get(hash);
    if (cached) {
      networks.delete(hash);
      networks.set(hash, cached); // most recently used last
      return cached;
    }
    const bytes = await data.getBuffer(keys.network(prefix, hash));
    if (bytes === null) throw new Error(`network ${hash.slice(0, 12)}… is not in Redis (expired or removed); run the ensemble again.`);
    const csr = decodeNetwork(decompress(bytes));
    const threads = new Piscina({ filename: workerFile(), minThreads: concurrency, maxThreads: concurrency, idleTimeout: 60_000, workerData: { network: toShared(csr) } });
    networks.set(hash, threads);
    if (networks.size > NETWORK_CACHE) {
      const [oldest, old] = networks.entries().next().value!;
      networks.delete(oldest);
      void old.destroy();
    }
    return threads;
  };

  let done = 0;
  const processor = async (job: Job<BatchJob>): Promise<BatchOutcome> => {
    const { ensemble, from, to, spec } = job.data;
    const cancelled = async () => (await data.exists(keys.cancel(prefix, ensemble))) === 1;
    if (await cancelled()) return { ok: false, cancelled: true };
    const resultsKey = keys.results(prefix, ensemble);
    const threads = await pool(job.data.network);
    // Twice a second, ask whether the producer closed the ensemble; if so, stop the batch's thread.
    const abort = new AbortController();
    let stopped = false;
    const watch = setInterval(() => {
      cancelled().then(
        (yes) => {
          if (yes) {
            stopped = true;
            abort.abort();
          }
        },
        () => {},
      );
    }, CANCEL_CHECK_MS);
    let outcome: RunRecord[] | WorkerFailure;
    try {
      const task: WorkerTask = { spec: decodeJson<EnsembleSpec>(spec), from, to };
      outcome = (await threads.run(task, { signal: abort.signal })) as RunRecord[] | WorkerFailure;
    } catch (e) {
      if (stopped) return { ok: false, cancelled: true };
      throw e;
    } finally {
      clearInterval(watch);
    }
    if (!Array.isArray(outcome)) {
      // A named library error (a run over its budget, …): report it to the producer as data, no retry.
      const failure: BatchOutcome = { ok: false, failed: outcome.failed };
      await data.multi().hsetnx(resultsKey, "fail", JSON.stringify(failure)).expire(resultsKey, DATA_TTL_S).exec();
      return failure;
    }
    await data.multi().hsetnx(resultsKey, String(from), encodeRecords(outcome)).expire(resultsKey, DATA_TTL_S).exec();
    done++;
    return { ok: true, runs: outcome.length };
  };

  const lockMs = options.lockMs ?? 10_000;
  const worker = new Worker<BatchJob, BatchOutcome>(QUEUE_NAME, processor, {
    connection: bullConnection(url),
    prefix,
    concurrency,
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
      await Promise.all([...networks.values()].map((p) => p.destroy()));
      data.disconnect();
    },
  };
}
