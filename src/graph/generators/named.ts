/**
 * Small named graphs used as fixtures and teaching examples, and the path, cycle and star families.
 *   [Reference] Petersen, J. (1898). "Sur le théorème de Tait." L'Intermédiaire des Mathématiciens 5,
 *   225–227. (10 nodes, 15 edges, 3-regular: outer 5-cycle 0–4, spokes i–(i + 5), inner pentagram.)
 *   [Reference] Krackhardt, D. (1990). "Assessing the political landscape: structure, cognition, and power
 *   in organizations." Administrative Science Quarterly 35, 342–369. (The kite: 10 nodes, 18 edges.)
 *   [Reference] Zachary, W. W. (1977). "An information flow model for conflict and fission in small
 *   groups." Journal of Anthropological Research 33, 452–473. (34 nodes, 78 edges.)
 * The kite and the karate club come from graphology-generators (node keys: the kite's first names, the
 * club's "0".."33"), converted to edge lists.
 */
import { UndirectedGraph } from "graphology";
import { krackhardtKite as graphologyKite } from "graphology-generators/small/index.js";
import { karateClub as graphologyKarate } from "graphology-generators/social/index.js";
import type { Random } from "../../random.js";
import { fromGraph, type EdgeList } from "../edgelist.js";
import { checkEdgeBudget, checkNodeCount } from "./params.js";

function fromPairs(n: number, pairs: readonly (readonly [number, number])[]): EdgeList {
  const sources = new Int32Array(pairs.length);
  const targets = new Int32Array(pairs.length);
  pairs.forEach(([s, t], e) => {
    sources[e] = s;
    targets[e] = t;
  });
  return { n, directed: false, sources, targets, count: pairs.length };
}

const PETERSEN: readonly (readonly [number, number])[] = [
  [0, 1], [1, 2], [2, 3], [3, 4], [4, 0], // outer cycle
  [0, 5], [1, 6], [2, 7], [3, 8], [4, 9], // spokes
  [5, 7], [7, 9], [9, 6], [6, 8], [8, 5], // inner pentagram
];

/** The Petersen graph: 10 nodes, 15 edges, 3-regular, girth 5. */
export function petersen(_params?: object, _rng?: Random): EdgeList {
  return fromPairs(10, PETERSEN);
}

/** Krackhardt's kite: 10 nodes, 18 edges; node keys are the names Andre … Jane. */
export function krackhardtKite(_params?: object, _rng?: Random): EdgeList {
  return fromGraph(graphologyKite(UndirectedGraph));
}

/** Zachary's karate club: 34 nodes, 78 edges; node keys "0".."33". */
export function karateClub(_params?: object, _rng?: Random): EdgeList {
  return fromGraph(graphologyKarate(UndirectedGraph));
}

export interface SizeParams {
  n: number;
}

/** Path 0 — 1 — … — (n − 1): n − 1 edges. */
export function path(params: SizeParams, _rng?: Random): EdgeList {
  const n = checkNodeCount("path", params.n);
  const count = Math.max(0, n - 1);
  checkEdgeBudget("path", count);
  const sources = new Int32Array(count);
  const targets = new Int32Array(count);
  for (let e = 0; e < count; e++) {
    sources[e] = e;
    targets[e] = e + 1;
  }
  return { n, directed: false, sources, targets, count };
}

/** Cycle 0 — 1 — … — (n − 1) — 0: n edges, n ≥ 3. */
export function cycle(params: SizeParams, _rng?: Random): EdgeList {
  const n = checkNodeCount("cycle", params.n, 3);
  checkEdgeBudget("cycle", n);
  const el = path({ n }, _rng);
  const sources = new Int32Array(n);
  const targets = new Int32Array(n);
  sources.set(el.sources);
  targets.set(el.targets);
  sources[n - 1] = n - 1;
  targets[n - 1] = 0;
  return { n, directed: false, sources, targets, count: n };
}

/** Star of n nodes in all: centre 0 joined to the leaves 1..n − 1 (n − 1 edges). */
export function star(params: SizeParams, _rng?: Random): EdgeList {
  const n = checkNodeCount("star", params.n, 1);
  const count = n - 1;
  checkEdgeBudget("star", count);
  const sources = new Int32Array(count);
  const targets = new Int32Array(count);
  for (let e = 0; e < count; e++) targets[e] = e + 1;
  return { n, directed: false, sources, targets, count };
}
