/**
 * Arrow IPC edge tables (`.arrow`, `.feather` — Feather v2 is Arrow IPC —, `.ipc`; file or stream form), read
 * and written with apache-arrow. Python: `pyarrow.feather.write_feather(df, "edges.feather")`; R:
 * `arrow::write_feather(df, "edges.feather")` — their default LZ4 compression, ZSTD, or none (arrow-lib.ts
 * registers the decoders; the fast path, arrow-csr.ts, decodes the frames of integer tables itself).
 *
 * Columns, by name: `source` and `target` (integers ≥ 0, or strings: node keys as in a CSV edge list), and an
 * optional `weight` (numbers, finite and ≥ 0). Other numeric or boolean columns are edge attributes a
 * scenario can name (`network.weight`, interventions' `edges.where`); the rest are ignored. The direction is not in the file:
 * as for CSV, the `directed` option chooses it.
 *
 * Columns are read from their typed arrays chunk by chunk (no per-row `table.get`), so 5·10⁶ integer edges
 * load in a fraction of a second. Node indices are given in order of first appearance, row by row, source
 * before target — as the CSV reader does — so a network converted to Arrow simulates bit-identically.
 */
import { readFileSync } from "node:fs";
import type { Data, Table, Type as ArrowType, Vector } from "apache-arrow";
import { arrowLib } from "./arrow-lib.js";
import { GraphFormatError } from "../../errors.js";
import { EdgeBuilder } from "../builder.js";
import { NodeKeys } from "../node-keys.js";
import { messageOf, writeFileAtomic } from "./common.js";
import type { ParsedEdges } from "./parsed-edges.js";
import { firstRepeat } from "./repeated-edges.js";

export interface ArrowReadOptions {
  directed?: boolean;
  /** true: a `weight` column is required; false: it is not read. Default: read when present. */
  weight?: boolean;
  file?: string;
}

/** Integer ids as numbers (Float64Array: int64 columns may exceed int32) or node keys as strings. */
type Ids = { kind: "int"; values: Float64Array | Int32Array } | { kind: "string"; values: string[] };

/** Read an Arrow IPC edge table from bytes. */
export function parseArrowEdges(bytes: Uint8Array, options: ArrowReadOptions = {}): ParsedEdges {
  const { tableFromIPC, Type } = arrowLib();
  const file = options.file;
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (cause) {
    throw new GraphFormatError(
      `cannot read the Arrow IPC (Feather) file: ${messageOf(cause)}; expected Arrow IPC / Feather v2, uncompressed ` +
        `or with LZ4 (frame) or ZSTD buffers, as pyarrow and R's arrow write it`,
      { file },
      { cause },
    );
  }
  const names = table.schema.fields.map((f) => f.name);
  const column = (name: string): Vector | null => (names.includes(name) ? table.getChild(name) : null);
  const sourceCol = column("source");
  const targetCol = column("target");
  if (sourceCol === null || targetCol === null) {
    throw new GraphFormatError(
      `the Arrow table has columns [${names.join(", ")}]; expected "source" and "target" (and optionally "weight")`,
      { file },
    );
  }
  const rows = table.numRows;
  if (rows === 0) throw new GraphFormatError(`no edges found; the Arrow table has no rows`, { file });
  const sources = columnIds(sourceCol, "source", file);
  const targets = columnIds(targetCol, "target", file);
  const weightCol = options.weight === false ? null : column("weight");
  if (options.weight === true && weightCol === null) {
    throw new GraphFormatError(`weight: true was requested but the Arrow table has no "weight" column`, { file });
  }
  const weights = weightCol === null ? null : columnWeights(weightCol, file);

  const keys = new NodeKeys();
  let edges: EdgeBuilder;
  const u = new Int32Array(rows);
  const v = new Int32Array(rows);
  if (sources.kind === "int" && targets.kind === "int" && keys.internColumns(sources.values, targets.values, rows, u, v)) {
    // The common case: integer ids, interned column-wise in one loop.
    edges = EdgeBuilder.from(u, v, weights, rows);
  } else {
    const intern = (ids: Ids, r: number): number => {
      if (ids.kind === "string") return keys.intern(ids.values[r]);
      const x = ids.values[r];
      return x >= 0 && x < 1e9 ? keys.internInt(x) : keys.intern(String(x));
    };
    for (let r = 0; r < rows; r++) {
      u[r] = intern(sources, r);
      v[r] = intern(targets, r);
    }
    edges = EdgeBuilder.from(u, v, weights, rows);
  }
  const directed = options.directed ?? false;
  const repeatError = (): GraphFormatError | null => tableRepeatError(edges, keys, directed, file);
  // Other numeric (or boolean) columns: edge attributes a scenario may use as weight or select arcs by.
  const attributes: Record<string, Float64Array> = {};
  for (const name of names) {
    if (name === "source" || name === "target" || name === "weight") continue;
    const vector = table.getChild(name)!;
    const typeId = vector.type.typeId as ArrowType;
    if (typeId !== Type.Int && typeId !== Type.Float && typeId !== Type.Bool) continue;
    const missing = firstNull(vector);
    if (missing >= 0) throw new GraphFormatError(`the "${name}" column is null in row ${missing} (rows count from 0); give every row a value`, { file });
    if (typeId === Type.Bool) {
      const out = new Float64Array(rows);
      for (let r = 0; r < rows; r++) out[r] = vector.get(r) ? 1 : 0;
      attributes[name] = out;
    } else attributes[name] = columnNumbers(vector);
  }
  return { n: keys.count, keys, edges, directed, repeatError, attributes };
}

