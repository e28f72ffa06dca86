/**
 * `/v1/forecasts`: quantile forecasts of one region of an incidence series, as jobs (202 + Location, then
 * poll `GET /v1/forecasts/{id}`), list, cancel or delete.
 *
 * A request names a series — a bundled dataset (`GET /v1/datasets`) or the text of an uploaded wide CSV —
 * a region (column), the horizons (weeks after `asOf`, the last observed row) and a method. Everything that
 * can be checked is checked before anything is queued: an unknown dataset or region (with suggestions), a
 * CSV the reader refuses (its file and line), an `asOf` outside the series or on a missing value, a series
 * too short for the method. Methods:
 *   - `baseline`: the forecast hubs' baseline (src/forecast/hub-baseline.ts) — median = the value at asOf,
 *     spread from every past week-to-week change; the same random stream per (region column, origin row,
 *     horizon) as the evaluation protocol uses, so a forecast at row t equals the evaluator's for that cell;
 *   - `transformer` (forecast-transformer.ts): the pretrained transformer (models/ili-pretrained), fine-tuned
 *     on this region's history up to asOf (`finetune: { epochs, strategy }`; epochs 0 = zero-shot), then
 *     forecast from asOf. Progress (phase, epoch) is on `GET /v1/forecasts/{id}` while it runs; the result
 *     names the network (`model`) and carries a backtest (`scores`) on the fine-tune's early-stopping weeks
 *     against the hub baseline. Refused (422) while the tfjs backend or the checkpoint is not loaded.
 *
 * The jobs run on a queue of their own (ForecastQueue below): the run JobQueue is built around scenarios
 * and the runs table (PreparedJob, insertRun, run events), so it cannot take a generic task without being
 * reworked. Same semantics: at most `maxQueued` waiting (else 503 + Retry-After), `concurrency` at once,
 * `maxWallMs` per job, cancellation, and closing fails what is left. A forecast job is asynchronous and
 * yields to the event loop between horizons, so a cancel or the time limit takes effect at the next
 * horizon. Uploads travel inside the JSON body, which is limited to `uploadLimit` on this route; the CSV
 * text is not stored (the spec describes it; the result holds the observed series up to asOf).
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import express, { type Request, type Response, type Router } from "express";
import type { z } from "zod";
import { formatWeek, listDatasets, loadDataset, nextWeek, parseSeriesCsv, type EpiWeek, type SeriesTable } from "../forecast/data.js";
import { hubBaselineForecaster } from "../forecast/hub-baseline.js";
import { minMaxScaling, type ForecastInput } from "../forecast/protocol.js";
import { HUB_QUANTILE_LEVELS, intervalStructure, sortQuantiles } from "../forecast/quantiles.js";
import { didYouMean } from "../scenario/suggest.js";
import type { ForecastRow, RunStatus, Store } from "../store/types.js";
import { isTerminal, QueueFullError } from "./jobs.js";
import { ForecastQueue, type ForecastProgress } from "./forecast-queue.js";
import type { Backtest } from "../forecast/transformer/service.js";
import type { FinetuneStrategy } from "../forecast/transformer/train.js";
import { forecasterBackend, transformerUnavailable } from "./forecaster.js";
import { checkTransformerRequest, transformerForecast, type TransformerModelInfo } from "./forecast-transformer.js";
import { autoForecast, type ServedSelection } from "./forecast-auto.js";
export { ForecastQueue, type ForecastQueueOptions, type ForecastTask, type ForecastProgress } from "./forecast-queue.js";
export { transformerForecast, type TransformerModelInfo } from "./forecast-transformer.js";
import { fieldProblem, HttpProblem, validationProblem } from "./problems.js";
import { DEFAULT_FINETUNE_EPOCHS, ForecastListQuerySchema, ForecastRequestSchema } from "./schemas.js";
import { parseQuery, type ApiContext } from "./context.js";

const RETRY_AFTER_S = 30;
const DEFAULT_UPLOAD_NAME = "upload.csv";
/** The baseline needs at least one week-to-week change up to asOf (two consecutive observed rows). */
const BASELINE_MIN_CHANGES = 1;
/** Region names listed in a "no such region" message, at most. */
const LISTED_REGIONS = 60;

export type ForecastRequest = z.infer<typeof ForecastRequestSchema>;
export type ForecastMethod = ForecastRequest["method"];

/** How a stored forecast names its series: a bundled id, or an upload described (its text is not kept). */
export type ForecastDataset = string | { csv: { name: string; rows: number; regions: string[] } };

