/**
 * Kernels of the two classic influence-spread models, in synchronous rounds on a CSR graph.
 *
 *  - Independent cascade (IC): a node activated in round r gets exactly one chance, in round r + 1, to
 *    activate each inactive out-neighbour v, succeeding with probability p(u→v) independently of all else.
 *    [Reference] Goldenberg, J., Libai, B. & Muller, E. (2001). "Talk of the network: a complex systems look
 *    at the underlying process of word-of-mouth." Marketing Letters 12, 211–223.
 *  - Linear threshold (LT): node v has a threshold θ_v and becomes active in the first round in which the
 *    total weight Σ w(u→v) of its active in-neighbours reaches θ_v; by default θ_v ~ U(0, 1] is drawn
 *    afresh each run, and the weights must satisfy Σ_u w(u→v) ≤ 1.
 *    [Reference] Granovetter, M. (1978). "Threshold models of collective behavior." American Journal of
 *    Sociology 83, 1420–1443.
 *  Both: [Reference] Kempe, D., Kleinberg, J. & Tardos, É. (2003). "Maximizing the spread of influence
 *  through a social network." KDD 2003, 137–146 (whose live-edge equivalence tests/reference/live-edge.ts
 *  uses for exact expected spreads).
 *
 * Seeds are active in round 0 and count as activated. Rounds go on until one activates nobody, or until
 * `maxRounds` rounds have been run. Arcs are the CSR's (u acts on targets[offsets[u] .. offsets[u+1])), so a
 * directed graph is followed forwards only and an undirected edge can carry the cascade both ways.
 *
 * Costs: a run touches only the arcs of the nodes it activates. With a uniform IC probability p, the arcs
 * that transmit are found by geometric skipping (Batagelj & Brandes 2005, as in src/engine/discrete.ts):
 * one uniform per transmitting arc, O(1 + p·k) per activated node of degree k. With per-arc probabilities,
 * one uniform per arc whose head is still inactive. LT pushes each newly active node's weights to its
 * out-neighbours (one pass over its arcs) and draws a threshold only for nodes the cascade reaches.
 * A reused workspace makes a run allocation-free apart from the returned object and its `perRound` array.
 */
import type { CSR } from "../graph/csr.js";
import type { Random } from "../random.js";
import { ModelError, SimulationError } from "../errors.js";

/**
 * Buffers of one run, reusable across runs on graphs of the same size. After a run they describe its
 * outcome, until the next run that uses the workspace starts:
 *  - `round[v]`: the round in which v became active (0 for seeds), or −1 if it never did;
 *  - `order[0 .. activated)`: the activated nodes in activation order (seeds first, then round by round).
 * The next run clears only what the previous one touched (O(activated + reached)), never O(n).
 */
export interface CascadeWorkspace {
  /** Number of nodes the workspace is sized for. */
  readonly n: number;
  /** Activation round of every node; −1 for nodes never activated. */
  readonly round: Int32Array;
  /** Activated nodes in activation order; entries 0 .. activated − 1 are valid. */
  readonly order: Int32Array;
  /** Number of nodes activated by the last run, seeds included. */
  activated: number;
  /** LT: active in-weight accumulated by each reached node (0 for nodes not reached). */
  readonly inWeight: Float64Array;
  /** LT: threshold of each reached node in the last run (valid only where inWeight > 0). */
  readonly threshold: Float64Array;
  /** LT: nodes whose `inWeight` was raised in the last run; entries 0 .. reachedCount − 1 are valid. */
  readonly reached: Int32Array;
  reachedCount: number;
}

/** A workspace for graphs of n nodes (about 28·n bytes); reuse it across runs, one run at a time. */
export function createCascadeWorkspace(n: number): CascadeWorkspace {
  if (!Number.isInteger(n) || n < 0) throw new SimulationError(`createCascadeWorkspace: expected a node count ≥ 0, got ${n}.`);
  return {
    n,
    round: new Int32Array(n).fill(-1),
    order: new Int32Array(n),
    activated: 0,
    inWeight: new Float64Array(n),
    threshold: new Float64Array(n),
    reached: new Int32Array(n),
    reachedCount: 0,
  };
}

