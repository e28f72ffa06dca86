/**
 * `GET /v1/openapi.json`: an OpenAPI 3.1 document generated from the zod schemas in schemas.ts with
 * `z.toJSONSchema` (JSON Schema 2020-12, the dialect of OpenAPI 3.1), so that what is documented is what
 * is validated. Request bodies are converted as inputs (defaults optional), responses as outputs.
 */
import { z } from "zod";
import * as S from "./schemas.js";
import { ScenarioSchema } from "../scenario/schema.js";
import { DEFAULTS } from "./options.js";
import { RegionalJobSchema, RegionalRequestSchema } from "./regional.js";

type Json = Record<string, unknown>;

const REQUESTS = {
  Scenario: ScenarioSchema,
  RunRequest: S.RunRequestSchema,
  GenerateNetworkRequest: S.GenerateNetworkRequestSchema,
  ForecastRequest: S.ForecastRequestSchema,
  RegionalForecastRequest: RegionalRequestSchema,
} as const;

const RESPONSES = {
  Problem: S.ProblemSchema,
  Health: S.HealthSchema,
  ModelInfo: S.ModelInfoSchema,
  GeneratorInfo: S.GeneratorInfoSchema,
  NetworkSummary: S.NetworkSummarySchema,
  NetworkPage: S.NetworkPageSchema,
  GraphDocument: S.GraphDocumentSchema,
  RunRow: S.RunRowSchema,
  RunPage: S.RunPageSchema,
  Result: S.ResultSchema,
  NodeStates: S.NodeStatesSchema,
  RunEvent: S.RunEventSchema,
  ForecastRow: S.ForecastRowSchema,
  ForecastPage: S.ForecastPageSchema,
  Forecast: S.ForecastSchema,
  ForecastResult: S.ForecastResultSchema,
  RegionalForecast: RegionalJobSchema,
} as const;

/** `z.literal(Infinity)` (YAML `.inf` for an unbounded tmax) has no JSON form: document it in words. */
function override(ctx: { zodSchema: unknown; jsonSchema: Json }): void {
  const def = (ctx.zodSchema as { _zod?: { def?: { type?: string; values?: unknown[] } } })._zod?.def;
  if (def?.type === "literal" && def.values?.includes(Infinity)) {
    for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
    Object.assign(ctx.jsonSchema, { type: "number", description: "Infinity: `.inf` in YAML scenario text; JSON has no infinity." });
  }
}

function components(schemas: Record<string, z.ZodType>, io: "input" | "output"): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, { target: "draft-2020-12", io, unrepresentable: "any", uri: (id) => `#/components/schemas/${id}`, override });
  const result: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(out.schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Json;
    result[id] = rest;
  }
  return result;
}

const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: Json, description: string): Json => ({ description, content: { "application/json": { schema } } });
const problem = (description: string): Json => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });

const PROBLEMS: Record<number, string> = {
  400: "The request cannot be read: malformed JSON, or an invalid paging cursor.",
  401: "A token is configured and the request lacks `Authorization: Bearer <token>`.",
  404: "Unknown id.",
  409: "The run is in the wrong state for this request.",
  413: "The body is over its size limit.",
  415: "The content type is not taken here.",
  422: "The request parses but is invalid: `errors` lists each field path and message.",
  429: "Too many job-creating requests from this client; see the RateLimit headers.",
  503: "The job queue is full; retry after Retry-After seconds.",
};

function queryParameters(schema: z.ZodObject): Json[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { $schema: _s, description, ...fieldSchema } = z.toJSONSchema(field as z.ZodType, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Json;
    return { name, in: "query", required: false, schema: fieldSchema, ...(description ? { description } : {}) };
  });
}

const idParameter = (what: string): Json => ({ name: "id", in: "path", required: true, schema: { type: "string" }, description: `The ${what} id.` });

interface Operation {
  summary: string;
  description?: string;
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
  problems: number[];
}

function operation(op: Operation, write: boolean): Json {
  const responses: Record<string, Json> = { ...op.responses };
  for (const status of [...op.problems, ...(write ? [401] : [])].sort()) responses[String(status)] = problem(PROBLEMS[status]);
  responses["500"] = problem("Unexpected server error (logged; no details are returned).");
  return {
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.parameters ? { parameters: op.parameters } : {}),
    ...(op.requestBody ? { requestBody: op.requestBody } : {}),
    responses,
    ...(write ? { security: [{ bearerAuth: [] }, {}] } : {}),
  };
}

