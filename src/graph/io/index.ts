/**
 * Network files: pick the format from the extension, read, parse, serialise and write atomically.
 *
 * | format    | extensions                          | direction from           | weights                |
 * |-----------|-------------------------------------|--------------------------|------------------------|
 * | `csv`     | .csv .txt .edges .edgelist .el      | the `directed` option    | optional third column  |
 * | `tsv`     | .tsv .tab                           | the `directed` option    | optional third column  |
 * | `gexf`    | .gexf                               | the file                 | edge `weight`          |
 * | `graphml` | .graphml                            | the file                 | edge data key `weight` |
 * | `json`    | .json                               | the file (`options.type`)| edge attribute `weight`|
 *
 * Every reader throws GraphFormatError (with `file` and, where known, 1-based `line`) and never coerces a
 * malformed value: see the header of each reader for its rules.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type Graph from "graphology";
import { GraphFormatError } from "../../errors.js";
import { type ReadOptions, messageOf, writeFileAtomic } from "./common.js";
import { type Delimiter, parseEdgeList, writeEdgeList } from "./csv.js";
import { parseGexf, writeGexf } from "./gexf.js";
import { parseGraphml, writeGraphml } from "./graphml.js";
import { parseGraphJson, writeGraphJson } from "./json.js";

export type { ReadOptions } from "./common.js";
export type { Delimiter, EdgeListReadOptions, EdgeListWriteOptions } from "./csv.js";
export { parseEdgeList, writeEdgeList } from "./csv.js";
export { parseGexf, writeGexf } from "./gexf.js";
export { parseGraphml, writeGraphml } from "./graphml.js";
export { parseGraphJson, writeGraphJson } from "./json.js";

/** A network file format. `tsv` is the edge list with tabs. */
export type NetworkFormat = "csv" | "tsv" | "gexf" | "graphml" | "json";

export const NETWORK_FORMATS: readonly NetworkFormat[] = ["csv", "tsv", "gexf", "graphml", "json"];

const EXTENSIONS: Record<string, NetworkFormat> = {
  ".csv": "csv",
  ".txt": "csv",
  ".edges": "csv",
  ".edgelist": "csv",
  ".el": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".gexf": "gexf",
  ".graphml": "graphml",
  ".json": "json",
};

export interface ParseNetworkOptions extends ReadOptions {
  /** Edge-list field separator (csv only; tsv is always tab). Default: detected. */
  delimiter?: Delimiter;
}

export interface ReadNetworkOptions extends Omit<ParseNetworkOptions, "file"> {
  /** Format; default from the extension (see `formatFromPath`). */
  format?: NetworkFormat;
}

/** The format of a network file, by extension (case-insensitive). Unknown extensions are a GraphFormatError. */
export function formatFromPath(path: string): NetworkFormat {
  const ext = extname(path).toLowerCase();
  const format = EXTENSIONS[ext];
  if (format === undefined) {
    throw new GraphFormatError(
      `cannot tell the network format from ${ext === "" ? "a name without an extension" : `the extension "${ext}"`}; ` +
        `use one of ${Object.keys(EXTENSIONS).join(" ")} or give the format (${NETWORK_FORMATS.join(", ")})`,
      { file: path },
    );
  }
  return format;
}

/** Parse network text in the given format. */
export function parseNetwork(text: string, format: NetworkFormat, options: ParseNetworkOptions = {}): Graph {
  switch (format) {
    case "csv":
      return parseEdgeList(text, options);
    case "tsv":
      return parseEdgeList(text, { ...options, delimiter: options.delimiter ?? "\t" });
    case "gexf":
      return parseGexf(text, options);
    case "graphml":
      return parseGraphml(text, options);
    case "json":
      return parseGraphJson(text, options);
    default:
      return unknownFormat(format, options.file);
  }
}

/** Read and parse a network file (UTF-8). */
export async function readNetwork(path: string, options: ReadNetworkOptions = {}): Promise<Graph> {
  const format = options.format ?? formatFromPath(path);
  checkFormat(format, path);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw readError(error, path);
  }
  return parseNetwork(text, format, { ...options, file: path });
}

/** Synchronous `readNetwork`. */
export function readNetworkSync(path: string, options: ReadNetworkOptions = {}): Graph {
  const format = options.format ?? formatFromPath(path);
  checkFormat(format, path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw readError(error, path);
  }
  return parseNetwork(text, format, { ...options, file: path });
}

/** Serialise a graph in the given format. */
export function serializeNetwork(graph: Graph, format: NetworkFormat): string {
  switch (format) {
    case "csv":
      return writeEdgeList(graph, { delimiter: "," });
    case "tsv":
      return writeEdgeList(graph, { delimiter: "\t" });
    case "gexf":
      return writeGexf(graph);
    case "graphml":
      return writeGraphml(graph);
    case "json":
      return writeGraphJson(graph);
    default:
      return unknownFormat(format, undefined);
  }
}

/**
 * Write a graph to `path` atomically: the text goes to a temporary file in the same folder, which is then
 * renamed over `path`, so readers never see a half-written file. Format: given, or from the extension.
 */
export async function writeNetwork(graph: Graph, path: string, format?: NetworkFormat): Promise<void> {
  const chosen = format ?? formatFromPath(path);
  checkFormat(chosen, path);
  const text = serializeNetwork(graph, chosen);
  await writeFileAtomic(path, text);
}

function checkFormat(format: string, file: string): void {
  if (!(NETWORK_FORMATS as readonly string[]).includes(format)) unknownFormat(format, file);
}

function unknownFormat(format: never | string, file: string | undefined): never {
  throw new GraphFormatError(`unknown network format "${String(format)}"; expected one of ${NETWORK_FORMATS.join(", ")}`, {
    file,
  });
}

function readError(error: unknown, path: string): GraphFormatError {
  const code = (error as { code?: string }).code;
  const hint =
    code === "ENOENT"
      ? "no such file: check the path (relative paths are resolved from the working directory)"
      : code === "EISDIR"
        ? "it is a folder, not a file"
        : messageOf(error);
  return new GraphFormatError(`cannot read the network file: ${hint}`, { file: path }, { cause: error });
}
