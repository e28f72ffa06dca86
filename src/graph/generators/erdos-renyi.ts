/**
 * Erdős–Rényi random graphs, in three equivalent parameterisations:
 *  - G(n, p): every pair is an edge independently with probability p;
 *  - mean degree k: G(n, p) with p = k / (n − 1);
 *  - G(n, m): exactly m distinct edges, uniform over all such graphs.
 *
 * G(n, p) skips over non-edges with geometric jumps, so it costs O(n + m) rather than O(n²):
 *   [Reference] Batagelj, V. & Brandes, U. (2005). "Efficient generation of large random networks."
 *   Physical Review E 71, 036113. (Algorithm 1.)
 * G(n, m) draws m pair indices uniformly, sorts, drops repeats and redraws the shortfall until m distinct
 * pairs remain (every round is symmetric in the pair labels, so the final m-set is uniform); when m is more
 * than half of all pairs it draws the complement instead. O(m log m).
 *   [Reference] Erdős, P. & Rényi, A. (1959). "On random graphs I." Publ. Math. Debrecen 6, 290–297.
 *
 * Undirected graphs use the pairs w < v; directed graphs the n(n − 1) ordered pairs without self-loops.
 */
import type { Random } from "../../random.js";
import { GeneratorError } from "../../errors.js";
import { EdgeBuffer, type EdgeList } from "../edgelist.js";
import { checkEdgeBudget, checkInteger, checkNodeCount, checkNumber, checkProbability } from "./params.js";

const ID = "erdos-renyi";

export interface ErdosRenyiParams {
  n: number;
  /** Edge probability. Give exactly one of p, k and m. */
  p?: number;
  /** Mean degree (mean out-degree when directed): p = k / (n − 1). */
  k?: number;
  /** Exact number of edges. */
  m?: number;
  /** Default false. */
  directed?: boolean;
}

/** Capacity for a binomial edge count with the given mean: mean + 6 sd, so regrowth is rare. */
export function edgeCapacity(mean: number): number {
  return Math.ceil(mean + 6 * Math.sqrt(mean) + 16);
}

/**
 * Push every pair (v, w), w < v < n, independently with probability p, as edges (offset + v, offset + w).
 * Batagelj & Brandes (2005), Algorithm 1.
 */
export function sampleTriangle(out: EdgeBuffer, n: number, p: number, offset: number, rng: Random): void {
  if (p <= 0 || n < 2) return;
  const logQ = Math.log1p(-p); // −∞ when p = 1: every jump is then 0
  let v = 1;
  let w = -1;
  while (v < n) {
    w += 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
    while (w >= v && v < n) {
      w -= v;
      v++;
    }
    if (v < n) out.push(offset + v, offset + w);
  }
}

/**
 * Push every cell (r, c) of a rows × cols grid independently with probability p, as edges
 * (rowOffset + r, colOffset + c'). With `skipDiagonal`, the grid is rows × (rows − 1) and column c stands
 * for c' = c < r ? c : c + 1, which enumerates ordered pairs without self-loops.
 */
export function sampleRectangle(
  out: EdgeBuffer,
  rows: number,
  cols: number,
  p: number,
  rowOffset: number,
  colOffset: number,
  rng: Random,
  skipDiagonal = false,
): void {
  if (p <= 0 || rows < 1 || cols < 1) return;
  const logQ = Math.log1p(-p);
  let r = 0;
  let c = -1;
  while (true) {
    c += 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
    if (c >= cols) {
      r += Math.floor(c / cols);
      c %= cols;
    }
    if (r >= rows) return;
    out.push(rowOffset + r, colOffset + (skipDiagonal && c >= r ? c + 1 : c));
  }
}

/**
 * `count` distinct integers drawn uniformly from [0, total), sorted ascending. Requires count ≤ total / 2
 * for speed (the caller draws the complement otherwise).
 */