/** The stored spec: the request as validated, defaults filled in, asOf resolved to a row index. */
export interface ForecastSpec {
  dataset: ForecastDataset;
  region: string;
  horizons: number[];
  asOf: number;
  method: ForecastMethod;
  samples: number;
  seed: number;
  /** Transformer only. */
  finetune?: { epochs: number; strategy: FinetuneStrategy };
}

/** `GET /v1/forecasts/{id}`'s `result` (ForecastResultSchema). */
export interface ForecastResult {
  dataset: ForecastDataset;
  region: string;
  method: ForecastMethod;
  asOf: { index: number; year: number; week: number } | { index: number; date: string };
  observed: { times: string[]; values: (number | null)[] };
  horizons: number[];
  targets: string[] | null;
  levels: number[];
  quantiles: number[][];
  median: number[];
  samples: number;
  seed: number;
  model?: TransformerModelInfo;
  scores?: Backtest | null;
  /** Method "auto": the method served and why (forecast-auto.ts). */
  selection?: ServedSelection;
}

/** A request resolved against its series: what the job needs. */
export interface PreparedForecast {
  spec: ForecastSpec;
  /** The region's column index in its table (part of the baseline's random stream). */
  regionIndex: number;
  /** The region's values, rows 0 … asOf (NaN where missing). */
  history: Float64Array;
  /** Row labels 0 … asOf. */
  times: string[];
  weeks: EpiWeek[] | undefined;
  /** The region alone, rows 0 … asOf (what the transformer fine-tunes on and forecasts from). */
  table: SeriesTable;
}

// ── validation ────────────────────────────────────────────────────────────────────────────────────────────

function resolveSeries(dataset: ForecastRequest["dataset"]): { table: SeriesTable; descriptor: ForecastDataset } {
  if (typeof dataset === "string") {
    const ids = listDatasets().map((d) => d.id as string);
    if (!ids.includes(dataset)) {
      throw fieldProblem("dataset-unknown", "Unknown dataset", "dataset", `no bundled dataset "${dataset}".${didYouMean(dataset, ids)} The bundled datasets are ${ids.join(", ")} (GET /v1/datasets); or upload a series as { "csv": "<text>" }.`);
    }
    return { table: loadDataset(dataset), descriptor: dataset };
  }
  const name = dataset.name ?? DEFAULT_UPLOAD_NAME;
  let table: SeriesTable;
  try {
    // One row is accepted here: "too short" is the method's judgement (checked below with its own message).
    table = parseSeriesCsv(dataset.csv, name, { minRows: 1 });
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown; line?: unknown };
    if (e?.name !== "DataError" || typeof e.message !== "string") throw error;
    throw fieldProblem("data-invalid", "The uploaded series is invalid", "dataset.csv", e.message, typeof e.line === "number" ? e.line : undefined);
  }
  return { table, descriptor: { csv: { name, rows: table.rows, regions: [...table.regions] } } };
}

function rowLabel(table: SeriesTable, row: number): string {
  return table.weeks ? formatWeek(table.weeks[row]) : table.dates![row];
}

