/**
 * Arrow IPC edge tables straight to CSR, for the common case: an Arrow *file* (Feather v2) whose `source` and
 * `target` columns are integers (int32 or int64, signed or unsigned, no nulls), uncompressed or with LZ4/ZSTD
 * buffers (decompressed once, batch by batch: pyarrow's and R's Feather default is LZ4), with no other
 * column the load would read. Everything else returns null and the general reader (arrow.ts) takes over —
 * including every error, which that reader words with rows and file names.
 *
 * Why a second reader: on this platform's machines a page of fresh memory can cost far more than the work done
 * on it (first touch measured at 0.35 ms per MB on one quiet 2-core VM, ≈ 2.5 on another and 4–8 under load,
 * against ≈ 0.006–0.3 ms/MB for memory already touched), so loading 5·10⁶ edges was dominated by the arrays it
 * allocated: the whole file, node-index columns, a fill array and a stamp array (≈ 140 MB, for a 44 MB CSR).
 * This reader reads the two columns slice by slice, three times (bounds, interning and degrees, then arcs) —
 * re-reading from the page cache is cheap — straight into the memory of the WebAssembly kernels that build
 * the CSR (csr-wasm.ts: why they are WebAssembly, and what they hand back to the general reader).
 *
 * The result is the CSR the general path builds, element for element: nodes numbered in order of first
 * appearance (row by row, source before target), arcs of each node in row order, undirected edges as two arcs.
 * A self-loop (kept in an edge list, dropped from the CSR, and subject to the repeated-edge rule) or a repeated
 * edge also hands over to the general reader, which keeps or reports it exactly as before.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Message } from "apache-arrow";
// The record batches' buffer positions are read with the footer decoder and `Message`, the rest by hand.
import { arrowFooter, arrowLib, decompressBuffer } from "./arrow-lib.js";
import type { RecordBatch as BatchHeader } from "apache-arrow/ipc/metadata/message";
import type { Int as IntType } from "apache-arrow";
import type { CSR } from "../csr.js";
import { withLazyKeys } from "../builder.js";
import { csrFromIdColumns, SLICE_ROWS, type SliceReader } from "./csr-wasm.js";

const MAGIC = "ARROW1";

export interface ArrowCsrOptions {
  directed?: boolean;
  /**
   * false: a `weight` column is ignored. Otherwise a table with one is left to the general reader (it validates
   * it), as is `true` (it must be there).
   */
  weightColumn?: boolean;
  /** Accepted for the loaders' sake: this reader's arrays are always on a SharedArrayBuffer (csr-wasm.ts). */
  shared?: boolean;
}

interface Column {
  /** Bytes per value: 4 or 8. */
  width: 4 | 8;
  unsigned: boolean;
  /** File position of each record batch's value buffer. */
  positions: number[];
  /** Its length in the file (compressed: with the 8-byte prefix of the decompressed length). */
  lengths: number[];
}

interface Layout {
  rows: number;
  batchRows: number[];
  source: Column;
  target: Column;
  /** The body buffers' compression (pyarrow's and R's Feather default is LZ4), or null. */
  codec: "lz4" | "zstd" | null;
}

/** The CSR of an Arrow edge-table file, or null when the file is not in the shape this reader handles. */
export function arrowFileToCSR(path: string, options: ArrowCsrOptions = {}): CSR | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null; // the general reader reports it
  }
  try {
    const layout = readLayout(fd, options);
    return layout === null ? null : build(fd, layout, options);
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, length: number, position: number): Uint8Array | null {
  const out = new Uint8Array(length);
  return readFully(fd, out, position) ? out : null;
}

/** Fills `into` from `position`; false when the file ends first. */
/**
 * int64 ids (little-endian word pairs) into `out` from `at` as int32; false when one does not fit 32 bits (its
 * high word is not 0).
 */
function lowWords(words: Int32Array, count: number, out: Int32Array, at: number): boolean {
  for (let r = 0; r < count; r++) {
    if (words[2 * r + 1] !== 0) return false;
    out[at + r] = words[2 * r];
  }
  return true;
}

