/**
 * Streaming GraphML and GEXF readers: bytes in (any chunking, UTF-8), typed arrays out, through the saxes
 * streaming XML parser — no DOM and no graphology Graph on the way to a CSR.
 *
 * They read what `parseGraphml`/`parseGexf` (graphml.ts, gexf.ts: xmldom + graphology-graphml/-gexf) read, and
 * give the same CSR once compiled: nodes in the order of their `<node>` elements, edges in the order of their
 * `<edge>` elements (parallel edges kept, as graphology's multigraph keeps them), the declared direction
 * (`edgedefault` and `directed="true"` in GraphML; in GEXF each edge's `type`, else `defaultedgetype`, the graph
 * being of the first edge's type, as graphology-gexf reads it; a file
 * mixing both is directed, its undirected edges two arcs), the edge `weight` (GraphML: the edge key named
 * `weight`; GEXF: the `weight` attribute or an attvalue titled `weight`), and numeric or boolean edge attributes
 * (as 1/0) for `network.weight` and `arcAttributes`. String-typed edge attributes are not kept (0 if asked for).
 *
 * Errors are the same GraphFormatErrors, with the file and line: malformed XML (saxes' message; its line may
 * differ from xmldom's by the parser's position in a broken construct), a wrong root, no `<graph>`, a missing or
 * repeated node id, an edge endpoint that is missing or not a declared node, a `<key>` with no id or a bad type,
 * a `<data>` value that does not match its key's type, a bad edge weight, an undeclared GEXF attribute, no nodes,
 * and the `directed`/`weight` reader options. The whole file is read before any but an XML error is thrown, and
 * the error thrown is the one the DOM readers check first, so a file with several problems names the same one.
 *
 * Differences, on purpose: a GraphML weight key's `<default>` is read as a number (graphology-graphml keeps it
 * as text, which then fails as a non-numeric weight); a `<key for="all">` applies to edges (graphology-graphml
 * fails on it); repeated edge ids are not checked (graphology would merge the two edges into one).
 */
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { GraphFormatError } from "../../errors.js";
import { EdgeBuilder } from "../builder.js";
import { NodeKeys } from "../node-keys.js";
import { checkWeightText, parseDecimal } from "./common.js";
import type { DeclaredEdges, ParsedEdges } from "./edgelist-stream.js";

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

/** With `lossless`: what a graphology Graph read from the file would hold besides the edge arrays. */
export interface XmlKept {
  /** The first thing the reader does not keep (null: nothing; the Graph is the edges plus what follows). */
  dropped: string | null;
  /** Node attributes by node index (null: none). */
  nodeAttributes: (Record<string, unknown> | null)[];
  /** Graph attributes (GraphML `<graph id>`). */
  graphAttributes: Record<string, unknown>;
  /** Edge ids in edge order, or null when the file gives none. */
  edgeIds: string[] | null;
}

const KEPT_ELEMENTS = { graphml: new Set(["graph", "key", "node", "edge", "data"]), gexf: new Set(["meta", "graph", "nodes", "edges", "node", "edge", "attributes", "attribute"]) };
const GEXF_EDGE_ATTRIBUTES = new Set(["id", "source", "target", "type", "weight"]);

