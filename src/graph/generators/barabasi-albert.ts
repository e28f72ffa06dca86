/**
 * Barabási–Albert scale-free graphs by linear preferential attachment.
 *   [Reference] Barabási, A.-L. & Albert, R. (1999). "Emergence of scaling in random networks."
 *   Science 286, 509–512.
 *   [Reference] Batagelj, V. & Brandes, U. (2005). "Efficient generation of large random networks."
 *   Physical Review E 71, 036113. (Algorithm 5: the repeated-nodes array.)
 *
 * Start: the m + 1 nodes 0..m form a clique (default; m(m + 1)/2 edges, every node of degree m) or a star
 * centred on node 0 (m edges). Then each node v = m + 1, …, n − 1 joins with m edges to m *distinct* earlier
 * nodes, each drawn with probability proportional to its degree (a repeated draw is redrawn, so there are no
 * parallel edges; with m ≪ v this is the usual approximation of drawing with replacement).
 *
 * Degree-proportional draws use the repeated-nodes trick: a node of degree d appears d times among the 2E
 * edge endpoints written so far, so a uniform endpoint of an earlier edge is a degree-proportional node.
 * The edge list's own source/target arrays serve as that array, so there is no extra memory, and each draw
 * is O(1). Edge count: m(m + 1)/2 + (n − m − 1)·m from a clique, m + (n − m − 1)·m from a star.
 */
import type { Random } from "../../random.js";
import { GeneratorError } from "../../errors.js";
import type { EdgeList } from "../edgelist.js";
import { checkEdgeBudget, checkInteger, checkNodeCount } from "./params.js";

const ID = "barabasi-albert";

export type BarabasiAlbertStart = "clique" | "star";

export interface BarabasiAlbertParams {
  n: number;
  /** Edges added with each new node, 1 ≤ m < n. */
  m: number;
  /** Initial graph on nodes 0..m. Default "clique". */
  start?: BarabasiAlbertStart;
}

/** Number of edges of a Barabási–Albert graph. */
export function barabasiAlbertEdgeCount(n: number, m: number, start: BarabasiAlbertStart = "clique"): number {
  return (start === "clique" ? (m * (m + 1)) / 2 : m) + (n - m - 1) * m;
}

export function barabasiAlbert(params: BarabasiAlbertParams, rng: Random): EdgeList {
  const n = checkNodeCount(ID, params.n, 2);
  const m = checkInteger(ID, "m", params.m, 1, n - 1, "[1, n)");
  const start = params.start ?? "clique";
  if (start !== "clique" && start !== "star") {
    throw new GeneratorError(`${ID}: start must be "clique" or "star", got ${JSON.stringify(start)}.`);
  }
  const total = barabasiAlbertEdgeCount(n, m, start);
  checkEdgeBudget(ID, total);
  const sources = new Int32Array(total);
  const targets = new Int32Array(total);
  let e = 0;
  if (start === "clique") {
    for (let v = 1; v <= m; v++) {
      for (let w = 0; w < v; w++) {
        sources[e] = v;
        targets[e++] = w;
      }
    }
  } else {
    for (let v = 1; v <= m; v++) {
      sources[e] = v;
      targets[e++] = 0;
    }
  }

  // Draws are made a block of nodes at a time and the endpoints they point at are read in one tight loop:
  // the reads are cache misses on a large array, and independent misses issued together overlap (about 2×
  // faster at n = 10⁶). A draw pointing at an edge created inside the block is resolved when its node comes.
  // Each draw is uniform over the endpoints that existed when its node arrived, as in the plain algorithm.
  const block = Math.max(1, Math.floor(4096 / m));
  const draws = new Int32Array(block * m);
  const picks = new Int32Array(block * m);
  const startEdges = e; // edges of the initial graph
  // A repeat among node v's own m targets is redrawn. For small m a scan of those targets (in cache) is
  // cheapest; for large m, chosenBy[u] === v marks u as taken in O(1).
  const chosenBy = m > 16 ? new Int32Array(n).fill(-1) : null;
  for (let v0 = m + 1; v0 < n; v0 += block) {
    const v1 = Math.min(n, v0 + block);
    const blockStart = e;
    let d = 0;
    for (let v = v0; v < v1; v++) {
      const before = startEdges + (v - m - 1) * m; // edges that existed before v arrived
      for (let i = 0; i < m; i++) draws[d++] = rng.int(2 * before);
    }
    d = 0;
    for (let v = v0; v < v1; v++) {
      const before = startEdges + (v - m - 1) * m;
      for (let i = 0; i < m; i++, d++) {
        const r = draws[d];
        if (r < before) picks[d] = r < blockStart ? sources[r] : -1;
        else picks[d] = r - before < blockStart ? targets[r - before] : -1;
      }
    }
    d = 0;
    for (let v = v0; v < v1; v++) {
      const before = e;
      for (let i = 0; i < m; i++, d++) {
        let u = picks[d];
        if (u < 0) u = draws[d] < before ? sources[draws[d]] : targets[draws[d] - before];
        while (chosenBy === null ? scan(targets, before, e, u) : chosenBy[u] === v) {
          const r = rng.int(2 * before);
          u = r < before ? sources[r] : targets[r - before];
        }
        if (chosenBy !== null) chosenBy[u] = v;
        sources[e] = v;
        targets[e++] = u;
      }
    }
  }
  return { n, directed: false, sources, targets, count: e };
}

/** True when u is among targets[from .. to). */
function scan(targets: Int32Array, from: number, to: number, u: number): boolean {
  for (let j = from; j < to; j++) if (targets[j] === u) return true;
  return false;
}
