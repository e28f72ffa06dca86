/**
 * The Arrow fast path (graph/io/arrow-csr.ts): an unweighted Arrow file with integer ids goes straight to CSR,
 * reading its columns slice by slice. It must give the CSR of the graphology path element for element, and
 * hand every file outside its shape (self-loops, repeats, weights, strings, nulls, huge or negative ids, the
 * stream form) back to the general reader — which then loads or reports it as before.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Graph from "graphology";
import { Int64, Table, Uint32, makeTable, tableToIPC, vectorFromArray } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CSR } from "../../src/graph/csr.js";
import { arrowFileToCSR } from "../../src/graph/io/arrow-csr.js";
import { loadNetworkFile, loadNetworkFileSync } from "../../src/graph/load.js";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { pathSpec, withoutElapsed } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "spreadlab-arrow-csr-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, table: Table, form: "file" | "stream" = "file"): string {
  const path = join(dir, name);
  writeFileSync(path, tableToIPC(table, form));
  return path;
}

/** The reference: a graphology graph with nodes in order of first appearance, compiled. */
function reference(sources: ArrayLike<number>, targets: ArrayLike<number>, directed = false): CSR {
  const graph = new Graph({ type: directed ? "directed" : "undirected", multi: false });
  for (let r = 0; r < sources.length; r++) {
    graph.mergeNode(String(sources[r]));
    graph.mergeNode(String(targets[r]));
    graph.addEdge(String(sources[r]), String(targets[r]));
  }
  return compile(graph);
}

function expectSame(a: CSR | null, b: CSR): void {
  expect(a).not.toBeNull();
  expect([a!.n, a!.m, a!.directed]).toEqual([b.n, b.m, b.directed]);
  expect(firstDifference(a!.offsets, b.offsets)).toBe(-1);
  expect(firstDifference(a!.targets, b.targets)).toBe(-1);
  expect(a!.weights).toBeNull();
  expect(firstDifference(a!.nodeIds, b.nodeIds)).toBe(-1);
  expect(a!.index.get(b.nodeIds[b.n - 1])).toBe(b.n - 1);
}

/** The first index where two arrays differ (a length mismatch counts), or −1: cheaper than a deep toEqual at 10⁵. */
function firstDifference<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/**
 * `count` distinct edges without self-loops on ids scattered over [0, 7·nodes): node i is joined to i + 1 and
 * i + 3 (mod nodes), ids are i·mult mod nodes (a permutation when mult is prime to nodes), times 7.
 */
function edges(nodes: number, count: number, mult = 7919): [Int32Array, Int32Array] {
  const s = new Int32Array(count);
  const t = new Int32Array(count);
  const id = (i: number) => ((i * mult) % nodes) * 7;
  for (let e = 0; e < count; e++) {
    const i = e >> 1;
    s[e] = id(i % nodes);
    t[e] = id((i + (e & 1 ? 3 : 1)) % nodes);
  }
  return [s, t];
}

