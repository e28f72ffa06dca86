/**
 * An ensemble on a BullMQ queue: the network goes to Redis once (content-addressed), the runs go out as
 * batches of run indices, any number of `spreadlab worker` processes on any machines make them, and the
 * records come back and are assembled here in run order. Run r draws from (seed, r) alone, exactly as in the
 * thread pool, so the result is identical to the local one whatever the number of workers, batch size,
 * retries or duplicated batches (records are kept by run index, first arrival wins: they are equal anyway).
 *
 * Failures: Redis unreachable at the start or lost mid-run → QueueError (the liveness ping notices within a
 * few seconds; no partial result is returned); a batch that fails on a worker → its error, rebuilt; abort
 * (Ctrl-C) → the queued batches are removed and workers stop the running ones at their next check.
 */
import { randomUUID } from "node:crypto";
import type Graph from "graphology";
import { Queue, QueueEvents } from "bullmq";
import { compile, isCSR, type CSR } from "../../graph/csr.js";
import { SimulationError, SpreadlabError } from "../../errors.js";
import { assemble, type RunRecord, type SimulationResult } from "../assemble.js";
import { isDistributable, networkNeeds, prepareFamily, runFamily, type AnySpec, type EnsembleSpec } from "../../families/index.js";
import { rebuildError, withIndexedSeeds } from "../pool.js";
import { compress, decodeRecords, encodeJson, encodeNetwork, networkHash } from "./codec.js";
import { bullConnection, checkRedisUrl, connectOrFail, DATA_TTL_S, DEFAULT_PREFIX, keys, plainClient, QUEUE_NAME, QueueError, redactUrl, within, type BatchJob, type BatchOutcome } from "./common.js";

/** ioredis' messages for a command lost with its connection. */
const CONNECTION_ERROR = /max retries per request|Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE/i;

export interface QueueEnsembleOptions {
  /** redis://HOST:PORT of the queue. */
  redis: string;
  /** Key prefix (one per deployment or test); workers must use the same. Default "spreadlab". */
  prefix?: string;
  /** Runs per batch. Default: see `defaultBatchSize`. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Abort: queued batches are removed, workers drop the running ones, the promise rejects. */
  signal?: AbortSignal;
  /** Called once when nothing has arrived after 5 s and no worker is connected to the queue. */
  onNoWorkers?: () => void;
  /** Liveness ping period (ms); Redis counts as lost after 3 failed pings in a row. Default 1000. */
  pingMs?: number;
}

/**
 * Default runs per batch: about 64 batches per ensemble (four per worker for up to 16 worker processes, so
 * the load balances), but at least 200,000 node-and-arc visits per batch, so that the per-batch cost (a few
 * Redis round trips, ≈ 1–3 ms measured in bench/queue.bench.ts) stays small against the runs themselves.
 */
export function defaultBatchSize(runs: number, size: number): number {
  return Math.min(runs, Math.max(Math.ceil(runs / 64), Math.ceil(200_000 / Math.max(1, size))));
}

/** Store the network once under its hash (refreshing its expiry when it is already there). */
async function uploadNetwork(client: ReturnType<typeof plainClient>, prefix: string, csr: CSR): Promise<string> {
  const encoded = encodeNetwork(csr);
  const hash = networkHash(encoded);
  const key = keys.network(prefix, hash);
  if ((await client.expire(key, DATA_TTL_S)) === 0) await client.set(key, compress(encoded), "EX", DATA_TTL_S, "NX");
  return hash;
}

