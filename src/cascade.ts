/**
 * `simulateCascade(graph | csr, spec)`: an ensemble of independent-cascade or linear-threshold runs,
 * returned in the v1 result schema of DESIGN.md (the same object `simulate` returns), with compartments
 * ["inactive", "active"] and one record time per round. The kernels and their semantics are in
 * src/engine/cascade.ts (Kempe, Kleinberg & Tardos 2003).
 *
 * Summaries, per run:
 *  - `times` = rounds 0 .. R, R the longest run's last round with a new activation; shorter runs are
 *    extended with their final counts.
 *  - `finalSize` = nodes ever activated, seeds included.
 *  - `peak` = the largest number of nodes newly activated in one round, seeds counting as round 0's
 *    (the analogue of the infectious count of discrete SIR, where a node transmits only in the round after
 *    its activation); `peak.time` is that round, the earliest on ties.
 *  - `events` = activations after the seeds.
 */
import type Graph from "graphology";
import { compile, isCSR, type CSR } from "./graph/csr.js";
import { compileModel } from "./models/compartmental.js";
import { planInitial, drawInitial, type Seeding } from "./engine/initial.js";
import {
  createCascadeWorkspace,
  linearThresholdWeights,
  runIndependentCascade,
  runLinearThreshold,
  type CascadeRun,
  type CascadeWorkspace,
} from "./engine/cascade.js";
import { bands, meanSd } from "./ensemble/summary.js";
import { checkSeed, runStream, type Random } from "./random.js";
import { ModelError, SimulationError } from "./errors.js";
import type { NodeRunOutput, SimulationResult } from "./simulate.js";

export type CascadeModelSpec =
  | { type: "independent-cascade"; probability: number | { attribute: string } }
  | { type: "linear-threshold"; weights?: { attribute: string }; thresholds?: { attribute: string } };

export interface CascadeSpec {
  /** Shown in results (default: the model type). */
  name?: string;
  model: CascadeModelSpec;
  /** The seed set, as elsewhere: `{ active: { count | fraction | nodes | strategy } }`. */
  initial: { active: Seeding };
  /** Seed of every random choice (default 0). Run r uses the stream (seed, r). */
  seed?: number;
  /** Number of runs (default 1). */
  runs?: number;
  /** Largest number of rounds after the seeds (default Infinity: until a round activates nobody). */
  maxRounds?: number;
  output?: {
    /** Per-node final states: of no run, the first run (default) or every run. */
    nodes?: "none" | "first" | "all";
    /** With `nodes`, also each node's activation round (`infectionTime`; 0 for seeds, null if never). */
    infectionTimes?: boolean;
    /** Also return every run's counts per round (`series`). */
    series?: boolean;
  };
}

const COMPARTMENTS = ["inactive", "active"];
/** Seeding reuses the compartmental machinery: one "active" compartment seeded from "inactive". */
const SEEDING_MODEL = compileModel({
  compartments: COMPARTMENTS,
  transitions: [{ from: "inactive", to: "active", probability: 1, by: "active" }],
});

type Kernel = (seeds: Int32Array, rng: Random, ws: CascadeWorkspace) => CascadeRun;

interface Setup {
  csr: CSR;
  kernel: Kernel;
  engine: { name: string; semantics: string };
}

function checkAttribute(value: unknown, where: string): string {
  const name = (value as { attribute?: unknown } | null)?.attribute;
  if (typeof name !== "string" || name.length === 0) throw new ModelError(`${where}: expected { attribute: "<edge or node attribute name>" }.`);
  return name;
}

/** The CSR with the named per-arc attribute as `weights` (graph: compiled with it; CSR: must carry weights). */
function arcValues(network: Graph | CSR, attribute: string | null, where: string): CSR {
  if (!isCSR(network)) return compile(network, { weight: attribute });
  if (attribute !== null && network.weights === null) {
    throw new ModelError(`${where}: the CSR has no arc weights to read "${attribute}" from; compile the graph with { weight: "${attribute}" } or pass the graphology graph.`);
  }
  return network;
}

