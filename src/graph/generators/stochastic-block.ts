/**
 * Stochastic block model: nodes fall in blocks; a node of block a and a node of block b are joined
 * independently with probability probabilities[a][b] (a symmetric matrix).
 *   [Reference] Holland, P. W., Laskey, K. B. & Leinhardt, S. (1983). "Stochastic blockmodels: first
 *   steps." Social Networks 5, 109–137.
 * Each block pair is sampled with the geometric skipping of Batagelj & Brandes (2005) (see erdos-renyi.ts):
 * a triangle within a block, a rectangle between two blocks, so the cost is O(n + m).
 * Block a holds the consecutive node indices sizes[0] + … + sizes[a − 1] onwards; `block[v]` says which.
 */
import type { Random } from "../../random.js";
import { GeneratorError } from "../../errors.js";
import { EdgeBuffer, type EdgeList } from "../edgelist.js";
import { checkEdgeBudget, checkNodeCount, checkProbability } from "./params.js";
import { edgeCapacity, sampleRectangle, sampleTriangle } from "./erdos-renyi.js";

const ID = "stochastic-block";

export interface StochasticBlockParams {
  /** Number of nodes in each block. */
  sizes: number[];
  /** probabilities[a][b]: edge probability between blocks a and b; symmetric. */
  probabilities: number[][];
}

export interface StochasticBlockEdges extends EdgeList {
  /** Block of each node. */
  block: Int32Array;
}

export function stochasticBlock(params: StochasticBlockParams, rng: Random): StochasticBlockEdges {
  const { sizes, probabilities } = params;
  if (!Array.isArray(sizes) || sizes.length === 0) {
    throw new GeneratorError(`${ID}: sizes must be a non-empty array of block sizes, got ${String(sizes)}.`);
  }
  const B = sizes.length;
  const start = new Array<number>(B + 1).fill(0);
  for (let a = 0; a < B; a++) start[a + 1] = start[a] + checkNodeCount(ID, sizes[a], 0, `sizes[${a}]`);
  const n = checkNodeCount(ID, start[B], 0, "the total of sizes");
  if (!Array.isArray(probabilities) || probabilities.length !== B || probabilities.some((row) => !Array.isArray(row) || row.length !== B)) {
    throw new GeneratorError(`${ID}: probabilities must be a ${B} × ${B} matrix (one row and column per block).`);
  }
  let expected = 0;
  for (let a = 0; a < B; a++) {
    for (let b = 0; b < B; b++) {
      const p = checkProbability(ID, `probabilities[${a}][${b}]`, probabilities[a][b]);
      if (p !== probabilities[b][a]) {
        throw new GeneratorError(`${ID}: probabilities must be symmetric, but [${a}][${b}] = ${p} and [${b}][${a}] = ${probabilities[b][a]}.`);
      }
      if (a === b) expected += (sizes[a] * (sizes[a] - 1) * p) / 2;
      else if (a < b) expected += sizes[a] * sizes[b] * p;
    }
  }
  checkEdgeBudget(ID, expected);
  const out = new EdgeBuffer(edgeCapacity(expected));
  for (let a = 0; a < B; a++) {
    sampleTriangle(out, sizes[a], probabilities[a][a], start[a], rng);
    for (let b = a + 1; b < B; b++) sampleRectangle(out, sizes[a], sizes[b], probabilities[a][b], start[a], start[b], rng);
  }
  const block = new Int32Array(n);
  for (let a = 0; a < B; a++) block.fill(a, start[a], start[a + 1]);
  return { ...out.toEdgeList(n, false), block };
}
