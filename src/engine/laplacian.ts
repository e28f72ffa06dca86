/**
 * Graph Laplacians applied on CSR without allocation: `diffuse` writes (or adds) −D·L·u.
 *   [Reference] Chung, F. R. K. (1997). Spectral Graph Theory. AMS, §1.2 (L, L_sym, isolated vertices).
 *   [Reference] Masuda, N.; Porter, M. A.; Lambiotte, R. (2017). "Random walks and diffusion on networks."
 *   Physics Reports 716–717, 1–58, §2–3 (combinatorial vs random-walk diffusion, directed flows).
 *   [Reference] Colizza, V.; Pastor-Satorras, R.; Vespignani, A. (2007). "Reaction–diffusion processes and
 *   metapopulation models in heterogeneous networks." Nature Physics 3, 276–282 (per-capita hopping).
 *
 * Notation: w_ij is the weight of arc i → j (1 when the CSR is unweighted), d_i = Σ_j w_ij the weighted
 * (out-)degree. An undirected graph stores both arcs, so w_ij = w_ji there.
 *
 * | kind | (L·u)_i | conserved by u' = −D·L·u (undirected) |
 * |---|---|---|
 * | combinatorial | Σ_j w_ij (u_i − u_j) = d_i u_i − Σ_j w_ij u_j | Σ_i u_i |
 * | random-walk | u_i − (1/d_i) Σ_j w_ij u_j   (L_rw = I − D⁻¹A) | Σ_i d_i u_i (not Σ u) |
 * | symmetric | u_i − Σ_j w_ij u_j / √(d_i d_j)   (L_sym = I − D^(−½) A D^(−½)) | Σ_i √d_i u_i |
 * | random-walk-flux | u_i − Σ_j w_ji u_j / d_j   (L_rwᵀ = I − A D⁻¹) | Σ_i u_i |
 *
 * Proof sketch: c is conserved iff cᵀL = 0. For symmetric A: 1ᵀ(D − A) = 0; dᵀ(I − D⁻¹A) = dᵀ − 1ᵀA = 0;
 * (√d)ᵀ(I − D^(−½)AD^(−½)) = √dᵀ − 1ᵀAD^(−½) = 0; 1ᵀ(I − AD⁻¹) = 1ᵀ − dᵀD⁻¹ = 0.
 * "random-walk" treats u as a concentration that relaxes toward the weighted mean of the neighbours (each
 * node at rate D); "random-walk-flux" treats u as an amount whose every unit leaves its node at rate D and
 * moves along an arc chosen in proportion to its weight — the metapopulation mobility of Colizza et al.
 * Isolated nodes (d_i = 0) have a zero row in every kind: they neither send nor receive.
 *
 * Directed graphs (arc i → j: "i acts on j", see csr.ts):
 *  - combinatorial = flow along arcs: amount u_i flows to j at rate D·w_ij, i.e. u' = −D·(D_out − A)ᵀ·u.
 *    Σ u is conserved on any directed graph. (On undirected graphs this equals the table's formula.)
 *  - random-walk-flux: as above with per-capita rate D split by weight; Σ u conserved; a node without
 *    out-arcs keeps what it receives (absorbing).
 *  - random-walk: relaxation toward the weighted mean of the OUT-neighbours (consensus / DeGroot averaging,
 *    L_rw = I − D_out⁻¹A); no linear quantity is conserved in general.
 *  - symmetric: not defined (ModelError); use one of the others.
 */
import type { CSR } from "../graph/csr.js";
import { ModelError } from "../errors.js";
// The kinds are part of a model's definition (models/reaction-diffusion.ts); re-exported for the callers here.
import { LAPLACIAN_KINDS, type LaplacianKind } from "../models/reaction-diffusion.js";

export { LAPLACIAN_KINDS, type LaplacianKind };

/** A Laplacian bound to one network, with the degree vectors it needs precomputed. */
export interface Laplacian {
  readonly kind: LaplacianKind;
  readonly csr: CSR;
  /** Weighted out-degree d_i = Σ_j w_ij (the degree on undirected graphs). */
  readonly degree: Float64Array;
  /** 1/d_i, or 0 for d_i = 0. */
  readonly inverseDegree: Float64Array;
  /** 1/√d_i, or 0 for d_i = 0. */
  readonly inverseSqrtDegree: Float64Array;
  /** True when arcs are applied as flows (scatter form): directed combinatorial, and random-walk-flux. */
  readonly flow: boolean;
}

