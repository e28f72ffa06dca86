/**
 * How the server stores a network: graphology's serialised JSON (`graph.export()`) → UTF-8 → gzip. The
 * store treats the bytes as opaque; only this file reads or writes them.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import Graph from "graphology";
import type { SerializedGraph } from "graphology-types";
import type { ParsedEdges } from "../graph/io/edgelist-stream.js";

export function encodeGraph(graph: Graph): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(graph.export()), "utf8"), { level: 6 });
}

/**
 * The stored form of an edge list read straight to typed arrays, written without building a graphology Graph:
 * byte for byte what `encodeGraph` writes for the graph `parseEdgeList` builds of the same file (edge keys
 * "0", "1", … in file order; `weight` only on weighted lists), so every reader of stored networks is unchanged.
 */
export function encodeEdges(parsed: ParsedEdges): Uint8Array {
  const { keys, edges } = parsed;
  const names = keys.toArray();
  const quoted = names.map((name) => JSON.stringify(name));
  const parts: string[] = [`{"options":{"type":"${parsed.directed ? "directed" : "undirected"}","multi":false,"allowSelfLoops":true},"attributes":{},"nodes":[`];
  for (let v = 0; v < quoted.length; v++) parts.push(`${v === 0 ? "" : ","}{"key":${quoted[v]}}`);
  parts.push(`],"edges":[`);
  const { sources, targets, weights, count } = edges;
  for (let e = 0; e < count; e++) {
    const weight = weights === null ? "" : `,"attributes":{"weight":${JSON.stringify(weights[e])}}`;
    parts.push(`${e === 0 ? "" : ","}{"key":"${e}","source":${quoted[sources[e]]},"target":${quoted[targets[e]]}${weight}}`);
  }
  parts.push(`]}`);
  return gzipSync(Buffer.from(parts.join(""), "utf8"), { level: 6 });
}

/** The serialised form, without building a Graph (for `GET /v1/networks/{id}/graph`). */
export function decodeSerialized(bytes: Uint8Array): SerializedGraph {
  return JSON.parse(gunzipSync(bytes).toString("utf8")) as SerializedGraph;
}

export function decodeGraph(bytes: Uint8Array): Graph {
  return Graph.from(decodeSerialized(bytes));
}
