/**
 * The API's request and response shapes as zod schemas: the routes validate with them and
 * `GET /v1/openapi.json` is generated from them (openapi.ts), so the documentation cannot drift from the
 * checks. Run bodies reuse the scenario file schema (`ScenarioSchema`); the scenario inside a body is
 * validated by `parseScenario`, exactly as a file is, so paths, checks and suggestions are the same.
 */
import { z } from "zod";
import { ScenarioSchema, NetworkSchema } from "../scenario/schema.js";
import { LOAD_FORMATS } from "../graph/load.js";
import { GENERATORS } from "../graph/generators/index.js";
import { CONTROL_COUNTS } from "../engine/testing.js";
import { FORECAST_METHODS } from "./forecast-request-schema.js";

const id = z.string().min(1).max(100);
const nullableNumber = z.number().nullable().describe("null where the value is infinite");

// ---------------------------------------------------------------------------------------------------------
// Problems

export const FieldIssueSchema = z.object({
  path: z.string().describe("Field path, e.g. `model.params.beta` (scenario paths are relative to the scenario, as in files)."),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

export const ProblemSchema = z.object({
  type: z.string().describe("A URI naming the kind of problem, e.g. https://spreadlab.dev/problems/scenario-invalid."),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(FieldIssueSchema).optional(),
});

// ---------------------------------------------------------------------------------------------------------
// Requests

const GENERATOR_IDS = GENERATORS.map((g) => g.id) as [string, ...string[]];

/** `POST /v1/networks` with a JSON generator request. */
export const GenerateNetworkRequestSchema = z.strictObject({
  generate: z.looseObject({ type: z.enum(GENERATOR_IDS) }).describe("`{ type, ...parameters }`; see GET /v1/generators."),
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional().describe("Generator seed (default 0)."),
  name: z.string().min(1).max(200).optional(),
});

/** Query of `POST /v1/networks` when the body is a network file. */
export const NetworkUploadQuerySchema = z.strictObject({
  format: z.enum(LOAD_FORMATS as unknown as [string, ...string[]]).optional().describe("Overrides the Content-Type."),
  name: z.string().min(1).max(200).optional(),
  directed: z.enum(["true", "false"]).optional().describe("Edge lists (csv, tsv) only: read edges as directed."),
  contacts: z.enum(["events", "intervals", "snapshots"]).optional().describe("The body is a temporal contact file: events (t,i,j), intervals (i,j,start,end) or snapshots (t,i,j, each until the next)."),
  resolution: z.coerce.number().positive().finite().optional().describe("Contact events: how long one recorded contact lasts."),
  period: z.coerce.number().positive().finite().optional().describe("Contact windows repeat every period."),
  until: z.coerce.number().positive().optional().describe("Snapshots: when the last snapshot ends (default: the period, or never)."),
});

/** The network section of a scenario that runs on a stored network: only the edge weight attribute. */
const StoredNetworkSchema = NetworkSchema.pick({ weight: true });

export const RunRequestSchema = z.union([
  z.strictObject({ scenario: ScenarioSchema }).describe("A scenario object; its network is generated (network.file is not allowed over HTTP)."),
  z
    .strictObject({ scenario: ScenarioSchema.extend({ network: StoredNetworkSchema.optional() }), networkId: id })
    .describe("A scenario object without a network source, run on a stored network."),
  z.strictObject({ scenarioText: z.string().min(1), networkId: id.optional() }).describe("Scenario text (YAML or JSON), as in a file."),
]);

/**
 * What the route checks before handing the scenario to `parseScenario`: the envelope. The scenario itself
 * is the `ScenarioSchema` of `RunRequestSchema`, checked by `parseScenario`.
 */
export const RunEnvelopeSchema = z
  .strictObject({
    scenario: z.record(z.string(), z.unknown()).optional(),
    scenarioText: z.string().min(1).optional(),
    networkId: id.optional(),
  })
  .refine((b) => (b.scenario === undefined) !== (b.scenarioText === undefined), { message: 'give exactly one of "scenario" (an object) or "scenarioText" (YAML or JSON text).' });

// `POST /v1/forecasts`: its body and limits (forecast-request-schema.ts).
export * from "./forecast-request-schema.js";

export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(500).optional().describe("The `next` value of the previous page."),
});

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const RunListQuerySchema = PageQuerySchema.extend({ status: z.enum(RUN_STATUSES).optional() });

