/**
 * The compact stored form of a network ("SLNB"): the edge list as typed arrays, so that a job decodes a stored
 * network straight into the engines' CSR without a graphology Graph or a JSON parse per edge.
 *
 * Layout (little-endian): a 16-byte head, then gzip of the body.
 *   head  "SLNB" · u8 version (1) · u8 type (0 undirected, 1 directed, 2 mixed) · u8 weights (0 none,
 *         1 Float32, 2 Float64) · u8 flags (1 node keys, 2 meta JSON, 4 per-edge undirected flags) · u32 n · u32 m
 *   body  Int32 sources[m] · Int32 targets[m] · weights[m]? · Uint8 undirected[m]? (mixed graphs) · padding to 4 ·
 *         u32 length + UTF-8 JSON node keys? (only when they are not "0".."n−1") · u32 length + UTF-8 JSON meta?
 *         The numeric columns are byte-shuffled (all first bytes, then all second bytes, …): node indices below
 *         2²⁴ leave whole planes of zeros, and gzip then stores a BA 10⁵ edge list in about 30 % fewer bytes.
 * The meta JSON `{ options?, attributes?, nodes?, edges?, edgeKeys? }` is written only when there is something
 * in it: graphology options other than `multi: false, allowSelfLoops: true`, graph attributes, node attributes,
 * edge attributes other than a numeric `weight` (which has its own column, NaN where an edge has none), or named
 * edge keys. Weights are Float32 when every one is exactly a Float32 (the CSR keeps Float32 anyway), else
 * Float64, so `GET …/graph` gives back the weights as uploaded.
 *
 * Unnamed edge keys are not stored: "0".."m−1" and graphology's generated `geid_<instance>_<i>` (which differ per
 * process, so nothing can depend on them); decoded edges are keyed "0".."m−1".
 *
 * Written here rather than with a serialisation library: the body is three typed arrays and two JSON strings,
 * and the point is to read the arrays back without a parse per edge.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import type Graph from "graphology";
import type { Attributes, SerializedGraph } from "graphology-types";
import { GraphFormatError } from "../errors.js";
import { withLazyKeys } from "../graph/builder.js";
import type { CompileOptions, CSR } from "../graph/csr.js";
import type { ParsedEdges } from "../graph/io/parsed-edges.js";

const MAGIC = [0x53, 0x4c, 0x4e, 0x42]; // "SLNB"
const VERSION = 1;
const HEAD = 16;
const TYPES = ["undirected", "directed", "mixed"] as const;
export type GraphType = (typeof TYPES)[number];
const NODE_KEYS = 1;
const META = 2;
const FLAGS = 4;

/** What a stored network holds besides its edge arrays (each member only when it says something). */
export interface BlobMeta {
  options?: { multi: boolean; allowSelfLoops: boolean };
  attributes?: Attributes;
  nodes?: (Attributes | null)[];
  edges?: (Attributes | null)[];
  edgeKeys?: string[];
}

/** A stored network, read. */
export interface NetworkBlob {
  n: number;
  m: number;
  type: GraphType;
  sources: Int32Array;
  targets: Int32Array;
  /** Edge weights (NaN: the edge has no `weight`), or null. */
  weights: Float32Array | Float64Array | null;
  /** Mixed graphs: 1 where the edge is undirected. */
  undirected: Uint8Array | null;
  /** Node keys, or null when they are "0".."n−1". */
  nodeKeys: string[] | null;
  meta: BlobMeta;
}

/** The content of a blob, before encoding. */
interface BlobParts extends Omit<NetworkBlob, "meta" | "weights"> {
  weights: ArrayLike<number> | null;
  meta: BlobMeta;
}

export function isNetworkBlob(bytes: Uint8Array): boolean {
  return bytes.byteLength >= HEAD && MAGIC.every((b, i) => bytes[i] === b);
}

const GENERATED_KEY = /^geid_\d+_\d+$/;

/** True when the keys carry no information: "0".."m−1" or graphology's generated keys. */
export function unnamedEdgeKeys(keys: string[]): boolean {
  let numbered = true;
  let generated = true;
  for (let e = 0; e < keys.length && (numbered || generated); e++) {
    if (numbered && keys[e] !== String(e)) numbered = false;
    if (generated && !GENERATED_KEY.test(keys[e])) generated = false;
  }
  return numbered || generated;
}

function isEmpty(o: Attributes | undefined): boolean {
  for (const _ in o) return false;
  return true;
}

