/**
 * From per-run records to the v1 result. Every family (compartmental, cascades) produces one `RunRecord`
 * per run; records are assembled in run order, so the result is the same whether the runs were made in
 * one thread or spread over workers.
 */
import { bands, meanSd, type BandSummary } from "./summary.js";
import type { StateHistory } from "../engine/trajectory.js";
import { CONTROL_COUNTS, type ControlCounts } from "../engine/testing.js";
import { endemicPrevalence, vaccinatedSummary, type Prevalence, type Vaccinated } from "./burden.js";

/** What one run contributes to an ensemble result. Plain data: it crosses worker boundaries. */
export interface RunRecord {
  run: number;
  /** Record times of this run (a run that ends early has fewer). */
  times: number[];
  /** Row-major counts: counts[k · nComp + c]. */
  counts: number[];
  /** Infections (seeds included); cascades: nodes ever active. */
  finalSize: number;
  /** Nodes moved out of S by vaccination, never infected before (compartmental runs with vaccination). */
  vaccinated?: number;
  /** When each of those vaccinations happened, in order. */
  vaccinationTimes?: number[];
  peak: number;
  peakTime: number;
  events: number;
  /** Testing and tracing counts of this run (scenarios with testing or tracing entries). */
  testing?: ControlCounts;
  /** Time of the run's last event (continuous), steps × dt (discrete), or rounds (cascades). */
  duration?: number;
  /** Final compartment index per node, when node states are kept for this run. */
  state?: Uint8Array;
  /** Time each node was first infected (NaN: never), when requested. */
  infectionTime?: Float64Array;
  /** Every state change, when requested. */
  history?: StateHistory;
}

export interface NodeRunOutput {
  run: number;
  /** Compartment name of every node at the end, in `nodeIds` order. */
  state: string[];
  /** Time each node was first infected (null if never; vaccinated and initially immune nodes: null). */
  infectionTime?: (number | null)[];
  /**
   * Every state change in time order, when `output.history` is set: `initial[i]` is node i's compartment at
   * t = 0; node `node[j]` moved to compartment `to[j]` at `time[j]` (indices into nodeIds and compartments).
   */
  history?: { initial: number[]; time: number[]; node: number[]; to: number[] };
}

/** The v1 result schema (DESIGN.md), shared by the library, CLI and REST API. */
export interface SimulationResult extends BandSummary {
  schemaVersion: 1;
  scenario: string;
  seed: number;
  runs: number;
  n: number;
  model: string;
  compartments: string[];
  times: number[];
  /**
   * Infections per run: seeds, nodes infected along edges, imported cases (each node once). Vaccinated nodes
   * and nodes that start immune are not infections. Cascades: nodes ever active, seeds included.
   */
  finalSize: { mean: number; sd: number; values: number[] };
  /** Nodes vaccinated (never infected before), per run, and the mean cumulative curve; only with vaccination. */
  vaccinated?: Vaccinated;
  /**
   * Testing and tracing (engine/testing.ts), per run and mean/sd: tests performed, positive results,
   * isolations, contacts traced, quarantines, and quarantines of nodes still uninfected when they began.
   */
  testing?: ControlSummary;
  /** Endemic models (infected nodes return to S): mean infectious count over the last fifth of the run. */
  prevalence?: Prevalence;
  peak: { mean: number; sd: number; values: number[]; time: { mean: number; sd: number; values: number[] } };
  /** Final size as a fraction of the nodes. */
  attackRate?: { mean: number; sd: number };
  /** How long the runs lasted: until the last event (at most tmax). */
  duration?: { mean: number; sd: number; values: number[] };
  events: { mean: number; total: number };
  nodes?: { nodeIds: string[]; runs: NodeRunOutput[] };
  /** Per-run counts, `series[compartment][run][k]`, when requested (runs that ended early are extended with their last value). */
  series?: Record<string, number[][]>;
  elapsedMs: number;
  engine: { name: string; semantics: string };
}

