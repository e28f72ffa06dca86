/**
 * `simulate(graph | csr, spec)`: one run or a serial ensemble of a compartmental model on a network,
 * returning the v1 result schema of DESIGN.md. The engine is chosen from the spec: the specialised
 * event-driven path for plain Markovian SIR, the general next-reaction engine for any other model in
 * continuous time, the synchronous engine in discrete time.
 */
import type Graph from "graphology";
import { compile, isCSR, type CSR } from "../../graph/csr.js";
import { compileModel, isPlainSIR, type CompartmentalModelDef, type CompiledModel } from "../../models/compartmental.js";
import { PRESETS, presetModel, type PresetId } from "../../models/presets.js";
import { planInitial, drawInitial, type InitialSpec } from "../../engine/initial.js";
import { runSIRFast } from "../../engine/sir-fast.js";
import { runContinuous } from "../../engine/continuous.js";
import { runCompositionRejection } from "../../engine/composition-rejection.js";
import { runDiscrete } from "../../engine/discrete.js";
import { nonMarkovProblem, nonMarkovWork, runNonMarkov } from "../../engine/nonmarkov.js";
import { controlRunner } from "../../engine/tracing-runner.js";
import { isControlEntry } from "../../engine/testing.js";
import { isTemporal } from "../../graph/temporal.js";
import { compileDurations, type CompiledDurations, type DurationsSpec } from "../../models/durations.js";
import { interventionArcAttributes, planSchedule, type Intervention, type TimeVaryingParameter } from "../../engine/interventions.js";
import { resolveParameters, type ModelDefWithExpressions } from "../../models/parameters.js";
import type { RunOutput } from "../../engine/trajectory.js";
import { assemble, type EnsembleMeta, type RunRecord, type SimulationResult } from "../../ensemble/assemble.js";
import { checkSeed, runStream, type Random } from "../../random.js";
import { ModelError, SimulationError } from "../../errors.js";
import { checkResultSize, resolveCaps, type ResultCaps, type RunBudget } from "../../ensemble/caps.js";
import { checkWork, continuousWork, discreteWork, type NetworkSize } from "../../engine/work.js";

/** `rateStep`: grid on which time-varying parameters are re-evaluated (default 0.1 time units; discrete: dt). */
export type ContinuousTime = { mode: "continuous"; tmax: number; record?: number; rateStep?: number };
export type DiscreteTime = { mode: "discrete"; steps: number; dt?: number; recordEvery?: number };

export type EngineChoice = "auto" | "general" | "next-reaction";

/**
 * A preset with parameter values, or a model of your own. Parameter values (and the rates of your own
 * transitions) may be expressions over the other parameters and t: see models/parameters.ts.
 */
export type ModelSpec = (ModelDefWithExpressions | { preset: PresetId; params?: Record<string, number | string> }) & {
  /** Non-exponential periods per compartment (models/durations.ts); all exponential: the Markovian engines. */
  durations?: DurationsSpec;
  /** Transmission-delay laws per infectious compartment, instead of the rate β (models/durations.ts). */
  delays?: DurationsSpec;
};

export interface SimulationSpec {
  /** Shown in results. */
  name?: string;
  model: ModelSpec;
  time: ContinuousTime | DiscreteTime;
  initial: InitialSpec;
  /** Seed of every random choice (default 0). Run r uses the stream (seed, r). */
  seed?: number;
  /** Number of runs (default 1). */
  runs?: number;
  /**
   * Continuous time: "auto" (default) takes the event-driven SIR path for plain SIR and composition–rejection
   * otherwise; "general" forces composition–rejection; "next-reaction" the Gibson–Bruck engine. All are exact.
   */
  engine?: EngineChoice;
  /** Edge attribute used as weight when a graphology graph is passed (default: unweighted). */
  weight?: string;
  /** Interventions (lockdowns, vaccination, imports, quarantine, edge closures): see engine/interventions.ts. */
  interventions?: Intervention[];
  output?: {
    /** Per-node final states: of no run, the first run (default) or every run. */
    nodes?: "none" | "first" | "all";
    /** Also keep per-node first-infection times (for the runs whose node states are kept). */
    infectionTimes?: boolean;
    /** Also return every run's counts per compartment and record time (`series`). */
    series?: boolean;
    /** Also keep every state change of the runs whose node states are kept (for animation: node states at any time). */
    history?: boolean;
  };
  /** Result-size caps (defaults in ensemble/caps.ts): checked before the first run, enforced while running. */
  limits?: Partial<ResultCaps>;
}

