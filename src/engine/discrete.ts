/**
 * Discrete-time synchronous simulation of a compartmental model (the chain-binomial family: Reed–Frost
 * on networks). Each step of length dt, every node reads the previous state: its total hazard
 *   H(v) = Σ spontaneous rates + Σ_induced β · pressure(v, inducer)
 * gives the probability 1 − e^(−H·dt) of leaving its compartment, and the transition taken is chosen in
 * proportion to the rates. A transition given as a per-step probability p has hazard −ln(1 − p)/dt; p = 1
 * fires surely. Since 1 − e^(−β·dt·Σw) = 1 − Π(1 − p_edge) with p_edge = 1 − e^(−β·w·dt), an induced
 * transition is the same as independent per-edge trials. With dt = 1, transmission probability p and
 * recovery probability 1 this is exactly discrete SIR, i.e. the independent cascade on the bidirected graph.
 *
 * Only "active" nodes are visited: nodes in compartments that can leave spontaneously or that induce, and
 * the neighbours the latter put under pressure. A step costs O(active nodes + their arcs), not O(N).
 */
import type { CSR } from "../graph/csr.js";
import type { CompiledModel } from "../models/compartmental.js";
import type { Random } from "../random.js";
import { Tally, TrajectoryRecorder, type RunOptions, type RunOutput } from "./trajectory.js";
import type { EngineControl } from "./schedule.js";

