/**
 * Semantic checks that a schema cannot express: one network source, a model that compiles, parameters and
 * compartments that exist, a generator that accepts its parameter names, and network files inside the
 * scenario's folder. Every problem is returned (with its path), not only the first. Each section is checked
 * when it is present, so the loader can still check the sections that passed the schema when another did not.
 * The network and output sections are checked in check-network.ts.
 */
import { SpreadlabError } from "../errors.js";
import { compileModel, type TransitionDef } from "../models/compartmental.js";
import { nonMarkovProblem } from "../engine/nonmarkov.js";
import { PRESETS, presetModel, type PresetId } from "../models/presets.js";
import { FIELD_PRESETS, type FieldPresetId } from "../models/reaction-diffusion.js";
import { resolveParameters, type ModelDefWithExpressions } from "../models/parameters.js";
import { compileExpression } from "./expressions.js";
import { durationInterventionIssues, durationIssues } from "./durations.js";
import { controlIssues } from "./testing.js";
import { isControlEntry } from "../engine/testing.js";
import { networkIssues, outputIssues } from "./check-network.js";
import type { Scenario } from "./schema.js";
import { didYouMean } from "./suggest.js";

type Path = (string | number)[];
export interface PathIssue {
  path: Path;
  message: string;
  /** The last path segment is a field name that is itself wrong: point at the key, not its value. */
  atKey?: boolean;
}

/** The sections the checks read; a full `Scenario` is one, and absent sections are skipped. */
export type ScenarioSections = Partial<Pick<Scenario, "network" | "model" | "time" | "initial" | "interventions" | "sweep" | "output">> & {
  /** The file has no `time` at all (as opposed to a `time` that failed the schema). */
  timeAbsent?: boolean;
};

/** The compartmental model a scenario describes (preset with parameters, or its own compartments). */
export function scenarioModelDef(model: Scenario["model"]): ModelDefWithExpressions {
  if (model.preset && isPreset(model.preset)) {
    const preset = presetModel(model.preset);
    return { ...preset, params: { ...preset.params, ...model.params } };
  }
  return { compartments: model.compartments ?? [], transitions: model.transitions ?? [], params: model.params ?? {}, susceptible: model.susceptible };
}

const isPreset = (id: string): id is PresetId => Object.hasOwn(PRESETS, id); // own keys only: never "constructor", "__proto__"…
const isFieldPreset = (id: string): id is FieldPresetId => Object.hasOwn(FIELD_PRESETS, id);

/** Fields of `model` each type reads (others are reported as not used by that type). */
const MODEL_FIELDS: Record<Scenario["model"]["type"], string[]> = {
  compartmental: ["type", "preset", "params", "compartments", "transitions", "susceptible", "durations", "delays"],
  "independent-cascade": ["type", "params"],
  "linear-threshold": ["type", "weights", "thresholds"],
  "reaction-diffusion": ["type", "preset", "params", "laplacian"],
};

/** Turn a message prefixed "model.transitions[0].to: …" into a path and the rest of the message. */
function splitPrefixed(message: string, fallback: Path): PathIssue {
  const m = /^([A-Za-z_][\w]*(?:\.[\w]+|\[\d+\])*): (.*)$/s.exec(message);
  if (!m) return { path: fallback, message };
  const path: Path = [];
  for (const part of m[1].matchAll(/([A-Za-z_]\w*)|\[(\d+)\]/g)) path.push(part[1] ?? Number(part[2]));
  return { path, message: m[2] };
}

/** What a temporal contact network runs: compartmental models in continuous time, without interventions or delays. */
function temporalModelIssues(s: ScenarioSections): PathIssue[] {
  const issues: PathIssue[] = [];
  const what = "on a temporal contact network (network.contacts)";
  if (s.model && s.model.type !== undefined && s.model.type !== "compartmental") issues.push({ path: ["model", "type"], message: `only compartmental models run ${what}.` });
  if (s.model?.delays !== undefined) issues.push({ path: ["model", "delays"], atKey: true, message: `not supported ${what}; transmission runs at rate β per active contact.` });
  if (s.time?.mode === "discrete") issues.push({ path: ["time", "mode"], message: `${what} runs in continuous time: { mode: continuous, tmax }.` });
  if ((s.interventions ?? []).length > 0) issues.push({ path: ["interventions"], message: `not supported ${what} yet.` });
  if (s.model && (s.model.type ?? "compartmental") === "compartmental") {
    // The temporal kernel is the non-Markovian one: progressive models only (SIR, SEIR, …), said at load time.
    let problem: string | null = null;
    try {
      problem = nonMarkovProblem(compileModel(resolveParameters(scenarioModelDef(s.model)).def));
    } catch {
      // a model that does not compile is reported by modelIssues
    }
    if (problem !== null) issues.push({ path: ["model", s.model.preset !== undefined ? "preset" : "transitions"], message: `${problem} (${what}).` });
  }
  return issues;
}

