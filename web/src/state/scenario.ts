/**
 * The dashboard's scenario as plain data (what the forms edit and the URL carries), and its translation to a
 * `POST /v1/runs` body in the scenario file format (DESIGN.md). Pure: no DOM, no fetch.
 */
import { durationsScenario, type DurationDraft } from "./durations.js";

export type NetworkSource =
  | { generate: { type: string; [param: string]: unknown }; seed: number }
  /** A network stored on the server (uploaded): a link reproduces the run while the server keeps it. */
  | { id: string };

export type Seeding = { count: number; strategy: "random" | "highest-degree" } | { nodes: string[] };

export type InterventionDraft =
  /** Scale the transmission rate from day `at` (until `until`, if given): a lockdown when by < 1. */
  | { kind: "scale"; at: number; until?: number; by: number }
  /** Vaccinate a fraction of the nodes on day `at` (they move to the recovered compartment). */
  | { kind: "vaccinate"; at: number; fraction: number; strategy: "random" | "highest-degree" | "acquaintance" }
  /** Test at `rate` per day from day `at` (the infectious only, or everyone), isolate positives for `isolation` days. */
  | { kind: "testing"; at: number; rate: number; symptomatic: boolean; sensitivity: number; delay: number; isolation: number }
  /** Trace each contact of a positive with `probability`, quarantine them for `quarantine` days after `delay`. */
  | { kind: "tracing"; at: number; probability: number; delay: number; quarantine: number; levels: 1 | 2 };

/** The kinds of intervention the form edits (the URL state checks links against it). */
export const INTERVENTION_KINDS = ["scale", "vaccinate", "testing", "tracing"] as const;

export interface ScenarioDraft {
  name: string;
  network: NetworkSource;
  /** A model id from GET /v1/models: a compartmental preset, or a cascade model (see CASCADE_MODELS). */
  model: string;
  params: Record<string, number>;
  /** Continuous-time horizon in days; for a cascade, the largest number of rounds. */
  tmax: number;
  /** Record interval in days (cascades record every round and ignore it). */
  record: number;
  seeding: Seeding;
  interventions: InterventionDraft[];
  runs: number;
  seed: number;
  /** Non-exponential periods per compartment (compartmental models; "exponential" entries are not sent). */
  durations?: Record<string, DurationDraft>;
  /**
   * A preset's scenario (its file without network and output) that the form cannot express (custom
   * transitions, expressions…): the run sends it as written. The form drops it when the analyst edits it.
   */
  verbatim?: Record<string, unknown>;
}

export const DEFAULT_DRAFT: ScenarioDraft = {
  name: "dashboard",
  network: { generate: { type: "barabasi-albert", n: 500, m: 2 }, seed: 1 },
  model: "SIR",
  /** Empty: the form fills each parameter with its registry default (GET /v1/models), the one source. */
  params: {},
  tmax: 60,
  record: 0.5,
  seeding: { count: 3, strategy: "random" },
  interventions: [],
  runs: 50,
  seed: 42,
};

/**
 * Cascade models of the registry (GET /v1/models families "independent-cascade" and "linear-threshold"):
 * compartments inactive/active, time in rounds, no interventions. Their scenario `model.type` is the id.
 */
export const CASCADE_MODELS = ["independent-cascade", "linear-threshold"] as const;

export function isCascadeModel(id: string): boolean {
  return (CASCADE_MODELS as readonly string[]).includes(id);
}

/** Whether a registry family (GET /v1/models) is one the dashboard runs as a cascade. */
export function isCascadeFamily(family: string): boolean {
  return family === "cascade" || isCascadeModel(family);
}

/** A short label for a finished run: model, interventions and its main parameter. */
export function runLabel(draft: ScenarioDraft, index: number): string {
  if (isCascadeModel(draft.model)) {
    return `#${index} ${draft.model}${draft.params.probability !== undefined ? ` (p ${draft.params.probability})` : ""}`;
  }
  const ivs = draft.interventions.map((i) => (i.kind === "scale" ? "distancing" : i.kind === "vaccinate" ? "vaccination" : i.kind)).join(" + ");
  return `#${index} ${draft.model}${ivs ? ` + ${ivs}` : ""} (β ${draft.params.beta ?? "–"})`;
}

