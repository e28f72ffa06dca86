/**
 * From a `POST /v1/runs` body to a job: check the envelope, validate the scenario with `parseScenario` (the
 * same checks, paths and suggestions as a file), refuse what a server must not do (read its own files, build
 * networks over the size limits), and resolve to the spec and a network builder.
 *
 * A scenario that runs on a stored network (`networkId`) has no network source of its own: it is validated
 * first as given, ignoring only the complaints about the missing source (so every other issue keeps its
 * position in the submitted text), then resolved with a placeholder source that is never read.
 */
import { parseDocument } from "yaml";
import type Graph from "graphology";
import { isCSR, type CompileOptions, type CSR } from "../graph/csr.js";
import { interventionArcAttributes, type Intervention } from "../engine/interventions.js";
import { formatPath, parseScenario, type LoadedScenario } from "../scenario/load.js";
import { MAX_DEPTH, structureIssues } from "../scenario/structure.js";
import { collectionKeyOffsets } from "../scenario/yaml-keys.js";
import { resolveScenario } from "../scenario/resolve.js";
import type { Scenario } from "../scenario/schema.js";
import { LimitError, NotFoundError, SimulationError, type ScenarioIssue } from "../errors.js";
import { checkResultSize, shareCaps, type ResultCaps, type ResultShape } from "../ensemble/caps.js";
import { PRESETS, type PresetId } from "../models/presets.js";
import type { AnySpec } from "../run.js";
import type { Store } from "../store/types.js";
import { temporalFromGraph } from "./contacts.js";
import { decodeGraph } from "./codec.js";
import { decodeStored, fromPortable, type NetworkTask, type PortableCSR } from "./network-build.js";
import type { NetworkTasks } from "./network-tasks.js";
import { checkGeneratedSize, estimateGeneratedSize, type SizeLimits } from "./limits.js";
import type { PreparedJob } from "./jobs.js";
import { fieldProblem, HttpProblem, scenarioIssues, validationProblem, type FieldIssue } from "./problems.js";
import { RunEnvelopeSchema } from "./schemas.js";

const FILE = "scenario";
const PLACEHOLDER = "stored-network.json";

export interface PreparedRun {
  job: PreparedJob;
  /** What the run row stores: the validated scenario (defaults filled in), and the network id. */
  record: { spec: unknown; networkId: string | null };
}

function invalid(issues: FieldIssue[], detail = `the scenario has ${issues.length} problem${issues.length === 1 ? "" : "s"}.`): HttpProblem {
  return new HttpProblem(422, "scenario-invalid", "The scenario is invalid", detail, { errors: issues });
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** The scenario as data, for the checks made before `parseScenario` (undefined when the text does not parse). */
function scenarioData(envelope: { scenario?: Record<string, unknown>; scenarioText?: string }): Record<string, unknown> | undefined {
  if (envelope.scenario) return envelope.scenario;
  const doc = parseDocument(envelope.scenarioText!, { uniqueKeys: true });
  // Unparsable text, or a collection as a key: parseScenario reports it with its position.
  if (doc.errors.length > 0 || collectionKeyOffsets(doc).length > 0) return undefined;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // yaml reports an unresolved alias (`*a` without `&a`) or an alias bomb only when converting.
    throw invalid([{ path: "(syntax)", message: `${(error as Error).message}.` }]);
  }
  return isObject(data) ? data : undefined;
}

/** The edge attribute the model reads per arc (as `resolveScenario` picks it for files). */
function arcAttribute(s: Scenario): string | null {
  const m = s.model;
  if (m.type === "independent-cascade" && typeof m.params?.probability === "string") return m.params.probability;
  if (m.type === "linear-threshold") return m.weights ?? null;
  return s.network.weight ?? null;
}

/** How `resolveScenario` compiles a file's network, for a stored one. */
function compileOptions(s: Scenario): CompileOptions {
  return { weight: arcAttribute(s), shared: true, arcAttributes: interventionArcAttributes(s.interventions as Intervention[] | undefined) };
}

const needsGraph = (s: Scenario): boolean => s.model.type === "linear-threshold" && s.model.thresholds !== undefined;

async function storedBytes(store: Store, networkId: string): Promise<Uint8Array> {
  const bytes = await store.getNetworkGraph(networkId);
  if (bytes === null) throw new NotFoundError(`network "${networkId}" was deleted before the run started; upload it again and resubmit.`);
  return bytes;
}

