/**
 * `simulateField(graph | csr, spec)`: deterministic reaction–diffusion on a network (heat, Fisher–KPP,
 * metapopulation SIR, or a custom model), integrated by the adaptive Dormand–Prince RK5(4) pair
 * (engine/ode.ts) with the Laplacians of engine/laplacian.ts, returned in the v1 result schema with a
 * per-node `field`. Models: models/reaction-diffusion.ts.
 *
 * State layout: one Float64Array of length V·n, variable v at nodes 0..n−1 in [v·n, (v+1)·n). The
 * right-hand side sees per-variable subarray views, built once per buffer the integrator uses (it cycles
 * through a fixed handful), so an evaluation allocates nothing.
 */
import { checkResultSize, resolveCaps, type ResultCaps } from "../../ensemble/caps.js";
import type Graph from "graphology";
import { compile, isCSR, type CSR } from "../../graph/csr.js";
import { DormandPrince, recordTimes, type RightHandSide } from "../../engine/ode.js";
import { conservationLaw, createLaplacian, diffuse, type Laplacian, type LaplacianKind } from "../../engine/laplacian.js";
import {
  FIELD_PRESET_LIST,
  fieldPresetModel,
  resolveFieldModel,
  type FieldPresetId,
  type ReactionDiffusionModelDef,
  type ResolvedFieldModel,
} from "../../models/reaction-diffusion.js";
import { QUANTILE_LEVELS } from "../../ensemble/summary.js";
import type { SimulationResult } from "../../ensemble/assemble.js";
import type { ParameterInfo } from "../../models/presets.js";
import { ModelError, SimulationError } from "../../errors.js";

export type FieldModelSpec =
  | { preset: FieldPresetId; params?: Record<string, number>; laplacian?: LaplacianKind }
  | (ReactionDiffusionModelDef & { id?: string });

/**
 * Initial values of one variable (nodes not mentioned start at 0):
 * `{ nodes: { key: value } }` at the listed nodes; `{ all: x }` x at every node;
 * `{ uniform: total }` the amount `total` split equally, total/n at every node.
 */
export type FieldInitial = { nodes: Record<string, number> } | { all: number } | { uniform: number };

export interface FieldSpec {
  /** Shown in results. */
  name?: string;
  model: FieldModelSpec;
  /** Per variable; variables not listed start at 0 everywhere. */
  initial: Record<string, FieldInitial>;
  /** Record times are k·record, k = 0, 1, … while ≤ tmax (default record: tmax/100). */
  time: { tmax: number; record?: number };
  /** Integrator settings (defaults rtol 1e-6, atol 1e-9 in the variables' units, maxSteps 100 000). */
  tolerance?: { rtol?: number; atol?: number; maxSteps?: number; initialStep?: number; maxStep?: number };
  /** Edge attribute used as weight when a graphology graph is passed (default: unweighted). */
  weight?: string;
  /** Keep the per-node field (default true); without it only totals are returned. */
  output?: { field?: boolean };
  /** Result-size caps (defaults in ensemble/caps.ts), checked before integrating. */
  limits?: Partial<ResultCaps>;
}

/** Per-node values: `field[variable][k][i]` is the variable at node nodeIds[i] at record time k. */
export interface FieldOutput {
  nodeIds: string[];
  [variable: string]: string[] | number[][];
}

export interface FieldSolverReport {
  rtol: number;
  atol: number;
  /** Accepted and rejected steps, right-hand-side evaluations. */
  steps: number;
  rejected: number;
  evaluations: number;
  laplacian: LaplacianKind;
  /** What the Laplacian conserves on this network (before reactions). */
  conservation: string;
  /** Largest round-off negative set to 0 (only for models that are non-negative by construction). */
  maxClipped: number;
  /** The variables behind `finalSize` (final total over nodes) and `peak` (largest total), and their units. */
  finalSizeVariable: string;
  peakVariable: string;
  units?: string;
}

/** The v1 result with the per-node field and the integrator's report. */
export type FieldResult = SimulationResult & { field?: FieldOutput; solver: FieldSolverReport };

function resolveModel(spec: FieldModelSpec): { model: ResolvedFieldModel; id: string } {
  if (typeof spec !== "object" || spec === null) throw new ModelError("model: expected { preset, params?, laplacian? } or a custom model definition.");
  if ("preset" in spec) {
    return { model: resolveFieldModel(fieldPresetModel(spec.preset, spec.params ?? {}), spec.laplacian), id: spec.preset };
  }
  return { model: resolveFieldModel(spec), id: spec.id ?? "custom" };
}

