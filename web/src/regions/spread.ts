/**
 * Spread between regions (pure logic, no DOM): the metapopulation SIR of the engine (models/reaction-diffusion.ts)
 * on the Regions tab's graph, as a network upload (graphology JSON, so a region left without edges stays a node)
 * and a POST /v1/runs scenario; "what if" interventions on mobility (close chosen edges, scale mobility by a
 * factor); per-region prevalence, peak time and final size from the run's `field`; the baseline / what-if
 * comparison.
 *
 * Mobility: the combinatorial Laplacian, so `mobility` is the per-capita rate of travel along EACH open edge
 * (a region with k open edges sends k·mobility of its people per day). Per-edge weights (an adjacency file's
 * weight column, or the correlation of the data-derived graph) make the rates per edge: edge e carries
 * mobility·w̃_e, with w̃_e = w_e / mean(w) over all the graph's edges (open or closed, so closing one edge does
 * not change the others' rates; negative correlations count as 0), so `mobility` stays the mean rate per edge
 * and a 0/1 adjacency gives the unweighted model. The uploaded network carries w̃ as the edge `weight`, which the
 * Laplacian multiplies: dN_i/dt = −mobility·Σ_j w̃_ij (N_i − N_j). With it, closing an edge stops the travel
 * on that edge; with the preset's default random-walk-flux Laplacian a region's travellers would instead be
 * re-routed over its remaining edges, and closing edges would not reduce travel at all.
 * The model is a deterministic ODE (Dormand–Prince): the scenario's seed is shown and sent, but the result does
 * not depend on it — the same request gives the same numbers.
 */
import { mix } from "./model.js";

export interface SpreadRegion {
  region: string;
  /** People in the region (the coordinates file's population when known). */
  population: number;
}
export interface SpreadEdge {
  source: string;
  target: string;
  /** The region graph's weight (absent: 1). */
  weight?: number;
}

/**
 * The reaction–diffusion presets this view runs: the metapopulation SIR (β, γ, people), or Fisher–KPP (an invading
 * density u ∈ [0, 1] growing logistically at rate r = β − γ, e.g. a new variant's share; D = mobility), or the heat
 * equation (pure diffusion: one unit of an amount u starts in the seed region and spreads with D = mobility; no
 * reaction, so Σu = 1 at all times and, on a connected graph, u → 1/n everywhere).
 */
export type SpreadModel = "metapopulation-sir" | "fisher-kpp" | "heat";

export interface SpreadSettings {
  /** Default metapopulation-sir. */
  model?: SpreadModel;
  beta: number;
  gamma: number;
  /** Per-capita travel rate along each open edge (1/day), before the what-if's factor. */
  mobility: number;
  seedRegion: string;
  /** Infectious people placed in the seed region at t = 0. */
  seedInfected: number;
  tmax: number;
  record: number;
  seed: number;
  /** Rates per edge from the graph's weights (default true); false: every edge at `mobility`. */
  weighted?: boolean;
}

export interface Interventions {
  /** Edges closed (keys from edgeKey). */
  closed: ReadonlySet<string>;
  /** Factor on every open edge's mobility (1: unchanged, 0: no travel). */
  mobilityScale: number;
}

/** Region population used when none is known (a mid-sized HHS region is a few times 10⁷; 10⁶ keeps counts readable). */
export const DEFAULT_POPULATION = 1_000_000;

/**
 * Defaults: β = 0.3/day and γ = 0.1/day are the preset's (R₀ = 3, a 10-day infectious period); mobility 0.002/day
 * per edge (0.2% of a region's people cross each border a day: on the HHS graph seeded in Region 9 the other regions
 * peak 1 to 2½ weeks after it, all within the 200 days shown; ten times less spreads the peaks over months).
 */
export const SPREAD_DEFAULTS = { beta: 0.3, gamma: 0.1, mobility: 0.002, seedInfected: 100, tmax: 200, record: 1, seed: 0 } as const;

/** The undirected key of an edge: both ends sorted, so a—b and b—a are one edge. */
export function edgeKey(a: string, b: string): string {
  return a < b ? `${a} — ${b}` : `${b} — ${a}`;
}

/** Distinct undirected edges without self-loops, in a stable order; a pair given twice keeps its first weight. */
export function regionEdges(edges: readonly SpreadEdge[]): SpreadEdge[] {
  const seen = new Map<string, SpreadEdge>();
  for (const e of edges) {
    if (e.source === e.target) continue;
    const key = edgeKey(e.source, e.target);
    if (seen.has(key)) continue;
    const ends = e.source < e.target ? { source: e.source, target: e.target } : { source: e.target, target: e.source };
    seen.set(key, e.weight === undefined ? ends : { ...ends, weight: e.weight });
  }
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => e);
}

/**
 * The edges with their relative mobility w̃_e = max(0, w_e) / mean over all edges of max(0, w) (see the header):
 * 1 everywhere when `weighted` is false, when no edge has a weight, or when every weight is 0.
 */
