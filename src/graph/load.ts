/**
 * Network files straight to the engine's CSR. Edge lists (CSV/TSV/whitespace) are streamed in 4 MiB chunks
 * through the byte reader, GraphML and GEXF through the streaming XML reader (io/xml-stream.ts; `.gz` too for
 * both); Arrow IPC / Feather and Parquet edge tables are read column by column; only graphology JSON still
 * goes through graphology and is compiled once. A graphology Graph of an edge list is built only when asked (`toGraph`).
 *
 * `.gz` is recognised by the name: `edges.csv.gz` is a gzip-compressed CSV.
 */
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { createGunzip, gunzipSync } from "node:zlib";
import Graph from "graphology";
import { GraphFormatError } from "../errors.js";
import { buildCSR, EdgeBuilder, hasRepeatedEdge, perArc } from "./builder.js";
import { NodeKeys } from "./node-keys.js";
import { compile, type CSR } from "./csr.js";
import { parseArrowEdges } from "./io/arrow.js";
import { parseParquetEdges } from "./io/parquet.js";
import { arrowFileToCSR } from "./io/arrow-csr.js";
import type { Delimiter } from "./io/csv.js";
import { EdgeListParser, LoneCarriageReturn } from "./io/edgelist-stream.js";
import type { ParsedEdges } from "./io/parsed-edges.js";
import { XmlEdgeReader } from "./io/xml-stream.js";
import { NETWORK_FORMATS, formatFromPath, parseNetwork, readNetwork, readNetworkSync, type NetworkFormat } from "./io/index.js";

/**
 * Every format `loadNetworkFile` reads: the graphology formats, `arrow` (Arrow IPC / Feather edge tables) and
 * `parquet` (Parquet edge tables).
 */
export type LoadFormat = NetworkFormat | "arrow" | "parquet";

export const LOAD_FORMATS: readonly LoadFormat[] = [...NETWORK_FORMATS, "arrow", "parquet"];

const ARROW_EXTENSIONS = new Set([".arrow", ".feather", ".ipc"]);
const PARQUET_EXTENSIONS = new Set([".parquet", ".pq"]);

/** The columnar edge tables: read whole from bytes, column by column. */
const isTable = (format: LoadFormat): format is "arrow" | "parquet" => format === "arrow" || format === "parquet";

export interface LoadNetworkOptions {
  /** Format; default from the extension (after a `.gz`). */
  format?: LoadFormat;
  /** Edge lists and Arrow tables: read as directed. GEXF/GraphML/JSON: require that direction. */
  directed?: boolean;
  /** Edge-list field separator (default: detected). */
  delimiter?: Delimiter;
  /** The weight column: true requires it, false ignores it; default read when present. */
  weightColumn?: boolean;
  /**
   * Edge attribute compiled as the per-arc weight (as `compile`'s `weight`). An edge list's or Arrow table's
   * weight column is the attribute `weight`; another name, which those files cannot hold, gives weight 1 on
   * every arc. Default: unweighted.
   */
  weight?: string | null;
  /** Edge attributes kept per arc (as `compile`'s `arcAttributes`; edge lists and Arrow tables have none: 0). */
  arcAttributes?: string[];
  /** SharedArrayBuffers, for the worker pool. */
  shared?: boolean;
}

/** The format of `path` by extension; `.gz` is looked through. */
export function loadFormatFromPath(path: string): { format: LoadFormat; gzip: boolean } {
  const gzip = extname(path).toLowerCase() === ".gz";
  const inner = gzip ? path.slice(0, -3) : path;
  if (ARROW_EXTENSIONS.has(extname(inner).toLowerCase())) return { format: "arrow", gzip };
  if (PARQUET_EXTENSIONS.has(extname(inner).toLowerCase())) return { format: "parquet", gzip };
  try {
    return { format: formatFromPath(inner), gzip };
  } catch (error) {
    if (!(error instanceof GraphFormatError)) throw error;
    const ext = extname(inner).toLowerCase();
    throw new GraphFormatError(
      `cannot tell the network format from ${ext === "" ? "a name without an extension" : `the extension "${ext}"`}; ` +
        `use .csv .txt .edges .edgelist .el .tsv .tab .gexf .graphml .json, ${[...ARROW_EXTENSIONS].join(" ")} for Arrow ` +
        `edge tables, ${[...PARQUET_EXTENSIONS].join(" ")} for Parquet edge tables (any of them may end in .gz), or give the format (${LOAD_FORMATS.join(", ")})`,
      { file: path },
    );
  }
}