/** Per-node thresholds from a node attribute, each in [0, 1]. */
function nodeThresholds(network: Graph | CSR, csr: CSR, attribute: string): Float64Array {
  if (isCSR(network)) throw new ModelError(`model.thresholds: node attribute "${attribute}" can only be read from a graphology graph, not from a CSR.`);
  const out = new Float64Array(csr.n);
  csr.nodeIds.forEach((key, v) => {
    const theta: unknown = network.getNodeAttribute(key, attribute);
    if (typeof theta !== "number" || !(theta >= 0 && theta <= 1)) {
      throw new ModelError(`model.thresholds: node "${key}" has ${attribute} = ${JSON.stringify(theta)}; expected a number in [0, 1].`);
    }
    out[v] = theta;
  });
  return out;
}

function setup(network: Graph | CSR, model: CascadeModelSpec, maxRounds: number): Setup {
  if (model?.type === "independent-cascade") {
    const prob = model.probability;
    if (typeof prob === "number") {
      if (!(prob >= 0 && prob <= 1)) throw new ModelError(`model.probability: expected a number in [0, 1], got ${prob}.`);
      const csr = arcValues(network, null, "model.probability");
      return {
        csr,
        kernel: (seeds, rng, ws) => runIndependentCascade(csr, prob, seeds, maxRounds, rng, ws),
        engine: {
          name: "independent cascade, synchronous rounds, geometric skipping over each new node's arcs",
          semantics: `independent cascade: a node activated in round r has one chance, in round r + 1, to activate each inactive out-neighbour, with probability ${prob}`,
        },
      };
    }
    const attribute = checkAttribute(prob, "model.probability");
    const csr = arcValues(network, attribute, "model.probability");
    const perArc = csr.weights!;
    for (let a = 0; a < perArc.length; a++) {
      if (!(perArc[a] >= 0 && perArc[a] <= 1)) throw new ModelError(`model.probability: arc ${a} has ${attribute} = ${perArc[a]}; probabilities must be in [0, 1].`);
    }
    return {
      csr,
      kernel: (seeds, rng, ws) => runIndependentCascade(csr, perArc, seeds, maxRounds, rng, ws),
      engine: {
        name: "independent cascade, synchronous rounds, one trial per arc to an inactive head",
        semantics: `independent cascade: a node activated in round r has one chance, in round r + 1, to activate each inactive out-neighbour v, with probability given by the arc attribute "${attribute}"`,
      },
    };
  }
  if (model?.type === "linear-threshold") {
    const weightAttr = model.weights === undefined ? null : checkAttribute(model.weights, "model.weights");
    const csr = arcValues(network, weightAttr, "model.weights");
    const weights = linearThresholdWeights(csr, weightAttr === null ? null : csr.weights);
    const thresholdAttr = model.thresholds === undefined ? null : checkAttribute(model.thresholds, "model.thresholds");
    const thresholds = thresholdAttr === null ? undefined : nodeThresholds(network, csr, thresholdAttr);
    return {
      csr,
      kernel: (seeds, rng, ws) => runLinearThreshold(csr, weights, seeds, maxRounds, rng, ws, thresholds),
      engine: {
        name: "linear threshold, synchronous rounds, weights pushed from each new node",
        semantics:
          `linear threshold: node v activates in the round after the total weight of its active in-neighbours reaches its threshold; ` +
          `weights ${weightAttr === null ? "1/in-degree" : `from the arc attribute "${weightAttr}"`}, ` +
          `thresholds ${thresholdAttr === null ? "uniform on (0, 1], drawn per run" : `fixed, from the node attribute "${thresholdAttr}"`}`,
      },
    };
  }
  throw new ModelError(`model.type: expected "independent-cascade" or "linear-threshold", got ${JSON.stringify((model as { type?: unknown } | null)?.type)}.`);
}

/**
 * Simulate an independent cascade or linear threshold model: `runs` runs (default 1), run r drawing its
 * seed set and then its cascade from the stream (seed, r), so results never depend on scheduling.
 *
 * @example
 * const result = simulateCascade(graph, {
 *   model: { type: "independent-cascade", probability: 0.05 },
 *   initial: { active: { nodes: ["alice", "bob"] } },
 *   seed: 7, runs: 1000,
 * });
 * result.finalSize.mean; // expected spread σ(S), seeds included
 */
