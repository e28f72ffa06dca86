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
 *
 * The reader is layered over three files: xml-table.ts (nodes, edges, directions, the ranked errors),
 * xml-values.ts (GraphML keys and `<data>`, GEXF attributes, edge weights and attribute columns, lossless
 * bookkeeping), and this one (the saxes wiring, element dispatch, and what `end()` and `kept()` hand back).
 */
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { GraphFormatError } from "../../errors.js";
import type { DeclaredEdges, ParsedEdges } from "./parsed-edges.js";
import { Rank, type XmlFormat, type XmlStreamOptions } from "./xml-table.js";
import { XmlValues } from "./xml-values.js";

export type { XmlFormat, XmlStreamOptions } from "./xml-table.js";

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

export class XmlEdgeReader extends XmlValues {
  private readonly parser = new SaxesParser({ position: true });
  private readonly decoder = new TextDecoder("utf-8");
  private nonBlank = false;
  private depth = 0;
  private tagLine = 1;
  private root: string | null = null;
  private rootLine = 1;
  // The GraphML `<data>` element being read.
  private dataKey: string | null = null;
  private dataLine = 0;
  private dataText = "";

  constructor(format: XmlFormat, options: XmlStreamOptions = {}) {
    super(format, options);
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

  /** With `lossless`: what a graphology Graph of the file holds besides the edges (call after `end()`). */
  kept(): XmlKept {
    if (this.directedEdges > 0 && this.undirectedEdges > 0) this.drop("directed and undirected edges");
    if (this.weighted && this.unweightedEdge !== null) this.drop("edges with and without a weight");
    if (this.edgesWithId > 0 && this.edgesWithId < this.edges.count) this.drop("edges with and without an id");
    if (this.edgesWithId > 0 && new Set(this.edgeIds).size < this.edgeIds.length) this.drop("a repeated edge id");
    const nodeAttributes = this.nodeAttributes.map((a) => (a === null ? null : graphmlColor(a)));
    return { dropped: this.dropped, nodeAttributes, graphAttributes: this.graphAttributes, edgeIds: this.edgesWithId > 0 ? this.edgeIds : null };
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
