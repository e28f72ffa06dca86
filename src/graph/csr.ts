/**
 * Compressed sparse row (CSR) form of a graphology graph: the only graph representation the engines touch.
 * Built once per run set (graphology `src/indices/neighborhood.js` does the same for its metrics) and shared,
 * read-only, by every run and worker.
 *
 * Arc convention: `targets[offsets[i] .. offsets[i+1])` are the nodes that node i *acts on*: its out-neighbours
 * in a directed graph, its neighbours in an undirected one (each undirected edge appears as two arcs).
 * Self-loops are dropped (a node cannot infect itself); parallel edges of a multigraph stay as separate arcs.
 */
import type Graph from "graphology";
import { GraphFormatError } from "../errors.js";
import { withLazyKeys } from "./builder.js";

export interface CSR {
  /** Number of nodes. */
  readonly n: number;
  /** Number of arcs (2 × edges for an undirected graph). */
  readonly m: number;
  readonly directed: boolean;
  /** Int32Array(n + 1): arcs of node i are offsets[i] .. offsets[i + 1] − 1. */
  readonly offsets: Int32Array;
  /** Int32Array(m): arc heads. */
  readonly targets: Int32Array;
  /** Float32Array(m) of arc weights, or null when the graph is unweighted (all weights 1). */
  readonly weights: Float32Array | null;
  /** Node keys by index. */
  readonly nodeIds: string[];
  /** Node key → index. */
  readonly index: Map<string, number>;
  /** Per-arc values of edge attributes asked for at compile time (e.g. `school` for school closures). */
  readonly arcData?: Record<string, Float32Array>;
}

export interface CompileOptions {
  /** Edge attribute read as the weight; weights must be finite and ≥ 0. Default: unweighted. */
  weight?: string | null;
  /** Allocate the arrays on SharedArrayBuffers so worker threads can read them without copying. */
  shared?: boolean;
  /** Edge attributes to keep per arc in `arcData` (numbers; true/false read as 1/0; missing as 0). */
  arcAttributes?: string[];
}

function int32(length: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

/** True when `x` is a CSR (and not a graphology graph). */
export function isCSR(x: unknown): x is CSR {
  return typeof x === "object" && x !== null && (x as CSR).offsets instanceof Int32Array;
}

/**
 * Compile a graphology graph to CSR. Mixed graphs are compiled with directed edges as one arc and
 * undirected edges as two; `directed` is then true.
 */
export function compile(graph: Graph, options: CompileOptions = {}): CSR {
  const shared = options.shared ?? false;
  const weightAttr = options.weight ?? null;
  const n = graph.order;
  const nodeIds: string[] = new Array(n);
  const index = new Map<string, number>();
  let i = 0;
  graph.forEachNode((key) => {
    nodeIds[i] = key;
    index.set(key, i++);
  });

  // Count arcs per source.
  const offsets = int32(n + 1, shared);
  graph.forEachEdge((_e, _attr, source, target, _sa, _ta, undirected) => {
    if (source === target) return;
    offsets[index.get(source)! + 1]++;
    if (undirected) offsets[index.get(target)! + 1]++;
  });
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const m = offsets[n];
  const targets = int32(m, shared);
  const weights = weightAttr === null ? null : shared ? new Float32Array(new SharedArrayBuffer(m * 4)) : new Float32Array(m);
  const fill = new Int32Array(n);
  const arcNames = options.arcAttributes ?? [];
  const arcData: Record<string, Float32Array> = {};
  for (const name of arcNames) arcData[name] = shared ? new Float32Array(new SharedArrayBuffer(m * 4)) : new Float32Array(m);
  graph.forEachEdge((edge, attr, source, target, _sa, _ta, undirected) => {
    if (source === target) return;
    const s = index.get(source)!;
    const t = index.get(target)!;
    let w = 1;
    if (weights !== null) {
      const raw = attr[weightAttr!];
      w = raw === undefined ? 1 : Number(raw);
      if (typeof raw !== "number" && raw !== undefined) {
        throw new GraphFormatError(`compile: edge "${edge}" has a non-numeric "${weightAttr}" (${JSON.stringify(raw)}); expected a finite number ≥ 0.`);
      }
      if (!Number.isFinite(w) || w < 0) {
        throw new GraphFormatError(`compile: edge "${edge}" has "${weightAttr}" = ${w}; expected a finite number ≥ 0.`);
      }
    }
    const values = arcNames.map((name) => {
      const raw = attr[name];
      const x = raw === undefined || raw === false ? 0 : raw === true ? 1 : Number(raw);
      if (!Number.isFinite(x)) throw new GraphFormatError(`compile: edge "${edge}" has "${name}" = ${JSON.stringify(raw)}; expected a number or true/false.`);
      return x;
    });
    let a = offsets[s] + fill[s]++;
    targets[a] = t;
    if (weights !== null) weights[a] = w;
    arcNames.forEach((name, i) => (arcData[name][a] = values[i]));
    if (undirected) {
      a = offsets[t] + fill[t]++;
      targets[a] = s;
      if (weights !== null) weights[a] = w;
      arcNames.forEach((name, i) => (arcData[name][a] = values[i]));
    }
  });
  const csr = { n, m, directed: graph.type !== "undirected", offsets, targets, weights, nodeIds, index };
  return arcNames.length > 0 ? { ...csr, arcData } : csr;
}

/**
 * Build a CSR straight from an undirected edge list over nodes 0..n−1 (generators of million-node graphs
 * use this to skip graphology's per-edge bookkeeping). Self-loops are dropped.
 */
export function csrFromEdges(n: number, sources: Int32Array, targets: Int32Array, edgeCount: number, directed = false): CSR {
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < edgeCount; e++) {
    if (sources[e] === targets[e]) continue;
    offsets[sources[e] + 1]++;
    if (!directed) offsets[targets[e] + 1]++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const m = offsets[n];
  const arcs = new Int32Array(m);
  // offsets[v] is v's fill pointer and ends at v's end (v + 1's start); one shift restores the starts. No
  // separate fill array: at 2·10⁷ nodes that is 80 MB of fresh memory, which costs more than the pass itself.
  for (let e = 0; e < edgeCount; e++) {
    const s = sources[e];
    const t = targets[e];
    if (s === t) continue;
    arcs[offsets[s]++] = t;
    if (!directed) arcs[offsets[t]++] = s;
  }
  for (let v = n; v > 0; v--) offsets[v] = offsets[v - 1];
  offsets[0] = 0;
  // Keys "0".."n−1" only when asked for: 10⁷ strings would cost more than building the CSR.
  return withLazyKeys({ n, m, directed, offsets, targets: arcs, weights: null }, () => Array.from({ length: n }, (_, v) => String(v)));
}

/**
 * Attach `index` (node key → index) as a property built on first use: a million-key Map costs about a
 * second and most runs on generated networks never look a key up.
 */
export function withLazyIndex<T extends Omit<CSR, "index">>(csr: T): T & { readonly index: Map<string, number> } {
  let index: Map<string, number> | null = null;
  return Object.defineProperty(csr, "index", {
    enumerable: true,
    get(this: T) {
      if (index === null) {
        index = new Map();
        for (let v = 0; v < this.nodeIds.length; v++) index.set(this.nodeIds[v], v);
      }
      return index;
    },
  }) as T & { readonly index: Map<string, number> };
}

/** Out-degree (degree for undirected graphs) of every node. */
export function degrees(csr: CSR): Int32Array {
  const k = new Int32Array(csr.n);
  for (let v = 0; v < csr.n; v++) k[v] = csr.offsets[v + 1] - csr.offsets[v];
  return k;
}
