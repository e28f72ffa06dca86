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
import { checkResultSize, resolveCaps, type ResultCaps } from "../../ensemble/caps.js";
import { recordBudgetError } from "../../engine/budget.js";
import type Graph from "graphology";
import { compile, isCSR, type CSR } from "../../graph/csr.js";
import { compileModel } from "../../models/compartmental.js";
import { planInitial, drawInitial, type Seeding } from "../../engine/initial.js";
import {
  createCascadeWorkspace,
  linearThresholdWeights,
  runIndependentCascade,
  runLinearThreshold,
  type CascadeRun,
  type CascadeWorkspace,
} from "../../engine/cascade.js";
import { assemble, type EnsembleMeta, type RunRecord, type SimulationResult } from "../../ensemble/assemble.js";
import { checkSeed, runStream, type Random } from "../../random.js";
import { ModelError, SimulationError } from "../../errors.js";

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
  /** Result-size caps (defaults in ensemble/caps.ts): checked before the first run, enforced while running. */
  limits?: Partial<ResultCaps>;
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

/** A cascade ensemble made ready to run: validated and compiled once, runs made one at a time. */
export interface PreparedCascade {
  meta: EnsembleMeta;
  runs: number;
  /** Make run r (its seed set and cascade drawn from the stream (seed, r) alone). */
  runOne(r: number): RunRecord;
}

/** Validate a cascade spec against a network and compile what the runs share (CSR, weights, seed plan). */
export function prepareCascade(network: Graph | CSR, spec: CascadeSpec): PreparedCascade {
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
    throw new SimulationError("initial: expected { active: { count | fraction | nodes | strategy } }, the seed set.");
  }
  const plan = planInitial(spec.initial, csr, SEEDING_MODEL);
  // Seed sets that use no randomness (explicit nodes, highest degree) are drawn once.
  const fixedSeeds = plan.entries.every((e) => e.nodes !== null || e.strategy === "highest-degree");
  const keepNodes = spec.output?.nodes ?? "first";
  const keepTimes = spec.output?.infectionTimes ?? false;
  const keptRuns = keepNodes === "all" ? runs : keepNodes === "first" ? 1 : 0;
  // Rounds: at most maxRounds + 1, and without maxRounds unknown in advance (each round activates someone,
  // so at most n + 1): an open-ended run gets a budget, checked after each run (one run holds O(n) anyway).
  const budget = checkResultSize(
    { runs, recordTimes: Number.isFinite(maxRounds) ? maxRounds + 1 : Infinity, recordPath: "maxRounds", compartments: 2, n: csr.n, keptRuns, perNode: keepTimes ? 2 : 1, fieldVariables: 0, history: false },
    resolveCaps(spec.limits),
  );
  const ws = createCascadeWorkspace(csr.n);
  let seeds: Int32Array | null = null;
  return {
    runs,
    meta: {
      scenario: spec.name ?? spec.model.type,
      seed,
      n: csr.n,
      model: spec.model.type,
      compartments: [...COMPARTMENTS],
      engine,
      nodeIds: csr.nodeIds,
      series: spec.output?.series,
    },
    runOne(r: number): RunRecord {
      const rng = runStream(seed, r);
      if (seeds === null || !fixedSeeds) seeds = seedIndices(drawInitial(plan, csr, SEEDING_MODEL, rng));
      const out = kernel(seeds, rng, ws);
      const rounds = out.perRound.length;
      if (rounds > budget.maxRecordTimes) throw recordBudgetError(budget.maxRecordTimes, rounds - 1);
      const counts = new Array<number>(2 * rounds);
      let peak = 0;
      let peakRound = 0;
      for (let k = 0; k < rounds; k++) {
        counts[2 * k] = csr.n - out.perRound[k];
        counts[2 * k + 1] = out.perRound[k];
        const fresh = out.perRound[k] - (k > 0 ? out.perRound[k - 1] : 0);
        if (fresh > peak) {
          peak = fresh;
          peakRound = k;
        }
      }
      const record: RunRecord = {
        run: r,
        times: Array.from({ length: rounds }, (_, k) => k),
        counts,
        finalSize: out.activated,
        peak,
        peakTime: peakRound,
        events: out.activated - out.perRound[0],
        duration: rounds - 1,
      };
      if (keepNodes === "all" || (keepNodes === "first" && r === 0)) {
        // Node states straight from the workspace: round −1 = never active.
        record.state = Uint8Array.from(ws.round, (k) => (k < 0 ? 0 : 1));
        if (keepTimes) record.infectionTime = Float64Array.from(ws.round, (k) => (k < 0 ? NaN : k));
      }
      return record;
    },
  };
}

/** Indices of the nodes an initial state puts in "active" (compartment 1). */
function seedIndices(state: Uint8Array): Int32Array {
  let k = 0;
  for (let v = 0; v < state.length; v++) if (state[v] === 1) k++;
  const seeds = new Int32Array(k);
  k = 0;
  for (let v = 0; v < state.length; v++) if (state[v] === 1) seeds[k++] = v;
  return seeds;
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
  const prepared = prepareCascade(network, spec);
  const records: RunRecord[] = [];
  for (let r = 0; r < prepared.runs; r++) records.push(prepared.runOne(r));
  return assemble(prepared.meta, records, started);
}