/** Names in a user-defined model's transitions that do not exist: all of them, with suggestions. */
function transitionIssues(transitions: TransitionDef[], compartments: string[], params: Record<string, number | string>): PathIssue[] {
  const issues: PathIssue[] = [];
  const paramNames = Object.keys(params);
  transitions.forEach((tr, i) => {
    const at = (...rest: string[]): Path => ["model", "transitions", i, ...rest];
    for (const field of ["from", "to", "by"] as const) {
      const name = tr[field];
      if (name !== undefined && !compartments.includes(name)) {
        issues.push({ path: at(field), message: `unknown compartment "${name}".${didYouMean(name, compartments)} Compartments: ${compartments.join(", ")}.` });
      }
    }
    if ((tr.rate === undefined) === (tr.probability === undefined)) {
      issues.push({ path: at(), message: 'give exactly one of "rate" or "probability".' });
    }
    for (const field of ["rate", "probability"] as const) {
      const ref = tr[field];
      // A string is a parameter name, or an expression over the numeric parameters and t.
      if (typeof ref === "string" && !paramNames.includes(ref)) issues.push(...expressionIssues(ref, params, at(field)));
    }
  });
  return issues;
}

/** An expression over the numeric parameters and t: compiled here so its problems carry the field path. */
function expressionIssues(source: string, params: Record<string, number | string>, path: Path): PathIssue[] {
  const numeric = Object.keys(params).filter((k) => typeof params[k] === "number");
  try {
    compileExpression(source, numeric);
    return [];
  } catch (e) {
    if (!(e instanceof SpreadlabError)) throw e;
    return [{ path, message: e.message }];
  }
}