export type { NodeRunOutput, SimulationResult } from "../../ensemble/assemble.js";

function resolveModelSpec(spec: ModelSpec): { def: ModelDefWithExpressions; id: string } {
  if ("preset" in spec) {
    if (!Object.hasOwn(PRESETS, spec.preset)) {
      throw new ModelError(`model.preset: unknown preset "${String(spec.preset)}"; presets are ${Object.keys(PRESETS).join(", ")}.`);
    }
    const known = new Set(PRESETS[spec.preset].parameters.map((p) => p.name));
    for (const k of Object.keys(spec.params ?? {})) {
      if (!known.has(k)) throw new ModelError(`model.params.${k}: ${spec.preset} has no parameter "${k}"; its parameters are ${[...known].join(", ")}.`);
    }
    const preset = presetModel(spec.preset);
    return { def: { ...preset, params: { ...preset.params, ...spec.params } }, id: spec.preset };
  }
  return { def: spec, id: "custom" };
}

const SEMANTICS = {
  durations: "continuous time, exact: a node stays in a compartment with a duration for a period drawn from it, then takes its single spontaneous exit; per-edge transmission as a Poisson process of rate β·w while the source is infectious, so one node's transmissions are correlated through its period; with model.delays, each arc to a susceptible node transmits after its own delay if that is shorter than the stay",
  continuous: "continuous-time Markov: per-edge transmission as a Poisson process of rate β·w while the edge joins an inducer to a susceptible node; spontaneous transitions at their rates",
  discrete: "discrete-time synchronous: each step of length dt a node leaves with probability 1 − exp(−H·dt), H its total hazard from the previous state",
};

/** What the work bound reads of a network: sizes, total and largest out-weight (engine/work.ts). */
function networkSize(csr: CSR): NetworkSize {
  const { n, m, offsets, weights } = csr;
  let totalWeight = m;
  let maxOutWeight = 0;
  for (let v = 0; v < n; v++) {
    let w = offsets[v + 1] - offsets[v];
    if (weights !== null) {
      w = 0;
      for (let a = offsets[v]; a < offsets[v + 1]; a++) w += weights[a];
    }
    if (w > maxOutWeight) maxOutWeight = w;
  }
  if (weights !== null) {
    totalWeight = 0;
    for (let a = 0; a < m; a++) totalWeight += weights[a];
  }
  return { n, m, totalWeight, maxOutWeight };
}

/** A run function bound to one network, model and time setting. */
type Runner = (initial: Uint8Array, rng: Random, keep: Keep, run: number) => RunOutput & { testing?: RunRecord["testing"] };
type Keep = { infectionTimes: boolean; history: boolean; historyLimit: number; maxRecordTimes: number };

