/**
 * Exact master-equation references for Markovian SIS and SIR on small graphs (n ≤ 10).
 *
 * The full continuous-time Markov chain is built on the state space — subsets of infected nodes for SIS
 * (2ⁿ states), {S, I, R}ⁿ for SIR (3ⁿ states, node i is base-3 digit i: 0 = S, 1 = I, 2 = R) — and solved
 * without sampling:
 *  - transient expectations by uniformization (Jensen 1953; Stewart, "Introduction to the Numerical Solution
 *    of Markov Chains", 1994, §8.4): p(t) = Σ_k Pois(k; Λt)·p(0)·Pᵏ with P = I + Q/Λ, using sparse
 *    vector–matrix products only;
 *  - the SIR final-size distribution by the embedded jump chain. Every SIR event raises one digit by one
 *    (S→I or I→R), so it adds 3ⁱ to the state index: processing states in increasing index order is a
 *    topological order and one pass of probability propagation is exact.
 *
 * Semantics (docs/validation.md C, "contact process"): a susceptible node v is infected at rate
 * τ·Σ_{u ∈ N(v) infected} w_uv (w = 1 unless the edge is given as [u, v, w]); an infected node recovers at
 * rate γ. This is the reference an event-driven engine must reproduce; see Kiss, Miller & Simon,
 * "Mathematics of Epidemics on Networks" (2017), ch. 2.
 */

/** An undirected edge; the optional third entry is a weight that multiplies τ on that edge. */
export type Edge = readonly [number, number] | readonly [number, number, number];

/** A small undirected graph on nodes 0..n−1. */
export interface SmallGraph {
  readonly n: number;
  readonly edges: readonly Edge[];
}

/** Expected compartment sizes at each requested time. */
export interface SirExpectedCounts {
  S: number[];
  I: number[];
  R: number[];
}

/** Largest n the master equation is built for (3¹⁰ = 59,049 SIR states). */
export const MAX_MASTER_EQUATION_NODES = 10;

/** Total Poisson mass dropped by uniformization, summed over all steps; keeps |error| < 1e-12 in E[·]. */
const TRUNCATION_MASS = 1e-13;
/**
 * Largest Λ·h per uniformization chunk: e^(−Λh) stays far from underflow and the Poisson-weight recurrence
 * keeps a relative error ≲ 100·ε; larger chunks would need fewer steps in all.
 */
const MAX_CHUNK_MEAN = 100;

/** Sparse generator in CSR form: transitions of state s are targets/rates[offsets[s] .. offsets[s+1]). */
interface SparseGenerator {
  readonly size: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly rates: Float64Array;
  /** Total outflow rate of each state (−Q_ss). */
  readonly exitRates: Float64Array;
}

interface WeightedAdjacency {
  readonly neighbours: number[][];
  readonly weights: number[][];
}

function checkRates(caller: string, tau: number, gamma: number): void {
  if (!Number.isFinite(tau) || tau < 0) {
    throw new RangeError(`${caller}: invalid tau ${tau}. Expecting a finite rate ≥ 0.`);
  }
  if (!Number.isFinite(gamma) || gamma < 0) {
    throw new RangeError(`${caller}: invalid gamma ${gamma}. Expecting a finite rate ≥ 0.`);
  }
}