/** Footer, schema and record-batch headers; null when anything is outside the fast path's shape. */
function readLayout(fd: number, options: ArrowCsrOptions): Layout | null {
  const { CompressionType, Message, MessageHeader, Type } = arrowLib();
  const { Footer } = arrowFooter();
  if (options.weightColumn === true) return null; // a required weight column: the general reader checks and reads it
  const size = fstatSync(fd).size;
  if (size < 8 + 10) return null;
  const head = readAt(fd, 8, 0);
  const tail = readAt(fd, 10, size - 10);
  if (head === null || tail === null) return null;
  const text = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  if (text(head.subarray(0, 6)) !== MAGIC || text(tail.subarray(4, 10)) !== MAGIC) return null; // stream form, or not Arrow
  const footerLength = new DataView(tail.buffer).getInt32(0, true);
  if (footerLength <= 0 || footerLength > size - 18) return null;
  let footer: InstanceType<typeof Footer>;
  try {
    const bytes = readAt(fd, footerLength, size - 10 - footerLength);
    if (bytes === null) return null;
    footer = Footer.decode(bytes);
  } catch {
    return null;
  }
  if (footer.numDictionaries > 0) return null;
  const fields = footer.schema.fields;
  const names = fields.map((f) => f.name);
  const sourceAt = names.indexOf("source");
  const targetAt = names.indexOf("target");
  if (sourceAt < 0 || targetAt < 0) return null;
  for (let i = 0; i < fields.length; i++) {
    const name = names[i];
    // Any other column may be an edge attribute the general reader checks (nulls, weights' sign): leave it that.
    if (name === "source" || name === "target") continue;
    if (name === "weight" && options.weightColumn === false) continue;
    return null;
  }
  // Buffer positions below assume every column is a fixed-width primitive: validity + values.
  for (const f of fields) if (f.type.typeId !== Type.Int && f.type.typeId !== Type.Float) return null;
  const intColumn = (i: number): Column | null => {
    const type = fields[i].type as IntType;
    if (type.typeId !== Type.Int || (type.bitWidth !== 32 && type.bitWidth !== 64)) return null;
    return { width: type.bitWidth === 32 ? 4 : 8, unsigned: !type.isSigned, positions: [], lengths: [] };
  };
  const source = intColumn(sourceAt);
  const target = intColumn(targetAt);
  if (source === null || target === null) return null;
  const batchRows: number[] = [];
  let rows = 0;
  let codec: Layout["codec"] | undefined;
  for (const block of footer.recordBatches()) {
    const meta = readAt(fd, block.metaDataLength, block.offset);
    if (meta === null) return null;
    const view = new DataView(meta.buffer);
    const prefix = view.getInt32(0, true);
    const start = prefix === -1 ? 8 : 4;
    const length = prefix === -1 ? view.getInt32(4, true) : prefix;
    if (length <= 0 || start + length > meta.length) return null;
    let message: Message;
    try {
      message = Message.decode(meta.subarray(start, start + length));
    } catch {
      return null;
    }
    if (message.headerType !== MessageHeader.RecordBatch) return null;
    const header = message.header() as BatchHeader;
    if (header.nodes.length !== fields.length || header.buffers.length !== 2 * fields.length) return null;
    // Compressed batches: every buffer is an LZ4 or ZSTD frame after its decompressed length (BUFFER method).
    const batchCodec = header.compression === null ? null : header.compression.type === CompressionType.LZ4_FRAME ? "lz4" : header.compression.type === CompressionType.ZSTD ? "zstd" : undefined;
    if (batchCodec === undefined || (codec !== undefined && batchCodec !== codec)) return null;
    codec = batchCodec;
    const count = header.length;
    const body = block.offset + block.metaDataLength;
    for (const [at, column] of [
      [sourceAt, source],
      [targetAt, target],
    ] as const) {
      const node = header.nodes[at];
      const values = header.buffers[2 * at + 1];
      if (node.length !== count || node.nullCount !== 0) return null;
      if (codec === null ? values.length < count * column.width : values.length < 8 && count > 0) return null;
      if (body + values.offset + (codec === null ? count * column.width : values.length) > size) return null;
      column.positions.push(body + values.offset);
      column.lengths.push(values.length);
    }
    batchRows.push(count);
    rows += count;
  }
  return rows === 0 ? null : { rows, batchRows, source, target, codec: codec ?? null };
}

/** Global row of each batch's first row, for `readColumn` (batchStarts[batches] = rows). */
function starts(batchRows: number[]): number[] {
  const out = [0];
  for (const count of batchRows) out.push(out[out.length - 1] + count);
  return out;
}

/**
 * Reads rows [r0, r0 + rows) of a column, across record batches, into `out` as int32; false when a read comes
 * short or an int64 id does not fit 32 bits. An int32 column is read straight into `out`; an out-of-range id
 * (negative, or ≥ 2³¹ in a uint32 column, which reads as negative) is caught by the kernels' range check.
 */
