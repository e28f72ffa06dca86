/**
 * Server options and their defaults, in one place so that `createApp`, the job queue, the OpenAPI document
 * and `spreadlab serve` agree. Every limit is a guard against one request taking the whole server down.
 */

import { DEFAULT_CAPS } from "../ensemble/caps.js";

export interface ServerOptions {
  /** JSON body limit for ordinary requests (body-parser syntax). Default "1mb". */
  bodyLimit?: string | number;
  /** Size limit of a network upload (`POST /v1/networks` with a file body). Default 10 MB. */
  uploadLimit?: string | number;
  /** Largest network, uploaded or generated, in nodes. Default 200,000. */
  maxNodes?: number;
  /** Largest network, uploaded or generated, in edges. Default 2,000,000. */
  maxEdges?: number;
  /** Jobs waiting to start; when full, `POST /v1/runs` answers 503 with Retry-After. Default 32. */
  maxQueued?: number;
  /** Jobs running at once (each may use the whole worker pool). Default 1. */
  concurrency?: number;
  /** Runs per job (runs × sweep points). Default 10,000. */
  maxRuns?: number;
  /**
   * Numbers a job may record (the formula is in ensemble/caps.ts: record times × compartments × (runs + 6),
   * per-run summaries, kept node states, field values). Default 2·10^7, the library's.
   */
  maxRecordValues?: number;
  /** Record times per run. Default 10^6. */
  maxRecordTimes?: number;
  /** State changes kept by output.history, per job. Default 5·10^6. */
  maxHistoryEvents?: number;
  /** Wall-clock limit of a job in milliseconds; past it the job fails with "time limit". Default 10 minutes. */
  maxWallMs?: number;
  /** Worker threads per job (default: the machine's available parallelism). */
  workers?: number;
  /** Run ensembles on `spreadlab worker`s through this Redis queue (see src/ensemble/queue) instead of this machine's threads. */
  redis?: { url: string; prefix?: string };
  /** Job-creating requests (`POST /v1/runs`, `POST /v1/networks`) per minute per client IP; 0 disables. Default 60. */
  rateLimit?: number;
  /**
   * Bearer token required for every non-GET request. Default: `process.env.SPREADLAB_TOKEN`; `null` turns
   * the check off even when the variable is set.
   */
  token?: string | null;
  /**
   * Instances sharing a store: one whose heartbeat is older than this is dead, and its running jobs are
   * failed at the next start-up of another. Default 30 s (instances.ts).
   */
  leaseMs?: number;
  /** SSE heartbeat comment interval in milliseconds. Default 15 s. */
  heartbeatMs?: number;
  /** Where log lines go (one line each). Default: stderr. */
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<Omit<ServerOptions, "workers" | "token" | "redis">> & { workers: number | undefined; token: string | null; redis: ServerOptions["redis"] };

export const DEFAULTS = {
  bodyLimit: "1mb",
  uploadLimit: 10 * 1024 * 1024,
  maxNodes: 200_000,
  maxEdges: 2_000_000,
  maxQueued: 32,
  concurrency: 1,
  maxRuns: 10_000,
  maxRecordValues: DEFAULT_CAPS.maxRecordValues,
  maxRecordTimes: DEFAULT_CAPS.maxRecordTimes,
  maxHistoryEvents: DEFAULT_CAPS.maxHistoryEvents,
  maxWallMs: 10 * 60 * 1000,
  rateLimit: 60,
  heartbeatMs: 15_000,
  leaseMs: 30_000,
} as const;

export function resolveOptions(options: ServerOptions = {}): ResolvedOptions {
  const token = options.token === undefined ? (process.env.SPREADLAB_TOKEN || null) : options.token;
  return {
    bodyLimit: options.bodyLimit ?? DEFAULTS.bodyLimit,
    uploadLimit: options.uploadLimit ?? DEFAULTS.uploadLimit,
    maxNodes: options.maxNodes ?? DEFAULTS.maxNodes,
    maxEdges: options.maxEdges ?? DEFAULTS.maxEdges,
    maxQueued: options.maxQueued ?? DEFAULTS.maxQueued,
    concurrency: Math.max(1, options.concurrency ?? DEFAULTS.concurrency),
    maxRuns: options.maxRuns ?? DEFAULTS.maxRuns,
    maxRecordValues: options.maxRecordValues ?? DEFAULTS.maxRecordValues,
    maxRecordTimes: options.maxRecordTimes ?? DEFAULTS.maxRecordTimes,
    maxHistoryEvents: options.maxHistoryEvents ?? DEFAULTS.maxHistoryEvents,
    maxWallMs: options.maxWallMs ?? DEFAULTS.maxWallMs,
    workers: options.workers,
    redis: options.redis,
    rateLimit: options.rateLimit ?? DEFAULTS.rateLimit,
    token: token === "" ? null : token,
    heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
    leaseMs: options.leaseMs ?? DEFAULTS.leaseMs,
    log: options.log ?? ((line) => process.stderr.write(line + "\n")),
  };
}
