/**
 * The node and edge tables of the streaming GraphML/GEXF reader (xml-stream.ts): interned node ids with their
 * declaration rank and line, the edge arrays with each edge's direction, and the first error of each rank (the
 * order in which the DOM readers check), plus the whole-file passes over them — endpoints that name no declared
 * node, renumbering nodes in declaration order, and doubling a mixed file's undirected edges into two arcs.
 * Attribute values (keys, `<data>`, `<attvalue>`, weights) are layered on top in xml-values.ts.
 */
import { GraphFormatError } from "../../errors.js";
import { EdgeBuilder } from "../builder.js";
import { NodeKeys } from "../node-keys.js";
import { checkWeightText } from "./common.js";

export type XmlFormat = "graphml" | "gexf";

export interface XmlStreamOptions {
  /** When given, a file with edges of the other direction is an error (as `applyReadOptions`). */
  directed?: boolean;
  /** true: every edge needs a weight; false: weights are dropped (after being checked). */
  weight?: boolean;
  file?: string;
  /**
   * Also keep what the API stores of a network besides its edges — edge ids, GraphML node `<data>` (cast as
   * graphology-graphml casts it), GEXF node labels, the GraphML graph id — and note in `kept().dropped` the first
   * thing the reader does not keep (other node or edge attributes, graph data, defaults, mixed directions, …), for
   * which the caller reads the file with the DOM reader instead.
   */
  lossless?: boolean;
}

/** The checks of the DOM readers, in the order they run: the first failing one is the error. */
export enum Rank {
  Structure,
  Node,
  Edge,
  Key,
  Data,
  Parse,
  Empty,
  Weight,
  Direction,
  WeightRequired,
}

/** A growable Int32 array. */
class Ints {
  values = new Int32Array(1024);
  set(i: number, x: number): void {
    if (i >= this.values.length) {
      let size = this.values.length;
      while (size <= i) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[i] = x;
  }
}

export interface OpenEdge {
  line: number;
  source: string;
  target: string;
  undirected: boolean;
  weight: number | undefined;
  /** A weight that is not a number (an undeclared or string-typed `weight`): an error, as validateWeights. */
  badWeight: string | undefined;
  attributes: Map<string, number>;
}

/** What a GraphML/GEXF read has gathered of the graph's structure; XmlValues and XmlEdgeReader build on it. */
export abstract class XmlTable {
  protected readonly format: XmlFormat;
  protected readonly label: string;
  protected readonly file: string | undefined;
  protected readonly options: XmlStreamOptions;
  protected readonly faults: (GraphFormatError | undefined)[] = [];
  protected graphSeen = false;
  protected graphType: string | null = null;
  /** GEXF: `defaultedgetype` (mutual read as undirected), the type of an edge with no `type` of its own. */
  protected defaultEdgeType = "undirected";
  /** GEXF: some edge's type differs from the first edge's, which makes graphology's graph mixed (directed). */
  private mixedType = false;

  readonly keys = new NodeKeys();
  protected readonly edges = new EdgeBuilder(false, 1 << 12);
  /** Per interned node: 1 + rank among `<node>` declarations (0: referenced by an edge, not declared yet). */
  private readonly declared = new Ints();
  private readonly declLine = new Ints();
  /** Per interned node first seen in an edge: 2 × edge index + (0 source, 1 target) of that reference. */
  private readonly firstRef = new Ints();
  protected nodeCount = 0;
  protected outOfOrder = false;
  private missingEnd: { order: number; error: GraphFormatError } | null = null;
  private readonly undirected = new Ints();
  protected directedEdges = 0;
  protected undirectedEdges = 0;

  protected edge: OpenEdge | null = null;
  // With `lossless` (XmlKept).
  protected dropped: string | null = null;
  protected readonly nodeAttributes: (Record<string, unknown> | null)[] = [];
  protected readonly graphAttributes: Record<string, unknown> = {};
  protected readonly edgeIds: string[] = [];
  protected edgesWithId = 0;
  /** The node whose element is open (its declaration rank), or −1. */
  protected openNode = -1;

  constructor(format: XmlFormat, options: XmlStreamOptions = {}) {
    this.format = format;
    this.label = format === "gexf" ? "GEXF" : "GraphML";
    this.file = options.file;
    this.options = options;
  }

  protected isDirected(): boolean {
    if (this.format === "graphml") return this.graphType === "directed" || this.directedEdges > 0;
    // GEXF: the graph type is the first edge's (mixed, hence directed, when there is none).
    return this.edges.count === 0 || this.graphType !== "undirected" || this.mixedType;
  }

  protected fault(rank: Rank, message: string, line: number | undefined): void {
    if (this.faults[rank] === undefined) this.faults[rank] = new GraphFormatError(message, { file: this.file, line });
  }

  protected declareNode(id: string | undefined, line: number, attrs: Record<string, string>): void {
    if (id === undefined || id === "") {
      this.fault(Rank.Node, `a <node> has no id; every ${this.label} node needs a unique id attribute`, line);
      return;
    }
    const before = this.keys.count;
    const v = this.keys.intern(id);
    if (v < before && this.declared.values[v] !== 0) {
      this.fault(Rank.Node, `node id "${id}" is declared twice (first on line ${this.declLine.values[v]}); node ids must be unique`, line);
      return;
    }
    if (v < before) this.outOfOrder = true; // referenced by an edge before its declaration
    else this.firstRef.set(v, -1);
    this.declared.set(v, ++this.nodeCount);
    this.declLine.set(v, line);
    if (this.options.lossless) {
      // Indexed by declaration rank: the node's index once `declarationOrder` has run (or already, when in order).
      this.openNode = this.nodeCount - 1;
      this.nodeAttributes.push(this.format === "gexf" && attrs.label ? { label: attrs.label } : null);
    }
  }

