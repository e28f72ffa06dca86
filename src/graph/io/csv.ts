/**
 * Edge lists: one edge per line, `source,target[,weight]`, as CSV, TSV, semicolon- or whitespace-separated text.
 *
 * Reading rules (each broken rule is a GraphFormatError with the file and 1-based line):
 * - Blank lines and lines whose first non-blank character is `#` or `%` are skipped.
 * - The delimiter is given or detected on the first data line: tab, else comma, else semicolon, else runs of
 *   whitespace. Fields are trimmed; a field may be double-quoted (`"New York"`, `""` for a quote inside) to keep
 *   a delimiter, spaces, or a leading `#` in a node key. Quoted fields do not span lines.
 * - Header: the first data line is a header when its first two fields are column names (source/target, from/to,
 *   src/dst, node1/node2, any case) or when it has a third field that is not a number (e.g. `a,b,strength`).
 *   A first line such as `u,v` with unrecognised names is read as an edge.
 * - Every row has 2 or 3 fields; the header (or, without one, the first edge) fixes which, so either every edge
 *   has a weight or none does. Weights are finite decimals ≥ 0 and become the edge attribute `weight`.
 * - A repeated edge is an error naming both lines: in an undirected list `a,b` and `b,a` are the same edge; in a
 *   directed one only the same ordered pair repeats. Self-loops are kept (the CSR compiler ignores them).
 * - A file without edges is an error. Node keys are strings, exactly as written (after trimming); edge keys are
 *   "0", "1", … in file order.
 */
import Graph from "graphology";
import { GraphFormatError } from "../../errors.js";
import { parseDecimal } from "./common.js";

/** Field separator; `"whitespace"` splits on runs of spaces and tabs. */
export type Delimiter = "," | "\t" | ";" | "whitespace";

export interface EdgeListReadOptions {
  /** Build a directed graph (source → target). Default false. */
  directed?: boolean;
  /** Field separator. Default: detected on the first data line. */
  delimiter?: Delimiter;
  /**
   * `true`: every row must have a weight column. `false`: a weight column is not read. Default: read if present.
   */
  weight?: boolean;
  /** File name used in error messages. */
  file?: string;
}

export interface EdgeListWriteOptions {
  /** Field separator. Default `,`. */
  delimiter?: Delimiter;
  /**
   * Write a weight column from the `weight` edge attribute. Default: when every edge has one.
   * `true` with an edge lacking a weight is an error.
   */
  weight?: boolean;
}

const SOURCE_NAMES = new Set(["source", "from", "src", "node1", "source_id", "sourceid"]);
const TARGET_NAMES = new Set(["target", "to", "dst", "node2", "target_id", "targetid"]);

