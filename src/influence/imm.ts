/**
 * IMM: influence maximisation by reverse-reachable sampling with a martingale stopping rule.
 * [Reference] Tang, Y., Shi, Y. & Xiao, X. (2015). "Influence maximization in near-linear time: a
 * martingale approach." SIGMOD 2015, 1539–1554. Algorithms 1 (NodeSelection), 2 (Sampling) and 3 (IMM).
 *
 * With probability ≥ 1 − 1/n^ℓ the returned S satisfies σ(S) ≥ (1 − 1/e − ε)·OPT, for
 * θ = λ* / LB RR sets, where (equations 6 and 9 of the paper, logs natural)
 *   λ* = 2n·((1 − 1/e)·α + β)² / ε²,  α = √(ℓ ln n + ln 2),  β = √((1 − 1/e)·(ln C(n,k) + ℓ ln n + ln 2)),
 *   λ′ = (2 + 2ε′/3)·(ln C(n,k) + ℓ ln n + ln log₂ n)·n / ε′²,  ε′ = √2·ε,
 * and LB ≤ OPT is found by the doubling search of Algorithm 2: for x = n/2, n/4, …, draw λ′/x sets,
 * run the greedy, and stop at the first x with n·F_R(S) ≥ (1 + ε′)·x, giving LB = n·F_R(S)/(1 + ε′).
 * Algorithm 3 first sets ℓ ← ℓ·(1 + ln 2/ln n) so that both phases together fail with probability ≤ 1/n^ℓ.
 *
 * Default ε = 0.5, the largest value in the range the RIS papers experiment with (0.1 … 0.5): the number
 * of sets grows as 1/ε², while (1 − 1/e − ε) is a worst-case bound from union and martingale tail bounds,
 * not the typical gap. The price is the RR estimate's own noise, a few per cent of σ at ε = 0.5: on
 * bench/influence.bench.ts (BA n = 10⁴, IC p = 0.05) ε = 0.5 finds spreads 7% below ε = 0.1's at k = 1 and
 * 1–3% below for k ≥ 5, at 1/10 of the time. Use ε = 0.1 when the guarantee or the last per cent matters.
 *
 * As in the paper, the final sets extend those drawn while searching for LB. Chen, W. (2018), "An issue in
 * the martingale analysis of the influence maximization algorithm IMM" (CSoNet 2018), shows this reuse
 * breaks the martingale argument and that drawing the final θ sets afresh restores the guarantee:
 * `freshFinalSample: true` does that, discarding the search's sets.
 */
import type { CSR } from "../graph/csr.js";
import type { Random } from "../random.js";
import { SimulationError } from "../errors.js";
import type { InfluenceModel } from "./model.js";
import { RRSampler, RRSets, type InArcs } from "./rr-sets.js";

export const IMM_DEFAULT_EPSILON = 0.5;
export const IMM_DEFAULT_ELL = 1;

export interface IMMOptions {
  /** Number of seeds, 1 ≤ k ≤ n. */
  k: number;
  /** Approximation slack ε ∈ (0, 1); default 0.5. */
  epsilon?: number;
  /** Failure probability 1/n^ℓ; ℓ > 0, default 1 (adjusted by 1 + ln 2/ln n, Algorithm 3). */
  ell?: number;
  /** Draw the final θ sets afresh instead of extending the search's sets (Chen 2018); default false. */
  freshFinalSample?: boolean;
  /** Cap on stored RR-set entries (memory guard); default 2^28. */
  maxMembers?: number;
  /** A prebuilt transpose of the CSR, to share between calls. */
  transpose?: InArcs;
}

export interface IMMResult {
  /** Seed node indices in greedy selection order. */
  seeds: Int32Array;
  /** IMM's own estimate n·F_R(S) on the final RR sets (optimistic: S was chosen on the same sets). */
  spread: number;
  /** Number of RR sets in the final collection. */
  rrSets: number;
  /** Total node entries over the final RR sets. */
  rrMembers: number;
  /** Lower bound LB of OPT from the doubling search (1 when the search never stopped early). */
  lowerBound: number;
  /** θ = λ* / LB. */
  theta: number;
}

/** ln C(n, k), exact summation (k ≤ n). */
export function logBinomial(n: number, k: number): number {
  k = Math.min(k, n - k);
  let sum = 0;
  for (let i = 0; i < k; i++) sum += Math.log(n - i) - Math.log(i + 1);
  return sum;
}

/**
 * Algorithm 1, NodeSelection: greedy maximum coverage over the RR sets. Node → set incidence lists are
 * built once; choosing a node marks its uncovered sets covered and lowers the coverage count of their
 * other members, so a selection step costs O(n) for the argmax plus the members it uncovers.
 * Ties go to the lower node index. Returns the seeds in selection order and the number of sets covered.
 */