/** Build a stored network for a scenario: compiled as `resolveScenario` compiles a file's network. */
async function storedNetwork(store: Store, networkId: string, s: Scenario): Promise<Graph | CSR> {
  const bytes = await storedBytes(store, networkId);
  // Node thresholds are read from the Graph; an uploaded contact file (contacts.ts) is a temporal CSR.
  if (needsGraph(s)) {
    const graph = decodeGraph(bytes);
    return temporalFromGraph(graph) ?? graph;
  }
  return decodeStored(bytes, compileOptions(s));
}

function withoutSeries(spec: AnySpec): AnySpec {
  // Per-run series are for series.csv; the API's result is the v1 schema without them.
  return spec.family === "field" ? spec : ({ ...spec, output: { ...spec.output, series: false } } as AnySpec);
}

/** A run request that passed every check that needs no store (`validateRun`). */
export interface ValidatedRun {
  loaded: LoadedScenario;
  networkId: string | null;
}

export interface RunLimits extends SizeLimits, ResultCaps {
  maxRuns: number;
}

/** Sweep points, counted before `resolveScenario` builds them (three sweeps of 1000 values are 10^9 points). */
function sweepPoints(s: Scenario): number {
  let points = 1;
  for (const values of Object.values(s.sweep ?? {})) points *= Array.isArray(values) ? values.length : values.steps;
  return points;
}

/** Record times per run as the engines make them (Infinity for an open-ended run), and the field to change. */
function recordTimes(s: Scenario): { times: number; path: string } {
  const time = s.time;
  const cascade = s.model.type === "independent-cascade" || s.model.type === "linear-threshold";
  if (time === undefined) return { times: cascade ? Infinity : 1, path: "time" };
  if (time.mode === "discrete") return cascade ? { times: time.steps + 1, path: "time.steps" } : { times: Math.floor(time.steps / (time.recordEvery ?? 1)) + 1, path: "time.recordEvery" };
  if (cascade || !Number.isFinite(time.tmax)) return { times: Infinity, path: "time.tmax" };
  return { times: Math.floor((time.tmax / (time.record ?? time.tmax / 100)) * (1 + 1e-9)) + 1, path: "time.record" };
}

/** Compartments (or field variables) of the scenario's model, before it is compiled. */
function compartmentCount(s: Scenario): number {
  const m = s.model;
  if (m.type === "independent-cascade" || m.type === "linear-threshold") return 2;
  if (m.compartments) return m.compartments.length;
  if (m.type === "compartmental" && typeof m.preset === "string" && Object.hasOwn(PRESETS, m.preset)) return PRESETS[m.preset as PresetId].definition.compartments.length;
  return 4; // field presets and compartmental presets have at most 4
}

/**
 * Refuse jobs that would exhaust the server before they start: too many runs (with sweep points), or a
 * result over the caps of ensemble/caps.ts (each sweep point checked with its share). The engines check the
 * same caps again on the built network and enforce the run-time budgets.
 */
