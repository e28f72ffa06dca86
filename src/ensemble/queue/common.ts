/**
 * Shared by the producer (`run --redis`) and the workers (`spreadlab worker`): the queue's name, Redis keys,
 * connection settings and the error every Redis failure becomes.
 *
 * Keys: BullMQ keeps its own under `<prefix>:runs:*`; ours live under `<prefix>:data:*` —
 * `net:<sha256>` (a compressed network, stored once, expires after a day without use),
 * `out:<ensemble>` (a hash: batch start → compressed records; HSETNX, so a batch run twice is stored once),
 * `cancel:<ensemble>` (set when the producer is done with an ensemble — finished, failed or cancelled:
 * workers skip or stop that ensemble's batches).
 */
import { createRequire } from "node:module";
import type { Redis } from "ioredis";
import type { ConnectionOptions } from "bullmq";
import { QueueError } from "./errors.js";
import { redactUrl as redactAny } from "../../redact.js";

export { QueueError };

export const QUEUE_NAME = "runs";
export const DEFAULT_PREFIX = "spreadlab";
/** Networks and results expire when unused for this long (seconds), so a crashed producer leaves no garbage. */
export const DATA_TTL_S = 24 * 3600;

export const keys = {
  network: (prefix: string, hash: string) => `${prefix}:data:net:${hash}`,
  results: (prefix: string, ensemble: string) => `${prefix}:data:out:${ensemble}`,
  cancel: (prefix: string, ensemble: string) => `${prefix}:data:cancel:${ensemble}`,
};

/** One batch of runs: job data. Small: the network travels by hash. */
export interface BatchJob {
  ensemble: string;
  network: string;
  /** The spec, by `encodeJson` (plain JSON would turn tmax: Infinity into null). */
  spec: string;
  from: number;
  to: number;
}

/** What a batch returns to BullMQ (the records themselves go to the results hash). */
export type BatchOutcome = { ok: true; runs: number } | { ok: false; failed: { name: string; message: string; path?: string; limit?: string } } | { ok: false; cancelled: true };

/** The Redis URL for messages: without its password (an unparsable one is not echoed). */
export function redactUrl(url: string): string {
  return redactAny(url, "redis://");
}

/** The URL from the flag, else SPREADLAB_REDIS_URL; undefined when neither is set. */
export function redisUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = flag ?? env.SPREADLAB_REDIS_URL;
  return url === undefined || url.trim() === "" ? undefined : url;
}

export function checkRedisUrl(url: string, field = "--redis"): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueError(`${field}: "${url}" is not a URL; expected redis://HOST:PORT.`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new QueueError(`${field}: expected a redis:// or rediss:// URL, got "${redactUrl(url)}".`);
}

/** Options for BullMQ's connections: reconnect with back-off; blocking commands need maxRetriesPerRequest null. */
export function bullConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(200 * times, 2000) };
}

/**
 * A plain client for our keys and the liveness check: fails fast (no offline queue, one retry per command,
 * gives up reconnecting after ~3 s) so that a lost Redis surfaces as an error, never as a hang.
 */
export function plainClient(url: string): Redis {
  // ioredis loads here, on first use: the CLI imports this module for its flags' defaults, and most commands
  // never talk to Redis (ioredis and its dependencies are ≈ 40 ms of a start).
  const { Redis } = createRequire(import.meta.url)("ioredis") as typeof import("ioredis");
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times: number) => (times > 6 ? null : 500),
  });
}

/** Connect a plain client, or throw a QueueError that names the URL. */
export async function connectOrFail(client: Redis, url: string): Promise<void> {
  client.on("error", () => {}); // reported through the promise below and the liveness check
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    throw new QueueError(`cannot reach Redis at ${redactUrl(url)}: ${(e as Error).message}. Start Redis or fix --redis / SPREADLAB_REDIS_URL.`, { cause: e });
  }
}

/** Settle `p` within `ms` or give up (closing connections to a dead Redis may never settle). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