/** Validate a parsed request against its series. Throws HttpProblem (422) with the field path. */
export function prepareForecast(request: ForecastRequest): PreparedForecast {
  if (request.method === "transformer" && forecasterBackend() === null) {
    throw fieldProblem("method-unavailable", "The forecast method is not available", "method", `the transformer forecaster is not loaded (${transformerUnavailable() ?? "still starting; retry in a few seconds"}); use method "baseline" meanwhile.`);
  }
  if (request.method === "baseline" && request.finetune !== undefined) {
    throw fieldProblem("finetune-unexpected", "finetune applies to the transformer only", "finetune", `"finetune" is an option of methods "transformer" and "auto"; this request asks for "${request.method}".`);
  }
  const { table, descriptor } = resolveSeries(request.dataset);
  const where = typeof descriptor === "string" ? `dataset ${descriptor}` : `the uploaded series ${descriptor.csv.name}`;
  const regionIndex = table.regions.indexOf(request.region);
  if (regionIndex < 0) {
    const shown = table.regions.slice(0, LISTED_REGIONS).map((r) => `"${r}"`).join(", ") + (table.regions.length > LISTED_REGIONS ? ", …" : "");
    throw fieldProblem("region-unknown", "Unknown region", "region", `${where} has no region "${request.region}".${didYouMean(request.region, table.regions)} Its regions: ${shown}.`);
  }
  const values = table.values[regionIndex];
  const last = table.rows - 1;
  const asOf = request.asOf ?? last;
  if (asOf > last) {
    throw fieldProblem("as-of-invalid", "asOf is outside the series", "asOf", `asOf ${asOf} is past the last row of ${where}: rows run from 0 to ${last} (${rowLabel(table, last)}).`);
  }
  if (!Number.isFinite(values[asOf])) {
    let observed = asOf;
    while (observed >= 0 && !Number.isFinite(values[observed])) observed--;
    const hint = observed >= 0 ? ` The last observed row before it is ${observed} (${rowLabel(table, observed)}); pass asOf: ${observed}.` : "";
    throw fieldProblem("as-of-invalid", "asOf is on a missing value", "asOf", `the value of "${request.region}" at row ${asOf} (${rowLabel(table, asOf)}) is missing; the forecast starts from the last observed value.${hint}`);
  }
  if (request.method === "transformer") checkTransformerRequest(request, values, asOf, where, (row) => rowLabel(table, row));
  let changes = 0;
  for (let t = 1; t <= asOf; t++) if (Number.isFinite(values[t] - values[t - 1])) changes++;
  if (changes < BASELINE_MIN_CHANGES) {
    throw fieldProblem(
      "series-too-short",
      "The series is too short",
      request.asOf !== undefined ? "asOf" : "dataset",
      `"${request.region}" of ${where} has ${asOf + 1} row(s) up to asOf (${rowLabel(table, asOf)}) and no week-to-week change between two observed rows; the baseline needs at least ${BASELINE_MIN_CHANGES + 1} consecutive observed rows.`,
    );
  }
  const history = values.slice(0, asOf + 1);
  const times = Array.from({ length: asOf + 1 }, (_, t) => rowLabel(table, t));
  const spec: ForecastSpec = {
    dataset: descriptor,
    region: request.region,
    horizons: [...request.horizons].sort((a, b) => a - b),
    asOf,
    method: request.method,
    samples: request.samples,
    seed: request.seed,
    ...(request.method !== "baseline" ? { finetune: { epochs: request.finetune?.epochs ?? DEFAULT_FINETUNE_EPOCHS, strategy: request.finetune?.strategy ?? "both" } } : {}),
  };
  const weeks = table.weeks?.slice(0, asOf + 1);
  const single: SeriesTable = { file: table.file, regions: [request.region], rows: asOf + 1, values: [history.slice()], ...(weeks ? { weeks } : {}), ...(table.dates ? { dates: table.dates.slice(0, asOf + 1) } : {}) };
  return { spec, regionIndex, history, times, weeks, table: single };
}

// ── the computation ───────────────────────────────────────────────────────────────────────────────────────

/**
 * The hub baseline's quantiles for each horizon, through `hubBaselineForecaster` (the protocol's forecaster,
 * which learns nothing: its fit ignores the training period, and it forecasts from the whole history up to
 * the origin). Yields to the event loop between horizons and stops there when `signal` is aborted.
 */
export async function baselineQuantiles(prepared: PreparedForecast, signal?: AbortSignal): Promise<Float64Array[]> {
  const { spec, history, regionIndex } = prepared;
  const forecaster = hubBaselineForecaster({ samples: spec.samples, seed: spec.seed });
  const scaling = minMaxScaling([history], history.length);
  const rows: Float64Array[] = [];
  for (const horizon of spec.horizons) {
    if (signal?.aborted) throw signal.reason ?? new Error("stopped");
    const predict = forecaster.fit({ regions: [spec.region], window: history.length, horizon, values: [history.slice()], targets: [], scaling });
    const input: ForecastInput = {
      region: regionIndex,
      origin: spec.asOf,
      horizon,
      window: history.slice(),
      history: () => history.slice(),
      scaling: { min: scaling.min[0], max: scaling.max[0], range: scaling.range[0] },
    };
    rows.push(sortQuantiles(predict(input)));
    await nextTurn();
  }
  if (signal?.aborted) throw signal.reason ?? new Error("stopped");
  return rows;
}