function makeRunner(
  csr: CSR,
  model: CompiledModel,
  def: CompartmentalModelDef,
  timeVarying: Record<string, TimeVaryingParameter>,
  spec: SimulationSpec,
  durations: CompiledDurations,
  delays: CompiledDurations,
): { runner: Runner; engine: string } {
  // Testing and tracing (engine/tracing.ts): their own exact event-driven kernel.
  if ((spec.interventions ?? []).some(isControlEntry)) {
    return controlRunner(csr, model, durations, delays, Object.keys(timeVarying), spec);
  }
  if (!durations.exponentialOnly || !delays.exponentialOnly || isTemporal(csr)) return nonMarkovRunner(csr, model, timeVarying, spec, durations, delays);
  const time = spec.time;
  const horizon = time.mode === "continuous" ? time.tmax : time.steps * (time.dt ?? 1);
  const interventions = spec.interventions ?? [];
  const schedule =
    interventions.length > 0 || Object.keys(timeVarying).length > 0
      ? planSchedule(interventions, {
          csr,
          def,
          compartments: model.compartments,
          susceptible: model.susceptible,
          infectious: model.infectious,
          horizon,
          timeVarying,
          arcData: csr.arcData,
          rateStep: time.mode === "continuous" ? time.rateStep : time.dt ?? 1,
        })
      : null;
  const options = (keep: Keep) => ({ ...keep, schedule: schedule?.() });
  if (time.mode === "continuous") {
    const { tmax } = time;
    if (!(tmax > 0)) throw new SimulationError(`time.tmax: expected a number > 0 (Infinity runs to extinction), got ${tmax}.`);
    const record = time.record ?? (Number.isFinite(tmax) ? tmax / 100 : 1);
    if (!(record > 0 && Number.isFinite(record))) throw new SimulationError(`time.record: expected a finite interval > 0, got ${record}.`);
    if (!Number.isFinite(tmax) && model.endemic) {
      throw new SimulationError(`time.tmax: an endemic model (${model.compartments.join(", ")}: infected nodes return to ${model.compartments[model.susceptible]}) may never run out of events; give a finite tmax.`);
    }
    const eventDriven = (spec.engine ?? "auto") === "auto" && isPlainSIR(model) && schedule === null;
    checkWork(continuousWork(networkSize(csr), schedule?.rateModels.length ? schedule.rateModels : [model], tmax, eventDriven), "time.tmax");
    if (eventDriven) {
      const S = model.susceptible;
      const I = model.infectious[0];
      const rates = { beta: model.inducedRate[0], gamma: model.spontRate[0], S, I, R: 3 - S - I };
      return {
        engine: "event-driven SIR (one heap entry per node)",
        runner: (initial, rng, keep) => runSIRFast(csr, rates, initial, tmax, record, rng, keep),
      };
    }
    if (spec.engine === "next-reaction") {
      if (schedule !== null) throw new SimulationError('engine: "next-reaction" does not run interventions; use engine "auto" or "general".');
      return {
        engine: "next-reaction method (Gibson–Bruck), node level",
        runner: (initial, rng, keep) => runContinuous(csr, model, initial, tmax, record, rng, keep),
      };
    }
    return {
      engine: "Gillespie direct method, composition–rejection with phantom attempts",
      runner: (initial, rng, keep) => runCompositionRejection(csr, model, initial, tmax, record, rng, options(keep)),
    };
  }
  if (time.mode === "discrete") {
    const dt = time.dt ?? 1;
    const every = time.recordEvery ?? 1;
    if (!(Number.isInteger(time.steps) && time.steps >= 1)) throw new SimulationError(`time.steps: expected an integer ≥ 1, got ${time.steps}.`);
    if (!(dt > 0 && Number.isFinite(dt))) throw new SimulationError(`time.dt: expected a finite number > 0, got ${dt}.`);
    if (!(Number.isInteger(every) && every >= 1)) throw new SimulationError(`time.recordEvery: expected an integer ≥ 1, got ${every}.`);
    checkWork(discreteWork(csr.n, time.steps), "time.steps");
    return {
      engine: "synchronous discrete-time (chain binomial)",
      runner: (initial, rng, keep) => runDiscrete(csr, model, initial, time.steps, dt, every, rng, options(keep)),
    };
  }
  throw new SimulationError(`time.mode: expected "continuous" or "discrete", got ${JSON.stringify((time as { mode?: unknown }).mode)}.`);
}

/**
 * Non-exponential periods: the event-driven kernel of engine/nonmarkov.ts. What it does not run is refused
 * here with the field to change (a model whose durations are all exponential never comes here: it keeps
 * the Markovian engines, bit for bit).
 */
