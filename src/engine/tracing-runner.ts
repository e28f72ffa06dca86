/**
 * Scenarios with testing or tracing entries (testing.ts): what the kernel (tracing.ts) does not run is refused
 * here, naming the field to change, before the entries are compiled and a run function is returned.
 */
import type { CSR } from "../graph/csr.js";
import type { CompiledModel } from "../models/compartmental.js";
import type { CompiledDurations } from "../models/durations.js";
import type { Random } from "../random.js";
import type { RunOptions } from "./trajectory.js";
import { compileControl, isControlEntry, type TestingIntervention } from "./testing.js";
import { nonMarkovProblem, nonMarkovWork } from "./nonmarkov.js";
import { checkWork } from "./work.js";
import { isTemporal } from "../graph/temporal.js";
import { ModelError, SimulationError } from "../errors.js";
import { controlStreams, runTracing, type ControlRunOutput } from "./tracing.js";

/** What the testing runner reads of a simulation spec (structural, so this module imports no family). */
export interface ControlRunSpec {
  time: { mode: "continuous"; tmax: number; record?: number } | { mode: "discrete" };
  engine?: string;
  seed?: number;
  interventions?: readonly object[];
}

/**
 * The runner for scenarios with testing or tracing entries: checks what the kernel does not run (with the
 * field to change), compiles the entries, and returns a run function of (initial, rng, keep, run).
 */
export function controlRunner(
  csr: CSR,
  model: CompiledModel,
  durations: CompiledDurations,
  delays: CompiledDurations,
  timeVarying: readonly string[],
  spec: ControlRunSpec,
): { engine: string; runner: (initial: Uint8Array, rng: Random, keep: RunOptions, run: number) => ControlRunOutput } {
  const list = spec.interventions ?? [];
  const other = list.findIndex((iv) => !isControlEntry(iv));
  if (other >= 0) throw new SimulationError(`interventions[${other}]: testing and tracing do not run together with other interventions (scale, vaccinate, import, quarantine, edges) yet.`);
  if (isTemporal(csr)) throw new SimulationError("interventions: testing and tracing are not supported on a temporal contact network (network.contacts) yet.");
  const time = spec.time;
  if (time.mode !== "continuous") throw new SimulationError("time.mode: testing and tracing run in continuous time; use { mode: continuous, tmax }.");
  if ((spec.engine ?? "auto") !== "auto") throw new SimulationError(`engine: testing and tracing run on the event-driven kernel; use engine "auto".`);
  if (timeVarying.length > 0) throw new SimulationError(`model.params.${timeVarying[0]}: changes with t, which testing and tracing do not support yet; give a constant.`);
  if (!delays.exponentialOnly) throw new SimulationError("model.delays: transmission delays do not run together with testing and tracing yet.");
  const problem = nonMarkovProblem(model) ?? (model.endemic ? "nodes return to the susceptible compartment" : null);
  if (problem !== null) throw new ModelError(`model: ${problem} (testing and tracing run progressive models such as SIR or SEIR).`);
  const compiled = compileControl(list, model, (message) => new SimulationError(message));
  const { tmax } = time;
  if (!(tmax > 0)) throw new SimulationError(`time.tmax: expected a number > 0 (Infinity runs to extinction), got ${tmax}.`);
  const record = time.record ?? (Number.isFinite(tmax) ? tmax / 100 : 1);
  if (!(record > 0 && Number.isFinite(record))) throw new SimulationError(`time.record: expected a finite interval > 0, got ${record}.`);
  checkWork(nonMarkovWork(csr.n, csr.m, model), "time.tmax");
  // Tests: at most rate · n per unit of time while an entry is active (with tmax = ∞ the run's own guard below).
  list.forEach((iv, i) => {
    if (!("testing" in iv)) return;
    const { at, until = Infinity, testing } = iv as TestingIntervention;
    const span = Math.min(tmax, until) - Math.min(tmax, at);
    if (Number.isFinite(span)) checkWork({ events: testing.rate * csr.n * span, formula: `rate · n · (min(tmax, until) − at) = ${testing.rate} · ${csr.n} · ${span}` }, `interventions[${i}].testing.rate`);
  });
  const seed = spec.seed ?? 0;
  return {
    engine: `event-driven with testing and tracing (one heap entry per node and per arc; ${[durations.description || "exponential periods", compiled.description].join("; ")})`,
    runner: (initial, rng, keep, run) => runTracing(csr, model, durations, compiled, initial, tmax, record, rng, controlStreams(seed, run), keep),
  };
}