function initialState(csr: CSR, model: ResolvedFieldModel, initial: Record<string, FieldInitial>): Float64Array {
  const n = csr.n;
  const y = new Float64Array(model.variables.length * n);
  if (typeof initial !== "object" || initial === null) throw new SimulationError("initial: expected an object keyed by variable name.");
  const check = (path: string, value: unknown): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || (model.nonNegative && value < 0)) {
      throw new SimulationError(`${path}: expected a finite number${model.nonNegative ? " ≥ 0 (the model is non-negative)" : ""}, got ${String(value)}.`);
    }
    return value;
  };
  for (const [name, init] of Object.entries(initial)) {
    const v = model.variables.indexOf(name);
    if (v < 0) throw new SimulationError(`initial.${name}: "${name}" is not a variable of the model; variables are ${model.variables.join(", ")}.`);
    const u = y.subarray(v * n, (v + 1) * n);
    if ("nodes" in init && typeof init.nodes === "object" && init.nodes !== null) {
      for (const [key, value] of Object.entries(init.nodes)) {
        const i = csr.index.get(key);
        if (i === undefined) throw new SimulationError(`initial.${name}.nodes: "${key}" is not a node of the network.`);
        u[i] = check(`initial.${name}.nodes.${key}`, value);
      }
    } else if ("all" in init) {
      u.fill(check(`initial.${name}.all`, init.all));
    } else if ("uniform" in init) {
      u.fill(check(`initial.${name}.uniform`, init.uniform) / n);
    } else {
      throw new SimulationError(`initial.${name}: expected { nodes: { key: value } }, { all: value } or { uniform: total }.`);
    }
  }
  return y;
}

/** du/dt for the whole state: reaction (if any), then −D_v·L·u_v added per variable. */
function rightHandSide(op: Laplacian, model: ResolvedFieldModel, n: number): RightHandSide {
  const V = model.variables.length;
  const views = new WeakMap<Float64Array, Float64Array[]>();
  const viewsOf = (buffer: Float64Array): Float64Array[] => {
    let v = views.get(buffer);
    if (v === undefined) {
      v = Array.from({ length: V }, (_, k) => buffer.subarray(k * n, (k + 1) * n));
      views.set(buffer, v);
    }
    return v;
  };
  const { reaction, params, coefficients } = model;
  return (t, y, dydt) => {
    const u = viewsOf(y);
    const out = viewsOf(dydt);
    if (reaction !== null) reaction(t, u, params, out);
    for (let v = 0; v < V; v++) {
      if (coefficients[v] !== 0) diffuse(op, coefficients[v], u[v], out[v], reaction !== null);
      else if (reaction === null) out[v].fill(0);
    }
  };
}

function total(y: Float64Array, v: number, n: number): number {
  let s = 0;
  for (let i = v * n, end = (v + 1) * n; i < end; i++) s += y[i];
  return s;
}

/**
 * Integrate a reaction–diffusion model on a network and return the v1 schema: `runs: 1`, `compartments` =
 * variable names, `mean[v]` = total of v over nodes at each record time (every quantile equals the mean:
 * the model is deterministic), and `field` with the per-node values.
 *
 * finalSize / peak: for metapopulation-sir, the final total R and the largest total I (with its time); for
 * the other presets, the final total and the largest total of the first variable (a custom model can name
 * the variables). The peak is taken over every accepted step, not only record times. `events` counts
 * accepted integrator steps (there are no stochastic events).
 *
 * Non-negativity: for models that are non-negative by construction (Fisher–KPP, metapopulation SIR, custom
 * models with `nonNegative: true`), negatives left by round-off or truncation error are set to 0 after each
 * accepted step (the derivative is then re-evaluated) and the largest such amount is reported as
 * `solver.maxClipped`. The heat equation is linear and not clipped, so it conserves its invariant exactly
 * up to round-off.
 *
 * @example
 * const result = simulateField(generateCSR({ type: "cycle", n: 20 }, 0), {
 *   model: { preset: "heat", params: { D: 1 } },
 *   initial: { u: { nodes: { "0": 1 } } },
 *   time: { tmax: 5, record: 0.5 },
 *   tolerance: { rtol: 1e-10, atol: 1e-14 },
 * });
 * (result.field!.u as number[][])[2][1]; // u at node "1", t = 1
 */
