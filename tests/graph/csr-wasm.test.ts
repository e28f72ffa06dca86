/**
 * The WebAssembly CSR kernels (graph/io/csr-wasm.ts, csr-kernels.wat): the embedded module is the one the
 * .wat compiles to, and `csrFromIdColumns` gives, element for element, the CSR of the plain definition below
 * (nodes in order of first appearance, row by row, source before target; each node's arcs in row order; an
 * undirected edge as two arcs) — over several blocks and slices — or null for anything the general reader
 * must handle.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CSR_KERNELS_WASM } from "../../src/graph/io/csr-kernels.wasm.js";
import { csrFromIdColumns, SLICE_ROWS, type SliceReader } from "../../src/graph/io/csr-wasm.js";
import { createRandom } from "../../src/random.js";

/** The definition, written the obvious way. */
function plainCSR(s: Int32Array, t: Int32Array, directed: boolean) {
  const index = new Map<number, number>();
  const ids: number[] = [];
  const at = (x: number) => {
    let v = index.get(x);
    if (v === undefined) index.set(x, (v = ids.push(x) - 1));
    return v;
  };
  const lists: number[][] = [];
  for (let r = 0; r < s.length; r++) {
    const u = at(s[r]);
    const v = at(t[r]);
    (lists[u] ??= []).push(v);
    if (!directed) (lists[v] ??= []).push(u);
  }
  const offsets = new Int32Array(ids.length + 1);
  for (let v = 0; v < ids.length; v++) offsets[v + 1] = offsets[v] + (lists[v]?.length ?? 0);
  const targets = Int32Array.from(lists.flatMap((l) => l ?? []));
  return { n: ids.length, m: targets.length, offsets, targets, ids: Int32Array.from(ids) };
}

