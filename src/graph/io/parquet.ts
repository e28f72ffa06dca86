/**
 * Parquet edge tables (`.parquet`, `.pq`), read with hyparquet and written with hyparquet-writer. Python:
 * `df.to_parquet("edges.parquet")` (pandas/pyarrow, snappy by default); R: `arrow::write_parquet(df, "edges.parquet")`.
 *
 * The same columns as the Arrow reader (arrow.ts): `source` and `target` (integers ≥ 0, or strings: node keys
 * as in a CSV edge list), an optional `weight` (numbers, finite and ≥ 0); other numeric or boolean columns are
 * edge attributes a scenario can name; the rest are ignored. The direction is not in the file: the `directed`
 * option chooses it. Compression: uncompressed, snappy (hyparquet's own), gzip and brotli (Node's zlib: native, and
 * already loaded), zstd (fzstd, hyparquet-compressors' zstd decoder), lz4 (Hadoop-framed or raw) and lz4_raw
 * (hyparquet-compressors); LZO (or any other codec) is refused with an error naming the codec and the column.
 *
 * Read synchronously (the scenario loader is synchronous): hyparquet's public `parquetRead` is async only, so
 * each column chunk is decoded with its exported `readColumn` over the file in memory — the same call its
 * `readRowGroup` makes for a whole column chunk. Node indices are given in order of first appearance, row by
 * row, source before target — as the CSV and Arrow readers do — so a converted network simulates bit-identically.
 */
import { randomUUID } from "node:crypto";
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { parquetMetadata, parquetSchema, type Compressors } from "hyparquet";
import { decompress as decompressZstd } from "fzstd";
// Not the package entry, which also loads decoders spreadlab does not use (see hyparquet-compressors.d.ts).
import { decompressLz4, decompressLz4Raw } from "hyparquet-compressors/src/lz4.js";
import { readColumn } from "hyparquet/src/column.js";
import { DEFAULT_PARSERS } from "hyparquet/src/convert.js";
import { getTreePath } from "hyparquet/src/schema.js";
import { GraphFormatError } from "../../errors.js";
import { EdgeBuilder } from "../builder.js";
import { NodeKeys } from "../node-keys.js";
import { messageOf } from "./common.js";
import type { ParsedEdges } from "./parsed-edges.js";
import { tableRepeatError } from "./arrow.js";

export interface ParquetReadOptions {
  directed?: boolean;
  /** true: a `weight` column is required; false: it is not read. Default: read when present. */
  weight?: boolean;
  file?: string;
}

type Value = number | bigint | string | boolean | null | undefined | Uint8Array;
type Column = { values: ArrayLike<Value>[]; physical: string; name: string };