export const NodesQuerySchema = z.strictObject({
  time: z.coerce.number().finite().optional().describe("A record time; default the last one."),
});

export const EventsQuerySchema = z.strictObject({
  lastEventId: z.coerce.number().int().nonnegative().optional().describe("Resume after this event id (same as the Last-Event-ID header)."),
});

// ---------------------------------------------------------------------------------------------------------
// Responses

export const HealthSchema = z.object({
  status: z.literal("ok"),
  version: z.string(),
  queue: z.object({ queued: z.number().int(), running: z.number().int() }),
  tfBackend: z.string().nullable().describe("The forecaster's tfjs backend (tensorflow, wasm or cpu); null while it loads or when the transformer is unavailable (then method \"transformer\" is refused)."),
  uptimeS: z.number(),
  limits: z.object({
    bodyBytes: z.union([z.string(), z.number()]),
    uploadBytes: z.union([z.string(), z.number()]),
    maxNodes: z.number(),
    maxEdges: z.number(),
    maxQueued: z.number(),
    maxRuns: z.number(),
    maxRecordValues: z.number().describe("Result-size cap: numbers a job may record (formula in the README's Limits)."),
    maxRecordTimes: z.number().describe("Result-size cap: record times per run."),
    maxHistoryEvents: z.number().describe("Result-size cap: output.history state changes per job."),
    maxWallMs: z.number(),
    concurrency: z.number(),
  }),
});

export const ModelInfoSchema = z.object({
  id: z.string(),
  family: z.enum(["compartmental", "independent-cascade", "linear-threshold", "reaction-diffusion"]),
  description: z.string(),
  compartments: z.array(z.string()),
  parameters: z.array(
    z.object({ name: z.string(), default: z.number(), unit: z.string(), description: z.string(), min: z.number().optional(), max: z.number().optional() }),
  ),
});

export const GeneratorInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  random: z.boolean(),
  reference: z.string(),
  parameters: z.array(
    z.object({ name: z.string(), type: z.string(), default: z.unknown().optional(), values: z.array(z.string()).optional(), description: z.string() }),
  ),
});

export const DegreeStatsSchema = z.object({
  n: z.number(),
  m: z.number(),
  meanDegree: z.number(),
  meanSquareDegree: z.number(),
  maxDegree: z.number(),
  minDegree: z.number(),
  sirThreshold: nullableNumber,
  sisThreshold: nullableNumber,
});

export const NetworkSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  source: z.unknown().describe("`{ generate, seed }` or `{ upload: format }`."),
  n: z.number().int(),
  m: z.number().int().describe("Edges (not arcs)."),
  directed: z.boolean(),
  stats: DegreeStatsSchema,
});

export const GraphDocumentSchema = z
  .looseObject({
    attributes: z.record(z.string(), z.unknown()).optional(),
    options: z.looseObject({ type: z.string().optional() }).optional(),
    nodes: z.array(z.looseObject({ key: z.string(), attributes: z.looseObject({ x: z.number(), y: z.number() }) })),
    edges: z.array(z.looseObject({ source: z.string(), target: z.string() })),
  })
  .describe("graphology's serialised JSON, with x/y node attributes (a deterministic circular layout).");

export const RunErrorSchema = z.object({ name: z.string(), message: z.string() });

export const RunRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.enum(RUN_STATUSES),
  spec: z.unknown().describe("The scenario as validated (defaults filled in)."),
  networkId: z.string().nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: RunErrorSchema.nullable(),
});

export const ForecastRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.enum(RUN_STATUSES),
  spec: z.unknown().describe("The request as validated: defaults filled in, asOf as a row index, an uploaded CSV described (name, rows, regions), not kept."),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: RunErrorSchema.nullable(),
});