function buildAdjacency(caller: string, graph: SmallGraph): WeightedAdjacency {
  const { n, edges } = graph;
  if (!Number.isInteger(n) || n < 0 || n > MAX_MASTER_EQUATION_NODES) {
    throw new RangeError(
      `${caller}: n = ${n} is out of range. The full state space is built, so n must be an integer in ` +
        `0..${MAX_MASTER_EQUATION_NODES}.`,
    );
  }
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  const weights: number[][] = Array.from({ length: n }, () => []);
  for (const edge of edges) {
    const [u, v] = edge;
    const w = edge.length === 3 ? edge[2] : 1;
    if (!Number.isInteger(u) || !Number.isInteger(v) || u < 0 || v < 0 || u >= n || v >= n || u === v) {
      throw new RangeError(
        `${caller}: invalid edge [${edge.join(", ")}]. Expecting two distinct nodes in 0..${n - 1}.`,
      );
    }
    if (!Number.isFinite(w) || w < 0) {
      throw new RangeError(`${caller}: invalid weight ${w} on edge [${u}, ${v}]. Expecting a finite weight ≥ 0.`);
    }
    neighbours[u].push(v);
    weights[u].push(w);
    neighbours[v].push(u);
    weights[v].push(w);
  }
  return { neighbours, weights };
}

function checkInitial(caller: string, n: number, initialInfected: readonly number[]): number[] {
  for (const v of initialInfected) {
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new RangeError(`${caller}: initial infected node ${v} is not a node of the graph (0..${n - 1}).`);
    }
  }
  return [...new Set(initialInfected)];
}

function checkTimes(caller: string, times: readonly number[]): void {
  for (const t of times) {
    if (!Number.isFinite(t) || t < 0) {
      throw new RangeError(`${caller}: invalid time ${t}. Expecting finite times ≥ 0.`);
    }
  }
}

/** Packs per-state transition lists (built by `emit`) into CSR arrays. */
function packGenerator(
  size: number,
  emit: (state: number, add: (target: number, rate: number) => void) => void,
): SparseGenerator {
  const offsets = new Int32Array(size + 1);
  const targets: number[] = [];
  const rates: number[] = [];
  const exitRates = new Float64Array(size);
  for (let s = 0; s < size; s++) {
    emit(s, (target, rate) => {
      if (rate > 0) {
        targets.push(target);
        rates.push(rate);
        exitRates[s] += rate;
      }
    });
    offsets[s + 1] = targets.length;
  }
  return { size, offsets, targets: Int32Array.from(targets), rates: Float64Array.from(rates), exitRates };
}

function sisGenerator(graph: SmallGraph, adjacency: WeightedAdjacency, tau: number, gamma: number): SparseGenerator {
  const { n } = graph;
  const { neighbours, weights } = adjacency;
  return packGenerator(1 << n, (s, add) => {
    for (let v = 0; v < n; v++) {
      const bit = 1 << v;
      if (s & bit) {
        add(s ^ bit, gamma);
        continue;
      }
      let pressure = 0;
      const nb = neighbours[v];
      for (let j = 0; j < nb.length; j++) if (s & (1 << nb[j])) pressure += weights[v][j];
      add(s | bit, tau * pressure);
    }
  });
}

function powersOfThree(n: number): number[] {
  const pow3 = [1];
  for (let i = 1; i <= n; i++) pow3.push(pow3[i - 1] * 3);
  return pow3;
}

function decodeBase3(state: number, digits: Uint8Array): void {
  for (let i = 0; i < digits.length; i++) {
    digits[i] = state % 3;
    state = (state - digits[i]) / 3;
  }
}

function sirGenerator(graph: SmallGraph, adjacency: WeightedAdjacency, tau: number, gamma: number): SparseGenerator {
  const { n } = graph;
  const { neighbours, weights } = adjacency;
  const pow3 = powersOfThree(n);
  const digits = new Uint8Array(n);
  return packGenerator(pow3[n], (s, add) => {
    decodeBase3(s, digits);
    for (let v = 0; v < n; v++) {
      if (digits[v] === 1) {
        add(s + pow3[v], gamma); // I → R
      } else if (digits[v] === 0) {
        let pressure = 0;
        const nb = neighbours[v];
        for (let j = 0; j < nb.length; j++) if (digits[nb[j]] === 1) pressure += weights[v][j];
        add(s + pow3[v], tau * pressure); // S → I
      }
    }
  });
}