export async function simulateEnsembleOnQueue(network: Graph | CSR, spec: EnsembleSpec, options: QueueEnsembleOptions): Promise<SimulationResult> {
  const started = performance.now();
  const url = options.redis;
  checkRedisUrl(url);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const csr = isCSR(network) ? network : compile(network, { ...networkNeeds(spec), shared: false });
  // Validate here first: bad specs fail with their named errors before anything is queued.
  const prepared = prepareFamily(csr, spec);
  const total = prepared.runs;
  const workerSpec = withIndexedSeeds(spec, csr);
  const batch = Math.max(1, Math.min(total, options.batchSize ?? defaultBatchSize(total, csr.n + csr.m)));
  if (options.signal?.aborted) throw new SimulationError("ensemble: cancelled before it started.");

  const client = plainClient(url);
  await connectOrFail(client, url);
  const ensemble = randomUUID();
  const resultsKey = keys.results(prefix, ensemble);
  let queue: Queue | undefined;
  let events: QueueEvents | undefined;
  let lost = false;
  let finished = false;
  const outstanding = new Map<string, { from: number; to: number }>();
  /** Job ids seen completing; the others may still be queued when the ensemble ends (results came from a copy). */
  const completed = new Set<string>();
  const jobIds: string[] = [];
  const timers: NodeJS.Timeout[] = [];
  let onAbort: (() => void) | undefined;
  // Liveness, from the first step on: three failed pings in a row, or the client giving up, mean Redis is
  // gone. Every wait below races against it, so no step can hang on a dead Redis (BullMQ's own connections
  // would retry for ever).
  let loseWith: (e: Error) => void = () => {};
  const lostSignal = new Promise<never>((_, reject) => (loseWith = reject));
  lostSignal.catch(() => {});
  const lose = (why: string) => {
    if (finished || lost) return;
    lost = true;
    loseWith(new QueueError(`lost the connection to Redis at ${redactUrl(url)} mid-run (${why}); no result was written. Restart Redis and run again.`));
  };
  const guarded = <T>(p: Promise<T>): Promise<T> => Promise.race([p, lostSignal]);
  client.on("end", () => lose("connection closed"));
  let misses = 0;
  timers.push(
    setInterval(() => {
      within(client.ping(), options.pingMs ?? 1000).then(
        (pong) => (pong === undefined ? ++misses >= 3 && lose("no answer to PING") : (misses = 0)),
        (e: Error) => ++misses >= 3 && lose(e.message),
      );
    }, options.pingMs ?? 1000),
  );
  try {
    const hash = await guarded(uploadNetwork(client, prefix, csr));
    queue = new Queue(QUEUE_NAME, { connection: bullConnection(url), prefix });
    events = new QueueEvents(QUEUE_NAME, { connection: bullConnection(url), prefix });
    // BullMQ re-emits connection errors; the liveness ping below decides when Redis is gone.
    queue.on("error", () => {});
    events.on("error", () => {});
    await guarded(events.waitUntilReady());

    const byRun = new Map<number, RunRecord>();
    const result = new Promise<void>((resolve, reject) => {
      const fail = (e: Error) => {
        finished = true;
        reject(e);
      };
      const take = async (fields: string[]): Promise<void> => {
        const wanted = fields.filter((f) => f === "fail" || outstanding.has(`${ensemble}-${f}`));
        if (wanted.length === 0 || finished) return;
        const values = await client.hmgetBuffer(resultsKey, ...wanted);
        wanted.forEach((field, i) => {
          const value = values[i];
          if (value === null || finished) return;
          if (field === "fail") {
            const outcome = JSON.parse(value.toString("utf8")) as BatchOutcome;
            if (!outcome.ok && "failed" in outcome) fail(rebuildError({ failed: outcome.failed }));
            return;
          }
          outstanding.delete(`${ensemble}-${field}`);
          for (const record of decodeRecords(value)) if (!byRun.has(record.run)) byRun.set(record.run, record);
        });
        if (finished) return;
        options.onProgress?.(byRun.size, total);
        if (byRun.size === total) {
          finished = true;
          resolve();
        }
      };
      const check = (fields: string[]) =>
        take(fields).catch((e: Error) => {
          if (lost) return;
          // A read that fails because the connection dropped is Redis lost (it can fail before the liveness ping
          // notices); only a read on a live connection is a bad result.
          if (client.status !== "ready" || CONNECTION_ERROR.test(e.message)) lose(e.message);
          else fail(new QueueError(`queue: reading results from Redis failed: ${e.message}`, { cause: e }));
        });
      events!.on("completed", ({ jobId }) => {
        // Ours (a redelivered copy may have another id): read whatever has arrived.
        if (!jobId.startsWith(ensemble)) return;
        completed.add(jobId);
        void client.hkeys(resultsKey).then(check, () => {});
      });
      events!.on("failed", ({ jobId, failedReason }) => {
        const b = outstanding.get(jobId);
        if (b && !finished) fail(new QueueError(`queue: the batch of runs ${b.from}–${b.to - 1} failed on a worker: ${failedReason}`));
      });
      // Events can be missed (a reconnect): the results hash is the truth; read it every 250 ms.
      timers.push(
        setInterval(() => {
          if (!finished) void client.hkeys(resultsKey).then(check, () => {});
        }, 250),
      );
      const warnAt = setTimeout(() => {
        if (byRun.size === 0 && !finished && options.onNoWorkers)
          void queue!.getWorkersCount().then((n) => n === 0 && !finished && options.onNoWorkers?.(), () => {});
      }, 5000);
      timers.push(warnAt);
      onAbort = () => fail(new SimulationError("ensemble: cancelled."));
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });

    const specText = encodeJson(workerSpec);
    const jobs = [];
    for (let from = 0; from < total; from += batch) {
      const to = Math.min(total, from + batch);
      const id = `${ensemble}-${from}`;
      outstanding.set(id, { from, to });
      jobIds.push(id);
      const data: BatchJob = { ensemble, network: hash, spec: specText, from, to };
      // attempts 1: a batch that throws is a bug and would throw again; a killed worker's batch comes back
      // through stalled-job recovery instead (the worker's maxStalledCount).
      jobs.push({ name: "batch", data, opts: { jobId: id, removeOnComplete: true, removeOnFail: { age: 3600 }, attempts: 1 } });
    }
    await client.expire(resultsKey, DATA_TTL_S).catch(() => {});
    await guarded(queue.addBulk(jobs));
    await guarded(result);
    if (options.signal?.aborted) throw new SimulationError("ensemble: cancelled.");
    const records = [...byRun.values()];
    return assemble({ ...prepared.meta, nodeIds: csr.nodeIds }, records, started);
  } catch (e) {
    if (e instanceof SpreadlabError) throw e;
    throw new QueueError(`queue: ${(e as Error).message} (Redis at ${redactUrl(url)}).`, { cause: e });
  } finally {
    finished = true;
    for (const t of timers) clearInterval(t);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    if (!lost) {
      // Done, cancelled or failed: workers skip this ensemble's batches from now on (late redeliveries too) and
      // stop running ones at their next check; what is still queued is removed.
      await within(client.set(keys.cancel(prefix, ensemble), "1", "EX", DATA_TTL_S).catch(() => {}), 1000);
    }
    const leftover = jobIds.filter((id) => !completed.has(id));
    if (!lost && queue && leftover.length > 0) {
      const q = queue;
      await within(Promise.all(leftover.map((id) => q.remove(id).catch(() => 0))), 2000);
    }
    if (!lost) await within(client.del(resultsKey).catch(() => 0), 1000);
    const closed = await within(Promise.all([events?.close(), queue?.close()]).then(() => true, () => true), lost ? 200 : 2000);
    if (closed !== true) {
      // A close that does not settle (Redis gone, whether or not noticed yet) leaves BullMQ's connections retrying
      // for ever, which would keep the process alive: drop them.
      void events?.disconnect().catch(() => {});
      void queue?.disconnect().catch(() => {});
    }
    client.disconnect();
  }
}

/**
 * `runModelParallel` over the queue: ensembles go to the workers; what runs locally there (fields, linear
 * thresholds read from node attributes) runs locally here too. Same result as the local run.
 */
export async function runModelOnQueue(network: Graph | CSR, spec: AnySpec, options: QueueEnsembleOptions): Promise<SimulationResult> {
  if (!isDistributable(spec)) return runFamily(network, spec);
  return simulateEnsembleOnQueue(network, spec, options);
}