export interface CascadeRun {
  /** Number of nodes ever active, seeds included. */
  activated: number;
  /**
   * Cumulative number of active nodes after round r = 0 (the seeds), 1, 2, … up to the last round that
   * activated someone (or round `maxRounds`); so `perRound[perRound.length − 1] === activated`.
   */
  perRound: number[];
}

/** Undo the previous run's marks and place the (distinct) seeds. */
function startRun(caller: string, csr: CSR, ws: CascadeWorkspace, seeds: Int32Array, maxRounds: number): void {
  const n = csr.n;
  if (ws.n !== n) throw new SimulationError(`${caller}: the workspace was made for ${ws.n} nodes but the graph has ${n}; create one with createCascadeWorkspace(csr.n).`);
  if (!(maxRounds >= 0 && (Number.isInteger(maxRounds) || maxRounds === Infinity))) {
    throw new SimulationError(`${caller}: maxRounds must be an integer ≥ 0 or Infinity, got ${maxRounds}.`);
  }
  const { round, order, inWeight, reached } = ws;
  for (let i = 0; i < ws.activated; i++) round[order[i]] = -1;
  for (let i = 0; i < ws.reachedCount; i++) inWeight[reached[i]] = 0;
  ws.activated = 0;
  ws.reachedCount = 0;
  let count = 0;
  for (let i = 0; i < seeds.length; i++) {
    const s = seeds[i];
    if (!(s >= 0 && s < n)) {
      ws.activated = count; // keep the workspace consistent for the next run
      throw new SimulationError(`${caller}: seed ${s} is not a node index (0 .. ${n - 1}).`);
    }
    if (round[s] !== -1) continue; // a seed listed twice counts once
    round[s] = 0;
    order[count++] = s;
  }
  ws.activated = count;
}

/**
 * Run one independent cascade from `seeds` (node indices). `probability` is the same for every arc (a
 * number in [0, 1]) or given per arc (length m, indexed like `csr.targets`). With a uniform probability the
 * CSR's weights are ignored. Throws ModelError for a probability outside [0, 1].
 */
export function runIndependentCascade(
  csr: CSR,
  probability: number | Float32Array | Float64Array,
  seeds: Int32Array,
  maxRounds: number,
  rng: Random,
  ws: CascadeWorkspace = createCascadeWorkspace(csr.n),
): CascadeRun {
  const caller = "runIndependentCascade";
  if (typeof probability === "number") {
    if (!(probability >= 0 && probability <= 1)) throw new ModelError(`${caller}: probability must be in [0, 1], got ${probability}.`);
  } else if (probability.length !== csr.m) {
    throw new ModelError(`${caller}: expected ${csr.m} per-arc probabilities (one per arc), got ${probability.length}.`);
  }
  startRun(caller, csr, ws, seeds, maxRounds);
  const perRound = [ws.activated];
  if (probability === 0) return { activated: ws.activated, perRound };
  // Geometric skipping: the gap to the next transmitting arc is ⌊ln U / ln(1 − p)⌋ failures, U ∈ (0, 1].
  const logMiss = typeof probability === "number" ? Math.log1p(-probability) : 0; // −Infinity for p = 1: gaps 0
  let frontierStart = 0;
  for (let r = 1; r <= maxRounds && frontierStart < ws.activated; r++) {
    const frontierEnd = ws.activated;
    if (typeof probability === "number") icRoundSkipping(csr, ws, frontierStart, frontierEnd, r, logMiss, rng);
    else icRoundPerArc(csr, ws, probability, frontierStart, frontierEnd, r, rng);
    if (ws.activated === frontierEnd) break; // nobody new: the cascade is over
    perRound.push(ws.activated);
    frontierStart = frontierEnd;
  }
  return { activated: ws.activated, perRound };
}

