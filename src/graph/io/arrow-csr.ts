/**
 * Arrow IPC edge tables straight to CSR, for the common case: an Arrow *file* (Feather v2) whose `source` and
 * `target` columns are integers (int32 or int64, signed or unsigned, no nulls), uncompressed, with no other
 * column the load would read. Everything else returns null and the general reader (arrow.ts) takes over —
 * including every error, which that reader words with rows and file names.
 *
 * Why a second reader: on this platform's machines a page of fresh memory costs far more than the work done on
 * it (first touch measured at 4–8 ms per MB in the 2-core VM, against ≈ 0.3 ms/MB for memory already
 * touched), so loading 5·10⁶ edges was dominated by the arrays it allocated: the whole file, node-index
 * columns, a fill array and a stamp array (≈ 140 MB, for a 44 MB CSR). This reader reads the two columns
 * slice by slice into one reused buffer, three times (bounds, interning and degrees, then arcs) — re-reading
 * from the page cache is cheap — and allocates only the CSR, a dense id table and the node ids.
 *
 * The result is the CSR the general path builds, element for element: nodes numbered in order of first
 * appearance (row by row, source before target), arcs of each node in row order, undirected edges as two arcs.
 * A self-loop (kept in an edge list, dropped from the CSR, and subject to the repeated-edge rule) or a repeated
 * edge also hands over to the general reader, which keeps or reports it exactly as before.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { Message, MessageHeader, Type } from "apache-arrow";
// The footer decoder is not re-exported from apache-arrow's root, but its package exports every module path
// ("./*"); the record batches' buffer positions are read with it and `Message`, the rest by hand.
import { Footer } from "apache-arrow/ipc/metadata/file";
import type { RecordBatch as BatchHeader } from "apache-arrow/ipc/metadata/message";
import type { Int as IntType } from "apache-arrow";
import type { CSR } from "../csr.js";
import { withLazyKeys } from "../builder.js";

/** Rows read per slice (≤ 2 MB per int64 column): the buffers stay in cache and are reused. */
const SLICE_ROWS = 1 << 18;
/** As NodeKeys: integer ids ≥ 10⁹, or sparser than this table allows, go to the general reader. */
const ID_LIMIT = 1e9;
const DENSE_FLOOR = 1 << 20;
const DENSE_SLACK = 8;
const MAGIC = "ARROW1";

export interface ArrowCsrOptions {
  directed?: boolean;
  /**
   * false: a `weight` column is ignored. Otherwise a table with one is left to the general reader (it validates
   * it), as is `true` (it must be there).
   */
  weightColumn?: boolean;
  shared?: boolean;
}

interface Column {
  /** Bytes per value: 4 or 8. */
  width: 4 | 8;
  unsigned: boolean;
  /** File position of each record batch's value buffer. */
  positions: number[];
}

interface Layout {
  rows: number;
  batchRows: number[];
  source: Column;
  target: Column;
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
  let got = 0;
  while (got < length) {
    const n = readSync(fd, out, got, length - got, position + got);
    if (n === 0) return null;
    got += n;
  }
  return out;
}

/** Footer, schema and record-batch headers; null when anything is outside the fast path's shape. */
function readLayout(fd: number, options: ArrowCsrOptions): Layout | null {
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
    return { width: type.bitWidth === 32 ? 4 : 8, unsigned: !type.isSigned, positions: [] };
  };
  const source = intColumn(sourceAt);
  const target = intColumn(targetAt);
  if (source === null || target === null) return null;
  const batchRows: number[] = [];
  let rows = 0;
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
    if (header.compression !== null || header.nodes.length !== fields.length || header.buffers.length !== 2 * fields.length) return null;
    const count = header.length;
    const body = block.offset + block.metaDataLength;
    for (const [at, column] of [
      [sourceAt, source],
      [targetAt, target],
    ] as const) {
      const node = header.nodes[at];
      const values = header.buffers[2 * at + 1];
      if (node.length !== count || node.nullCount !== 0 || values.length < count * column.width) return null;
      if (body + values.offset + count * column.width > size) return null;
      column.positions.push(body + values.offset);
    }
    batchRows.push(count);
    rows += count;
  }
  return rows === 0 ? null : { rows, batchRows, source, target };
}

/**
 * Calls `visit(a, b)` for every row in order, with the ids as numbers; stops and returns false when `visit`
 * does, or when an id is not an integer in [0, 10⁹).
 */
function scan(fd: number, layout: Layout, buffers: [Uint8Array, Uint8Array], visit: (a: Int32Array, b: Int32Array, rows: number) => boolean): boolean {
  const { source, target, batchRows } = layout;
  // Ids as int32 for the visitor: int64 (and uint32) values are narrowed after a range check.
  const a32 = new Int32Array(SLICE_ROWS);
  const b32 = new Int32Array(SLICE_ROWS);
  for (let batch = 0; batch < batchRows.length; batch++) {
    const count = batchRows[batch];
    for (let r0 = 0; r0 < count; r0 += SLICE_ROWS) {
      const rows = Math.min(SLICE_ROWS, count - r0);
      if (!column(fd, source, batch, r0, rows, buffers[0], a32)) return false;
      if (!column(fd, target, batch, r0, rows, buffers[1], b32)) return false;
      if (!visit(a32, b32, rows)) return false;
    }
  }
  return true;
}

