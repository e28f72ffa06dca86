/**
 * A bundled scenario file (GET /v1/scenarios) as a dashboard preset: the form state it fills in, the network
 * to load, and what the form cannot express. Pure: no DOM, no fetch.
 *
 * The run must be the file's run (same seed, same network, same result as `spreadlab run` on the file):
 * - the network is the file's: a generator with its parameters and seed (`network.seed`, else the scenario
 *   seed, as the CLI does), or a bundled file that the server builds (POST /v1/scenarios/{id}/network);
 * - what the form can hold (preset model and numeric rates, continuous time, count/strategy/node seeds,
 *   distancing and vaccination) is mapped field by field;
 * - what it cannot (user-defined compartments and transitions, rates that are expressions, discrete time for
 *   a compartmental model, seeding by fraction, imports, engine options…) is listed in `notes` and the file's
 *   scenario is kept as `verbatim`, which the run sends as written until the analyst edits the form;
 * - what the dashboard cannot run at all (reaction–diffusion, sweeps) is said, and `runnable` is false
 *   (a sweep runs its base point, which the notes say).
 */
import { DEFAULT_DRAFT, isCascadeModel, type InterventionDraft, type ScenarioDraft } from "./scenario.js";

export interface PresetModel {
  id: string;
  family: string;
  compartments: string[];
}