/** IC round r, uniform p: the frontier order[start .. end) tries the arcs that geometric skipping selects. */
function icRoundSkipping(csr: CSR, ws: CascadeWorkspace, start: number, end: number, r: number, logMiss: number, rng: Random): void {
  const { offsets, targets } = csr;
  const { round, order } = ws;
  let count = ws.activated;
  for (let i = start; i < end; i++) {
    const u = order[i];
    const stop = offsets[u + 1];
    let a = offsets[u] + Math.floor(Math.log(1 - rng.next()) / logMiss);
    while (a < stop) {
      const v = targets[a];
      if (round[v] === -1) {
        round[v] = r;
        order[count++] = v;
      }
      a += 1 + Math.floor(Math.log(1 - rng.next()) / logMiss);
    }
  }
  ws.activated = count;
}

/** IC round r, per-arc probabilities: one uniform per arc of the frontier whose head is still inactive. */
function icRoundPerArc(csr: CSR, ws: CascadeWorkspace, probability: Float32Array | Float64Array, start: number, end: number, r: number, rng: Random): void {
  const { offsets, targets } = csr;
  const { round, order } = ws;
  let count = ws.activated;
  for (let i = start; i < end; i++) {
    const u = order[i];
    const stop = offsets[u + 1];
    for (let a = offsets[u]; a < stop; a++) {
      const v = targets[a];
      if (round[v] !== -1) continue; // already active: the trial cannot change anything
      const q = probability[a];
      if (!(q >= 0 && q <= 1)) {
        ws.activated = count; // keep the workspace clearable
        throw new ModelError(`runIndependentCascade: arc ${a} ("${csr.nodeIds[u]}" → "${csr.nodeIds[v]}") has probability ${q}; expected a value in [0, 1].`);
      }
      if (rng.next() < q) {
        round[v] = r;
        order[count++] = v;
      }
    }
  }
  ws.activated = count;
}

/**
 * Run one linear-threshold cascade from `seeds`. `arcWeights[a]` is w(u→v) for arc a = u→v (see
 * `linearThresholdWeights`, which builds and validates them). Thresholds are `thresholds[v]` when given
 * (values in [0, 1]; a node is considered only once an active in-neighbour with positive weight pushes to
 * it, so θ = 0 means "any such neighbour suffices"), else U(0, 1], drawn from `rng` the first time the
 * cascade reaches a node — equivalent in law to drawing all n up front, at O(reached) cost.
 * Synchronous rounds: nodes activated in round r − 1 push their weights in round r, and a node activates in
 * round r when its accumulated active in-weight reaches its threshold.
 */
export function runLinearThreshold(
  csr: CSR,
  arcWeights: Float64Array,
  seeds: Int32Array,
  maxRounds: number,
  rng: Random,
  ws: CascadeWorkspace = createCascadeWorkspace(csr.n),
  thresholds?: Float64Array,
): CascadeRun {
  const caller = "runLinearThreshold";
  if (arcWeights.length !== csr.m) throw new ModelError(`${caller}: expected ${csr.m} arc weights (one per arc), got ${arcWeights.length}.`);
  if (thresholds !== undefined && thresholds.length !== csr.n) {
    throw new ModelError(`${caller}: expected ${csr.n} thresholds (one per node), got ${thresholds.length}.`);
  }
  startRun(caller, csr, ws, seeds, maxRounds);
  const perRound = [ws.activated];
  const fixed = thresholds ?? null;
  let frontierStart = 0;
  for (let r = 1; r <= maxRounds && frontierStart < ws.activated; r++) {
    const frontierEnd = ws.activated;
    ltRound(csr, ws, arcWeights, fixed, frontierStart, frontierEnd, r, rng);
    if (ws.activated === frontierEnd) break;
    perRound.push(ws.activated);
    frontierStart = frontierEnd;
  }
  return { activated: ws.activated, perRound };
}

