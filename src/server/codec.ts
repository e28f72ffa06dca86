/**
 * How the server stores a network. New networks are written in the compact form of network-blob.ts ("SLNB":
 * typed edge arrays, attributes as JSON only when there are any); networks stored before it, and temporal
 * contact networks (contacts.ts), are graphology's serialised JSON (`graph.export()`) → UTF-8 → gzip. Readers
 * tell the two apart by the first bytes ("SLNB" or gzip's 1f 8b). The store treats the bytes as opaque; only this
 * file and network-blob.ts read or write them.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import Graph from "graphology";
import type { SerializedGraph } from "graphology-types";
import type { CompileOptions, CSR } from "../graph/csr.js";
import type { ParsedEdges } from "../graph/io/parsed-edges.js";
import { blobToCSR, blobToSerialized, encodeEdgesBlob, encodeGraphBlob, isNetworkBlob, readNetworkBlob } from "./network-blob.js";

/** A graph in the compact stored form. */
export function encodeGraph(graph: Graph): Uint8Array {
  return encodeGraphBlob(graph);
}

/** A graph as graphology JSON, gzipped: the form of contact networks and of networks stored before SLNB. */
export function encodeGraphJson(graph: Graph): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(graph.export()), "utf8"), { level: 6 });
}

/**
 * The stored form of an edge list read straight to typed arrays, written without building a graphology Graph:
 * it decodes to the graph `parseEdgeList` builds of the same file (edge keys "0", "1", … in file order; `weight`
 * only on weighted lists).
 */
export function encodeEdges(parsed: ParsedEdges): Uint8Array {
  return encodeEdgesBlob(parsed);
}

/** True when the bytes are the compact form (else: gzipped graphology JSON). */
export const isCompact = isNetworkBlob;

/** The serialised form (for `GET /v1/networks/{id}/graph`). */
export function decodeSerialized(bytes: Uint8Array): SerializedGraph {
  if (isNetworkBlob(bytes)) return blobToSerialized(readNetworkBlob(bytes));
  return JSON.parse(gunzipSync(bytes).toString("utf8")) as SerializedGraph;
}

export function decodeGraph(bytes: Uint8Array): Graph {
  return Graph.from(decodeSerialized(bytes));
}

/**
 * A compact stored network straight to the CSR `compile(decodeGraph(bytes), options)` would give, without the
 * Graph; null for the JSON form (the caller decodes the Graph: it may be a contact network).
 */
export function decodeCompactCSR(bytes: Uint8Array, options: CompileOptions = {}): CSR | null {
  if (!isNetworkBlob(bytes)) return null;
  const blob = readNetworkBlob(bytes);
  // A graph attribute `contacts` marks a contact network (contacts.ts); those are read from their Graph.
  if (blob.meta.attributes?.contacts !== undefined) return null;
  return blobToCSR(blob, options);
}
