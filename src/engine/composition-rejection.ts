/**
 * Exact continuous-time simulation of any compartmental model by the Gillespie direct method with
 * composition–rejection sampling (Slepoy, Thompson & Plimpton 2008) and phantom infection attempts, as in
 * St-Onge, Young, Hébert-Dufresne & Dubé 2019 ("Efficient sampling of spreading processes on complex
 * networks using a composition and rejection algorithm", the engine `spreading_CR`) and Cota & Ferreira 2017.
 *
 * Each node v in compartment c carries the propensity
 *   a(v) = Σ spontaneous rates out of c + Σ_{induced transitions driven by c} β · outWeight(v),
 * which depends on v's own compartment and out-weight only: the total of every event v can cause, with
 * infection attempts counted along *every* out-arc whatever the neighbour's state. The next event happens
 * after Exp(Σ a); the acting node is drawn ∝ a(v) by composition (bins of propensities within a factor 2,
 * chosen ∝ their totals) and rejection inside the bin (acceptance ≥ 1/2); then the event is a spontaneous
 * transition, or an attempt along an arc drawn ∝ weight, which succeeds when the neighbour is in the
 * transition's source compartment and is a phantom (no change) otherwise. Thinning a Poisson process this
 * way is exact. A state change alters only the acting node's propensity, so an event costs O(1) (O(log k)
 * with weights) — nothing per neighbour, and no heap.
 */
import type { CSR } from "../graph/csr.js";
import type { CompiledModel } from "../models/compartmental.js";
import type { Random } from "../random.js";
import { SimulationError } from "../errors.js";
import { Tally, TrajectoryRecorder, type MoveCause, type RunOptions, type RunOutput } from "./trajectory.js";
import type { EngineControl } from "./schedule.js";

/** Bin b holds propensities 2^(b − 1023) ≤ a < 2^(b − 1022): b is the IEEE-754 biased exponent. */
const BIN_COUNT = 2048;
const EXPONENT_BIAS = 1023;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Bin of a positive, finite propensity: its binary exponent, read from the IEEE-754 bits. */
function binOf(a: number): number {
  f64[0] = a;
  return (u32[1] >>> 20) & 0x7ff; // (subnormals share bin 0)
}

/** Out-weight of every node, and per-arc cumulative weights for drawing an arc ∝ weight. */
interface ArcWeights {
  outWeight: Float64Array;
  cumulative: Float64Array | null;
}
const arcWeightCache = new WeakMap<CSR, ArcWeights>();
function arcWeights(csr: CSR): ArcWeights {
  let w = arcWeightCache.get(csr);
  if (w) return w;
  const { n, offsets, weights } = csr;
  const outWeight = new Float64Array(n);
  let cumulative: Float64Array | null = null;
  if (weights === null) {
    for (let v = 0; v < n; v++) outWeight[v] = offsets[v + 1] - offsets[v];
  } else {
    cumulative = new Float64Array(csr.m);
    for (let v = 0; v < n; v++) {
      let s = 0;
      for (let a = offsets[v]; a < offsets[v + 1]; a++) {
        s += weights[a];
        cumulative[a] = s;
      }
      outWeight[v] = s;
    }
  }
  w = { outWeight, cumulative };
  arcWeightCache.set(csr, w);
  return w;
}

