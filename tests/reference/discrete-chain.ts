/**
 * Exact reference for the synchronous discrete-time engine on tiny graphs (n ≤ 6): the whole Markov chain
 * on joint states is propagated step by step, without sampling.
 *
 * Semantics (src/models/compartmental.ts, src/engine/discrete.ts headers), re-derived here independently:
 * in each step of length dt every node looks only at the PREVIOUS joint state x. A node v in compartment c
 * has, for each transition j out of c, a step hazard
 *   - spontaneous: h_j = rate·dt, or −ln(1 − p) for a per-step probability p (p = 1: +∞);
 *   - induced by compartment Z: h_j · pressure, where h_j is as above and
 *     pressure = Σ w(u→v) over arcs u→v (CSR: v ∈ targets[offsets[u]..offsets[u+1])) with x_u = Z;
 *     no pressure means no hazard, even for p = 1.
 * With H = Σ_j hazards, v leaves with probability 1 − e^(−H) and takes transition j with probability
 * (h_j/H)(1 − e^(−H)); if some hazards are +∞ it leaves surely, uniformly among those. Given x, nodes
 * decide independently, so P(x → y) = Π_v P_v(x_v → y_v | x), which we enumerate as a product.
 *
 * "Ever infected" (the engine's final size: a node counts once it has been in an infected compartment —
 * model.infected, the inducers and the targets of induced transitions —, seeds at t = 0 included) is
 * tracked by giving each node a symbol c + nComp·f, f = 1 once it has been infected; the alphabet has
 * 2·nComp letters and the state space (2·nComp)ⁿ ≤ 8⁶ = 262,144 for four compartments on six nodes.
 * Only states with positive probability are expanded.
 */
import type { CompiledModel } from "../../src/models/compartmental.js";

/** What the reference needs of a graph: CSR arcs (u acts on targets[offsets[u]..offsets[u+1])) and weights. */
export interface ChainGraph {
  readonly n: number;
  readonly offsets: ArrayLike<number>;
  readonly targets: ArrayLike<number>;
  readonly weights: ArrayLike<number> | null;
}

export interface DiscreteChainResult {
  /** expected[k][c] = E[number of nodes in compartment c after k steps], k = 0..K. */
  expected: number[][];
  /** everInfected[k][m] = P(exactly m nodes have ever been infected after k steps). */
  everInfected: number[][];
  /** Total probability after each step (1 up to rounding): a self-check. */
  mass: number[];
}

export const MAX_CHAIN_NODES = 6;

/** One outgoing move of a node: destination compartment and its step hazard (may be +∞). */
interface Move {
  to: number;
  hazard: number;
}

function stepHazard(value: number, isProbability: boolean, dt: number): number {
  if (!isProbability) return value * dt;
  return value >= 1 ? Infinity : -Math.log(1 - value);
}

/**
 * Distribution of a node's next compartment from its compartment c and the pressures on it (pressure[z] =
 * summed weight of arcs into the node from nodes in compartment z). Returns [compartment, probability] pairs,
 * staying included, merged by destination.
 */
function nextCompartment(model: CompiledModel, dt: number, c: number, pressure: Float64Array): Map<number, number> {
  const moves: Move[] = [];
  for (let j = model.spontOffsets[c]; j < model.spontOffsets[c + 1]; j++) {
    moves.push({ to: model.spontTo[j], hazard: stepHazard(model.spontRate[j], model.spontIsProbability[j] === 1, dt) });
  }
  for (let j = model.inducedOffsets[c]; j < model.inducedOffsets[c + 1]; j++) {
    const inducer = model.infectious[model.inducedSlot[j]];
    const p = pressure[inducer];
    const h = stepHazard(model.inducedRate[j], model.inducedIsProbability[j] === 1, dt);
    moves.push({ to: model.inducedTo[j], hazard: p > 0 && h > 0 ? h * p : 0 });
  }
  const out = new Map<number, number>();
  const add = (to: number, prob: number) => {
    if (prob > 0) out.set(to, (out.get(to) ?? 0) + prob);
  };
  const certain = moves.filter((m) => m.hazard === Infinity);
  if (certain.length > 0) {
    for (const m of certain) add(m.to, 1 / certain.length);
    return out;
  }
  let H = 0;
  for (const m of moves) H += m.hazard;
  if (H === 0) {
    out.set(c, 1);
    return out;
  }
  const leave = 1 - Math.exp(-H);
  add(c, 1 - leave);
  for (const m of moves) add(m.to, (m.hazard / H) * leave);
  return out;
}

