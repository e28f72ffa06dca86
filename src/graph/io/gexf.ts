/**
 * GEXF (https://gexf.net, Gephi's format) through graphology-gexf, with a strict XML front end: malformed XML,
 * undeclared node ids and bad edge weights are GraphFormatErrors with the file and line.
 *
 * The file declares edge direction (`defaultedgetype`, per-edge `type`); parallel edges are kept as a multigraph,
 * exactly as graphology-gexf reads them. The GEXF `weight` of an edge becomes the attribute `weight`.
 */
import Graph from "graphology";
import { parse, write } from "graphology-gexf";
import {
  type ReadOptions,
  applyReadOptions,
  attribute,
  checkNodesAndEdges,
  checkWeightText,
  parseXml,
  requireNodes,
  validateWeights,
  wrapParserError,
} from "./common.js";

/** Parse a GEXF document. */
export function parseGexf(text: string, options: ReadOptions = {}): Graph {
  const file = options.file;
  const doc = parseXml(text, "gexf", "graphology-gexf", file);
  checkNodesAndEdges(doc, "GEXF", file);
  const edges = doc.getElementsByTagName("edge");
  for (let i = 0; i < edges.length; i++) {
    const weight = attribute(edges[i], "weight");
    if (weight !== null) checkWeightText(weight, file, edges[i].lineNumber);
  }
  let graph: Graph;
  try {
    // The document comes from the same xmldom module graphology-gexf uses, so its instanceof check passes.
    graph = parse(Graph, doc as unknown as Parameters<typeof parse>[1]);
  } catch (error) {
    throw wrapParserError(error, "GEXF", file);
  }
  requireNodes(graph, file, "GEXF");
  validateWeights(graph, file);
  applyReadOptions(graph, options);
  return graph;
}

/** Serialise a graph as GEXF 1.3 (pretty-printed, UTF-8). Edge weights must be finite numbers ≥ 0. */
export function writeGexf(graph: Graph): string {
  validateWeights(graph, undefined);
  return write(graph, { version: "1.3", pretty: true });
}
