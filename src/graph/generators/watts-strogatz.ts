/**
 * Watts–Strogatz small-world graphs.
 *   [Reference] Watts, D. J. & Strogatz, S. H. (1998). "Collective dynamics of 'small-world' networks."
 *   Nature 393, 440–442.
 *
 * Start from a ring lattice: node i is joined to i ± 1, …, i ± k/2 (mod n), nk/2 edges. Then, as in the
 * paper, go round the ring once per lattice distance j = 1..k/2 and rewire each edge (i, i + j) with
 * probability beta: keep i and move the far end to a node chosen uniformly among those that are neither i
 * nor already a neighbour of i (redrawn until so). A node already joined to every other node keeps its edge.
 * The edge count stays nk/2; there are no self-loops or parallel edges. beta = 0 is the ring lattice.
 */
import type { Random } from "../../random.js";
import { GeneratorError } from "../../errors.js";
import type { EdgeList } from "../edgelist.js";
import { checkEdgeBudget, checkInteger, checkNodeCount, checkProbability } from "./params.js";

const ID = "watts-strogatz";

export interface WattsStrogatzParams {
  n: number;
  /** Lattice degree: an even integer, 0 ≤ k < n. */
  k: number;
  /** Rewiring probability in [0, 1]. */
  beta: number;
}

export function wattsStrogatz(params: WattsStrogatzParams, rng: Random): EdgeList {
  const n = checkNodeCount(ID, params.n, 1);
  const k = checkInteger(ID, "k", params.k, 0, n - 1, "[0, n)");
  if (k % 2 !== 0) throw new GeneratorError(`${ID}: k must be even (each node has k/2 neighbours on either side), got ${k}.`);
  const beta = checkProbability(ID, "beta", params.beta);
  const half = k / 2;
  const count = n * half;
  checkEdgeBudget(ID, count);
  const sources = new Int32Array(count);
  const targets = new Int32Array(count);
  // Lap j − 1 holds the edges (i, i + j): edge index (j − 1)·n + i.
  for (let j = 1; j <= half; j++) {
    for (let i = 0; i < n; i++) {
      const e = (j - 1) * n + i;
      sources[e] = i;
      targets[e] = (i + j) % n;
    }
  }
  if (beta === 0 || count === 0) return { n, directed: false, sources, targets, count };

  // Is u — w an edge now? A lattice edge (i, i + j) is still there iff its slot still points at i + j (an edge
  // is rewired at most once, always to a new node); rewired edges sit in a set keyed min·n + max, which holds
  // only the ≈ beta·nk/2 rewired edges.
  const rewired = new Set<number>();
  const hasEdge = (u: number, w: number): boolean => {
    const j = (w - u + n) % n;
    if (j >= 1 && j <= half && targets[(j - 1) * n + u] === w) return true;
    const i = n - j;
    if (i >= 1 && i <= half && targets[(i - 1) * n + w] === u) return true;
    return rewired.has(u < w ? u * n + w : w * n + u);
  };
  const degree = new Int32Array(n).fill(k);
  for (let e = 0; e < count; e++) {
    if (rng.next() >= beta) continue;
    const u = sources[e];
    if (degree[u] >= n - 1) continue;
    let w: number;
    do w = rng.int(n);
    while (w === u || hasEdge(u, w));
    degree[targets[e]]--;
    degree[w]++;
    targets[e] = w;
    rewired.add(u < w ? u * n + w : w * n + u);
  }
  return { n, directed: false, sources, targets, count };
}

