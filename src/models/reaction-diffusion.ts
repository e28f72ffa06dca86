/**
 * Reaction–diffusion models on networks, as data: variables, one diffusion coefficient per variable, the
 * Laplacian kind, parameters with defaults and units, and a reaction term. Each variable v obeys
 *     du_v/dt = −D_v·L·u_v + f_v(t, u, params)         (per node; L from engine/laplacian.ts)
 *   [Reference] Fisher, R. A. (1937). "The wave of advance of advantageous genes." Ann. Eugenics 7, 355–369;
 *   Kolmogorov, A.; Petrovsky, I.; Piskunov, N. (1937). Bull. Moscow Univ. Math. Mech. 1, 1–26.
 *   [Reference] Colizza, V.; Pastor-Satorras, R.; Vespignani, A. (2007). "Reaction–diffusion processes and
 *   metapopulation models in heterogeneous networks." Nature Physics 3, 276–282.
 *   [Reference] Keeling, M. J.; Rohani, P. (2008). Modeling Infectious Diseases in Humans and Animals,
 *   Princeton, ch. 7 (metapopulations; frequency-dependent transmission βSI/N).
 *
 * The reaction is a vectorised function over all nodes, the form that compiled (mathjs) expressions will
 * take: `reaction(t, u, params, out)` reads u[v][i] (variable v at node i) and must WRITE every out[v][i]
 * (it is not pre-zeroed). A per-node form `nodeReaction(t, values, params, rates)` is accepted too and
 * wrapped once (no allocation per call). This module defines models only; engine/ and
 * src/families/field/ advance time.
 */
import type { ParameterInfo } from "./presets.js";
import { ModelError } from "../errors.js";

/** Which graph Laplacian diffuses the variables (engine/laplacian.ts gives each one's definition). */
export type LaplacianKind = "combinatorial" | "random-walk" | "symmetric" | "random-walk-flux";

export const LAPLACIAN_KINDS: readonly LaplacianKind[] = ["combinatorial", "random-walk", "symmetric", "random-walk-flux"];

/** Vectorised reaction: write f_v(t, u, params) at every node into out[v] (arrays of length n). */
export type Reaction = (t: number, u: readonly Float64Array[], params: Readonly<Record<string, number>>, out: Float64Array[]) => void;

/** Per-node reaction: `values[v]` is variable v at one node; write its rates into `rates[v]`. */
export type NodeReaction = (t: number, values: Float64Array, params: Readonly<Record<string, number>>, rates: Float64Array) => void;

export interface ReactionDiffusionModelDef {
  /** Variable names, in result order (e.g. ["S", "I", "R"]). "nodeIds" is reserved. */
  variables: string[];
  /** Diffusion coefficient per variable: a number ≥ 0 or the name of a parameter. Missing: 0. */
  diffusion: Record<string, number | string>;
  /** Laplacian kind (default "combinatorial"). */
  laplacian?: LaplacianKind;
  /** Parameter values. */
  params?: Record<string, number>;
  /** Vectorised reaction term; omit (with nodeReaction) for pure diffusion. */
  reaction?: Reaction;
  /** Per-node reaction term, used when `reaction` is absent. */
  nodeReaction?: NodeReaction;
  /**
   * The exact solution stays ≥ 0 from non-negative data (true for the presets with a reaction). The
   * integrator then clips round-off negatives after each accepted step and reports the largest clipped amount.
   */
  nonNegative?: boolean;
  /** Variables whose totals give `finalSize` (final total) and `peak` (largest total); default: the first. */
  finalSizeVariable?: string;
  peakVariable?: string;
}

export type FieldPresetId = "heat" | "fisher-kpp" | "metapopulation-sir";

export interface FieldPresetInfo {
  id: FieldPresetId;
  family: "reaction-diffusion";
  description: string;
  variables: string[];
  /** What a variable's value means, with its unit. */
  units: string;
  parameters: ParameterInfo[];
  laplacian: LaplacianKind;
  /** The model with these (complete) parameter values. */
  build(params: Record<string, number>): ReactionDiffusionModelDef;
}

const D: ParameterInfo = { name: "D", default: 1, unit: "1/time per unit edge weight", description: "diffusion coefficient: rate of exchange along each edge per unit difference", min: 0 };
const growth: ParameterInfo = { name: "r", default: 1, unit: "1/time", description: "logistic growth rate (carrying capacity 1)", min: 0 };
const mobility = (v: string): ParameterInfo => ({ name: `mobility${v}`, default: 0.05, unit: "1/day", description: `per-capita travel rate of ${v} individuals (each leaves its region at this rate along an edge chosen by weight)`, min: 0 });