/** Read an Arrow IPC edge-table file. */
export function readArrowEdgesSync(path: string, options: Omit<ArrowReadOptions, "file"> = {}): ParsedEdges {
  return parseArrowEdges(readFileSync(path), { ...options, file: path });
}

function chunks(vector: Vector): readonly Data[] {
  return vector.data as readonly Data[];
}

function firstNull(vector: Vector): number {
  let base = 0;
  for (const data of chunks(vector)) {
    if (data.nullCount > 0) for (let i = 0; i < data.length; i++) if (!data.getValid(i)) return base + i;
    base += data.length;
  }
  return -1;
}

function columnIds(vector: Vector, name: string, file: string | undefined): Ids {
  const { Type } = arrowLib();
  const missing = firstNull(vector);
  if (missing >= 0) throw new GraphFormatError(`the "${name}" column is null in row ${missing} (rows count from 0); every edge needs both ends`, { file });
  const typeId = vector.type.typeId as ArrowType;
  if (typeId === Type.Int) {
    const single = chunks(vector);
    if (single.length === 1 && single[0].values instanceof Int32Array) return { kind: "int", values: single[0].values as Int32Array };
    const out = new Float64Array(vector.length);
    let base = 0;
    for (const data of single) {
      const values = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < data.length; i++) out[base + i] = Number(values[i]);
      base += data.length;
    }
    return { kind: "int", values: out };
  }
  if (typeId === Type.Utf8 || typeId === Type.LargeUtf8 || typeId === Type.Dictionary) {
    const out = new Array<string>(vector.length);
    let base = 0;
    for (const data of chunks(vector)) {
      if (typeId === Type.Dictionary) {
        const dictionary = data.dictionary!;
        const words = new Array<string>(dictionary.length);
        for (let k = 0; k < dictionary.length; k++) words[k] = String(dictionary.get(k));
        const indices = data.values as ArrayLike<number | bigint>;
        for (let i = 0; i < data.length; i++) out[base + i] = words[Number(indices[i])];
      } else {
        const bytes = data.values as Uint8Array;
        const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const offsets = data.valueOffsets as ArrayLike<number | bigint>;
        for (let i = 0; i < data.length; i++) out[base + i] = text.toString("utf8", Number(offsets[i]), Number(offsets[i + 1]));
      }
      base += data.length;
    }
    for (let r = 0; r < out.length; r++) {
      if (out[r] === "") throw new GraphFormatError(`the "${name}" column is empty in row ${r} (rows count from 0); node keys must be non-empty`, { file });
    }
    return { kind: "string", values: out };
  }
  throw new GraphFormatError(`the "${name}" column has type ${String(vector.type)}; expected integers or strings (node keys)`, { file });
}

