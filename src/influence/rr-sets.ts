/**
 * Random reverse-reachable (RR) sets, the sampling primitive of RIS-based influence maximisation.
 * [Reference] Borgs, C., Brautbar, M., Chayes, J. & Lucier, B. (2014). "Maximizing social influence in
 * nearly optimal time." SODA 2014. Tang, Y., Shi, Y. & Xiao, X. (2015). "Influence maximization in
 * near-linear time: a martingale approach." SIGMOD 2015, §2.2 and §5 (IMM's sampler, used here).
 *
 * An RR set is the set of nodes that reach a uniformly random root v in a random live-edge graph
 * (Kempe, Kleinberg & Tardos 2003): for any seed set S, Pr[S ∩ RR ≠ ∅] = σ(S) / n, so
 * n · (fraction of RR sets that S hits) is an unbiased estimate of σ(S) (Borgs et al., Observation 3.2).
 *  - IC: reverse BFS from v over in-arcs, each in-arc u→w live independently with probability p(u→w).
 *  - LT: reverse random walk: the current node w picks at most one in-arc, u→w with probability w(u→w),
 *    none with the leftover probability 1 − Σ_u w(u→w); the walk stops there or at an already visited node.
 * Live arcs are drawn only when the BFS or walk needs them, which is the same law as drawing the whole
 * live-edge graph first. With a uniform IC probability the live in-arcs are found by geometric skipping.
 *
 * Storage is flat (Int32Array of members, Int32Array of set offsets), grown by doubling; the BFS queue of
 * the set being built *is* its slice of `members`, so sampling allocates nothing per set.
 */
import type { CSR } from "../graph/csr.js";
import type { Random } from "../random.js";
import { SimulationError } from "../errors.js";
import type { InfluenceModel } from "./model.js";

/** In-arcs of every node (the transpose CSR): in-arcs of v are sources[offsets[v] .. offsets[v+1]). */
export interface InArcs {
  readonly offsets: Int32Array;
  /** Tail u of each in-arc u→v. */
  readonly sources: Int32Array;
  /** Index of the arc in the forward CSR, to look up its probability or weight. */
  readonly arcs: Int32Array;
}

/** Build the transpose of a CSR once (O(n + m)). */
export function inArcs(csr: CSR): InArcs {
  const { n, m, offsets, targets } = csr;
  const inOffsets = new Int32Array(n + 1);
  for (let a = 0; a < m; a++) inOffsets[targets[a] + 1]++;
  for (let v = 0; v < n; v++) inOffsets[v + 1] += inOffsets[v];
  const fill = inOffsets.slice(0, n);
  const sources = new Int32Array(m);
  const arcs = new Int32Array(m);
  for (let u = 0; u < n; u++) {
    for (let a = offsets[u]; a < offsets[u + 1]; a++) {
      const slot = fill[targets[a]]++;
      sources[slot] = u;
      arcs[slot] = a;
    }
  }
  return { offsets: inOffsets, sources, arcs };
}

/** A growing collection of RR sets: set i is members[offsets[i] .. offsets[i+1]), root first. */
export class RRSets {
  /** Number of sets. */
  count = 0;
  members: Int32Array;
  offsets: Int32Array;

  constructor(readonly n: number, initialSets = 1024) {
    this.members = new Int32Array(Math.max(initialSets, 16));
    this.offsets = new Int32Array(Math.max(initialSets, 16) + 1);
  }

  /** Total number of members over all sets. */
  get size(): number {
    return this.offsets[this.count];
  }

  /** Forget every set (keeps the buffers). */
  clear(): void {
    this.count = 0;
  }

  /** Make room for one more set of up to n members. */
  reserve(maxMembers: number, caller: string): void {
    maxMembers = Math.min(maxMembers, 2 ** 31 - 1); // offsets are Int32
    const need = this.size + this.n;
    if (need > this.members.length) {
      if (need > maxMembers) {
        throw new SimulationError(
          `${caller}: the RR sets would hold more than ${maxMembers} node entries (${this.count} sets so far). ` +
            "Raise epsilon (the number of sets grows as 1/ε²), lower k, or raise maxMembers if memory allows.",
        );
      }
      const grown = new Int32Array(Math.min(Math.max(need, 2 * this.members.length), Math.max(need, maxMembers)));
      grown.set(this.members.subarray(0, this.size));
      this.members = grown;
    }
    if (this.count + 2 > this.offsets.length) {
      const grown = new Int32Array(2 * this.offsets.length);
      grown.set(this.offsets.subarray(0, this.count + 1));
      this.offsets = grown;
    }
  }
}

/** Largest member count stored by default: 2^28 entries = 1 GiB of Int32. */
export const DEFAULT_MAX_MEMBERS = 2 ** 28;

/**
 * Draws RR sets for one graph and model. Holds the transpose CSR, the model's values in in-arc order
 * (so the inner loops read memory sequentially) and a visit-stamp array that avoids clearing per set.
 */
export class RRSampler {
  private readonly inOffsets: Int32Array;
  private readonly inSources: Int32Array;
  /** Per-in-arc IC probability or LT weight; null for a uniform IC probability. */
  private readonly inValues: Float64Array | null;
  private readonly uniformP: number;
  private readonly lt: boolean;
  private readonly stamp: Int32Array;
  private currentStamp = 0;
  maxMembers = DEFAULT_MAX_MEMBERS;

