/**
 * Complete graph K_n: every pair joined, n(n − 1)/2 edges — the well-mixed population of the classic
 * Kermack–McKendrick model, on which network epidemics reduce to mass action.
 *   [Reference] Kermack, W. O. & McKendrick, A. G. (1927). "A contribution to the mathematical theory of
 *   epidemics." Proc. R. Soc. Lond. A 115, 700–721.
 */
import type { Random } from "../../random.js";
import type { EdgeList } from "../edgelist.js";
import { checkEdgeBudget, checkNodeCount } from "./params.js";

const ID = "complete";

export interface CompleteParams {
  n: number;
}

export function complete(params: CompleteParams, _rng?: Random): EdgeList {
  const n = checkNodeCount(ID, params.n);
  const count = (n * (n - 1)) / 2;
  checkEdgeBudget(ID, count);
  const sources = new Int32Array(count);
  const targets = new Int32Array(count);
  let e = 0;
  for (let v = 1; v < n; v++) {
    for (let w = 0; w < v; w++) {
      sources[e] = v;
      targets[e++] = w;
    }
  }
  return { n, directed: false, sources, targets, count };
}
