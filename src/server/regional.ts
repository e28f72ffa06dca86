/**
 * `/v1/forecasts/regional`: every region of a series forecast from one as-of row (src/forecast/regional.ts),
 * as a job: POST (202 + Location) → poll `GET /v1/forecasts/regional/{id}` (progress = regions done) →
 * the result, or `…/{id}/hub.csv` (the hubs' long CSV: location, target, horizon, quantile, value);
 * DELETE cancels a queued or running job (202) or removes a finished one (204).
 *
 * The request names a bundled dataset or uploads a wide CSV, and may upload an adjacency file (a square
 * matrix in column order or a `source,target[,weight]` list) and a coordinates CSV (`region,lat,lon
 * [,population]`); bundled HHS-region and state datasets come with their coordinates (data/geo). Everything
 * is validated before the job is queued: 422 with the field path, and the line for files.
 *
 * The jobs run on the shared Scheduler (bounded, `concurrency` at once, wall-clock limit, cancellation) and
 * are kept in memory — at most KEPT_JOBS, the oldest finished dropped first — not in the store: a regional
 * result is a view of a bundled or uploaded series recomputed in about a second, so a restart loses nothing
 * that cannot be asked for again. The result carries each region's observed values up to asOf (for the fan
 * chart and the past seasons).
 */
import { randomUUID } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { formatWeek, listDatasets, loadDataset, parseSeriesCsv, type SeriesTable } from "../forecast/data.js";
import { DEFAULT_HUB_SAMPLES } from "../forecast/hub-baseline.js";
import { bundledCoordinates, parseAdjacency, parseCoordinates, type RegionCoordinate, type RegionEdge } from "../forecast/region-graph.js";
import { DEFAULT_BACKTEST_ORIGINS, DEFAULT_REGIONAL_HORIZON, forecastRegions, REGIONAL_METHODS, regionalHubCsv, type RegionalForecast, type RegionalMethod } from "../forecast/regional.js";
import { DEFAULT_CONFIG } from "../forecast/transformer/model.js";
import { MIN_FORECAST_WEEKS, minimumTrainingWeeks, observedCount } from "../forecast/transformer/service.js";
import { didYouMean } from "../scenario/suggest.js";
import type { ApiContext } from "./context.js";
import { QueueFullError } from "./jobs.js";
import { fieldProblem, HttpProblem, validationProblem } from "./problems.js";
import { Scheduler } from "./scheduler.js";
import { MAX_FINETUNE_EPOCHS, MAX_FORECAST_SAMPLES } from "./schemas.js";

const RETRY_AFTER_S = 30;
/** Finished jobs kept in memory, at most. */
export const KEPT_JOBS = 100;
/** Longest horizon of a regional forecast (the hubs forecast up to 4 weeks; 15 is the protocol's longest). */
export const MAX_REGIONAL_HORIZON = 15;
/** Regions per request, at most (the graph view draws each as a node with its fan chart). */
export const MAX_REGIONS = 500;

const Upload = (what: string) =>
  z.strictObject({
    csv: z.string().min(1).describe(what),
    name: z.string().min(1).max(200).optional().describe("File name used in error messages."),
  });

export const RegionalRequestSchema = z.strictObject({
  dataset: z.union([
    z.string().min(1).max(100).describe("A bundled dataset id (GET /v1/datasets)."),
    Upload("The text of a wide CSV: header `year,week,<region…>` or `date,<region…>`, one column per region."),
  ]),
  asOf: z.number().int().nonnegative().optional().describe("Row index (0-based) the forecasts start from; default the last row. Nothing after it is read."),
  horizon: z.number().int().min(1).max(MAX_REGIONAL_HORIZON).default(DEFAULT_REGIONAL_HORIZON).describe("H: quantiles for 1 … H weeks ahead, the trend at H."),
  method: z
    .enum(REGIONAL_METHODS as [RegionalMethod, ...RegionalMethod[]])
    .default("trend")
    .describe(
      "`trend`: damped log-linear trend of the last 4 weeks with the hub baseline's spread (its median moves); `baseline`: the forecast hubs' baseline (flat median); `transformer`: the bundled pretrained transformer, zero-shot unless `finetune.epochs` > 0; `transformer-spatial`: the bundled cross-region transformer, zero-shot, all regions forecast together (with the adjacency file's links when given).",
    ),
  finetune: z
    .strictObject({
      epochs: z.number().int().min(0).max(MAX_FINETUNE_EPOCHS).describe("Epochs per phase of a fine-tune of each region on its rows up to asOf; 0: zero-shot."),
      strategy: z.enum(["head", "full", "both"]).default("both").describe("What is trained: the output head, everything, or the head then everything."),
    })
    .optional()
    .describe("`transformer` only: fine-tune the pretrained network per region on rows up to asOf (default zero-shot)."),
  samples: z.number().int().min(1).max(MAX_FORECAST_SAMPLES).default(DEFAULT_HUB_SAMPLES).describe("Monte Carlo sums per forecast (the spread)."),
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0).describe("Seed of every random stream."),
  backtestOrigins: z.number().int().min(0).max(104).default(DEFAULT_BACKTEST_ORIGINS).describe("Weekly origins (each with its target ≤ asOf) in each region's backtest against the hub baseline; 0: none."),
  adjacency: Upload("A square 0/1 (or weight) matrix in the series' column order, or an edge list with the header source,target[,weight].").optional().describe("Region graph; default each region joined to its 3 most correlated (rows up to asOf)."),
  coordinates: Upload("CSV with the header region,lat,lon[,population].").optional().describe("Coordinates of an uploaded series' regions (bundled HHS-region and state datasets have theirs)."),
});
export type RegionalRequest = z.infer<typeof RegionalRequestSchema>;