function resolveFormat(path: string, options: LoadNetworkOptions): { format: LoadFormat; gzip: boolean } {
  const gzip = extname(path).toLowerCase() === ".gz";
  const format = options.format ?? loadFormatFromPath(path).format;
  if (!(LOAD_FORMATS as readonly string[]).includes(format)) {
    throw new GraphFormatError(`unknown network format "${String(format)}"; expected one of ${LOAD_FORMATS.join(", ")}`, { file: path });
  }
  return { format, gzip };
}

const CHUNK = 4 << 20;

function readFailure(error: unknown, path: string): GraphFormatError {
  if (error instanceof GraphFormatError) return error;
  const code = (error as { code?: string }).code;
  const hint =
    code === "ENOENT"
      ? "no such file: check the path (relative paths are resolved from the working directory)"
      : code === "EISDIR"
        ? "it is a folder, not a file"
        : code === "Z_DATA_ERROR" || code === "Z_BUF_ERROR"
          ? "it is not valid gzip data (or is truncated)"
          : error instanceof Error
            ? error.message
            : String(error);
  return new GraphFormatError(`cannot read the network file: ${hint}`, { file: path }, { cause: error });
}

/** Bytes per line assumed when sizing the edge arrays from the file size (`12345,67890` is 12). */
const BYTES_PER_EDGE = 12;

function edgeListParser(path: string, format: LoadFormat, options: LoadNetworkOptions, bytes: number): EdgeListParser {
  const delimiter = options.delimiter ?? (format === "tsv" ? "\t" : undefined);
  const capacity = Math.ceil(bytes / BYTES_PER_EDGE);
  return new EdgeListParser({ directed: options.directed, delimiter, weight: options.weightColumn, file: path, capacity });
}

/**
 * Read an edge list or Arrow table into typed arrays (no graphology), synchronously. Null for the
 * graphology formats (GEXF, GraphML, JSON).
 */
export function readEdgesSync(path: string, options: LoadNetworkOptions = {}): ParsedEdges | null {
  return checked(parseEdgesSync(path, options));
}

/** `readEdgesSync`, streaming (and inflating `.gz`) without blocking the event loop. */
export async function readEdges(path: string, options: LoadNetworkOptions = {}): Promise<ParsedEdges | null> {
  return checked(await parseEdges(path, options));
}

function checked(parsed: ParsedEdges | null): ParsedEdges | null {
  const error = parsed?.repeatError() ?? null;
  if (error !== null) throw error;
  return parsed;
}

/** Parse without the repeated-edge check (the CSR builder screens for repeats more cheaply). */
function parseEdgesSync(path: string, options: LoadNetworkOptions): ParsedEdges | null {
  const { format, gzip } = resolveFormat(path, options);
  if (format !== "csv" && format !== "tsv" && !isTable(format)) return null;
  try {
    if (isTable(format)) {
      const bytes = gzip ? gunzipSync(readFileSync(path)) : readFileSync(path);
      const read = format === "arrow" ? parseArrowEdges : parseParquetEdges;
      return read(bytes, { directed: options.directed, weight: options.weightColumn, file: path });
    }
    if (gzip) {
      // zlib has no synchronous streaming API: inflate whole, then feed the parser in chunks.
      const text = gunzipSync(readFileSync(path));
      const parser = edgeListParser(path, format, options, text.length);
      for (let p = 0; p < text.length; p += CHUNK) parser.push(text.subarray(p, Math.min(text.length, p + CHUNK)));
      return parser.end();
    }
    const fd = openSync(path, "r");
    const parser = edgeListParser(path, format, options, fstatSync(fd).size);
    try {
      const chunk = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const got = readSync(fd, chunk, 0, CHUNK, null);
        if (got === 0) break;
        parser.push(chunk.subarray(0, got));
      }
    } finally {
      closeSync(fd);
    }
    return parser.end();
  } catch (error) {
    if (error instanceof LoneCarriageReturn) return reparse(path, format, gzip, options);
    throw readFailure(error, path);
  }
}

async function parseEdges(path: string, options: LoadNetworkOptions): Promise<ParsedEdges | null> {
  const { format, gzip } = resolveFormat(path, options);
  if (isTable(format)) return parseEdgesSync(path, options);
  if (format !== "csv" && format !== "tsv") return null;
  try {
    // A gzip edge list inflates about 3×; the arrays grow past the estimate when needed.
    const parser = edgeListParser(path, format, options, (await stat(path)).size * (gzip ? 3 : 1));
    const file = createReadStream(path, { highWaterMark: CHUNK });
    const stream = gzip ? file.pipe(createGunzip({ chunkSize: 1 << 20 })) : file;
    if (gzip) file.on("error", (error) => stream.destroy(error));
    for await (const chunk of stream) parser.push(chunk as Buffer);
    return parser.end();
  } catch (error) {
    if (error instanceof LoneCarriageReturn) return reparse(path, format, gzip, options);
    throw readFailure(error, path);
  }
}