/** Poisson(λ) weights w_0..w_K with the analytic tail bound Σ_{k>K} w_k ≤ w_{K+1}/(1 − λ/(K+2)) below tol. */
function poissonWeights(lambda: number, tol: number): Float64Array {
  const weights = [Math.exp(-lambda)];
  let next = weights[0] * lambda; // w_1
  for (let k = 0; ; k++) {
    // `next` is w_{k+1}; the tail beyond k is bounded by a geometric series once k + 2 > λ.
    if (k + 2 > lambda && next / (1 - lambda / (k + 2)) < tol) break;
    weights.push(next);
    next *= lambda / (k + 2);
  }
  return Float64Array.from(weights);
}

/** One uniformized step: out = p·P with P = I + Q/Λ; `stay` = 1 − exit/Λ and `jump` = rate/Λ are precomputed. */
function uniformizedStep(
  gen: SparseGenerator,
  stay: Float64Array,
  jump: Float64Array,
  p: Float64Array,
  out: Float64Array,
): void {
  const { size, offsets, targets } = gen;
  out.fill(0);
  for (let s = 0; s < size; s++) {
    const mass = p[s];
    if (mass === 0) continue;
    out[s] += mass * stay[s];
    for (let e = offsets[s]; e < offsets[s + 1]; e++) out[targets[e]] += mass * jump[e];
  }
}

/**
 * E[f(X(t))] for each observable f and each time, starting from the state distribution p0. Times are
 * processed in increasing order, each interval split into chunks with Λh ≤ MAX_CHUNK_MEAN.
 */
function transientExpectations(
  gen: SparseGenerator,
  p0: Float64Array,
  times: readonly number[],
  observables: readonly Float64Array[],
): number[][] {
  const lambda = gen.exitRates.reduce((a, b) => Math.max(a, b), 0);
  const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
  const chunksPerInterval: number[] = [];
  let previous = 0;
  for (const i of order) {
    chunksPerInterval.push(lambda > 0 ? Math.ceil((lambda * (times[i] - previous)) / MAX_CHUNK_MEAN) : 0);
    previous = times[i];
  }
  const tolPerChunk = TRUNCATION_MASS / Math.max(1, chunksPerInterval.reduce((a, b) => a + b, 0));
  const stay = gen.exitRates.map((rate) => 1 - rate / lambda);
  const jump = gen.rates.map((rate) => rate / lambda);

  const results = observables.map(() => new Array<number>(times.length).fill(0));
  let p = Float64Array.from(p0);
  let power = new Float64Array(gen.size);
  let scratch = new Float64Array(gen.size);
  const acc = new Float64Array(gen.size);
  previous = 0;
  order.forEach((timeIndex, k) => {
    const chunks = chunksPerInterval[k];
    if (chunks > 0) {
      const weights = poissonWeights((lambda * (times[timeIndex] - previous)) / chunks, tolPerChunk);
      for (let c = 0; c < chunks; c++) {
        power.set(p);
        for (let s = 0; s < gen.size; s++) acc[s] = weights[0] * power[s];
        for (let j = 1; j < weights.length; j++) {
          uniformizedStep(gen, stay, jump, power, scratch);
          [power, scratch] = [scratch, power];
          for (let s = 0; s < gen.size; s++) acc[s] += weights[j] * power[s];
        }
        p = Float64Array.from(acc);
      }
    }
    previous = times[timeIndex];
    observables.forEach((f, o) => {
      let value = 0;
      for (let s = 0; s < gen.size; s++) if (p[s] !== 0) value += p[s] * f[s];
      results[o][timeIndex] = value;
    });
  });
  return results;
}

function popcount(x: number): number {
  let count = 0;
  for (; x; x &= x - 1) count++;
  return count;
}

/**
 * Expected number of infected nodes E[I(t)] in Markovian SIS (contact process) at each of `times`,
 * starting with exactly `initialInfected` infected. Exact up to uniformization truncation (< 1e-12).
 */
