/**
 * One entry point for every family: `runModel(network, spec)` runs a compartmental simulation, a cascade
 * (independent cascade, linear threshold) or a reaction–diffusion field, chosen by `spec.family`, and
 * returns the v1 result. The CLI and the REST API call this; the families are reached through their list
 * (families/index.ts) and contract, never one by one.
 */
import { availableParallelism } from "node:os";
import type Graph from "graphology";
import type { CSR } from "./graph/csr.js";
import { isDistributable, runFamily, type AnySpec, type SimulationResult } from "./families/index.js";
import { simulateEnsemble, type EnsembleOptions } from "./ensemble/pool.js";

export type { AnySpec } from "./families/index.js";

/** Run any family's spec, serially in this thread. */
export function runModel(network: Graph | CSR, spec: AnySpec): SimulationResult {
  return runFamily(network, spec);
}

/**
 * Run any family's spec, ensembles over the worker pool (same result as `runModel`). Fields are
 * deterministic single runs and stay in this thread; so do specs that read node attributes.
 */
export async function runModelParallel(network: Graph | CSR, spec: AnySpec, options: EnsembleOptions = {}): Promise<SimulationResult> {
  if (!isDistributable(spec)) return runModel(network, spec);
  const runs = spec.runs ?? 1;
  // Off this thread: a worker can be terminated mid-run; naming `workers` skips the pool's in-thread shortcut.
  if (options.offThread) return simulateEnsemble(network, spec, { ...options, workers: Math.min(runs, options.workers ?? availableParallelism()) });
  if (runs === 1 || options.workers === 1) return runModel(network, spec);
  return simulateEnsemble(network, spec, options);
}