/** The checks of the DOM readers, in the order they run: the first failing one is the error. */
const enum Rank {
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

const GRAPHML_NUMERIC = new Set(["int", "long", "float", "double"]);
const GRAPHML_TYPES = new Set([...GRAPHML_NUMERIC, "boolean", "string"]);
const GEXF_NUMERIC = new Set(["byte", "short", "integer", "long", "float", "double"]);

interface KeySpec {
  name: string;
  type: string;
  domain: string;
}

/** A growable column of numbers, one per edge. */
class Column {
  values: Float64Array;
  constructor(capacity: number, readonly fill: number) {
    this.values = new Float64Array(capacity).fill(fill);
  }
  set(e: number, x: number): void {
    if (e >= this.values.length) {
      const grown = new Float64Array(Math.max(1024, Math.ceil((e + 1) * 1.5))).fill(this.fill);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[e] = x;
  }
  finish(count: number): Float64Array {
    if (this.values.length < count) this.set(count - 1, this.fill);
    return this.values.length === count ? this.values : this.values.slice(0, count);
  }
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

interface OpenEdge {
  line: number;
  source: string;
  target: string;
  undirected: boolean;
  weight: number | undefined;
  /** A weight that is not a number (an undeclared or string-typed `weight`): an error, as validateWeights. */
  badWeight: string | undefined;
  attributes: Map<string, number>;
}

export class XmlEdgeReader {
  private readonly format: XmlFormat;
  private readonly label: string;
  private readonly file: string | undefined;
  private readonly options: XmlStreamOptions;
  private readonly parser = new SaxesParser({ position: true });
  private readonly decoder = new TextDecoder("utf-8");
  private readonly faults: (GraphFormatError | undefined)[] = [];
  private nonBlank = false;
  private depth = 0;
  private tagLine = 1;
  private root: string | null = null;
  private rootLine = 1;
  private graphSeen = false;
  private graphType: string | null = null;
  /** GEXF: `defaultedgetype` (mutual read as undirected), the type of an edge with no `type` of its own. */
  private defaultEdgeType = "undirected";
  /** GEXF: some edge's type differs from the first edge's, which makes graphology's graph mixed (directed). */
  private mixedType = false;

  readonly keys = new NodeKeys();
  private readonly edges = new EdgeBuilder(false, 1 << 12);
  /** Per interned node: 1 + rank among `<node>` declarations (0: referenced by an edge, not declared yet). */
  private readonly declared = new Ints();
  private readonly declLine = new Ints();
  /** Per interned node first seen in an edge: 2 × edge index + (0 source, 1 target) of that reference. */
  private readonly firstRef = new Ints();
  private nodeCount = 0;
  private outOfOrder = false;
  private missingEnd: { order: number; error: GraphFormatError } | null = null;
  private readonly undirected = new Ints();
  private directedEdges = 0;
  private undirectedEdges = 0;
  private firstDirected = "";
  private readonly weights = new Column(1 << 12, Number.NaN);
  private weighted = false;
  private unweightedEdge: string | null = null;
  private unweightedEdges = 0;
  private readonly attributes = new Map<string, Column>();

  // GraphML keys: by id (any domain, to check values) and the edge model (to name and cast edge data).
  private readonly keySpecs = new Map<string, KeySpec>();
  private readonly edgeModel = new Map<string, KeySpec>();
  private readonly edgeDefaults = new Map<string, string>();
  private keyOpen: { id: string; domain: string; name: string } | null = null;
  private inDefault = false;
  private defaultText = "";
  // GEXF attributes: the model of each class (`<attributes class="node|edge">`).
  private attributesClass: string | null = null;
  private readonly gexfModels: Record<string, Map<string, { title: string; type: string }>> = { node: new Map(), edge: new Map() };
  private readonly gexfEdgeDefaults = new Map<string, string>();
  private gexfAttribute: { title: string; type: string } | null = null;

  private edge: OpenEdge | null = null;
  // With `lossless` (XmlKept).
  private dropped: string | null = null;
  private readonly nodeAttributes: (Record<string, unknown> | null)[] = [];
  private readonly graphAttributes: Record<string, unknown> = {};
  private readonly edgeIds: string[] = [];
  private edgesWithId = 0;
  /** The node whose element is open (its declaration rank), or −1. */
  private openNode = -1;
  private dataKey: string | null = null;
  private dataLine = 0;
  private dataText = "";

  constructor(format: XmlFormat, options: XmlStreamOptions = {}) {
    this.format = format;
    this.label = format === "gexf" ? "GEXF" : "GraphML";
    this.file = options.file;
    this.options = options;
    const p = this.parser;
    p.on("opentagstart", () => {
      this.tagLine = p.line;
    });
    p.on("opentag", (tag) => this.open(tag as SaxesTagPlain));
    p.on("closetag", (tag) => this.close((tag as SaxesTagPlain).name));
    p.on("text", (text) => this.text(text));
    p.on("cdata", (text) => this.text(text));
    p.on("error", (error) => {
      const match = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(error.message);
      const line = match ? Number(match[1]) : p.line;
      const message = match ? match[3] : error.message;
      throw new GraphFormatError(`malformed XML: ${message}; fix the file so it is well-formed XML`, { file: this.file, line }, { cause: error });
    });
  }

  /** Feed the next bytes. */
  push(chunk: Uint8Array): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** Finish: the whole-file checks, then the edges. */
  end(): ParsedEdges {
    this.feed(this.decoder.decode());
    const { file, label } = this;
    if (!this.nonBlank) {
      throw new GraphFormatError(`the ${label} file is empty; expected an XML document with a <${this.format}> root`, { file });
    }
    this.parser.close();
    if (this.root === null) throw new GraphFormatError(`no XML element found; expected a ${label} document with a <${this.format}> root`, { file });
    if (!this.graphSeen) this.fault(Rank.Structure, `no <graph> element found; a ${label} file needs one inside <${this.format}>`, this.rootLine);
    this.checkEndpoints();
    if (this.nodeCount === 0) this.fault(Rank.Empty, `the ${label} network has no nodes; expected at least one node`, undefined);
    const count = this.edges.count;
    const directedFile = this.isDirected();
    if (this.options.directed === true && this.undirectedEdges > 0) {
      this.fault(
        Rank.Direction,
        `the file declares ${this.undirectedEdges} undirected edge(s) but directed: true was requested; remove the option or declare the edges directed in the file`,
        undefined,
      );
    }
    if (this.options.directed === false && this.directedEdges > 0) {
      this.fault(
        Rank.Direction,
        `the file declares ${this.directedEdges} directed edge(s) but directed: false was requested; remove the option or declare the edges undirected in the file`,
        undefined,
      );
    }
    if (this.options.weight === true && this.unweightedEdge !== null) {
      this.fault(Rank.WeightRequired, `edge ${this.unweightedEdge} has no weight but weight: true was requested; give every edge a weight`, undefined);
    }
    const first = this.faults.find((f) => f !== undefined);
    if (first !== undefined) throw first;
    if (this.outOfOrder) this.declarationOrder();

    let weights: Float64Array | null = null;
    if (this.weighted && this.options.weight !== false) {
      weights = this.weights.finish(count);
      for (let e = 0; e < count; e++) if (Number.isNaN(weights[e])) weights[e] = 1; // no weight: 1, as compile reads it
    }
    // Attribute columns hold NaN where an edge has no value: that becomes 0 (an arc attribute) with a gap mark
    // (1 as the weight), after mixed files' undirected edges are doubled.
    const attributes: Record<string, Float64Array> = {};
    for (const [name, column] of this.attributes) attributes[name] = column.finish(count);
    let edges = this.edges;
    const declared: DeclaredEdges = {
      edges: count,
      selfLoops: edges.selfLoops(),
      directedEdges: this.directedEdges,
      undirectedEdges: this.undirectedEdges,
      unweightedEdges: weights === null ? 0 : this.unweightedEdges,
    };
    if (directedFile && this.undirectedEdges > 0) {
      // Mixed: an undirected edge is arcs s→t then t→s, which a directed CSR lays out as compile lays out a mixed graph.
      ({ edges, weights } = this.doubled(weights, attributes));
    } else {
      edges.weights = weights;
    }
    const attributeGaps: Record<string, Uint8Array> = {};
    for (const [name, values] of Object.entries(attributes)) {
      let gaps: Uint8Array | null = null;
      for (let e = 0; e < values.length; e++) {
        if (!Number.isNaN(values[e])) continue;
        gaps ??= new Uint8Array(values.length);
        gaps[e] = 1;
        values[e] = 0;
      }
      if (gaps !== null) attributeGaps[name] = gaps;
    }
    return { n: this.keys.count, keys: this.keys, edges, directed: directedFile, attributes, attributeGaps, declared, repeatError: () => null };
  }

  private feed(text: string): void {
    if (text.length === 0) return;
    if (!this.nonBlank && text.trim() !== "") this.nonBlank = true;
    this.parser.write(text);
  }

  private isDirected(): boolean {
    if (this.format === "graphml") return this.graphType === "directed" || this.directedEdges > 0;
    // GEXF: the graph type is the first edge's (mixed, hence directed, when there is none).
    return this.edges.count === 0 || this.graphType !== "undirected" || this.mixedType;
  }

  private fault(rank: Rank, message: string, line: number | undefined): void {
    if (this.faults[rank] === undefined) this.faults[rank] = new GraphFormatError(message, { file: this.file, line });
  }

  private open(tag: SaxesTagPlain): void {
    const name = tag.name;
    const attrs = tag.attributes as Record<string, string>;
    const line = this.tagLine;
    this.depth++;
    if (this.options.lossless && this.depth > 1) this.keep(name, attrs);
    if (this.depth === 1) {
      this.root = name;
      this.rootLine = line;
      const local = name.replace(/^.*:/, "");
      if (local !== this.format) {
        this.fault(Rank.Structure, `the root element is <${name}>; expected <${this.format}> (is this really a ${this.label} file?)`, line);
      }
      return;
    }
    switch (name) {
      case "graph":
        if (!this.graphSeen) {
          this.graphSeen = true;
          this.graphType = this.format === "graphml" ? attrs.edgedefault || "undirected" : attrs.defaultedgetype || "undirected";
          if (this.graphType === "mutual") this.graphType = "undirected";
          this.defaultEdgeType = this.graphType;
          if (this.graphType !== "directed" && this.graphType !== "undirected") {
            this.fault(Rank.Parse, `the graph's ${this.format === "graphml" ? "edgedefault" : "defaultedgetype"} is "${this.graphType}"; expected directed or undirected`, line);
          }
        }
        return;
      case "node":
        this.declareNode(attrs.id, line, attrs);
        return;
      case "edge":
        this.openEdge(attrs, line);
        return;
      case "key":
        if (this.format === "graphml") this.openKey(attrs, line);
        return;
      case "default":
        this.inDefault = true;
        this.defaultText = "";
        return;
      case "data":
        if (this.format === "graphml") {
          this.dataKey = attrs.key ?? "";
          this.dataLine = line;
          this.dataText = "";
        }
        return;
      case "attributes":
        if (this.format === "gexf") {
          this.attributesClass = attrs.class ?? null;
          if (this.attributesClass === "node" || this.attributesClass === "edge") this.gexfModels[this.attributesClass] = new Map();
        }
        return;
      case "attribute":
        if (this.format === "gexf" && (this.attributesClass === "node" || this.attributesClass === "edge")) {
          const id = attrs.id || attrs.for || "";
          const spec = { title: !Number.isNaN(+id) ? attrs.title || id : id, type: attrs.type || "string" };
          this.gexfModels[this.attributesClass].set(id, spec);
          this.gexfAttribute = this.attributesClass === "edge" ? spec : null;
        }
        return;
      case "attvalue":
        if (this.format === "gexf") this.attvalue(attrs, line);
        return;
    }
  }

  private close(name: string): void {
    this.depth--;
    switch (name) {
      case "node":
        this.openNode = -1;
        return;
      case "edge":
        if (this.edge !== null) this.closeEdge(this.edge);
        this.edge = null;
        return;
      case "key":
        this.keyOpen = null;
        return;
      case "attribute":
        this.gexfAttribute = null;
        return;
      case "attributes":
        this.attributesClass = null;
        return;
      case "default":
        this.inDefault = false;
        if (this.keyOpen !== null && (this.keyOpen.domain === "edge" || this.keyOpen.domain === "all")) this.edgeDefaults.set(this.keyOpen.name, this.defaultText);
        if (this.gexfAttribute !== null) this.gexfEdgeDefaults.set(this.gexfAttribute.title, this.defaultText);
        return;
      case "data":
        if (this.dataKey !== null) this.closeData(this.dataKey, this.dataText, this.dataLine);
        this.dataKey = null;
        return;
    }
  }

  private text(text: string): void {
    if (this.dataKey !== null) this.dataText += text;
    if (this.inDefault) this.defaultText += text;
  }

  private declareNode(id: string | undefined, line: number, attrs: Record<string, string>): void {
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

  private openEdge(attrs: Record<string, string>, line: number): void {
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

  private closeEdge(edge: OpenEdge): void {
    const e = this.edges.count - 1;
    const pair = `${edge.source} -> ${edge.target}`;
    // Defaults for attributes the edge does not give.
    const defaults = this.format === "graphml" ? this.edgeDefaults : this.gexfEdgeDefaults;
    for (const [name, text] of defaults) {
      if (name === "weight") {
        if (edge.weight === undefined && edge.badWeight === undefined) {
          const value = parseDecimal(text);
          if (value !== undefined) edge.weight = value;
        }
      } else if (!edge.attributes.has(name)) {
        const value = Number(text.trim() === "" ? Number.NaN : text);
        edge.attributes.set(name, Number.isNaN(value) ? (/^true$/i.test(text.trim()) ? 1 : 0) : value);
      }
    }
    if (edge.badWeight !== undefined) {
      this.fault(
        Rank.Weight,
        `edge ${pair} has weight ${JSON.stringify(edge.badWeight)} of type string; expected a finite number ≥ 0 (declare the weight attribute as a number type in the file)`,
        edge.line,
      );
    } else if (edge.weight !== undefined) {
      if (!Number.isFinite(edge.weight) || edge.weight < 0) this.fault(Rank.Weight, `edge ${pair} has weight ${edge.weight}; expected a finite number ≥ 0`, edge.line);
      this.weighted = true;
      this.weights.set(e, edge.weight);
    }
    if (edge.weight === undefined) {
      this.unweightedEdges++;
      if (this.unweightedEdge === null) this.unweightedEdge = pair;
    }
    if (!edge.undirected && this.firstDirected === "") this.firstDirected = pair;
    for (const [name, value] of edge.attributes) {
      let column = this.attributes.get(name);
      if (column === undefined) this.attributes.set(name, (column = new Column(Math.max(1024, e + 1), Number.NaN)));
      column.set(e, value);
    }
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

  private openKey(attrs: Record<string, string>, line: number): void {
    const id = attrs.id;
    if (id === undefined || id === "") {
      this.fault(Rank.Key, `a <key> has no id; every GraphML key needs one`, line);
      return;
    }
    const type = attrs["attr.type"] ?? "string";
    if (!GRAPHML_TYPES.has(type)) {
      this.fault(Rank.Key, `key "${id}" has attr.type "${type}"; expected one of ${[...GRAPHML_TYPES].join(", ")}`, line);
    }
    const name = attrs["attr.name"] ?? id;
    const domain = attrs.for ?? "node";
    if (name === "weight" && (domain === "edge" || domain === "all") && !GRAPHML_NUMERIC.has(type)) {
      this.fault(Rank.Key, `edge key "${id}" (weight) has attr.type "${type}"; declare attr.type="double" so weights are numbers`, line);
    }
    const spec = { name, type, domain };
    this.keySpecs.set(id, spec);
    if (domain === "edge" || domain === "all") this.edgeModel.set(id, spec);
    this.keyOpen = { id, domain, name };
  }

  /** A GraphML `<data>`: checked against its key (checkData in graphml.ts), then kept when it is an edge's. */
  private closeData(key: string, raw: string, line: number): void {
    const spec = this.keySpecs.get(key);
    const text = raw.trim();
    let valid = true;
    if (spec !== undefined) {
      if (spec.name === "weight" && (spec.domain === "edge" || spec.domain === "all")) {
        try {
          checkWeightText(text, this.file, line);
        } catch (error) {
          if (this.faults[Rank.Data] === undefined) this.faults[Rank.Data] = error as GraphFormatError;
          valid = false;
        }
      } else if (GRAPHML_NUMERIC.has(spec.type) && parseDecimal(text) === undefined) {
        this.fault(Rank.Data, `"${text}" is not a number but key "${spec.name}" is declared ${spec.type}`, line);
        valid = false;
      } else if (spec.type === "boolean" && !/^(true|false)$/i.test(text)) {
        this.fault(Rank.Data, `"${text}" is not true or false but key "${spec.name}" is declared boolean`, line);
        valid = false;
      }
    }
    const edge = this.edge;
    if (this.options.lossless && valid && edge === null && this.openNode >= 0) this.nodeData(key, raw);
    if (edge === null || !valid) return;
    const model = this.edgeModel.get(key);
    if (this.options.lossless && model?.name !== "weight") this.drop(`edge <data key="${key}">`);
    if (model === undefined) {
      // Undeclared for edges: graphology keeps the text under the key's id.
      if (key === "weight") edge.badWeight = raw;
      return;
    }
    if (GRAPHML_NUMERIC.has(model.type)) {
      if (model.name === "weight") edge.weight = +raw;
      else edge.attributes.set(model.name, +raw);
    } else if (model.type === "boolean") {
      edge.attributes.set(model.name, raw.toLowerCase() === "true" ? 1 : 0);
    }
  }

  /** A GEXF `<attvalue>`: undeclared ones are an error; numeric and boolean edge values are kept. */
  private attvalue(attrs: Record<string, string>, line: number): void {
    const id = attrs.id || attrs.for || "";
    const owner = this.edge !== null ? "edge" : "node";
    const spec = this.gexfModels[owner].get(id);
    if (spec === undefined) {
      this.fault(Rank.Parse, `cannot read the GEXF network: Found undeclared attribute "${id}"; declare it in <attributes class="${owner}">`, line);
      return;
    }
    const edge = this.edge;
    if (owner !== "edge" || edge === null) return;
    const value = attrs.value ?? "";
    if (spec.title === "weight") {
      if (GEXF_NUMERIC.has(spec.type)) {
        edge.weight = +value;
        edge.badWeight = undefined;
      } else if (spec.type === "boolean") edge.badWeight = undefined;
      else edge.badWeight = value;
      return;
    }
    if (GEXF_NUMERIC.has(spec.type)) edge.attributes.set(spec.title, +value);
    else if (spec.type === "boolean") edge.attributes.set(spec.title, value === "true" ? 1 : 0);
  }

  private drop(what: string): void {
    this.dropped ??= what;
  }

  /** With `lossless`: note an element, or attributes of one, that a graphology Graph would keep and this reader does not. */
  private keep(name: string, attrs: Record<string, string>): void {
    if (!KEPT_ELEMENTS[this.format].has(name)) return this.drop(`<${name}>`);
    if (this.edge !== null && !(this.format === "graphml" && name === "data")) return this.drop(`<${name}> in an edge`);
    if (this.openNode >= 0 && !(this.format === "graphml" && name === "data")) return this.drop(`<${name}> in a node`);
    switch (name) {
      case "graph":
        if (this.graphSeen) return this.drop("a nested <graph>");
        if (this.format === "graphml" && attrs.id) this.graphAttributes.id = attrs.id;
        return;
      case "data":
        if (this.edge === null && this.openNode < 0) return this.drop("graph <data>");
        return;
      case "meta":
        if (Object.keys(attrs).length > 0) return this.drop("<meta> attributes");
        return;
      case "key":
        // graphology-graphml has models for graph, node and edge keys only (it fails on any other `for`).
        if (!["graph", "node", "edge"].includes(attrs.for ?? "node")) return this.drop(`<key for="${attrs.for}">`);
        return;
      case "node":
        if (this.format === "gexf" && Object.keys(attrs).some((a) => a !== "id" && a !== "label")) return this.drop("GEXF node attributes");
        return;
      case "edge":
        if (this.format === "gexf" && Object.keys(attrs).some((a) => !GEXF_EDGE_ATTRIBUTES.has(a))) return this.drop("GEXF edge attributes");
        return;
    }
  }

  /** A GraphML node `<data>`, as graphology-graphml reads it: cast by its node key's type, else the text under the key id. */
  private nodeData(key: string, raw: string): void {
    const spec = this.keySpecs.get(key);
    const attributes = (this.nodeAttributes[this.openNode] ??= {});
    if (spec === undefined || spec.domain !== "node") attributes[key] = raw;
    else if (spec.type === "boolean") attributes[spec.name] = raw.toLowerCase() === "true";
    else attributes[spec.name] = GRAPHML_NUMERIC.has(spec.type) ? +raw : raw;
  }

  /** With `lossless`: what a graphology Graph of the file holds besides the edges (call after `end()`). */
  kept(): XmlKept {
    if (this.directedEdges > 0 && this.undirectedEdges > 0) this.drop("directed and undirected edges");
    if (this.weighted && this.unweightedEdge !== null) this.drop("edges with and without a weight");
    if (this.edgesWithId > 0 && this.edgesWithId < this.edges.count) this.drop("edges with and without an id");
    if (this.edgesWithId > 0 && new Set(this.edgeIds).size < this.edgeIds.length) this.drop("a repeated edge id");
    const nodeAttributes = this.nodeAttributes.map((a) => (a === null ? null : graphmlColor(a)));
    return { dropped: this.dropped, nodeAttributes, graphAttributes: this.graphAttributes, edgeIds: this.edgesWithId > 0 ? this.edgeIds : null };
  }

  /** Endpoints that are not declared nodes: the first such edge end in document order (source before target). */
  private checkEndpoints(): void {
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
  private declarationOrder(): void {
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

  private doubled(weights: Float64Array | null, attributes: Record<string, Float64Array>): { edges: EdgeBuilder; weights: Float64Array | null } {
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

/** graphology-graphml's DEFAULT_FORMATTER: numeric r, g, b become a hex `color`. */
function graphmlColor(attributes: Record<string, unknown>): Record<string, unknown> {
  const { r, g, b, ...rest } = attributes;
  if (typeof r !== "number" || typeof g !== "number" || typeof b !== "number") return attributes;
  const hex = (x: number): string => ("0" + (x | 0).toString(16)).slice(-2);
  return { ...rest, color: `#${hex(r)}${hex(g)}${hex(b)}` };
}

/** Parse a whole GraphML or GEXF text (for tests and small inputs). */
export function parseXmlEdges(text: string | Uint8Array, format: XmlFormat, options: XmlStreamOptions = {}): ParsedEdges {
  const reader = new XmlEdgeReader(format, options);
  reader.push(typeof text === "string" ? Buffer.from(text, "utf8") : text);
  return reader.end();
}
