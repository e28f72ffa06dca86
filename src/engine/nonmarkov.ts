/**
 * Exact event-driven simulation with non-exponential periods (issue 14, item 1), after Kiss, Miller &
 * Simon (2017, Appendix A.1.2: EoN's `fast_nonMarkov_SIR`), generalised to progressive compartmental
 * models. A node's future after infection depends on nothing but its own draws, so when a node enters a
 * compartment we draw how long it stays (its duration, or Exp(total rate) where the compartment keeps
 * exponential exits) and where it goes next. When it enters an infectious compartment with stay D, each
 * out-arc transmits at rate β·w while it is there: the arc fires before the node leaves with probability
 * 1 − e^(−β·w·D), at a time drawn from Exp(β·w) truncated at D. All arcs out of one node share its D, so
 * its transmissions are correlated through its period, as they are in the model.
 *
 * One heap entry per node, as in sir-fast.ts: a susceptible node holds its earliest pending infection (and
 * which compartment it would enter), any other node the end of its current stay. Unweighted arcs are
 * visited by geometric skipping (only the arcs that transmit cost random numbers); weighted arcs draw one
 * uniform each. Typed arrays throughout; every draw comes from the run's stream.
 *
 * Transmission delays (`model.delays`, per infectious compartment): instead of rate β, each out-arc draws its
 * own delay τ from the node's entry there and transmits at that time if τ is shorter than the stay (one draw
 * per arc to a susceptible node; unweighted networks only).
 *
 * Temporal contact networks (graph/temporal.ts, `temporal` argument): an arc transmits at rate β per unit of time
 * its pair is active while the source is infectious: one Exp(β) budget of active time per arc to a susceptible
 * node, walked along the pair's windows within the stay (exact; no time step).
 *
 * Re-infection (SIS, SIRS, SEIRS and other endemic models, issue 14): transmission along an arc is a Poisson
 * process of rate β (per unit of active contact time on a temporal network) while the source is infectious, so
 * its points after any instant are independent of those before. When a node comes back to S at time t, each
 * neighbour that is infectious until e draws a fresh first point in [t, e) (one uniform: Exp(β·w) on a static
 * network, an Exp(β) budget of active time walked along the pair's windows on a temporal one), and the node keeps
 * the earliest. A pending infection drawn in an earlier susceptible episode is dropped when the node leaves S.
 * So each infectious episode of a source gets new budgets towards every node that is susceptible in it, exactly.
 *
 * Supported models (`nonMarkovProblem` says why not otherwise): induced transitions only out of the
 * susceptible compartment, one per inducing compartment; the susceptible compartment has no spontaneous
 * exit; rates, not probabilities. Transmission delays need a progressive model (a delay is measured from the
 * source's entry, so it is not memoryless for a node that becomes susceptible later).
 * Nodes seeded outside S start a fresh stay at t = 0.
 */
import type { CSR } from "../graph/csr.js";
import type { CompiledModel } from "../models/compartmental.js";
import { EXPONENTIAL, FIXED, GAMMA, LOGNORMAL, type CompiledDurations } from "../models/durations.js";
import { gammaVariate, lognormal, weibull, type Random } from "../random.js";
import { IndexedMinHeap } from "./heap.js";
import { SimulationError } from "../errors.js";
import { Tally, TrajectoryRecorder, type RunOptions, type RunOutput } from "./trajectory.js";
import { activeTimeReached, type TemporalWindows } from "../graph/temporal.js";

/** A draw from a non-exponential law (FIXED, GAMMA, LOGNORMAL or WEIBULL: models/durations.ts) with parameters a, b. */
export function drawLaw(rng: Random, k: number, a: number, b: number): number {
  return k === FIXED ? a : k === GAMMA ? gammaVariate(rng, a, b) : k === LOGNORMAL ? lognormal(rng, a, b) : weibull(rng, a, b);
}

/** Per compartment: the rate and target of the (single) induced transition out of S it drives, 0 if none. */
export function spreadTable(model: CompiledModel): { spreadRate: Float64Array; spreadTo: Uint8Array } {
  const S = model.susceptible;
  const spreadRate = new Float64Array(model.nComp);
  const spreadTo = new Uint8Array(model.nComp);
  for (let j = model.inducedOffsets[S]; j < model.inducedOffsets[S + 1]; j++) {
    const by = model.infectious[model.inducedSlot[j]];
    spreadRate[by] = model.inducedRate[j];
    spreadTo[by] = model.inducedTo[j];
  }
  return { spreadRate, spreadTo };
}