/** Decompressors by codec, given to hyparquet's readColumn (SNAPPY and UNCOMPRESSED are hyparquet's own). */
const COMPRESSORS: Compressors = {
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => brotliDecompressSync(input),
  ZSTD: (input, length) => decompressZstd(input, new Uint8Array(length)),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

/** The codecs read: what `network convert` may be given (named in the README). */
export const PARQUET_CODECS: readonly string[] = ["UNCOMPRESSED", "SNAPPY", ...Object.keys(COMPRESSORS)];

/** Read a Parquet edge table from bytes. */
export function parseParquetEdges(bytes: Uint8Array, options: ParquetReadOptions = {}): ParsedEdges {
  const file = options.file;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: ReturnType<typeof parquetMetadata>;
  try {
    metadata = parquetMetadata(buffer);
  } catch (cause) {
    throw new GraphFormatError(`cannot read the Parquet file: ${messageOf(cause)}; is this really a Parquet file?`, { file }, { cause });
  }
  const tree = parquetSchema(metadata);
  const names = tree.children.map((c) => c.element.name);
  if (!names.includes("source") || !names.includes("target")) {
    throw new GraphFormatError(`the Parquet table has columns [${names.join(", ")}]; expected "source" and "target" (and optionally "weight")`, { file });
  }
  const rows = Number(metadata.num_rows);
  if (rows === 0) throw new GraphFormatError(`no edges found; the Parquet table has no rows`, { file });
  if (options.weight === true && !names.includes("weight")) {
    throw new GraphFormatError(`weight: true was requested but the Parquet table has no "weight" column`, { file });
  }
  // Flat columns only (nested ones, lists and maps, cannot be ids, weights or edge attributes).
  const wanted = tree.children.filter((c) => c.children.length === 0).map((c) => c.element.name).filter((name) => name !== "weight" || options.weight !== false);
  const columns = new Map<string, Column>();
  for (const name of wanted) columns.set(name, { values: [], physical: "", name });
  for (const group of metadata.row_groups) {
    let groupStart = 0;
    for (const g of metadata.row_groups) {
      if (g === group) break;
      groupStart += Number(g.num_rows);
    }
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (meta === undefined || meta.path_in_schema.length !== 1) continue;
      const column = columns.get(meta.path_in_schema[0]);
      if (column === undefined) continue;
      if (!PARQUET_CODECS.includes(meta.codec)) {
        throw new GraphFormatError(
          `the "${column.name}" column is compressed with ${meta.codec}, which spreadlab cannot read; write the table with ` +
            `snappy, gzip, zstd, brotli or lz4, or uncompressed (pandas: df.to_parquet(path, compression="zstd"); ` +
            `R: arrow::write_parquet(df, path, compression = "zstd"))`,
          { file },
        );
      }
      const schemaPath = getTreePath(tree, meta.path_in_schema);
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      const decoder = {
        pathInSchema: meta.path_in_schema,
        element: schemaPath[schemaPath.length - 1].element,
        schemaPath,
        type: meta.type,
        codec: meta.codec,
        compressors: COMPRESSORS,
        parsers: DEFAULT_PARSERS,
        utf8: true,
      };
      try {
        const reader = { view: new DataView(buffer, start, end - start), offset: 0 };
        const { data } = readColumn(reader, { groupStart, groupRows: Number(group.num_rows), selectStart: 0, selectEnd: Number(group.num_rows) }, decoder);
        column.values.push(...(data as ArrayLike<Value>[]));
        column.physical = meta.type;
      } catch (cause) {
        throw new GraphFormatError(`cannot read the "${column.name}" column of the Parquet file: ${messageOf(cause)}`, { file }, { cause });
      }
    }
  }
  const sources = ids(columns.get("source")!, rows, file);
  const targets = ids(columns.get("target")!, rows, file);
  const weightColumn = columns.get("weight");
  const weights = weightColumn === undefined ? null : numbers(weightColumn, rows, file, "weight");
  if (weights !== null) {
    for (let r = 0; r < rows; r++) {
      const w = weights[r];
      if (!Number.isFinite(w) || w < 0) {
        throw new GraphFormatError(`weight ${w} in row ${r} (rows count from 0) is ${Number.isFinite(w) ? "negative" : "not finite"}; expected a finite number ≥ 0`, { file });
      }
    }
  }
  const attributes: Record<string, Float64Array> = {};
  for (const [name, column] of columns) {
    if (name === "source" || name === "target" || name === "weight") continue;
    if (!["INT32", "INT64", "FLOAT", "DOUBLE", "BOOLEAN"].includes(column.physical)) continue;
    attributes[name] = numbers(column, rows, file, name);
  }
  return edgeTable(sources, targets, weights, attributes, rows, options.directed ?? false, file);
}

/**
 * Ids as integers when the column holds integers, or node keys as strings. INT32 and INT64 columns go straight
 * into an Int32Array: hyparquet gives an Int32Array (INT32) or BigInt64Array (INT64) per page, which is copied
 * (INT32) or read as pairs of 32-bit words (INT64: no BigInt per value), so no JS number or BigInt is made per
 * value. Only an INT64 value outside the 32-bit range (rare for node ids) sends the column to a Float64Array, which
 * the interning then reads as before (integers above 10⁹ become string keys).
 */
