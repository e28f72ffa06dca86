/**
 * Semantic checks that a schema cannot express: one network source, a model that compiles, parameters and
 * compartments that exist, a generator that accepts its parameter names, and network files inside the
 * scenario's folder. Every problem is returned (with its path), not only the first. Each section is checked
 * when it is present, so the loader can still check the sections that passed the schema when another did not.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { SpreadlabError } from "../errors.js";
import { compileModel, type CompartmentalModelDef, type TransitionDef } from "../models/compartmental.js";
import { PRESETS, presetModel } from "../models/presets.js";
import { GENERATORS } from "../graph/generators/index.js";
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
export type ScenarioSections = Partial<Pick<Scenario, "network" | "model" | "time" | "initial">>;

/** The model definition a scenario describes (preset with parameters, or its own compartments). */
export function scenarioModelDef(model: Scenario["model"]): CompartmentalModelDef {
  if (model.preset) return presetModel(model.preset, model.params);
  return { compartments: model.compartments ?? [], transitions: model.transitions ?? [], params: model.params ?? {}, susceptible: model.susceptible };
}

/** Turn a message prefixed "model.transitions[0].to: …" into a path and the rest of the message. */
function splitPrefixed(message: string, fallback: Path): PathIssue {
  const m = /^([A-Za-z_][\w]*(?:\.[\w]+|\[\d+\])*): (.*)$/s.exec(message);
  if (!m) return { path: fallback, message };
  const path: Path = [];
  for (const part of m[1].matchAll(/([A-Za-z_]\w*)|\[(\d+)\]/g)) path.push(part[1] ?? Number(part[2]));
  return { path, message: m[2] };
}

/** True when `file`, taken relative to `dir`, leaves it (`..` segments, or an absolute path). */
function outsideFolder(dir: string, file: string): boolean {
  if (isAbsolute(file)) return true;
  const rel = relative(resolve(dir), resolve(dir, file));
  // "..data.csv" is a file name, not a way up: compare whole segments.
  return rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

function networkIssues(net: Scenario["network"], dir: string, options: { allowOutside?: boolean }): PathIssue[] {
  const issues: PathIssue[] = [];
  if ((net.generate === undefined) === (net.file === undefined)) {
    issues.push({ path: ["network"], message: 'give exactly one of "generate" (a generator spec) or "file" (a network file).' });
  }
  if (net.generate) {
    const type = net.generate.type;
    const info = GENERATORS.find((g) => g.id === type);
    if (info === undefined) {
      const ids = GENERATORS.map((g) => g.id);
      issues.push({ path: ["network", "generate", "type"], message: `unknown generator "${type}".${didYouMean(type, ids)} Generators: ${ids.join(", ")}.` });
    } else {
      // Parameter values are checked by the generator itself when the network is built.
      const known = info.parameters.map((p) => p.name);
      for (const key of Object.keys(net.generate)) {
        if (key !== "type" && !known.includes(key)) {
          const list = known.length ? ` Parameters: ${known.join(", ")}.` : " It takes no parameters.";
          issues.push({ path: ["network", "generate", key], atKey: true, message: `${type} has no parameter "${key}".${didYouMean(key, known)}${list}` });
        }
      }
    }
  }
  if (net.file && !options.allowOutside && outsideFolder(dir, net.file)) {
    issues.push({ path: ["network", "file"], message: `"${net.file}" is outside the scenario's folder; move it beside the scenario, or pass --allow-outside.` });
  }
  if (net.file && net.generate === undefined && net.seed !== undefined) {
    issues.push({ path: ["network", "seed"], message: "a seed applies to generated networks only." });
  }
  return issues;
}

/** Names in a user-defined model's transitions that do not exist: all of them, with suggestions. */
function transitionIssues(transitions: TransitionDef[], compartments: string[], params: Record<string, number>): PathIssue[] {
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
      if (typeof ref === "string" && !paramNames.includes(ref)) {
        const list = paramNames.length ? `model.params has ${paramNames.join(", ")}.` : "model.params is empty.";
        issues.push({ path: at(field), message: `unknown parameter "${ref}".${didYouMean(ref, paramNames)} Give a number or add it to model.params; ${list}` });
      }
    }
  });
  return issues;
}

/** Model checks; returns the model's compartments too (empty when it is not usable). */
function modelIssues(m: Scenario["model"], time: Scenario["time"] | undefined): { issues: PathIssue[]; compartments: string[] } {
  const issues: PathIssue[] = [];
  const custom = m.compartments !== undefined || m.transitions !== undefined;
  if (m.preset && custom) issues.push({ path: ["model"], message: 'give either "preset" or "compartments" and "transitions", not both.' });
  if (!m.preset && !custom) issues.push({ path: ["model"], message: `give a "preset" (${Object.keys(PRESETS).join(", ")}) or "compartments" and "transitions".` });
  if (m.preset) {
    // A preset's transitions are not in the file: report its parameters where they are written.
    const parameters = PRESETS[m.preset].parameters;
    const known = parameters.map((p) => p.name);
    for (const [key, value] of Object.entries(m.params ?? {})) {
      const info = parameters.find((p) => p.name === key);
      if (info === undefined) {
        issues.push({ path: ["model", "params", key], atKey: true, message: `${m.preset} has no parameter "${key}".${didYouMean(key, known)} Parameters: ${known.join(", ")}.` });
      } else if ((info.min !== undefined && value < info.min) || (info.max !== undefined && value > info.max)) {
        const range = info.max === undefined ? `≥ ${info.min}` : `in [${info.min ?? "−∞"}, ${info.max}]`;
        issues.push({ path: ["model", "params", key], message: `${m.preset} parameter "${key}" must be ${range}, got ${value}.` });
      }
    }
  } else if (m.compartments && m.transitions) {
    issues.push(...transitionIssues(m.transitions, m.compartments, m.params ?? {}));
  } else if (custom) {
    issues.push({ path: ["model", m.compartments ? "transitions" : "compartments"], message: "a user-defined model needs both compartments and transitions." });
  }
  if (issues.length > 0) return { issues, compartments: m.preset ? [...PRESETS[m.preset].definition.compartments] : (m.compartments ?? []) };

  const def = scenarioModelDef(m);
  try {
    const compiled = compileModel(def);
    if (compiled.usesProbabilities && time?.mode === "continuous") {
      issues.push({ path: ["time", "mode"], message: 'the model gives per-step probabilities, which need mode: discrete (or give rates instead).' });
    }
    return { issues, compartments: compiled.compartments };
  } catch (e) {
    if (!(e instanceof SpreadlabError)) throw e;
    issues.push(splitPrefixed(e.message, ["model"]));
    return { issues, compartments: def.compartments };
  }
}

/** Initial condition: compartments that exist and are not the one every node starts in. */
function initialIssues(initial: Scenario["initial"], compartments: string[], susceptible: string | undefined): PathIssue[] {
  const issues: PathIssue[] = [];
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

export function semanticIssues(s: ScenarioSections, dir: string, options: { allowOutside?: boolean }): PathIssue[] {
  const issues: PathIssue[] = [];
  if (s.network) issues.push(...networkIssues(s.network, dir, options));
  let compartments: string[] = [];
  if (s.model) {
    const checked = modelIssues(s.model, s.time);
    issues.push(...checked.issues);
    compartments = checked.compartments;
  }
  // Every node starts in the susceptible compartment: model.susceptible, else the first one.
  const susceptible = s.model?.preset ? compartments[0] : (s.model?.susceptible ?? compartments[0]);
  if (s.initial) issues.push(...initialIssues(s.initial, compartments, susceptible));
  return issues;
}