/** Old Mac line breaks (a lone CR): read the whole text with the line-by-line reader, then take its graph apart. */
function reparse(path: string, format: LoadFormat, gzip: boolean, options: LoadNetworkOptions): ParsedEdges {
  const bytes = gzip ? gunzipSync(readFileSync(path)) : readFileSync(path);
  const graph = parseNetwork(bytes.toString("utf8"), format as NetworkFormat, {
    directed: options.directed,
    delimiter: options.delimiter,
    weight: options.weightColumn,
    file: path,
  });
  return edgesFromGraph(graph);
}

/**
 * The edge table of a graphology graph (nodes in graph order, edges in graph order, the `weight` attribute),
 * for writing Arrow. Mixed graphs cannot be one table.
 */
export function edgesFromGraph(graph: Graph): ParsedEdges {
  if (graph.type === "mixed" && graph.directedSize > 0 && graph.undirectedSize > 0) {
    throw new GraphFormatError("an edge table cannot hold both directed and undirected edges; keep GEXF, GraphML or JSON");
  }
  const keys = new NodeKeys();
  graph.forEachNode((key) => keys.intern(key));
  // A weight column only when every edge has a weight, as the edge-list writer decides.
  const weighted = graph.size > 0 && graph.everyEdge((_e, attributes) => typeof attributes.weight === "number");
  const edges = new EdgeBuilder(weighted, graph.size);
  graph.forEachEdge((_e, attributes, source, target) => {
    const w: unknown = attributes.weight;
    edges.push(keys.intern(source), keys.intern(target), typeof w === "number" ? w : 1);
  });
  return { n: keys.count, keys, edges, directed: graph.type === "directed" || graph.directedSize > 0, repeatError: () => null };
}

function compileEdges(parsed: ParsedEdges, options: LoadNetworkOptions, path: string): CSR {
  const attribute = options.weight ?? null;
  const shared = options.shared ?? false;
  let column = attribute === null || attribute === "weight" ? undefined : parsed.attributes?.[attribute];
  const csr = buildCSR(parsed.n, parsed.edges, parsed.keys, {
    directed: parsed.directed,
    weighted: attribute !== null && attribute === "weight",
    shared,
  });
  if (hasRepeatedEdge(csr, parsed.edges)) checked(parsed);
  let result: CSR = csr;
  if (attribute !== null && attribute !== "weight") {
    // Another column as the weight (Arrow tables), or 1 on every arc when the file has no such column, as compile does.
    let weights: Float32Array;
    if (column !== undefined) {
      const gaps = parsed.attributeGaps?.[attribute];
      if (gaps !== undefined) {
        column = column.slice();
        for (let e = 0; e < column.length; e++) if (gaps[e] === 1) column[e] = 1;
      }
      for (let e = 0; e < column.length; e++) {
        if (!Number.isFinite(column[e]) || column[e] < 0) {
          throw new GraphFormatError(`row ${e} (rows count from 0) has "${attribute}" = ${column[e]}; expected a finite number ≥ 0 for a weight`, { file: path });
        }
      }
      weights = perArc(csr, parsed.edges, column, shared);
    } else {
      weights = shared ? new Float32Array(new SharedArrayBuffer(csr.m * 4)) : new Float32Array(csr.m);
      weights.fill(1);
    }
    result = Object.defineProperty(csr, "weights", { value: weights, enumerable: true });
  }
  const arcNames = options.arcAttributes ?? [];
  if (arcNames.length === 0) return result;
  const arcData: Record<string, Float32Array> = {};
  for (const name of arcNames) {
    const values = parsed.attributes?.[name];
    arcData[name] = values !== undefined ? perArc(csr, parsed.edges, values, shared) : shared ? new Float32Array(new SharedArrayBuffer(csr.m * 4)) : new Float32Array(csr.m);
  }
  return Object.defineProperty(result, "arcData", { value: arcData, enumerable: true });
}

const isXml = (format: LoadFormat): format is "graphml" | "gexf" => format === "graphml" || format === "gexf";

function xmlReader(path: string, format: "graphml" | "gexf", options: LoadNetworkOptions): XmlEdgeReader {
  return new XmlEdgeReader(format, { directed: options.directed, weight: options.weightColumn, file: path });
}

/** GraphML/GEXF through the streaming XML reader (`.gz` inflated on the way), synchronously. */
function parseXmlSync(path: string, format: "graphml" | "gexf", gzip: boolean, options: LoadNetworkOptions): ParsedEdges {
  const reader = xmlReader(path, format, options);
  try {
    if (gzip) {
      const bytes = gunzipSync(readFileSync(path));
      for (let p = 0; p < bytes.length; p += CHUNK) reader.push(bytes.subarray(p, Math.min(bytes.length, p + CHUNK)));
      return reader.end();
    }
    const fd = openSync(path, "r");
    try {
      const chunk = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const got = readSync(fd, chunk, 0, CHUNK, null);
        if (got === 0) break;
        reader.push(chunk.subarray(0, got));
      }
    } finally {
      closeSync(fd);
    }
    return reader.end();
  } catch (error) {
    throw readFailure(error, path);
  }
}

