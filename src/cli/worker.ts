/**
 * `spreadlab worker [--redis URL] [--prefix P] [--concurrency N]`: make batches of runs from the Redis queue
 * until SIGINT/SIGTERM. N processes (default: the machine's cores), each one thread: the runs are CPU-bound,
 * so one batch per process. Start one per machine; they all serve every `run --redis` on that Redis.
 */
import { fork, type ChildProcess } from "node:child_process";
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
    .option("--concurrency <n>", "worker processes (default: all cores)", parsePositive("concurrency"))
    .option("--lock-ms <ms>", "lock on a running batch: a killed worker's batch is retried after this long (default 10000)", parsePositive("lock-ms"))
    .action(async (opts: WorkerCliOptions) => {
      const url = redisUrlFrom(opts.redis);
      if (url === undefined) throw new QueueError("worker: no Redis given; pass --redis redis://HOST:PORT or set SPREADLAB_REDIS_URL.");
      const processes = opts.concurrency ?? availableParallelism();
      const log = (line: string) => process.stderr.write(`${line}\n`);
      if (processes > 1) {
        await supervise(processes, url, opts, log);
        return;
      }
      const { startQueueWorker } = await import("../ensemble/queue/worker.js");
      const worker = await startQueueWorker({ redis: url, prefix: opts.prefix, lockMs: opts.lockMs, log });
      log(`worker: ready (pid ${process.pid}) on ${redactUrl(url)}, prefix ${opts.prefix}`);
      await untilSignal();
      await worker.close();
      log(`worker: stopped after ${worker.done()} batches (pid ${process.pid})`);
    });
}

/** Run `count` one-process workers as children; stop them all on a signal; fail if one fails to start. */
async function supervise(count: number, url: string, opts: WorkerCliOptions, log: (line: string) => void): Promise<void> {
  const args = ["worker", "--redis", url, "--prefix", opts.prefix, "--concurrency", "1", ...(opts.lockMs ? ["--lock-ms", String(opts.lockMs)] : [])];
  const children: ChildProcess[] = [];
  const exits: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    const child = fork(process.argv[1], args, { stdio: "inherit" });
    children.push(child);
    exits.push(new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1))));
  }
  const stop = untilSignal().then(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  });
  const codes = await Promise.race([Promise.all(exits), stop.then(() => Promise.all(exits))]);
  if (codes.some((c) => c !== 0)) throw new QueueError(`worker: ${codes.filter((c) => c !== 0).length} of ${count} worker processes failed (see above).`);
}