/** Parse an edge list into a graphology Graph (`multi: false`). */
export function parseEdgeList(text: string, options: EdgeListReadOptions = {}): Graph {
  const file = options.file;
  const directed = options.directed ?? false;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const graph = new Graph({ type: directed ? "directed" : "undirected", multi: false, allowSelfLoops: true });
  const edgeLine = new Map<string, number>();

  let delimiter: Delimiter | undefined = options.delimiter;
  let columns: 2 | 3 | undefined; // fixed by the header or the first edge
  let columnsFrom = 0; // the line that fixed `columns`
  let headerSeen = false;
  let firstData = true;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith("%")) continue;
    delimiter ??= detectDelimiter(trimmed);
    const fields = splitFields(raw, delimiter, file, lineNo);

    if (firstData) {
      firstData = false;
      if (isHeader(fields)) {
        headerSeen = true;
        if (fields.length > 3) tooManyColumns(fields.length, file, lineNo);
        columns = fields.length as 2 | 3;
        columnsFrom = lineNo;
        continue;
      }
    }

    if (fields.length < 2) missingColumn(fields.length, file, lineNo);
    if (fields.length > 3) tooManyColumns(fields.length, file, lineNo);
    if (columns === undefined) {
      columns = fields.length as 2 | 3;
      columnsFrom = lineNo;
    } else if (fields.length !== columns) {
      const what = headerSeen ? `the header on line ${columnsFrom}` : `the first edge on line ${columnsFrom}`;
      const has = columns === 3 ? "has a weight column" : "has no weight column";
      throw new GraphFormatError(
        `this row has ${fields.length} columns but ${what} ${has}; either every row has a weight or none does`,
        { file, line: lineNo },
      );
    }

    const [source, target] = fields;
    if (source === "" || target === "") {
      throw new GraphFormatError(
        `empty ${source === "" ? "source" : "target"} node; expected source,target[,weight] with non-empty node keys`,
        { file, line: lineNo },
      );
    }
    let weight: number | undefined;
    if (fields.length === 3 && options.weight !== false) weight = parseWeight(fields[2], file, lineNo);

    if (!graph.hasNode(source)) graph.addNode(source);
    if (!graph.hasNode(target)) graph.addNode(target);
    const existing = graph.edge(source, target);
    if (existing !== undefined) {
      const pair = directed ? `${source} -> ${target}` : `${source} -- ${target}`;
      throw new GraphFormatError(
        `edge ${pair} repeats the edge on line ${edgeLine.get(existing)}` +
          (directed ? "" : " (in an undirected list a,b and b,a are the same edge)") +
          `; remove one of the two lines, or merge their weights`,
        { file, line: lineNo },
      );
    }
    // Keys numbered in file order (not graphology's instance-dependent "geid_…"), so writers are reproducible.
    const key = String(graph.size);
    graph.addEdgeWithKey(key, source, target, weight === undefined ? {} : { weight });
    edgeLine.set(key, lineNo);
  }

  if (graph.size === 0) {
    throw new GraphFormatError(
      `no edges found${headerSeen ? " after the header" : ""}; expected lines of source,target[,weight]`,
      { file },
    );
  }
  if (options.weight === true && columns !== 3) {
    throw new GraphFormatError(
      `weight: true was requested but the edge list has no weight column; add a third column source,target,weight`,
      { file, line: columnsFrom },
    );
  }
  return graph;
}

/** Serialise a graph as an edge list with a header line (`source,target[,weight]`) and a final newline. */
export function writeEdgeList(graph: Graph, options: EdgeListWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ",";
  const sep = delimiter === "whitespace" ? " " : delimiter;
  if (graph.type === "mixed" && graph.directedSize > 0 && graph.undirectedSize > 0) {
    throw new GraphFormatError(
      "an edge list cannot hold both directed and undirected edges; write GEXF, GraphML or JSON instead",
    );
  }
  if (graph.multi) {
    throw new GraphFormatError("an edge list is read back without parallel edges; write GEXF, GraphML or JSON for a multigraph");
  }
  const isolated: string[] = [];
  graph.forEachNode((node) => {
    if (graph.degree(node) === 0) isolated.push(node);
  });
  if (isolated.length > 0) {
    const shown = isolated.slice(0, 5).map((k) => JSON.stringify(k)).join(", ");
    throw new GraphFormatError(
      `${isolated.length} node(s) have no edges (${shown}${isolated.length > 5 ? ", …" : ""}) and an edge list cannot ` +
        `hold them; write GEXF, GraphML or JSON instead, or remove the isolated nodes`,
    );
  }
  let weighted = options.weight;
  if (weighted === undefined) {
    weighted = graph.size > 0 && graph.everyEdge((_edge, attributes) => attributes.weight !== undefined);
  }
  const out: string[] = [weighted ? ["source", "target", "weight"].join(sep) : ["source", "target"].join(sep)];
  graph.forEachEdge((_edge, attributes, source, target) => {
    const row = [quote(source, delimiter), quote(target, delimiter)];
    if (weighted) {
      const w: unknown = attributes.weight;
      if (typeof w !== "number" || !Number.isFinite(w) || w < 0) {
        throw new GraphFormatError(
          `edge ${source} -> ${target} has weight ${w === undefined ? "undefined" : JSON.stringify(w)}; ` +
            `a weight column needs a finite number ≥ 0 on every edge (or pass weight: false)`,
        );
      }
      row.push(String(w));
    }
    out.push(row.join(sep));
  });
  return out.join("\n") + "\n";
}