export interface EnsembleMeta {
  scenario: string;
  seed: number;
  n: number;
  model: string;
  compartments: string[];
  engine: { name: string; semantics: string };
  nodeIds: string[];
  /** Also return every run's counts. */
  series?: boolean;
  /** The scenario vaccinates: report `vaccinated`. */
  vaccination?: boolean;
  /** The scenario tests or traces: report `testing`. */
  testing?: boolean;
  /** An endemic model: report `prevalence` over these (infectious) compartment indices. */
  endemic?: { infectious: number[] };
}

function perRunSeries(records: RunRecord[], nTimes: number, compartments: string[]): Record<string, number[][]> {
  const nComp = compartments.length;
  const out: Record<string, number[][]> = {};
  compartments.forEach((name, c) => {
    out[name] = records.map(({ counts }) => {
      const rows = counts.length / nComp;
      return Array.from({ length: nTimes }, (_, k) => counts[Math.min(k, rows - 1) * nComp + c]);
    });
  });
  return out;
}

/** Assemble run records (in any order) into the v1 result. */
export function assemble(meta: EnsembleMeta, unordered: RunRecord[], startedAt: number): SimulationResult {
  const records = [...unordered].sort((a, b) => a.run - b.run);
  let longest: number[] = [];
  for (const r of records) if (r.times.length > longest.length) longest = r.times;
  const band = bands(
    records.map((r) => r.counts),
    longest.length,
    meta.compartments,
  );
  const pick = (f: (r: RunRecord) => number) => records.map(f);
  const finalSizes = pick((r) => r.finalSize);
  const peaks = pick((r) => r.peak);
  const peakTimes = pick((r) => r.peakTime);
  const events = records.reduce((s, r) => s + r.events, 0);
  const result: SimulationResult = {
    schemaVersion: 1,
    scenario: meta.scenario,
    seed: meta.seed,
    runs: records.length,
    n: meta.n,
    model: meta.model,
    compartments: [...meta.compartments],
    times: longest,
    ...band,
    finalSize: { ...meanSd(finalSizes), values: finalSizes },
    peak: { ...meanSd(peaks), values: peaks, time: { ...meanSd(peakTimes), values: peakTimes } },
    attackRate: { mean: meanSd(finalSizes).mean / meta.n, sd: meanSd(finalSizes).sd / meta.n },
    events: { mean: events / records.length, total: events },
    elapsedMs: 0,
    engine: meta.engine,
  };
  if (meta.vaccination) result.vaccinated = vaccinatedSummary(records, longest);
  if (meta.testing) result.testing = controlSummary(records);
  if (meta.endemic) result.prevalence = endemicPrevalence(records.map((r) => r.counts), longest, meta.compartments.length, meta.endemic.infectious);
  if (records.every((r) => r.duration !== undefined)) {
    const durations = pick((r) => r.duration!);
    result.duration = { ...meanSd(durations), values: durations };
  }
  const kept = records.filter((r) => r.state !== undefined);
  if (kept.length > 0) {
    const names = meta.compartments;
    result.nodes = {
      nodeIds: meta.nodeIds,
      runs: kept.map((r) => {
        const node: NodeRunOutput = { run: r.run, state: Array.from(r.state!, (c) => names[c]) };
        if (r.infectionTime) node.infectionTime = Array.from(r.infectionTime, (t) => (Number.isNaN(t) ? null : t));
        if (r.history) node.history = { initial: Array.from(r.history.initial), time: r.history.time, node: r.history.node, to: r.history.to };
        return node;
      }),
    };
  }
  if (meta.series) result.series = perRunSeries(records, longest.length, meta.compartments);
  result.elapsedMs = performance.now() - startedAt;
  return result;
}

export type ControlSummary = Record<(typeof CONTROL_COUNTS)[number], { mean: number; sd: number; values: number[] }>;

/** Ensemble summary: per count, mean, sd and the per-run values (runs without counts give 0). */
export function controlSummary(records: readonly { testing?: ControlCounts }[]): ControlSummary {
  const out = {} as ControlSummary;
  for (const key of CONTROL_COUNTS) {
    const values = records.map((r) => r.testing?.[key] ?? 0);
    out[key] = { ...meanSd(values), values };
  }
  return out;
}