/** Fisher–KPP reaction r·u·(1 − u). */
const logistic: Reaction = (_t, u, params, out) => {
  const r = params.r;
  const x = u[0];
  const y = out[0];
  for (let i = 0; i < x.length; i++) y[i] = r * x[i] * (1 - x[i]);
};

/** Frequency-dependent SIR per region: infection β·S·I/N with N = S + I + R local (0 where N = 0). */
const regionalSIR: Reaction = (_t, u, params, out) => {
  const { beta, gamma } = params;
  const [S, I, R] = u;
  const [dS, dI, dR] = out;
  for (let i = 0; i < S.length; i++) {
    const N = S[i] + I[i] + R[i];
    const infection = N > 0 ? (beta * S[i] * I[i]) / N : 0;
    const recovery = gamma * I[i];
    dS[i] = -infection;
    dI[i] = infection - recovery;
    dR[i] = recovery;
  }
};

export const FIELD_PRESETS: Record<FieldPresetId, FieldPresetInfo> = {
  heat: {
    id: "heat",
    family: "reaction-diffusion",
    description: "Heat equation du/dt = −D·L·u: pure diffusion (no reaction).",
    variables: ["u"],
    units: "u: amount or concentration per node (any unit)",
    parameters: [D],
    laplacian: "combinatorial",
    build: (params) => ({ variables: ["u"], diffusion: { u: "D" }, params: { ...params } }),
  },
  "fisher-kpp": {
    id: "fisher-kpp",
    family: "reaction-diffusion",
    description: "Fisher–KPP du/dt = −D·L·u + r·u·(1 − u): logistic growth that invades as a travelling front.",
    variables: ["u"],
    units: "u: density relative to the carrying capacity (0..1)",
    parameters: [D, growth],
    laplacian: "combinatorial",
    build: (params) => ({ variables: ["u"], diffusion: { u: "D" }, params: { ...params }, reaction: logistic, nonNegative: true }),
  },
  "metapopulation-sir": {
    id: "metapopulation-sir",
    family: "reaction-diffusion",
    description:
      "SIR in each region (node), frequency-dependent: S' = −βSI/N, I' = βSI/N − γI, R' = γI with N = S + I + R of the region; individuals travel between connected regions, each compartment at its own per-capita rate.",
    variables: ["S", "I", "R"],
    units: "S, I, R: numbers of people in each region (counts; fractional values are expected)",
    parameters: [
      { name: "beta", default: 0.3, unit: "1/day", description: "per-capita transmission rate within a region (contacts × probability)", min: 0 },
      { name: "gamma", default: 0.1, unit: "1/day", description: "recovery rate (1 / mean infectious period)", min: 0 },
      mobility("S"),
      mobility("I"),
      mobility("R"),
    ],
    laplacian: "random-walk-flux",
    build: (params) => ({
      variables: ["S", "I", "R"],
      diffusion: { S: "mobilityS", I: "mobilityI", R: "mobilityR" },
      params: { ...params },
      reaction: regionalSIR,
      nonNegative: true,
      finalSizeVariable: "R",
      peakVariable: "I",
    }),
  },
};

/** Presets in display order, for the model registry (CLI, REST `/v1/models`, dashboard forms). */
export const FIELD_PRESET_LIST: readonly FieldPresetInfo[] = [FIELD_PRESETS.heat, FIELD_PRESETS["fisher-kpp"], FIELD_PRESETS["metapopulation-sir"]];

/** A preset's model with defaults filled in and `params` checked (ModelError on unknown or invalid values). */
export function fieldPresetModel(id: FieldPresetId, params: Record<string, number> = {}): ReactionDiffusionModelDef {
  const preset = FIELD_PRESETS[id];
  if (preset === undefined) {
    throw new ModelError(`model.preset: unknown reaction–diffusion preset "${String(id)}"; presets are ${Object.keys(FIELD_PRESETS).join(", ")}.`);
  }
  const values: Record<string, number> = {};
  for (const p of preset.parameters) values[p.name] = p.default;
  for (const [name, value] of Object.entries(params)) {
    const info = preset.parameters.find((p) => p.name === name);
    if (info === undefined) {
      throw new ModelError(`model.params.${name}: ${id} has no parameter "${name}"; its parameters are ${preset.parameters.map((p) => p.name).join(", ")}.`);
    }
    if (typeof value !== "number" || !Number.isFinite(value) || (info.min !== undefined && value < info.min) || (info.max !== undefined && value > info.max)) {
      throw new ModelError(`model.params.${name}: expected a finite number${info.min !== undefined ? ` ≥ ${info.min}` : ""} (${info.unit}), got ${value}.`);
    }
    values[name] = value;
  }
  return preset.build(values);
}