export const RegionalResultSchema = z.object({
  dataset: z.union([z.string(), z.object({ csv: z.object({ name: z.string(), rows: z.number(), regions: z.array(z.string()) }) })]),
  method: z.enum(REGIONAL_METHODS as [RegionalMethod, ...RegionalMethod[]]),
  finetune: z.object({ epochs: z.number(), strategy: z.string() }).nullable().optional().describe("`transformer` only: the per-region fine-tune, null for zero-shot."),
  asOf: z.object({ index: z.number(), label: z.string() }),
  horizon: z.number(),
  horizons: z.array(z.number()),
  targets: z.array(z.string()),
  levels: z.array(z.number()),
  times: z.array(z.string()).describe("Row labels 0 … asOf."),
  regions: z.array(
    z.object({
      region: z.string(),
      last: z.number(),
      quantiles: z.array(z.array(z.number())),
      median: z.array(z.number()),
      trend: z.enum(["rising", "flat", "falling"]),
      change: z.number().nullable().describe("Relative change of the median at H; null when the value at asOf is 0 and the median is not."),
      band: z.number(),
      pRising: z.number(),
      pFalling: z.number(),
      scores: z.object({ origins: z.number(), wis: z.number(), baselineWis: z.number(), relativeWis: z.number().nullable() }).nullable(),
      observed: z.array(z.number().nullable()).describe("Values at rows 0 … asOf (null where missing)."),
      coordinates: z.object({ lat: z.number(), lon: z.number(), population: z.number().optional() }).nullable(),
    }),
  ),
  edges: z.array(z.object({ source: z.string(), target: z.string(), weight: z.number() })),
  adjacency: z.enum(["file", "correlation"]),
  samples: z.number(),
  seed: z.number(),
});

export const RegionalJobSchema = z.object({
  id: z.string(),
  status: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
  createdAt: z.string(),
  progress: z.object({ done: z.number(), total: z.number() }).nullable(),
  error: z.object({ name: z.string(), message: z.string() }).nullable(),
  result: RegionalResultSchema.optional(),
});

type Status = z.infer<typeof RegionalJobSchema>["status"];
type Result = z.infer<typeof RegionalResultSchema>;

interface Job {
  id: string;
  status: Status;
  createdAt: string;
  progress: { done: number; total: number } | null;
  error: { name: string; message: string } | null;
  result?: Result;
}

type Task = (signal: AbortSignal, progress: (done: number, total: number) => void) => Promise<Result>;

interface Prepared {
  table: SeriesTable;
  descriptor: Result["dataset"];
  asOf: number;
  edges: RegionEdge[] | undefined;
  coordinates: Map<string, RegionCoordinate> | null;
}

function fileProblem(error: unknown, path: string): never {
  const e = error as { name?: unknown; message?: unknown; line?: unknown };
  if (e?.name !== "DataError" || typeof e.message !== "string") throw error;
  throw fieldProblem("data-invalid", "An uploaded file is invalid", path, e.message, typeof e.line === "number" ? e.line : undefined);
}

function rowLabel(table: SeriesTable, row: number): string {
  return table.weeks ? formatWeek(table.weeks[row]) : table.dates![row];
}