function checkJobSize(s: Scenario, nodes: number, limits: RunLimits): void {
  const points = sweepPoints(s);
  const runs = s.model.type === "reaction-diffusion" ? 1 : s.runs;
  const total = runs * points;
  if (total > limits.maxRuns) {
    const message = `${runs} runs × ${points} sweep points = ${total} runs; this server runs at most ${limits.maxRuns} per job.`;
    throw fieldProblem("too-many-runs", "Too many runs", points > 1 ? "sweep" : "runs", message);
  }
  const field = s.model.type === "reaction-diffusion";
  const { times, path } = recordTimes(s);
  const keep = s.output?.nodes ?? "first";
  const keptRuns = field ? 0 : keep === "all" ? runs : keep === "first" ? 1 : 0;
  const shape: ResultShape = {
    runs,
    recordTimes: times,
    recordPath: path,
    compartments: compartmentCount(s),
    n: nodes,
    keptRuns,
    perNode: s.output?.infectionTimes ? 2 : 1,
    fieldVariables: field && (s.output as { field?: boolean } | undefined)?.field !== false ? compartmentCount(s) : 0,
    history: s.output?.history === true && keptRuns > 0,
  };
  try {
    checkResultSize(shape, shareCaps(limits, points));
  } catch (error) {
    if (!(error instanceof LimitError)) throw error;
    throw fieldProblem("result-too-large", "The result would be too large", error.path, `${error.message}${points > 1 ? ` (each of the ${points} sweep points has 1/${points} of this server's limits)` : ""}`);
  }
}

/** The caps every spec of the job carries into the engines (a sweep's points share them). */
function withLimits(spec: AnySpec, caps: ResultCaps): AnySpec {
  return { ...spec, limits: { maxRecordValues: caps.maxRecordValues, maxRecordTimes: caps.maxRecordTimes, maxHistoryEvents: caps.maxHistoryEvents } } as AnySpec;
}

/**
 * The part of `prepareRun` that needs no store: the envelope and every scenario check. It is the slow part
 * for large bodies (a YAML parse with positions), so the runs route calls it in the network pool.
 */
export function validateRun(body: unknown, limits: SizeLimits): ValidatedRun {
  // Before any validator walks it: 10,000 levels of nesting overflowed their stacks (a 500).
  const structure = structureIssues(body, MAX_DEPTH + 1);
  if (structure.length > 0) throw invalid(structure.map(({ path, message }) => ({ path: formatPath(path), message })));
  const parsed = RunEnvelopeSchema.safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error, [], "The body must be { scenario } or { scenarioText }, with an optional networkId.");
  const envelope = parsed.data;
  const networkId = envelope.networkId ?? null;
  const data = scenarioData(envelope);

  // Checks on the network source, before the scenario checks.
  try {
    return { ...checkScenario(envelope, data, networkId, limits), networkId };
  } catch (error) {
    // The stored network is checked first (by finishRun, which has the store): tell it which.
    if (networkId !== null && typeof error === "object" && error !== null) (error as { networkId?: string }).networkId = networkId;
    throw error;
  }
}

function checkScenario(
  envelope: { scenario?: Record<string, unknown>; scenarioText?: string },
  data: Record<string, unknown> | undefined,
  networkId: string | null,
  limits: SizeLimits,
): { loaded: LoadedScenario } {
  const fromText = envelope.scenarioText !== undefined;
  const network = data?.network;
  if (networkId !== null) {
    if (network !== undefined) {
      const extra = isObject(network) ? Object.keys(network).filter((k) => k !== "weight") : ["(value)"];
      if (extra.length > 0) {
        throw invalid(extra.map((k) => ({ path: `network.${k}`, message: "with networkId, the network is the stored one: the scenario's network may give only weight (an edge attribute)." })));
      }
    }
  } else if (isObject(network) && network.contacts !== undefined) {
    throw invalid([{ path: "network.contacts", message: "the server does not read its own files: upload the contact file with POST /v1/networks?contacts=events|intervals|snapshots (with resolution, period, until as needed) and pass its networkId." }]);
  } else if (isObject(network) && network.file !== undefined) {
    throw invalid([{ path: "network.file", message: "the server does not read its own files: upload the network with POST /v1/networks and pass its networkId, or use network.generate." }]);
  }

  const text = envelope.scenarioText ?? JSON.stringify(envelope.scenario);
  let loaded: LoadedScenario;
  try {
    loaded = parseScenario(text, FILE, ".", { allowOutside: false });
  } catch (error) {
    const issues = (error as { name?: string; issues?: ScenarioIssue[] }).issues;
    if ((error as { name?: string }).name !== "ScenarioError" || !Array.isArray(issues)) throw error;
    // Positions refer to the submitted text; for a scenario object they would refer to our re-serialisation.
    const remaining = networkId !== null ? issues.filter((i) => i.path !== "network") : issues;
    if (remaining.length > 0 || data === undefined) throw invalid(scenarioIssues(remaining.length > 0 ? remaining : issues, fromText));
    // Only the network source was missing: resolve with a placeholder that is never read.
    const placeholder = { ...data, network: { ...(isObject(network) ? network : {}), file: PLACEHOLDER } };
    try {
      loaded = parseScenario(JSON.stringify(placeholder), FILE, ".", { allowOutside: false });
    } catch (again) {
      const more = (again as { issues?: ScenarioIssue[] }).issues;
      if (Array.isArray(more)) throw invalid(scenarioIssues(more, false));
      throw again;
    }
  }
  if (loaded.scenario.network.generate) checkGeneratedSize(loaded.scenario.network.generate, limits, "network.generate");
  return { loaded };
}

/**
 * `validateRun` on a body as received: YAML scenario text, or JSON text (parsed here, with body-parser's
 * strictness: an object or an array). A large body is parsed and checked in the network pool this way.
 */
export function validateRunText(text: string, type: "json" | "yaml", networkId: string | undefined, limits: SizeLimits): ValidatedRun {
  if (type === "yaml") return validateRun({ scenarioText: text, ...(networkId !== undefined ? { networkId } : {}) }, limits);
  const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(text)?.[1];
  let body: unknown = {};
  if (text.length === 0) return validateRun(body, limits); // as body-parser: an empty JSON body is {}
  try {
    if (first !== "{" && first !== "[") throw new SyntaxError(first === undefined ? "the body is empty" : `unexpected token ${JSON.stringify(first)}: a JSON body is an object`);
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpProblem(400, "malformed-json", "The body is not valid JSON", `${(error as Error).message}.`);
  }
  return validateRun(body, limits);
}

/** A stored network that does not exist: the first complaint about a request that names one. */
async function checkNetworkExists(store: Store, networkId: string): Promise<void> {
  if ((await store.getNetwork(networkId)) === null) {
    throw new HttpProblem(422, "validation-failed", "The request is invalid", `no stored network has id "${networkId}".`, {
      errors: [{ path: "networkId", message: `no stored network has id "${networkId}"; see GET /v1/networks, or upload one with POST /v1/networks.` }],
    });
  }
}

/** `validateRun` and then `finishRun`, in this thread (recover.ts, small requests). */
export async function prepareRun(body: unknown, store: Store, limits: RunLimits, tasks?: NetworkTasks): Promise<PreparedRun> {
  let validated: ValidatedRun;
  try {
    validated = validateRun(body, limits);
  } catch (error) {
    throw await storeFirst(error, store);
  }
  return finishRun(validated, store, limits, tasks);
}

/** An error of `validateRun` (here or from a worker), unless the stored network it names is missing. */
export async function storeFirst(error: unknown, store: Store): Promise<unknown> {
  const networkId = (error as { networkId?: unknown } | null)?.networkId;
  if (typeof networkId === "string") await checkNetworkExists(store, networkId);
  return error;
}

/** The checks that need the store (the stored network, its size), then resolve the scenario to a job. */
export async function finishRun(validated: ValidatedRun, store: Store, limits: RunLimits, tasks?: NetworkTasks): Promise<PreparedRun> {
  const { loaded, networkId } = validated;
  if (networkId !== null) await checkNetworkExists(store, networkId);
  const scenario = loaded.scenario;
  const nodes = networkId !== null ? ((await store.getNetwork(networkId))?.n ?? 0) : estimateGeneratedSize(scenario.network.generate ?? {}).n;
  checkJobSize(scenario, Number.isFinite(nodes) ? nodes : 0, limits);

  const resolved = resolveScenario(loaded);
  const share = shareCaps(limits, resolved.points?.length ?? 1);
  const spec = withLimits(withoutSeries(resolved.spec), share);
  const points = resolved.points?.map((p) => ({ ...p, spec: withLimits(withoutSeries(p.spec), share) }));
  const runsPerPoint = spec.family === "field" ? 1 : (spec.runs ?? 1);
  const job: PreparedJob = {
    name: resolved.name,
    spec,
    points,
    totalRuns: runsPerPoint * (points?.length ?? 1),
    network: async () => {
      const check = (built: Graph | CSR): Graph | CSR => {
        const n = isCSR(built) ? built.n : built.order;
        const m = isCSR(built) ? (built.directed ? built.m : built.m / 2) : built.size;
        // Estimates refused the obvious cases at submission; a run that still builds an oversize network fails.
        if (n > limits.maxNodes || m > limits.maxEdges) {
          throw new SimulationError(`network: ${n} nodes and ${m} edges are over this server's limits (${limits.maxNodes} nodes, ${limits.maxEdges} edges).`);
        }
        return built;
      };
      // In the network pool when there is one (off the event loop); a graph for node thresholds stays here.
      const net = scenario.network;
      if (tasks !== undefined && !needsGraph(scenario) && (networkId !== null || net.generate !== undefined)) {
        const task: NetworkTask =
          networkId !== null
            ? { kind: "csr", bytes: await storedBytes(store, networkId), compile: compileOptions(scenario) }
            : { kind: "csr", generate: net.generate as Record<string, unknown>, seed: net.seed ?? scenario.seed };
        return tasks.run(task).then((result) => check(fromPortable((result as { csr: PortableCSR }).csr)));
      }
      return check(networkId !== null ? await storedNetwork(store, networkId, scenario) : resolved.network());
    },
  };
  const stored = networkId !== null ? { ...scenario, network: scenario.network.weight ? { weight: scenario.network.weight } : {} } : scenario;
  return { job, record: { spec: stored, networkId } };
}
