/**
 * The scenario file format (YAML or JSON), as zod schemas: the single definition that validation, the
 * REST API and generated documentation share. Objects are strict, so a typo is reported as an unknown
 * field with the closest valid names, instead of being silently ignored.
 */
import { z } from "zod";
import { PRESETS } from "../models/presets.js";
import { NETWORK_FORMATS } from "../graph/io/index.js";

const finiteNonNegative = z.number().finite().nonnegative();
const rateRef = z.union([finiteNonNegative, z.string().min(1)]);

export const TransitionSchema = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  rate: rateRef.optional(),
  probability: z.union([z.number().min(0).max(1), z.string().min(1)]).optional(),
  by: z.string().min(1).optional(),
});

export const ModelSchema = z.strictObject({
  type: z.literal("compartmental").default("compartmental"),
  preset: z.enum(Object.keys(PRESETS) as [keyof typeof PRESETS, ...(keyof typeof PRESETS)[]]).optional(),
  params: z.record(z.string(), z.number().finite()).optional(),
  compartments: z.array(z.string().min(1)).min(2).optional(),
  transitions: z.array(TransitionSchema).min(1).optional(),
  susceptible: z.string().min(1).optional(),
});

export const NetworkSchema = z.strictObject({
  generate: z.looseObject({ type: z.string().min(1) }).optional(),
  /** Seed of the network generator; default: the scenario seed. */
  seed: z.number().int().nonnegative().optional(),
  file: z.string().min(1).optional(),
  format: z.enum(NETWORK_FORMATS as unknown as [string, ...string[]]).optional(),
  directed: z.boolean().optional(),
  /** Edge attribute used as transmission weight. */
  weight: z.string().min(1).optional(),
});

export const TimeSchema = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("continuous"),
    tmax: z.number().positive(),
    record: z.number().positive().finite().optional(),
  }),
  z.strictObject({
    mode: z.literal("discrete"),
    steps: z.number().int().positive(),
    dt: z.number().positive().finite().optional(),
    recordEvery: z.number().int().positive().optional(),
  }),
]);

const strategy = z.enum(["random", "highest-degree"]);
export const SeedingSchema = z.union([
  z.strictObject({ count: z.number().int().nonnegative(), strategy: strategy.optional() }),
  z.strictObject({ fraction: z.number().min(0).max(1), strategy: strategy.optional() }),
  z.strictObject({ nodes: z.array(z.union([z.string(), z.number()])).min(1) }),
]);

export const OutputSchema = z.strictObject({
  dir: z.string().min(1).optional(),
  formats: z.array(z.enum(["json", "csv"])).min(1).optional(),
  nodes: z.enum(["none", "first", "all"]).optional(),
  infectionTimes: z.boolean().optional(),
});

export const ScenarioSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  network: NetworkSchema,
  model: ModelSchema,
  time: TimeSchema,
  initial: z.record(z.string(), SeedingSchema),
  runs: z.number().int().positive().default(1),
  engine: z.enum(["auto", "general", "next-reaction"]).optional(),
  output: OutputSchema.optional(),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