function distinctSorted(total: number, count: number, rng: Random): Float64Array {
  let chosen = new Float64Array(0);
  let size = 0;
  while (size < count) {
    const need = count - size;
    const batch = new Float64Array(need);
    for (let i = 0; i < need; i++) batch[i] = rng.int(total);
    batch.sort();
    // Merge chosen[0..size) and batch, keeping each value once: the set grows by at most `need`.
    const merged = new Float64Array(size + need);
    let a = 0;
    let b = 0;
    let k = 0;
    while (a < size || b < need) {
      const x = b >= need || (a < size && chosen[a] <= batch[b]) ? chosen[a++] : batch[b++];
      if (k === 0 || merged[k - 1] !== x) merged[k++] = x;
    }
    chosen = merged;
    size = k;
  }
  return chosen.subarray(0, count);
}

/** The pair with the given index: undirected pairs (v, w), w < v, in order of v then w; directed by row. */
function pushPair(out: EdgeBuffer, n: number, directed: boolean, i: number): void {
  if (directed) {
    const s = Math.floor(i / (n - 1));
    const c = i - s * (n - 1);
    out.push(s, c >= s ? c + 1 : c);
    return;
  }
  let v = Math.floor((1 + Math.sqrt(1 + 8 * i)) / 2);
  while ((v * (v - 1)) / 2 > i) v--;
  while (((v + 1) * v) / 2 <= i) v++;
  out.push(v, i - (v * (v - 1)) / 2);
}

/** G(n, m): exactly m distinct edges, uniformly. */
function gnm(n: number, m: number, directed: boolean, rng: Random): EdgeList {
  const total = directed ? n * (n - 1) : (n * (n - 1)) / 2;
  const out = new EdgeBuffer(m);
  if (m <= total / 2) {
    const picks = distinctSorted(total, m, rng);
    for (let e = 0; e < m; e++) pushPair(out, n, directed, picks[e]);
  } else {
    // Dense: draw the non-edges and enumerate the rest (total < 2m, so the walk is O(m)).
    const holes = distinctSorted(total, total - m, rng);
    let h = 0;
    for (let i = 0; i < total; i++) {
      if (h < holes.length && holes[h] === i) h++;
      else pushPair(out, n, directed, i);
    }
  }
  return out.toEdgeList(n, directed);
}

/** An Erdős–Rényi graph G(n, p), G(n, k/(n − 1)) or G(n, m). */
export function erdosRenyi(params: ErdosRenyiParams, rng: Random): EdgeList {
  const n = checkNodeCount(ID, params.n);
  const directed = params.directed ?? false;
  if (typeof directed !== "boolean") throw new GeneratorError(`${ID}: directed must be true or false, got ${String(directed)}.`);
  const given = (["p", "k", "m"] as const).filter((key) => params[key] !== undefined);
  if (given.length !== 1) {
    throw new GeneratorError(
      `${ID}: give exactly one of p (edge probability), k (mean degree) or m (edge count), got ${given.length === 0 ? "none" : given.join(", ")}.`,
    );
  }
  const pairs = directed ? n * (n - 1) : (n * (n - 1)) / 2;
  if (params.m !== undefined) {
    const m = checkInteger(ID, "m", params.m, 0, pairs, `[0, ${directed ? "n(n − 1)" : "n(n − 1)/2"} = ${pairs}]`);
    checkEdgeBudget(ID, m);
    return gnm(n, m, directed, rng);
  }
  let p: number;
  if (params.k !== undefined) {
    const k = checkNumber(ID, "k", params.k, 0, Math.max(0, n - 1), `[0, n − 1 = ${Math.max(0, n - 1)}]`);
    p = n > 1 ? k / (n - 1) : 0;
  } else {
    p = checkProbability(ID, "p", params.p);
  }
  checkEdgeBudget(ID, pairs * p);
  const out = new EdgeBuffer(edgeCapacity(pairs * p));
  if (directed) sampleRectangle(out, n, n - 1, p, 0, 0, rng, true);
  else sampleTriangle(out, n, p, 0, rng);
  return out.toEdgeList(n, directed);
}