function nonMarkovRunner(
  csr: CSR,
  model: CompiledModel,
  timeVarying: Record<string, TimeVaryingParameter>,
  spec: SimulationSpec,
  durations: CompiledDurations,
  delays: CompiledDurations,
): { runner: Runner; engine: string } {
  const time = spec.time;
  if (isTemporal(csr)) {
    // Temporal contact networks (graph/temporal.ts) run on the same kernel, exponential periods included.
    const what = "a temporal contact network (network.contacts)";
    if (time.mode !== "continuous") throw new SimulationError(`time.mode: ${what} runs in continuous time; use { mode: continuous, tmax }.`);
    if ((spec.engine ?? "auto") !== "auto") throw new SimulationError(`engine: with ${what} use engine "auto".`);
    if ((spec.interventions ?? []).length > 0) throw new SimulationError(`interventions: not supported on ${what} yet.`);
    if (Object.keys(timeVarying).length > 0) throw new SimulationError(`model.params: parameters that change with t are not supported on ${what}; give constants.`);
    if (!delays.exponentialOnly) throw new SimulationError(`model.delays: not supported on ${what}; transmission runs at rate β per active contact.`);
    const problem = nonMarkovProblem(model);
    if (problem !== null) throw new ModelError(`model: ${problem} (${what}).`);
  }
  if (time.mode !== "continuous") throw new SimulationError("time.mode: durations and delays (model.durations, model.delays) run in continuous time; use { mode: continuous, tmax }.");
  if ((spec.engine ?? "auto") !== "auto") throw new SimulationError(`engine: "${spec.engine}" runs exponential periods only; with model.durations or model.delays use engine "auto".`);
  if ((spec.interventions ?? []).length > 0) throw new SimulationError("interventions: not supported together with model.durations or model.delays (non-exponential laws) yet.");
  const varying = Object.keys(timeVarying);
  if (varying.length > 0) throw new SimulationError(`model.${varying[0].startsWith("transitions[") ? "" : "params."}${varying[0]}: changes with t, which model.durations and model.delays do not support yet; give a constant.`);
  const problem = nonMarkovProblem(model);
  if (problem !== null) throw new ModelError(`model.${durations.exponentialOnly ? "delays" : "durations"}: ${problem}.`);
  if (!delays.exponentialOnly && csr.weights !== null) throw new SimulationError("model.delays: transmission delays run on unweighted networks only; drop the edge weight.");
  if (!delays.exponentialOnly && model.endemic) throw new ModelError("model.delays: transmission delays need a progressive model (SIR, SEIR, …): a delay counts from the source's infection, which re-infection cannot restart; drop model.delays or the return to the susceptible compartment.");
  const { tmax } = time;
  if (!(tmax > 0)) throw new SimulationError(`time.tmax: expected a number > 0 (Infinity runs to extinction), got ${tmax}.`);
  const record = time.record ?? (Number.isFinite(tmax) ? tmax / 100 : 1);
  if (!(record > 0 && Number.isFinite(record))) throw new SimulationError(`time.record: expected a finite interval > 0, got ${record}.`);
  if (!Number.isFinite(tmax) && model.endemic) {
    throw new SimulationError(`time.tmax: an endemic model (${model.compartments.join(", ")}: infected nodes return to ${model.compartments[model.susceptible]}) may never run out of events; give a finite tmax.`);
  }
  checkWork(nonMarkovWork(csr.n, csr.m, model, tmax), "time.tmax");
  if (isTemporal(csr)) {
    const temporal = csr.temporal;
    return {
      engine: `event-driven on a temporal contact network (${temporal.pairs} pairs, ${temporal.start.length} windows${temporal.period !== null ? `, period ${temporal.period}` : ""}; ${durations.description || "exponential periods"})`,
      runner: (initial, rng, keep) => runNonMarkov(csr, model, durations, null, initial, tmax, record, rng, keep, temporal),
    };
  }
  return {
    engine: `event-driven, non-exponential periods (one heap entry per node; ${[durations.description, delays.exponentialOnly ? "" : `transmission delays ${delays.description}`].filter(Boolean).join("; ")})`,
    runner: (initial, rng, keep) => runNonMarkov(csr, model, durations, delays.exponentialOnly ? null : delays, initial, tmax, record, rng, keep),
  };
}

/** Record times per run (Infinity when tmax is), as the engines make them; then the caps check. */
function checkCompartmentalSize(spec: SimulationSpec, n: number, compartments: number, runs: number, caps: ResultCaps): RunBudget {
  const time = spec.time;
  const recordTimes =
    time.mode === "discrete"
      ? Math.floor(time.steps / (time.recordEvery ?? 1)) + 1
      : Number.isFinite(time.tmax)
        ? Math.floor((time.tmax / (time.record ?? time.tmax / 100)) * (1 + 1e-9)) + 1
        : Infinity;
  const nodes = spec.output?.nodes ?? "first";
  const keptRuns = nodes === "all" ? runs : nodes === "first" ? 1 : 0;
  return checkResultSize(
    {
      runs,
      recordTimes,
      recordPath: time.mode === "discrete" ? "time.recordEvery" : "time.record",
      compartments,
      n,
      keptRuns,
      perNode: spec.output?.infectionTimes ? 2 : 1,
      fieldVariables: 0,
      history: (spec.output?.history ?? false) && keptRuns > 0,
    },
    caps,
  );
}

/** A simulation made ready to run: everything validated and compiled once, runs made one at a time. */
export interface PreparedSimulation {
  meta: EnsembleMeta;
  runs: number;
  /** Make run r (its randomness from the stream (seed, r) alone). */
  runOne(r: number): RunRecord;
}