/** A checked model with diffusion coefficients resolved to numbers and the reaction in vectorised form. */
export interface ResolvedFieldModel {
  variables: string[];
  coefficients: Float64Array;
  laplacian: LaplacianKind;
  params: Readonly<Record<string, number>>;
  reaction: Reaction | null;
  nonNegative: boolean;
  finalSizeVariable: number;
  peakVariable: number;
}

/** Validate a definition (ModelError naming the field) and resolve it for the integrator. */
export function resolveFieldModel(def: ReactionDiffusionModelDef, laplacian?: LaplacianKind): ResolvedFieldModel {
  const { variables } = def;
  if (!Array.isArray(variables) || variables.length === 0 || variables.some((v) => typeof v !== "string" || v === "")) {
    throw new ModelError("model.variables: expected a non-empty list of variable names.");
  }
  if (new Set(variables).size !== variables.length) throw new ModelError(`model.variables: names must be distinct, got ${variables.join(", ")}.`);
  if (variables.includes("nodeIds")) throw new ModelError('model.variables: "nodeIds" is reserved (it names the node list of the field output); rename the variable.');
  const params: Record<string, number> = { ...(def.params ?? {}) };
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== "number" || !Number.isFinite(value)) throw new ModelError(`model.params.${name}: expected a finite number, got ${value}.`);
  }
  for (const key of Object.keys(def.diffusion ?? {})) {
    if (!variables.includes(key)) throw new ModelError(`model.diffusion.${key}: "${key}" is not a variable; variables are ${variables.join(", ")}.`);
  }
  const coefficients = Float64Array.from(variables, (v) => {
    const raw = def.diffusion?.[v] ?? 0;
    const value = typeof raw === "string" ? params[raw] : raw;
    if (typeof raw === "string" && value === undefined) throw new ModelError(`model.diffusion.${v}: parameter "${raw}" is not defined in model.params.`);
    if (!(typeof value === "number" && value >= 0 && Number.isFinite(value))) throw new ModelError(`model.diffusion.${v}: expected a finite coefficient ≥ 0, got ${value}.`);
    return value;
  });
  const kind = laplacian ?? def.laplacian ?? "combinatorial";
  if (!LAPLACIAN_KINDS.includes(kind)) throw new ModelError(`model.laplacian: unknown kind "${String(kind)}"; expected one of ${LAPLACIAN_KINDS.join(", ")}.`);
  let reaction: Reaction | null = null;
  if (def.reaction !== undefined) {
    if (typeof def.reaction !== "function") throw new ModelError("model.reaction: expected a function (t, u, params, out) => void.");
    reaction = def.reaction;
  } else if (def.nodeReaction !== undefined) {
    if (typeof def.nodeReaction !== "function") throw new ModelError("model.nodeReaction: expected a function (t, values, params, rates) => void.");
    reaction = vectorise(def.nodeReaction, variables.length);
  }
  const pick = (field: "finalSizeVariable" | "peakVariable") => {
    const name = def[field] ?? variables[0];
    const index = variables.indexOf(name);
    if (index < 0) throw new ModelError(`model.${field}: "${name}" is not a variable; variables are ${variables.join(", ")}.`);
    return index;
  };
  return {
    variables: [...variables],
    coefficients,
    laplacian: kind,
    params: Object.freeze(params),
    reaction,
    nonNegative: def.nonNegative ?? false,
    finalSizeVariable: pick("finalSizeVariable"),
    peakVariable: pick("peakVariable"),
  };
}

/** Wrap a per-node reaction as a vectorised one; the two scratch vectors are allocated once, here. */
export function vectorise(nodeReaction: NodeReaction, variableCount: number): Reaction {
  const values = new Float64Array(variableCount);
  const rates = new Float64Array(variableCount);
  return (t, u, params, out) => {
    const n = u[0].length;
    for (let i = 0; i < n; i++) {
      for (let v = 0; v < variableCount; v++) values[v] = u[v][i];
      rates.fill(0);
      nodeReaction(t, values, params, rates);
      for (let v = 0; v < variableCount; v++) out[v][i] = rates[v];
    }
  };
}
