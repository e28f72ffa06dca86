/**
 * One entry point for every family: `runModel(network, spec)` runs a compartmental simulation, a cascade
 * (independent cascade, linear threshold) or a reaction–diffusion field, chosen by `spec.family`, and
 * returns the v1 result. The CLI and (later) the REST API call this; the families stay independent.
 */
import { availableParallelism } from "node:os";
import type Graph from "graphology";
import type { CSR } from "./graph/csr.js";
import { simulate, type SimulationResult, type SimulationSpec } from "./simulate.js";
import { simulateCascade, type CascadeSpec } from "./cascade.js";
import { simulateField, type FieldSpec } from "./reaction-diffusion.js";
import { simulateEnsemble, type EnsembleOptions } from "./ensemble/pool.js";

export type AnySpec =
  | ({ family?: "compartmental" } & SimulationSpec)
  | ({ family: "cascade" } & CascadeSpec)
  | ({ family: "field" } & FieldSpec);

/** Run any family's spec, serially in this thread. */
export function runModel(network: Graph | CSR, spec: AnySpec): SimulationResult {
  switch (spec.family) {
    case "cascade":
      return simulateCascade(network, spec);
    case "field":
      return simulateField(network, spec);
    default:
      return simulate(network, spec);
  }
}

/**
 * Run any family's spec, ensembles over the worker pool (same result as `runModel`). Fields are
 * deterministic single runs and stay in this thread; so do specs that read node attributes.
 */
export async function runModelParallel(network: Graph | CSR, spec: AnySpec, options: EnsembleOptions = {}): Promise<SimulationResult> {
  const runs = spec.family === "field" ? 1 : spec.runs ?? 1;
  if (spec.family === "field") return runModel(network, spec);
  if (spec.family === "cascade" && spec.model.type === "linear-threshold" && spec.model.thresholds) return runModel(network, spec);
  // Off this thread: a worker can be terminated mid-run; naming `workers` skips the pool's in-thread shortcut.
  if (options.offThread) return simulateEnsemble(network, spec, { ...options, workers: Math.min(runs, options.workers ?? availableParallelism()) });
  if (runs === 1 || options.workers === 1) return runModel(network, spec);
  return simulateEnsemble(network, spec, options);
}