export const ForecastListQuerySchema = RunListQuerySchema;

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), next: z.string().nullable() });
export const NetworkPageSchema = page(NetworkSummarySchema);
export const RunPageSchema = page(RunRowSchema);
export const ForecastPageSchema = page(ForecastRowSchema);

/** The v1 result (DESIGN.md); loose, as families add their own fields (field, solver, duration…). */
export const SimulationResultSchema = z.looseObject({
  schemaVersion: z.literal(1),
  scenario: z.string(),
  runs: z.number().int(),
  n: z.number().int(),
  model: z.string(),
  compartments: z.array(z.string()),
  times: z.array(z.number()),
  mean: z.record(z.string(), z.array(z.number())),
  finalSize: z
    .object({ mean: z.number(), sd: z.number(), values: z.array(z.number()) })
    .describe("Infections per run: seeds, nodes infected along edges, imported cases; never vaccinated or initially immune nodes. Cascades: nodes ever active."),
  vaccinated: z
    .object({ mean: z.number(), sd: z.number(), values: z.array(z.number()), curve: z.array(z.number()) })
    .optional()
    .describe("Nodes moved out of S by vaccination (never infected before), per run; curve: mean cumulative count at each record time. Only when the scenario vaccinates."),
  prevalence: z
    .object({ mean: z.number(), sd: z.number(), values: z.array(z.number()), window: z.tuple([z.number(), z.number()]) })
    .optional()
    .describe("Endemic models (SIS, SIRS, SEIRS…): infectious count averaged over the record times in window = [0.8·T, T]; the headline instead of the final size."),
  testing: z
    .record(z.enum(CONTROL_COUNTS), z.object({ mean: z.number(), sd: z.number(), values: z.array(z.number()) }))
    .optional()
    .describe(
      "Testing and tracing, per run (values) and mean/sd: tests performed, positive results, isolations, contacts traced, quarantines begun, and quarantines of nodes still uninfected when they began. Only with testing or tracing entries.",
    ),
  elapsedMs: z.number(),
  engine: z.object({ name: z.string(), semantics: z.string() }),
});

export const SweepResultSchema = z.object({
  schemaVersion: z.literal(1),
  scenario: z.string(),
  sweep: z.array(z.object({ label: z.string(), values: z.record(z.string(), z.number()), result: SimulationResultSchema })),
});

export const ResultSchema = z.union([SimulationResultSchema, SweepResultSchema]);

export const NodeStatesSchema = z.object({
  time: z.number(),
  run: z.number().int().nullable().describe("The run the states come from (null for deterministic fields)."),
  nodeIds: z.array(z.string()),
  states: z.array(z.string()).optional().describe("Compartment of each node (compartmental models and cascades)."),
  values: z.record(z.string(), z.array(z.number())).optional().describe("Value of each variable at each node (reaction–diffusion)."),
});

export const RunEventSchema = z.object({
  seq: z.number().int(),
  type: z.enum(["status", "progress", "done"]),
  data: z.unknown(),
  createdAt: z.string(),
});

// ---------------------------------------------------------------------------------------------------------
// Forecasts

export const ForecastDatasetSchema = z.union([
  z.string().describe("A bundled dataset id."),
  z.object({ csv: z.object({ name: z.string(), rows: z.number().int(), regions: z.array(z.string()) }) }).describe("An uploaded series, described."),
]);

