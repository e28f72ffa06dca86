/** What every route module receives from `createApp`. */
import type { RequestHandler, Request } from "express";
import type { z } from "zod";
import type { Store } from "../store/types.js";
import type { Instance } from "./instances.js";
import type { JobQueue } from "./jobs.js";
import type { ResolvedOptions } from "./options.js";
import { HttpProblem, validationProblem } from "./problems.js";

export interface ApiContext {
  store: Store;
  jobs: JobQueue;
  /** This server among the instances sharing the store (heartbeat, liveness of job owners). */
  instance: Instance;
  options: ResolvedOptions;
  /** Rate limiter for job-creating routes. */
  limitCreation: RequestHandler;
  startedAt: number;
  version: string;
}

/** Parse the query string with a schema; issues become a 422 with `query.<name>` paths. */
export function parseQuery<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const parsed = schema.safeParse({ ...(req.query as Record<string, unknown>) });
  if (!parsed.success) throw validationProblem(parsed.error, ["query"], "The query string is invalid.");
  return parsed.data;
}

export function notFound(kind: "run" | "network", id: string): HttpProblem {
  const list = kind === "run" ? "GET /v1/runs" : "GET /v1/networks";
  return new HttpProblem(404, "not-found", "Not found", `no ${kind} has id "${id}"; see ${list}.`);
}