/** Validate a request against its series and files. Throws HttpProblem (422) with the field path. */
export function prepareRegional(request: RegionalRequest): Prepared {
  let table: SeriesTable;
  let descriptor: Result["dataset"];
  if (typeof request.dataset === "string") {
    const ids = listDatasets().map((d) => d.id as string);
    if (!ids.includes(request.dataset)) {
      throw fieldProblem("dataset-unknown", "Unknown dataset", "dataset", `no bundled dataset "${request.dataset}".${didYouMean(request.dataset, ids)} The bundled datasets are ${ids.join(", ")} (GET /v1/datasets); or upload a series as { "csv": "<text>" }.`);
    }
    table = loadDataset(request.dataset);
    descriptor = request.dataset;
  } else {
    const name = request.dataset.name ?? "upload.csv";
    try {
      table = parseSeriesCsv(request.dataset.csv, name);
    } catch (error) {
      fileProblem(error, "dataset.csv");
    }
    descriptor = { csv: { name, rows: table.rows, regions: [...table.regions] } };
  }
  if (table.regions.length > MAX_REGIONS) throw fieldProblem("too-many-regions", "Too many regions", "dataset", `the series has ${table.regions.length} regions; a regional forecast takes at most ${MAX_REGIONS}.`);
  const last = table.rows - 1;
  const asOf = request.asOf ?? last;
  if (asOf > last || asOf < request.horizon) {
    throw fieldProblem("as-of-invalid", "asOf is outside the series", "asOf", `asOf must be a row from ${request.horizon} (one past ${request.horizon}-week change is needed) to ${last} (${rowLabel(table, last)}); got ${asOf}.`);
  }
  for (let r = 0; r < table.regions.length; r++) {
    if (!Number.isFinite(table.values[r][asOf])) {
      throw fieldProblem("as-of-invalid", "asOf is on a missing value", "asOf", `the value of "${table.regions[r]}" at row ${asOf} (${rowLabel(table, asOf)}) is missing; every region needs a value at asOf.`);
    }
  }
  if (request.finetune && request.method !== "transformer") {
    throw fieldProblem("finetune-without-transformer", "finetune needs the transformer", "finetune", `finetune applies to method "transformer" only; got method "${request.method}". Remove finetune or send method: "transformer".`);
  }
  if (request.method === "transformer" || request.method === "transformer-spatial") {
    const tuning = (request.finetune?.epochs ?? 0) > 0;
    const need = tuning ? minimumTrainingWeeks(DEFAULT_CONFIG) : MIN_FORECAST_WEEKS;
    for (let r = 0; r < table.regions.length; r++) {
      const have = observedCount(table.values[r], asOf + 1);
      if (have < need) {
        throw fieldProblem("series-too-short", "The series is too short", request.asOf !== undefined ? "asOf" : "dataset", `"${table.regions[r]}" has ${have} observed week(s) up to asOf (${rowLabel(table, asOf)}); the transformer needs at least ${need}${tuning ? ` to fine-tune (finetune.epochs 0 forecasts zero-shot from ${MIN_FORECAST_WEEKS})` : ""}.`);
      }
    }
  }
  let edges: RegionEdge[] | undefined;
  if (request.adjacency) {
    try {
      edges = parseAdjacency(request.adjacency.csv, table.regions, request.adjacency.name ?? "adjacency.csv");
    } catch (error) {
      fileProblem(error, "adjacency.csv");
    }
  }
  let coordinates: Map<string, RegionCoordinate> | null = typeof request.dataset === "string" ? bundledCoordinates(request.dataset) : null;
  if (request.coordinates) {
    try {
      coordinates = parseCoordinates(request.coordinates.csv, request.coordinates.name ?? "coordinates.csv");
    } catch (error) {
      fileProblem(error, "coordinates.csv");
    }
    const missing = table.regions.filter((r) => !coordinates!.has(r));
    if (missing.length > 0) {
      throw fieldProblem("coordinates-incomplete", "Coordinates are missing for some regions", "coordinates.csv", `no coordinates for ${missing.slice(0, 10).map((r) => `"${r}"`).join(", ")}${missing.length > 10 ? ", …" : ""}; give one row per region of the series.`);
    }
  }
  return { table, descriptor, asOf, edges, coordinates };
}

/** The job's work: the library's forecast plus what the view needs (observed values, coordinates). */
export async function computeRegional(request: RegionalRequest, prepared: Prepared, signal?: AbortSignal, progress?: (done: number, total: number) => void): Promise<Result> {
  const { table, asOf } = prepared;
  const f: RegionalForecast = await forecastRegions(table, {
    asOf,
    horizon: request.horizon,
    method: request.method,
    finetune: request.finetune,
    samples: request.samples,
    seed: request.seed,
    backtestOrigins: request.backtestOrigins,
    edges: prepared.edges,
    signal,
    onProgress: progress,
  });
  return {
    dataset: prepared.descriptor,
    ...f,
    times: Array.from({ length: asOf + 1 }, (_, t) => rowLabel(table, t)),
    regions: f.regions.map((r, i) => ({
      ...r,
      change: Number.isFinite(r.change) ? r.change : null,
      scores: r.scores && { ...r.scores, relativeWis: Number.isFinite(r.scores.relativeWis) ? r.scores.relativeWis : null },
      observed: Array.from(table.values[i].subarray(0, asOf + 1), (v) => (Number.isFinite(v) ? v : null)),
      coordinates: prepared.coordinates?.get(r.region) ?? null,
    })),
  };
}