export const ForecastSelectionSchema = z
  .object({
    method: z.enum(["transformer", "transformer-scratch", "transformer-zero-shot", "hub-baseline", "ensemble"]).describe("The method served."),
    reason: z.string().describe("Why: the lowest mean validation WIS, with every candidate's; or why no selection could be made."),
    rows: z.object({ origin: z.number().int(), trainEnd: z.number().int(), validEnd: z.number().int() }).describe("Networks fitted on rows [0, trainEnd) and scored on [trainEnd, validEnd) of the rows up to the origin (0, 0 when no selection was made)."),
    horizons: z.array(z.number().int()),
    validationWis: z.record(z.string(), z.number()).describe("Mean validation WIS over the horizons, per candidate."),
    validationWisByHorizon: z.record(z.string(), z.array(z.number())),
    weights: z.record(z.string(), z.array(z.number())).describe("The ensemble's weights per member per horizon (∝ 1 / validation WIS)."),
    spreads: z
      .array(z.number())
      .describe("Per horizon, the factor by which the served quantiles were spread about the median (0.5–2), chosen by WIS on the same validation rows and kept only where the half of them it was not chosen on agrees; 1 = unchanged."),
    cached: z.boolean().describe("Whether the selection was reused from an earlier request on the same rows and settings."),
  })
  .describe("Method auto only: which method was served and why.");

export const ForecastResultSchema = z.object({
  dataset: ForecastDatasetSchema,
  region: z.string(),
  method: z.enum(FORECAST_METHODS),
  asOf: z
    .union([
      z.object({ index: z.number().int(), year: z.number().int(), week: z.number().int() }).describe("Weekly series: the MMWR week of the last observed row."),
      z.object({ index: z.number().int(), date: z.string() }).describe("Dated series: the date of the last observed row, as written."),
    ])
    .describe("The last observed row (the forecast origin)."),
  observed: z
    .object({
      times: z.array(z.string()).describe("Row labels: `2017-W41` for weekly series, the date as written otherwise."),
      values: z.array(z.number().nullable()).describe("null where a value is missing."),
    })
    .describe("The whole series up to and including asOf."),
  horizons: z.array(z.number().int()).describe("Ascending."),
  targets: z.array(z.string()).nullable().describe("The forecast weeks (`2017-W42`, …), one per horizon; null for dated series."),
  levels: z.array(z.number()).describe("The 23 forecast-hub quantile levels, 0.01 … 0.99."),
  quantiles: z.array(z.array(z.number())).describe("One row per horizon, one value per level, non-decreasing, ≥ 0."),
  median: z.array(z.number()).describe("The 0.5 quantile per horizon."),
  samples: z.number().int(),
  seed: z.number().int(),
  model: z
    .object({
      checkpoint: z.object({
        kind: z.string(),
        createdAt: z.string(),
        weightsSha256: z.string(),
        frequency: z.enum(["weekly", "daily"]).describe("The rows it was pretrained on: daily series start from the daily checkpoint."),
      }),
      backend: z.string(),
      context: z.number().int().describe("Weeks of history the network reads before asOf."),
      finetune: z
        .object({
          strategy: z.string(),
          epochs: z.number().int(),
          trainedRows: z.number().int(),
          validationRows: z.number().int(),
          spread: z.number().describe("Interval spread about the median, calibrated on the early-stopping weeks."),
          reports: z.array(z.unknown()),
        })
        .nullable()
        .describe("null for a zero-shot forecast (finetune.epochs 0)."),
    })
    .optional()
    .describe("Transformer only: which network made the forecast."),
  scores: z
    .object({
      from: z.number().int(),
      to: z.number().int(),
      cells: z.number().int(),
      wis: z.number(),
      baselineWis: z.number(),
      coverage50: z.number(),
      coverage95: z.number(),
    })
    .nullable()
    .optional()
    .describe("Transformer (and auto when it serves one network): a backtest on this region's last weeks up to asOf (rows [from, to), the fine-tune's early-stopping rows, which no gradient step saw): mean WIS, the hub baseline's mean WIS on the same cells, and 50% / 95% coverage. For auto, of the network's own intervals, before `selection.spreads`."),
  selection: ForecastSelectionSchema.optional(),
});

export const ForecastSchema = ForecastRowSchema.extend({
  progress: z
    .object({ phase: z.string(), epoch: z.number().int(), epochs: z.number().int(), loss: z.number().optional() })
    .nullable()
    .optional()
    .describe("While a transformer forecast runs: the fine-tune's phase and epoch (null before the first epoch)."),
  result: ForecastResultSchema.optional().describe("Present once the forecast has succeeded."),
});
