/**
 * Two-dimensional square lattice (grid graph), optionally periodic (a torus): the regular, spatially
 * embedded contact structure of the classic lattice epidemic models.
 *   [Reference] Grassberger, P. (1983). "On the critical behavior of the general epidemic process and
 *   dynamical percolation." Mathematical Biosciences 63, 157–172.
 * Node (r, c) has index r·cols + c and is joined to (r, c + 1) and (r + 1, c). With `periodic`, the last
 * column joins the first and the last row the first — only along a side of length ≥ 3, since shorter sides
 * would wrap onto an existing edge or onto the node itself. Edges: rows(cols − 1) + cols(rows − 1) open,
 * 2·rows·cols on a torus with both sides ≥ 3.
 */
import type { Random } from "../../random.js";
import { GeneratorError } from "../../errors.js";
import type { EdgeList } from "../edgelist.js";
import { checkEdgeBudget, checkNodeCount } from "./params.js";

const ID = "lattice";

export interface LatticeParams {
  rows: number;
  cols: number;
  /** Wrap around both sides (a torus). Default false. */
  periodic?: boolean;
}

export function lattice(params: LatticeParams, _rng?: Random): EdgeList {
  const rows = checkNodeCount(ID, params.rows, 1, "rows");
  const cols = checkNodeCount(ID, params.cols, 1, "cols");
  const periodic = params.periodic ?? false;
  if (typeof periodic !== "boolean") throw new GeneratorError(`${ID}: periodic must be true or false, got ${String(periodic)}.`);
  const n = checkNodeCount(ID, rows * cols, 0, "rows × cols");
  const wrapCols = periodic && cols >= 3;
  const wrapRows = periodic && rows >= 3;
  const count = rows * (wrapCols ? cols : cols - 1) + cols * (wrapRows ? rows : rows - 1);
  checkEdgeBudget(ID, count);
  const sources = new Int32Array(count);
  const targets = new Int32Array(count);
  let e = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = r * cols + c;
      if (c + 1 < cols) {
        sources[e] = v;
        targets[e++] = v + 1;
      } else if (wrapCols) {
        sources[e] = v;
        targets[e++] = r * cols;
      }
      if (r + 1 < rows) {
        sources[e] = v;
        targets[e++] = v + cols;
      } else if (wrapRows) {
        sources[e] = v;
        targets[e++] = c;
      }
    }
  }
  return { n, directed: false, sources, targets, count: e };
}