/** The stored result of a prepared forecast. */
export async function computeForecast(prepared: PreparedForecast, signal?: AbortSignal, progress?: (p: ForecastProgress) => void): Promise<ForecastResult> {
  const { spec, history, times, weeks } = prepared;
  const transformer = spec.method === "transformer" ? await transformerForecast(prepared, signal, progress) : spec.method === "auto" ? await autoForecast(prepared, baselineQuantiles, signal, progress) : null;
  const rows = transformer ? transformer.rows : await baselineQuantiles(prepared, signal);
  const median = intervalStructure(HUB_QUANTILE_LEVELS).median;
  let targets: string[] | null = null;
  if (weeks) {
    targets = [];
    let week = weeks[spec.asOf];
    for (let h = 1, k = 0; k < spec.horizons.length; h++) {
      week = nextWeek(week);
      if (h === spec.horizons[k]) {
        targets.push(formatWeek(week));
        k++;
      }
    }
  }
  return {
    dataset: spec.dataset,
    region: spec.region,
    method: spec.method,
    asOf: weeks ? { index: spec.asOf, year: weeks[spec.asOf].year, week: weeks[spec.asOf].week } : { index: spec.asOf, date: times[spec.asOf] },
    observed: { times, values: Array.from(history, (v) => (Number.isFinite(v) ? v : null)) },
    horizons: [...spec.horizons],
    targets,
    levels: [...HUB_QUANTILE_LEVELS],
    quantiles: rows.map((row) => Array.from(row)),
    median: rows.map((row) => row[median]),
    samples: spec.samples,
    seed: spec.seed,
    ...(transformer?.model ? { model: transformer.model, scores: transformer.scores ?? null } : {}),
    ...(transformer && "selection" in transformer ? { selection: transformer.selection } : {}),
  };
}

// ── routes ────────────────────────────────────────────────────────────────────────────────────────────────

function notFound(id: string): HttpProblem {
  return new HttpProblem(404, "not-found", "Not found", `no forecast has id "${id}"; see GET /v1/forecasts.`);
}

/** The routes and their queue; `createApp` mounts the router under /v1 and closes the queue with the app. */
export function forecastsRouter(ctx: ApiContext): { router: Router; queue: ForecastQueue } {
  const router = express.Router();
  const { store } = ctx;
  const queue = new ForecastQueue(
    store,
    {
      concurrency: ctx.options.concurrency,
      maxQueued: ctx.options.maxQueued,
      maxWallMs: ctx.options.maxWallMs,
      log: ctx.options.log,
    },
    ctx.instance,
  );
  // Uploads come inside the JSON body: the route's body limit is the upload limit.
  const json = express.json({ limit: ctx.options.uploadLimit });

  const getOr404 = async (id: string): Promise<ForecastRow> => {
    const row = await store.getForecast(id);
    if (row === null) throw notFound(id);
    return row;
  };

  router.post("/forecasts", ctx.limitCreation, json, async (req: Request, res: Response) => {
    if (req.body === undefined) {
      const type = req.headers["content-type"];
      throw new HttpProblem(415, "unsupported-media-type", "Unsupported media type", `${type ? `Content-Type "${type}" is not taken here` : "the request has no body or Content-Type"}; send application/json: { dataset, region, horizons?, asOf?, method?, samples?, seed?, finetune? }, with an uploaded series as dataset: { csv: "<text>" }.`);
    }
    const parsed = ForecastRequestSchema.safeParse(req.body);
    if (!parsed.success) throw validationProblem(parsed.error, [], "A forecast request is { dataset, region, horizons?, asOf?, method?, samples?, seed?, finetune? }.");
    const prepared = prepareForecast(parsed.data);
    let row: ForecastRow;
    try {
      row = await queue.submit(prepared.spec, (signal, progress) => computeForecast(prepared, signal, progress));
    } catch (error) {
      if (error instanceof QueueFullError) {
        throw new HttpProblem(503, "queue-full", "The job queue is full", error.message, { headers: { "Retry-After": String(RETRY_AFTER_S) } });
      }
      throw error;
    }
    res.status(202).location(`/v1/forecasts/${row.id}`).json(row);
  });

  router.get("/forecasts", async (req, res) => {
    const { limit, cursor, status } = parseQuery(ForecastListQuerySchema, req);
    res.json(await store.listForecasts(limit, cursor ?? null, status));
  });

  router.get("/forecasts/:id", async (req, res) => {
    const row = await getOr404(req.params.id);
    const result = row.status === "succeeded" ? await store.getForecastResult(row.id) : null;
    const progress = row.status === "running" ? queue.progressOf(row.id) : null;
    res.json(result === null ? { ...row, ...(row.status === "running" ? { progress } : {}) } : { ...row, result });
  });

  // A finished forecast is deleted (204); a queued or running one is cancelled (202, the row).
  router.delete("/forecasts/:id", async (req, res) => {
    const row = await getOr404(req.params.id);
    if (isTerminal(row.status)) {
      await store.deleteForecast(row.id);
      res.status(204).end();
      return;
    }
    // Here, on the instance running it, or marked in the store when nobody runs it (forecast-queue.ts).
    await queue.cancel(row.id);
    res.status(202).location(`/v1/forecasts/${row.id}`).json(await store.getForecast(row.id));
  });

  return { router, queue };
}
