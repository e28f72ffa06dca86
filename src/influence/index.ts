/**
 * Influence maximisation: choose k seed nodes maximising the expected spread σ(S) under the independent
 * cascade (IC) or linear threshold (LT) model (Kempe, Kleinberg & Tardos 2003). One entry point,
 * `maximizeInfluence`, runs any method and scores its seeds the same way:
 *
 *  | method            | file          | guarantee                                  | cost                       |
 *  |-------------------|---------------|--------------------------------------------|----------------------------|
 *  | "celf"            | celf.ts       | (1 − 1/e)·OPT up to Monte Carlo error      | ≥ n·R cascades             |
 *  | "imm"             | imm.ts        | (1 − 1/e − ε)·OPT w.p. ≥ 1 − 1/n^ℓ          | O((k + ℓ)(n + m) log n/ε²)   |
 *  | "degree"          | heuristics.ts | none                                       | O(n log n)                 |
 *  | "pagerank"        | heuristics.ts | none                                       | O(iterations · m)          |
 *  | "degree-discount" | heuristics.ts | none (IC only)                             | O(k·n + k·d_max)           |
 *
 * Random streams of `seed` (src/random.ts): CELF run r uses stream 1 + r, IMM draws every RR set from
 * stream IMM_STREAM, and the evaluation run r uses stream EVALUATION_STREAM + r. The evaluation is thus
 * independent of the selection (no optimistic bias from re-using CELF's runs), and two calls with the same
 * seed, model and evaluationRuns score their seed sets on identical streams, so methods compare on common
 * random numbers.
 */
import type { CSR } from "../graph/csr.js";
import { ModelError, SimulationError } from "../errors.js";
import { checkSeed, createRandom } from "../random.js";
import { independentCascadeModel, linearThresholdModel, INFLUENCE_MODELS, type InfluenceModel, type InfluenceModelKind } from "./model.js";
import { estimateSpreadCurve, type SpreadEstimate } from "./spread.js";
import { celf } from "./celf.js";
import { imm } from "./imm.js";
import { degreeDiscount, topByDegree, topByPageRank } from "./heuristics.js";

export type InfluenceMethod = "celf" | "imm" | "degree" | "pagerank" | "degree-discount";
export const INFLUENCE_METHODS: readonly InfluenceMethod[] = ["celf", "imm", "degree", "pagerank", "degree-discount"];

/** First stream of IMM's RR sampling. */
export const IMM_STREAM = 2 ** 29;
/** First stream of the final Monte Carlo evaluation. */
export const EVALUATION_STREAM = 2 ** 30;
export const DEFAULT_RUNS = 1000;

export interface InfluenceSpec {
  model: InfluenceModelKind;
  /**
   * IC activation probability: one number for every arc, or one per arc (indexed like csr.targets).
   * Default: the weighted cascade p(u→v) = 1/in-degree(v) (Kempe et al. 2003, §4; Chen et al. 2009).
   */
  probability?: number | Float32Array | Float64Array;
  /** LT arc weights (Σ_u w(u→v) ≤ 1); default 1/in-degree(v). */
  weights?: Float32Array | Float64Array;
  /** Number of seeds, 1 ≤ k ≤ n. */
  k: number;
  method: InfluenceMethod;
  /** IMM's ε ∈ (0, 1); default 0.5 (see imm.ts). */
  epsilon?: number;
  /** IMM's ℓ > 0; default 1. */
  ell?: number;
  /** Monte Carlo runs per CELF estimate, and of the final evaluation unless evaluationRuns is given; default 1000. */
  runs?: number;
  /** Monte Carlo runs of the final evaluation; default `runs`. 0 skips it (spread is then empty). */
  evaluationRuns?: number;
  /** Seed of every random stream used (non-negative integer). */
  seed: number;
}

export interface InfluenceResult {
  method: InfluenceMethod;
  model: InfluenceModelKind;
  /** Node keys of the seeds, in selection order. */
  seeds: string[];
  /** Node indices of the seeds, in selection order. */
  seedIndices: Int32Array;
  /** Fresh Monte Carlo σ̂ of the first i seeds, i = 1..k (same streams for every method). */
  spread: SpreadEstimate[];
  /** IMM: number of RR sets drawn for the final selection. */
  rrSets?: number;
  /** Time to select the seeds (evaluation excluded). */
  elapsedMs: number;
  /** Time of the final evaluation. */
  evaluationMs: number;
}

function checkRuns(name: string, runs: number, allowZero: boolean): number {
  if (!Number.isInteger(runs) || runs < (allowZero ? 0 : 1) || runs > IMM_STREAM) {
    throw new SimulationError(`maximizeInfluence: ${name} must be an integer ≥ ${allowZero ? 0 : 1} (and ≤ 2^29), got ${runs}.`);
  }
  return runs;
}