/**
 * How long a node entering compartment c stays (Infinity: never leaves), with the compartment it then moves to
 * written to `exit[0]`. Exponential exits: one Exp(total) stay, then the exit in proportion to its rate; other
 * laws: one draw, and the compartment's single spontaneous exit. Both kernels (this one and tracing.ts) draw
 * through here, in this order, so their streams agree draw for draw.
 */
export function drawStay(rng: Random, model: CompiledModel, durations: CompiledDurations, c: number, exit: Uint8Array): number {
  const { spontOffsets, spontTo, spontRate, spontTotal } = model;
  const k = durations.kind[c];
  if (k !== EXPONENTIAL) {
    exit[0] = spontTo[spontOffsets[c]];
    return drawLaw(rng, k, durations.a[c], durations.b[c]);
  }
  const total = spontTotal[c];
  if (!(total > 0)) {
    exit[0] = c;
    return Infinity; // never leaves (absorbing, or a rate of 0)
  }
  const stay = -Math.log(1 - rng.next()) / total;
  const first = spontOffsets[c];
  const last = spontOffsets[c + 1] - 1;
  let to = spontTo[first];
  if (last > first) {
    // Which exit: in proportion to its rate.
    let x = rng.next() * total;
    for (let j = first; j <= last; j++) {
      to = spontTo[j];
      x -= spontRate[j];
      if (x < 0) break;
    }
  }
  exit[0] = to;
  return stay;
}

/** Why the kernel cannot run this model (null: it can). */
export function nonMarkovProblem(m: CompiledModel): string | null {
  if (m.usesProbabilities) return "a transition is given as a per-step probability; durations run in continuous time with rates";
  const S = m.susceptible;
  if (m.spontOffsets[S + 1] > m.spontOffsets[S]) return `"${m.compartments[S]}" has a spontaneous exit; with durations, nodes leave the susceptible compartment only by infection`;
  const perInducer = new Int32Array(m.nComp);
  for (let c = 0; c < m.nComp; c++) {
    for (let j = m.inducedOffsets[c]; j < m.inducedOffsets[c + 1]; j++) {
      if (c !== S) return `"${m.compartments[c]}" has an induced exit; with durations, only the susceptible compartment has induced transitions`;
      const by = m.infectious[m.inducedSlot[j]];
      if (++perInducer[by] > 1) return `"${m.compartments[by]}" induces two transitions; with durations, each infectious compartment induces one`;
    }
  }
  return null;
}

/**
 * Bound on the events of one run. Progressive models: each node enters each compartment at most once, so
 * n·C + m·k. Endemic models (a path back to S): every infection is an arc firing at rate ≤ β_max, so in
 * expectation at most tmax·β_max·m infections, each followed by at most C stays: n·C + C·tmax·β·m (∞ for tmax = ∞).
 */
export function nonMarkovWork(n: number, m: number, model: CompiledModel, tmax = Infinity): { events: number; formula: string } {
  const k = model.nSlots;
  if (!model.endemic) return { events: n * model.nComp + m * k, formula: `n·C + m·k = ${n}·${model.nComp} + ${m}·${k}` };
  let beta = 0;
  for (let j = 0; j < model.inducedRate.length; j++) beta = Math.max(beta, model.inducedRate[j]);
  const C = model.nComp;
  return { events: n * C + C * tmax * beta * m, formula: `endemic: n·C + C·tmax·β·m = ${n}·${C} + ${C}·${tmax}·${beta}·${m}` };
}

