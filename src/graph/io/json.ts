/**
 * graphology's serialised JSON (`graph.export()`: `{ attributes, options, nodes: [{key, attributes}],
 * edges: [{key?, source, target, attributes?, undirected?}] }`), read with `Graph.from`.
 *
 * The shape is checked first so errors name the offending entry (`nodes[3]`, `edges[12]`); node keys, sources
 * and targets must be strings or numbers (numbers become their decimal string, as graphology does).
 * `options.type` declares the direction (graphology's default is "mixed", where an edge is directed unless it
 * says `"undirected": true`).
 */
import Graph from "graphology";
import type { SerializedGraph } from "graphology-types";
import { GraphFormatError } from "../../errors.js";
import { type ReadOptions, applyReadOptions, messageOf, requireNodes, validateWeights, wrapParserError } from "./common.js";

/** Parse graphology serialised JSON. */
export function parseGraphJson(text: string, options: ReadOptions = {}): Graph {
  const file = options.file;
  if (text.trim() === "") {
    throw new GraphFormatError(`the JSON file is empty; expected a graphology export {"nodes": [...], "edges": [...]}`, {
      file,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new GraphFormatError(`malformed JSON: ${messageOf(error)}; fix the syntax`, { file, line: jsonErrorLine(error, text) }, {
      cause: error,
    });
  }
  checkShape(data, file);
  let graph: Graph;
  try {
    graph = Graph.from(data as SerializedGraph);
  } catch (error) {
    throw wrapParserError(error, "JSON", file);
  }
  requireNodes(graph, file, "JSON");
  validateWeights(graph, file);
  applyReadOptions(graph, options);
  return graph;
}

/** Serialise a graph as graphology JSON (`graph.export()`), one line, with a final newline. */
export function writeGraphJson(graph: Graph): string {
  validateWeights(graph, undefined);
  return JSON.stringify(graph.export()) + "\n";
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isKey(x: unknown): boolean {
  return typeof x === "string" || (typeof x === "number" && Number.isFinite(x));
}

function checkShape(data: unknown, file: string | undefined): void {
  const fail = (message: string): never => {
    throw new GraphFormatError(`${message}; expected graphology's export format {"nodes": [{"key": ...}], "edges": [...]}`, {
      file,
    });
  };
  if (!isObject(data)) return fail(`the JSON document is ${Array.isArray(data) ? "an array" : typeof data}, not an object`);
  if (!Array.isArray(data.nodes)) return fail(`"nodes" is ${data.nodes === undefined ? "missing" : "not an array"}`);
  if (data.edges !== undefined && !Array.isArray(data.edges)) return fail(`"edges" is not an array`);
  if (data.options !== undefined && !isObject(data.options)) return fail(`"options" is not an object`);
  if (data.attributes !== undefined && !isObject(data.attributes)) return fail(`"attributes" is not an object`);
  data.nodes.forEach((node: unknown, i: number) => {
    if (!isObject(node) || !isKey(node.key)) fail(`nodes[${i}] has no string or number "key"`);
    if (isObject(node) && node.attributes !== undefined && !isObject(node.attributes)) {
      fail(`nodes[${i}].attributes is not an object`);
    }
  });
  ((data.edges ?? []) as unknown[]).forEach((edge: unknown, i: number) => {
    if (!isObject(edge)) return fail(`edges[${i}] is not an object`);
    if (!isKey(edge.source) || !isKey(edge.target)) fail(`edges[${i}] needs string or number "source" and "target"`);
    if (edge.key !== undefined && !isKey(edge.key)) fail(`edges[${i}].key is not a string or number`);
    if (edge.attributes !== undefined && !isObject(edge.attributes)) fail(`edges[${i}].attributes is not an object`);
    if (edge.undirected !== undefined && typeof edge.undirected !== "boolean") fail(`edges[${i}].undirected is not a boolean`);
  });
}

/** The 1-based line of a JSON.parse error, when V8 reports a position or line. */
function jsonErrorLine(error: unknown, text: string): number | undefined {
  const message = messageOf(error);
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line) return Number(line[1]);
  const position = /at position (\d+)/.exec(message);
  if (position) return text.slice(0, Number(position[1])).split(/\r\n|\n|\r/).length;
  if (/end of JSON input/i.test(message)) return text.split(/\r\n|\n|\r/).length;
  return undefined;
}