/** Model checks for every type; returns the model's compartments (or variables) too. */
function modelIssues(m: Scenario["model"], time: Scenario["time"] | undefined, timeAbsent: boolean): { issues: PathIssue[]; compartments: string[] } {
  const issues: PathIssue[] = [];
  const allowed = MODEL_FIELDS[m.type];
  for (const key of Object.keys(m)) {
    if (!allowed.includes(key) && (m as Record<string, unknown>)[key] !== undefined) {
      issues.push({ path: ["model", key], atKey: true, message: `"${key}" is not used by type ${m.type}; its fields are ${allowed.join(", ")}.` });
    }
  }
  if (m.type === "independent-cascade") {
    const p = m.params?.probability;
    const extra = Object.keys(m.params ?? {}).filter((k) => k !== "probability");
    for (const key of extra) issues.push({ path: ["model", "params", key], atKey: true, message: `independent-cascade has no parameter "${key}"; it takes probability (a number, or an edge attribute name).` });
    if (p === undefined) issues.push({ path: ["model", "params"], message: "give params.probability: a number in [0, 1], or the name of an edge attribute holding per-edge probabilities." });
    else if (typeof p === "number" && !(p >= 0 && p <= 1)) issues.push({ path: ["model", "params", "probability"], message: `expected a probability in [0, 1], got ${p}.` });
    return { issues, compartments: ["inactive", "active"] };
  }
  if (m.type === "linear-threshold") return { issues, compartments: ["inactive", "active"] };
  if (m.type === "reaction-diffusion") {
    const ids = Object.keys(FIELD_PRESETS);
    if (m.preset === undefined || !isFieldPreset(m.preset)) {
      const given = m.preset === undefined ? "" : `unknown preset "${m.preset}".${didYouMean(m.preset, ids)} `;
      issues.push({ path: ["model", "preset"], message: `${given}Reaction–diffusion presets: ${ids.join(", ")}.` });
      return { issues, compartments: [] };
    }
    const preset = FIELD_PRESETS[m.preset];
    const known = preset.parameters.map((p) => p.name);
    for (const [key, value] of Object.entries(m.params ?? {})) {
      if (!known.includes(key)) issues.push({ path: ["model", "params", key], atKey: true, message: `${m.preset} has no parameter "${key}".${didYouMean(key, known)} Parameters: ${known.join(", ")}.` });
      else if (typeof value !== "number") issues.push({ path: ["model", "params", key], message: "reaction–diffusion parameters are numbers." });
    }
    if (time && time.mode !== "continuous") issues.push({ path: ["time", "mode"], message: "reaction–diffusion runs in continuous time: { mode: continuous, tmax, record }." });
    if (timeAbsent) issues.push({ path: ["time"], message: "give time: { mode: continuous, tmax, record }." });
    return { issues, compartments: [...preset.variables] };
  }
  if (m.preset !== undefined && !isPreset(m.preset)) {
    const ids = Object.keys(PRESETS);
    issues.push({ path: ["model", "preset"], message: `unknown preset "${m.preset}".${didYouMean(m.preset, ids)} Presets: ${ids.join(", ")} (or give compartments and transitions).` });
    return { issues, compartments: [] };
  }
  const custom = m.compartments !== undefined || m.transitions !== undefined;
  if (m.preset && custom) issues.push({ path: ["model"], message: 'give either "preset" or "compartments" and "transitions", not both.' });
  if (!m.preset && !custom) issues.push({ path: ["model"], message: `give a "preset" (${Object.keys(PRESETS).join(", ")}) or "compartments" and "transitions".` });
  if (m.preset) {
    // A preset's transitions are not in the file: report its parameters where they are written.
    const parameters = PRESETS[m.preset as PresetId].parameters;
    const known = parameters.map((p) => p.name);
    for (const [key, value] of Object.entries(m.params ?? {})) {
      const info = parameters.find((p) => p.name === key);
      if (info === undefined) {
        issues.push({ path: ["model", "params", key], atKey: true, message: `${m.preset} has no parameter "${key}".${didYouMean(key, known)} Parameters: ${known.join(", ")}.` });
      } else if (typeof value === "string") {
        issues.push(...expressionIssues(value, m.params ?? {}, ["model", "params", key]));
      } else if ((info.min !== undefined && value < info.min) || (info.max !== undefined && value > info.max)) {
        const range = info.max === undefined ? `≥ ${info.min}` : `in [${info.min ?? "−∞"}, ${info.max}]`;
        issues.push({ path: ["model", "params", key], message: `${m.preset} parameter "${key}" must be ${range}, got ${value}.` });
      }
    }
  } else if (m.compartments && m.transitions) {
    issues.push(...transitionIssues(m.transitions, m.compartments, m.params ?? {}));
    for (const [key, value] of Object.entries(m.params ?? {})) {
      if (typeof value === "string") issues.push(...expressionIssues(value, m.params ?? {}, ["model", "params", key]));
    }
  } else if (custom) {
    issues.push({ path: ["model", m.compartments ? "transitions" : "compartments"], message: "a user-defined model needs both compartments and transitions." });
  }
  if (issues.length > 0) return { issues, compartments: m.preset ? [...PRESETS[m.preset as PresetId].definition.compartments] : (m.compartments ?? []) };
  if (timeAbsent) issues.push({ path: ["time"], message: "give time: { mode: continuous, tmax, record } or { mode: discrete, steps }." });

  const def = scenarioModelDef(m);
  try {
    const compiled = compileModel(resolveParameters(def).def);
    if (compiled.usesProbabilities && time?.mode === "continuous") {
      issues.push({ path: ["time", "mode"], message: 'the model gives per-step probabilities, which need mode: discrete (or give rates instead).' });
    }
    if (m.durations !== undefined || m.delays !== undefined) issues.push(...durationIssues(m, def, compiled, time));
    return { issues, compartments: compiled.compartments };
  } catch (e) {
    if (!(e instanceof SpreadlabError)) throw e;
    // A rate that is a parameter expression failed for some t: point at the parameter.
    const located = splitPrefixed(e.message, ["model"]);
    issues.push(located);
    return { issues, compartments: def.compartments };
  }
}

const isFieldInitial = (x: object) => "all" in x || "uniform" in x || ("nodes" in x && !Array.isArray((x as { nodes: unknown }).nodes));

/** Initial condition: compartments that exist and are not the one every node starts in. */
function initialIssues(initial: Scenario["initial"], compartments: string[], susceptible: string | undefined, type: Scenario["model"]["type"]): PathIssue[] {
  const issues: PathIssue[] = [];
  const field = type === "reaction-diffusion";
  for (const [name, value] of Object.entries(initial)) {
    if (field !== isFieldInitial(value)) {
      issues.push({
        path: ["initial", name],
        message: field
          ? "reaction–diffusion initial values are { nodes: { <node>: value } }, { all: value } or { uniform: total }."
          : "expected { count }, { fraction }, { nodes: [ids] } or a strategy; { all } and { uniform } are for reaction–diffusion fields.",
      });
    }
  }
  if (field) {
    for (const name of Object.keys(initial)) {
      if (compartments.length > 0 && !compartments.includes(name)) issues.push({ path: ["initial", name], atKey: true, message: `unknown variable "${name}".${didYouMean(name, compartments)} Variables: ${compartments.join(", ")}.` });
    }
    return issues;
  }
  if (Object.keys(initial).length === 0) issues.push({ path: ["initial"], message: "seed at least one compartment, e.g. initial: { I: { count: 10 } }." });
  if (compartments.length === 0) return issues;
  for (const name of Object.keys(initial)) {
    if (!compartments.includes(name)) {
      issues.push({ path: ["initial", name], atKey: true, message: `unknown compartment "${name}".${didYouMean(name, compartments)} Compartments: ${compartments.join(", ")}.` });
    } else if (name === susceptible) {
      const others = compartments.filter((c) => c !== susceptible);
      issues.push({ path: ["initial", name], atKey: true, message: `every node starts in "${name}" already; seed another compartment (${others.join(", ")}).` });
    }
  }
  return issues;
}