export function runNonMarkov(
  csr: CSR,
  model: CompiledModel,
  durations: CompiledDurations,
  delays: CompiledDurations | null,
  initial: Uint8Array,
  tmax: number,
  record: number,
  rng: Random,
  options: RunOptions = {},
  temporal: TemporalWindows | null = null,
): RunOutput {
  const { n, offsets, targets, weights } = csr;
  if (temporal !== null && (delays !== null || weights !== null)) {
    throw new SimulationError("network.contacts: a temporal contact network runs with rate β per active contact; drop model.delays and the edge weight.");
  }
  if (delays !== null && model.endemic) {
    throw new SimulationError("model.delays: transmission delays need a progressive model (no return to the susceptible compartment); drop model.delays or the path back to S.");
  }
  if (delays !== null && !delays.exponentialOnly && weights !== null) {
    throw new SimulationError("model.delays: transmission delays run on unweighted networks only; drop the edge weight.");
  }
  const { nComp } = model;
  const S = model.susceptible;
  const { spreadRate, spreadTo } = spreadTable(model);
  const exit = new Uint8Array(1);
  const state = initial.slice();
  /** Susceptible node: the compartment its pending infection leads to; other nodes: where their stay ends. */
  const nextTo = new Uint8Array(n);
  const heap = new IndexedMinHeap(n);
  const heapKeys = heap.keys;
  const heapItems = heap.items;
  const heapSlot = heap.slot;
  const tally = new Tally(state, model, options.infectionTimes ?? false, options.history ?? false, options.historyLimit);
  const counts = tally.counts;
  const recorder = new TrajectoryRecorder(nComp, record, tmax, options.maxRecordTimes);
  /** Where each node's current stay ends (Infinity: never); read when a neighbour comes back to S. */
  const stayEnd = new Float64Array(n).fill(Infinity);
  // Who can infect u: in-arcs. Undirected (and temporal) networks: u's own arcs (same weight and pair both ways);
  // directed ones: a reversed CSR, built only for endemic models (the only ones that look backwards).
  let inOffsets = offsets;
  let inArc: Int32Array | null = null; // arc index (v → u) of each in-arc; null: the arc itself
  let inSource = targets;
  if (model.endemic && csr.directed) {
    inOffsets = new Int32Array(n + 1);
    for (let a = 0; a < targets.length; a++) inOffsets[targets[a] + 1]++;
    for (let v = 0; v < n; v++) inOffsets[v + 1] += inOffsets[v];
    const fill = inOffsets.slice(0, n);
    inArc = new Int32Array(targets.length);
    inSource = new Int32Array(targets.length);
    for (let v = 0; v < n; v++) {
      for (let a = offsets[v]; a < offsets[v + 1]; a++) {
        const k = fill[targets[a]]++;
        inArc[k] = a;
        inSource[k] = v;
      }
    }
  }

  const delayKind = delays?.kind ?? new Uint8Array(nComp);
  const delayA = delays?.a ?? new Float64Array(nComp);
  const delayB = delays?.b ?? new Float64Array(nComp);
  /** Infectious with a transmission-delay law: each arc to a susceptible node draws its delay. */
  const spreadDelayed = (v: number, te: number, duration: number, c: number, to: number): void => {
    const k = delayKind[c];
    const a1 = delayA[c];
    const b1 = delayB[c];
    for (let a = offsets[v]; a < offsets[v + 1]; a++) {
      const u = targets[a];
      if (state[u] !== S) continue;
      const delay = drawLaw(rng, k, a1, b1);
      if (!(delay < duration)) continue;
      const ti = te + delay;
      const slot = heapSlot[u];
      if (slot < 0 || ti < heapKeys[slot]) {
        heap.set(u, ti);
        nextTo[u] = to;
      }
    }
  };

  /** Node v infectious in a compartment from te for `duration`: the arcs that transmit before it leaves. */
  const spread = (v: number, te: number, duration: number, beta: number, to: number): void => {
    const end = offsets[v + 1];
    if (weights === null) {
      const scale = beta * duration;
      if (!(scale > 0)) return; // β = 0 or D = 0: nothing transmits
      const pTransmit = -Math.expm1(-scale);
      let a = offsets[v] + Math.floor(-Math.log(1 - rng.next()) / scale);
      while (a < end) {
        const u = targets[a];
        if (state[u] === S) {
          const ti = te - Math.log(1 - rng.next() * pTransmit) / beta;
          const slot = heapSlot[u];
          if (slot < 0 || ti < heapKeys[slot]) {
            heap.set(u, ti);
            nextTo[u] = to;
          }
        }
        a += 1 + Math.floor(-Math.log(1 - rng.next()) / scale);
      }
    } else {
      for (let a = offsets[v]; a < end; a++) {
        const u = targets[a];
        if (state[u] !== S) continue;
        const rate = beta * weights[a];
        if (!(rate > 0)) continue;
        const x = rng.next();
        if (x >= -Math.expm1(-rate * duration)) continue;
        const ti = te - Math.log(1 - x) / rate;
        const slot = heapSlot[u];
        if (slot < 0 || ti < heapKeys[slot]) {
          heap.set(u, ti);
          nextTo[u] = to;
        }
      }
    }
  };

  /**
   * Temporal network (graph/temporal.ts): arc a transmits at rate β while its pair is active and v infectious,
   * i.e. after an Exp(β) budget of active time within [te, te + duration); one uniform per arc to a susceptible node.
   * On an always-active pair this is the weighted branch above with weight 1, draw for draw.
   */
  const spreadTemporal = (v: number, te: number, duration: number, beta: number, to: number, w: TemporalWindows): void => {
    const t1 = te + duration;
    const arcPair = w.arcPair;
    for (let a = offsets[v]; a < offsets[v + 1]; a++) {
      const u = targets[a];
      if (state[u] !== S) continue;
      const budget = -Math.log(1 - rng.next()) / beta;
      const ti = activeTimeReached(w, arcPair[a], te, t1, budget);
      if (ti === Infinity) continue;
      const slot = heapSlot[u];
      if (slot < 0 || ti < heapKeys[slot]) {
        heap.set(u, ti);
        nextTo[u] = to;
      }
    }
  };

  /**
   * Node u is susceptible again at time t: each infectious neighbour v (until stayEnd[v]) gets a fresh first
   * transmission time towards u, one uniform each, in the same order and with the same draws as the forward
   * branches (so an always-on temporal network equals the weighted static path with weight 1, draw for draw).
   */
  const exposeAgain = (u: number, t: number): void => {
    for (let k = inOffsets[u]; k < inOffsets[u + 1]; k++) {
      const v = inSource[k];
      const c = state[v];
      const beta = spreadRate[c];
      if (!(beta > 0)) continue;
      const e = stayEnd[v];
      if (!(e > t)) continue;
      const a = inArc === null ? k : inArc[k];
      const x = rng.next();
      let ti: number;
      if (temporal !== null) {
        ti = activeTimeReached(temporal, temporal.arcPair[a], t, e, -Math.log(1 - x) / beta);
        if (ti === Infinity) continue;
      } else {
        const rate = weights === null ? beta : beta * weights[a];
        if (!(rate > 0) || x >= -Math.expm1(-rate * (e - t))) continue;
        ti = t - Math.log(1 - x) / rate;
      }
      const slot = heapSlot[u];
      if (slot < 0 || ti < heapKeys[slot]) {
        heap.set(u, ti);
        nextTo[u] = spreadTo[c];
      }
    }
  };

  /** Node v enters compartment c at time t: draw its stay and next compartment, then spread if infectious. */
  const enter = (v: number, c: number, t: number): void => {
    const stay = drawStay(rng, model, durations, c, exit);
    const to = exit[0];
    if (stay === Infinity) heap.remove(v);
    else {
      heap.set(v, t + stay);
      nextTo[v] = to;
    }
    stayEnd[v] = t + stay;
    if (c === S) {
      exposeAgain(v, t); // back to S (endemic models only: the seeds' loop below never enters S)
      return;
    }
    if (temporal !== null) {
      if (spreadRate[c] > 0) spreadTemporal(v, t, stay, spreadRate[c], spreadTo[c], temporal);
    } else if (delayKind[c] !== EXPONENTIAL) spreadDelayed(v, t, stay, c, spreadTo[c]);
    else if (spreadRate[c] > 0) spread(v, t, stay, spreadRate[c], spreadTo[c]);
  };

  // Seeds (and nodes placed elsewhere) start a fresh stay at t = 0; every state is set before anyone spreads.
  for (let v = 0; v < n; v++) if (state[v] !== S) enter(v, state[v], 0);

  let t = 0;
  while (heap.size > 0) {
    const te = heapKeys[0];
    if (te > tmax || te === Infinity) break;
    const v = heapItems[0];
    recorder.advanceTo(te, counts);
    t = te;
    const from = state[v];
    const to = nextTo[v];
    state[v] = to;
    tally.move(v, from, to, te);
    enter(v, to, te);
  }
  return tally.output(recorder, state, heap.size > 0 && tmax !== Infinity ? tmax : t);
}
