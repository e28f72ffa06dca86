/**
 * Testing, isolation and contact tracing, exact in continuous time (issue 14, item 3; specs in testing.ts).
 *
 * The epidemic part is the event-driven kernel of nonmarkov.ts (progressive models, any `model.durations`),
 * with one change: a pending transmission is kept per arc rather than per target node, because closing
 * arcs (isolation, quarantine) can cancel an earlier transmission while a later one along another arc still
 * happens. An infectious node v with stay D draws, exactly as nonmarkov.ts does and draw for draw, the
 * arcs whose first point of the rate-β·w Poisson process falls inside D and when. When such an attempt
 * comes due and the arc is closed (its source or its target isolated or quarantined), the attempt is
 * replaced by a re-evaluation at the time the closure ends; there, by the memorylessness of the Poisson
 * process, the arc draws a fresh Exp(β·w) from the source's current compartment, and transmits if that
 * falls before the source's stay ends. Closures only ever get longer, so no point of the process inside a
 * closure is missed and none outside is invented: the thinned process is exact.
 *
 * Interventions run on their own events in the same loop: a Poisson test clock per node and testing entry
 * (one heap entry each, memoryless, so it survives compartment changes untouched), and two FIFO queues —
 * test results and tracing notifications — which are in time order because their delays are fixed.
 *
 * Random streams: the epidemic draws from the run's stream exactly as nonmarkov.ts would (so without any
 * closure the run is nonmarkov.ts's run, draw for draw); tests draw from a second stream and tracing from a
 * third, both derived from (seed, run) alone. Hence tracing probability 0 reproduces the run without a
 * tracing entry, and sensitivity 0 the run without testing, bit for bit, for any number of workers.
 *
 * Heap items: node v's stay end is v; arc a's pending attempt is n + a; test clocks (node v, entry e: e·n + v)
 * live in a heap of their own. The run ends at tmax or when no stay, attempt or re-evaluation is pending (tests after
 * the last possible state change change nothing and are not counted).
 */
import type { CSR } from "../graph/csr.js";
import type { CompiledModel } from "../models/compartmental.js";
import type { CompiledDurations } from "../models/durations.js";
import { createRandom, type Random } from "../random.js";
import { IndexedMinHeap } from "./heap.js";
import { Tally, TrajectoryRecorder, type RunOptions, type RunOutput } from "./trajectory.js";
import type { CompiledControl, ControlCounts } from "./testing.js";
import { drawStay, spreadTable } from "./nonmarkov.js";
import { MAX_EVENTS_PER_RUN } from "./work.js";
import { WorkLimitError } from "../errors.js";

/**
 * The test and tracing streams of run `run`: createRandom streams −1 − (2·run + k), k = 0 (tests), 1
 * (tracing) — disjoint from the run streams (run + 1 ≥ 1) and from each other.
 */
export function controlStreams(seed: number, run: number): { tests: Random; tracing: Random } {
  return { tests: createRandom(seed, -1 - 2 * run), tracing: createRandom(seed, -2 - 2 * run) };
}

/** What happened, for tests and animations: infections (with the infector), isolations, quarantines. */
export type ControlLog = (kind: "infect" | "isolate" | "quarantine", t: number, node: number, by: number) => void;

export interface ControlRunOutput extends RunOutput {
  testing: ControlCounts;
}

