/**
 * Exact expected spread σ(S) of the independent cascade (IC) and linear threshold (LT) models by live-edge
 * enumeration (Kempe, Kleinberg & Tardos, "Maximizing the spread of influence through a social network",
 * KDD 2003, claims 2.3 and 2.6): σ(S) = Σ_X Pr[X]·|reach_X(S)| over live-edge graphs X. Seeds count as
 * activated (docs/validation.md D). No sampling: the results are exact up to floating-point round-off.
 *
 *  - IC: each arc u→v is live independently with probability p_uv.
 *  - LT with uniform random thresholds: each node v independently keeps at most one in-arc, u→v with
 *    probability w_uv and none with probability 1 − Σ_u w_uv.
 */

/** A directed arc [u, v, p]: IC probability or LT weight of u→v. */
export type Arc = readonly [number, number, number];
/** An undirected edge [u, v, p], live with probability p (usable in both directions once live). */
export type ProbabilisticEdge = readonly [number, number, number];

/** Largest number of arcs or edges the plain 2^m enumerations accept. */
export const MAX_ENUMERATED_LINKS = 24;
/** Largest number of LT in-arc choice combinations enumerated. */
export const MAX_LT_COMBINATIONS = 2 ** 24;
/** Bitmask enumerations index nodes by bit. */
const MAX_BITMASK_NODES = 30;