function interventionIssues(s: ScenarioSections, compartments: string[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const list = s.interventions ?? [];
  if (list.length === 0 || !s.model) return issues;
  if (s.model.type !== "compartmental") return [{ path: ["interventions"], message: `interventions apply to compartmental models, not ${s.model.type}.` }];
  const params = Object.keys(scenarioModelDef(s.model).params ?? {});
  const known = (name: string | undefined, path: Path) => {
    if (name !== undefined && compartments.length > 0 && !compartments.includes(name)) issues.push({ path, message: `unknown compartment "${name}".${didYouMean(name, compartments)} Compartments: ${compartments.join(", ")}.` });
  };
  list.forEach((iv, i) => {
    if (isControlEntry(iv)) return; // testing and tracing: scenario/testing.ts
    const at = (...rest: (string | number)[]): Path => ["interventions", i, ...rest];
    if ("until" in iv && iv.until !== undefined && !(iv.until > iv.at)) issues.push({ path: at("until"), message: `must be after at = ${iv.at}.` });
    if ("scale" in iv && !params.includes(iv.scale)) issues.push({ path: at("scale"), message: `unknown parameter "${iv.scale}".${didYouMean(iv.scale, params)} Parameters: ${params.join(", ")}.` });
    if ("vaccinate" in iv) {
      const given = ["count", "fraction", "perDay"].filter((k) => (iv.vaccinate as Record<string, unknown>)[k] !== undefined);
      if (given.length !== 1) issues.push({ path: at("vaccinate"), message: "give exactly one of count, fraction or perDay." });
      known(iv.to, at("to"));
      if (iv.to === undefined && compartments.length > 0 && !compartments.includes("R") && !compartments.includes("V")) issues.push({ path: at("to"), message: "the model has no R or V compartment: say where vaccinated nodes go." });
    }
    if ("import" in iv) known(iv.import.into, at("import", "into"));
    if ("quarantine" in iv) known(iv.quarantine.compartment, at("quarantine", "compartment"));
  });
  return issues;
}

function sweepIssues(s: ScenarioSections): PathIssue[] {
  if (!s.sweep || !s.model) return [];
  const params =
    s.model.type === "compartmental"
      ? Object.keys(scenarioModelDef(s.model).params ?? {})
      : s.model.type === "reaction-diffusion" && s.model.preset && isFieldPreset(s.model.preset)
        ? FIELD_PRESETS[s.model.preset].parameters.map((p) => p.name)
        : s.model.type === "independent-cascade"
          ? ["probability"]
          : [];
  return Object.keys(s.sweep)
    .filter((name) => !params.includes(name))
    .map((name) => ({ path: ["sweep", name], atKey: true, message: `unknown parameter "${name}".${didYouMean(name, params)} Parameters: ${params.join(", ") || "(none)"}.` }));
}

export function semanticIssues(s: ScenarioSections, dir: string, options: { allowOutside?: boolean }): PathIssue[] {
  const issues: PathIssue[] = [];
  if (s.network) issues.push(...networkIssues(s.network, dir, options));
  issues.push(...outputIssues(s.output, options));
  let compartments: string[] = [];
  if (s.model) {
    const checked = modelIssues(s.model, s.time, s.timeAbsent ?? false);
    issues.push(...checked.issues);
    compartments = checked.compartments;
  }
  // Every node starts in the susceptible compartment: model.susceptible, else the first one.
  const susceptible = s.model?.preset ? compartments[0] : (s.model?.susceptible ?? compartments[0]);
  if (s.initial) issues.push(...initialIssues(s.initial, compartments, susceptible, s.model?.type ?? "compartmental"));
  issues.push(...interventionIssues(s, compartments), ...sweepIssues(s));
  if (s.model?.type === "compartmental") issues.push(...controlIssues(s, compartments, scenarioModelDef(s.model)));
  if (s.model?.type === "compartmental") issues.push(...durationInterventionIssues({ model: s.model, interventions: s.interventions }));
  if (s.network?.contacts) issues.push(...temporalModelIssues(s));
  if (s.model && s.network?.generate && (s.model.weights || s.model.thresholds || (s.model.type === "independent-cascade" && typeof s.model.params?.probability === "string"))) {
    issues.push({ path: ["model"], message: "edge or node attributes need a network file that has them; generated networks have none." });
  }
  return issues;
}
