/**
 * Monte Carlo estimate of the expected spread σ(S) = E[number of nodes ever active], seeds included, under
 * the independent cascade or linear threshold model (kernels in src/engine/cascade.ts).
 *
 * Run r uses the random stream `createRandom(seed, firstStream + r)`. Estimating two seed sets with the same
 * (seed, firstStream) therefore uses common random numbers: run r of both starts from the same stream. The
 * coupling is partial — a cascade draws its coins in the order it reaches arcs, so once the two cascades
 * differ the draws no longer line up — but the estimates stay positively correlated, which shrinks the
 * variance of differences σ̂(S ∪ {v}) − σ̂(S). CELF's marginal gains are such differences.
 */
import type { CSR } from "../graph/csr.js";
import { createRandom } from "../random.js";
import { SimulationError } from "../errors.js";
import { createCascadeWorkspace, runIndependentCascade, runLinearThreshold, type CascadeWorkspace } from "../engine/cascade.js";
import type { InfluenceModel } from "./model.js";

export interface SpreadEstimate {
  /** Mean number of activated nodes (seeds included) over the runs. */
  mean: number;
  /** Standard error of the mean, sd/√R (0 for R = 1). */
  se: number;
}

export interface SpreadOptions {
  /** Number of Monte Carlo runs R ≥ 1. */
  runs: number;
  /** Seed of the random streams. */
  seed: number;
  /** Run r uses stream firstStream + r; default 1 (stream 0 is the network generator's, see src/random.ts). */
  firstStream?: number;
  /** Cascade rounds at most; default Infinity (run to the end). */
  maxRounds?: number;
  /** Reused buffers (sized csr.n). */
  workspace?: CascadeWorkspace;
}

/** σ̂(S) with its standard error from R independent cascades. */
export function estimateSpread(csr: CSR, model: InfluenceModel, seeds: Int32Array, options: SpreadOptions): SpreadEstimate {
  const { runs, seed } = options;
  if (!Number.isInteger(runs) || runs < 1) throw new SimulationError(`estimateSpread: runs must be an integer ≥ 1, got ${runs}.`);
  const firstStream = options.firstStream ?? 1;
  const maxRounds = options.maxRounds ?? Infinity;
  const ws = options.workspace ?? createCascadeWorkspace(csr.n);
  // Welford's running mean and sum of squared deviations (no cancellation for large spreads).
  let mean = 0;
  let squares = 0;
  for (let r = 0; r < runs; r++) {
    const rng = createRandom(seed, firstStream + r);
    const { activated } =
      model.kind === "independent-cascade"
        ? runIndependentCascade(csr, model.probability, seeds, maxRounds, rng, ws)
        : runLinearThreshold(csr, model.weights, seeds, maxRounds, rng, ws);
    const delta = activated - mean;
    mean += delta / (r + 1);
    squares += delta * (activated - mean);
  }
  const variance = runs > 1 ? squares / (runs - 1) : 0;
  return { mean, se: Math.sqrt(variance / runs) };
}

/** σ̂ of every prefix S_1 ⊂ S_2 ⊂ … ⊂ S_k of `seeds` (in order), each with the same streams. */
export function estimateSpreadCurve(csr: CSR, model: InfluenceModel, seeds: Int32Array, options: SpreadOptions): SpreadEstimate[] {
  const workspace = options.workspace ?? createCascadeWorkspace(csr.n);
  const curve: SpreadEstimate[] = [];
  for (let i = 1; i <= seeds.length; i++) curve.push(estimateSpread(csr, model, seeds.subarray(0, i), { ...options, workspace }));
  return curve;
}
