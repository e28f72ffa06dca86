/**
 * Non-exponential periods (issue 14, item 1): `model.durations` gives, per compartment, the distribution
 * of how long a node stays before its single spontaneous exit. A compartment without a duration (or with
 * `{ dist: exponential }`) keeps its exponential exit at the model's rate.
 *
 *   fixed        { value }        exactly `value`
 *   gamma        { mean, shape }  scale = mean / shape (shape 1: exponential)
 *   lognormal    { mean, sd }     of the duration itself: σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2
 *   weibull      { shape, scale } P(D > x) = exp(−(x/scale)^shape)
 *   exponential  {}               rate from the model's transition (params)
 *
 * `model.delays` (same laws) gives, per infectious compartment, the time from a node's entry there to
 * transmission along each of its arcs (NEXTNet's transmission-time law): the arc transmits if that time is
 * shorter than the node's stay, independently per arc given the stay. `exponential` there is the model's
 * Markovian rate β.
 *
 * Values are numbers or names of (numeric, constant) model parameters, so a sweep can vary them.
 * `durationProblems` lists everything wrong, with paths below `model.durations`; `compileDurations`
 * throws the first as a ModelError prefixed with its path.
 */
import { ModelError } from "../errors.js";
import type { CompiledModel } from "./compartmental.js";

/** A number, or the name of a model parameter. */
export type NumberRef = number | string;

export type DurationSpec =
  | { dist: "fixed"; value: NumberRef }
  | { dist: "gamma"; mean: NumberRef; shape: NumberRef }
  | { dist: "lognormal"; mean: NumberRef; sd: NumberRef }
  | { dist: "weibull"; shape: NumberRef; scale: NumberRef }
  | { dist: "exponential" };

/** Compartment name → duration of a stay there (or, for `model.delays`, the transmission delay). */
export type DurationsSpec = Record<string, DurationSpec>;

/** What a law is for: a stay in a compartment (`model.durations`) or a transmission delay (`model.delays`). */
export type DurationRole = "durations" | "delays";

export const DISTRIBUTIONS = ["fixed", "gamma", "lognormal", "weibull", "exponential"] as const;

/** The fields of each distribution, in the order they are written. */
export const DISTRIBUTION_FIELDS: Record<DurationSpec["dist"], readonly string[]> = {
  fixed: ["value"],
  gamma: ["mean", "shape"],
  lognormal: ["mean", "sd"],
  weibull: ["shape", "scale"],
  exponential: [],
};

/** Kinds of per-compartment samplers, as the kernel reads them. */
export const EXPONENTIAL = 0;
export const FIXED = 1;
export const GAMMA = 2;
export const LOGNORMAL = 3;
export const WEIBULL = 4;

/** Per compartment: sampler kind and its two numbers (fixed: a = value; gamma: shape, scale; lognormal: μ, σ; weibull: shape, scale). */
export interface CompiledDurations {
  readonly kind: Uint8Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** No compartment has a non-exponential law: the Markovian engines run the model unchanged. */
  readonly exponentialOnly: boolean;
  /** "E: fixed 2; I: gamma(mean 5, shape 2)" */
  readonly description: string;
}

export interface DurationProblem {
  /** Below `model.durations`: [compartment] or [compartment, field]. */
  path: string[];
  message: string;
  /** The last path segment is a key that is itself wrong (a compartment or field name). */
  atKey?: boolean;
}

const MIN_POSITIVE: Record<string, boolean> = { value: false, mean: true, shape: true, sd: true, scale: true };

/**
 * Everything wrong with a durations spec against a compiled model (compartments, exits) and its numeric
 * parameters. `timeVarying` names parameters that change with t (not allowed as a duration value).
 */