/**
 * Exact E[count of each compartment] and the distribution of the number of nodes ever infected, after each of the steps 0..K, for the synchronous chain started from `initial`.
 */
export function discreteChainExact(model: CompiledModel, graph: ChainGraph, dt: number, initial: ArrayLike<number>, K: number): DiscreteChainResult {
  const { n } = graph;
  const nComp = model.nComp;
  const infected = new Uint8Array(nComp);
  for (const c of model.infected) infected[c] = 1;
  if (n < 1 || n > MAX_CHAIN_NODES) throw new Error(`discreteChainExact: n must be in 1..${MAX_CHAIN_NODES}, got ${n}.`);
  if (initial.length !== n) throw new Error("discreteChainExact: initial state must have one entry per node.");
  const A = 2 * nComp; // alphabet: compartment c, never infected (c) or ever infected (c + nComp)
  const size = A ** n;
  const place = Array.from({ length: n }, (_, v) => A ** v);
  const comp = (sym: number) => sym % nComp;
  const wasInfected = (sym: number) => sym >= nComp;

  // Incoming arcs of each node: [source, weight].
  const incoming: [number, number][][] = Array.from({ length: n }, () => []);
  for (let u = 0; u < n; u++) {
    for (let a = graph.offsets[u]; a < graph.offsets[u + 1]; a++) {
      incoming[graph.targets[a]].push([u, graph.weights === null ? 1 : graph.weights[a]]);
    }
  }

  let dist = new Float64Array(size);
  let index0 = 0;
  for (let v = 0; v < n; v++) {
    const c = initial[v];
    if (!(Number.isInteger(c) && c >= 0 && c < nComp)) throw new Error(`discreteChainExact: bad compartment ${c} at node ${v}.`);
    index0 += (c + (infected[c] ? nComp : 0)) * place[v];
  }
  dist[index0] = 1;

  const expected: number[][] = [];
  const everInfected: number[][] = [];
  const mass: number[] = [];
  const syms = new Int32Array(n);
  const decode = (x: number) => {
    for (let v = 0; v < n; v++) {
      syms[v] = x % A;
      x = Math.floor(x / A);
    }
  };
  const summarize = (d: Float64Array) => {
    const e = new Array<number>(nComp).fill(0);
    const ever = new Array<number>(n + 1).fill(0);
    let total = 0;
    for (let x = 0; x < size; x++) {
      const p = d[x];
      if (p === 0) continue;
      total += p;
      decode(x);
      let m = 0;
      for (let v = 0; v < n; v++) {
        e[comp(syms[v])] += p;
        if (wasInfected(syms[v])) m++;
      }
      ever[m] += p;
    }
    expected.push(e);
    everInfected.push(ever);
    mass.push(total);
  };
  summarize(dist);

  const pressure = new Float64Array(nComp);
  for (let k = 1; k <= K; k++) {
    const next = new Float64Array(size);
    for (let x = 0; x < size; x++) {
      const px = dist[x];
      if (px === 0) continue;
      decode(x);
      // Each node's distribution over next symbols, from the previous state only.
      const options: [number, number][][] = [];
      for (let v = 0; v < n; v++) {
        pressure.fill(0);
        for (const [u, w] of incoming[v]) pressure[comp(syms[u])] += w;
        const sym = syms[v];
        const c = comp(sym);
        const opts: [number, number][] = [];
        for (const [to, prob] of nextCompartment(model, dt, c, pressure)) {
          // The ever-infected bit: set once the node is in an infected compartment, kept from then on.
          const nextSym = to + (wasInfected(sym) || infected[to] ? nComp : 0);
          opts.push([nextSym * place[v], prob]);
        }
        options.push(opts);
      }
      // Product over nodes, enumerated depth-first.
      const expand = (v: number, index: number, prob: number) => {
        if (v === n) {
          next[index] += prob;
          return;
        }
        for (const [offset, q] of options[v]) expand(v + 1, index + offset, prob * q);
      };
      expand(0, 0, px);
    }
    dist = next;
    summarize(dist);
  }
  return { expected, everInfected, mass };
}