/** The compartment that seeds go into, for a model's compartments. */
export function seedCompartment(compartments: readonly string[]): string {
  return compartments.includes("I") ? "I" : compartments.includes("active") ? "active" : compartments[1] ?? compartments[0];
}

/** The compartment that vaccination moves nodes into. */
export function immuneCompartment(compartments: readonly string[]): string | undefined {
  return compartments.includes("R") ? "R" : undefined;
}

export interface RunRequest {
  scenario: Record<string, unknown>;
  networkId?: string;
}

/** The `POST /v1/runs` body for a draft; node states and history of the first run are kept for playback. */
export function toRunRequest(draft: ScenarioDraft, compartments: readonly string[], networkId?: string): RunRequest {
  const scenario = draft.verbatim ? verbatimScenario(draft.verbatim) : isCascadeModel(draft.model) ? cascadeScenario(draft) : compartmentalScenario(draft, compartments);
  const id = networkId ?? ("id" in draft.network ? draft.network.id : undefined);
  if (id === undefined && "generate" in draft.network) scenario.network = { generate: draft.network.generate, seed: draft.network.seed };
  return id !== undefined ? { scenario, networkId: id } : { scenario };
}

/** A preset's scenario as written, with the output the playback needs (first run's history or activation rounds). */
function verbatimScenario(verbatim: Record<string, unknown>): Record<string, unknown> {
  const model = (verbatim.model ?? {}) as { type?: unknown };
  const cascade = typeof model.type === "string" && isCascadeModel(model.type);
  return { ...structuredClone(verbatim), output: cascade ? { nodes: "first", infectionTimes: true } : { nodes: "first", history: true } };
}

function initialSeeds(seeding: Seeding): Record<string, unknown> {
  return "nodes" in seeding ? { nodes: [...seeding.nodes] } : { count: seeding.count, strategy: seeding.strategy };
}

/**
 * A cascade: `model.type` is the model id (params only when the model has any: linear threshold takes none),
 * seeds in "active", at most `tmax` rounds (discrete time, one step per round), no interventions. Cascades
 * keep no state history: the first run's activation rounds (`infectionTimes`) give the playback instead.
 */
function cascadeScenario(draft: ScenarioDraft): Record<string, unknown> {
  const params = draft.model === "linear-threshold" ? {} : { ...draft.params };
  return {
    name: draft.name,
    seed: draft.seed,
    model: { type: draft.model, ...(Object.keys(params).length > 0 ? { params } : {}) },
    time: { mode: "discrete", steps: Math.max(1, Math.round(draft.tmax)) },
    initial: { active: initialSeeds(draft.seeding) },
    runs: draft.runs,
    output: { nodes: "first", infectionTimes: true },
  };
}

function compartmentalScenario(draft: ScenarioDraft, compartments: readonly string[]): Record<string, unknown> {
  const seeded = seedCompartment(compartments);
  const durations = durationsScenario(draft.durations, compartments);
  const interventions = draft.interventions.map((iv) => {
    if (iv.kind === "scale") return { at: iv.at, ...(iv.until !== undefined ? { until: iv.until } : {}), scale: "beta", by: iv.by };
    if (iv.kind === "testing") {
      const among = iv.symptomatic ? compartments.filter((c) => c === "I") : [];
      return { at: iv.at, testing: { rate: iv.rate, ...(among.length > 0 ? { among } : {}), sensitivity: iv.sensitivity, delay: iv.delay, isolation: iv.isolation } };
    }
    if (iv.kind === "tracing") return { at: iv.at, tracing: { probability: iv.probability, delay: iv.delay, quarantine: iv.quarantine, levels: iv.levels } };
    const to = immuneCompartment(compartments);
    return { at: iv.at, vaccinate: { strategy: iv.strategy, fraction: iv.fraction }, ...(to ? { to } : {}) };
  });
  const scenario: Record<string, unknown> = {
    name: draft.name,
    seed: draft.seed,
    model: { type: "compartmental", preset: draft.model, params: { ...draft.params }, ...(durations ? { durations } : {}) },
    time: { mode: "continuous", tmax: draft.tmax, record: draft.record },
    initial: { [seeded]: initialSeeds(draft.seeding) },
    ...(interventions.length > 0 ? { interventions } : {}),
    runs: draft.runs,
    output: { nodes: "first", history: true },
  };
  return scenario;
}