export function detectDelimiter(line: string): Delimiter {
  // Look outside quotes only, so a quoted key such as "a, b" does not decide.
  const bare = line.replace(/"(?:[^"]|"")*"/g, "");
  if (bare.includes("\t")) return "\t";
  if (bare.includes(",")) return ",";
  if (bare.includes(";")) return ";";
  return "whitespace";
}

/** Splits one line into trimmed fields, honouring double quotes. */
export function splitFields(line: string, delimiter: Delimiter, file: string | undefined, lineNo: number): string[] {
  const fields: string[] = [];
  const isSep = delimiter === "whitespace" ? (c: string) => c === " " || c === "\t" : (c: string) => c === delimiter;
  const isBlank = (c: string) => c === " " || c === "\t";
  let i = 0;
  const n = line.length;
  if (delimiter === "whitespace") while (i < n && isBlank(line[i])) i++;
  while (i <= n) {
    while (i < n && isBlank(line[i]) && !isSep(line[i])) i++;
    let field = "";
    if (line[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        field += line[i++];
      }
      if (!closed) {
        throw new GraphFormatError(`unterminated quoted field; close the quote (write "" for a quote inside)`, {
          file,
          line: lineNo,
        });
      }
      while (i < n && isBlank(line[i]) && !isSep(line[i])) i++;
      if (i < n && !isSep(line[i])) {
        throw new GraphFormatError(`unexpected text after a closing quote; put the delimiter right after the quote`, {
          file,
          line: lineNo,
        });
      }
    } else {
      const start = i;
      while (i < n && !isSep(line[i])) i++;
      field = line.slice(start, i).trim();
    }
    fields.push(field);
    if (i >= n) break;
    // At a separator: consume it (a whitespace run counts as one).
    i++;
    if (delimiter === "whitespace") {
      while (i < n && isBlank(line[i])) i++;
      if (i >= n) break;
    }
  }
  return fields;
}

export function isHeader(fields: string[]): boolean {
  const a = fields[0]?.toLowerCase();
  const b = fields[1]?.toLowerCase();
  if (a !== undefined && b !== undefined && SOURCE_NAMES.has(a) && TARGET_NAMES.has(b)) return true;
  return fields.length >= 3 && parseDecimal(fields[2]) === undefined;
}

export function parseWeight(text: string, file: string | undefined, line: number): number {
  if (text === "") {
    throw new GraphFormatError(`empty weight; expected a finite number ≥ 0 in the third column`, { file, line });
  }
  const w = parseDecimal(text);
  if (w === undefined) {
    throw new GraphFormatError(`weight "${text}" is not a number; expected a finite number ≥ 0 in the third column`, {
      file,
      line,
    });
  }
  if (!Number.isFinite(w)) {
    throw new GraphFormatError(`weight ${text} is not finite; expected a finite number ≥ 0`, { file, line });
  }
  if (w < 0) {
    throw new GraphFormatError(`weight ${text} is negative; expected a finite number ≥ 0`, { file, line });
  }
  return w;
}

export function missingColumn(count: number, file: string | undefined, line: number): never {
  throw new GraphFormatError(
    `found ${count} column; expected at least 2 columns: source,target[,weight] (check the delimiter)`,
    { file, line },
  );
}

export function tooManyColumns(count: number, file: string | undefined, line: number): never {
  throw new GraphFormatError(
    `found ${count} columns; expected at most 3 columns: source,target[,weight] (remove the extra columns or quote ` +
      `node keys that contain the delimiter)`,
    { file, line },
  );
}

/** Quotes a node key when reading it back would otherwise change it. */
/** A node key as an edge-list field: quoted when it must be, refused when it cannot be one. */
export function quote(key: string, delimiter: Delimiter): string {
  if (key === "" || /[\r\n]/.test(key)) {
    throw new GraphFormatError(
      `node key ${JSON.stringify(key)} is empty or contains a line break, which an edge list cannot hold; write JSON instead`,
    );
  }
  const needs =
    key !== key.trim() ||
    key.includes('"') ||
    key.startsWith("#") ||
    key.startsWith("%") ||
    /[\t,;]/.test(key) || // any candidate delimiter, so auto-detection on reading sees only the real one
    (delimiter === "whitespace" && /\s/.test(key));
  return needs ? `"${key.replace(/"/g, '""')}"` : key;
}