function encodeParts(p: BlobParts): Uint8Array {
  const { n, m } = p;
  let weightKind = 0;
  if (p.weights !== null) {
    weightKind = 1;
    for (let e = 0; e < m; e++) {
      const w = p.weights[e];
      if (Math.fround(w) !== w && !Number.isNaN(w)) {
        weightKind = 2;
        break;
      }
    }
  }
  const keysJson = p.nodeKeys === null ? null : Buffer.from(JSON.stringify(p.nodeKeys), "utf8");
  const metaJson = isEmpty(p.meta as Attributes) ? null : Buffer.from(JSON.stringify(p.meta), "utf8");
  const weightBytes = weightKind === 0 ? 0 : weightKind === 1 ? 4 * m : 8 * m;
  let size = 8 * m + weightBytes + (p.undirected !== null ? m : 0);
  size = (size + 3) & ~3;
  size += (keysJson ? 4 + keysJson.byteLength : 0) + (metaJson ? 4 + metaJson.byteLength : 0);
  const body = Buffer.alloc(size);
  let at = 0;
  const put = (a: Int32Array | Float32Array | Float64Array | Uint8Array): void => {
    const width = a.BYTES_PER_ELEMENT;
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const length = a.length;
    for (let j = 0; j < width; j++) {
      const plane = at + j * length;
      for (let i = 0; i < length; i++) body[plane + i] = bytes[i * width + j];
    }
    at += a.byteLength;
  };
  put(p.sources.subarray(0, m));
  put(p.targets.subarray(0, m));
  if (weightKind !== 0) put(weightKind === 1 ? Float32Array.from(p.weights!) : Float64Array.from(p.weights!));
  if (p.undirected !== null) put(p.undirected.subarray(0, m));
  at = (at + 3) & ~3;
  for (const json of [keysJson, metaJson]) {
    if (json === null) continue;
    body.writeUInt32LE(json.byteLength, at);
    body.set(json, at + 4);
    at += 4 + json.byteLength;
  }
  const head = Buffer.alloc(HEAD);
  head.set(MAGIC, 0);
  head[4] = VERSION;
  head[5] = TYPES.indexOf(p.type);
  head[6] = weightKind;
  head[7] = (keysJson ? NODE_KEYS : 0) | (metaJson ? META : 0) | (p.undirected !== null ? FLAGS : 0);
  head.writeUInt32LE(n, 8);
  head.writeUInt32LE(m, 12);
  return Buffer.concat([head, gzipSync(body, { level: 6 })]);
}

/** The compact form of a graphology graph. */
export function encodeGraphBlob(graph: Graph): Uint8Array {
  const n = graph.order;
  const m = graph.size;
  const nodeKeys: string[] = new Array(n);
  const index = new Map<string, number>();
  let numbered = true;
  const nodeAttributes: (Attributes | null)[] = new Array(n);
  let anyNode = false;
  let v = 0;
  graph.forEachNode((key, attributes) => {
    if (numbered && key !== String(v)) numbered = false;
    nodeKeys[v] = key;
    index.set(key, v);
    const empty = isEmpty(attributes);
    nodeAttributes[v++] = empty ? null : attributes;
    if (!empty) anyNode = true;
  });
  const sources = new Int32Array(m);
  const targets = new Int32Array(m);
  const undirected = graph.type === "mixed" ? new Uint8Array(m) : null;
  const edgeKeys: string[] = new Array(m);
  const raw: unknown[] = new Array(m);
  let columnar = true; // every `weight` a finite number or absent
  let anyWeight = false;
  let e = 0;
  graph.forEachEdge((key, attributes, source, target, _sa, _ta, isUndirected) => {
    sources[e] = index.get(source)!;
    targets[e] = index.get(target)!;
    if (undirected !== null && isUndirected) undirected[e] = 1;
    edgeKeys[e] = key;
    const w = attributes.weight;
    raw[e] = attributes;
    if (w !== undefined) {
      anyWeight = true;
      if (typeof w !== "number" || !Number.isFinite(w)) columnar = false;
    }
    e++;
  });
  const weights = anyWeight && columnar ? new Float64Array(m).fill(Number.NaN) : null;
  const edgeAttributes: (Attributes | null)[] = new Array(m);
  let anyEdge = false;
  for (e = 0; e < m; e++) {
    let attributes = raw[e] as Attributes;
    if (weights !== null && attributes.weight !== undefined) {
      weights[e] = attributes.weight as number;
      const { weight: _weight, ...rest } = attributes;
      attributes = rest;
    }
    const empty = isEmpty(attributes);
    edgeAttributes[e] = empty ? null : attributes;
    if (!empty) anyEdge = true;
  }
  const meta: BlobMeta = {};
  if (graph.multi || !graph.allowSelfLoops) meta.options = { multi: graph.multi, allowSelfLoops: graph.allowSelfLoops };
  if (!isEmpty(graph.getAttributes())) meta.attributes = graph.getAttributes();
  if (anyNode) meta.nodes = nodeAttributes;
  if (anyEdge) meta.edges = edgeAttributes;
  if (!unnamedEdgeKeys(edgeKeys)) meta.edgeKeys = edgeKeys;
  // JSON.stringify drops undefined members and writes NaN as null, as graph.export() + JSON did.
  return encodeParts({ n, m, type: graph.type as GraphType, sources, targets, weights, undirected, nodeKeys: numbered ? null : nodeKeys, meta });
}

