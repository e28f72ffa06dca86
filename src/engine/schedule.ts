/**
 * Scheduled actions: what interventions do to a running simulation, engine-agnostic. An action fires at
 * time `at`; in continuous time exactly then (the pending event time is redrawn from `at`, which is exact
 * for a Markov process), in discrete time at the first step boundary at or after `at`. Actions act through
 * an `EngineControl`, so the engines own their bookkeeping (counts, propensities, final size).
 */
import type { CompiledModel } from "../models/compartmental.js";
import type { Random } from "../random.js";
import type { MoveCause } from "./trajectory.js";

export interface EngineControl {
  /** Current time. */
  readonly t: number;
  /** Compartment of every node (read-only: change it through `move`). */
  readonly state: Uint8Array;
  /** The run's random stream (actions that choose nodes draw from it). */
  readonly rng: Random;
  /** Move node v to compartment `to` now (`cause` "vaccination": not an infection, counted apart). */
  move(v: number, to: number, cause?: MoveCause): void;
  /** From now on use these rates (a model compiled from the same definition with other parameter values). */
  setRates(model: CompiledModel): void;
  /** Set the weight of the given arcs to base weight × `scale` (1 restores them; 0 removes them). */
  setArcScale(arcs: ArrayLike<number>, scale: number): void;
}

export interface ScheduledAction {
  at: number;
  /** Shown in errors and logs. */
  label: string;
  apply(control: EngineControl): void;
}

/** Actions sorted by time (stable: same-time actions keep their order). */
export function sortSchedule(actions: readonly ScheduledAction[]): ScheduledAction[] {
  return actions.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i).map(({ a }) => a);
}