async function parseXml(path: string, format: "graphml" | "gexf", gzip: boolean, options: LoadNetworkOptions): Promise<ParsedEdges> {
  const reader = xmlReader(path, format, options);
  try {
    const file = createReadStream(path, { highWaterMark: CHUNK });
    const stream = gzip ? file.pipe(createGunzip({ chunkSize: 1 << 20 })) : file;
    if (gzip) file.on("error", (error) => stream.destroy(error));
    for await (const chunk of stream) reader.push(chunk as Buffer);
    return reader.end();
  } catch (error) {
    throw readFailure(error, path);
  }
}

/**
 * GraphML or GEXF (`.gz` too) through the streaming XML reader, with the file:line errors of the DOM readers;
 * null for the other formats. Not checked for repeated edges: these files may hold parallel edges.
 */
export async function readXmlEdges(path: string, options: LoadNetworkOptions = {}): Promise<ParsedEdges | null> {
  const { format, gzip } = resolveFormat(path, options);
  return isXml(format) ? parseXml(path, format, gzip, options) : null;
}

/**
 * An unweighted Arrow file with integer ids, straight to CSR without an edge list in memory (io/arrow-csr.ts);
 * null when the file or the options need the general reader, which then gives the same CSR or the error.
 */
function fastArrow(path: string, options: LoadNetworkOptions): CSR | null {
  const { format, gzip } = resolveFormat(path, options);
  if (format !== "arrow" || gzip || (options.weight ?? null) !== null || (options.arcAttributes?.length ?? 0) > 0) return null;
  return arrowFileToCSR(path, { directed: options.directed, weightColumn: options.weightColumn, shared: options.shared });
}

/** Read a network file and compile it to CSR, synchronously (the scenario loader's path). */
export function loadNetworkFileSync(path: string, options: LoadNetworkOptions = {}): CSR {
  const fast = fastArrow(path, options);
  if (fast !== null) return fast;
  const parsed = parseEdgesSync(path, options);
  if (parsed !== null) return compileEdges(parsed, options, path);
  const { format, gzip } = resolveFormat(path, options);
  if (isXml(format)) return compileEdges(parseXmlSync(path, format, gzip, options), options, path);
  const graph = readNetworkSync(path, graphologyOptions(path, options));
  return compile(graph, { weight: options.weight, shared: options.shared, arcAttributes: options.arcAttributes });
}

/**
 * Read a network file and compile it to the CSR the engines run on. Edge lists (CSV, TSV, whitespace;
 * `.gz` too) and Arrow/Feather edge tables never become a graphology Graph on the way.
 */
export async function loadNetworkFile(path: string, options: LoadNetworkOptions = {}): Promise<CSR> {
  const fast = fastArrow(path, options);
  if (fast !== null) return fast;
  const parsed = await parseEdges(path, options);
  if (parsed !== null) return compileEdges(parsed, options, path);
  const { format, gzip } = resolveFormat(path, options);
  if (isXml(format)) return compileEdges(await parseXml(path, format, gzip, options), options, path);
  const graph = await readNetwork(path, graphologyOptions(path, options));
  return compile(graph, { weight: options.weight, shared: options.shared, arcAttributes: options.arcAttributes });
}

function graphologyOptions(path: string, options: LoadNetworkOptions) {
  const { format, gzip } = resolveFormat(path, options);
  if (gzip) throw new GraphFormatError(`.gz is read for edge lists, GraphML, GEXF, Arrow and Parquet; decompress ${format} files first`, { file: path });
  return { format: format as NetworkFormat, directed: options.directed, weight: options.weightColumn, delimiter: options.delimiter };
}

/** A graphology Graph of parsed edges (for drawing, the graphology API and the graphology writers). */
export function edgesToGraph(parsed: ParsedEdges): Graph {
  const { keys, edges } = parsed;
  const graph = new Graph({ type: parsed.directed ? "directed" : "undirected", multi: false, allowSelfLoops: true });
  const names = keys.toArray();
  for (const name of names) graph.addNode(name);
  const w = edges.weights;
  for (let e = 0; e < edges.count; e++) {
    graph.addEdgeWithKey(String(e), names[edges.sources[e]], names[edges.targets[e]], w === null ? {} : { weight: w[e] });
  }
  return graph;
}

/** Self-loops among the parsed edges (the CSR drops them). */
export function selfLoopCount(edges: EdgeBuilder): number {
  return edges.selfLoops();
}
