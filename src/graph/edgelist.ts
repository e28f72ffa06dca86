/**
 * Edge lists: what every generator returns. Two parallel Int32Arrays of endpoints over node indices
 * 0..n−1, so a million-edge network costs two allocations and no per-edge objects. From here a network
 * goes either to graphology (`toGraph`, for the dashboard and the writers) or straight to CSR (`toCSR`, for
 * the engines), skipping graphology's per-edge bookkeeping.
 */
import { UndirectedGraph, DirectedGraph } from "graphology";
import type { AbstractGraph } from "graphology-types";
import { csrFromEdges, type CSR } from "./csr.js";
import { GeneratorError } from "../errors.js";

/** Edges erased by a generator that would otherwise produce self-loops or parallel edges. */
export interface ErasedEdges {
  selfLoops: number;
  /** Surplus copies of parallel edges (an edge present three times counts 2). */
  multiEdges: number;
}

export interface EdgeList {
  /** Number of nodes; node indices are 0..n−1 (isolated nodes included). */
  n: number;
  directed: boolean;
  /** Edge e runs sources[e] — targets[e], for e < count. The arrays may be longer than `count`. */
  sources: Int32Array;
  targets: Int32Array;
  count: number;
  /** Node keys by index; when absent, node i is keyed `String(i)`. */
  nodeIds?: string[];
  /** Set by generators that erase self-loops and parallel edges (the configuration model). */
  erased?: ErasedEdges;
}

/**
 * A growable pair of endpoint arrays. Generators whose edge count is random start from an estimate and
 * double on overflow, so the hot loop is a bounds check and two stores.
 */
export class EdgeBuffer {
  sources: Int32Array;
  targets: Int32Array;
  count = 0;
  constructor(capacity: number) {
    const c = Math.max(16, Math.ceil(capacity));
    this.sources = new Int32Array(c);
    this.targets = new Int32Array(c);
  }
  push(source: number, target: number): void {
    if (this.count === this.sources.length) this.grow();
    this.sources[this.count] = source;
    this.targets[this.count] = target;
    this.count++;
  }
  private grow(): void {
    const c = this.sources.length * 2;
    const s = new Int32Array(c);
    const t = new Int32Array(c);
    s.set(this.sources);
    t.set(this.targets);
    this.sources = s;
    this.targets = t;
  }
  toEdgeList(n: number, directed: boolean): EdgeList {
    return { n, directed, sources: this.sources, targets: this.targets, count: this.count };
  }
}

/** The graphology graph type returned by `toGraph` (the `Graph` class of graphology, structurally). */
export type GraphologyGraph = AbstractGraph;

function nodeKeys(el: EdgeList): string[] {
  if (el.nodeIds !== undefined) {
    if (el.nodeIds.length !== el.n) {
      throw new GeneratorError(`edge list: nodeIds has ${el.nodeIds.length} entries for n = ${el.n} nodes; give one key per node or none.`);
    }
    return el.nodeIds;
  }
  const keys = new Array<string>(el.n);
  for (let v = 0; v < el.n; v++) keys[v] = String(v);
  return keys;
}

/**
 * A graphology graph with the edge list's nodes (all of them, in index order, keyed by `nodeIds` or
 * "0".."n−1") and edges. The graph is simple (`multi: false`): a repeated edge throws graphology's
 * UsageGraphError. Self-loops are kept.
 */
export function toGraph(el: EdgeList): GraphologyGraph {
  const keys = nodeKeys(el);
  const graph = el.directed ? new DirectedGraph({ multi: false }) : new UndirectedGraph({ multi: false });
  for (let v = 0; v < el.n; v++) graph.addNode(keys[v]);
  const { sources, targets, count } = el;
  for (let e = 0; e < count; e++) graph.addEdge(keys[sources[e]], keys[targets[e]]);
  return graph;
}

/** The CSR of an edge list (self-loops dropped, as in `compile`); node keys follow `nodeIds` when set. */
export function toCSR(el: EdgeList): CSR {
  const csr = csrFromEdges(el.n, el.sources, el.targets, el.count, el.directed);
  if (el.nodeIds === undefined) return csr;
  const nodeIds = nodeKeys(el).slice();
  const index = new Map<string, number>();
  for (let v = 0; v < nodeIds.length; v++) index.set(nodeIds[v], v);
  if (index.size !== nodeIds.length) throw new GeneratorError("edge list: nodeIds contains duplicate keys; node keys must be unique.");
  const { n, m, directed, offsets, targets, weights } = csr;
  return { n, m, directed, offsets, targets, weights, nodeIds, index };
}

/**
 * The edge list of a graphology graph: nodes in iteration order, undirected edges once each, self-loops kept.
 * Used to turn graphology's named graphs into generator output.
 */
export function fromGraph(graph: GraphologyGraph): EdgeList {
  const n = graph.order;
  const nodeIds = new Array<string>(n);
  const index = new Map<string, number>();
  let i = 0;
  graph.forEachNode((key) => {
    nodeIds[i] = key;
    index.set(key, i++);
  });
  const buffer = new EdgeBuffer(graph.size);
  graph.forEachEdge((_edge, _attributes, source, target) => {
    buffer.push(index.get(source)!, index.get(target)!);
  });
  const el = buffer.toEdgeList(n, graph.type === "directed");
  el.nodeIds = nodeIds;
  return el;
}