export function mobilityWeights(edges: readonly SpreadEdge[], weighted = true): SpreadEdge[] {
  const distinct = regionEdges(edges);
  const raw = distinct.map((e) => (weighted ? Math.max(0, e.weight ?? 1) : 1));
  const mean = raw.reduce((a, b) => a + b, 0) / Math.max(1, raw.length);
  return distinct.map((e, i) => ({ source: e.source, target: e.target, weight: mean > 0 ? raw[i] / mean : 1 }));
}

/** Line width of an edge on the maps: 0.5 px plus up to 3.5 px in proportion to its rate over the largest baseline rate. */
export function edgeWidth(rate: number, maxRate: number): number {
  return 0.5 + 3.5 * (maxRate > 0 ? Math.min(1, Math.max(0, rate) / maxRate) : 0);
}

/** The edges that stay open under the interventions. */
export function openEdges(edges: readonly SpreadEdge[], interventions: Pick<Interventions, "closed">): SpreadEdge[] {
  return regionEdges(edges).filter((e) => !interventions.closed.has(edgeKey(e.source, e.target)));
}

/** The region graph as graphology JSON for POST /v1/networks?format=json (every region is a node, even with no edge left). */
export function spreadNetwork(regions: readonly SpreadRegion[], edges: readonly SpreadEdge[]): string {
  return JSON.stringify({
    options: { type: "undirected", multi: false, allowSelfLoops: false },
    nodes: regions.map((r) => ({ key: r.region })),
    edges: edges.map((e) => (e.weight === undefined ? { source: e.source, target: e.target } : { source: e.source, target: e.target, attributes: { weight: e.weight } })),
  });
}

/** Check the settings; returns [field path, message] pairs (empty when fine). */
export function spreadIssues(regions: readonly SpreadRegion[], s: SpreadSettings, interventions: Interventions): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const positive = (path: string, v: number, strict = false) => {
    if (!Number.isFinite(v) || v < 0 || (strict && v === 0)) out.push({ path, message: `expected a finite number ${strict ? ">" : "≥"} 0, got ${v}.` });
  };
  positive("model.params.beta", s.beta);
  positive("model.params.gamma", s.gamma);
  positive("model.params.mobilityS", s.mobility);
  positive("whatIf.mobilityScale", interventions.mobilityScale);
  positive("time.tmax", s.tmax, true);
  positive("time.record", s.record, true);
  const seeded = regions.find((r) => r.region === s.seedRegion);
  if (!seeded) out.push({ path: "initial.I.nodes", message: `"${s.seedRegion}" is not one of the regions.` });
  else if (!(s.seedInfected > 0 && s.seedInfected <= seeded.population)) out.push({ path: "initial.I.nodes", message: `expected between 0 and the region's population (${seeded.population}) infectious people, got ${s.seedInfected}.` });
  return out;
}

/**
 * The scenario for POST /v1/runs (with the uploaded network's id): metapopulation SIR, combinatorial Laplacian,
 * the same mobility for S, I and R (travel does not depend on infection status), times the what-if's factor.
 */
export function spreadScenario(regions: readonly SpreadRegion[], s: SpreadSettings, interventions: Interventions, name: string): Record<string, unknown> {
  const mobility = s.mobility * interventions.mobilityScale;
  if (s.model === "heat") {
    return {
      name,
      seed: s.seed,
      network: { weight: "weight" },
      model: { type: "reaction-diffusion", preset: "heat", laplacian: "combinatorial", params: { D: mobility } },
      initial: { u: { nodes: { [s.seedRegion]: 1 } } },
      time: { mode: "continuous", tmax: s.tmax, record: s.record },
    };
  }
  if (s.model === "fisher-kpp") {
    // The seed region starts at the share I₀/N of its carrying capacity.
    const N = regions.find((r) => r.region === s.seedRegion)?.population ?? DEFAULT_POPULATION;
    return {
      name,
      seed: s.seed,
      network: { weight: "weight" },
      model: { type: "reaction-diffusion", preset: "fisher-kpp", laplacian: "combinatorial", params: { D: mobility, r: s.beta - s.gamma } },
      initial: { u: { nodes: { [s.seedRegion]: s.seedInfected / N } } },
      time: { mode: "continuous", tmax: s.tmax, record: s.record },
    };
  }
  const S: Record<string, number> = {};
  for (const r of regions) S[r.region] = r.region === s.seedRegion ? r.population - s.seedInfected : r.population;
  return {
    name,
    seed: s.seed,
    // The uploaded edges' relative mobility (spreadNetwork, mobilityWeights); an edge without one counts 1.
    network: { weight: "weight" },
    model: { type: "reaction-diffusion", preset: "metapopulation-sir", laplacian: "combinatorial", params: { beta: s.beta, gamma: s.gamma, mobilityS: mobility, mobilityI: mobility, mobilityR: mobility } },
    initial: { S: { nodes: S }, I: { nodes: { [s.seedRegion]: s.seedInfected } } },
    time: { mode: "continuous", tmax: s.tmax, record: s.record },
  };
}

