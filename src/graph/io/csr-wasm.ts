/**
 * A CSR from two integer id columns (an edge table's `source` and `target`), built by small WebAssembly
 * kernels (csr-kernels.wat). Used by the Arrow fast path (arrow-csr.ts); the caller supplies the ids slice by
 * slice, so the table itself never has to be in memory.
 *
 * Why WebAssembly and not TypeScript: the loops are a few random reads and writes per edge, and V8 compiles
 * them from typed-array code 2.5–3× slower than gcc -O2 (every access reloads the array's base and length);
 * on 5·10⁶ edges the TypeScript passes took 0.83 s where the same loops in C take 0.33 s. The WebAssembly
 * kernels run at 1.3–1.6× C. Arcs are placed in two steps for cache locality: first into their owner's block
 * of 2^shift nodes, in row order, then within each block (which fits in cache) to their owners' lists — the
 * direct scatter into a 40 MB array was half of the time.
 *
 * The result is the CSR that the general readers build, element for element: nodes numbered in order of first
 * appearance (row by row, source before target), each node's arcs in row order, an undirected edge as two
 * arcs. Anything else — an id outside [0, 10⁹), ids too sparse for a dense table, a self-loop, a repeated edge,
 * a table too large for a 4 GB WebAssembly memory — returns null, and the general reader takes over (and
 * keeps, or reports, it exactly as before).
 */
import { CSR_KERNELS_WASM } from "./csr-kernels.wasm.js";

/** Rows per slice (1 MB per column): the slices are re-read three times and stay in cache. */
export const SLICE_ROWS = 1 << 18;
/** Integer ids ≥ 10⁹, or sparser than the dense table allows, go to the general reader (as NodeKeys). */
const ID_LIMIT = 1e9;
const DENSE_FLOOR = 1 << 20;
const DENSE_SLACK = 8;
const PAGE = 65536;
/** wasm32: 65,536 pages of 64 KiB. */
const MAX_PAGES = 65536;

interface Kernels {
  maxId(a: number, b: number, rows: number, max: number, limit: number): number;
  intern(a: number, b: number, rows: number, table: number, ids: number, deg: number, state: number, directed: number): void;
  scatter(a: number, b: number, rows: number, table: number, cursor: number, targets: number, low: number, shift: number, bits: number, directed: number): void;
  gather(first: number, last: number, offsets: number, targets: number, low: number, scratch: number, fill: number, bits: number): void;
  hasRepeat(first: number, last: number, offsets: number, targets: number, stamp: number): number;
}

/** Node's WebAssembly global, typed here: the project's lib (ES2022, no DOM) doesn't declare it. */
interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null = null;
function kernelModule(): object {
  return (compiled ??= new WASM.Module(Buffer.from(CSR_KERNELS_WASM, "base64")));
}

/**
 * Fills `a` and `b` (int32 views, `rows` long) with the ids of rows [r0, r0 + rows); false when the table can't
 * be read this way (the caller's general reader then reports it). Called for r0 = 0, SLICE_ROWS, … in each of
 * three passes.
 */
export type SliceReader = (r0: number, rows: number, a: Int32Array, b: Int32Array) => boolean;

/** Views on the kernels' (shared) memory, so free to pass to worker threads. */
export interface IdColumnsCSR {
  n: number;
  m: number;
  offsets: Int32Array;
  targets: Int32Array;
  /** The original id of each node, by index. */
  ids: Int32Array;
}

/** Byte-address bump allocator over the memory, 64-byte aligned. */
class Arena {
  top = 0;
  take(bytes: number): number {
    const at = this.top;
    this.top += Math.ceil(bytes / 64) * 64;
    return at;
  }
}

export interface IdColumnsOptions {
  directed?: boolean;
  /**
   * Where an arc's place in its owner's block is kept while arcs are placed: packed above the neighbour's bits
   * in the targets array itself (true) or in a separate u16 array (false). Default: packed when node indices
   * and a block of at least 2^(shift − 2) nodes fit in 32 bits (up to 2^20 nodes), which spares the u16 array:
   * 2 bytes per arc of fresh memory (20 MB at 5·10⁶ edges). The CSR is the same either way (tests force both).
   */
  pack?: boolean;
}

