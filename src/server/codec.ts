/**
 * How the server stores a network: graphology's serialised JSON (`graph.export()`) → UTF-8 → gzip. The
 * store treats the bytes as opaque; only this file reads or writes them.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import Graph from "graphology";
import type { SerializedGraph } from "graphology-types";

export function encodeGraph(graph: Graph): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(graph.export()), "utf8"), { level: 6 });
}

/** The serialised form, without building a Graph (for `GET /v1/networks/{id}/graph`). */
export function decodeSerialized(bytes: Uint8Array): SerializedGraph {
  return JSON.parse(gunzipSync(bytes).toString("utf8")) as SerializedGraph;
}

export function decodeGraph(bytes: Uint8Array): Graph {
  return Graph.from(decodeSerialized(bytes));
}
