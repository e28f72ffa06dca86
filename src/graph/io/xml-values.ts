/**
 * Attribute values for the streaming GraphML/GEXF reader (xml-stream.ts), on top of the node and edge tables of
 * xml-table.ts: the GraphML key model (`<key>`, checked `<data>` values, `<default>`s), the GEXF attribute model
 * (`<attributes>`, `<attvalue>`), and what an edge carries when it closes — its weight and its numeric or boolean
 * attributes, kept as per-edge columns. With `lossless`, also which elements and attributes a graphology Graph
 * would keep and this reader does not, and GraphML node `<data>` cast as graphology-graphml casts it.
 */
import { GraphFormatError } from "../../errors.js";
import { checkWeightText, parseDecimal } from "./common.js";
import { Rank, XmlTable, type OpenEdge } from "./xml-table.js";

const KEPT_ELEMENTS = { graphml: new Set(["graph", "key", "node", "edge", "data"]), gexf: new Set(["meta", "graph", "nodes", "edges", "node", "edge", "attributes", "attribute"]) };
const GEXF_EDGE_ATTRIBUTES = new Set(["id", "source", "target", "type", "weight"]);

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

/** XmlTable plus the key and attribute models and the edge values read through them. */
export abstract class XmlValues extends XmlTable {
  private firstDirected = "";
  protected readonly weights = new Column(1 << 12, Number.NaN);
  protected weighted = false;
  protected unweightedEdge: string | null = null;
  protected unweightedEdges = 0;
  protected readonly attributes = new Map<string, Column>();

  // GraphML keys: by id (any domain, to check values) and the edge model (to name and cast edge data).
  private readonly keySpecs = new Map<string, KeySpec>();
  private readonly edgeModel = new Map<string, KeySpec>();
  protected readonly edgeDefaults = new Map<string, string>();
  protected keyOpen: { id: string; domain: string; name: string } | null = null;
  protected inDefault = false;
  protected defaultText = "";
  // GEXF attributes: the model of each class (`<attributes class="node|edge">`).
  protected attributesClass: string | null = null;
  protected readonly gexfModels: Record<string, Map<string, { title: string; type: string }>> = { node: new Map(), edge: new Map() };
  protected readonly gexfEdgeDefaults = new Map<string, string>();
  protected gexfAttribute: { title: string; type: string } | null = null;

  protected closeEdge(edge: OpenEdge): void {
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

  protected openKey(attrs: Record<string, string>, line: number): void {
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
  protected closeData(key: string, raw: string, line: number): void {
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
  protected attvalue(attrs: Record<string, string>, line: number): void {
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

  /** With `lossless`: note an element, or attributes of one, that a graphology Graph would keep and this reader does not. */
  protected keep(name: string, attrs: Record<string, string>): void {
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
}
