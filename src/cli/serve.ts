/**
 * `spreadlab serve [--port 8080] [--host 127.0.0.1] [--db path|postgres://…]`: the REST API (src/server).
 * Runs until SIGINT/SIGTERM; set SPREADLAB_TOKEN to require a bearer token on every non-GET request. With a
 * PostgreSQL URL (or $SPREADLAB_DB_URL) several instances share runs, results and progress; an unreachable
 * database fails the start (StoreConnectionError, exit 1), never the first request.
 */
import type { Command } from "commander";
import { SpreadlabError } from "../errors.js";
import { redisUrlFrom } from "../ensemble/queue/common.js";

function parsePort(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535) throw new SpreadlabError(`--port: expected an integer from 0 to 65535, got "${value}".`);
  return n;
}

function parsePositive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isSafeInteger(n) || n < 1) throw new SpreadlabError(`--${name}: expected an integer ≥ 1, got "${value}".`);
    return n;
  };
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("serve the REST API (loopback by default; SPREADLAB_TOKEN requires a bearer token for writes)")
    .option("--port <port>", "port to listen on (0: any free port)", parsePort, 8080)
    .option("--host <host>", "interface to bind (0.0.0.0 exposes the server to the network)", "127.0.0.1")
    .option("--db <path|url>", "SQLite database file, or postgres://… to share the store between instances (default: $SPREADLAB_DB_URL, else ./.spreadlab/spreadlab.db)")
    .option("--db-schema <name>", "PostgreSQL schema for the tables (default public)")
    .option("--concurrency <n>", "jobs running at once", parsePositive("concurrency"))
    .option("--workers <n>", "worker threads per job (default: all cores)", parsePositive("workers"))
    .option("--redis <url>", "run jobs' ensembles on `spreadlab worker`s through this Redis (default: $SPREADLAB_REDIS_URL)")
    .option("--prefix <p>", "queue key prefix with --redis (workers must use the same)")
    .action(async (opts: { port: number; host: string; db?: string; dbSchema?: string; concurrency?: number; workers?: number; redis?: string; prefix?: string }) => {
      // Imported here so that other commands do not load Express and SQLite.
      const { startServer } = await import("../server/index.js");
      const url = redisUrlFrom(opts.redis);
      if (url !== undefined) {
        // Fail at start-up, not at the first job, when the queue's Redis is not there.
        const { checkRedisUrl, connectOrFail, plainClient } = await import("../ensemble/queue/common.js");
        checkRedisUrl(url);
        const probe = plainClient(url);
        await connectOrFail(probe, url);
        probe.disconnect();
      }
      const redis = url === undefined ? undefined : { url, ...(opts.prefix ? { prefix: opts.prefix } : {}) };
      const dbPath = opts.db ?? (process.env.SPREADLAB_DB_URL || "./.spreadlab/spreadlab.db");
      const running = await startServer({ port: opts.port, host: opts.host, dbPath, dbSchema: opts.dbSchema, concurrency: opts.concurrency, workers: opts.workers, redis });
      // Serve until a signal closes the server.
      await new Promise<void>((resolve) => running.server.once("close", () => resolve()));
    });
}