/** The part of a run's result this view reads (the v1 schema with a reaction–diffusion `field`). */
export interface FieldResultLike {
  times: number[];
  field?: { nodeIds: string[]; [variable: string]: string[] | number[][] };
}

export interface RegionOutcome {
  region: string;
  /** Prevalence I/N at each record time (Fisher–KPP: u). */
  prevalence: number[];
  /** Record time of the largest prevalence (null when the epidemic never reaches the region), and that prevalence.
   * Fisher–KPP: the first record time u ≥ ½ (the front's arrival; null if never), and the largest u. */
  peakTime: number | null;
  peak: number;
  /** Final size: R/N at the last record time (share of the region's people ever infected); Fisher–KPP: final u. */
  finalSize: number;
}

/**
 * Per-region prevalence curves, peaks and final sizes from a metapopulation-SIR field (or a Fisher–KPP one; with
 * `model` "heat", u with its largest value and that value's time, and the final u: the region's share of the amount).
 */
export function regionOutcomes(result: FieldResultLike, model?: SpreadModel): RegionOutcome[] {
  const f = result.field;
  if (f && Array.isArray(f.u) && model === "heat") {
    const u = f.u as number[][];
    return f.nodeIds.map((region, i) => {
      const values = result.times.map((_, k) => u[k][i]);
      let best = 0;
      for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
      return { region, prevalence: values, peakTime: values[best] > 0 ? result.times[best] : null, peak: values[best], finalSize: values[values.length - 1] };
    });
  }
  if (f && Array.isArray(f.u) && !Array.isArray(f.I)) {
    // Fisher–KPP: u itself; "peak" = the first record time u reaches ½ (the front's arrival), final = u at the end.
    const u = f.u as number[][];
    return f.nodeIds.map((region, i) => {
      const values = result.times.map((_, k) => u[k][i]);
      const k = values.findIndex((v) => v >= 0.5);
      return { region, prevalence: values, peakTime: k < 0 ? null : result.times[k], peak: Math.max(...values), finalSize: values[values.length - 1] };
    });
  }
  if (!f || !Array.isArray(f.S) || !Array.isArray(f.I) || !Array.isArray(f.R)) throw new Error("the result has no S, I, R field (is it a metapopulation-sir run?) nor a u field (fisher-kpp).");
  const [S, I, R] = [f.S as number[][], f.I as number[][], f.R as number[][]];
  const last = result.times.length - 1;
  return f.nodeIds.map((region, i) => {
    const prevalence = result.times.map((_, k) => {
      const n = S[k][i] + I[k][i] + R[k][i];
      return n > 0 ? I[k][i] / n : 0;
    });
    let best = 0;
    for (let k = 1; k < prevalence.length; k++) if (prevalence[k] > prevalence[best]) best = k;
    const n = S[last][i] + I[last][i] + R[last][i];
    return { region, prevalence, peakTime: prevalence[best] > 0 ? result.times[best] : null, peak: prevalence[best], finalSize: n > 0 ? R[last][i] / n : 0 };
  });
}

export interface ComparisonRow {
  region: string;
  baseline: { peakTime: number | null; peak: number; finalSize: number };
  whatIf: { peakTime: number | null; peak: number; finalSize: number };
  /** What-if minus baseline: days of delay of the peak (null when either run has no peak there), change of the final size. */
  delay: number | null;
  finalSizeChange: number;
}

/** Baseline and what-if side by side, region by region (the baseline's order). */
export function compareOutcomes(baseline: readonly RegionOutcome[], whatIf: readonly RegionOutcome[]): ComparisonRow[] {
  const other = new Map(whatIf.map((o) => [o.region, o]));
  return baseline.map((b) => {
    const w = other.get(b.region);
    if (!w) throw new Error(`region "${b.region}" is missing from the what-if run.`);
    const pick = (o: RegionOutcome) => ({ peakTime: o.peakTime, peak: o.peak, finalSize: o.finalSize });
    return { region: b.region, baseline: pick(b), whatIf: pick(w), delay: w.peakTime === null || b.peakTime === null ? null : w.peakTime - b.peakTime, finalSizeChange: w.finalSize - b.finalSize };
  });
}

/** Low and high ends of the prevalence scale (white → dark red-purple), the same ends as the intensity scale. */
const PREVALENCE_LOW = "#f3e6ef";
const PREVALENCE_HIGH = "#7a2a5c";

/**
 * Prevalence → colour on a square-root scale up to `max` (the largest prevalence of either run, so both runs
 * share one scale): early, small prevalences stay visible as the epidemic arrives in a region.
 */
export function prevalenceColour(p: number, max: number): string {
  return mix(PREVALENCE_LOW, PREVALENCE_HIGH, max > 0 ? Math.sqrt(Math.max(0, p) / max) : 0);
}

/** Legend entries for the prevalence scale. */
export function prevalenceLegend(max: number, what = "infectious"): { label: string; colour: string }[] {
  return [0, 0.25, 0.5, 1].map((q) => ({ label: `${(q * q * max * 100).toFixed(q === 0 ? 0 : 2)}% ${what}`, colour: prevalenceColour(q * q * max, max) }));
}