export function selectByCoverage(sets: RRSets, k: number): { seeds: Int32Array; covered: number } {
  const { n, count, members, offsets } = sets;
  const size = offsets[count];
  const coverage = new Int32Array(n);
  for (let j = 0; j < size; j++) coverage[members[j]]++;
  const incidenceOffsets = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) incidenceOffsets[v + 1] = incidenceOffsets[v] + coverage[v];
  const incidence = new Int32Array(size);
  const fill = incidenceOffsets.slice(0, n);
  for (let s = 0; s < count; s++) {
    for (let j = offsets[s]; j < offsets[s + 1]; j++) incidence[fill[members[j]]++] = s;
  }
  const isCovered = new Uint8Array(count);
  const chosen = new Uint8Array(n);
  const seeds = new Int32Array(k);
  let covered = 0;
  for (let i = 0; i < k; i++) {
    let best = -1;
    let bestCoverage = -1;
    for (let v = 0; v < n; v++) {
      if (coverage[v] > bestCoverage && chosen[v] === 0) {
        best = v;
        bestCoverage = coverage[v];
      }
    }
    seeds[i] = best;
    chosen[best] = 1;
    for (let t = incidenceOffsets[best]; t < incidenceOffsets[best + 1]; t++) {
      const s = incidence[t];
      if (isCovered[s]) continue;
      isCovered[s] = 1;
      covered++;
      for (let j = offsets[s]; j < offsets[s + 1]; j++) coverage[members[j]]--;
    }
  }
  return { seeds, covered };
}

/** Append sets until there are more than `theta` (the paper's "while |R| ≤ θ"). */
function sampleBeyond(sampler: RRSampler, sets: RRSets, theta: number, rng: Random): void {
  const target = Math.floor(theta) + 1;
  if (sets.count < target) sampler.sample(sets, target - sets.count, rng);
}

/** Run IMM (Algorithm 3) on `csr` under `model`, drawing every RR set from `rng`. */
export function imm(csr: CSR, model: InfluenceModel, rng: Random, options: IMMOptions): IMMResult {
  const caller = "imm";
  const n = csr.n;
  const { k } = options;
  const epsilon = options.epsilon ?? IMM_DEFAULT_EPSILON;
  const ell0 = options.ell ?? IMM_DEFAULT_ELL;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new SimulationError(`${caller}: k must be an integer in 1 .. ${n} (the number of nodes), got ${k}.`);
  if (!(epsilon > 0 && epsilon < 1)) throw new SimulationError(`${caller}: epsilon must be in (0, 1), got ${epsilon}; 0.5 is the usual default, 0.1 for a tight guarantee.`);
  if (!(ell0 > 0 && Number.isFinite(ell0))) throw new SimulationError(`${caller}: ell must be a finite number > 0, got ${ell0}.`);

  const sampler = new RRSampler(csr, model, options.transpose);
  if (options.maxMembers !== undefined) sampler.maxMembers = options.maxMembers;
  const sets = new RRSets(n);
  if (n === 1) {
    sampler.sample(sets, 1, rng);
    return { seeds: Int32Array.of(0), spread: 1, rrSets: 1, rrMembers: 1, lowerBound: 1, theta: 1 };
  }

  const logN = Math.log(n);
  const ell = ell0 * (1 + Math.LN2 / logN); // Algorithm 3, line 1
  const logCnk = logBinomial(n, k);
  const oneMinusInvE = 1 - 1 / Math.E;
  const epsilonPrime = Math.SQRT2 * epsilon;
  const lambdaPrime = ((2 + (2 / 3) * epsilonPrime) * (logCnk + ell * logN + Math.log(Math.log2(n))) * n) / epsilonPrime ** 2;
  const alpha = Math.sqrt(ell * logN + Math.LN2);
  const beta = Math.sqrt(oneMinusInvE * (logCnk + ell * logN + Math.LN2));
  const lambdaStar = (2 * n * (oneMinusInvE * alpha + beta) ** 2) / epsilon ** 2;

  // Algorithm 2: doubling search for LB.
  let lowerBound = 1;
  for (let i = 1; i <= Math.log2(n) - 1; i++) {
    const x = n / 2 ** i;
    sampleBeyond(sampler, sets, lambdaPrime / x, rng);
    const { covered } = selectByCoverage(sets, k);
    const estimate = (n * covered) / sets.count;
    if (estimate >= (1 + epsilonPrime) * x) {
      lowerBound = estimate / (1 + epsilonPrime);
      break;
    }
  }
  const theta = lambdaStar / lowerBound;
  if (options.freshFinalSample) sets.clear();
  sampleBeyond(sampler, sets, theta, rng);

  const { seeds, covered } = selectByCoverage(sets, k);
  return { seeds, spread: (n * covered) / sets.count, rrSets: sets.count, rrMembers: sets.size, lowerBound, theta };
}