export function openApiDocument(version: string): Json {
  const location = { Location: { description: "URL of the created resource.", schema: { type: "string" } } };
  const text = (description: string): Json => ({ schema: { type: "string" }, description } as Json);
  const paths: Record<string, Record<string, Json>> = {
    "/v1/health": { get: operation({ summary: "Server status, queue and limits", responses: { 200: json(ref("Health"), "Healthy.") }, problems: [] }, false) },
    "/v1/openapi.json": { get: operation({ summary: "This document", responses: { 200: json({ type: "object" }, "OpenAPI 3.1 document.") }, problems: [] }, false) },
    "/v1/models": { get: operation({ summary: "The model registry", responses: { 200: json({ type: "array", items: ref("ModelInfo") }, "Every model.") }, problems: [] }, false) },
    "/v1/generators": { get: operation({ summary: "The network generators", responses: { 200: json({ type: "array", items: ref("GeneratorInfo") }, "Every generator.") }, problems: [] }, false) },
    "/v1/forecaster": {
      get: operation(
        {
          summary: "The transformer forecaster",
          responses: {
            200: json(
              {
                type: "object",
                properties: {
                  available: { type: "boolean" },
                  backend: { type: ["string", "null"] },
                  error: { type: ["string", "null"] },
                  checkpoint: { type: ["object", "null"], description: "The bundled checkpoint's manifest: config, scaling, provenance, evaluation." },
                  daily: { type: ["object", "null"], description: "The checkpoint daily series start from (models/daily-pretrained), as `checkpoint`; null when there is none (daily series then start from the weekly one)." },
                },
              },
              "Whether the transformer is loaded, on which tfjs backend, and its checkpoint's manifest.",
            ),
          },
          problems: [],
        },
        false,
      ),
    },
    "/v1/datasets": {
      get: operation(
        {
          summary: "The bundled real incidence series",
          responses: { 200: json({ type: "array", items: { type: "object", properties: { id: { type: "string" }, description: { type: "string" }, regions: { type: "array", items: { type: "string" } }, rows: { type: "integer" } } } }, "Every dataset, with its regions, span and provenance.") },
          problems: [],
        },
        false,
      ),
    },
    "/v1/scenarios": {
      get: operation(
        {
          summary: "The bundled scenario files (presets)",
          responses: { 200: json({ type: "array", items: { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, description: { type: "string" }, scenario: ref("Scenario") } } }, "Every file in scenarios/, parsed: its id (file name), name, leading comment and scenario.") },
          problems: [],
        },
        false,
      ),
    },
    "/v1/scenarios/{id}/network": {
      post: operation(
        {
          summary: "Build a bundled scenario's network",
          description: "Builds and stores the network the scenario file names, as `spreadlab run` builds it: its generator with the file's parameters and seed (network.seed, else the scenario seed), or its bundled network file. A run on the returned id gives the file's result. Rate limited.",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" }, description: "The scenario's id (file name), from GET /v1/scenarios." }],
          responses: { 201: { ...json(ref("NetworkSummary"), "Stored."), headers: location } },
          problems: [404, 413, 429],
        },
        true,
      ),
    },
    "/v1/networks": {
      post: operation(
        {
          summary: "Generate or upload a network",
          description: `A JSON generator request, or a network file as the body (format from ?format= or the Content-Type). Uploads are limited to ${DEFAULTS.uploadLimit} bytes, ${DEFAULTS.maxNodes} nodes and ${DEFAULTS.maxEdges} edges by default (see GET /v1/health). Rate limited.`,
          parameters: queryParameters(S.NetworkUploadQuerySchema),
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { oneOf: [ref("GenerateNetworkRequest"), { type: "object", description: "A graphology export (upload)." }] } },
              "text/csv": text("Edge list: source,target[,weight]."),
              "text/tab-separated-values": text("Edge list with tabs."),
              "application/gexf+xml": text("GEXF."),
              "application/graphml+xml": text("GraphML."),
              "application/vnd.apache.arrow.file": { schema: { type: "string", format: "binary" }, description: "Arrow IPC file / Feather v2 edge table: columns source, target[, weight]; uncompressed, LZ4 or ZSTD." },
              "application/vnd.apache.arrow.stream": { schema: { type: "string", format: "binary" }, description: "Arrow IPC stream edge table (same columns)." },
              "application/vnd.apache.parquet": { schema: { type: "string", format: "binary" }, description: "Parquet edge table (same columns)." },
            },
          },
          responses: { 201: { ...json(ref("NetworkSummary"), "Stored."), headers: location } },
          problems: [400, 413, 415, 422, 429],
        },
        true,
      ),
      get: operation({ summary: "List stored networks", parameters: queryParameters(S.PageQuerySchema), responses: { 200: json(ref("NetworkPage"), "A page, newest first.") }, problems: [400, 422] }, false),
    },
    "/v1/networks/{id}": {
      get: operation({ summary: "A network's summary", parameters: [idParameter("network")], responses: { 200: json(ref("NetworkSummary"), "The summary.") }, problems: [404] }, false),
      delete: operation({ summary: "Delete a network", parameters: [idParameter("network")], responses: { 204: { description: "Deleted." } }, problems: [404] }, true),
    },
    "/v1/networks/{id}/graph": {
      get: operation({ summary: "The graph with a layout (x, y)", parameters: [idParameter("network")], responses: { 200: json(ref("GraphDocument"), "graphology JSON (gzip-encoded when Accept-Encoding allows it; Vary: Accept-Encoding).") }, problems: [404] }, false),
    },
    "/v1/runs": {
      post: operation(
        {
          summary: "Submit a scenario as a job",
          description:
            "The scenario is validated like a file (issue paths are relative to the scenario). Answers 202 with Location; follow /v1/runs/{id}/events or poll. Rate limited.",
          parameters: [{ name: "networkId", in: "query", required: false, schema: { type: "string" }, description: "For YAML bodies: run on this stored network." }],
          requestBody: { required: true, content: { "application/json": { schema: ref("RunRequest") }, "application/yaml": text("A scenario file's text.") } },
          responses: { 202: { ...json(ref("RunRow"), "Queued."), headers: location } },
          problems: [400, 413, 415, 422, 429, 503],
        },
        true,
      ),
      get: operation({ summary: "List runs", parameters: queryParameters(S.RunListQuerySchema), responses: { 200: json(ref("RunPage"), "A page, newest first.") }, problems: [400, 422] }, false),
    },
    "/v1/runs/{id}": {
      get: operation({ summary: "A run's status, progress and error", parameters: [idParameter("run")], responses: { 200: json(ref("RunRow"), "The run.") }, problems: [404] }, false),
      delete: operation({ summary: "Cancel a run", parameters: [idParameter("run")], responses: { 202: { ...json(ref("RunRow"), "Cancelling (the status becomes cancelled once the workers have stopped)."), headers: location } }, problems: [404, 409] }, true),
    },
    "/v1/runs/{id}/result": {
      get: operation({ summary: "The v1 result", parameters: [idParameter("run")], responses: { 200: json(ref("Result"), "The result.") }, problems: [404, 409] }, false),
    },
    "/v1/runs/{id}/nodes": {
      get: operation(
        {
          summary: "Node states at a time",
          description: "Compartmental models and cascades: the states of the first run — the final ones, or at any time in [0, tmax] when the scenario set output.history (its state changes are replayed). Reaction–diffusion: each variable at any record time.",
          parameters: [idParameter("run"), ...queryParameters(S.NodesQuerySchema)],
          responses: { 200: json(ref("NodeStates"), "States per node.") },
          problems: [404, 409, 422],
        },
        false,
      ),
    },
    "/v1/runs/{id}/events": {
      get: operation(
        {
          summary: "Progress as Server-Sent Events",
          description:
            "Events `status`, `progress`, `done` with `id: <seq>` and `data: <JSON>` (see RunEvent). Resume with the Last-Event-ID header or ?lastEventId=. The stream ends after `done`; a heartbeat comment is sent every 15 s.",
          parameters: [idParameter("run"), ...queryParameters(S.EventsQuerySchema), { name: "Last-Event-ID", in: "header", required: false, schema: { type: "string" } }],
          responses: { 200: { description: "The event stream.", content: { "text/event-stream": { schema: { type: "string" } } } }, 204: { description: "The run has finished and every event was already delivered." } },
          problems: [404, 422],
        },
        false,
      ),
    },
    "/v1/forecasts": {
      post: operation(
        {
          summary: "Forecast a region of a series as a job",
          description:
            "Quantile forecasts (the 23 forecast-hub levels) of one region of a bundled dataset or an uploaded wide CSV, for each horizon after asOf. " +
            "Validated before it is queued: unknown dataset or region (422 with suggestions), a CSV the reader refuses (422 with its line), asOf outside the series or on a missing value, a series too short for the method. " +
            `method "transformer" is reserved and answers 422 until it is available. The body is limited to the upload size (${DEFAULTS.uploadLimit} bytes by default). Answers 202 with Location; poll GET /v1/forecasts/{id}. Rate limited.`,
          requestBody: { required: true, content: { "application/json": { schema: ref("ForecastRequest") } } },
          responses: { 202: { ...json(ref("ForecastRow"), "Queued."), headers: location } },
          problems: [400, 413, 415, 422, 429, 503],
        },
        true,
      ),
      get: operation({ summary: "List forecasts", parameters: queryParameters(S.ForecastListQuerySchema), responses: { 200: json(ref("ForecastPage"), "A page, newest first (rows without results).") }, problems: [400, 422] }, false),
    },
    "/v1/forecasts/regional": {
      post: operation(
        {
          summary: "Forecast every region of a series as a job (the regional view)",
          description:
            "Quantiles for 1 … H weeks after asOf in every region, each region rising / flat / falling with P(rising), a backtest against the hub baseline, and the region graph (an uploaded adjacency file, else 3 correlation neighbours from rows up to asOf) with coordinates when known. " +
            "Validated before it is queued (422 with the field path, and the line for files). Answers 202 with Location; poll GET /v1/forecasts/regional/{id} (progress: regions done). Jobs are kept in memory. Rate limited.",
          requestBody: { required: true, content: { "application/json": { schema: ref("RegionalForecastRequest") } } },
          responses: { 202: { ...json(ref("RegionalForecast"), "Queued."), headers: location } },
          problems: [400, 413, 415, 422, 429, 503],
        },
        true,
      ),
    },
    "/v1/forecasts/regional/{id}": {
      get: operation({ summary: "A regional forecast's status and progress, and its result once it has succeeded", parameters: [idParameter("regional forecast")], responses: { 200: json(ref("RegionalForecast"), "The job.") }, problems: [404] }, false),
      delete: operation(
        {
          summary: "Delete a finished regional forecast, or cancel a queued or running one",
          parameters: [idParameter("regional forecast")],
          responses: { 202: { ...json(ref("RegionalForecast"), "Cancelling (a running one stops at its next region)."), headers: location }, 204: { description: "Deleted." } },
          problems: [404],
        },
        true,
      ),
    },
    "/v1/forecasts/regional/{id}/hub.csv": {
      get: operation(
        {
          summary: "The regional forecast in the forecast hubs' long CSV format",
          parameters: [idParameter("regional forecast")],
          responses: { 200: { description: "location,target,horizon,quantile,value: one row per region, horizon and quantile level.", content: { "text/csv": { schema: { type: "string" } } } } },
          problems: [404, 409],
        },
        false,
      ),
    },
    "/v1/forecasts/{id}": {
      get: operation(
        { summary: "A forecast's status, and its result once it has succeeded", parameters: [idParameter("forecast")], responses: { 200: json(ref("Forecast"), "The forecast.") }, problems: [404] },
        false,
      ),
      delete: operation(
        {
          summary: "Delete a finished forecast, or cancel a queued or running one",
          parameters: [idParameter("forecast")],
          responses: {
            202: { ...json(ref("ForecastRow"), "Cancelling: a queued forecast is cancelled at once, a running one at its next horizon. DELETE again once it has finished to remove it."), headers: location },
            204: { description: "Deleted (the forecast had finished)." },
          },
          problems: [404],
        },
        true,
      ),
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Spreadlab API",
      version,
      description: "Simulate epidemics and information spread on networks: networks, runs as jobs, results; quantile forecasts of incidence series. Errors are RFC 9457 problem details.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths,
    components: {
      schemas: { ...components(REQUESTS, "input"), ...components(RESPONSES, "output") },
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "Required for non-GET requests when the server has a token (SPREADLAB_TOKEN)." } },
    },
  };
}
