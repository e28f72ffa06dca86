/**
 * GraphML (http://graphml.graphdrawing.org) read through graphology-graphml, with a strict XML front end:
 * malformed XML, undeclared node ids and data values that do not match their key's `attr.type` are
 * GraphFormatErrors with the file and line. graphology-graphml 0.5 has no writer, so `writeGraphml` is here.
 *
 * The file declares direction (`edgedefault`, per-edge `directed="true"`); parallel edges are kept as a
 * multigraph, exactly as graphology-graphml reads them. An edge `<data>` whose key is named `weight` becomes the
 * attribute `weight` and must be a finite number ≥ 0.
 */
import Graph from "graphology";
import { parse } from "graphology-graphml";
import { GraphFormatError } from "../../errors.js";
import {
  type ReadOptions,
  type XmlDocument,
  applyReadOptions,
  attribute,
  checkNodesAndEdges,
  checkWeightText,
  parseDecimal,
  parseXml,
  requireNodes,
  validateWeights,
  wrapParserError,
} from "./common.js";

const NUMERIC_TYPES = new Set(["int", "long", "float", "double"]);
const KNOWN_TYPES = new Set([...NUMERIC_TYPES, "boolean", "string"]);

/** Parse a GraphML document. */
export function parseGraphml(text: string, options: ReadOptions = {}): Graph {
  const file = options.file;
  const doc = parseXml(text, "graphml", "graphology-graphml", file);
  checkNodesAndEdges(doc, "GraphML", file);
  checkData(doc, file);
  let graph: Graph;
  try {
    // The document comes from the same xmldom module graphology-graphml uses, so its instanceof check passes.
    graph = parse(Graph, doc as unknown as Parameters<typeof parse>[1]);
  } catch (error) {
    throw wrapParserError(error, "GraphML", file);
  }
  requireNodes(graph, file, "GraphML");
  validateWeights(graph, file);
  applyReadOptions(graph, options);
  return graph;
}

/** Checks every `<data>` value against its `<key>`'s declared type, since the parser casts with `+v`. */
function checkData(doc: XmlDocument, file: string | undefined): void {
  const keys = new Map<string, { type: string; name: string; domain: string }>();
  const keyElements = doc.getElementsByTagName("key");
  for (let i = 0; i < keyElements.length; i++) {
    const key = keyElements[i];
    const line = key.lineNumber;
    const id = attribute(key, "id");
    if (id === null || id === "") {
      throw new GraphFormatError(`a <key> has no id; every GraphML key needs one`, { file, line });
    }
    const type = attribute(key, "attr.type") ?? "string";
    if (!KNOWN_TYPES.has(type)) {
      throw new GraphFormatError(
        `key "${id}" has attr.type "${type}"; expected one of ${[...KNOWN_TYPES].join(", ")}`,
        { file, line },
      );
    }
    const name = attribute(key, "attr.name") ?? id;
    const domain = attribute(key, "for") ?? "node";
    if (name === "weight" && (domain === "edge" || domain === "all") && !NUMERIC_TYPES.has(type)) {
      throw new GraphFormatError(
        `edge key "${id}" (weight) has attr.type "${type}"; declare attr.type="double" so weights are numbers`,
        { file, line },
      );
    }
    keys.set(id, { type, name, domain });
  }
  const data = doc.getElementsByTagName("data");
  for (let i = 0; i < data.length; i++) {
    const element = data[i];
    const spec = keys.get(element.getAttribute("key") ?? "");
    if (spec === undefined) continue; // undeclared keys are read as strings
    const text = (element.textContent ?? "").trim();
    const line = element.lineNumber;
    if (spec.name === "weight" && (spec.domain === "edge" || spec.domain === "all")) {
      checkWeightText(text, file, line);
    } else if (NUMERIC_TYPES.has(spec.type) && parseDecimal(text) === undefined) {
      throw new GraphFormatError(`"${text}" is not a number but key "${spec.name}" is declared ${spec.type}`, {
        file,
        line,
      });
    } else if (spec.type === "boolean" && !/^(true|false)$/i.test(text)) {
      throw new GraphFormatError(`"${text}" is not true or false but key "${spec.name}" is declared boolean`, {
        file,
        line,
      });
    }
  }
}