export function sisExpectedInfected(
  graph: SmallGraph,
  tau: number,
  gamma: number,
  initialInfected: readonly number[],
  times: readonly number[],
): number[] {
  const caller = "sisExpectedInfected";
  checkRates(caller, tau, gamma);
  checkTimes(caller, times);
  const adjacency = buildAdjacency(caller, graph);
  const initial = checkInitial(caller, graph.n, initialInfected);
  const gen = sisGenerator(graph, adjacency, tau, gamma);
  const p0 = new Float64Array(gen.size);
  p0[initial.reduce((mask, v) => mask | (1 << v), 0)] = 1;
  const infected = new Float64Array(gen.size);
  for (let s = 0; s < gen.size; s++) infected[s] = popcount(s);
  return transientExpectations(gen, p0, times, [infected])[0];
}

function sirSetup(caller: string, graph: SmallGraph, tau: number, gamma: number, initialInfected: readonly number[]) {
  checkRates(caller, tau, gamma);
  const adjacency = buildAdjacency(caller, graph);
  const initial = checkInitial(caller, graph.n, initialInfected);
  const gen = sirGenerator(graph, adjacency, tau, gamma);
  const pow3 = powersOfThree(graph.n);
  const initialState = initial.reduce((s, v) => s + pow3[v], 0); // digit 1 (I) for each initial node
  return { gen, initialState };
}

/**
 * Expected S, I and R counts in Markovian SIR at each of `times`, starting with exactly `initialInfected`
 * infected and everyone else susceptible. Exact up to uniformization truncation (< 1e-12).
 */
export function sirExpectedCounts(
  graph: SmallGraph,
  tau: number,
  gamma: number,
  initialInfected: readonly number[],
  times: readonly number[],
): SirExpectedCounts {
  const caller = "sirExpectedCounts";
  checkTimes(caller, times);
  const { gen, initialState } = sirSetup(caller, graph, tau, gamma, initialInfected);
  const p0 = new Float64Array(gen.size);
  p0[initialState] = 1;
  const counts = [new Float64Array(gen.size), new Float64Array(gen.size), new Float64Array(gen.size)];
  const digits = new Uint8Array(graph.n);
  for (let s = 0; s < gen.size; s++) {
    decodeBase3(s, digits);
    for (const d of digits) counts[d][s] += 1;
  }
  const [S, I, R] = transientExpectations(gen, p0, times, counts);
  return { S, I, R };
}

/**
 * Final-size distribution of Markovian SIR: entry k is the probability that exactly k nodes were ever
 * infected (initial ones included), k = 0..n. Exact (embedded jump chain, one forward pass). Needs γ > 0
 * so that every epidemic ends.
 */
export function sirFinalSizeDistribution(
  graph: SmallGraph,
  tau: number,
  gamma: number,
  initialInfected: readonly number[],
): Float64Array {
  const caller = "sirFinalSizeDistribution";
  if (!(gamma > 0)) {
    throw new RangeError(`${caller}: gamma = ${gamma}. The final size is defined only for a recovery rate > 0.`);
  }
  const { gen, initialState } = sirSetup(caller, graph, tau, gamma, initialInfected);
  const { size, offsets, targets, rates, exitRates } = gen;
  const distribution = new Float64Array(graph.n + 1);
  const probability = new Float64Array(size);
  probability[initialState] = 1;
  const digits = new Uint8Array(graph.n);
  // Every transition raises the state index, so all inflow into s is complete when s is reached.
  for (let s = initialState; s < size; s++) {
    const mass = probability[s];
    if (mass === 0) continue;
    if (exitRates[s] === 0) {
      decodeBase3(s, digits);
      let everInfected = 0;
      for (const d of digits) if (d !== 0) everInfected++;
      distribution[everInfected] += mass;
      continue;
    }
    for (let e = offsets[s]; e < offsets[s + 1]; e++) probability[targets[e]] += (mass * rates[e]) / exitRates[s];
  }
  return distribution;
}