export interface PresetPlan {
  /** False when the dashboard cannot run the file at all (the form is then left as it was). */
  runnable: boolean;
  draft: ScenarioDraft;
  /** Said on screen when the preset loads: what the form shows differently from the file, and why. */
  notes: string[];
  /** The network to load: the draft's generator source, or a bundled file the server builds. */
  network: { generate: { type: string; [k: string]: unknown }; seed: number } | { file: string };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Horizon the form uses when the file runs until the epidemic ends (tmax: .inf, which JSON cannot carry). */
export const OPEN_HORIZON = 100;

export function presetPlan(scenario: Record<string, unknown>, models: readonly PresetModel[], base: ScenarioDraft = DEFAULT_DRAFT): PresetPlan {
  const notes: string[] = [];
  /** Reasons the form cannot express the file: the run then sends the file's scenario as written. */
  const verbatim: string[] = [];
  const draft: ScenarioDraft = structuredClone({ ...base, verbatim: undefined });
  delete draft.verbatim;
  const seed = typeof scenario.seed === "number" ? scenario.seed : 0;
  draft.name = typeof scenario.name === "string" ? scenario.name : draft.name;
  draft.seed = seed;
  if (typeof scenario.runs === "number") draft.runs = scenario.runs;
  const model = isObject(scenario.model) ? scenario.model : {};
  const type = typeof model.type === "string" ? model.type : "compartmental";
  const network = isObject(scenario.network) ? scenario.network : {};
  const contacts = isObject(network.contacts) ? network.contacts : null;
  const net: PresetPlan["network"] = isObject(network.generate)
    ? { generate: network.generate as { type: string }, seed: typeof network.seed === "number" ? network.seed : seed }
    : { file: String(network.file ?? contacts?.file ?? "") };
  if ("generate" in net) draft.network = { generate: net.generate, seed: net.seed };
  const fail = (why: string): PresetPlan => ({ runnable: false, draft: base, notes: [why], network: net });

  if (type === "reaction-diffusion") return fail(`This preset is a reaction–diffusion model (${String(model.preset ?? "custom")}): its output is a field per node, which the dashboard does not run yet. Run it with \`spreadlab run\` or POST /v1/runs; the form was left as it was.`);
  const cascade = isCascadeModel(type);
  const compartments = Array.isArray(model.compartments) ? model.compartments.map(String) : null;
  if (cascade) draft.model = type;
  else if (typeof model.preset === "string") draft.model = model.preset;
  else if (compartments) {
    const same = models.find((m) => m.family === "compartmental" && m.compartments.join() === compartments.join());
    if (same) draft.model = same.id;
    verbatim.push(`its model is written as compartments and transitions (${compartments.join(", ")}), which the form cannot edit${same ? ` (the form shows ${same.id}, with the same compartments)` : ""}`);
  }
  if (!models.some((m) => m.id === draft.model)) return fail(`The model of this preset (${draft.model}) is not one the dashboard runs; the form was left as it was.`);
  for (const key of Object.keys(model)) if (!["type", "preset", "params", "compartments", "transitions"].includes(key)) verbatim.push(`model.${key} is set, which the form cannot edit`);

  draft.params = {};
  if (isObject(model.params)) {
    for (const [k, v] of Object.entries(model.params)) {
      if (typeof v === "number") draft.params[k] = v;
      else {
        verbatim.push(`${k} is an expression (${String(v)}), which the form cannot edit`);
        const registry = models.find((m) => m.id === draft.model) as { parameters?: { name: string; default?: number }[] } | undefined;
        const fallback = registry?.parameters?.find((p) => p.name === k)?.default;
        if (fallback !== undefined) draft.params[k] = fallback;
      }
    }
  }

  const time = isObject(scenario.time) ? scenario.time : {};
  if (cascade) {
    // Rounds: a file's discrete steps limit them; without time a cascade runs until no node activates.
    draft.tmax = time.mode === "discrete" && typeof time.steps === "number" ? time.steps : OPEN_HORIZON;
    draft.record = 1;
    if (!(time.mode === "discrete" && typeof time.steps === "number")) notes.push(`The file sets no limit on rounds; the form allows ${OPEN_HORIZON}, more than this cascade takes.`);
  } else if (time.mode === "discrete") {
    const dt = typeof time.dt === "number" ? time.dt : 1;
    draft.tmax = typeof time.steps === "number" ? time.steps * dt : draft.tmax;
    draft.record = dt;
    verbatim.push(`it runs in discrete time (steps of ${dt}), which the form cannot set`);
  } else {
    if (typeof time.tmax === "number") draft.tmax = time.tmax;
    else if ("tmax" in time) {
      draft.tmax = OPEN_HORIZON;
      notes.push(`The file runs until the epidemic ends (tmax: .inf); the form runs to day ${OPEN_HORIZON}.`);
    }
    draft.record = typeof time.record === "number" ? time.record : draft.tmax / 100;
    for (const key of Object.keys(time)) if (!["mode", "tmax", "record"].includes(key)) verbatim.push(`time.${key} is set, which the form cannot edit`);
  }

  const initial = isObject(scenario.initial) ? scenario.initial : {};
  const entries = Object.entries(initial);
  if (entries.length > 1) verbatim.push(`it seeds several compartments (${entries.map(([c]) => c).join(", ")})`);
  const first = entries[0]?.[1];
  if (isObject(first)) {
    const strategy = first.strategy ?? "random";
    if (Array.isArray(first.nodes)) draft.seeding = { nodes: first.nodes.map(String) };
    else if (typeof first.count === "number" && (strategy === "random" || strategy === "highest-degree")) draft.seeding = { count: first.count, strategy };
    else verbatim.push(`its seeds (${JSON.stringify(first)}) are not a count of random or highest-degree nodes or a list of nodes`);
  }

  draft.interventions = [];
  const interventions = Array.isArray(scenario.interventions) ? (scenario.interventions as unknown[]) : [];
  if (cascade && interventions.length > 0) return fail("This preset is a cascade with interventions, which the dashboard does not run; the form was left as it was.");
  for (const iv of interventions) {
    const mapped = isObject(iv) ? intervention(iv) : null;
    if (mapped) draft.interventions.push(mapped);
    else verbatim.push(`an intervention (${isObject(iv) ? Object.keys(iv).join(", ") : String(iv)}) is not one the form can edit`);
  }

  const sweep = isObject(scenario.sweep) ? Object.keys(scenario.sweep) : [];
  if (sweep.length > 0) notes.push(`The file sweeps ${sweep.join(", ")}; the dashboard runs one point of it (${sweep.map((k) => `${k} = ${draft.params[k]}`).join(", ")}). Run the whole sweep with \`spreadlab run\`.`);
  if (contacts && "file" in net) notes.push(`The network is the bundled temporal contact file ${net.file || "(snapshot files)"}: transmission only while two nodes are in contact; the graph shows every pair ever in contact.`);
  else if (!("generate" in net)) notes.push(`The network is the bundled file ${net.file}.`);
  for (const key of Object.keys(network)) if (!["generate", "seed", "file", "contacts"].includes(key)) verbatim.push(`network.${key} is set`);

  if (verbatim.length > 0) {
    const { network: _n, output: _o, sweep: _s, ...rest } = scenario;
    draft.verbatim = rest;
    notes.push(`The form cannot show all of this preset: ${verbatim.join("; ")}. Run uses the file's scenario as written; editing the form replaces it with what the form shows.`);
  }
  return { runnable: true, draft, notes, network: net };
}

function intervention(iv: Record<string, unknown>): InterventionDraft | null {
  const keys = Object.keys(iv);
  if (typeof iv.at !== "number") return null;
  if (iv.scale === "beta" && typeof iv.by === "number" && keys.every((k) => ["at", "until", "scale", "by"].includes(k))) {
    return { kind: "scale", at: iv.at, ...(typeof iv.until === "number" ? { until: iv.until } : {}), by: iv.by };
  }
  if (isObject(iv.vaccinate) && keys.every((k) => ["at", "vaccinate"].includes(k))) {
    const v = iv.vaccinate;
    const strategy = v.strategy ?? "random";
    if (typeof v.fraction !== "number" || !["random", "highest-degree", "acquaintance"].includes(String(strategy))) return null;
    if (Object.keys(v).some((k) => !["fraction", "strategy"].includes(k))) return null;
    return { kind: "vaccinate", at: iv.at, fraction: v.fraction, strategy: strategy as "random" };
  }
  // Testing and tracing: the fields the form shows (defaults as in the engine), nothing else.
  const num = (x: unknown, fallback: number) => (typeof x === "number" ? x : x === undefined ? fallback : NaN);
  if (isObject(iv.testing) && keys.every((k) => ["at", "testing"].includes(k))) {
    const t = iv.testing;
    const among = t.among;
    const symptomatic = Array.isArray(among) && among.length === 1 && among[0] === "I";
    if (among !== undefined && !symptomatic) return null;
    if (Object.keys(t).some((k) => !["rate", "among", "sensitivity", "delay", "isolation"].includes(k))) return null;
    const draft = { kind: "testing" as const, at: iv.at, rate: num(t.rate, NaN), symptomatic, sensitivity: num(t.sensitivity, 1), delay: num(t.delay, 0), isolation: num(t.isolation, 14) };
    return [draft.rate, draft.sensitivity, draft.delay, draft.isolation].every(Number.isFinite) ? draft : null;
  }
  if (isObject(iv.tracing) && keys.every((k) => ["at", "tracing"].includes(k))) {
    const t = iv.tracing;
    if (Object.keys(t).some((k) => !["probability", "delay", "quarantine", "levels", "contacts"].includes(k)) || (t.contacts !== undefined && t.contacts !== "neighbours")) return null;
    const levels = num(t.levels, 1);
    const draft = { kind: "tracing" as const, at: iv.at, probability: num(t.probability, NaN), delay: num(t.delay, 0), quarantine: num(t.quarantine, 14), levels: levels === 2 ? (2 as const) : (1 as const) };
    return [draft.probability, draft.delay, draft.quarantine].every(Number.isFinite) && (levels === 1 || levels === 2) ? draft : null;
  }
  return null;
}

/**
 * The rates a run actually used, for the threshold line and R₀: the form's, or, when the run sends a preset's
 * file as written, that file's numeric parameters (none for transitions written inline; an expression is
 * left out), so the card never reports R₀ from form values the run did not use.
 */
export function runParams(draft: ScenarioDraft): Record<string, number> {
  if (!draft.verbatim) return draft.params;
  const model = isObject(draft.verbatim.model) ? draft.verbatim.model : {};
  if (!("preset" in model)) return {};
  const out: Record<string, number> = {};
  if (isObject(model.params)) for (const [k, v] of Object.entries(model.params)) if (typeof v === "number") out[k] = v;
  return out;
}
