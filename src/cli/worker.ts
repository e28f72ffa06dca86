/**
 * `spreadlab worker [--redis URL] [--prefix P] [--concurrency N]`: make batches of runs from the Redis queue
 * until SIGINT/SIGTERM, N at once on N threads (default: the machine's cores). Start one per machine; they
 * all serve every `run --redis` on that Redis.
 */
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { SpreadlabError } from "../errors.js";
import { DEFAULT_PREFIX, QueueError, redactUrl, redisUrlFrom } from "../ensemble/queue/common.js";

function parsePositive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isSafeInteger(n) || n < 1) throw new SpreadlabError(`--${name}: expected an integer ≥ 1, got "${value}".`);
    return n;
  };
}

interface WorkerCliOptions {
  redis?: string;
  prefix: string;
  concurrency?: number;
  lockMs?: number;
}

/** Resolves on the first SIGINT/SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("make batches of runs from a Redis queue (for `run --redis`) until stopped")
    .option("--redis <url>", "Redis of the queue, redis://HOST:PORT (default: $SPREADLAB_REDIS_URL)")
    .option("--prefix <p>", "queue key prefix; must match the producer's", DEFAULT_PREFIX)
    .option("--concurrency <n>", "batches at once, each on its own thread (default: all cores)", parsePositive("concurrency"))
    .option("--lock-ms <ms>", "lock on a running batch: a killed worker's batch is retried after this long (default 10000)", parsePositive("lock-ms"))
    .action(async (opts: WorkerCliOptions) => {
      const url = redisUrlFrom(opts.redis);
      if (url === undefined) throw new QueueError("worker: no Redis given; pass --redis redis://HOST:PORT or set SPREADLAB_REDIS_URL.");
      const concurrency = opts.concurrency ?? availableParallelism();
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const { startQueueWorker } = await import("../ensemble/queue/worker.js");
      const worker = await startQueueWorker({ redis: url, prefix: opts.prefix, lockMs: opts.lockMs, concurrency, log });
      log(`worker: ready (pid ${process.pid}) on ${redactUrl(url)}, prefix ${opts.prefix}, ${concurrency} at once`);
      await untilSignal();
      await worker.close();
      log(`worker: stopped after ${worker.done()} batches (pid ${process.pid})`);
    });
}