function checkLinks(caller: string, n: number, links: readonly Arc[], what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${caller}: invalid node count ${n}.`);
  for (const [u, v, p] of links) {
    if (!Number.isInteger(u) || !Number.isInteger(v) || u < 0 || v < 0 || u >= n || v >= n) {
      throw new RangeError(`${caller}: invalid ${what} [${u}, ${v}]. Expecting nodes in 0..${n - 1}.`);
    }
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`${caller}: invalid probability ${p} on ${what} [${u}, ${v}]. Expecting 0 ≤ p ≤ 1.`);
    }
  }
}

function checkSeeds(caller: string, n: number, seeds: readonly number[]): number[] {
  for (const s of seeds) {
    if (!Number.isInteger(s) || s < 0 || s >= n) {
      throw new RangeError(`${caller}: seed ${s} is not a node of the graph (0..${n - 1}).`);
    }
  }
  return [...new Set(seeds)];
}

/** Out-arcs in CSR form. */
function outArcs(n: number, arcs: readonly Arc[]) {
  const offsets = new Int32Array(n + 1);
  for (const [u] of arcs) offsets[u + 1]++;
  for (let u = 0; u < n; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(arcs.length);
  const probabilities = new Float64Array(arcs.length);
  for (const [u, v, p] of arcs) {
    targets[fill[u]] = v;
    probabilities[fill[u]++] = p;
  }
  return { offsets, targets, probabilities };
}

/**
 * Exact IC expected spread σ(S) on a directed graph with per-arc probabilities. Equal to the sum over all
 * 2^m live-arc subsets, computed lazily: an arc's coin is tossed only when a cascade from S first needs it
 * (its tail is reached and its head is not), so arcs that cannot change reach_X(S) are marginalised out.
 * Cost grows with the number of decision-tree leaves, not with 2^m; for an undirected graph pass both arcs.
 */
export function icExpectedSpread(n: number, arcs: readonly Arc[], seeds: readonly number[]): number {
  const caller = "icExpectedSpread";
  checkLinks(caller, n, arcs, "arc");
  const initial = checkSeeds(caller, n, seeds);
  const { offsets, targets, probabilities } = outArcs(n, arcs);
  const reached = new Uint8Array(n);
  const order = new Int32Array(n); // reached nodes in discovery order; order[0..count) is the cascade so far
  for (const [i, s] of initial.entries()) {
    reached[s] = 1;
    order[i] = s;
  }
  let sigma = 0;
  // Explore out-arcs of order[queue] from arc index `arc` on; every branch restores `reached` on return.
  const explore = (queue: number, arc: number, count: number, probability: number): void => {
    for (; queue < count; queue++) {
      const end = offsets[order[queue] + 1];
      for (arc = Math.max(arc, offsets[order[queue]]); arc < end; arc++) {
        const v = targets[arc];
        if (reached[v]) continue;
        const p = probabilities[arc];
        if (p < 1) explore(queue, arc + 1, count, probability * (1 - p));
        if (p > 0) {
          reached[v] = 1;
          order[count] = v;
          explore(queue, arc + 1, count + 1, probability * p);
          reached[v] = 0;
        }
        return;
      }
      arc = 0;
    }
    sigma += probability * count;
  };
  explore(0, 0, initial.length, 1);
  return sigma;
}

/**
 * Sum over all 2^m subsets of links (arcs or undirected edges) of Pr × |reach(S)|, straight from the
 * definition. Pr[X] = lowTable[X & lowMask]·highTable[X >> half] avoids a product of m factors per subset.
 */
function enumerateLiveSubsets(
  caller: string,
  n: number,
  links: readonly Arc[],
  seeds: number[],
  undirected: boolean,
): number {
  if (n > MAX_BITMASK_NODES) throw new RangeError(`${caller}: n = ${n} exceeds ${MAX_BITMASK_NODES} nodes.`);
  const m = links.length;
  if (m > MAX_ENUMERATED_LINKS) {
    throw new RangeError(
      `${caller}: ${m} links would need 2^${m} live-edge graphs; at most ${MAX_ENUMERATED_LINKS} are enumerated.`,
    );
  }
  const half = m >> 1;
  const subsetProbabilities = (from: number, count: number) => {
    const table = new Float64Array(1 << count).fill(1);
    for (let mask = 0; mask < 1 << count; mask++) {
      for (let j = 0; j < count; j++) {
        const p = links[from + j][2];
        table[mask] *= mask & (1 << j) ? p : 1 - p;
      }
    }
    return table;
  };
  const low = subsetProbabilities(0, half);
  const high = subsetProbabilities(half, m - half);
  const seedMask = seeds.reduce((mask, s) => mask | (1 << s), 0);
  const tails = Int32Array.from(links, (link) => link[0]);
  const heads = Int32Array.from(links, (link) => link[1]);
  const liveOut = new Int32Array(n);
  let sigma = 0;
  for (let mask = 0; mask < 1 << m; mask++) {
    const probability = low[mask & ((1 << half) - 1)] * high[mask >>> half];
    if (probability === 0) continue;
    liveOut.fill(0);
    for (let rest = mask; rest; rest &= rest - 1) {
      const j = 31 - Math.clz32(rest & -rest);
      liveOut[tails[j]] |= 1 << heads[j];
      if (undirected) liveOut[heads[j]] |= 1 << tails[j];
    }
    let reached = seedMask;
    let frontier = seedMask;
    while (frontier) {
      let next = 0;
      for (let rest = frontier; rest; rest &= rest - 1) next |= liveOut[31 - Math.clz32(rest & -rest)];
      frontier = next & ~reached;
      reached |= frontier;
    }
    let size = 0;
    for (; reached; reached &= reached - 1) size++;
    sigma += probability * size;
  }
  return sigma;
}

/**
 * Exact IC expected spread by brute-force enumeration of all 2^m live-arc subsets (m ≤ 24, n ≤ 30): the
 * definition itself, kept as a cross-check of `icExpectedSpread`.
 */
export function icExpectedSpreadByEnumeration(n: number, arcs: readonly Arc[], seeds: readonly number[]): number {
  const caller = "icExpectedSpreadByEnumeration";
  checkLinks(caller, n, arcs, "arc");
  return enumerateLiveSubsets(caller, n, arcs, checkSeeds(caller, n, seeds), false);
}

/**
 * Exact IC expected spread on an undirected graph by enumerating the 2^m live-EDGE subsets (m ≤ 24,
 * n ≤ 30). Equal to the arc version with both arcs at probability p: a cascade crosses an edge at most
 * once, in the direction it first reaches it, so only one of its two coins ever matters.
 */
export function icExpectedSpreadUndirected(
  n: number,
  edges: readonly ProbabilisticEdge[],
  seeds: readonly number[],
): number {
  const caller = "icExpectedSpreadUndirected";
  checkLinks(caller, n, edges, "edge");
  return enumerateLiveSubsets(caller, n, edges, checkSeeds(caller, n, seeds), true);
}

/**
 * Exact LT expected spread σ(S) with uniform random thresholds, enumerating every non-seed node's in-arc
 * choice (none, or u→v with probability w_uv). Requires Σ_u w_uv ≤ 1 for every v and at most
 * MAX_LT_COMBINATIONS joint choices. A node is active iff following chosen in-arcs backwards hits a seed.
 */
export function ltExpectedSpread(n: number, arcs: readonly Arc[], seeds: readonly number[]): number {
  const caller = "ltExpectedSpread";
  checkLinks(caller, n, arcs, "arc");
  const initial = checkSeeds(caller, n, seeds);
  const isSeed = new Uint8Array(n);
  for (const s of initial) isSeed[s] = 1;
  const inTails: number[][] = Array.from({ length: n }, () => []);
  const inWeights: number[][] = Array.from({ length: n }, () => []);
  for (const [u, v, w] of arcs) {
    inTails[v].push(u);
    inWeights[v].push(w);
  }
  // Seeds are active whatever they choose, so only non-seed nodes with in-arcs branch.
  const choosers: number[] = [];
  let combinations = 1;
  for (let v = 0; v < n; v++) {
    const total = inWeights[v].reduce((a, b) => a + b, 0);
    if (total > 1 + 1e-12) {
      throw new RangeError(`${caller}: in-weights of node ${v} sum to ${total}. LT needs Σ_u w_uv ≤ 1.`);
    }
    if (!isSeed[v] && inTails[v].length > 0) {
      choosers.push(v);
      combinations *= inTails[v].length + 1;
    }
  }
  if (combinations > MAX_LT_COMBINATIONS) {
    throw new RangeError(`${caller}: ${combinations} in-arc choice combinations exceed ${MAX_LT_COMBINATIONS}.`);
  }
  const parent = new Int32Array(n).fill(-1);
  const status = new Uint8Array(n); // 0 unknown, 1 active, 2 inactive, 3 on the current backward walk
  const path = new Int32Array(n);
  const activeCount = (): number => {
    status.fill(0);
    let count = 0;
    for (let v = 0; v < n; v++) {
      let length = 0;
      let x = v;
      while (status[x] === 0 && !isSeed[x] && parent[x] >= 0) {
        status[x] = 3;
        path[length++] = x;
        x = parent[x];
      }
      // The walk ended at a seed, a node already resolved, a node with no in-arc, or a cycle (status 3).
      const outcome = isSeed[x] || status[x] === 1 ? 1 : 2;
      if (status[x] === 0) status[x] = outcome;
      for (let i = 0; i < length; i++) status[path[i]] = outcome;
    }
    for (let v = 0; v < n; v++) if (status[v] === 1) count++;
    return count;
  };
  let sigma = 0;
  const choose = (index: number, probability: number): void => {
    if (probability === 0) return;
    if (index === choosers.length) {
      sigma += probability * activeCount();
      return;
    }
    const v = choosers[index];
    const tails = inTails[v];
    const weights = inWeights[v];
    parent[v] = -1;
    choose(index + 1, probability * Math.max(0, 1 - weights.reduce((a, b) => a + b, 0)));
    for (let j = 0; j < tails.length; j++) {
      parent[v] = tails[j];
      choose(index + 1, probability * weights[j]);
    }
    parent[v] = -1;
  };
  choose(0, 1);
  return sigma;
}