/** Validate and compile a spec against a compiled network, once per run set (also in each worker). */
export function prepareSimulation(csr: CSR, spec: SimulationSpec): PreparedSimulation {
  if (csr.n === 0) throw new SimulationError("simulate: the network has no nodes.");
  const { def: given, id } = resolveModelSpec(spec.model);
  const { def, timeVarying } = resolveParameters(given);
  const model = compileModel(def);
  const seed = checkSeed(spec.seed ?? 0, "seed");
  const runs = spec.runs ?? 1;
  if (!Number.isInteger(runs) || runs < 1) throw new SimulationError(`runs: expected an integer ≥ 1, got ${runs}.`);
  const durations = compileDurations(spec.model.durations, model, def.params ?? {}, Object.keys(timeVarying));
  const delays = compileDurations(spec.model.delays, model, def.params ?? {}, Object.keys(timeVarying), "delays");
  const plan = planInitial(spec.initial, csr, model);
  const { runner, engine } = makeRunner(csr, model, def, timeVarying, spec, durations, delays);
  const keepNodes = spec.output?.nodes ?? "first";
  const keepTimes = spec.output?.infectionTimes ?? false;
  const keepHistory = spec.output?.history ?? false;
  const budget = checkCompartmentalSize(spec, csr.n, model.compartments.length, runs, resolveCaps(spec.limits));
  const vaccination = (spec.interventions ?? []).some((iv) => "vaccinate" in iv);
  return {
    runs,
    meta: {
      scenario: spec.name ?? id,
      seed,
      n: csr.n,
      model: id,
      compartments: [...model.compartments],
      engine: { name: engine, semantics: durations.exponentialOnly && delays.exponentialOnly && !isTemporal(csr) ? SEMANTICS[spec.time.mode] : SEMANTICS.durations },
      // A getter: a worker never reads the keys, and 10⁶ strings per worker are not free.
      get nodeIds() {
        return csr.nodeIds;
      },
      series: spec.output?.series,
      ...(vaccination ? { vaccination } : {}),
      ...((spec.interventions ?? []).some(isControlEntry) ? { testing: true } : {}),
      ...(model.endemic ? { endemic: { infectious: [...model.infectious] } } : {}),
    },
    runOne(r: number): RunRecord {
      // The initial condition and then the dynamics draw from the run's own stream: (seed, r) alone.
      const rng = runStream(seed, r);
      const initial = drawInitial(plan, csr, model, rng);
      const keep = keepNodes === "all" || (keepNodes === "first" && r === 0);
      const out = runner(initial, rng, { infectionTimes: keep && keepTimes, history: keep && keepHistory, ...budget }, r);
      const record: RunRecord = {
        run: r,
        times: out.times,
        counts: out.counts,
        finalSize: out.finalSize,
        ...(out.vaccinationTimes.length > 0 || vaccination ? { vaccinated: out.vaccinated, vaccinationTimes: out.vaccinationTimes } : {}),
        peak: out.peak,
        peakTime: out.peakTime,
        events: out.events,
        duration: out.endTime,
        ...(out.testing ? { testing: out.testing } : {}),
      };
      if (keep) record.state = out.finalState;
      if (keep && out.infectionTime) record.infectionTime = out.infectionTime;
      if (keep && out.history) record.history = out.history;
      return record;
    },
  };
}

/**
 * Simulate a compartmental model on a network: `runs` independent runs (default 1), run r drawing every
 * random number from the stream (seed, r), so results are identical however runs are scheduled.
 *
 * @example
 * const result = simulate(graph, {
 *   model: { preset: "SIR", params: { beta: 0.25, gamma: 1 } },
 *   time: { mode: "continuous", tmax: Infinity, record: 0.5 },
 *   initial: { I: { count: 10 } },
 *   seed: 42, runs: 100,
 * });
 * result.finalSize.mean; // infections (seeds included; vaccinated nodes are counted apart, in result.vaccinated)
 */
export function simulate(network: Graph | CSR, spec: SimulationSpec): SimulationResult {
  const started = performance.now();
  const csr = isCSR(network) ? network : compile(network, { weight: spec.weight ?? null, arcAttributes: interventionArcAttributes(spec.interventions) });
  const prepared = prepareSimulation(csr, spec);
  const records: RunRecord[] = [];
  for (let r = 0; r < prepared.runs; r++) records.push(prepared.runOne(r));
  return assemble(prepared.meta, records, started);
}

/**
 * Run `simulate` with `runs: 1` and write each node's final compartment into the graph as the node
 * attribute `attribute` (default "state") — the graphology `.assign` idiom, for Sigma colouring.
 */
simulate.assign = function assign(graph: Graph, spec: SimulationSpec, attribute = "state"): SimulationResult {
  const result = simulate(graph, { ...spec, runs: 1, output: { ...spec.output, nodes: "first" } });
  const states = result.nodes!.runs[0].state;
  result.nodes!.nodeIds.forEach((key, i) => graph.setNodeAttribute(key, attribute, states[i]));
  return result;
};
