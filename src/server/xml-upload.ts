/**
 * GraphML and GEXF uploads through the streaming XML reader (graph/io/xml-stream.ts): file chunks in, typed edge
 * arrays out, no DOM and no graphology Graph, when the file holds nothing the compact store form would need a
 * Graph for — the reader keeps edge ids, GraphML node `<data>`, GEXF node labels and the GraphML graph id, which
 * is what `GET /v1/networks/{id}/graph` gives back of such a file. Anything else (GEXF viz positions, attvalues,
 * edge attributes other than the weight, `<default>` values, mixed directions, …) and every malformed file go
 * to the DOM reader (graphml.ts, gexf.ts) as before, so what is stored and every error are unchanged.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { hasRepeatedEdge } from "../graph/builder.js";
import type { CSR } from "../graph/csr.js";
import type { ParsedEdges } from "../graph/io/parsed-edges.js";
import { XmlEdgeReader, type XmlFormat } from "../graph/io/xml-stream.js";
import { unnamedEdgeKeys, type BlobMeta, type GraphType } from "./network-blob.js";

const CHUNK = 1 << 20;

/** An XML upload read to typed arrays, with what its stored form holds besides the edges. */
export interface PlainXml extends ParsedEdges {
  stored: { type: GraphType; meta: BlobMeta };
}

export const isPlainXml = (x: object): x is PlainXml => "stored" in x;

/** The file read by the streaming reader, or null: read it with the DOM reader (its errors are the ones to give). */
export function readPlainXml(path: string, format: XmlFormat, options: { directed?: boolean; weight?: boolean; file?: string }): PlainXml | null {
  if (options.weight !== undefined) return null; // the API never asks; the DOM reader applies it to the Graph
  const reader = new XmlEdgeReader(format, { directed: options.directed, file: options.file, lossless: true });
  let parsed: ParsedEdges;
  try {
    const fd = openSync(path, "r");
    try {
      const chunk = Buffer.allocUnsafe(CHUNK);
      for (let got = readSync(fd, chunk, 0, CHUNK, null); got > 0; got = readSync(fd, chunk, 0, CHUNK, null)) reader.push(chunk.subarray(0, got));
    } finally {
      closeSync(fd);
    }
    parsed = reader.end();
  } catch {
    return null;
  }
  const kept = reader.kept();
  if (kept.dropped !== null) return null;
  const meta: BlobMeta = {};
  if (Object.keys(kept.graphAttributes).length > 0) meta.attributes = kept.graphAttributes;
  if (kept.nodeAttributes.some((a) => a !== null)) meta.nodes = kept.nodeAttributes;
  if (kept.edgeIds !== null && !unnamedEdgeKeys(kept.edgeIds)) meta.edgeKeys = kept.edgeIds;
  // graphology-gexf makes a graph with no edges "mixed" (its type is the first edge's).
  const type: GraphType = format === "gexf" && parsed.edges.count === 0 ? "mixed" : parsed.directed ? "directed" : "undirected";
  return { ...parsed, stored: { type, meta } };
}

/** The stored meta, with `multi` when a pair is joined twice (graphology-graphml/-gexf then make a multigraph). */
export function storedMeta(xml: PlainXml, csr: CSR): BlobMeta {
  return hasRepeatedEdge(csr, xml.edges) ? { ...xml.stored.meta, options: { multi: true, allowSelfLoops: true } } : xml.stored.meta;
}