/**
 * The compact form of an edge list read to typed arrays (CSV/TSV, or a plain GraphML/GEXF file): the network
 * `encodeGraphBlob` writes for the graph the line-by-line reader builds of the same file.
 */
export function encodeEdgesBlob(parsed: ParsedEdges, meta: BlobMeta = {}, type: GraphType = parsed.directed ? "directed" : "undirected"): Uint8Array {
  const { n, edges } = parsed;
  const names = parsed.keys.toArray();
  let numbered = true;
  for (let v = 0; v < n && numbered; v++) if (names[v] !== String(v)) numbered = false;
  return encodeParts({
    n,
    m: edges.count,
    type,
    sources: edges.sources,
    targets: edges.targets,
    weights: edges.weights === null ? null : edges.weights.subarray(0, edges.count),
    undirected: null,
    nodeKeys: numbered ? null : names,
    meta,
  });
}

/** Read a blob (throws on a damaged or newer one). */
export function readNetworkBlob(bytes: Uint8Array): NetworkBlob {
  if (!isNetworkBlob(bytes)) throw new Error("network store: not an SLNB network blob");
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, HEAD);
  if (head[4] !== VERSION) throw new Error(`network store: network blob version ${head[4]} is unknown to this version; expected ${VERSION}`);
  const type = TYPES[head[5]];
  const weightKind = head[6];
  const flags = head[7];
  const n = head.readUInt32LE(8);
  const m = head.readUInt32LE(12);
  const body = gunzipSync(bytes.subarray(HEAD));
  let at = 0;
  // The columns are unshuffled into fresh arrays (one pass; the engines' CSR is built from them next).
  const take = <T extends Int32Array | Float32Array | Float64Array | Uint8Array>(Kind: { new (length: number): T; BYTES_PER_ELEMENT: number }, length: number): T => {
    const out = new Kind(length);
    const width = Kind.BYTES_PER_ELEMENT;
    const bytes = new Uint8Array(out.buffer);
    for (let j = 0; j < width; j++) {
      const plane = at + j * length;
      for (let i = 0; i < length; i++) bytes[i * width + j] = body[plane + i];
    }
    at += length * width;
    return out;
  };
  const sources = take(Int32Array, m);
  const targets = take(Int32Array, m);
  const weights = weightKind === 1 ? take(Float32Array, m) : weightKind === 2 ? take(Float64Array, m) : null;
  const undirected = flags & FLAGS ? take(Uint8Array, m) : null;
  at = (at + 3) & ~3;
  const json = (): unknown => {
    const length = body.readUInt32LE(at);
    const text = body.toString("utf8", at + 4, at + 4 + length);
    at += 4 + length;
    return JSON.parse(text);
  };
  const nodeKeys = flags & NODE_KEYS ? (json() as string[]) : null;
  const meta = flags & META ? (json() as BlobMeta) : {};
  return { n, m, type, sources, targets, weights, undirected, nodeKeys, meta };
}

const edgeKey = (blob: NetworkBlob, e: number): string => blob.meta.edgeKeys?.[e] ?? String(e);

/** The graphology export of a stored network (`graph.export()` of the graph it was written from). */
export function blobToSerialized(blob: NetworkBlob): SerializedGraph {
  const { n, m, sources, targets, weights, undirected, meta } = blob;
  const keys = blob.nodeKeys ?? Array.from({ length: n }, (_, v) => String(v));
  const nodes: SerializedGraph["nodes"] = new Array(n);
  for (let v = 0; v < n; v++) {
    const attributes = meta.nodes?.[v];
    nodes[v] = attributes ? { key: keys[v], attributes } : { key: keys[v] };
  }
  const edges: SerializedGraph["edges"] = new Array(m);
  for (let e = 0; e < m; e++) {
    const edge: SerializedGraph["edges"][number] = { key: edgeKey(blob, e), source: keys[sources[e]], target: keys[targets[e]] };
    const w = weights === null ? Number.NaN : weights[e];
    const rest = meta.edges?.[e];
    if (!Number.isNaN(w) || rest) edge.attributes = Number.isNaN(w) ? { ...rest } : { weight: w, ...rest };
    if (undirected !== null && undirected[e] === 1) edge.undirected = true;
    edges[e] = edge;
  }
  const options = { type: blob.type, multi: meta.options?.multi ?? false, allowSelfLoops: meta.options?.allowSelfLoops ?? true };
  return { options, attributes: meta.attributes ?? {}, nodes, edges };
}

