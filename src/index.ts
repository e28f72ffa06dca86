/**
 * Spreadlab's public surface: everything a library user needs to build networks, define models, simulate
 * and read results. Deeper modules are internal and may change.
 *
 * @example
 * import { generateCSR, simulate } from "spreadlab";
 * const network = generateCSR({ type: "erdos-renyi", n: 10_000, k: 10 }, 1);
 * const result = simulate(network, {
 *   model: { preset: "SIR", params: { beta: 0.25, gamma: 1 } },
 *   time: { mode: "continuous", tmax: Infinity, record: 0.5 },
 *   initial: { I: { count: 10 } },
 *   seed: 42,
 *   runs: 20,
 * });
 */

// Simulation
export { simulate } from "./families/compartmental/simulate.js";
export type { SimulationSpec, SimulationResult, ModelSpec, EngineChoice, ContinuousTime, DiscreteTime, NodeRunOutput } from "./families/compartmental/simulate.js";
export type { InitialSpec, Seeding, SeedingStrategy } from "./engine/initial.js";

// Models
export { compileModel, isPlainSIR } from "./models/compartmental.js";
export type { CompartmentalModelDef, TransitionDef, CompiledModel, RateRef } from "./models/compartmental.js";
export { PRESETS, presetModel } from "./models/presets.js";
export type { PresetId, PresetInfo, ParameterInfo } from "./models/presets.js";
export { MODELS, getModel } from "./families/registry.js";
export type { ModelEntry, ModelFamily } from "./families/registry.js";

// Networks
export { compile, csrFromEdges, degrees, isCSR } from "./graph/csr.js";
export type { CSR, CompileOptions } from "./graph/csr.js";
export { GENERATORS, generateCSR, generateEdges, generateGraph } from "./graph/generators/index.js";
export type { GeneratorSpec, GeneratorType, GeneratorInfo, GeneratorParameter } from "./graph/generators/index.js";
export { toCSR, toGraph, fromGraph } from "./graph/edgelist.js";
export type { EdgeList } from "./graph/edgelist.js";
export { degreeStats, degreeDistribution } from "./graph/stats.js";
export type { DegreeStats } from "./graph/stats.js";
export { NETWORK_FORMATS, formatFromPath, parseNetwork, readNetwork, readNetworkSync, serializeNetwork, writeNetwork } from "./graph/io/index.js";
export type { NetworkFormat, ReadNetworkOptions, ParseNetworkOptions } from "./graph/io/index.js";
export { LOAD_FORMATS, edgesFromGraph, edgesToGraph, loadFormatFromPath, loadNetworkFile, loadNetworkFileSync, readEdges, readEdgesSync } from "./graph/load.js";
export type { LoadFormat, LoadNetworkOptions } from "./graph/load.js";
export { edgesToArrow, parseArrowEdges, writeArrowEdges } from "./graph/io/arrow.js";
export type { ParsedEdges } from "./graph/io/parsed-edges.js";
export { temporalNetwork } from "./graph/temporal.js";
export { parseContacts, readContactsSync, snapshotFilesNetwork } from "./graph/temporal-files.js";
export type { TemporalCSR, TemporalWindows, ContactWindow } from "./graph/temporal.js";
export type { ContactReadOptions, SnapshotFile } from "./graph/temporal-files.js";

// Scenarios
export { loadScenario, parseScenario } from "./scenario/load.js";
export { resolveScenario } from "./scenario/resolve.js";
export { ScenarioSchema } from "./scenario/schema.js";
export type { Scenario } from "./scenario/schema.js";

// Randomness and summaries
export { createRandom, runStream, geometric, binomial, normal, gammaVariate, lognormal, weibull } from "./random.js";
export type { DurationSpec, DurationsSpec } from "./models/durations.js";
export type { Random } from "./random.js";
export { QUANTILE_LEVELS, quantileSorted, meanSd } from "./ensemble/summary.js";
export { PREVALENCE_WINDOW } from "./ensemble/burden.js";
export type { Prevalence, Vaccinated } from "./ensemble/burden.js";

// Errors
export { SpreadlabError, GraphFormatError, ModelError, SimulationError, GeneratorError, NotFoundError, ScenarioError } from "./errors.js";
export type { ScenarioIssue } from "./errors.js";

// Every family behind one call, and ensembles on all cores
export { runModel, runModelParallel } from "./run.js";
export type { AnySpec } from "./run.js";
export { simulateEnsemble } from "./ensemble/pool.js";
export type { EnsembleOptions } from "./ensemble/pool.js";
// … and across machines, on a BullMQ/Redis queue (README "Scaling out")
export { simulateEnsembleOnQueue, runModelOnQueue } from "./ensemble/queue/producer.js";
export type { QueueEnsembleOptions } from "./ensemble/queue/producer.js";
export { startQueueWorker } from "./ensemble/queue/worker.js";
export type { QueueWorker, QueueWorkerOptions } from "./ensemble/queue/worker.js";
export { QueueError } from "./ensemble/queue/errors.js";
export type { ModelRequest } from "./families/registry.js";
export type { Intervention, VaccinationStrategy } from "./engine/interventions.js";
export { compileExpression, ExpressionError } from "./scenario/expressions.js";

// Cascades and influence maximisation
export { simulateCascade } from "./families/cascade/cascade.js";
export type { CascadeSpec, CascadeModelSpec } from "./families/cascade/cascade.js";
export { maximizeInfluence, pagerank, INFLUENCE_METHODS } from "./influence/index.js";
export type { InfluenceSpec, InfluenceResult, InfluenceMethod } from "./influence/index.js";

// Reaction–diffusion fields and mean-field companions
export { simulateField, FIELD_MODELS } from "./families/field/reaction-diffusion.js";
export type { FieldSpec, FieldResult, FieldInitial } from "./families/field/reaction-diffusion.js";
export { homogeneousMeanField, toMeanRecord } from "./meanfield/homogeneous.js";
export { hmfSIS, hmfSIR } from "./meanfield/hmf.js";
export { ebcmSIR } from "./meanfield/ebcm.js";