export function runDiscrete(
  csr: CSR,
  model: CompiledModel,
  initial: Uint8Array,
  steps: number,
  dt: number,
  recordEvery: number,
  rng: Random,
  options: RunOptions = {},
): RunOutput {
  const { n, offsets, targets } = csr;
  let weights = csr.weights;
  const { nComp, nSlots, slotOf, spontOffsets, spontTo, inducedOffsets, inducedTo, inducedSlot } = model;

  // Per-step hazards (rate × dt, or −ln(1 − p)); Infinity for p = 1.
  // `+ 0` turns −0 into +0 (a hazard of −0 would make the geometric skips below −∞).
  const toStepHazard = (value: number, isProbability: number): number => (isProbability ? (value >= 1 ? Infinity : -Math.log(1 - value) + 0) : value * dt + 0);
  const spontH = new Float64Array(model.spontRate.length);
  const inducedH = new Float64Array(model.inducedRate.length);
  const setHazards = (m: CompiledModel): void => {
    for (let j = 0; j < spontH.length; j++) spontH[j] = toStepHazard(m.spontRate[j], m.spontIsProbability[j]);
    for (let j = 0; j < inducedH.length; j++) inducedH[j] = toStepHazard(m.inducedRate[j], m.inducedIsProbability[j]);
  };
  setHazards(model);
  // "Simple" compartments leave only by one induced transition (S in SIR, SIS, SEIR…). For them
  // 1 − e^(−h·Σw) = 1 − Π(1 − p_arc): independent trials per arc, which we run from the inducer's side with
  // geometric skipping over its arcs (Batagelj & Brandes 2005), touching only the arcs that transmit — the
  // independent-cascade fast path. Other sensitive compartments accumulate pressure and decide per node.
  const simple = new Uint8Array(nComp);
  for (let c = 0; c < nComp; c++) if (spontOffsets[c + 1] === spontOffsets[c] && inducedOffsets[c + 1] - inducedOffsets[c] === 1) simple[c] = 1;
  const slotSimple: { from: number; to: number; j: number }[][] = Array.from({ length: nSlots }, () => []);
  const pressed = new Uint8Array(Math.max(nComp * nSlots, 1)); // sensitive, and not handled per arc
  for (let c = 0; c < nComp; c++) {
    for (let j = inducedOffsets[c]; j < inducedOffsets[c + 1]; j++) {
      if (simple[c]) slotSimple[inducedSlot[j]].push({ from: c, to: inducedTo[j], j });
      else pressed[c * nSlots + inducedSlot[j]] = 1;
    }
  }
  const slotPressed = new Uint8Array(nSlots);
  for (let c = 0; c < nComp; c++) for (let s = 0; s < nSlots; s++) if (pressed[c * nSlots + s]) slotPressed[s] = 1;
  // Nodes in these compartments are visited every step.
  const active = new Uint8Array(nComp);
  for (let c = 0; c < nComp; c++) if (spontOffsets[c + 1] > spontOffsets[c] || slotOf[c] >= 0) active[c] = 1;

  const state = initial.slice();
  const pressure = new Float64Array(n * Math.max(nSlots, 1));
  const tally = new Tally(state, model, options.infectionTimes ?? false, options.history ?? false, options.historyLimit);
  const counts = tally.counts;
  // The recorder works in step units (exact integers); times are scaled by dt at the end.
  const recorder = new TrajectoryRecorder(nComp, recordEvery, steps);

  let activeList = new Int32Array(n);
  let nextActive = new Int32Array(n);
  let activeCount = 0;
  const candidates = new Int32Array(n);
  const stamp = new Int32Array(n).fill(-1); // step at which a node was last put on the candidate list
  const changedNode = new Int32Array(n);
  const changedTo = new Uint8Array(n);
  const changedFrom = new Uint8Array(n);
  let maxOut = 1;
  for (let c = 0; c < nComp; c++) {
    maxOut = Math.max(maxOut, spontOffsets[c + 1] - spontOffsets[c] + inducedOffsets[c + 1] - inducedOffsets[c]);
  }
  const hz = new Float64Array(maxOut);
  const dest = new Int32Array(maxOut);

  for (let v = 0; v < n; v++) {
    if (active[state[v]]) activeList[activeCount++] = v;
  }
  let step = 0;

  // Interventions act at the first step boundary at or after their time.
  const actions = options.schedule ?? [];
  let nextAction = 0;
  let moved = false;
  const control: EngineControl = {
    get t() {
      return step * dt;
    },
    state,
    rng,
    move(v, to, cause) {
      const from = state[v];
      if (from === to) return;
      moved = true;
      state[v] = to;
      tally.move(v, from, to, step * dt, false, cause);
    },
    setRates(m) {
      setHazards(m);
    },
    setArcScale(arcs, scale) {
      if (weights === csr.weights) weights = csr.weights === null ? new Float32Array(csr.m).fill(1) : csr.weights.slice();
      for (let i = 0; i < arcs.length; i++) weights![arcs[i]] = (csr.weights === null ? 1 : csr.weights[arcs[i]]) * scale;
    },
  };

  for (; step < steps; step++) {
    if (nextAction < actions.length && actions[nextAction].at <= step * dt * (1 + 1e-12)) {
      while (nextAction < actions.length && actions[nextAction].at <= step * dt * (1 + 1e-12)) actions[nextAction++].apply(control);
      tally.notePeak(step * dt);
      // Moves may have made nodes active: rebuild the list (O(n), once per intervention that moves nodes).
      if (moved) {
        moved = false;
        activeCount = 0;
        for (let v = 0; v < n; v++) if (active[state[v]]) activeList[activeCount++] = v;
      }
    }
    if (activeCount === 0 && nextAction >= actions.length) break;
    // 1. Moves decided per arc (simple compartments), and candidates that decide per node: active nodes
    //    that can leave spontaneously, and the neighbours that inducers put under pressure.
    let nChanged = 0;
    let nCand = 0;
    for (let i = 0; i < activeCount; i++) {
      const v = activeList[i];
      const c = state[v];
      if (spontOffsets[c + 1] > spontOffsets[c] && stamp[v] !== step) {
        stamp[v] = step;
        candidates[nCand++] = v;
      }
      const s = slotOf[c];
      if (s < 0) continue;
      const start = offsets[v];
      const end = offsets[v + 1];
      for (const { from, to, j } of slotSimple[s]) {
        const h = inducedH[j];
        if (!(h > 0)) continue; // p = 0 or rate 0: no arc transmits (and a skip of x / 0 must never be taken)
        if (weights === null && h !== Infinity) {
          let a = start + Math.floor(-Math.log(1 - rng.next()) / h);
          while (a < end) {
            const u = targets[a];
            if (state[u] === from && stamp[u] !== step) {
              stamp[u] = step;
              changedNode[nChanged] = u;
              changedTo[nChanged++] = to;
            }
            a += 1 + Math.floor(-Math.log(1 - rng.next()) / h);
          }
        } else {
          for (let a = start; a < end; a++) {
            const u = targets[a];
            if (state[u] !== from || stamp[u] === step) continue;
            const w = weights === null ? 1 : weights[a];
            if (w <= 0) continue; // a weight-0 arc never transmits, even with probability 1 (as in the pressure path)
            if (h !== Infinity && rng.next() >= -Math.expm1(-h * w)) continue;
            stamp[u] = step;
            changedNode[nChanged] = u;
            changedTo[nChanged++] = to;
          }
        }
      }
      if (!slotPressed[s]) continue;
      for (let a = start; a < end; a++) {
        const u = targets[a];
        if (!pressed[state[u] * nSlots + s]) continue;
        pressure[u * nSlots + s] += weights === null ? 1 : weights[a];
        if (stamp[u] !== step) {
          stamp[u] = step;
          candidates[nCand++] = u;
        }
      }
    }
    // 2. Each remaining candidate's move, from the previous state.
    for (let i = 0; i < nCand; i++) {
      const v = candidates[i];
      const c = state[v];
      const base = v * nSlots;
      let k = 0;
      let total = 0;
      let certain = 0;
      for (let j = spontOffsets[c]; j < spontOffsets[c + 1]; j++) {
        hz[k] = spontH[j];
        dest[k++] = spontTo[j];
      }
      for (let j = inducedOffsets[c]; j < inducedOffsets[c + 1]; j++) {
        const p = pressure[base + inducedSlot[j]];
        hz[k] = p > 0 ? inducedH[j] * p : 0;
        dest[k++] = inducedTo[j];
      }
      for (let s = 0; s < nSlots; s++) pressure[base + s] = 0;
      for (let j = 0; j < k; j++) {
        if (hz[j] === Infinity) certain++;
        else total += hz[j];
      }
      let to = -1;
      if (certain > 0) {
        // Leaves surely; among the certain transitions, uniformly.
        let pick = Math.floor(rng.next() * certain);
        for (let j = 0; j < k && to < 0; j++) if (hz[j] === Infinity && pick-- === 0) to = dest[j];
      } else if (total > 0) {
        const leave = -Math.expm1(-total);
        const u = rng.next();
        if (u >= leave) continue;
        // Reuse u, uniform on [0, leave), to choose in proportion to the hazards.
        let x = (u / leave) * total;
        for (let j = 0; j < k; j++) {
          if (hz[j] <= 0) continue;
          to = dest[j]; // rounding may leave x ≥ 0 at the end: the last positive transition is taken
          x -= hz[j];
          if (x < 0) break;
        }
      }
      if (to < 0) continue;
      changedNode[nChanged] = v;
      changedTo[nChanged++] = to;
    }
    // 3. Apply synchronously, record, and rebuild the active list.
    recorder.advanceTo(step + 1, counts);
    for (let i = 0; i < nChanged; i++) {
      const v = changedNode[i];
      const from = state[v];
      const to = changedTo[i];
      changedFrom[i] = from;
      state[v] = to;
      tally.move(v, from, to, (step + 1) * dt, false);
    }
    tally.notePeak((step + 1) * dt);
    let nextCount = 0;
    for (let i = 0; i < activeCount; i++) {
      const v = activeList[i];
      if (active[state[v]]) nextActive[nextCount++] = v;
    }
    for (let i = 0; i < nChanged; i++) {
      const v = changedNode[i];
      if (active[changedTo[i]] && !active[changedFrom[i]]) nextActive[nextCount++] = v;
    }
    const swap = activeList;
    activeList = nextActive;
    nextActive = swap;
    activeCount = nextCount;
  }
  // The recorder works in steps; times are scaled by dt here.
  const out = tally.output(recorder, state, step);
  return { ...out, times: out.times.map((k) => k * dt), endTime: step * dt };
}