  private endpoint(id: string | undefined, end: "source" | "target", e: number, line: number): number {
    if (id === undefined || id === "") {
      const order = 2 * e + (end === "target" ? 1 : 0);
      if (this.missingEnd === null) {
        this.missingEnd = { order, error: new GraphFormatError(`an <edge> has no ${end} attribute; every edge needs source and target`, { file: this.file, line }) };
      }
      return -1;
    }
    const before = this.keys.count;
    const v = this.keys.intern(id);
    if (v === before) {
      this.declared.set(v, 0);
      this.firstRef.set(v, 2 * e + (end === "target" ? 1 : 0));
      this.declLine.set(v, line);
    }
    return v;
  }

  protected openEdge(attrs: Record<string, string>, line: number): void {
    const e = this.edges.count;
    const s = this.endpoint(attrs.source, "source", e, line);
    const t = this.endpoint(attrs.target, "target", e, line);
    let undirected: boolean;
    if (this.format === "graphml") {
      undirected = !(attrs.directed === "true" || this.graphType === "directed");
    } else {
      // As graphology-gexf: an edge's type is its own or the default; the graph's is the first edge's.
      const type = attrs.type || this.defaultEdgeType;
      if (e > 0 && type !== this.graphType) this.mixedType = true;
      if (e === 0) {
        this.graphType = type;
        if (type !== "directed" && type !== "undirected") this.fault(Rank.Parse, `the first edge has type "${type}"; expected directed, undirected or mutual`, line);
      }
      undirected = type !== "directed";
    }
    if (undirected) this.undirectedEdges++;
    else this.directedEdges++;
    this.undirected.set(e, undirected ? 1 : 0);
    this.edges.push(Math.max(0, s), Math.max(0, t), 1);
    if (this.options.lossless) {
      this.edgeIds.push(attrs.id ?? "");
      if (attrs.id) this.edgesWithId++;
    }
    const open: OpenEdge = { line, source: attrs.source ?? "", target: attrs.target ?? "", undirected, weight: undefined, badWeight: undefined, attributes: new Map() };
    if (this.format === "gexf" && attrs.weight !== undefined) {
      const value = this.checkedWeight(attrs.weight, line);
      if (attrs.weight !== "" && value !== undefined) open.weight = +attrs.weight;
    }
    this.edge = open;
  }

  /** A GEXF `weight` attribute: checked as the DOM reader checks it; its value, or undefined when bad. */
  private checkedWeight(text: string, line: number): number | undefined {
    try {
      checkWeightText(text, this.file, line);
      return +text;
    } catch (error) {
      if (this.faults[Rank.Data] === undefined) this.faults[Rank.Data] = error as GraphFormatError;
      return undefined;
    }
  }

  protected drop(what: string): void {
    this.dropped ??= what;
  }

  /** Endpoints that are not declared nodes: the first such edge end in document order (source before target). */
  protected checkEndpoints(): void {
    let best = this.missingEnd?.order ?? Number.POSITIVE_INFINITY;
    let error = this.missingEnd?.error;
    const declared = this.declared.values;
    const firstRef = this.firstRef.values;
    for (let v = 0; v < this.keys.count; v++) {
      if (declared[v] !== 0 || firstRef[v] >= best) continue;
      best = firstRef[v];
      const end = best % 2 === 0 ? "source" : "target";
      error = new GraphFormatError(`an <edge> has ${end} "${this.keys.keyOf(v)}", which is not a declared <node>; declare the node or fix the id`, {
        file: this.file,
        line: this.declLine.values[v],
      });
    }
    if (error !== undefined && this.faults[Rank.Edge] === undefined) this.faults[Rank.Edge] = error;
  }

  /** Some edge named a node before its `<node>`: renumber the nodes in declaration order, as graphology adds them. */
  protected declarationOrder(): void {
    const n = this.keys.count;
    const rank = this.declared.values; // 1 + declaration rank
    const names = new Array<string>(n);
    for (let v = 0; v < n; v++) names[rank[v] - 1] = this.keys.keyOf(v);
    const keys = new NodeKeys();
    for (const name of names) keys.intern(name);
    const { sources, targets, count } = this.edges;
    for (let e = 0; e < count; e++) {
      sources[e] = rank[sources[e]] - 1;
      targets[e] = rank[targets[e]] - 1;
    }
    (this as { keys: NodeKeys }).keys = keys;
  }

  protected doubled(weights: Float64Array | null, attributes: Record<string, Float64Array>): { edges: EdgeBuilder; weights: Float64Array | null } {
    const { sources, targets, count } = this.edges;
    const flags = this.undirected.values;
    const total = count + this.undirectedEdges;
    const out = new EdgeBuilder(false, total);
    const w = weights === null ? null : new Float64Array(total);
    const columns = Object.entries(attributes).map(([name, values]) => [name, values, new Float64Array(total)] as const);
    let k = 0;
    const put = (e: number, s: number, t: number): void => {
      out.push(s, t, 1);
      if (w !== null) w[k] = weights![e];
      for (const [, values, doubled] of columns) doubled[k] = values[e];
      k++;
    };
    for (let e = 0; e < count; e++) {
      put(e, sources[e], targets[e]);
      if (flags[e] === 1) put(e, targets[e], sources[e]);
    }
    for (const [name, , doubled] of columns) attributes[name] = doubled;
    out.weights = w;
    return { edges: out, weights: w };
  }
}
