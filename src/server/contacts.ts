/**
 * Temporal contact networks over HTTP (issue 14): `POST /v1/networks?contacts=events|intervals|snapshots` takes a
 * contact file (graph/temporal.ts `parseContacts`: t,i,j events with `resolution`, i,j,start,end intervals, or
 * t,i,j snapshots with `until`; `period` for all), and a run uses it by `networkId` like any stored network.
 *
 * Stored as graphology JSON (codec.ts `encodeGraphJson`, the form of networks stored before the compact one): the aggregated static graph (one edge per
 * pair ever in contact, so `GET …/graph`, the layout and the degree statistics work unchanged), each edge with its
 * merged windows `[start, end, start, end, …]` (an end of ∞ as null: JSON has no Infinity) and the graph attribute
 * `contacts: { period }`. Nodes and edges are written in the order of the parsed network, so the network rebuilt
 * for a run has the same node indices, pairs and arcs as the file read by the CLI: same seed, same result.
 */
import { readFileSync } from "node:fs";
import Graph from "graphology";
import { temporalNetwork, type ContactWindow, type TemporalCSR } from "../graph/temporal.js";
import { parseContacts, type ContactFormat } from "../graph/temporal-files.js";
import { degreeStats } from "../graph/stats.js";
import { encodeGraphJson } from "./codec.js";
import { checkGraphSize, type SizeLimits } from "./limits.js";
import type { BuiltNetwork } from "./network-build.js";

/** How an uploaded contact file reads (the query of `POST /v1/networks`). */
export interface ContactUpload {
  format: ContactFormat;
  resolution?: number;
  period?: number;
  until?: number;
}

/** Parse an uploaded contact file (errors: GraphFormatError with the line, named "upload") and encode it for the store. */
export function buildContacts(path: string, contacts: ContactUpload, limits: SizeLimits): BuiltNetwork {
  const net = parseContacts(readFileSync(path, "utf8"), { ...contacts, file: "upload" });
  const pairs = net.temporal.pairs;
  checkGraphSize(net.n, pairs, limits, "(body)");
  return { n: net.n, m: pairs, directed: false, stats: degreeStats(net), bytes: encodeGraphJson(contactsGraph(net)) };
}

/** The stored form: the aggregated graph, each edge with its windows (pairs in order). */
export function contactsGraph(net: TemporalCSR): Graph {
  const w = net.temporal;
  const graph = new Graph({ type: "undirected", multi: false });
  graph.setAttribute("contacts", { period: w.period });
  for (const id of net.nodeIds) graph.addNode(id);
  // Pair p joins its two nodes; find them from the arcs (each pair has two arcs, its lower node's first).
  const ends = new Int32Array(2 * w.pairs).fill(-1);
  for (let v = 0; v < net.n; v++) {
    for (let a = net.offsets[v]; a < net.offsets[v + 1]; a++) {
      const p = w.arcPair[a];
      if (ends[2 * p] < 0) {
        ends[2 * p] = Math.min(v, net.targets[a]);
        ends[2 * p + 1] = Math.max(v, net.targets[a]);
      }
    }
  }
  for (let p = 0; p < w.pairs; p++) {
    const windows: Array<number | null> = [];
    for (let q = w.pairOffsets[p]; q < w.pairOffsets[p + 1]; q++) windows.push(w.start[q], Number.isFinite(w.end[q]) ? w.end[q] : null);
    graph.addEdge(net.nodeIds[ends[2 * p]], net.nodeIds[ends[2 * p + 1]], { windows });
  }
  return graph;
}

/** A stored contact network again (null: the stored network is a plain one). */
export function temporalFromGraph(graph: Graph): TemporalCSR | null {
  const meta = graph.getAttribute("contacts") as { period: number | null } | undefined;
  if (meta === undefined) return null;
  const contacts: ContactWindow[] = [];
  graph.forEachEdge((_edge, attributes, i, j) => {
    const windows = attributes.windows as Array<number | null>;
    for (let k = 0; k < windows.length; k += 2) contacts.push({ i, j, start: windows[k] as number, end: windows[k + 1] ?? Infinity });
  });
  return temporalNetwork(contacts, { nodes: graph.nodes(), where: "stored contact network", ...(meta.period !== null ? { period: meta.period } : {}) });
}