/** Resolve the spec's model: ModelError for an unknown model or bad probabilities/weights. */
export function resolveInfluenceModel(csr: CSR, spec: Pick<InfluenceSpec, "model" | "probability" | "weights">): InfluenceModel {
  const caller = "maximizeInfluence";
  if (spec.model === "independent-cascade") {
    if (spec.weights !== undefined) throw new ModelError(`${caller}: "weights" are for the linear-threshold model; give IC activation probabilities as "probability".`);
    if (spec.probability !== undefined) return independentCascadeModel(csr, spec.probability, caller);
    const inDegree = new Int32Array(csr.n);
    for (let a = 0; a < csr.m; a++) inDegree[csr.targets[a]]++;
    const weighted = new Float64Array(csr.m);
    for (let a = 0; a < csr.m; a++) weighted[a] = 1 / inDegree[csr.targets[a]];
    return { kind: "independent-cascade", probability: weighted };
  }
  if (spec.model === "linear-threshold") {
    if (spec.probability !== undefined) throw new ModelError(`${caller}: "probability" is for the independent-cascade model; give LT arc weights as "weights".`);
    return linearThresholdModel(csr, spec.weights ?? null);
  }
  throw new ModelError(`${caller}: unknown model "${String(spec.model)}"; expected one of ${INFLUENCE_MODELS.join(", ")}.`);
}

/** Choose k seeds with the given method and score every prefix of them with a fresh Monte Carlo estimate. */
export function maximizeInfluence(csr: CSR, spec: InfluenceSpec): InfluenceResult {
  const caller = "maximizeInfluence";
  const { k, method } = spec;
  if (!INFLUENCE_METHODS.includes(method)) {
    throw new SimulationError(`${caller}: unknown method "${String(method)}"; expected one of ${INFLUENCE_METHODS.join(", ")}.`);
  }
  if (!Number.isInteger(k) || k < 1 || k > csr.n) {
    throw new SimulationError(`${caller}: k must be an integer in 1 .. ${csr.n} (the number of nodes), got ${k}.`);
  }
  const seed = checkSeed(spec.seed, `${caller}: seed`);
  const runs = checkRuns("runs", spec.runs ?? DEFAULT_RUNS, false);
  const evaluationRuns = checkRuns("evaluationRuns", spec.evaluationRuns ?? runs, true);
  const model = resolveInfluenceModel(csr, spec);

  const start = performance.now();
  let seeds: Int32Array;
  let rrSets: number | undefined;
  switch (method) {
    case "celf":
      seeds = celf(csr, model, { k, runs, seed, firstStream: 1 }).seeds;
      break;
    case "imm": {
      const result = imm(csr, model, createRandom(seed, IMM_STREAM), { k, epsilon: spec.epsilon, ell: spec.ell });
      seeds = result.seeds;
      rrSets = result.rrSets;
      break;
    }
    case "degree":
      seeds = topByDegree(csr, k);
      break;
    case "pagerank":
      // Rank along the model's arc strengths: IC probabilities or LT weights (uniform p: plain PageRank).
      seeds = topByPageRank(csr, k, {
        weights: model.kind === "linear-threshold" ? model.weights : typeof model.probability === "number" ? null : model.probability,
      });
      break;
    case "degree-discount": {
      if (model.kind !== "independent-cascade") {
        throw new SimulationError(`${caller}: degree-discount is derived for the independent cascade; for linear-threshold use "degree", "pagerank", "imm" or "celf".`);
      }
      const p = model.probability;
      let mean = 0;
      if (typeof p === "number") mean = p;
      else if (p.length > 0) {
        for (let a = 0; a < p.length; a++) mean += p[a];
        mean /= p.length;
      }
      seeds = degreeDiscount(csr, k, mean);
      break;
    }
  }
  const elapsedMs = performance.now() - start;

  const evaluationStart = performance.now();
  const spread = evaluationRuns === 0 ? [] : estimateSpreadCurve(csr, model, seeds, { runs: evaluationRuns, seed, firstStream: EVALUATION_STREAM });
  const evaluationMs = performance.now() - evaluationStart;
  return {
    method,
    model: model.kind,
    seeds: Array.from(seeds, (v) => csr.nodeIds[v]),
    seedIndices: seeds,
    spread,
    ...(rrSets !== undefined ? { rrSets } : {}),
    elapsedMs,
    evaluationMs,
  };
}

export type { InfluenceModel, InfluenceModelKind } from "./model.js";
export { independentCascadeModel, linearThresholdModel } from "./model.js";
export type { SpreadEstimate, SpreadOptions } from "./spread.js";
export { estimateSpread, estimateSpreadCurve } from "./spread.js";
export { celf, type CelfOptions, type CelfResult } from "./celf.js";
export { imm, selectByCoverage, IMM_DEFAULT_EPSILON, type IMMOptions, type IMMResult } from "./imm.js";
export { RRSampler, RRSets, inArcs, rrSpreadEstimate, type InArcs } from "./rr-sets.js";
export { pagerank, topByDegree, topByPageRank, degreeDiscount, type PageRankOptions } from "./heuristics.js";
