/**
 * Degree statistics and the epidemic thresholds they imply on uncorrelated networks.
 *  - SIR (bond percolation on the configuration model): an outbreak can be large only when the per-edge
 *    transmissibility T exceeds T_c = ⟨k⟩ / (⟨k²⟩ − ⟨k⟩).
 *    [Reference] Newman, M. E. J. (2002). "Spread of epidemic disease on networks." Physical Review E 66,
 *    016128.
 *  - SIS (heterogeneous mean field): an endemic state exists when λ = β/γ exceeds λ_c = ⟨k⟩ / ⟨k²⟩.
 *    [Reference] Pastor-Satorras, R. & Vespignani, A. (2001). "Epidemic spreading in scale-free networks."
 *    Physical Review Letters 86, 3200–3203.
 * Degrees are CSR arc counts: out-degrees for a directed graph, where these thresholds are only indicative.
 */
import type { CSR } from "./csr.js";

export interface DegreeStats {
  /** Number of nodes. */
  n: number;
  /** Number of edges: arcs / 2 for an undirected graph, arcs for a directed one. */
  m: number;
  meanDegree: number;
  meanSquareDegree: number;
  maxDegree: number;
  minDegree: number;
  /** Configuration-model SIR transmissibility threshold ⟨k⟩ / (⟨k²⟩ − ⟨k⟩); Infinity when ⟨k²⟩ ≤ ⟨k⟩. */
  sirThreshold: number;
  /** Heterogeneous mean-field SIS threshold ⟨k⟩ / ⟨k²⟩ on β/γ; Infinity when there are no edges. */
  sisThreshold: number;
}

/** Degree moments, extremes and epidemic thresholds of a CSR graph. An empty graph has zeros and Infinity. */
export function degreeStats(csr: CSR): DegreeStats {
  const { n, offsets } = csr;
  let sum = 0;
  let sumSquares = 0;
  let maxDegree = 0;
  let minDegree = n > 0 ? Infinity : 0;
  for (let v = 0; v < n; v++) {
    const k = offsets[v + 1] - offsets[v];
    sum += k;
    sumSquares += k * k;
    if (k > maxDegree) maxDegree = k;
    if (k < minDegree) minDegree = k;
  }
  const meanDegree = n > 0 ? sum / n : 0;
  const meanSquareDegree = n > 0 ? sumSquares / n : 0;
  const excess = meanSquareDegree - meanDegree;
  return {
    n,
    m: csr.directed ? csr.m : csr.m / 2,
    meanDegree,
    meanSquareDegree,
    maxDegree,
    minDegree,
    sirThreshold: excess > 0 ? meanDegree / excess : Infinity,
    sisThreshold: meanSquareDegree > 0 ? meanDegree / meanSquareDegree : Infinity,
  };
}

/** Number of nodes of each degree: entry k counts the nodes of degree k, for k = 0..maxDegree. */
export function degreeDistribution(csr: CSR): Float64Array {
  const { n, offsets } = csr;
  let maxDegree = 0;
  for (let v = 0; v < n; v++) maxDegree = Math.max(maxDegree, offsets[v + 1] - offsets[v]);
  const counts = new Float64Array(n > 0 ? maxDegree + 1 : 0);
  for (let v = 0; v < n; v++) counts[offsets[v + 1] - offsets[v]]++;
  return counts;
}