/** Read `rows` values of a column from row `r0` of a batch into `out` as int32; false when one is out of range. */
function column(fd: number, col: Column, batch: number, r0: number, rows: number, buffer: Uint8Array, out: Int32Array): boolean {
  const bytes = rows * col.width;
  const position = col.positions[batch] + r0 * col.width;
  let got = 0;
  while (got < bytes) {
    const n = readSync(fd, buffer, got, bytes - got, position + got);
    if (n === 0) return false;
    got += n;
  }
  const words = new Int32Array(buffer.buffer, 0, (rows * col.width) >> 2);
  if (col.width === 4) {
    for (let r = 0; r < rows; r++) {
      const x = words[r];
      // int32: negative is out; uint32 read as int32: ≥ 2³¹ shows as negative, also out.
      if (x < 0 || x >= ID_LIMIT) return false;
      out[r] = x;
    }
  } else {
    // Little-endian int64/uint64: the high word must be 0 and the low word below 10⁹.
    for (let r = 0; r < rows; r++) {
      const lo = words[2 * r];
      if (words[2 * r + 1] !== 0 || lo < 0 || lo >= ID_LIMIT) return false;
      out[r] = lo;
    }
  }
  return true;
}

function int32(length: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

function build(fd: number, layout: Layout, options: ArrowCsrOptions): CSR | null {
  const directed = options.directed ?? false;
  const shared = options.shared ?? false;
  const { rows } = layout;
  const buffers: [Uint8Array, Uint8Array] = [new Uint8Array(SLICE_ROWS * 8), new Uint8Array(SLICE_ROWS * 8)];

  // Pass 1: every id in range, and the largest (sizes the dense table).
  let max = -1;
  const inRange = scan(fd, layout, buffers, (a, b, count) => {
    for (let r = 0; r < count; r++) {
      if (a[r] > max) max = a[r];
      if (b[r] > max) max = b[r];
    }
    return true;
  });
  if (!inRange || max >= Math.max(DENSE_FLOOR, DENSE_SLACK * 2 * rows)) return null;

  // Pass 2: node indices in order of first appearance (table: id → index + 1, 0 = unseen), degrees, self-loops.
  const table = new Int32Array(max + 1);
  const bound = Math.min(max + 1, 2 * rows);
  const ids = new Int32Array(bound);
  const degree = int32(bound + 1, shared); // degree[v + 1], then prefix sums: the CSR offsets
  let n = 0;
  let loops = 0;
  scan(fd, layout, buffers, (a, b, count) => {
    for (let r = 0; r < count; r++) {
      const x = a[r];
      let u = table[x];
      if (u === 0) {
        u = table[x] = ++n;
        ids[n - 1] = x;
      }
      const y = b[r];
      let v = table[y];
      if (v === 0) {
        v = table[y] = ++n;
        ids[n - 1] = y;
      }
      if (u === v) loops++;
      else {
        degree[u]++; // u, v are index + 1: degree[index + 1]
        if (!directed) degree[v]++;
      }
    }
    return true;
  });
  // A self-loop is kept in the edge list (writers, stats) and two are a repeated edge: the general reader's case.
  if (loops > 0) return null;
  let offsets = degree;
  if (n + 1 !== degree.length) {
    offsets = int32(n + 1, shared);
    offsets.set(degree.subarray(0, n + 1));
  }
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const m = offsets[n];

  // Pass 3: arcs in row order. offsets[v] serves as v's fill pointer and ends at v's end (= v + 1's start);
  // one shift afterwards restores the starts, with no separate fill array.
  const targets = int32(m, shared);
  scan(fd, layout, buffers, (a, b, count) => {
    for (let r = 0; r < count; r++) {
      const u = table[a[r]] - 1;
      const v = table[b[r]] - 1;
      targets[offsets[u]++] = v;
      if (!directed) targets[offsets[v]++] = u;
    }
    return true;
  });
  for (let v = n; v > 0; v--) offsets[v] = offsets[v - 1];
  offsets[0] = 0;

  // A pair joined twice: leave it to the general reader, which names both rows. The table is free now: stamps.
  const stamp = table;
  stamp.fill(0);
  for (let v = 0; v < n; v++) {
    const mark = v + 1;
    for (let p = offsets[v]; p < offsets[v + 1]; p++) {
      const t = targets[p];
      if (stamp[t] === mark) return null;
      stamp[t] = mark;
    }
  }
  const keys = ids.subarray(0, n);
  return withLazyKeys({ n, m, directed, offsets, targets, weights: null }, () => Array.from(keys, String));
}