function readColumn(fd: number, col: Column, batchStarts: number[], r0: number, rows: number, out: Int32Array, scratch: () => Uint8Array): boolean {
  let lo = 0;
  let hi = batchStarts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (batchStarts[mid] <= r0) lo = mid;
    else hi = mid - 1;
  }
  let done = 0;
  for (let batch = lo; done < rows; batch++) {
    if (batch >= batchStarts.length - 1) return false;
    const within = r0 + done - batchStarts[batch];
    const take = Math.min(rows - done, batchStarts[batch + 1] - batchStarts[batch] - within);
    if (take <= 0) continue; // an empty batch
    const position = col.positions[batch] + within * col.width;
    if (col.width === 4) {
      if (!readFully(fd, new Uint8Array(out.buffer, out.byteOffset + 4 * done, 4 * take), position)) return false;
    } else {
      const bytes = scratch().subarray(0, 8 * take);
      if (!readFully(fd, bytes, position)) return false;
      if (!lowWords(new Int32Array(bytes.buffer, bytes.byteOffset, 2 * take), take, out, done)) return false;
    }
    done += take;
  }
  return true;
}

function readFully(fd: number, into: Uint8Array, position: number): boolean {
  let got = 0;
  while (got < into.length) {
    const n = readSync(fd, into, got, into.length - got, position + got);
    if (n === 0) return false;
    got += n;
  }
  return true;
}

/**
 * A compressed column, decompressed batch by batch into one int32 array (each buffer once; the three passes
 * then read it from memory); null when a frame does not decode to the batch's length or an int64 id does not
 * fit 32 bits (the general reader then reports or reads it).
 */
function decodeColumn(fd: number, col: Column, codec: "lz4" | "zstd", batchRows: number[], rows: number): Int32Array | null {
  const out = new Int32Array(rows);
  let at = 0;
  for (let batch = 0; batch < batchRows.length; batch++) {
    const count = batchRows[batch];
    if (count === 0) continue;
    const stored = readAt(fd, col.lengths[batch], col.positions[batch]);
    if (stored === null) return null;
    const declared = Number(new DataView(stored.buffer, stored.byteOffset, 8).getBigInt64(0, true));
    // The prefix is the decompressed length (Arrow's format; pyarrow and R write it so), or −1 for a buffer
    // stored as is. apache-arrow's JavaScript writer (21.x) puts the *compressed* length there instead, always
    // smaller than the values: then the batch's own length is the size to decode to.
    // A prefix far above the batch's values is not trusted with an allocation: the general reader takes it.
    if (declared > count * col.width + 4096) return null;
    const size = Math.max(declared, count * col.width);
    let bytes: Uint8Array;
    try {
      bytes = declared === -1 ? stored.subarray(8) : decompressBuffer(codec, stored.subarray(8), size);
    } catch {
      return null;
    }
    if (bytes.length < count * col.width) return null;
    // An Int32Array view needs a 4-byte-aligned offset: decoders hand back fresh arrays; copy otherwise.
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    if (col.width === 4) {
      out.set(new Int32Array(aligned.buffer, aligned.byteOffset, count), at);
    } else if (!lowWords(new Int32Array(aligned.buffer, aligned.byteOffset, 2 * count), count, out, at)) {
      return null;
    }
    at += count;
  }
  return out;
}

/** Reads slices of the two columns: from the file, or from the decompressed columns of a compressed file. */
function sliceReader(fd: number, layout: Layout): SliceReader | null {
  if (layout.codec !== null) {
    const source = decodeColumn(fd, layout.source, layout.codec, layout.batchRows, layout.rows);
    const target = source && decodeColumn(fd, layout.target, layout.codec, layout.batchRows, layout.rows);
    if (source === null || target === null) return null;
    return (r0, rows, a, b) => (a.set(source.subarray(r0, r0 + rows)), b.set(target.subarray(r0, r0 + rows)), true);
  }
  const batchStarts = starts(layout.batchRows);
  let buffer: Uint8Array | null = null;
  const scratch = () => (buffer ??= new Uint8Array(8 * SLICE_ROWS));
  return (r0, rows, a, b) =>
    readColumn(fd, layout.source, batchStarts, r0, rows, a, scratch) && readColumn(fd, layout.target, batchStarts, r0, rows, b, scratch);
}

function build(fd: number, layout: Layout, options: ArrowCsrOptions): CSR | null {
  const read = sliceReader(fd, layout);
  if (read === null) return null;
  const built = csrFromIdColumns(layout.rows, read, options);
  if (built === null) return null;
  const { n, m, offsets, targets, ids } = built;
  return withLazyKeys({ n, m, directed: options.directed ?? false, offsets, targets, weights: null }, () => Array.from(ids, String));
}