/** The source of arc a: the node whose offsets range holds it (binary search; only on attempts that come due). */
function arcSource(offsets: Int32Array | Uint32Array | number[], n: number, a: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= a) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function runTracing(
  csr: CSR,
  model: CompiledModel,
  durations: CompiledDurations,
  control: CompiledControl,
  initial: Uint8Array,
  tmax: number,
  record: number,
  rng: Random,
  streams: { tests: Random; tracing: Random },
  options: RunOptions = {},
  log: ControlLog | null = null,
): ControlRunOutput {
  const { n, m, offsets, targets, weights } = csr;
  const { nComp } = model;
  const S = model.susceptible;
  const { spreadRate, spreadTo } = spreadTable(model);
  const exit = new Uint8Array(1);
  const testing = control.testing;
  const nTest = testing.length;
  const tracing = control.tracing;
  const detects = control.detects;
  const testRng = streams.tests;
  const traceRng = streams.tracing;

  const state = initial.slice();
  const nextTo = new Uint8Array(n);
  /** When each node's current stay ends (Infinity: never). */
  const leaveAt = new Float64Array(n).fill(Infinity);
  /** Arcs into or out of a node are closed until this time (isolation, quarantine); closures only grow. */
  const closedUntil = new Float64Array(n);
  /** Arc a's pending item is a re-evaluation after a closure, not an attempt. */
  const reevaluate = new Uint8Array(m);
  /** Who infected each node (−1: seed or never) and when, for tracing transmissions. */
  const infector = new Int32Array(n).fill(-1);
  const infectedAt = new Float64Array(n);
  /** 1: awaiting a positive result; 2: known positive (never tested again). */
  const known = new Uint8Array(n);

  const heap = new IndexedMinHeap(n + m);
  /** Test clocks apart, so that testing leaves the epidemic's heap (and its order of ties) untouched. */
  const testHeap = new IndexedMinHeap(nTest * n);
  const heapKeys = heap.keys;
  const heapItems = heap.items;
  const heapSlot = heap.slot;
  /** Pending stays, attempts and re-evaluations: the run goes on while there are any. */
  let pendingDynamics = 0;
  const setDynamics = (item: number, key: number): void => {
    if (heapSlot[item] < 0) pendingDynamics++;
    heap.set(item, key);
  };
  const removeDynamics = (item: number): void => {
    if (heapSlot[item] >= 0) {
      pendingDynamics--;
      heap.remove(item);
    }
  };

  const tally = new Tally(state, model, options.infectionTimes ?? false, options.history ?? false, options.historyLimit);
  const counts = tally.counts;
  const recorder = new TrajectoryRecorder(nComp, record, tmax, options.maxRecordTimes);
  const out: ControlCounts = { tests: 0, positives: 0, isolations: 0, traced: 0, quarantined: 0, quarantinedUninfected: 0 };

  // FIFO queues (fixed delays keep them in time order): results per testing entry, notifications.
  const resultTime: number[][] = testing.map(() => []);
  const resultNode: number[][] = testing.map(() => []);
  const resultHead = new Int32Array(nTest);
  const noteTime: number[] = [];
  const noteNode: number[] = [];
  const noteLevel: number[] = [];
  let noteHead = 0;

  /** Propose attempt time ti on arc a (keep the earlier pending item, as nonmarkov.ts keeps the earlier infection). */
  const propose = (a: number, ti: number): void => {
    const item = n + a;
    const slot = heapSlot[item];
    if (slot < 0 || ti < heapKeys[slot]) {
      setDynamics(item, ti);
      reevaluate[a] = 0;
    }
  };

  /** nonmarkov.ts's `spread`, draw for draw, proposing per arc. */
  const spread = (v: number, te: number, duration: number, beta: number): void => {
    const end = offsets[v + 1];
    if (weights === null) {
      const scale = beta * duration;
      if (!(scale > 0)) return;
      const pTransmit = -Math.expm1(-scale);
      let a = offsets[v] + Math.floor(-Math.log(1 - rng.next()) / scale);
      while (a < end) {
        if (state[targets[a]] === S) propose(a, te - Math.log(1 - rng.next() * pTransmit) / beta);
        a += 1 + Math.floor(-Math.log(1 - rng.next()) / scale);
      }
    } else {
      for (let a = offsets[v]; a < end; a++) {
        if (state[targets[a]] !== S) continue;
        const rate = beta * weights[a];
        if (!(rate > 0)) continue;
        const x = rng.next();
        if (x >= -Math.expm1(-rate * duration)) continue;
        propose(a, te - Math.log(1 - x) / rate);
      }
    }
  };

  /** Node v enters compartment c at t: nonmarkov.ts's `enter`, then its test clocks. */
  const enter = (v: number, c: number, t: number): void => {
    const stay = drawStay(rng, model, durations, c, exit);
    const to = exit[0];
    if (stay === Infinity) removeDynamics(v);
    else {
      setDynamics(v, t + stay);
      nextTo[v] = to;
    }
    leaveAt[v] = t + stay;
    if (spreadRate[c] > 0) spread(v, t, stay, spreadRate[c]);
    if (known[v] === 0) clocks(v, c, t);
  };

  /** Start (or keep: memoryless) the test clocks of entries that test compartment c; stop the others. */
  const clocks = (v: number, c: number, t: number): void => {
    for (let e = 0; e < nTest; e++) {
      const item = e * n + v;
      const entry = testing[e];
      if (entry.among[c] && entry.rate > 0) {
        if (!testHeap.has(item)) testHeap.set(item, Math.max(t, entry.at) + testRng.exponential(entry.rate));
      } else testHeap.remove(item);
    }
  };

  const consider = (u: number, t: number, level: number): void => {
    if (known[u] === 2) return; // already isolated as a positive
    const p = tracing!.probability;
    if (p < 1 && !(traceRng.next() < p)) return;
    out.traced++;
    noteTime.push(t + tracing!.delay);
    noteNode.push(u);
    noteLevel.push(level);
  };

  /** Trace the contacts of v at time t (their notifications are level `level`). */
  const traceFrom = (v: number, t: number, level: number): void => {
    const tr = tracing!;
    if (tr.transmissions) {
      const since = t - tr.window;
      const by = infector[v];
      if (by >= 0 && infectedAt[v] >= since) consider(by, t, level);
      for (let a = offsets[v]; a < offsets[v + 1]; a++) {
        const u = targets[a];
        if (infector[u] === v && infectedAt[u] >= since) consider(u, t, level);
      }
    } else {
      for (let a = offsets[v]; a < offsets[v + 1]; a++) consider(targets[a], t, level);
    }
  };

  const close = (v: number, until: number): void => {
    if (until > closedUntil[v]) closedUntil[v] = until;
  };

  for (let v = 0; v < n; v++) if (state[v] !== S) enter(v, state[v], 0);
  if (nTest > 0) for (let v = 0; v < n; v++) if (state[v] === S) clocks(v, S, 0);

  let t = 0;
  for (;;) {
    // The next event: the epidemic's heap, a test clock, a result or a notification (ties in that order).
    let next = heap.size > 0 ? heapKeys[0] : Infinity;
    let source = -1;
    if (testHeap.size > 0 && testHeap.keys[0] < next) {
      next = testHeap.keys[0];
      source = -2;
    }
    for (let e = 0; e < nTest; e++) {
      const h = resultHead[e];
      if (h < resultTime[e].length && resultTime[e][h] < next) {
        next = resultTime[e][h];
        source = e;
      }
    }
    if (noteHead < noteTime.length && noteTime[noteHead] < next) {
      next = noteTime[noteHead];
      source = nTest;
    }
    if (pendingDynamics === 0 || next > tmax || next === Infinity) break;
    recorder.advanceTo(next, counts);
    if (source === nTest) {
      // A traced contact is notified: quarantine, and trace its own contacts at level 2.
      const u = noteNode[noteHead];
      const level = noteLevel[noteHead++];
      if (known[u] === 2) continue;
      out.quarantined++;
      if (state[u] === S) out.quarantinedUninfected++;
      close(u, next + tracing!.quarantine);
      log?.("quarantine", next, u, -1);
      if (level < tracing!.levels) traceFrom(u, next, level + 1);
      continue;
    }
    if (source >= 0) {
      // A positive result: isolate, stop testing the node, trace.
      const v = resultNode[source][resultHead[source]++];
      const entry = testing[source];
      known[v] = 2;
      out.positives++;
      for (let e = 0; e < nTest; e++) testHeap.remove(e * n + v);
      if (entry.isolation > 0) {
        out.isolations++;
        close(v, next + entry.isolation);
        log?.("isolate", next, v, -1);
      }
      if (tracing !== null && tracing.at <= next && next < tracing.until) traceFrom(v, next, 1);
      continue;
    }
    if (source === -2) {
      // A test clock rings.
      const item = testHeap.items[0];
      const e = Math.floor(item / n);
      const v = item - e * n;
      const entry = testing[e];
      if (next >= entry.until) {
        testHeap.pop();
        continue;
      }
      testHeap.replaceTopKey(Math.max(next, entry.at) + testRng.exponential(entry.rate));
      if (next < entry.at || known[v] !== 0) continue;
      if (++out.tests > MAX_EVENTS_PER_RUN) {
        throw new WorkLimitError(`testing.rate: one run made more than ${MAX_EVENTS_PER_RUN} tests; lower the testing rate or give a finite tmax.`);
      }
      const s = entry.sensitivity;
      if (detects[state[v]] && (s >= 1 || testRng.next() < s)) {
        known[v] = 1;
        resultTime[e].push(next + entry.delay);
        resultNode[e].push(v);
      }
      continue;
    }
    t = next;
    const item = heapItems[0];
    if (item < n) {
      // A stay ends (enter() moves or removes the node's entry, as in nonmarkov.ts).
      const v = item;
      const from = state[v];
      const to = nextTo[v];
      state[v] = to;
      tally.move(v, from, to, next);
      enter(v, to, next);
      continue;
    }
    // An arc's attempt (or re-evaluation) comes due.
    const a = item - n;
    removeDynamics(item);
    const u = targets[a];
    if (state[u] !== S) continue;
    const v = arcSource(offsets, n, a);
    const closed = Math.max(closedUntil[v], closedUntil[u]);
    if (closed > next) {
      if (closed !== Infinity) {
        setDynamics(item, closed);
        reevaluate[a] = 1;
      }
      continue;
    }
    const c = state[v];
    if (reevaluate[a] === 1) {
      reevaluate[a] = 0;
      const rate = spreadRate[c] * (weights === null ? 1 : weights[a]);
      if (!(rate > 0)) continue;
      const ti = next + rng.exponential(rate);
      if (ti < leaveAt[v]) setDynamics(item, ti);
      continue;
    }
    const to = spreadTo[c];
    state[u] = to;
    infector[u] = v;
    infectedAt[u] = next;
    tally.move(u, S, to, next);
    log?.("infect", next, u, v);
    enter(u, to, next);
  }
  // Ended at tmax with something still to happen: the run lasted tmax (as nonmarkov.ts reports it).
  let live = false;
  if (tmax !== Infinity) {
    for (let i = 0; i < heap.size && !live; i++) {
      const item = heapItems[i];
      live = item < n || reevaluate[item - n] === 1 || state[targets[item - n]] === S;
    }
  }
  return { ...tally.output(recorder, state, live ? tmax : t), testing: out };
}
