/**
 * What `spreadlab network stats` reports: degrees, density, connected components (union-find on the CSR),
 * the epidemic thresholds, and a degree histogram (log-binned for heavy tails).
 */
import type { CSR } from "../graph/csr.js";
import { degreeDistribution, degreeStats } from "../graph/stats.js";
import type { LoadFormat } from "../graph/load.js";
import type { GeneratorSpec } from "../graph/generators/index.js";

export interface HistogramBin {
  /** Smallest degree in the bin. */
  min: number;
  /** Largest degree in the bin (inclusive). */
  max: number;
  /** Number of nodes whose degree is in [min, max]. */
  count: number;
}

export interface NetworkStats {
  /** The file read, or the generator spec and seed. */
  source: { file: string; format: LoadFormat } | { generate: GeneratorSpec; seed: number };
  nodes: number;
  /** Edges other than self-loops (what the engines see). */
  edges: number;
  /** Self-loops in the input (dropped by the CSR the engines use). */
  selfLoops: number;
  directed: boolean;
  /** ⟨k⟩ (out-degrees for a directed graph). */
  meanDegree: number;
  /** ⟨k²⟩. */
  meanSquareDegree: number;
  minDegree: number;
  maxDegree: number;
  /** edges / possible edges: 2m / (n(n − 1)) undirected, m / (n(n − 1)) directed; 0 when n < 2. */
  density: number;
  /** Connected components (weakly connected for a directed graph). */
  components: number;
  /** Nodes in the largest component. */
  largestComponent: number;
  /** Nodes with no edges at all. */
  isolated: number;
  /** Configuration-model SIR threshold T_c = ⟨k⟩ / (⟨k²⟩ − ⟨k⟩); null when infinite (⟨k²⟩ ≤ ⟨k⟩). */
  sirThreshold: number | null;
  /** Heterogeneous mean-field SIS threshold λ_c = ⟨k⟩ / ⟨k²⟩; null when infinite (no edges). */
  sisThreshold: number | null;
  /** "linear": one bin per degree; "log2": bins [0], [1], [2, 3], [4, 7], … for wide degree ranges. */
  histogramBinning: "linear" | "log2";
  degreeHistogram: HistogramBin[];
}

/** Connected components of a CSR by union-find (arcs taken as undirected: weak components of a digraph). */
export function componentSizes(csr: CSR): number[] {
  const { n, offsets, targets } = csr;
  const parent = new Int32Array(n);
  for (let v = 0; v < n; v++) parent[v] = v;
  const find = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r];
    while (parent[v] !== r) {
      const next = parent[v];
      parent[v] = r;
      v = next;
    }
    return r;
  };
  for (let v = 0; v < n; v++) {
    for (let a = offsets[v]; a < offsets[v + 1]; a++) {
      const x = find(v);
      const y = find(targets[a]);
      if (x !== y) {
        if (x < y) parent[y] = x;
        else parent[x] = y;
      }
    }
  }
  const size = new Map<number, number>();
  for (let v = 0; v < n; v++) {
    const r = find(v);
    size.set(r, (size.get(r) ?? 0) + 1);
  }
  return [...size.values()].sort((a, b) => b - a);
}

