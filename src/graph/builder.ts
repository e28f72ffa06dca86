/**
 * A growable typed-array edge list that compiles straight to CSR: what the file readers fill, so that a
 * network on its way to a simulation never becomes a graphology Graph.
 *
 * The CSR is laid out exactly as `compile` lays out the graphology graph of the same edges (nodes in order of
 * first appearance, arcs of each node in edge order, self-loops dropped, undirected edges as two arcs, weights
 * rounded to Float32), so both paths give bit-identical simulations.
 */
import type { CSR } from "./csr.js";
import type { NodeKeys } from "./node-keys.js";

export class EdgeBuilder {
  sources: Int32Array;
  targets: Int32Array;
  /** Edge weights (as read; Float64 so that writers keep them exact), or null for an unweighted list. */
  weights: Float64Array | null;
  count = 0;

  constructor(weighted: boolean, capacity = 1 << 16) {
    this.sources = new Int32Array(capacity);
    this.targets = new Int32Array(capacity);
    this.weights = weighted ? new Float64Array(capacity) : null;
  }

  /** A builder over arrays already filled with `count` edges. */
  static from(sources: Int32Array, targets: Int32Array, weights: Float64Array | null, count: number): EdgeBuilder {
    const builder = new EdgeBuilder(false, 0);
    builder.sources = sources;
    builder.targets = targets;
    builder.weights = weights;
    builder.count = count;
    return builder;
  }

  push(source: number, target: number, weight: number): void {
    if (this.count === this.sources.length) this.grow();
    this.sources[this.count] = source;
    this.targets[this.count] = target;
    if (this.weights !== null) this.weights[this.count] = weight;
    this.count++;
  }

  /** Start (or stop) keeping weights; only before the first edge. */
  setWeighted(weighted: boolean): void {
    if (this.count > 0) throw new Error("EdgeBuilder.setWeighted: edges were already added");
    this.weights = weighted ? new Float64Array(this.sources.length) : null;
  }

  private grow(): void {
    if (this.sources.length === 0) {
      this.sources = new Int32Array(1024);
      this.targets = new Int32Array(1024);
      if (this.weights !== null) this.weights = new Float64Array(1024);
      return;
    }
    // ×1.5 rather than ×2: at 10⁸ edges the copy's peak (old + new) is what bounds memory.
    const c = Math.ceil(this.sources.length * 1.5);
    const s = new Int32Array(c);
    s.set(this.sources);
    this.sources = s;
    const t = new Int32Array(c);
    t.set(this.targets);
    this.targets = t;
    if (this.weights !== null) {
      const w = new Float64Array(c);
      w.set(this.weights);
      this.weights = w;
    }
  }

  /** Number of self-loops (kept in the list, dropped from the CSR). */
  selfLoops(): number {
    let loops = 0;
    for (let e = 0; e < this.count; e++) if (this.sources[e] === this.targets[e]) loops++;
    return loops;
  }
}

export interface BuildOptions {
  directed: boolean;
  /**
   * Per-arc weights: default, the list's own (null when it has none); `false`, none; `true`, the list's or 1
   * on every arc when it has none (as `compile` does for a weight attribute no edge carries).
   */
  weighted?: boolean;
  /** Allocate on SharedArrayBuffers for the worker pool. */
  shared?: boolean;
}

function int32(length: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

/** The CSR of `n` nodes and the builder's edges; node keys come from `keys` when first asked for. */
export function buildCSR(n: number, edges: EdgeBuilder, keys: NodeKeys | (() => string[]), options: BuildOptions): CSR {
  const { directed } = options;
  const shared = options.shared ?? false;
  const { sources, targets: ends, count } = edges;
  const offsets = int32(n + 1, shared);
  for (let e = 0; e < count; e++) {
    const s = sources[e];
    const t = ends[e];
    if (s === t) continue;
    offsets[s + 1]++;
    if (!directed) offsets[t + 1]++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const m = offsets[n];
  const targets = int32(m, shared);
  const source = options.weighted === false ? null : edges.weights;
  const wanted = options.weighted ?? source !== null;
  const weights = !wanted ? null : shared ? new Float32Array(new SharedArrayBuffer(m * 4)) : new Float32Array(m);
  const fill = new Int32Array(n);
  fill.set(offsets.subarray(0, n));
  for (let e = 0; e < count; e++) {
    const s = sources[e];
    const t = ends[e];
    if (s === t) continue;
    let a = fill[s]++;
    targets[a] = t;
    if (weights !== null) weights[a] = source === null ? 1 : source[e];
    if (!directed) {
      a = fill[t]++;
      targets[a] = s;
      if (weights !== null) weights[a] = source === null ? 1 : source[e];
    }
  }
  const toKeys = typeof keys === "function" ? keys : () => keys.toArray();
  return withLazyKeys({ n, m, directed, offsets, targets, weights }, toKeys);
}

/**
 * Attach `nodeIds` and `index` as properties built on first use: ten million strings and a Map over them cost
 * seconds and gigabytes, and a simulation that names no node never asks for them.
 */
export function withLazyKeys<T extends Omit<CSR, "index" | "nodeIds">>(csr: T, keys: () => string[]): CSR & T {
  let nodeIds: string[] | null = null;
  let index: Map<string, number> | null = null;
  const ids = (): string[] => (nodeIds ??= keys());
  Object.defineProperty(csr, "nodeIds", { enumerable: true, get: ids });
  Object.defineProperty(csr, "index", {
    enumerable: true,
    get() {
      if (index === null) {
        const list = ids();
        index = new Map();
        for (let v = 0; v < list.length; v++) index.set(list[v], v);
      }
      return index;
    },
  });
  return csr as unknown as CSR & T;
}

/**
 * True when some pair of nodes is joined twice: a target repeated within one node's arcs, or a self-loop
 * (absent from the CSR) repeated in the edge list. A sequential pass with one stamp per node — much cheaper
 * than locating the repeat, which readers do only when this says there is one.
 */
export function hasRepeatedEdge(csr: CSR, edges: EdgeBuilder): boolean {
  const { n, offsets, targets } = csr;
  const stamp = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const mark = v + 1;
    for (let a = offsets[v]; a < offsets[v + 1]; a++) {
      const t = targets[a];
      if (stamp[t] === mark) return true;
      stamp[t] = mark;
    }
  }
  const { sources, targets: ends, count } = edges;
  // Arcs are 2 per non-loop edge (1 when directed): no self-loops at all, nothing more to check.
  if (count === (csr.directed ? csr.m : csr.m / 2)) return false;
  stamp.fill(0);
  for (let e = 0; e < count; e++) {
    const s = sources[e];
    if (s !== ends[e]) continue;
    if (stamp[s] !== 0) return true;
    stamp[s] = 1;
  }
  return false;
}

/** Per-arc values of a per-edge column, in the arc order `buildCSR` gives (same fill walk). */
export function perArc(csr: CSR, edges: EdgeBuilder, values: Float64Array, shared: boolean): Float32Array {
  const { n, m, directed, offsets } = csr;
  const out = shared ? new Float32Array(new SharedArrayBuffer(m * 4)) : new Float32Array(m);
  const fill = new Int32Array(n);
  fill.set(offsets.subarray(0, n));
  const { sources, targets, count } = edges;
  for (let e = 0; e < count; e++) {
    const s = sources[e];
    const t = targets[e];
    if (s === t) continue;
    out[fill[s]++] = values[e];
    if (!directed) out[fill[t]++] = values[e];
  }
  return out;
}
