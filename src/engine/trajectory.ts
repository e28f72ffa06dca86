/**
 * Recording compartment counts at fixed record times while an engine advances. The state recorded at
 * time r is the state after every event with time ≤ r. With an infinite horizon the recorder keeps adding
 * record times until the run ends, and closes with one record at or after the last event.
 */
export class TrajectoryRecorder {
  readonly times: number[] = [];
  /** Row-major counts: counts[k * nComp + c]. */
  readonly counts: number[] = [];
  private nextIndex = 0;

  constructor(
    private readonly nComp: number,
    private readonly interval: number,
    private readonly tmax: number,
  ) {}

  private get nextTime(): number {
    return this.nextIndex * this.interval;
  }

  /** Record times are k·interval; allow for rounding so that tmax itself is recorded. */
  private withinHorizon(): boolean {
    return this.nextTime <= this.tmax * (1 + 1e-12);
  }

  /** Record every record time strictly before `t` with the given (current) counts. */
  advanceTo(t: number, current: ArrayLike<number>): void {
    while (this.nextTime < t && this.withinHorizon()) this.push(current);
  }

  /** Close the trajectory: fill record times up to tmax (or one past `lastEventTime` if tmax is infinite). */
  finish(current: ArrayLike<number>, lastEventTime: number): void {
    if (Number.isFinite(this.tmax)) {
      while (this.withinHorizon()) this.push(current);
    } else {
      while (this.nextTime < lastEventTime) this.push(current);
      this.push(current);
    }
  }

  private push(current: ArrayLike<number>): void {
    this.times.push(this.nextTime);
    for (let c = 0; c < this.nComp; c++) this.counts.push(current[c]);
    this.nextIndex++;
  }
}

import type { ScheduledAction } from "./schedule.js";

/** What one run of an engine returns. */
export interface RunOutput {
  /** Record times. */
  times: number[];
  /** Row-major counts per record time: counts[k * nComp + c]. */
  counts: number[];
  /** Compartment index of every node at the end of the run. */
  finalState: Uint8Array;
  /** Time each node first left the susceptible compartment (seeds: 0; never: NaN), when requested. */
  infectionTime: Float64Array | null;
  /** Nodes that ever left the susceptible compartment, seeds included. */
  finalSize: number;
  /** Largest number of nodes in infectious (inducing) compartments at once, and when. */
  peak: number;
  peakTime: number;
  /** Number of state changes processed. */
  events: number;
  /** Time of the last event (or the horizon reached). */
  endTime: number;
}

export interface RunOptions {
  /** Keep per-node first-infection times. */
  infectionTimes?: boolean;
  /** Interventions and rate changes, sorted by time (see schedule.ts). */
  schedule?: readonly ScheduledAction[];
}
