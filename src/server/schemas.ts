/**
 * The API's request and response shapes as zod schemas: the routes validate with them and
 * `GET /v1/openapi.json` is generated from them (openapi.ts), so the documentation cannot drift from the
 * checks. Run bodies reuse the scenario file schema (`ScenarioSchema`); the scenario inside a body is
 * validated by `parseScenario`, exactly as a file is, so paths, checks and suggestions are the same.
 */
import { z } from "zod";
import { ScenarioSchema, NetworkSchema } from "../scenario/schema.js";
import { NETWORK_FORMATS } from "../graph/io/index.js";
import { GENERATORS } from "../graph/generators/index.js";

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
  format: z.enum(NETWORK_FORMATS as unknown as [string, ...string[]]).optional().describe("Overrides the Content-Type."),
  name: z.string().min(1).max(200).optional(),
  directed: z.enum(["true", "false"]).optional().describe("Edge lists (csv, tsv) only: read edges as directed."),
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
  tfBackend: z.string().nullable().describe("The forecaster's tfjs backend; null until the forecaster is built."),
  uptimeS: z.number(),
  limits: z.object({
    bodyBytes: z.union([z.string(), z.number()]),
    uploadBytes: z.union([z.string(), z.number()]),
    maxNodes: z.number(),
    maxEdges: z.number(),
    maxQueued: z.number(),
    maxRuns: z.number(),
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

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), next: z.string().nullable() });
export const NetworkPageSchema = page(NetworkSummarySchema);
export const RunPageSchema = page(RunRowSchema);

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
