/**
 * Recording compartment counts at fixed record times while an engine advances. The state recorded at
 * time r is the state after every event with time ≤ r. With an infinite horizon the recorder keeps adding
 * record times until the run ends, and closes with one record at or after the last event.
 */
export class TrajectoryRecorder {
  /** Record times allowed when tmax is infinite (the run's budget, see ensemble/caps.ts); unbounded otherwise. */
  private readonly maxTimes: number;
  readonly times: number[] = [];
  /** Row-major counts: counts[k * nComp + c]. */
  readonly counts: number[] = [];
  private nextIndex = 0;

  constructor(
    private readonly nComp: number,
    private readonly interval: number,
    private readonly tmax: number,
    maxTimes = Infinity,
  ) {
    this.maxTimes = Number.isFinite(tmax) ? Infinity : maxTimes;
  }

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
    if (this.times.length >= this.maxTimes) throw recordBudgetError(this.maxTimes, this.nextTime);
    this.times.push(this.nextTime);
    for (let c = 0; c < this.nComp; c++) this.counts.push(current[c]);
    this.nextIndex++;
  }
}

import type { ScheduledAction } from "./schedule.js";
import { historyBudgetError, recordBudgetError } from "./budget.js";

/** What one run of an engine returns. */
export interface RunOutput {
  /** Record times. */
  times: number[];
  /** Row-major counts per record time: counts[k * nComp + c]. */
  counts: number[];
  /** Compartment index of every node at the end of the run. */
  finalState: Uint8Array;
  /** Time each node was first infected (seeds: 0; never: NaN), when requested. */
  infectionTime: Float64Array | null;
  /** Infections: nodes ever in an infected compartment, seeds included (see Tally). */
  finalSize: number;
  /** Nodes moved out of S by vaccination, never infected before. */
  vaccinated: number;
  /** When each of those vaccinations happened, in order. */
  vaccinationTimes: number[];
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
  /** Most state changes kept in `history`; past it the run stops with LimitError (default unbounded). */
  historyLimit?: number;
  /** Most record times when tmax is infinite; past it the run stops with LimitError (default unbounded). */
  maxRecordTimes?: number;
  /** Interventions and rate changes, sorted by time (see schedule.ts). */
  schedule?: readonly ScheduledAction[];
}

/** What the bookkeeping needs to know of a model (see CompiledModel). */
export interface TallyModel {
  nComp: number;
  susceptible: number;
  infectious: readonly number[];
  infected: readonly number[];
}

/** Why a node moved, when the engine's own transitions are not the cause. */
export type MoveCause = "vaccination";

/**
 * The bookkeeping every compartmental engine shares: counts per compartment, infections (final size,
 * first-infection times), vaccinations, and the peak of the infectious compartments. Engines call `move`
 * for each state change; the synchronous discrete engine applies a step's changes one by one, so it
 * passes `trackPeak = false` and calls `notePeak` once the whole step is applied (partial states of a step
 * never existed).
 *
 * Infections, as epidemiologists count them: a node is infected the first time it is in an infected
 * compartment (model.infected: the infectious ones and the targets of induced transitions) — the seeds
 * at t = 0, nodes infected along edges, imported cases, breakthrough infections of vaccinated nodes.
 * Nodes that start in R or V (immune) and nodes moved by vaccination are not infections; vaccinations of
 * nodes never infected before are counted apart (`vaccinated`, with the time of each).
 */
export class Tally {
  readonly counts: Float64Array;
  readonly infectionTime: Float64Array | null;
  /** Per node: bit 1 = ever infected, bit 2 = vaccinated. */
  private readonly flags: Uint8Array;
  private readonly isInfectious: Uint8Array;
  private readonly isInfected: Uint8Array;
  private readonly susceptible: number;
  finalSize = 0;
  vaccinated = 0;
  /** Times of the vaccinations counted in `vaccinated`, in order. */
  readonly vaccinationTimes: number[] = [];
  infectiousNow = 0;
  peak = 0;
  peakTime = 0;
  events = 0;
  readonly history: StateHistory | null;

  private readonly historyLimit: number;

  constructor(state: Uint8Array, model: TallyModel, keepTimes: boolean, keepHistory = false, historyLimit = Infinity) {
    this.historyLimit = historyLimit;
    this.history = keepHistory ? { initial: state.slice(), time: [], node: [], to: [] } : null;
    const n = state.length;
    const { nComp } = model;
    this.counts = new Float64Array(nComp);
    this.flags = new Uint8Array(n);
    this.infectionTime = keepTimes ? new Float64Array(n).fill(NaN) : null;
    this.isInfectious = new Uint8Array(nComp);
    for (const c of model.infectious) this.isInfectious[c] = 1;
    this.isInfected = new Uint8Array(nComp);
    for (const c of model.infected) this.isInfected[c] = 1;
    this.susceptible = model.susceptible;
    for (let v = 0; v < n; v++) {
      const c = state[v];
      this.counts[c]++;
      if (this.isInfected[c]) {
        this.flags[v] = 1;
        this.finalSize++;
        if (this.infectionTime !== null) this.infectionTime[v] = 0;
      }
      if (this.isInfectious[c]) this.infectiousNow++;
    }
    this.peak = this.infectiousNow;
  }

  /** Node v moved from `from` to `to` at time t (`cause`: an intervention that is not an infection). */
  move(v: number, from: number, to: number, t: number, trackPeak = true, cause?: MoveCause): void {
    if (this.history !== null) {
      if (this.history.time.length >= this.historyLimit) throw historyBudgetError(this.historyLimit, t);
      this.history.time.push(t);
      this.history.node.push(v);
      this.history.to.push(to);
    }
    this.counts[from]--;
    this.counts[to]++;
    this.events++;
    const flags = this.flags[v];
    if (cause === "vaccination") {
      if (from === this.susceptible && flags === 0) {
        this.flags[v] = 2;
        this.vaccinated++;
        this.vaccinationTimes.push(t);
      }
    } else if (this.isInfected[to] && (flags & 1) === 0) {
      this.flags[v] = flags | 1;
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
      vaccinated: this.vaccinated,
      vaccinationTimes: this.vaccinationTimes,
      peak: this.peak,
      peakTime: this.peakTime,
      events: this.events,
      endTime,
      ...(this.history ? { history: this.history } : {}),
    };
  }
}