  constructor(readonly csr: CSR, model: InfluenceModel, transpose: InArcs = inArcs(csr)) {
    this.inOffsets = transpose.offsets;
    this.inSources = transpose.sources;
    this.lt = model.kind === "linear-threshold";
    const perArc = model.kind === "linear-threshold" ? model.weights : typeof model.probability === "number" ? null : model.probability;
    this.uniformP = model.kind === "independent-cascade" && typeof model.probability === "number" ? model.probability : 0;
    if (perArc === null) this.inValues = null;
    else {
      const values = new Float64Array(csr.m);
      for (let j = 0; j < csr.m; j++) values[j] = perArc[transpose.arcs[j]];
      this.inValues = values;
    }
    this.stamp = new Int32Array(csr.n);
  }

  /** Append `count` RR sets to `sets`, drawing from `rng`. Returns the number of members added. */
  sample(sets: RRSets, count: number, rng: Random): number {
    const before = sets.size;
    for (let i = 0; i < count; i++) {
      sets.reserve(this.maxMembers, "RRSampler.sample");
      if (++this.currentStamp === 0x7fffffff) {
        this.stamp.fill(0);
        this.currentStamp = 1;
      }
      const start = sets.offsets[sets.count];
      const end = this.lt ? this.walk(sets.members, start, rng) : this.bfs(sets.members, start, rng);
      sets.offsets[++sets.count] = end;
    }
    return sets.size - before;
  }

  /** IC: reverse BFS; the queue is members[start .. end). Returns the end of the set. */
  private bfs(members: Int32Array, start: number, rng: Random): number {
    const { inOffsets, inSources, inValues, stamp, currentStamp } = this;
    const root = rng.int(this.csr.n);
    stamp[root] = currentStamp;
    members[start] = root;
    let end = start + 1;
    if (inValues === null) {
      const p = this.uniformP;
      if (p === 0) return end;
      const logMiss = Math.log1p(-p); // −Infinity for p = 1: every gap is 0
      for (let head = start; head < end; head++) {
        const w = members[head];
        const last = inOffsets[w + 1];
        // Live in-arcs by geometric skipping: the gap to the next live arc is ⌊ln U / ln(1 − p)⌋.
        for (let j = inOffsets[w] + Math.floor(Math.log(1 - rng.next()) / logMiss); j < last; j += 1 + Math.floor(Math.log(1 - rng.next()) / logMiss)) {
          const u = inSources[j];
          if (stamp[u] !== currentStamp) {
            stamp[u] = currentStamp;
            members[end++] = u;
          }
        }
      }
    } else {
      for (let head = start; head < end; head++) {
        const w = members[head];
        const last = inOffsets[w + 1];
        for (let j = inOffsets[w]; j < last; j++) {
          const u = inSources[j];
          if (stamp[u] === currentStamp) continue; // already in the set: its coin cannot matter
          if (rng.next() < inValues[j]) {
            stamp[u] = currentStamp;
            members[end++] = u;
          }
        }
      }
    }
    return end;
  }

  /** LT: reverse random walk choosing at most one in-arc per step. */
  private walk(members: Int32Array, start: number, rng: Random): number {
    const { inOffsets, inSources, stamp, currentStamp } = this;
    const weights = this.inValues!;
    let w = rng.int(this.csr.n);
    stamp[w] = currentStamp;
    members[start] = w;
    let end = start + 1;
    for (;;) {
      const x = rng.next();
      let cumulative = 0;
      let chosen = -1;
      for (let j = inOffsets[w], last = inOffsets[w + 1]; j < last; j++) {
        cumulative += weights[j];
        if (x < cumulative) {
          chosen = inSources[j];
          break;
        }
      }
      if (chosen < 0 || stamp[chosen] === currentStamp) return end;
      stamp[chosen] = currentStamp;
      members[end++] = chosen;
      w = chosen;
    }
  }
}

/** Number of RR sets (among the first `count`) that contain at least one seed. */
export function countCovered(sets: RRSets, seeds: ArrayLike<number>, count = sets.count): number {
  const isSeed = new Uint8Array(sets.n);
  for (let i = 0; i < seeds.length; i++) isSeed[seeds[i]] = 1;
  const { members, offsets } = sets;
  let covered = 0;
  for (let s = 0; s < count; s++) {
    for (let j = offsets[s]; j < offsets[s + 1]; j++) {
      if (isSeed[members[j]]) {
        covered++;
        break;
      }
    }
  }
  return covered;
}

/**
 * The RIS estimate of σ(S): n · F_R(S), F_R the fraction of RR sets hit, with its binomial standard error
 * n · √(F(1 − F)/θ). Unbiased for independent sets.
 */
export function rrSpreadEstimate(sets: RRSets, seeds: ArrayLike<number>): { mean: number; se: number } {
  const theta = sets.count;
  if (theta === 0) throw new SimulationError("rrSpreadEstimate: no RR sets; sample some first.");
  const f = countCovered(sets, seeds) / theta;
  return { mean: sets.n * f, se: sets.n * Math.sqrt((f * (1 - f)) / theta) };
}