describe("Arrow file → CSR fast path", () => {
  const [s, t] = edges(500, 1000);

  it("int32 ids: the graphology path's CSR, undirected and directed, sync and async", async () => {
    const path = file("i32.arrow", makeTable({ source: s, target: t }));
    expectSame(arrowFileToCSR(path), reference(s, t));
    expectSame(arrowFileToCSR(path, { directed: true }), reference(s, t, true));
    expectSame(loadNetworkFileSync(path), reference(s, t));
    expectSame(await loadNetworkFile(path, { directed: true }), reference(s, t, true));
  });

  it("int64 and uint32 ids, and a table of several record batches", () => {
    const i64 = new Table({ source: vectorFromArray(Array.from(s, BigInt), new Int64()), target: vectorFromArray(Array.from(t, BigInt), new Int64()) });
    expectSame(arrowFileToCSR(file("i64.arrow", i64)), reference(s, t));
    const u32 = new Table({ source: vectorFromArray(Array.from(s), new Uint32()), target: vectorFromArray(Array.from(t), new Uint32()) });
    expectSame(arrowFileToCSR(file("u32.feather", u32)), reference(s, t));
    const parts = makeTable({ source: s.subarray(0, 300), target: t.subarray(0, 300) })
      .concat(makeTable({ source: s.subarray(300, 301), target: t.subarray(300, 301) }))
      .concat(makeTable({ source: s.subarray(301), target: t.subarray(301) }));
    expect(parts.batches.length).toBe(3);
    expectSame(arrowFileToCSR(file("batches.arrow", parts)), reference(s, t));
  });

  it("a batch longer than one read slice (2¹⁸ rows), shared memory, and batches across slices", () => {
    const [bs, bt] = edges(150_001, 300_002, 104_729);
    const path = file("big.arrow", makeTable({ source: bs, target: bt }));
    const csr = arrowFileToCSR(path, { shared: true });
    expect(csr!.targets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(csr!.offsets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expectSame(csr, reference(bs, bt));
    // Record batches that straddle the read slices, int64: a slice is read from two or three batches.
    const int64 = (a: Int32Array) => vectorFromArray(Array.from(a, BigInt), new Int64());
    const cuts = [0, 100_000, 100_001, 250_000, 300_002];
    let parts = new Table({ source: int64(bs.subarray(0, cuts[1])), target: int64(bt.subarray(0, cuts[1])) });
    for (let i = 1; i + 1 < cuts.length; i++) {
      parts = parts.concat(new Table({ source: int64(bs.subarray(cuts[i], cuts[i + 1])), target: int64(bt.subarray(cuts[i], cuts[i + 1])) }));
    }
    expect(parts.batches.length).toBe(4);
    expectSame(arrowFileToCSR(file("big-batches.arrow", parts)), reference(bs, bt));
  });

  it("a weight column: ignored with weightColumn: false, else left to the general reader", () => {
    const path = file("w.arrow", makeTable({ source: s, target: t, weight: new Float64Array(s.length).fill(2) }));
    expectSame(arrowFileToCSR(path, { weightColumn: false }), reference(s, t));
    expect(arrowFileToCSR(path)).toBeNull();
    expect(arrowFileToCSR(file("i32-w.arrow", makeTable({ source: s, target: t })), { weightColumn: true })).toBeNull();
    // Through loadNetworkFileSync the general reader gives the same CSR, and its weights when asked.
    expectSame(loadNetworkFileSync(path), reference(s, t));
    expect(Array.from(loadNetworkFileSync(path, { weight: "weight" }).weights!).every((w) => w === 2)).toBe(true);
  });

  it("files outside its shape go to the general reader, which loads or reports them as before", () => {
    const loop = file("loop.arrow", makeTable({ source: new Int32Array([1, 2, 3]), target: new Int32Array([2, 2, 1]) }));
    expect(arrowFileToCSR(loop)).toBeNull();
    expect(loadNetworkFileSync(loop).m).toBe(4); // the self-loop is dropped from the CSR, as compile does
    const twice = file("twice.arrow", makeTable({ source: new Int32Array([1, 2, 2]), target: new Int32Array([2, 3, 1]) }));
    expect(arrowFileToCSR(twice)).toBeNull();
    expect(() => loadNetworkFileSync(twice)).toThrow(/row 2 repeats the edge in row 0/);
    const twoLoops = file("loops.arrow", makeTable({ source: new Int32Array([1, 1]), target: new Int32Array([1, 1]) }));
    expect(() => loadNetworkFileSync(twoLoops)).toThrow(/row 1 repeats the edge in row 0/);
    const huge = file("huge.arrow", new Table({ source: vectorFromArray([1n, 5_000_000_000n], new Int64()), target: vectorFromArray([2n, 1n], new Int64()) }));
    expect(arrowFileToCSR(huge)).toBeNull();
    expect(loadNetworkFileSync(huge).nodeIds).toEqual(["1", "2", "5000000000"]);
    const sparse = file("sparse.arrow", makeTable({ source: new Int32Array([0, 900_000_000]), target: new Int32Array([1, 0]) }));
    expect(arrowFileToCSR(sparse)).toBeNull();
    expect(loadNetworkFileSync(sparse).nodeIds).toEqual(["0", "1", "900000000"]);
    const negative = file("neg.arrow", makeTable({ source: new Int32Array([-1, 2]), target: new Int32Array([2, 3]) }));
    expect(arrowFileToCSR(negative)).toBeNull();
    expect(loadNetworkFileSync(negative).nodeIds).toEqual(["-1", "2", "3"]);
    const nulls = file("nulls.arrow", new Table({ source: vectorFromArray([1, null, 3]), target: vectorFromArray([2, 3, 1]) }));
    expect(arrowFileToCSR(nulls)).toBeNull();
    expect(() => loadNetworkFileSync(nulls)).toThrow(/"source" column is null in row 1/);
    const strings = file("str.arrow", new Table({ source: vectorFromArray(["a", "b"]), target: vectorFromArray(["b", "c"]) }));
    expect(arrowFileToCSR(strings)).toBeNull();
    expect(loadNetworkFileSync(strings).nodeIds).toEqual(["a", "b", "c"]);
    const extra = file("extra.arrow", makeTable({ source: s, target: t, school: new Int32Array(s.length) }));
    expect(arrowFileToCSR(extra)).toBeNull();
    expectSame(loadNetworkFileSync(extra), reference(s, t));
    const stream = file("stream.arrow", makeTable({ source: s, target: t }), "stream");
    expect(arrowFileToCSR(stream)).toBeNull();
    expectSame(loadNetworkFileSync(stream), reference(s, t));
    expect(arrowFileToCSR(join(dir, "absent.arrow"))).toBeNull();
    writeFileSync(join(dir, "junk.arrow"), "ARROW1\0\0 not really arrow ARROW1");
    expect(arrowFileToCSR(join(dir, "junk.arrow"))).toBeNull();
  });

  it("the same edges as CSV (general reader) and as Arrow (fast path) simulate bit-identically", () => {
    const csv = join(dir, "sim.csv");
    writeFileSync(csv, "source,target\n" + Array.from(s, (a, e) => `${a},${t[e]}`).join("\n") + "\n");
    const arrow = file("sim.arrow", makeTable({ source: s, target: t }));
    expect(arrowFileToCSR(arrow)).not.toBeNull();
    const spec = pathSpec({ beta: 0.8, seed: 5, runs: 3 });
    const strip = withoutElapsed;
    const reference = strip(simulate(loadNetworkFileSync(csv), spec));
    expect(reference.finalSize.mean).toBeGreaterThan(3); // an outbreak, so that the comparison covers spread
    expect(strip(simulate(loadNetworkFileSync(arrow), spec))).toEqual(reference);
  });
});
