/**
 * Start-up recovery of the jobs a previous process left behind (the store marks the running ones failed
 * first, see store/sqlite.ts): runs and forecasts still queued never started, so they are queued again, in
 * the order they were submitted, and keep their ids — a client polling one sees it run and finish.
 *
 * A run is prepared again from its stored scenario (and network id) with this server's limits; one that no
 * longer passes (its stored network was deleted, the limits were lowered) fails with that error. A forecast
 * on a bundled dataset is prepared again when it starts (the transformer may still be loading at start-up);
 * one on an uploaded series cannot be: the upload's text is not stored, so it fails with InterruptedError.
 */
import { SpreadlabError } from "../errors.js";
import type { Store } from "../store/types.js";
import type { JobQueue } from "./jobs.js";
import type { ForecastQueue, ForecastTask } from "./forecast-queue.js";
import { computeForecast, prepareForecast, type ForecastSpec } from "./forecasts.js";
import { prepareRun, type RunLimits } from "./prepare.js";
import type { NetworkTasks } from "./network-tasks.js";
import { ForecastRequestSchema } from "./schemas.js";

const PAGE = 500;

/** Every row of a paged listing, oldest first. */
async function allOldestFirst<T>(list: (limit: number, cursor: string | null) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: T[]; next: string | null } = await list(PAGE, cursor);
    rows.push(...page.items);
    cursor = page.next;
  } while (cursor !== null);
  return rows.reverse();
}

const asError = (error: unknown): { name: string; message: string } => {
  const e = error as { name?: unknown; message?: unknown };
  // An HttpProblem here is the request's fault, found again: report it as the library error it stands for.
  const name = typeof e?.name === "string" && e.name !== "HttpProblem" ? e.name : "SpreadlabError";
  return { name, message: typeof e?.message === "string" ? e.message : String(error) };
};

/** A forecast task that prepares its stored spec when it starts. */
function forecastTask(spec: ForecastSpec): ForecastTask {
  return async (signal, progress) => {
    let prepared;
    try {
      prepared = prepareForecast(ForecastRequestSchema.parse(spec));
    } catch (error) {
      const { name, message } = asError(error);
      throw Object.assign(new SpreadlabError(message), { name });
    }
    return computeForecast(prepared, signal, progress);
  };
}

/** Queue again the runs and forecasts left queued; returns how many were re-queued and how many failed. */
export async function requeueStored(store: Store, jobs: JobQueue, forecasts: ForecastQueue, limits: RunLimits, tasks?: NetworkTasks): Promise<{ requeued: number; failed: number }> {
  let requeued = 0;
  let failed = 0;
  // With several instances on one store, each re-queues every queued row; the claim when a job starts
  // (jobs.ts) lets exactly one of them run it.
  for (const row of await allOldestFirst((limit, cursor) => store.listRuns(limit, cursor, "queued"))) {
    let job;
    try {
      ({ job } = await prepareRun({ scenario: row.spec, ...(row.networkId !== null ? { networkId: row.networkId } : {}) }, store, limits, tasks));
    } catch (error) {
      await jobs.resume(row.id, { error: asError(error) });
      failed++;
      continue;
    }
    await jobs.resume(row.id, job);
    requeued++;
  }
  for (const row of await allOldestFirst((limit, cursor) => store.listForecasts(limit, cursor, "queued"))) {
    const spec = row.spec as ForecastSpec;
    if (typeof spec?.dataset !== "string") {
      const message = "the server restarted before the forecast started, and an uploaded series is not kept; submit it again.";
      await store.updateForecast(row.id, { status: "failed", error: { name: "InterruptedError", message } }, ["queued"]);
      failed++;
      continue;
    }
    forecasts.resume(row.id, forecastTask(spec));
    requeued++;
  }
  return { requeued, failed };
}