/**
 * Per-edge values of edge attribute `name`, checked as `compile` checks them (self-loops, which have no arc,
 * are not): as the weight, a missing value is 1; as an arc attribute, 0.
 */
function edgeValues(blob: NetworkBlob, name: string, asWeight: boolean): Float64Array {
  const { m, weights, meta, sources, targets } = blob;
  const out = new Float64Array(m);
  const column = name === "weight" ? weights : null;
  for (let e = 0; e < m; e++) {
    if (sources[e] === targets[e]) continue;
    let x: number;
    if (column !== null) x = column[e];
    else {
      const raw = meta.edges?.[e]?.[name];
      if (asWeight) {
        if (raw !== undefined && typeof raw !== "number") {
          throw new GraphFormatError(`compile: edge "${edgeKey(blob, e)}" has a non-numeric "${name}" (${JSON.stringify(raw)}); expected a finite number ≥ 0.`);
        }
        x = raw === undefined ? Number.NaN : raw;
      } else {
        x = raw === undefined || raw === false ? 0 : raw === true ? 1 : Number(raw);
        if (!Number.isFinite(x)) throw new GraphFormatError(`compile: edge "${edgeKey(blob, e)}" has "${name}" = ${JSON.stringify(raw)}; expected a number or true/false.`);
      }
    }
    if (asWeight) {
      if (Number.isNaN(x)) x = 1; // no weight: 1, as compile reads it
      else if (!Number.isFinite(x) || x < 0) throw new GraphFormatError(`compile: edge "${edgeKey(blob, e)}" has "${name}" = ${x}; expected a finite number ≥ 0.`);
    } else if (Number.isNaN(x)) x = 0;
    out[e] = x;
  }
  return out;
}

/**
 * The CSR of a stored network: exactly what `compile(graph, options)` gives for the graph it was written from
 * (nodes in order, each edge an arc s→t, plus t→s when undirected, self-loops dropped, arcs of a node in edge
 * order), with the same errors for bad weights and arc attributes.
 */
export function blobToCSR(blob: NetworkBlob, options: CompileOptions = {}): CSR {
  const { n, m: edgeCount, sources, targets: ends, undirected } = blob;
  const shared = options.shared ?? false;
  const allUndirected = blob.type === "undirected";
  const both = (e: number): boolean => allUndirected || (undirected !== null && undirected[e] === 1);
  const int32 = (length: number): Int32Array => (shared ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length));
  const float32 = (length: number): Float32Array => (shared ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float32Array(length));
  const offsets = int32(n + 1);
  for (let e = 0; e < edgeCount; e++) {
    const s = sources[e];
    const t = ends[e];
    if (s === t) continue;
    offsets[s + 1]++;
    if (both(e)) offsets[t + 1]++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const m = offsets[n];
  const weightName = options.weight ?? null;
  const columns: [Float64Array, Float32Array][] = [];
  const weights = weightName === null ? null : float32(m);
  if (weights !== null) columns.push([edgeValues(blob, weightName!, true), weights]);
  const arcNames = options.arcAttributes ?? [];
  const arcData: Record<string, Float32Array> = {};
  for (const name of arcNames) columns.push([edgeValues(blob, name, false), (arcData[name] = float32(m))]);
  const targets = int32(m);
  const fill = new Int32Array(n);
  fill.set(offsets.subarray(0, n));
  for (let e = 0; e < edgeCount; e++) {
    const s = sources[e];
    const t = ends[e];
    if (s === t) continue;
    let a = fill[s]++;
    targets[a] = t;
    for (let c = 0; c < columns.length; c++) columns[c][1][a] = columns[c][0][e];
    if (both(e)) {
      a = fill[t]++;
      targets[a] = s;
      for (let c = 0; c < columns.length; c++) columns[c][1][a] = columns[c][0][e];
    }
  }
  const keys = blob.nodeKeys;
  const csr = withLazyKeys({ n, m, directed: blob.type !== "undirected", offsets, targets, weights }, () => keys ?? Array.from({ length: n }, (_, v) => String(v)));
  return arcNames.length > 0 ? Object.assign(csr, { arcData }) : csr;
}