export function runCompositionRejection(
  csr: CSR,
  model: CompiledModel,
  initial: Uint8Array,
  tmax: number,
  record: number,
  rng: Random,
  options: RunOptions = {},
): RunOutput {
  if (model.usesProbabilities) {
    throw new SimulationError("continuous engine: a transition is given as a per-step probability; use rates, or time.mode = discrete.");
  }
  const { n, offsets, targets } = csr;
  const { nComp, infectious } = model;
  let { spontOffsets, spontTo, spontRate, spontTotal } = model;
  const shared = arcWeights(csr);
  let outWeight = shared.outWeight;
  let cumulative = shared.cumulative;

  // Induced transitions grouped by the compartment that drives them.
  const groupDrives = (m: CompiledModel) => {
    const offsets = new Int32Array(nComp + 1);
    const drives: { from: number; to: number; rate: number; by: number }[] = [];
    for (let c = 0; c < nComp; c++) {
      for (let j = m.inducedOffsets[c]; j < m.inducedOffsets[c + 1]; j++) {
        drives.push({ from: c, to: m.inducedTo[j], rate: m.inducedRate[j], by: m.infectious[m.inducedSlot[j]] });
      }
    }
    drives.sort((a, b) => a.by - b.by);
    for (const d of drives) offsets[d.by + 1]++;
    for (let c = 0; c < nComp; c++) offsets[c + 1] += offsets[c];
    const total = new Float64Array(nComp);
    for (const d of drives) total[d.by] += d.rate;
    return {
      offsets,
      from: Int32Array.from(drives, (d) => d.from),
      to: Int32Array.from(drives, (d) => d.to),
      rate: Float64Array.from(drives, (d) => d.rate),
      total,
    };
  };
  let drive = groupDrives(model);
  let driveOffsets = drive.offsets;
  let driveFrom = drive.from;
  let driveTo = drive.to;
  let driveRate = drive.rate;
  let driveTotal = drive.total;

  const state = initial.slice();
  const propensity = new Float64Array(n);
  const nodeBin = new Int32Array(n).fill(-1);
  const nodePos = new Int32Array(n);
  const binNodes: Int32Array[] = [];
  const binSize = new Int32Array(BIN_COUNT);
  const binTotal = new Float64Array(BIN_COUNT);
  let lowBin = BIN_COUNT;
  let highBin = -1;
  let total = 0;

  const insert = (v: number, a: number): void => {
    // An infinite propensity (rates near 1e308 times a degree) has no bin and would make the rejection
    // step below spin forever: refuse it. (The work bound of engine/work.ts refuses such specs earlier.)
    if (a === Infinity) throw new SimulationError(`node ${v}: its total event rate overflows to Infinity; rates this large cannot be simulated, lower them.`);
    const b = binOf(a);
    let list = binNodes[b];
    if (list === undefined) list = binNodes[b] = new Int32Array(16);
    if (binSize[b] === list.length) {
      const grown = new Int32Array(Math.min(n, list.length * 2));
      grown.set(list);
      list = binNodes[b] = grown;
    }
    nodeBin[v] = b;
    nodePos[v] = binSize[b];
    list[binSize[b]++] = v;
    binTotal[b] += a;
    propensity[v] = a;
    total += a;
    if (b < lowBin) lowBin = b;
    if (b > highBin) highBin = b;
  };
  const remove = (v: number): void => {
    const b = nodeBin[v];
    const list = binNodes[b];
    const last = list[--binSize[b]];
    list[nodePos[v]] = last;
    nodePos[last] = nodePos[v];
    nodeBin[v] = -1;
    // An emptied bin restarts from an exact zero, so rounding cannot accumulate there.
    binTotal[b] = binSize[b] === 0 ? 0 : binTotal[b] - propensity[v];
    total -= propensity[v];
    propensity[v] = 0;
    while (highBin >= 0 && binSize[highBin] === 0) highBin--;
    while (lowBin < BIN_COUNT && binSize[lowBin] === 0) lowBin++;
    if (highBin < 0) total = 0; // nothing left to happen: drop any rounding residue
  };
  const propensityOf = (v: number, c: number): number => spontTotal[c] + driveTotal[c] * outWeight[v];
  /** Sum the bin totals afresh (bounds rounding drift of the running total). */
  const resum = (): void => {
    total = 0;
    for (let b = lowBin; b <= highBin; b++) total += binTotal[b];
  };

  const tally = new Tally(state, model, options.infectionTimes ?? false, options.history ?? false, options.historyLimit);
  const counts = tally.counts;
  /** (Re)build the bins from scratch, in node order: after a rate change the sampler is in exactly the
   * state a run started with those rates would have, so a change at t = 0 reproduces that run. */
  const rebuild = (): void => {
    for (let b = lowBin; b <= highBin; b++) {
      binSize[b] = 0;
      binTotal[b] = 0;
    }
    lowBin = BIN_COUNT;
    highBin = -1;
    total = 0;
    for (let v = 0; v < n; v++) {
      nodeBin[v] = -1;
      propensity[v] = 0;
      const a = propensityOf(v, state[v]);
      if (a > 0) insert(v, a);
    }
    resum();
  };
  rebuild();

  const recorder = new TrajectoryRecorder(nComp, record, tmax, options.maxRecordTimes);
  let t = 0;
  let sinceResum = 0;

  const move = (v: number, from: number, to: number, te: number, cause?: MoveCause): void => {
    state[v] = to;
    tally.move(v, from, to, te, true, cause);
    const a = propensityOf(v, to);
    if (a !== propensity[v]) {
      if (nodeBin[v] >= 0) remove(v);
      if (a > 0) insert(v, a);
    }
  };

  // Interventions: each fires exactly at its time; the pending event time drawn before it is discarded
  // and redrawn from there, which is exact because the process is memoryless.
  const actions = options.schedule ?? [];
  let nextAction = 0;
  let ownWeights = false;
  let arcScale: Float32Array | null = null;
  const refresh = (v: number): void => {
    const a = propensityOf(v, state[v]);
    if (a === propensity[v]) return;
    if (nodeBin[v] >= 0) remove(v);
    if (a > 0) insert(v, a);
  };
  const tailOf = (arc: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid] <= arc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const control: EngineControl = {
    get t() {
      return t;
    },
    state,
    rng,
    move(v, to, cause) {
      const from = state[v];
      if (from !== to) move(v, from, to, t, cause);
    },
    setRates(m) {
      ({ spontOffsets, spontTo, spontRate, spontTotal } = m);
      drive = groupDrives(m);
      ({ offsets: driveOffsets, from: driveFrom, to: driveTo, rate: driveRate, total: driveTotal } = drive);
      rebuild();
    },
    setArcScale(arcs, scale) {
      if (!ownWeights) {
        // First change of weights in this run: private copies, so the shared network stays untouched.
        ownWeights = true;
        outWeight = Float64Array.from(shared.outWeight);
        cumulative = new Float64Array(csr.m);
        arcScale = new Float32Array(csr.m).fill(1);
        for (let v = 0; v < n; v++) {
          let sum = 0;
          for (let a = offsets[v]; a < offsets[v + 1]; a++) cumulative[a] = sum += csr.weights === null ? 1 : csr.weights[a];
        }
      }
      const tails = new Set<number>();
      for (let i = 0; i < arcs.length; i++) {
        arcScale![arcs[i]] = scale;
        tails.add(tailOf(arcs[i]));
      }
      for (const v of tails) {
        let sum = 0;
        for (let a = offsets[v]; a < offsets[v + 1]; a++) cumulative![a] = sum += (csr.weights === null ? 1 : csr.weights[a]) * arcScale![a];
        outWeight[v] = sum;
        refresh(v);
      }
    },
  };

  for (;;) {
    // Actions due now apply before any draw: a rate change at t = 0 gives exactly the run with that rate.
    while (nextAction < actions.length && actions[nextAction].at <= t) actions[nextAction++].apply(control);
    const te = total > 1e-300 ? t - Math.log(1 - rng.next()) / total : Infinity;
    const at = nextAction < actions.length ? actions[nextAction].at : Infinity;
    if (at !== Infinity && at <= te && at <= tmax) {
      recorder.advanceTo(at, counts);
      t = at;
      actions[nextAction++].apply(control);
      continue;
    }
    if (te === Infinity || te > tmax) break; // nothing left to happen, or past the horizon
    recorder.advanceTo(te, counts);
    t = te;

    // Composition: a bin ∝ its total (highest bins first: they hold the most propensity per node).
    let x = rng.next() * total;
    let b = highBin;
    for (; b > lowBin; b--) {
      x -= binTotal[b];
      if (x < 0) break;
    }
    // Rejection inside the bin: a uniform member, accepted with probability a / 2^(b+1−offset) ≥ 1/2.
    const list = binNodes[b];
    const size = binSize[b];
    const ceiling = 2 ** (b - EXPONENT_BIAS + 1);
    let v: number;
    for (;;) {
      const y = rng.next() * size;
      const i = Math.floor(y);
      v = list[i];
      // The fractional part of y is a fresh uniform: accept with probability a(v) / ceiling.
      if ((y - i) * ceiling < propensity[v]) break;
    }

    // Which event of v: spontaneous, or an attempt along one of its arcs.
    const c = state[v];
    let z = rng.next() * propensity[v];
    if (z < spontTotal[c]) {
      let to = spontTo[spontOffsets[c]];
      for (let j = spontOffsets[c]; j < spontOffsets[c + 1]; j++) {
        to = spontTo[j];
        z -= spontRate[j];
        if (z < 0) break;
      }
      move(v, c, to, te);
    } else {
      z -= spontTotal[c];
      const w = outWeight[v];
      let j = driveOffsets[c];
      for (; j < driveOffsets[c + 1] - 1; j++) {
        const share = driveRate[j] * w;
        if (z < share) break;
        z -= share;
      }
      // z / β is uniform on [0, outWeight): the arc it falls on is drawn ∝ weight.
      const pick = z / driveRate[j];
      const start = offsets[v];
      const end = offsets[v + 1];
      let arc: number;
      if (cumulative === null) {
        arc = start + Math.min(end - start - 1, Math.floor(pick));
      } else {
        let lo = start;
        let hi = end - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid] > pick) hi = mid;
          else lo = mid + 1;
        }
        arc = lo;
      }
      const u = targets[arc];
      if (state[u] === driveFrom[j]) move(u, driveFrom[j], driveTo[j], te);
    }
    if (++sinceResum === n) {
      sinceResum = 0;
      resum();
    }
  }
  return tally.output(recorder, state, total > 1e-300 && tmax !== Infinity ? tmax : t);
}