/** LT round r: the frontier order[start .. end) pushes its weights; heads reaching their threshold activate. */
function ltRound(csr: CSR, ws: CascadeWorkspace, weights: Float64Array, fixed: Float64Array | null, start: number, end: number, r: number, rng: Random): void {
  const { offsets, targets } = csr;
  const { round, order, inWeight, threshold, reached } = ws;
  let count = ws.activated;
  let reachedCount = ws.reachedCount;
  let failure: string | null = null;
  for (let i = start; i < end && failure === null; i++) {
    const u = order[i];
    const stop = offsets[u + 1];
    for (let a = offsets[u]; a < stop; a++) {
      const v = targets[a];
      if (round[v] !== -1) continue;
      const w = weights[a];
      if (!(w > 0)) {
        if (w === 0) continue;
        failure = `arc ${a} ("${csr.nodeIds[u]}" → "${csr.nodeIds[v]}") has weight ${w}; expected a finite number ≥ 0.`;
        break;
      }
      let total = inWeight[v];
      if (total === 0) {
        // First push to v in this run: remember it for clearing and fix its threshold.
        reached[reachedCount++] = v;
        if (fixed === null) threshold[v] = 1 - rng.next();
        else {
          const theta = fixed[v];
          if (!(theta >= 0 && theta <= 1)) {
            failure = `node "${csr.nodeIds[v]}" has threshold ${theta}; expected a value in [0, 1].`;
            break;
          }
          threshold[v] = theta;
        }
      }
      total += w;
      inWeight[v] = total;
      if (total >= threshold[v]) {
        round[v] = r;
        order[count++] = v;
      }
    }
  }
  ws.activated = count;
  ws.reachedCount = reachedCount;
  if (failure !== null) throw new ModelError(`runLinearThreshold: ${failure}`);
}

/**
 * LT arc weights w(u→v), stored at arc u→v. Default (no `perArc`): 1 / in-degree of the head, so every
 * node's in-weights sum to 1 (parallel arcs count separately). With `perArc` (e.g. a CSR's `weights`), the
 * values are copied after checking that each is finite and ≥ 0 and that every node's in-weights sum to at
 * most 1 (+1e-9 for round-off). Throws ModelError naming the offending arc or node.
 */
export function linearThresholdWeights(csr: CSR, perArc?: Float32Array | Float64Array | null): Float64Array {
  const caller = "linearThresholdWeights";
  const { n, m, offsets, targets, nodeIds } = csr;
  const weights = new Float64Array(m);
  if (perArc === undefined || perArc === null) {
    const inDegree = new Int32Array(n);
    for (let a = 0; a < m; a++) inDegree[targets[a]]++;
    for (let a = 0; a < m; a++) weights[a] = 1 / inDegree[targets[a]];
    return weights;
  }
  if (perArc.length !== m) throw new ModelError(`${caller}: expected ${m} arc weights (one per arc), got ${perArc.length}.`);
  const inSum = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    for (let a = offsets[u]; a < offsets[u + 1]; a++) {
      const w = perArc[a];
      const v = targets[a];
      if (!(Number.isFinite(w) && w >= 0)) {
        throw new ModelError(`${caller}: arc "${nodeIds[u]}" → "${nodeIds[v]}" has weight ${w}; expected a finite number ≥ 0.`);
      }
      weights[a] = w;
      inSum[v] += w;
    }
  }
  for (let v = 0; v < n; v++) {
    if (inSum[v] > 1 + 1e-9) {
      throw new ModelError(
        `${caller}: the in-weights of node "${nodeIds[v]}" sum to ${inSum[v]}; the linear threshold model needs Σ_u w(u→v) ≤ 1 for every node. ` +
          "Scale the weights (e.g. divide each by its head's in-strength) or leave them out for 1/in-degree.",
      );
    }
  }
  return weights;
}