/** Bind a Laplacian kind to a network; throws ModelError for an unknown kind or L_sym on a directed graph. */
export function createLaplacian(csr: CSR, kind: LaplacianKind = "combinatorial"): Laplacian {
  if (!LAPLACIAN_KINDS.includes(kind)) {
    throw new ModelError(`laplacian: unknown kind "${String(kind)}"; expected one of ${LAPLACIAN_KINDS.join(", ")}.`);
  }
  if (kind === "symmetric" && csr.directed) {
    throw new ModelError('laplacian: "symmetric" (I − D^(−½)AD^(−½)) is defined for undirected graphs only; use "combinatorial" or "random-walk-flux" on a directed network.');
  }
  const { n, offsets, weights } = csr;
  const degree = new Float64Array(n);
  const inverseDegree = new Float64Array(n);
  const inverseSqrtDegree = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    if (weights === null) d = offsets[i + 1] - offsets[i];
    else for (let a = offsets[i]; a < offsets[i + 1]; a++) d += weights[a];
    degree[i] = d;
    if (d > 0) {
      inverseDegree[i] = 1 / d;
      inverseSqrtDegree[i] = 1 / Math.sqrt(d);
    }
  }
  const flow = kind === "random-walk-flux" || (kind === "combinatorial" && csr.directed);
  return { kind, csr, degree, inverseDegree, inverseSqrtDegree, flow };
}

/**
 * out ← −D·L·u, or out ← out − D·L·u when `accumulate`. `u` and `out` have length n and must not overlap.
 * Allocation-free: one pass over the arcs.
 */
export function diffuse(op: Laplacian, coefficient: number, u: Float64Array, out: Float64Array, accumulate = false): void {
  const { offsets, targets, weights, n } = op.csr;
  const D = coefficient;
  if (op.flow) {
    // Scatter: each node sends along its out-arcs. combinatorial: rate D·w_ij; flux: D·w_ij/d_i.
    const perCapita = op.kind === "random-walk-flux";
    if (!accumulate) out.fill(0);
    for (let i = 0; i < n; i++) {
      const ui = u[i];
      if (ui === 0 || op.degree[i] === 0) continue;
      const scale = perCapita ? D * ui * op.inverseDegree[i] : D * ui;
      out[i] -= perCapita ? D * ui : D * ui * op.degree[i];
      const end = offsets[i + 1];
      if (weights === null) for (let a = offsets[i]; a < end; a++) out[targets[a]] += scale;
      else for (let a = offsets[i]; a < end; a++) out[targets[a]] += scale * weights[a];
    }
    return;
  }
  // Gather: (L·u)_i from the arcs leaving i.
  const { kind, inverseDegree, inverseSqrtDegree } = op;
  for (let i = 0; i < n; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
    const ui = u[i];
    let lu = 0;
    if (start < end) {
      if (kind === "combinatorial") {
        if (weights === null) for (let a = start; a < end; a++) lu += ui - u[targets[a]];
        else for (let a = start; a < end; a++) lu += weights[a] * (ui - u[targets[a]]);
      } else if (kind === "random-walk") {
        let s = 0;
        if (weights === null) for (let a = start; a < end; a++) s += u[targets[a]];
        else for (let a = start; a < end; a++) s += weights[a] * u[targets[a]];
        lu = inverseDegree[i] > 0 ? ui - inverseDegree[i] * s : 0;
      } else {
        let s = 0;
        if (weights === null) for (let a = start; a < end; a++) s += inverseSqrtDegree[targets[a]] * u[targets[a]];
        else for (let a = start; a < end; a++) s += weights[a] * inverseSqrtDegree[targets[a]] * u[targets[a]];
        lu = inverseSqrtDegree[i] > 0 ? ui - inverseSqrtDegree[i] * s : 0;
      }
    }
    out[i] = accumulate ? out[i] - D * lu : -D * lu;
  }
}

/**
 * Weights c with Σ_i c_i u_i conserved by u' = −D·L·u (see the table in the header), or null when no
 * linear quantity is conserved in general (random-walk on a directed graph).
 */
export function conservedWeights(op: Laplacian): Float64Array | null {
  const n = op.csr.n;
  switch (op.kind) {
    case "combinatorial":
    case "random-walk-flux":
      return new Float64Array(n).fill(1);
    case "random-walk":
      return op.csr.directed ? null : Float64Array.from(op.degree);
    case "symmetric":
      return Float64Array.from(op.degree, Math.sqrt);
  }
}

/** Plain-words statement of what the kind conserves on this network, for result metadata. */
export function conservationLaw(op: Laplacian): string {
  const w = conservedWeights(op);
  if (w === null) return "no conserved linear quantity (random-walk relaxation on a directed graph)";
  if (op.kind === "random-walk") return "Σ_i d_i·u_i conserved (degree-weighted)";
  if (op.kind === "symmetric") return "Σ_i √d_i·u_i conserved";
  return "Σ_i u_i conserved";
}
