/**
 * The scenario file format (YAML or JSON), as zod schemas: the single definition that validation, the
 * REST API and generated documentation share. Objects are strict, so a typo is reported as an unknown
 * field with the closest valid names, instead of being silently ignored.
 */
import { z } from "zod";
import { NETWORK_FORMATS } from "../graph/io/index.js";
import { LAPLACIAN_KINDS } from "../engine/laplacian.js";

const finiteNonNegative = z.number().finite().nonnegative();
const rateRef = z.union([finiteNonNegative, z.string().min(1)]);

export const TransitionSchema = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  rate: rateRef.optional(),
  probability: z.union([z.number().min(0).max(1), z.string().min(1)]).optional(),
  by: z.string().min(1).optional(),
});

/** A duration's number: a value, or the name of a model parameter (so a sweep can vary it). Signs are checked in check.ts. */
const durationValue = z.union([z.number().finite(), z.string().min(1)]);

/** How long a node stays in a compartment before its single spontaneous exit (models/durations.ts). */
export const DurationSchema = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("fixed"), value: durationValue }),
  z.strictObject({ dist: z.literal("gamma"), mean: durationValue, shape: durationValue }),
  z.strictObject({ dist: z.literal("lognormal"), mean: durationValue, sd: durationValue }),
  z.strictObject({ dist: z.literal("weibull"), shape: durationValue, scale: durationValue }),
  z.strictObject({ dist: z.literal("exponential") }),
]);

export const MODEL_TYPES = ["compartmental", "independent-cascade", "linear-threshold", "reaction-diffusion"] as const;

/**
 * One object for every model type (the checks in check.ts say which fields each type reads), so a typo
 * anywhere in `model` gets the same "unknown field, did you mean" treatment.
 *  - compartmental: preset (SIR, SIS, SEIR, SIRS, SEIRS) or compartments + transitions; params may be
 *    numbers or expressions of t; durations (per compartment) replace exponential periods;
 *  - independent-cascade: params.probability, a number or the name of an edge attribute;
 *  - linear-threshold: weights (edge attribute, default 1/in-degree), thresholds (node attribute, default
 *    uniform per run);
 *  - reaction-diffusion: preset (heat, fisher-kpp, metapopulation-sir), params, laplacian.
 */
export const ModelSchema = z.strictObject({
  type: z.enum(MODEL_TYPES).default("compartmental"),
  preset: z.string().min(1).optional(),
  params: z.record(z.string(), z.union([z.number().finite(), z.string().min(1)])).optional(),
  compartments: z.array(z.string().min(1)).min(2).optional(),
  transitions: z.array(TransitionSchema).min(1).optional(),
  susceptible: z.string().min(1).optional(),
  /** Non-exponential periods per compartment (compartmental models, continuous time). */
  durations: z.record(z.string(), DurationSchema).optional(),
  /** Transmission-delay laws per infectious compartment (instead of the rate β). */
  delays: z.record(z.string(), DurationSchema).optional(),
  weights: z.string().min(1).optional(),
  thresholds: z.string().min(1).optional(),
  laplacian: z.enum(LAPLACIAN_KINDS as unknown as [string, ...string[]]).optional(),
});

/** A temporal contact network (graph/temporal.ts): contact file, its layout, and optional repetition. */
export const ContactsSchema = z.strictObject({
  /** The contact file (or, for snapshots, `snapshots`: a list of edge-list files with their windows). */
  file: z.string().min(1).optional(),
  /** events: lines t,i,j (each lasting `resolution`); intervals: lines i,j,start,end; snapshots: t,i,j, each snapshot until the next. */
  format: z.enum(["events", "intervals", "snapshots"]),
  resolution: z.number().positive().finite().optional(),
  /** Snapshots in one file: when the last snapshot ends (default: the period, or never). */
  until: z.number().positive().optional(),
  /** Snapshots as files: one edge list (i,j) per static network, active over [start, end). */
  snapshots: z.array(z.strictObject({ file: z.string().min(1), start: z.number().finite(), end: z.number() })).min(1).optional(),
  /** Windows repeat every `period`. */
  period: z.number().positive().finite().optional(),
});