export function durationProblems(
  spec: unknown,
  model: Pick<CompiledModel, "compartments" | "susceptible" | "spontOffsets" | "inducedOffsets" | "slotOf">,
  params: Record<string, number>,
  timeVarying: readonly string[] = [],
  role: DurationRole = "durations",
): DurationProblem[] {
  const problems: DurationProblem[] = [];
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    return [{ path: [], message: "expected a mapping from compartment to a duration, e.g. { I: { dist: gamma, mean: 5, shape: 2 } }." }];
  }
  const names = model.compartments;
  for (const [name, d] of Object.entries(spec as Record<string, unknown>)) {
    const c = names.indexOf(name);
    if (c < 0) {
      problems.push({ path: [name], atKey: true, message: `unknown compartment "${name}"; compartments are ${names.join(", ")}.` });
      continue;
    }
    if (role === "delays") {
      if (model.slotOf[c] < 0) {
        problems.push({ path: [name], atKey: true, message: `"${name}" induces no transition; a transmission delay is for an infectious compartment (one that appears as "by").` });
        continue;
      }
    } else if (c === model.susceptible) {
      problems.push({ path: [name], atKey: true, message: `nodes leave "${name}" by infection, not after a period; a duration is for a compartment with one spontaneous exit.` });
      continue;
    }
    const spont = model.spontOffsets[c + 1] - model.spontOffsets[c];
    const induced = model.inducedOffsets[c + 1] - model.inducedOffsets[c];
    if (role === "durations" && (spont !== 1 || induced !== 0)) {
      const what = induced > 0 ? `${spont} spontaneous and ${induced} induced exit(s)` : `${spont} spontaneous exits`;
      problems.push({ path: [name], atKey: true, message: `"${name}" has ${what}; a duration replaces exactly one spontaneous exit (and no induced ones).` });
      continue;
    }
    if (d === null || typeof d !== "object" || Array.isArray(d)) {
      problems.push({ path: [name], message: `expected { dist: ${DISTRIBUTIONS.join(" | ")}, … }.` });
      continue;
    }
    const dist = (d as { dist?: unknown }).dist;
    if (typeof dist !== "string" || !Object.hasOwn(DISTRIBUTION_FIELDS, dist)) {
      problems.push({ path: [name, "dist"], message: `unknown distribution ${JSON.stringify(dist)}; distributions are ${DISTRIBUTIONS.join(", ")}.` });
      continue;
    }
    const fields = DISTRIBUTION_FIELDS[dist as DurationSpec["dist"]];
    for (const key of Object.keys(d)) {
      if (key !== "dist" && !fields.includes(key)) {
        const list = fields.length ? `its fields are ${fields.join(", ")}` : "it takes no fields (the rate comes from the model's params)";
        problems.push({ path: [name, key], atKey: true, message: `${dist} has no field "${key}"; ${list}.` });
      }
    }
    for (const field of fields) {
      const ref = (d as Record<string, unknown>)[field];
      const at = [name, field];
      if (ref === undefined) {
        problems.push({ path: [name], message: `${dist} needs "${field}" (fields: ${fields.join(", ")}).` });
        continue;
      }
      let value: number;
      if (typeof ref === "string") {
        if (timeVarying.includes(ref)) {
          problems.push({ path: at, message: `parameter "${ref}" changes with t; a duration needs a constant.` });
          continue;
        }
        if (!Object.hasOwn(params, ref)) {
          problems.push({ path: at, message: `unknown parameter "${ref}"; parameters are ${Object.keys(params).join(", ") || "(none)"}.` });
          continue;
        }
        value = params[ref];
      } else if (typeof ref === "number") {
        value = ref;
      } else {
        problems.push({ path: at, message: `expected a number or a parameter name, got ${JSON.stringify(ref)}.` });
        continue;
      }
      const ok = Number.isFinite(value) && (MIN_POSITIVE[field] ? value > 0 : value >= 0);
      if (!ok) {
        const from = typeof ref === "string" ? ` (parameter "${ref}")` : "";
        problems.push({ path: at, message: `must be a finite number ${MIN_POSITIVE[field] ? "> 0" : "≥ 0"}, got ${value}${from}.` });
      }
    }
  }
  return problems;
}

const num = (ref: NumberRef, params: Record<string, number>): number => (typeof ref === "string" ? params[ref] : ref);
const show = (x: number): string => String(Number(x.toPrecision(6)));

/** Validate (throwing ModelError at the first problem, with its path) and compile a durations spec. */
export function compileDurations(
  spec: DurationsSpec | undefined,
  model: CompiledModel,
  params: Record<string, number>,
  timeVarying: readonly string[] = [],
  role: DurationRole = "durations",
): CompiledDurations {
  const nComp = model.nComp;
  const kind = new Uint8Array(nComp);
  const a = new Float64Array(nComp);
  const b = new Float64Array(nComp);
  if (spec === undefined) return { kind, a, b, exponentialOnly: true, description: "" };
  const problems = durationProblems(spec, model, params, timeVarying, role);
  if (problems.length > 0) {
    const p = problems[0];
    throw new ModelError(`${["model", role, ...p.path].join(".")}: ${p.message}`);
  }
  const parts: string[] = [];
  for (const [name, d] of Object.entries(spec)) {
    const c = model.compartments.indexOf(name);
    switch (d.dist) {
      case "exponential":
        parts.push(`${name}: exponential`);
        break;
      case "fixed":
        kind[c] = FIXED;
        a[c] = num(d.value, params);
        parts.push(`${name}: fixed ${show(a[c])}`);
        break;
      case "gamma": {
        const mean = num(d.mean, params);
        const shape = num(d.shape, params);
        kind[c] = GAMMA;
        a[c] = shape;
        b[c] = mean / shape;
        parts.push(`${name}: gamma(mean ${show(mean)}, shape ${show(shape)})`);
        break;
      }
      case "lognormal": {
        const mean = num(d.mean, params);
        const sd = num(d.sd, params);
        const s2 = Math.log1p((sd * sd) / (mean * mean));
        kind[c] = LOGNORMAL;
        a[c] = Math.log(mean) - s2 / 2;
        b[c] = Math.sqrt(s2);
        parts.push(`${name}: lognormal(mean ${show(mean)}, sd ${show(sd)})`);
        break;
      }
      case "weibull":
        kind[c] = WEIBULL;
        a[c] = num(d.shape, params);
        b[c] = num(d.scale, params);
        parts.push(`${name}: weibull(shape ${show(a[c])}, scale ${show(b[c])})`);
        break;
    }
  }
  return { kind, a, b, exponentialOnly: kind.every((k) => k === EXPONENTIAL), description: parts.join("; ") };
}