type Domain = "graph" | "node" | "edge";
interface KeySpec {
  id: string;
  domain: Domain;
  name: string;
  type: "boolean" | "long" | "double" | "string";
}

/**
 * Serialise a graph as GraphML. Attribute values must be strings, numbers or booleans, one type per attribute
 * name (integers are written `long`, other numbers `double`); anything else is an error, since GraphML could not
 * give it back. Mixed graphs are written with `edgedefault="undirected"` and `directed="true"` on directed edges.
 */
export function writeGraphml(graph: Graph): string {
  validateWeights(graph, undefined);
  const keys: KeySpec[] = [];
  const byDomain: Record<Domain, Map<string, KeySpec>> = { graph: new Map(), node: new Map(), edge: new Map() };
  const collect = (domain: Domain, attributes: Record<string, unknown>, owner: string) => {
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined) continue;
      const type = typeOf(value, domain, name, owner);
      const seen = byDomain[domain].get(name);
      if (seen === undefined) {
        const spec: KeySpec = { id: `${domain[0]}${byDomain[domain].size}`, domain, name, type };
        byDomain[domain].set(name, spec);
        keys.push(spec);
      } else if (seen.type !== type) {
        if ((seen.type === "long" && type === "double") || (seen.type === "double" && type === "long")) {
          seen.type = "double";
        } else {
          throw new GraphFormatError(
            `${domain} attribute "${name}" is a ${seen.type} on some ${domain}s and a ${type} on ${owner}; ` +
              `GraphML needs one type per attribute: make them agree, or write JSON`,
          );
        }
      }
    }
  };
  collect("graph", graph.getAttributes(), "the graph");
  graph.forEachNode((node, attributes) => collect("node", attributes, `node ${node}`));
  graph.forEachEdge((edge, attributes, source, target) => collect("edge", attributes, `edge ${source} -> ${target}`));

  const directedDefault = graph.type === "directed";
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<graphml xmlns="http://graphml.graphdrawing.org/xmlns" ` +
      `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
      `xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`,
  ];
  for (const k of keys) {
    out.push(`  <key id="${k.id}" for="${k.domain}" attr.name="${escape(k.name)}" attr.type="${k.type}"/>`);
  }
  out.push(`  <graph edgedefault="${directedDefault ? "directed" : "undirected"}">`);
  out.push(...dataLines(byDomain.graph, graph.getAttributes(), "    "));
  graph.forEachNode((node, attributes) => {
    const data = dataLines(byDomain.node, attributes, "      ");
    out.push(
      data.length === 0
        ? `    <node id="${escape(node)}"/>`
        : `    <node id="${escape(node)}">\n${data.join("\n")}\n    </node>`,
    );
  });
  graph.forEachEdge((edge, attributes, source, target, _sa, _ta, undirected) => {
    const directedAttr = !undirected && !directedDefault ? ` directed="true"` : "";
    const open = `    <edge id="${escape(edge)}" source="${escape(source)}" target="${escape(target)}"${directedAttr}`;
    const data = dataLines(byDomain.edge, attributes, "      ");
    out.push(data.length === 0 ? `${open}/>` : `${open}>\n${data.join("\n")}\n    </edge>`);
  });
  out.push(`  </graph>`, `</graphml>`, "");
  return out.join("\n");
}

function typeOf(value: unknown, domain: Domain, name: string, owner: string): KeySpec["type"] {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return Number.isSafeInteger(value) ? "long" : "double";
  throw new GraphFormatError(
    `${domain} attribute "${name}" of ${owner} is ${value === null ? "null" : `a${Array.isArray(value) ? "n array" : ` ${typeof value}`}`}; ` +
      `GraphML holds only strings, numbers and booleans: remove the attribute or write JSON`,
  );
}

function dataLines(keys: Map<string, KeySpec>, attributes: Record<string, unknown>, indent: string): string[] {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    const spec = keys.get(name)!;
    lines.push(`${indent}<data key="${spec.id}">${escape(String(value))}</data>`);
  }
  return lines;
}

/** Escapes text for XML content or a double-quoted attribute; rejects characters XML 1.0 cannot hold. */
function escape(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(text)) {
    throw new GraphFormatError(
      `${JSON.stringify(text)} contains a control character that XML cannot hold; remove it or write JSON`,
    );
  }
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}
