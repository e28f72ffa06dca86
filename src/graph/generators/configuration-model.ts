/**
 * Configuration model: a random graph with a given degree sequence, by stub matching.
 *   [Reference] Molloy, M. & Reed, B. (1995). "A critical point for random graphs with a given degree
 *   sequence." Random Structures & Algorithms 6, 161–180.
 *   [Reference] Newman, M. E. J., Strogatz, S. H. & Watts, D. J. (2001). "Random graphs with arbitrary
 *   degree distributions and their applications." Physical Review E 64, 026118.
 *
 * Node v gets degrees[v] stubs; the stubs are shuffled (Fisher–Yates) and paired off in order. The result is
 * made simple by ERASING, not redrawing: self-loops are dropped, and of parallel edges one copy is kept.
 * Their numbers are reported in `erased`; for sparse sequences with a finite second moment they are a vanishing
 * fraction, so the degree distribution is preserved up to those edges (the "erased configuration model",
 * Britton, Deijfen & Martin-Löf 2006, J. Stat. Phys. 124, 1377–1397). Each node's final degree is at most its
 * target degree.
 *
 * If the degree sum is odd, one stub is added to a node chosen uniformly at random (reported in
 * `stubAddedTo`), so that every stub has a partner.
 *
 * The degrees come either explicitly (`degrees`) or drawn independently for n nodes from a distribution
 * (Poisson, power law with cut-offs, regular; see degree-sequence.ts).
 */
import type { Random } from "../../random.js";
import { GeneratorError } from "../../errors.js";
import type { EdgeList, ErasedEdges } from "../edgelist.js";
import { MAX_EDGES, checkNodeCount } from "./params.js";
import { sampleDegrees, type DegreeDistribution } from "./degree-sequence.js";

const ID = "configuration-model";

export type ConfigurationModelParams = { degrees: ArrayLike<number> } | { n: number; distribution: DegreeDistribution };

export interface ConfigurationModelEdges extends EdgeList {
  erased: ErasedEdges;
  /** The degree sequence that was matched (after the stub added for an odd sum). */
  targetDegrees: Int32Array;
  /** The node that received an extra stub because the degree sum was odd, or −1. */
  stubAddedTo: number;
}

function explicitDegrees(raw: ArrayLike<number>): Int32Array {
  if (raw === null || typeof raw !== "object" || typeof raw.length !== "number") {
    throw new GeneratorError(`${ID}: degrees must be an array of non-negative integers, one per node.`);
  }
  checkNodeCount(ID, raw.length, 0, "degrees.length");
  const degrees = new Int32Array(raw.length);
  for (let v = 0; v < raw.length; v++) {
    const d = raw[v];
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0 || d > 2 ** 31 - 1) {
      throw new GeneratorError(`${ID}: degrees[${v}] must be a non-negative integer, got ${String(d)}.`);
    }
    degrees[v] = d;
  }
  return degrees;
}

export function configurationModel(params: ConfigurationModelParams, rng: Random): ConfigurationModelEdges {
  let degrees: Int32Array;
  if ("degrees" in params && params.degrees !== undefined) {
    if ("distribution" in params && params.distribution !== undefined) throw new GeneratorError(`${ID}: give either degrees or n with distribution, not both.`);
    degrees = explicitDegrees(params.degrees);
  } else if ("distribution" in params && params.distribution !== undefined) {
    degrees = sampleDegrees(ID, checkNodeCount(ID, params.n), params.distribution, rng);
  } else {
    throw new GeneratorError(`${ID}: give either degrees (one per node) or n with distribution ({poisson: mean} | {powerLaw: {exponent, kmin, kmax}} | {regular: k}).`);
  }
  const n = degrees.length;
  let stubs = 0;
  for (let v = 0; v < n; v++) stubs += degrees[v];
  let stubAddedTo = -1;
  if (stubs % 2 === 1) {
    stubAddedTo = rng.int(n);
    degrees[stubAddedTo]++;
    stubs++;
  }
  if (stubs / 2 > MAX_EDGES) {
    throw new GeneratorError(`${ID}: the degrees sum to ${stubs}, more than the ${2 * MAX_EDGES} stubs that fit in memory; lower n or the degrees.`);
  }

  // Stub v repeated degrees[v] times, shuffled, then paired (2i, 2i + 1).
  const stub = new Int32Array(stubs);
  for (let v = 0, s = 0; v < n; v++) for (let d = degrees[v]; d > 0; d--) stub[s++] = v;
  for (let i = stubs - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = stub[i];
    stub[i] = stub[j];
    stub[j] = t;
  }

  // Erase self-loops; sort the remaining edges by key (lower endpoint · n + higher) and keep one of each.
  const keys = new Float64Array(stubs / 2);
  let kept = 0;
  let selfLoops = 0;
  for (let i = 0; i < stubs; i += 2) {
    const a = stub[i];
    const b = stub[i + 1];
    if (a === b) selfLoops++;
    else keys[kept++] = a < b ? a * n + b : b * n + a;
  }
  const sorted = keys.subarray(0, kept).sort();
  const sources = new Int32Array(kept);
  const targets = new Int32Array(kept);
  let count = 0;
  for (let i = 0; i < kept; i++) {
    const key = sorted[i];
    if (i > 0 && sorted[i - 1] === key) continue;
    const lo = Math.floor(key / n);
    sources[count] = lo;
    targets[count++] = key - lo * n;
  }
  return {
    n,
    directed: false,
    sources,
    targets,
    count,
    erased: { selfLoops, multiEdges: kept - count },
    targetDegrees: degrees,
    stubAddedTo,
  };
}
