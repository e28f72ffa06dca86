/**
 * The heavy half of `/v1/networks`, as plain functions of plain data so that they run in a worker thread
 * (network-worker.ts, pooled by network-tasks.ts) and never on the server's event loop: read an uploaded
 * file, generate a network, check its size, compute its degree statistics, encode it for the store; and, for
 * `GET /v1/networks/{id}/graph`, decode a stored network, give it a layout and gzip the JSON answer; and
 * parse and check a large `POST /v1/runs` body.
 *
 * Network files are parsed by one function, `parseNetworkFile(path, format, options)`: CSV/TSV edge lists, and
 * Arrow (Feather) and Parquet edge tables, go through the CLI's readers straight to typed arrays (graph/load.ts `readEdgesSync`, the CLI's and the
 * scenario loader's reader, same errors and lines) and are stored without ever becoming a graphology Graph, as
 * are GraphML and GEXF files whose attributes the streaming XML reader keeps (xml-upload.ts); other GEXF and
 * GraphML files and JSON uploads become a Graph. Every network is stored in the compact form (network-blob.ts).
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type Graph from "graphology";
import { GraphFormatError } from "../errors.js";
import { buildCSR } from "../graph/builder.js";
import { compile, type CompileOptions, type CSR } from "../graph/csr.js";
import type { ParsedEdges } from "../graph/io/parsed-edges.js";
import { readEdgesSync, type LoadFormat } from "../graph/load.js";
import { degreeStats, type DegreeStats } from "../graph/stats.js";
import { generateCSR, generateGraph, type GeneratorSpec } from "../graph/generators/index.js";
import { parseNetwork, type NetworkFormat, type ParseNetworkOptions } from "../graph/io/index.js";
import { decodeCompactCSR, decodeGraph, decodeSerialized, encodeEdges, encodeGraph } from "./codec.js";
import { withCircularLayout } from "./layout.js";
import { checkGraphSize, type SizeLimits } from "./limits.js";
import { HttpProblem } from "./problems.js";
import { buildContacts, temporalFromGraph, type ContactUpload } from "./contacts.js";
import { validateRunText, type ValidatedRun } from "./prepare.js";
import { encodeEdgesBlob } from "./network-blob.js";
import { isPlainXml, readPlainXml, storedMeta } from "./xml-upload.js";

/** What the store needs of a built network. */
export interface BuiltNetwork {
  n: number;
  m: number;
  directed: boolean;
  stats: DegreeStats;
  /** The network as the store keeps it (codec.ts). */
  bytes: Uint8Array;
}

export type NetworkTask =
  | { kind: "generate"; generate: Record<string, unknown>; seed: number; limits: SizeLimits }
  | {
      kind: "upload";
      /** A temporary file holding the request body (upload.ts). */
      path: string;
      format: LoadFormat;
      /**
       * The body came as application/json without ?format=: it may be a generator request (`{ generate }`),
       * answered as `{ request }` for the route to validate, rather than a graphology export.
       */
      maybeRequest: boolean;
      directed?: boolean;
      /** A temporal contact file (contacts.ts), not an edge list. */
      contacts?: ContactUpload;
      limits: SizeLimits;
    }
  | { kind: "graph"; bytes: Uint8Array }
  /**
   * A job's network, compiled for the engines: generated, or a stored one decoded. Answered as a CSR on
   * SharedArrayBuffers (free to pass back, and shared as is with the ensemble pool), without its index map.
   */
  | { kind: "csr"; generate?: Record<string, unknown>; seed?: number; bytes?: Uint8Array; compile?: CompileOptions }
  /** Validate a large `POST /v1/runs` body (prepare.ts `validateRunText`): a YAML parse with positions. */
  | { kind: "run"; text: string; type: "json" | "yaml"; networkId?: string; limits: SizeLimits };

export type NetworkTaskResult = { built: BuiltNetwork } | { request: unknown } | { gzip: Uint8Array } | { run: ValidatedRun } | { csr: PortableCSR };

/** A CSR as it crosses a thread boundary: the index map is rebuilt on arrival (`fromPortable`). */
export type PortableCSR = Omit<CSR, "index">;

function share<T extends Int32Array | Float32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

function toPortable(csr: CSR): PortableCSR {
  const { index: _index, ...rest } = csr;
  const arcData = rest.arcData ? Object.fromEntries(Object.entries(rest.arcData).map(([k, v]) => [k, share(v)])) : undefined;
  return { ...rest, offsets: share(csr.offsets), targets: share(csr.targets), weights: csr.weights ? share(csr.weights) : null, ...(arcData ? { arcData } : {}) };
}

export function fromPortable(p: PortableCSR): CSR {
  const index = new Map<string, number>();
  for (let i = 0; i < p.nodeIds.length; i++) index.set(p.nodeIds[i], i);
  return { ...p, index };
}

/**
 * Parse a network file: edge lists to typed arrays (no graphology), the other formats to a graphology Graph.
 * Errors name `options.file` (the temporary file's path never reaches the client).
 */