function ids(column: Column, rows: number, file: string | undefined): { kind: "int"; values: Int32Array | Float64Array } | { kind: "string"; values: string[] } {
  const { name } = column;
  if (column.physical === "INT32" || column.physical === "INT64") {
    const out = new Int32Array(rows);
    let r = 0;
    for (const chunk of column.values) {
      if (chunk instanceof Int32Array) {
        out.set(chunk, r);
        r += chunk.length;
        continue;
      }
      if (chunk instanceof BigInt64Array) {
        const words = new Int32Array(chunk.buffer, chunk.byteOffset, 2 * chunk.length); // little-endian: low, high
        for (let i = 0; i < chunk.length; i++, r++) {
          const low = words[2 * i];
          if (words[2 * i + 1] !== low >> 31) return { kind: "int", values: wideIds(column, rows, file) };
          out[r] = low;
        }
        continue;
      }
      for (let i = 0; i < chunk.length; i++, r++) {
        const x = chunk[i];
        if (x === null || x === undefined) throw nullError(name, r, file, "every edge needs both ends");
        const value = Number(x);
        if (value !== (value | 0)) return { kind: "int", values: wideIds(column, rows, file) };
        out[r] = value;
      }
    }
    return { kind: "int", values: out };
  }
  if (column.physical === "BYTE_ARRAY") {
    const out = new Array<string>(rows);
    let r = 0;
    for (const chunk of column.values) {
      for (let i = 0; i < chunk.length; i++, r++) {
        const x = chunk[i];
        if (x === null || x === undefined) throw nullError(name, r, file, "every edge needs both ends");
        const key = typeof x === "string" ? x : Buffer.from(x as Uint8Array).toString("utf8");
        if (key === "") throw new GraphFormatError(`the "${name}" column is empty in row ${r} (rows count from 0); node keys must be non-empty`, { file });
        out[r] = key;
      }
    }
    return { kind: "string", values: out };
  }
  throw new GraphFormatError(`the "${name}" column has type ${column.physical}; expected integers or strings (node keys)`, { file });
}

/** An INT64 id column with values beyond 32 bits, as numbers (exact up to 2⁵³, which ids never reach). */
function wideIds(column: Column, rows: number, file: string | undefined): Float64Array {
  const out = new Float64Array(rows);
  let r = 0;
  for (const chunk of column.values) {
    for (let i = 0; i < chunk.length; i++, r++) {
      const x = chunk[i];
      if (x === null || x === undefined) throw nullError(column.name, r, file, "every edge needs both ends");
      out[r] = Number(x);
    }
  }
  return out;
}

function numbers(column: Column, rows: number, file: string | undefined, name: string): Float64Array {
  if (!["INT32", "INT64", "FLOAT", "DOUBLE", "BOOLEAN"].includes(column.physical)) {
    throw new GraphFormatError(`the "${name}" column has type ${column.physical}; expected numbers`, { file });
  }
  const out = new Float64Array(rows);
  let r = 0;
  for (const chunk of column.values) {
    for (let i = 0; i < chunk.length; i++, r++) {
      const x = chunk[i];
      if (x === null || x === undefined) throw nullError(name, r, file, name === "weight" ? "give every edge a weight" : "give every row a value");
      out[r] = typeof x === "boolean" ? (x ? 1 : 0) : Number(x);
    }
  }
  return out;
}

function nullError(name: string, row: number, file: string | undefined, hint: string): GraphFormatError {
  return new GraphFormatError(`the "${name}" column is null in row ${row} (rows count from 0); ${hint}`, { file });
}

/** Intern the id columns (integers column-wise when possible) and give the table's edges, as arrow.ts does. */
function edgeTable(
  sources: ReturnType<typeof ids>,
  targets: ReturnType<typeof ids>,
  weights: Float64Array | null,
  attributes: Record<string, Float64Array>,
  rows: number,
  directed: boolean,
  file: string | undefined,
): ParsedEdges {
  const keys = new NodeKeys();
  const u = new Int32Array(rows);
  const v = new Int32Array(rows);
  if (!(sources.kind === "int" && targets.kind === "int" && keys.internColumns(sources.values, targets.values, rows, u, v))) {
    const intern = (column: ReturnType<typeof ids>, r: number): number => {
      if (column.kind === "string") return keys.intern(column.values[r]);
      const x = column.values[r];
      return x >= 0 && x < 1e9 && x === Math.floor(x) ? keys.internInt(x) : keys.intern(String(x));
    };
    for (let r = 0; r < rows; r++) {
      u[r] = intern(sources, r);
      v[r] = intern(targets, r);
    }
  }
  const edges = EdgeBuilder.from(u, v, weights, rows);
  const repeatError = (): GraphFormatError | null => tableRepeatError(edges, keys, directed, file);
  return { n: keys.count, keys, edges, directed, repeatError, attributes };
}