const isTerminal = (s: Status) => s === "succeeded" || s === "failed" || s === "cancelled";

/** The routes; mount before the single-region forecast routes (whose `/forecasts/:id` would catch "regional"). */
export function regionalRouter(ctx: ApiContext): { router: Router; close: () => Promise<void> } {
  const router = express.Router();
  const jobs = new Map<string, Job>();
  const scheduler = new Scheduler<Task>(
    {
      concurrency: ctx.options.concurrency,
      maxQueued: ctx.options.maxQueued,
      maxWallMs: ctx.options.maxWallMs,
      log: ctx.options.log,
      words: { waiting: "regional forecasts", item: "regional forecast", timed: "regional forecast", timeHint: "ask for fewer samples, backtest origins or regions." },
      libraryErrors: new Set(["DataError", "ForecastError", "NotFoundError", "SpreadlabError"]),
    },
    {
      run: async (id, task, signal) => {
        const job = jobs.get(id);
        if (!job) return;
        job.status = "running";
        const result = await task(signal, (done, total) => (job.progress = { done, total }));
        if (signal.aborted) throw new Error("stopped");
        job.status = "succeeded";
        job.result = result;
      },
      finish: async (id, status, error) => {
        const job = jobs.get(id);
        if (!job) return;
        job.status = status;
        job.error = error;
      },
    },
  );
  const json = express.json({ limit: ctx.options.uploadLimit });

  const getOr404 = (id: string): Job => {
    const job = jobs.get(id);
    if (!job) throw new HttpProblem(404, "not-found", "Not found", `no regional forecast has id "${id}" (they are kept in memory: at most ${KEPT_JOBS} finished ones, until the server restarts).`);
    return job;
  };
  const row = (job: Job) => ({ id: job.id, status: job.status, createdAt: job.createdAt, progress: job.progress, error: job.error });

  router.post("/forecasts/regional", ctx.limitCreation, json, (req: Request, res: Response) => {
    if (req.body === undefined) {
      throw new HttpProblem(415, "unsupported-media-type", "Unsupported media type", "send application/json: { dataset, asOf?, horizon?, method?, finetune?, samples?, seed?, backtestOrigins?, adjacency?, coordinates? }.");
    }
    const parsed = RegionalRequestSchema.safeParse(req.body);
    if (!parsed.success) throw validationProblem(parsed.error, [], "A regional forecast request is { dataset, asOf?, horizon?, method?, finetune?, samples?, seed?, backtestOrigins?, adjacency?, coordinates? }.");
    const prepared = prepareRegional(parsed.data);
    try {
      scheduler.checkRoom();
    } catch (error) {
      if (error instanceof QueueFullError) throw new HttpProblem(503, "queue-full", "The job queue is full", error.message, { headers: { "Retry-After": String(RETRY_AFTER_S) } });
      throw error;
    }
    // Drop the oldest finished jobs beyond the bound (Map keeps insertion order).
    const finished = [...jobs.values()].filter((j) => isTerminal(j.status));
    for (const j of finished.slice(0, Math.max(0, finished.length - KEPT_JOBS + 1))) jobs.delete(j.id);
    const job: Job = { id: randomUUID(), status: "queued", createdAt: new Date().toISOString(), progress: { done: 0, total: prepared.table.regions.length }, error: null };
    jobs.set(job.id, job);
    scheduler.enqueue(job.id, (signal, progress) => computeRegional(parsed.data, prepared, signal, progress));
    res.status(202).location(`/v1/forecasts/regional/${job.id}`).json(row(job));
  });

  router.get("/forecasts/regional/:id", (req, res) => {
    const job = getOr404(req.params.id);
    res.json(job.result ? { ...row(job), result: job.result } : row(job));
  });

  router.get("/forecasts/regional/:id/hub.csv", (req, res) => {
    const job = getOr404(req.params.id);
    if (!job.result) throw new HttpProblem(409, "not-finished", "The forecast has no result", `regional forecast ${job.id} is ${job.status}; its CSV exists once it has succeeded.`);
    res.type("text/csv").attachment(`regional-${job.result.asOf.label}.csv`).send(regionalHubCsv(job.result));
  });

  router.delete("/forecasts/regional/:id", async (req, res) => {
    const job = getOr404(req.params.id);
    if (isTerminal(job.status)) {
      jobs.delete(job.id);
      res.status(204).end();
      return;
    }
    await scheduler.cancel(job.id);
    res.status(202).location(`/v1/forecasts/regional/${job.id}`).json(row(job));
  });

  return { router, close: () => scheduler.close() };
}