export function parseNetworkFile(path: string, format: LoadFormat, options: ParseNetworkOptions = {}): Graph | ParsedEdges {
  if (format === "graphml" || format === "gexf") return readPlainXml(path, format, options) ?? parseNetwork(readFileSync(path, "utf8"), format, options);
  // graphology JSON stays with graphology's own reader (Graph.from): its edges are JSON objects anyway, and the
  // reader's shape checks name the entry at fault. The Graph is stored compact all the same.
  if (format === "json") return parseNetwork(readFileSync(path, "utf8"), format, options);
  // Edge lists, Arrow (Feather) and Parquet tables: the CLI's readers, straight to typed arrays.
  try {
    return readEdgesSync(path, { format, directed: options.directed, delimiter: options.delimiter, weightColumn: options.weight })!;
  } catch (error) {
    if (!(error instanceof GraphFormatError) || error.file !== path) throw error;
    const prefix = `${path}${error.line !== undefined ? `:${error.line}` : ""}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    throw new GraphFormatError(message, { file: options.file, line: error.line }, { cause: error.cause });
  }
}

const isParsed = (x: Graph | ParsedEdges): x is ParsedEdges => "edges" in x && "keys" in x && (x as ParsedEdges).edges.sources instanceof Int32Array;

/** Size check, CSR, degree statistics and the stored bytes of a graph or of an edge list read to typed arrays. */
export function describeNetwork(network: Graph | ParsedEdges, limits: SizeLimits): BuiltNetwork {
  if (isParsed(network)) {
    checkGraphSize(network.n, network.edges.count, limits, "(body)");
    const csr = buildCSR(network.n, network.edges, network.keys, { directed: network.directed, weighted: false });
    const bytes = isPlainXml(network) ? encodeEdgesBlob(network, storedMeta(network, csr), network.stored.type) : encodeEdges(network);
    return { n: network.n, m: network.edges.count, directed: csr.directed, stats: degreeStats(csr), bytes };
  }
  const graph = network;
  checkGraphSize(graph.order, graph.size, limits, "(body)");
  const csr = compile(graph);
  return { n: graph.order, m: graph.size, directed: csr.directed, stats: degreeStats(csr), bytes: encodeGraph(graph) };
}

function uploaded(task: Extract<NetworkTask, { kind: "upload" }>): NetworkTaskResult {
  if (task.contacts !== undefined) return { built: buildContacts(task.path, task.contacts, task.limits) };
  const options: ParseNetworkOptions = { file: "upload", ...(task.directed !== undefined ? { directed: task.directed } : {}) };
  if (task.maybeRequest) {
    const text = readFileSync(task.path, "utf8");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new HttpProblem(400, "malformed-json", "The body is not valid JSON", `the body is not valid JSON: ${(error as Error).message}.`);
    }
    if (typeof body === "object" && body !== null && !Array.isArray(body) && "generate" in body) return { request: body };
    return { built: describeNetwork(parseNetwork(text, "json", options), task.limits) };
  }
  return { built: describeNetwork(parseNetworkFile(task.path, task.format, options), task.limits) };
}

/**
 * A stored network for the engines: a compact one straight to its CSR (no Graph), one stored as graphology JSON
 * (older rows, contact networks) through its Graph, as before.
 */
export function decodeStored(bytes: Uint8Array, options: CompileOptions): CSR {
  const csr = decodeCompactCSR(bytes, options);
  if (csr !== null) return csr;
  const graph = decodeGraph(bytes);
  return temporalFromGraph(graph) ?? compile(graph, options);
}

/** Run one task (in the worker, or in this thread when no worker is available). */
export function runNetworkTask(task: NetworkTask): NetworkTaskResult {
  switch (task.kind) {
    case "generate":
      // The route validated the request and checked its expected size; the built graph is checked again.
      return { built: describeNetwork(generateGraph(task.generate as GeneratorSpec, task.seed) as unknown as Graph, task.limits) };
    case "upload":
      return uploaded(task);
    case "csr": {
      if (task.generate) return { csr: toPortable(generateCSR(task.generate as GeneratorSpec, task.seed ?? 0)) };
      return { csr: toPortable(decodeStored(task.bytes!, { ...task.compile, shared: true })) };
    }
    case "run":
      return { run: validateRunText(task.text, task.type, task.networkId, task.limits) };
    case "graph":
      return { gzip: gzipSync(Buffer.from(JSON.stringify(withCircularLayout(decodeSerialized(task.bytes))), "utf8"), { level: 1 }) };
  }
}

/** An error as data (errors crossing a worker boundary lose their name and fields). */
export interface TaskFailure {
  failure: { name: string; message: string; fields: Record<string, unknown> };
}

const FIELDS = ["status", "slug", "title", "errors", "headers", "line", "file", "path", "issues", "networkId"] as const;

export function toFailure(error: unknown): TaskFailure {
  const e = (error instanceof Error ? error : new Error(String(error))) as Error & Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of FIELDS) if (e[key] !== undefined) fields[key] = structuredClone(e[key]);
  return { failure: { name: e.name, message: e.message, fields } };
}

/** The error again, with its name and the fields the problem+json mapping reads (problems.ts). */
export function fromFailure({ failure }: TaskFailure): Error {
  const { name, message, fields } = failure;
  if (name === "HttpProblem") {
    const f = fields as { status: number; slug: string; title: string; errors?: []; headers?: Record<string, string> };
    const problem = new HttpProblem(f.status, f.slug, f.title, message, { errors: f.errors, headers: f.headers });
    if (fields.networkId !== undefined) Object.assign(problem, { networkId: fields.networkId });
    return problem;
  }
  const error = new Error(message) as Error & Record<string, unknown>;
  error.name = name;
  Object.assign(error, fields);
  return error;
}

export const isFailure = (x: unknown): x is TaskFailure => typeof x === "object" && x !== null && "failure" in x;