export function csrFromIdColumns(rows: number, read: SliceReader, options: IdColumnsOptions = {}): IdColumnsCSR | null {
  const directed = options.directed ?? false;
  if (rows <= 0) return null;
  const arena = new Arena();
  const state = arena.take(8);
  const aAt = arena.take(4 * SLICE_ROWS);
  const bAt = arena.take(4 * SLICE_ROWS);
  // Shared, so that the CSR's arrays can stay where the kernels wrote them and still go to worker threads.
  const memory = new WASM.Memory({ initial: Math.ceil(arena.top / PAGE), maximum: MAX_PAGES, shared: true });
  const k = new WASM.Instance(kernelModule(), { env: { memory } }).exports as unknown as Kernels;
  /** Grow the memory to hold the arena; false when it can't (too large for wasm32, or out of memory). */
  const fit = (): boolean => {
    const pages = Math.ceil(arena.top / PAGE);
    if (pages > MAX_PAGES) return false;
    const have = memory.buffer.byteLength / PAGE;
    if (pages <= have) return true;
    try {
      memory.grow(pages - have);
      return true;
    } catch {
      return false;
    }
  };
  /** Runs `kernel` on every slice, in row order; false when a slice could not be read. */
  const pass = (kernel: (rows: number) => boolean): boolean => {
    for (let r0 = 0; r0 < rows; r0 += SLICE_ROWS) {
      const count = Math.min(SLICE_ROWS, rows - r0);
      // Views are made afresh: after a grow, only a new buffer object spans the whole memory.
      if (!read(r0, count, new Int32Array(memory.buffer, aAt, count), new Int32Array(memory.buffer, bAt, count))) return false;
      if (!kernel(count)) return false;
    }
    return true;
  };

  // Pass 1: every id in range, and the largest (sizes the dense table).
  let max = -1;
  if (!pass((count) => (max = k.maxId(aAt, bAt, count, max, ID_LIMIT)) >= 0)) return null;
  if (max >= Math.max(DENSE_FLOOR, DENSE_SLACK * 2 * rows)) return null;

  // Pass 2: node indices in order of first appearance, and degrees (deg[index + 1], then the offsets).
  const bound = Math.min(max + 1, 2 * rows);
  const m = directed ? rows : 2 * rows; // exact, as long as there is no self-loop (checked below)
  const tableAt = arena.take(4 * (max + 1));
  const idsAt = arena.take(4 * bound);
  const degAt = arena.take(4 * (bound + 1));
  const targetsAt = arena.take(4 * m);
  if (!fit()) return null;
  new Int32Array(memory.buffer, state, 2).fill(0);
  if (!pass((count) => (k.intern(aAt, bAt, count, tableAt, idsAt, degAt, state, directed ? 1 : 0), true))) return null;
  const [n, loops] = new Int32Array(memory.buffer, state, 2);
  // A self-loop is kept in an edge list (writers, stats) and two of them are a repeated edge: the general reader's case.
  if (loops > 0) return null;
  let offsets = new Int32Array(memory.buffer, degAt, n + 1);
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];

  // Pass 3: arcs into their owner's block, in row order; then block by block into the owners' lists.
  // About 64 blocks of 2^shift nodes (2^10 to 2^16); packed, a node's place in its block must fit beside the
  // neighbour's index (bits + shift ≤ 32), which may make the blocks up to 4× smaller.
  const wide = Math.min(16, Math.max(10, Math.ceil(Math.log2(Math.max(1, n / 64)))));
  const bits = 32 - Math.clz32(Math.max(1, n - 1));
  const pack = options.pack ?? 32 - bits >= Math.max(10, wide - 2);
  const shift = pack ? Math.min(wide, 32 - bits) : wide;
  const blocks = ((n - 1) >> shift) + 1;
  const blockStart = (b: number) => offsets[Math.min(n, b << shift)];
  let region = 0;
  for (let b = 0; b < blocks; b++) region = Math.max(region, blockStart(b + 1) - blockStart(b));
  const lowAt = pack ? 0 : arena.take(2 * m);
  const cursorAt = arena.take(4 * blocks);
  const fillAt = arena.take(4 << shift);
  const scratchAt = arena.take(4 * region);
  if (!fit()) return null;
  offsets = new Int32Array(memory.buffer, degAt, n + 1);
  const cursor = new Int32Array(memory.buffer, cursorAt, blocks);
  for (let b = 0; b < blocks; b++) cursor[b] = blockStart(b);
  if (!pass((count) => (k.scatter(aAt, bAt, count, tableAt, cursorAt, targetsAt, lowAt, shift, pack ? bits : 0, directed ? 1 : 0), true))) return null;
  // Then block by block into the owners' lists, checking each block for a pair joined twice while its arcs are
  // in cache (a repeat is left to the general reader, which names both rows). The id table is free: stamps.
  new Int32Array(memory.buffer, tableAt, n).fill(0);
  for (let b = 0; b < blocks; b++) {
    const first = b << shift;
    const last = Math.min(n, (b + 1) << shift);
    k.gather(first, last, degAt, targetsAt, lowAt, scratchAt, fillAt, pack ? bits : 0);
    if (k.hasRepeat(first, last, degAt, targetsAt, tableAt) !== 0) return null;
  }

  // The CSR stays in the WebAssembly memory, as views: copying it out would touch as much fresh memory again
  // (0.35–2.5 ms per MB on this platform's machines, up to more than the kernels' work) and raise the peak by its size.
  // The scratch arrays beside it (≈ 60% of the CSR's size) live as long as it does.
  return {
    n,
    m,
    offsets: new Int32Array(memory.buffer, degAt, n + 1),
    targets: new Int32Array(memory.buffer, targetsAt, m),
    ids: new Int32Array(memory.buffer, idsAt, n),
  };
}