export function simulateField(network: Graph | CSR, spec: FieldSpec): FieldResult {
  const started = performance.now();
  const csr = isCSR(network) ? network : compile(network, { weight: spec.weight ?? null });
  const n = csr.n;
  if (n === 0) throw new SimulationError("simulateField: the network has no nodes.");
  const { model, id } = resolveModel(spec.model);
  const op = createLaplacian(csr, model.laplacian);
  const time = spec.time ?? ({} as FieldSpec["time"]);
  if (!(time.tmax > 0 && Number.isFinite(time.tmax))) throw new SimulationError(`time.tmax: expected a finite number > 0, got ${time.tmax}.`);
  const times = recordTimes(time.tmax, time.record ?? time.tmax / 100, "simulateField");
  const V = model.variables.length;
  const keepField = spec.output?.field ?? true;
  // One deterministic run: totals per variable (C = V) and, with output.field, every node's values.
  checkResultSize(
    { runs: 1, recordTimes: times.length, recordPath: "time.record", compartments: V, n, keptRuns: 0, perNode: 1, fieldVariables: keepField ? V : 0, history: false },
    resolveCaps(spec.limits),
  );
  const y0 = initialState(csr, model, spec.initial);
  const rtol = spec.tolerance?.rtol ?? 1e-6;
  const atol = spec.tolerance?.atol ?? 1e-9;
  const solver = new DormandPrince(rightHandSide(op, model, n), y0, 0, { ...spec.tolerance, rtol, atol });

  const peakVar = model.peakVariable;
  let peak = total(solver.y, peakVar, n);
  let peakTime = 0;
  let maxClipped = 0;
  solver.afterStep = (t, y) => {
    let clipped = false;
    if (model.nonNegative) {
      for (let i = 0; i < y.length; i++) {
        if (y[i] < 0) {
          if (-y[i] > maxClipped) maxClipped = -y[i];
          y[i] = 0;
          clipped = true;
        }
      }
    }
    const p = total(y, peakVar, n);
    if (p > peak) {
      peak = p;
      peakTime = t;
    }
    return clipped;
  };

  const mean: Record<string, number[]> = {};
  const field: FieldOutput = { nodeIds: csr.nodeIds };
  for (const name of model.variables) {
    mean[name] = [];
    if (keepField) field[name] = [];
  }
  for (let k = 0; k < times.length; k++) {
    if (k > 0) solver.advanceTo(times[k]);
    const y = solver.y;
    model.variables.forEach((name, v) => {
      mean[name].push(total(y, v, n));
      if (keepField) (field[name] as number[][]).push(Array.from(y.subarray(v * n, (v + 1) * n)));
    });
  }

  const quantiles: Record<string, Record<string, number[]>> = {};
  for (const name of model.variables) quantiles[name] = Object.fromEntries(QUANTILE_LEVELS.map((q) => [String(q), [...mean[name]]]));
  const finalSize = mean[model.variables[model.finalSizeVariable]].at(-1)!;
  const { steps, rejected, evaluations } = solver.stats;
  const conservation = conservationLaw(op);
  const units = FIELD_PRESET_LIST.find((p) => p.id === id)?.units;
  const result: FieldResult = {
    schemaVersion: 1,
    scenario: spec.name ?? id,
    seed: 0,
    runs: 1,
    n,
    model: id,
    compartments: [...model.variables],
    times,
    mean,
    quantiles,
    finalSize: { mean: finalSize, sd: 0, values: [finalSize] },
    peak: { mean: peak, sd: 0, values: [peak], time: { mean: peakTime, sd: 0, values: [peakTime] } },
    events: { mean: steps, total: steps },
    elapsedMs: 0,
    engine: {
      name: `Dormand–Prince RK5(4), adaptive, rtol ${rtol}, atol ${atol}, steps to record times`,
      semantics:
        `deterministic reaction–diffusion ODE du_v/dt = −D_v·L·u_v + f_v(u) at every node; L: ${model.laplacian} Laplacian (${conservation} by diffusion)` +
        (model.nonNegative ? "; round-off negatives clipped to 0 after each accepted step" : ""),
    },
    solver: {
      rtol, atol, steps, rejected, evaluations, laplacian: model.laplacian, conservation, maxClipped,
      finalSizeVariable: model.variables[model.finalSizeVariable],
      peakVariable: model.variables[peakVar],
      ...(units === undefined ? {} : { units }),
    },
  };
  if (keepField) result.field = field;
  result.elapsedMs = performance.now() - started;
  return result;
}

/** A registry entry for a reaction–diffusion preset (same shape as families/registry.ts `ModelEntry`, with a field run). */
export interface FieldModelEntry {
  id: FieldPresetId;
  family: "reaction-diffusion";
  description: string;
  compartments: string[];
  parameters: ParameterInfo[];
  units: string;
  laplacian: LaplacianKind;
  run(network: Graph | CSR, spec: Omit<FieldSpec, "model"> & { params?: Record<string, number>; laplacian?: LaplacianKind }): FieldResult;
}

/** Every reaction–diffusion preset as a registry entry (for `MODELS` in families/registry.ts). */
export const FIELD_MODELS: readonly FieldModelEntry[] = FIELD_PRESET_LIST.map((preset) => ({
  id: preset.id,
  family: "reaction-diffusion",
  description: preset.description,
  compartments: [...preset.variables],
  parameters: preset.parameters.map((p) => ({ ...p })),
  units: preset.units,
  laplacian: preset.laplacian,
  run: (network, { params, laplacian, ...rest }) => simulateField(network, { ...rest, model: { preset: preset.id, params, laplacian } }),
}));