export const NetworkSchema = z.strictObject({
  generate: z.looseObject({ type: z.string().min(1) }).optional(),
  contacts: ContactsSchema.optional(),
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
    /** `.inf` (YAML) runs until nothing is left to happen. */
    tmax: z.union([z.number().positive(), z.literal(Infinity)]),
    record: z.number().positive().finite().optional(),
    /** Grid on which time-varying parameters are re-evaluated. */
    rateStep: z.number().positive().finite().optional(),
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

/** Initial values of a reaction–diffusion variable. */
export const FieldInitialSchema = z.union([
  z.strictObject({ nodes: z.record(z.string(), z.number().finite()) }),
  z.strictObject({ all: z.number().finite() }),
  z.strictObject({ uniform: z.number().finite() }),
]);

const window = { at: z.number().nonnegative().finite(), until: z.number().positive().optional() };
export const InterventionSchema = z.union([
  z.strictObject({ ...window, scale: z.string().min(1), by: z.number().nonnegative().finite() }),
  z.strictObject({
    ...window,
    vaccinate: z.strictObject({
      strategy: z.enum(["random", "highest-degree", "acquaintance"]).optional(),
      count: z.number().int().nonnegative().optional(),
      fraction: z.number().min(0).max(1).optional(),
      perDay: z.number().nonnegative().finite().optional(),
    }),
    to: z.string().min(1).optional(),
  }),
  z.strictObject({ at: window.at, import: z.strictObject({ count: z.number().int().nonnegative(), into: z.string().min(1).optional() }) }),
  z.strictObject({ ...window, quarantine: z.strictObject({ compartment: z.string().min(1).optional(), scale: z.number().nonnegative().finite().optional() }) }),
  z.strictObject({ ...window, edges: z.strictObject({ where: z.string().min(1).optional(), scale: z.number().nonnegative().finite() }) }),
  // Testing, isolation and contact tracing (engine/testing.ts): `.inf` isolates or quarantines for the rest of the run.
  z.strictObject({
    ...window,
    testing: z.strictObject({
      rate: finiteNonNegative,
      among: z.array(z.string().min(1)).min(1).optional(),
      sensitivity: z.number().min(0).max(1).optional(),
      delay: finiteNonNegative.optional(),
      isolation: z.union([finiteNonNegative, z.literal(Infinity)]).optional(),
    }),
  }),
  z.strictObject({
    ...window,
    tracing: z.strictObject({
      probability: z.number().min(0).max(1),
      contacts: z.enum(["neighbours", "transmissions"]).optional(),
      window: finiteNonNegative.optional(),
      delay: finiteNonNegative.optional(),
      quarantine: z.union([finiteNonNegative, z.literal(Infinity)]).optional(),
      levels: z.number().int().min(1).max(2).optional(),
    }),
  }),
]);

/** Values of a swept parameter: a list, or an evenly spaced range with `steps` points. */
export const SweepValuesSchema = z.union([
  z.array(z.number().finite()).min(1),
  z.strictObject({ from: z.number().finite(), to: z.number().finite(), steps: z.number().int().min(2).max(1000) }),
]);

export const OutputSchema = z.strictObject({
  dir: z.string().min(1).optional(),
  formats: z.array(z.enum(["json", "csv"])).min(1).optional(),
  nodes: z.enum(["none", "first", "all"]).optional(),
  infectionTimes: z.boolean().optional(),
  /** Every run's counts as a tidy series.csv (run,time,compartment,count); default: with the csv format. */
  runs: z.boolean().optional(),
  /** Keep every state change of the runs whose node states are kept (animation: node states at any time). */
  history: z.boolean().optional(),
});

export const ScenarioSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  network: NetworkSchema,
  model: ModelSchema,
  /** Required for compartmental and reaction–diffusion models; for cascades `{ mode: discrete, steps }` limits the rounds. */
  time: TimeSchema.optional(),
  initial: z.record(z.string(), z.union([SeedingSchema, FieldInitialSchema])),
  interventions: z.array(InterventionSchema).optional(),
  /** Parameter sweep: every combination of the listed values gives one result (same seed for all points). */
  sweep: z.record(z.string(), SweepValuesSchema).optional(),
  runs: z.number().int().positive().default(1),
  engine: z.enum(["auto", "general", "next-reaction"]).optional(),
  output: OutputSchema.optional(),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