export function simulateCascade(network: Graph | CSR, spec: CascadeSpec): SimulationResult {
  const started = performance.now();
  const maxRounds = spec.maxRounds ?? Infinity;
  if (!(maxRounds >= 0 && (Number.isInteger(maxRounds) || maxRounds === Infinity))) {
    throw new SimulationError(`maxRounds: expected an integer ≥ 0 (or Infinity), got ${maxRounds}.`);
  }
  const { csr, kernel, engine } = setup(network, spec.model, maxRounds);
  if (csr.n === 0) throw new SimulationError("simulateCascade: the network has no nodes.");
  const seed = checkSeed(spec.seed ?? 0, "seed");
  const runs = spec.runs ?? 1;
  if (!Number.isInteger(runs) || runs < 1) throw new SimulationError(`runs: expected an integer ≥ 1, got ${runs}.`);
  if (spec.initial === null || typeof spec.initial !== "object" || !("active" in spec.initial)) {
    throw new SimulationError('initial: expected { active: { count | fraction | nodes | strategy } }, the seed set.');
  }
  const plan = planInitial(spec.initial, csr, SEEDING_MODEL);
  // Seed sets that use no randomness (explicit nodes, highest degree) are drawn once.
  const fixedSeeds = plan.entries.every((e) => e.nodes !== null || e.strategy === "highest-degree");
  const keepNodes = spec.output?.nodes ?? "first";
  const keepTimes = spec.output?.infectionTimes ?? false;

  const ws = createCascadeWorkspace(csr.n);
  const ACTIVE = 1;
  let seeds: Int32Array | null = null;
  const series: Float64Array[] = [];
  const finalSizes: number[] = [];
  const peaks: number[] = [];
  const peakRounds: number[] = [];
  let events = 0;
  let rounds = 1;
  const nodeRuns: NodeRunOutput[] = [];
  for (let r = 0; r < runs; r++) {
    const rng = runStream(seed, r);
    if (seeds === null || !fixedSeeds) {
      const state = drawInitial(plan, csr, SEEDING_MODEL, rng);
      let k = 0;
      for (let v = 0; v < csr.n; v++) if (state[v] === ACTIVE) k++;
      seeds = new Int32Array(k);
      k = 0;
      for (let v = 0; v < csr.n; v++) if (state[v] === ACTIVE) seeds[k++] = v;
    }
    const out = kernel(seeds, rng, ws);
    const counts = new Float64Array(2 * out.perRound.length);
    let peak = 0;
    let peakRound = 0;
    for (let k = 0; k < out.perRound.length; k++) {
      counts[2 * k] = csr.n - out.perRound[k];
      counts[2 * k + 1] = out.perRound[k];
      const fresh = out.perRound[k] - (k > 0 ? out.perRound[k - 1] : 0);
      if (fresh > peak) {
        peak = fresh;
        peakRound = k;
      }
    }
    series.push(counts);
    rounds = Math.max(rounds, out.perRound.length);
    finalSizes.push(out.activated);
    peaks.push(peak);
    peakRounds.push(peakRound);
    events += out.activated - out.perRound[0];
    if (keepNodes === "all" || (keepNodes === "first" && r === 0)) nodeRuns.push(nodeOutput(r, ws, keepTimes));
  }
  const band = bands(series, rounds, COMPARTMENTS);
  const fs = meanSd(finalSizes);
  const pk = meanSd(peaks);
  const pt = meanSd(peakRounds);
  const result: SimulationResult = {
    schemaVersion: 1,
    scenario: spec.name ?? spec.model.type,
    seed,
    runs,
    n: csr.n,
    model: spec.model.type,
    compartments: [...COMPARTMENTS],
    times: Array.from({ length: rounds }, (_, k) => k),
    ...band,
    finalSize: { ...fs, values: finalSizes },
    peak: { ...pk, values: peaks, time: { ...pt, values: peakRounds } },
    events: { mean: events / runs, total: events },
    elapsedMs: 0,
    engine,
  };
  if (nodeRuns.length > 0) result.nodes = { nodeIds: csr.nodeIds, runs: nodeRuns };
  if (spec.output?.series) {
    result.series = Object.fromEntries(
      COMPARTMENTS.map((name, c) => [name, series.map((s) => Array.from({ length: rounds }, (_, k) => s[Math.min(k, s.length / 2 - 1) * 2 + c]))]),
    );
  }
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Node states of the run just finished, read from the workspace. */
function nodeOutput(run: number, ws: CascadeWorkspace, keepTimes: boolean): NodeRunOutput {
  const state = Array.from(ws.round, (k) => (k < 0 ? "inactive" : "active"));
  const node: NodeRunOutput = { run, state };
  if (keepTimes) node.infectionTime = Array.from(ws.round, (k) => (k < 0 ? null : k));
  return node;
}