/** Degree histogram: one bin per degree when the range is narrow (< 16 values), else log2 bins. */
export function degreeHistogram(csr: CSR): { binning: "linear" | "log2"; bins: HistogramBin[] } {
  const counts = degreeDistribution(csr);
  if (counts.length === 0) return { binning: "linear", bins: [] };
  let min = 0;
  while (counts[min] === 0) min++;
  const max = counts.length - 1;
  if (max - min < 16) {
    const bins: HistogramBin[] = [];
    for (let k = min; k <= max; k++) bins.push({ min: k, max: k, count: counts[k] });
    return { binning: "linear", bins };
  }
  const bins: HistogramBin[] = [];
  for (let lo = 0; lo <= max; lo = lo === 0 ? 1 : lo * 2) {
    const hi = lo === 0 ? 0 : Math.min(2 * lo - 1, max);
    if (hi < min) continue;
    let count = 0;
    for (let k = lo; k <= hi; k++) count += counts[k];
    bins.push({ min: lo, max: hi, count });
  }
  return { binning: "log2", bins };
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function networkStats(csr: CSR, source: NetworkStats["source"], extra: { edges?: number; selfLoops?: number } = {}): NetworkStats {
  const s = degreeStats(csr);
  const edges = extra.edges ?? s.m;
  const pairs = s.n * (s.n - 1);
  const sizes = componentSizes(csr);
  const histogram = degreeHistogram(csr);
  let isolated = 0;
  for (const size of sizes) if (size === 1) isolated++;
  return {
    source,
    nodes: s.n,
    edges,
    selfLoops: extra.selfLoops ?? 0,
    directed: csr.directed,
    meanDegree: s.meanDegree,
    meanSquareDegree: s.meanSquareDegree,
    minDegree: s.minDegree,
    maxDegree: s.maxDegree,
    density: pairs > 0 ? ((csr.directed ? 1 : 2) * edges) / pairs : 0,
    components: sizes.length,
    largestComponent: sizes[0] ?? 0,
    isolated,
    sirThreshold: finiteOrNull(s.sirThreshold),
    sisThreshold: finiteOrNull(s.sisThreshold),
    histogramBinning: histogram.binning,
    degreeHistogram: histogram.bins,
  };
}

/** Up to 4 significant digits, no trailing zeros; null (an infinite threshold) as ∞. */
function num(x: number | null): string {
  if (x === null) return "∞";
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

export function formatStats(st: NetworkStats): string {
  const name = "file" in st.source ? st.source.file : `${st.source.generate.type} (seed ${st.source.seed})`;
  const pct = st.nodes > 0 ? ` (${num((100 * st.largestComponent) / st.nodes)}%)` : "";
  const lines = [
    `${name}: ${st.directed ? "directed" : "undirected"}, ${st.nodes} nodes, ${st.edges} edges${st.selfLoops > 0 ? ` (+${st.selfLoops} self-loops, ignored)` : ""}`,
    `  mean degree ⟨k⟩     ${num(st.meanDegree)}${st.directed ? " (out-degree)" : ""}`,
    `  ⟨k²⟩                ${num(st.meanSquareDegree)}`,
    `  degree min / max    ${st.minDegree} / ${st.maxDegree}`,
    `  density             ${num(st.density)}`,
    `  components          ${st.components}${st.directed ? " (weak)" : ""}, largest ${st.largestComponent} nodes${pct}${st.isolated > 0 ? `, ${st.isolated} isolated` : ""}`,
    `  SIR threshold T_c   ${num(st.sirThreshold).padEnd(8)}  (configuration model, ⟨k⟩/(⟨k²⟩−⟨k⟩))`,
    `  SIS threshold λ_c   ${num(st.sisThreshold).padEnd(8)}  (heterogeneous mean field, ⟨k⟩/⟨k²⟩)`,
  ];
  if (st.degreeHistogram.length > 0) {
    lines.push(`  degree histogram${st.histogramBinning === "log2" ? " (log2 bins)" : ""}`);
    const labels = st.degreeHistogram.map((b) => (b.min === b.max ? String(b.min) : `${b.min}–${b.max}`));
    const width = Math.max(...labels.map((l) => l.length));
    const countWidth = Math.max(...st.degreeHistogram.map((b) => String(b.count).length));
    const top = Math.max(...st.degreeHistogram.map((b) => b.count));
    st.degreeHistogram.forEach((b, i) => {
      const bar = b.count === 0 ? "" : "█".repeat(Math.max(1, Math.round((30 * b.count) / top)));
      lines.push(`    k ${labels[i].padEnd(width)}  ${String(b.count).padStart(countWidth)}  ${bar}`.trimEnd());
    });
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