/** A numeric column as float64, chunk by chunk from the typed arrays. */
function columnNumbers(vector: Vector): Float64Array {
  const out = new Float64Array(vector.length);
  let base = 0;
  for (const data of chunks(vector)) {
    const values = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < data.length; i++) out[base + i] = Number(values[i]);
    base += data.length;
  }
  return out;
}

function columnWeights(vector: Vector, file: string | undefined): Float64Array {
  const { Type } = arrowLib();
  const missing = firstNull(vector);
  if (missing >= 0) throw new GraphFormatError(`the "weight" column is null in row ${missing} (rows count from 0); give every edge a weight`, { file });
  const typeId = vector.type.typeId as ArrowType;
  if (typeId !== Type.Float && typeId !== Type.Int) {
    throw new GraphFormatError(`the "weight" column has type ${String(vector.type)}; expected numbers`, { file });
  }
  const out = new Float64Array(vector.length);
  let base = 0;
  for (const data of chunks(vector)) {
    const values = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < data.length; i++) out[base + i] = Number(values[i]);
    base += data.length;
  }
  for (let r = 0; r < out.length; r++) {
    const w = out[r];
    if (!Number.isFinite(w) || w < 0) {
      throw new GraphFormatError(`weight ${w} in row ${r} (rows count from 0) is ${Number.isFinite(w) ? "negative" : "not finite"}; expected a finite number ≥ 0`, { file });
    }
  }
  return out;
}

/**
 * Serialise an edge table as Arrow IPC (file form): int32 `source`/`target` when every node key is an integer,
 * utf8 otherwise; float64 `weight` when the edges have weights.
 */
export function edgesToArrow(parsed: ParsedEdges): Uint8Array {
  const { Table, Utf8, makeTable, tableToIPC, vectorFromArray } = arrowLib();
  const { keys, edges } = parsed;
  const count = edges.count;
  const ids = keys.integerIds();
  let table: Table;
  if (ids !== null) {
    const source = new Int32Array(count);
    const target = new Int32Array(count);
    for (let e = 0; e < count; e++) {
      source[e] = ids[edges.sources[e]];
      target[e] = ids[edges.targets[e]];
    }
    table = edges.weights === null ? makeTable({ source, target }) : makeTable({ source, target, weight: edges.weights.slice(0, count) });
  } else {
    const names = keys.toArray();
    const column = (index: Int32Array): Vector => vectorFromArray(Array.from(index.subarray(0, count), (v) => names[v]), new Utf8());
    const columns: Record<string, Vector> = { source: column(edges.sources), target: column(edges.targets) };
    if (edges.weights !== null) columns.weight = vectorFromArray(edges.weights.slice(0, count));
    table = new Table(columns);
  }
  return tableToIPC(table, "file");
}

/** Write an edge table as an Arrow IPC file, atomically (temporary file, then rename). */
export async function writeArrowEdges(parsed: ParsedEdges, path: string): Promise<void> {
  await writeFileAtomic(path, edgesToArrow(parsed));
}

/**
 * A columnar edge table's first repeated edge (a,b twice, or b,a in an undirected list) as an error naming both
 * rows; null when there is none. Arrow and Parquet tables share it: their rows have no line numbers.
 */
export function tableRepeatError(edges: EdgeBuilder, keys: NodeKeys, directed: boolean, file: string | undefined): GraphFormatError | null {
  const repeat = firstRepeat(edges.sources, edges.targets, edges.count, keys.count, directed);
  if (repeat === null) return null;
  const [first, second] = repeat;
  const pair = `${keys.keyOf(edges.sources[second])} ${directed ? "->" : "--"} ${keys.keyOf(edges.targets[second])}`;
  return new GraphFormatError(
    `edge ${pair} in row ${second} repeats the edge in row ${first} (rows count from 0)` +
      (directed ? "" : "; in an undirected list a,b and b,a are the same edge") +
      `; remove one of the two rows, or merge their weights`,
    { file },
  );
}
