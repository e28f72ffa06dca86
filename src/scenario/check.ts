/**
 * Semantic checks that a schema cannot express: one network source, a model that compiles, parameters and
 * compartments that exist, a generator that accepts its parameters, and network files inside the
 * scenario's folder. Every problem is returned (with its path), not only the first.
 */
import { isAbsolute, normalize, relative, resolve } from "node:path";
import { SpreadlabError } from "../errors.js";
import { compileModel, type CompartmentalModelDef } from "../models/compartmental.js";
import { PRESETS, presetModel } from "../models/presets.js";
import { GENERATORS, resolveGeneratorParams, type GeneratorSpec } from "../graph/generators/index.js";
import type { Scenario } from "./schema.js";
import { didYouMean } from "./suggest.js";

type Path = (string | number)[];
export interface PathIssue {
  path: Path;
  message: string;
}

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

export function semanticIssues(s: Scenario, dir: string, options: { allowOutside?: boolean }): PathIssue[] {
  const issues: PathIssue[] = [];
  // Network: exactly one source.
  const net = s.network;
  if ((net.generate === undefined) === (net.file === undefined)) {
    issues.push({ path: ["network"], message: 'give exactly one of "generate" (a generator spec) or "file" (a network file).' });
  }
  if (net.generate) {
    const type = net.generate.type;
    if (!GENERATORS.some((g) => g.id === type)) {
      issues.push({ path: ["network", "generate", "type"], message: `unknown generator "${type}".${didYouMean(type, GENERATORS.map((g) => g.id))} Generators: ${GENERATORS.map((g) => g.id).join(", ")}.` });
    } else {
      const info = GENERATORS.find((g) => g.id === type)!;
      const known = info.parameters.map((p) => p.name);
      for (const key of Object.keys(net.generate)) {
        if (key !== "type" && !known.includes(key)) {
          issues.push({ path: ["network", "generate", key], message: `${type} has no parameter "${key}".${didYouMean(key, known)} Parameters: ${known.join(", ")}.` });
        }
      }
      try {
        resolveGeneratorParams(net.generate as GeneratorSpec);
      } catch (e) {
        issues.push({ path: ["network", "generate"], message: (e as Error).message });
      }
    }
  }
  if (net.file && !options.allowOutside) {
    const rel = relative(resolve(dir), resolve(dir, net.file));
    if (isAbsolute(net.file) || rel.startsWith("..") || normalize(net.file).startsWith("..")) {
      issues.push({ path: ["network", "file"], message: `"${net.file}" is outside the scenario's folder; move it beside the scenario, or pass --allow-outside.` });
    }
  }
  if (net.file && net.generate === undefined && net.seed !== undefined) {
    issues.push({ path: ["network", "seed"], message: "a seed applies to generated networks only." });
  }

  // Model: a preset, or compartments and transitions.
  const m = s.model;
  const custom = m.compartments !== undefined || m.transitions !== undefined;
  if (m.preset && custom) issues.push({ path: ["model"], message: 'give either "preset" or "compartments" and "transitions", not both.' });
  if (!m.preset && !custom) issues.push({ path: ["model"], message: `give a "preset" (${Object.keys(PRESETS).join(", ")}) or "compartments" and "transitions".` });
  if (m.preset) {
    const known = PRESETS[m.preset].parameters.map((p) => p.name);
    for (const key of Object.keys(m.params ?? {})) {
      if (!known.includes(key)) issues.push({ path: ["model", "params", key], message: `${m.preset} has no parameter "${key}".${didYouMean(key, known)} Parameters: ${known.join(", ")}.` });
    }
  }
  let compartments: string[] = [];
  if (m.preset || (m.compartments && m.transitions)) {
    const def = scenarioModelDef(m);
    compartments = def.compartments;
    try {
      const compiled = compileModel(def);
      if (compiled.usesProbabilities && s.time.mode === "continuous") {
        issues.push({ path: ["time", "mode"], message: 'the model gives per-step probabilities, which need mode: discrete (or give rates instead).' });
      }
    } catch (e) {
      if (!(e instanceof SpreadlabError)) throw e;
      issues.push(splitPrefixed(e.message, ["model"]));
    }
  } else if (custom) {
    issues.push({ path: ["model", m.compartments ? "transitions" : "compartments"], message: "a user-defined model needs both compartments and transitions." });
  }

  // Initial condition: compartments that exist and are not the susceptible one.
  if (compartments.length > 0) {
    for (const name of Object.keys(s.initial)) {
      if (!compartments.includes(name)) {
        issues.push({ path: ["initial", name], message: `unknown compartment "${name}".${didYouMean(name, compartments)} Compartments: ${compartments.join(", ")}.` });
      }
    }
  }
  if (Object.keys(s.initial).length === 0) issues.push({ path: ["initial"], message: "seed at least one compartment, e.g. initial: { I: { count: 10 } }." });
  return issues;
}
