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
  /** Every state change in time order, when `RunOptions.history` asked for it. */
  history?: StateHistory;
  /** Time of the last event (or the horizon reached). */
  endTime: number;
}

/**
 * The state changes of one run, in time order: node `node[i]` moved to compartment `to[i]` at `time[i]`.
 * With the initial state, it reconstructs every node's state at any time (for animation).
 */
export interface StateHistory {
  initial: Uint8Array;
  time: number[];
  node: number[];
  to: number[];
}

export interface RunOptions {
  /** Keep per-node first-infection times. */
  infectionTimes?: boolean;
  /** Keep every state change (see StateHistory). */
  history?: boolean;
  /** Interventions and rate changes, sorted by time (see schedule.ts). */
  schedule?: readonly ScheduledAction[];
}

/**
 * The bookkeeping every compartmental engine shares: counts per compartment, who ever left the susceptible
 * compartment (final size, first-infection times) and the peak of the infectious compartments. Engines call
 * `move` for each state change; the synchronous discrete engine applies a step's changes one by one, so it
 * passes `trackPeak = false` and calls `notePeak` once the whole step is applied (partial states of a step
 * never existed).
 */
export class Tally {
  readonly counts: Float64Array;
  readonly infectionTime: Float64Array | null;
  private readonly everLeft: Uint8Array;
  private readonly isInfectious: Uint8Array;
  private readonly susceptible: number;
  finalSize = 0;
  infectiousNow = 0;
  peak = 0;
  peakTime = 0;
  events = 0;
  readonly history: StateHistory | null;

  constructor(state: Uint8Array, nComp: number, susceptible: number, infectious: readonly number[], keepTimes: boolean, keepHistory = false) {
    this.history = keepHistory ? { initial: state.slice(), time: [], node: [], to: [] } : null;
    const n = state.length;
    this.counts = new Float64Array(nComp);
    this.everLeft = new Uint8Array(n);
    this.infectionTime = keepTimes ? new Float64Array(n).fill(NaN) : null;
    this.isInfectious = new Uint8Array(nComp);
    for (const c of infectious) this.isInfectious[c] = 1;
    this.susceptible = susceptible;
    for (let v = 0; v < n; v++) {
      const c = state[v];
      this.counts[c]++;
      if (c !== susceptible) {
        this.everLeft[v] = 1;
        this.finalSize++;
        if (this.infectionTime !== null) this.infectionTime[v] = 0;
      }
      if (this.isInfectious[c]) this.infectiousNow++;
    }
    this.peak = this.infectiousNow;
  }

  /** Node v moved from `from` to `to` at time t. */
  move(v: number, from: number, to: number, t: number, trackPeak = true): void {
    if (this.history !== null) {
      this.history.time.push(t);
      this.history.node.push(v);
      this.history.to.push(to);
    }
    this.counts[from]--;
    this.counts[to]++;
    this.events++;
    if (from === this.susceptible && this.everLeft[v] === 0) {
      this.everLeft[v] = 1;
      this.finalSize++;
      if (this.infectionTime !== null) this.infectionTime[v] = t;
    }
    if (this.isInfectious[to] !== this.isInfectious[from]) {
      this.infectiousNow += this.isInfectious[to] ? 1 : -1;
      if (trackPeak && this.infectiousNow > this.peak) {
        this.peak = this.infectiousNow;
        this.peakTime = t;
      }
    }
  }

  /** Record the current infectious count as a peak candidate at time t. */
  notePeak(t: number): void {
    if (this.infectiousNow > this.peak) {
      this.peak = this.infectiousNow;
      this.peakTime = t;
    }
  }

  output(recorder: TrajectoryRecorder, finalState: Uint8Array, endTime: number): RunOutput {
    recorder.finish(this.counts, endTime);
    return {
      times: recorder.times,
      counts: recorder.counts,
      finalState,
      infectionTime: this.infectionTime,
      finalSize: this.finalSize,
      peak: this.peak,
      peakTime: this.peakTime,
      events: this.events,
      endTime,
      ...(this.history ? { history: this.history } : {}),
    };
  }
}
