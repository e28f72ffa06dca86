/**
 * Exact continuous-time simulation of any compartmental model on a network: the Next Reaction Method
 * (Gibson & Bruck 2000) at the level of nodes. Each node's total hazard is
 *   h(v) = Σ spontaneous rates out of its compartment + Σ_induced β · pressure(v, inducer),
 * where pressure(v, Z) is the summed weight of arcs into v from nodes in compartment Z. Every node with
 * h > 0 holds one entry, its next event time, in an indexed heap. When a node changes compartment, only
 * its out-neighbours' pressures change; their pending times are rescaled, t' = t + (t_old − t)·h_old/h_new,
 * which reuses the unspent exponential and keeps the method exact without new random draws.
 * Cost per event: O(out-degree · log n), independent of N × time.
 */
import type { CSR } from "../graph/csr.js";
import type { CompiledModel } from "../models/compartmental.js";
import type { Random } from "../random.js";
import { SimulationError } from "../errors.js";
import { IndexedMinHeap } from "./heap.js";
import { Tally, TrajectoryRecorder, type RunOptions, type RunOutput } from "./trajectory.js";

/** Pressures below this are rounding residue of weighted additions and subtractions. */
const PRESSURE_EPSILON = 1e-9;

export function runContinuous(
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
  const { n, offsets, targets, weights } = csr;
  const { nComp, nSlots, slotOf, sensitive, spontOffsets, spontTo, spontRate, spontTotal, inducedOffsets, inducedTo, inducedRate, inducedSlot } = model;
  const state = initial.slice();
  const pressure = new Float64Array(n * nSlots);
  const hazard = new Float64Array(n);
  const heap = new IndexedMinHeap(n);
  const heapKeys = heap.keys;
  const heapItems = heap.items;
  const tally = new Tally(state, model, options.infectionTimes ?? false, options.history ?? false, options.historyLimit);
  const counts = tally.counts;
  const recorder = new TrajectoryRecorder(nComp, record, tmax, options.maxRecordTimes);

  const hazardOf = (v: number, c: number): number => {
    let h = spontTotal[c];
    const base = v * nSlots;
    for (let j = inducedOffsets[c]; j < inducedOffsets[c + 1]; j++) h += inducedRate[j] * pressure[base + inducedSlot[j]];
    return h;
  };

  for (let v = 0; v < n; v++) {
    const c = state[v];
    const s = slotOf[c];
    if (s >= 0) {
      for (let a = offsets[v]; a < offsets[v + 1]; a++) pressure[targets[a] * nSlots + s] += weights === null ? 1 : weights[a];
    }
  }
  for (let v = 0; v < n; v++) {
    const h = hazardOf(v, state[v]);
    hazard[v] = h;
    if (h > 0) heap.set(v, -Math.log(1 - rng.next()) / h);
  }

  let t = 0;
  while (heap.size > 0) {
    const te = heapKeys[0];
    // An event at +∞ never happens (a vanishing hazard), even when tmax = ∞.
    if (te > tmax || te === Infinity) break;
    const v = heapItems[0];
    recorder.advanceTo(te, counts);
    t = te;

    // Which transition fires: in proportion to its share of the hazard.
    const from = state[v];
    let x = rng.next() * hazard[v];
    let to = -1;
    for (let j = spontOffsets[from]; j < spontOffsets[from + 1]; j++) {
      x -= spontRate[j];
      to = spontTo[j];
      if (x < 0) break;
    }
    if (x >= 0) {
      const base = v * nSlots;
      for (let j = inducedOffsets[from]; j < inducedOffsets[from + 1]; j++) {
        x -= inducedRate[j] * pressure[base + inducedSlot[j]];
        to = inducedTo[j];
        if (x < 0) break;
      }
    }
    // (Rounding can leave x ≥ 0 after the last term: `to` is then the last transition, as it should be.)
    state[v] = to;
    tally.move(v, from, to, te);

    const hv = hazardOf(v, to);
    hazard[v] = hv;
    if (hv > 0) heap.set(v, te - Math.log(1 - rng.next()) / hv);
    else heap.remove(v);

    const sOld = slotOf[from];
    const sNew = slotOf[to];
    if (sOld === sNew) continue;
    for (let a = offsets[v]; a < offsets[v + 1]; a++) {
      const u = targets[a];
      const w = weights === null ? 1 : weights[a];
      const base = u * nSlots;
      if (sOld >= 0) {
        const p = pressure[base + sOld] - w;
        pressure[base + sOld] = p < PRESSURE_EPSILON ? 0 : p;
      }
      if (sNew >= 0) pressure[base + sNew] += w;
      const cu = state[u];
      if (!((sOld >= 0 && sensitive[cu * nSlots + sOld]) || (sNew >= 0 && sensitive[cu * nSlots + sNew]))) continue;
      const hOld = hazard[u];
      const hNew = hazardOf(u, cu);
      hazard[u] = hNew;
      if (hNew <= 0) {
        heap.remove(u);
      } else if (hOld > 0 && heap.has(u)) {
        heap.set(u, te + (heap.keyOf(u) - te) * (hOld / hNew));
      } else {
        heap.set(u, te - Math.log(1 - rng.next()) / hNew);
      }
    }
  }
  // Events left at +∞ (hazard 0) never happen: with tmax = ∞ the run ends at its last event.
  return tally.output(recorder, state, heap.size > 0 && tmax !== Infinity ? tmax : t);
}