const bytes = (a: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function reader(s: Int32Array, t: Int32Array, calls?: number[]): SliceReader {
  return (r0, rows, a, b) => {
    calls?.push(r0);
    a.set(s.subarray(r0, r0 + rows));
    b.set(t.subarray(r0, r0 + rows));
    return true;
  };
}

/** Distinct random edges without self-loops on `nodes` ids spread over [0, spread·nodes). */
function randomEdges(seed: number, nodes: number, count: number, spread = 3): [Int32Array, Int32Array] {
  const rng = createRandom(seed);
  const seen = new Set<number>();
  const s = new Int32Array(count);
  const t = new Int32Array(count);
  for (let e = 0; e < count; ) {
    const u = Math.floor(rng.next() * nodes);
    const v = Math.floor(rng.next() * nodes);
    const key = Math.min(u, v) * nodes + Math.max(u, v);
    if (u === v || seen.has(key)) continue;
    seen.add(key);
    s[e] = u * spread;
    t[e] = v * spread;
    e++;
  }
  return [s, t];
}

describe("WebAssembly CSR kernels", () => {
  it("the embedded module is what csr-kernels.wat compiles to (run scripts/build-wasm.mjs after editing it)", async () => {
    const script = new URL("../../scripts/build-wasm.mjs", import.meta.url).href;
    const { compileKernels } = (await import(script)) as { compileKernels: (source: string) => Promise<Buffer> };
    const wat = readFileSync(fileURLToPath(new URL("../../src/graph/io/csr-kernels.wat", import.meta.url)), "utf8");
    expect((await compileKernels(wat)).toString("base64")).toBe(CSR_KERNELS_WASM);
  });

  it("the plain definition's CSR, undirected and directed, over many blocks and three slices, places packed or not", () => {
    // 2.5 slices of rows, and 2·10⁵ nodes: blocks of 2¹² nodes (shift = ⌈log2(n/64)⌉), the last one partial;
    // the places in a block packed beside the 18-bit node indices (the default here) or kept apart (forced).
    const rows = 2 * SLICE_ROWS + SLICE_ROWS / 2;
    const [s, t] = randomEdges(11, 200_000, rows);
    for (const [directed, pack] of [[false, undefined], [true, undefined], [false, false], [true, false], [false, true]] as const) {
      const calls: number[] = [];
      const got = csrFromIdColumns(rows, reader(s, t, calls), { directed, pack });
      const want = plainCSR(s, t, directed);
      expect(got).not.toBeNull();
      expect([got!.n, got!.m]).toEqual([want.n, want.m]);
      expect(Buffer.compare(bytes(got!.offsets), bytes(want.offsets))).toBe(0);
      expect(Buffer.compare(bytes(got!.targets), bytes(want.targets))).toBe(0);
      expect(Buffer.compare(bytes(got!.ids), bytes(want.ids))).toBe(0);
      expect(got!.targets.buffer).toBeInstanceOf(SharedArrayBuffer);
      // Three passes over three slices, each in row order.
      expect(calls).toEqual([0, SLICE_ROWS, 2 * SLICE_ROWS, 0, SLICE_ROWS, 2 * SLICE_ROWS, 0, SLICE_ROWS, 2 * SLICE_ROWS]);
    }
  });

  it("small tables: one block, a star, isolated ids never seen", () => {
    const cases: [number[], number[]][] = [
      [[5], [9]],
      [
        [0, 0, 0, 0],
        [1, 2, 3, 4],
      ],
      [
        [40, 7, 40, 1000],
        [7, 1000, 3, 3],
      ],
    ];
    for (const [a, b] of cases) {
      const s = Int32Array.from(a);
      const t = Int32Array.from(b);
      for (const directed of [false, true]) {
        const got = csrFromIdColumns(s.length, reader(s, t), { directed });
        const want = plainCSR(s, t, directed);
        expect({ ...got, offsets: Array.from(got!.offsets), targets: Array.from(got!.targets), ids: Array.from(got!.ids) }).toEqual({
          ...want,
          offsets: Array.from(want.offsets),
          targets: Array.from(want.targets),
          ids: Array.from(want.ids),
        });
      }
    }
  });

  it("null for what the general reader must handle: self-loops, repeats, ids out of range or too sparse, a failed read", () => {
    const run = (a: number[], b: number[], directed = false) => csrFromIdColumns(a.length, reader(Int32Array.from(a), Int32Array.from(b)), { directed });
    expect(run([1, 2], [2, 3])).not.toBeNull();
    expect(run([1, 2], [2, 2])).toBeNull(); // self-loop
    expect(run([1, 2, 2], [2, 3, 1])).toBeNull(); // the edge {1, 2} twice, undirected
    expect(run([1, 2], [2, 1], true)).not.toBeNull(); // …but two arcs, directed
    expect(run([1, 1], [2, 2], true)).toBeNull();
    expect(run([-1, 2], [2, 3])).toBeNull(); // negative (or ≥ 2³¹ from a uint32 column)
    expect(run([1e9, 2], [2, 3])).toBeNull(); // beyond the id limit
    expect(run([0, 900_000_000], [1, 0])).toBeNull(); // too sparse for the dense table
    expect(run([0, 1 << 19], [1, 0])).not.toBeNull(); // …but within the dense floor
    // A repeat found in a later block (each block is checked right after its in-block sort): a last row
    // joins, reversed, the pair of an earlier row whose both ends are numbered late (2·10⁵ nodes, 49 blocks).
    const [s, t] = randomEdges(3, 200_000, 300_000);
    const index = plainCSR(s, t, false).ids.reduce((map, id, v) => map.set(id, v), new Map<number, number>());
    const low = (e: number) => Math.min(index.get(s[e])!, index.get(t[e])!);
    let late = 0;
    for (let e = 1; e < s.length; e++) if (low(e) > low(late)) late = e;
    expect(low(late)).toBeGreaterThan(1 << 12); // both ends beyond the first block of 2¹² nodes
    const repeated = (a: Int32Array, b: Int32Array) => Int32Array.from([...a, b[late]]);
    expect(csrFromIdColumns(s.length, reader(s, t))).not.toBeNull();
    expect(csrFromIdColumns(s.length + 1, reader(repeated(s, t), repeated(t, s)))).toBeNull();
    expect(csrFromIdColumns(0, reader(new Int32Array(0), new Int32Array(0)))).toBeNull();
    expect(csrFromIdColumns(2, () => false)).toBeNull();
  });
});
