/**
 * Event-driven Markovian SIR, specialised (Kiss, Miller & Simon 2017, Appendix A.1 — EoN's `fast_SIR`).
 * When a node is infected at time t we draw its infectious period D ~ Exp(γ) and, for each susceptible
 * out-neighbour, whether the edge transmits before recovery; only then do we draw the transmission time.
 *
 * Two savings over the textbook scheme, both exact:
 *  - one heap entry per node. A susceptible node holds its earliest pending infection time, an infectious
 *    node its recovery time (a node never needs both), so the heap has ≤ n entries, no stale duplicates,
 *    and infection turns the root's key into the recovery time in place (one sift instead of pop + push).
 *  - random numbers only for the arcs that transmit. Given the infectious period D, each arc transmits
 *    before recovery independently with p = 1 − e^(−β·D), so the gaps between transmitting arcs are
 *    geometric with ln(1 − p) = −β·D: we jump from hit to hit (Batagelj & Brandes 2005) and draw the
 *    transmission time from Exp(β) truncated at D by inversion. Arcs that do not transmit cost nothing —
 *    not even a look at the neighbour's state. (Measured: 1.1–1.2× the lean C reference, against 1.2–1.8×
 *    with one uniform per susceptible neighbour.)
 * Weighted graphs have one p per arc and keep one uniform per susceptible neighbour.
 */
import type { CSR } from "../graph/csr.js";
import type { Random } from "../random.js";
import { IndexedMinHeap } from "./heap.js";
import { historyBudgetError } from "./budget.js";
import { TrajectoryRecorder, type RunOptions, type RunOutput, type StateHistory } from "./trajectory.js";

export interface SIRRates {
  beta: number;
  gamma: number;
  /** Compartment indices of S, I and R in the model. */
  S: number;
  I: number;
  R: number;
}

/**
 * One run of continuous-time SIR to `tmax` (Infinity: until no infectious node is left).
 * `initial` holds compartment indices per node (seeds already placed in I).
 */
export function runSIRFast(
  csr: CSR,
  rates: SIRRates,
  initial: Uint8Array,
  tmax: number,
  record: number,
  rng: Random,
  options: RunOptions = {},
): RunOutput {
  const { offsets, targets, weights, n } = csr;
  const { beta, gamma, S, I, R } = rates;
  const heap = new IndexedMinHeap(n);
  const state = initial.slice();
  const counts = new Float64Array(3);
  const infectionTime = options.infectionTimes ? new Float64Array(n).fill(NaN) : null;
  const recorder = new TrajectoryRecorder(3, record, tmax, options.maxRecordTimes);

  const heapKeys = heap.keys;
  const heapItems = heap.items;
  const heapSlot = heap.slot;

  /** Node v becomes infectious at time te: draw its recovery and the edges that transmit before it. */
  const spread = (v: number, te: number): void => {
    const duration = -Math.log(1 - rng.next()) / gamma;
    heap.set(v, te + duration);
    const end = offsets[v + 1];
    if (weights === null) {
      // Geometric skipping (Batagelj & Brandes 2005): the gaps between transmitting arcs are geometric with
      // ln(1 − p) = −β·D, so we jump from hit to hit and touch only the arcs that transmit.
      const scale = beta * duration;
      // β = 0 or D = 0: no arc transmits. (Also keeps −0 and NaN out of the skip: a gap of −∞ never ends.)
      if (!(scale > 0)) return;
      const pTransmit = -Math.expm1(-scale);
      let a = offsets[v] + Math.floor(-Math.log(1 - rng.next()) / scale);
      while (a < end) {
        const u = targets[a];
        if (state[u] === S) {
          // Transmission time given that it falls before recovery: inverse CDF of Exp(β) truncated at D.
          const ti = te - Math.log(1 - rng.next() * pTransmit) / beta;
          const slot = heapSlot[u];
          if (slot < 0 || ti < heapKeys[slot]) heap.set(u, ti);
        }
        a += 1 + Math.floor(-Math.log(1 - rng.next()) / scale);
      }
    } else {
      for (let a = offsets[v]; a < end; a++) {
        const u = targets[a];
        if (state[u] !== S) continue;
        const rate = beta * weights[a];
        if (!(rate > 0)) continue; // a rate of 0 never transmits (and 0 · ∞ would be NaN when γ = 0)
        const x = rng.next();
        if (x >= 1 - Math.exp(-rate * duration)) continue;
        const ti = te - Math.log(1 - x) / rate;
        const slot = heapSlot[u];
        if (slot < 0 || ti < heapKeys[slot]) heap.set(u, ti);
      }
    }
  };

  // Seeds are infectious from t = 0. Mark them all first so seeds never "infect" each other.
  const seeds: number[] = [];
  for (let v = 0; v < n; v++) {
    if (state[v] === I) seeds.push(v);
    counts[state[v]]++;
    // As in every engine (Tally): seeds are infections at t = 0; nodes placed in R are immune, not infections.
    if (state[v] === I && infectionTime !== null) infectionTime[v] = 0;
  }
  const history: StateHistory | null = options.history ? { initial: state.slice(), time: [], node: [], to: [] } : null;
  const historyLimit = options.historyLimit ?? Infinity;
  for (const v of seeds) spread(v, 0);
  let infected = seeds.length;
  let finalSize = seeds.length;
  let peak = infected;
  let peakTime = 0;
  let events = 0;
  let t = 0;

  while (heap.size > 0) {
    const te = heapKeys[0];
    // A rate of 0 puts its event at +∞: "never", even when tmax = ∞.
    if (te > tmax || te === Infinity) break;
    const v = heapItems[0];
    recorder.advanceTo(te, counts);
    t = te;
    events++;
    if (state[v] === S) {
      state[v] = I;
      counts[S]--;
      counts[I]++;
      finalSize++;
      if (++infected > peak) {
        peak = infected;
        peakTime = te;
      }
      if (infectionTime !== null) infectionTime[v] = te;
      if (history !== null) {
        if (history.time.length >= historyLimit) throw historyBudgetError(historyLimit, te);
        history.time.push(te);
        history.node.push(v);
        history.to.push(I);
      }
      spread(v, te); // moves v's heap entry from its infection time to its recovery time
    } else {
      state[v] = R;
      counts[I]--;
      counts[R]++;
      infected--;
      heap.pop();
      if (history !== null) {
        if (history.time.length >= historyLimit) throw historyBudgetError(historyLimit, te);
        history.time.push(te);
        history.node.push(v);
        history.to.push(R);
      }
    }
  }
  // Events left at +∞ (rate 0) never happen: with tmax = ∞ the run ends at its last event.
  const endTime = heap.size > 0 && tmax !== Infinity ? tmax : t;
  recorder.finish(counts, endTime);
  return {
    times: recorder.times,
    counts: recorder.counts,
    finalState: state,
    infectionTime,
    finalSize,
    vaccinated: 0,
    vaccinationTimes: [],
    peak,
    peakTime,
    events,
    endTime,
    ...(history ? { history } : {}),
  };
}
