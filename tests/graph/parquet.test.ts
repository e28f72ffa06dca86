/**
 * Parquet edge tables (graph/io/parquet.ts): what `network convert --to parquet` writes loads to the CSR of the
 * CSV it came from; files written by another writer (hyparquet-writer with INT64 ids, several row groups,
 * string ids, extra columns) read by column name; bad tables are GraphFormatErrors naming the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { parquetMetadata } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CSR } from "../../src/graph/csr.js";
import { readNetworkSync } from "../../src/graph/io/index.js";
import { edgesToParquet } from "../../src/graph/io/parquet-write.js";
import { loadNetworkFile, loadNetworkFileSync, readEdgesSync } from "../../src/graph/load.js";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { pathSpec, withoutElapsed } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "spreadlab-parquet-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string | Uint8Array | ArrayBuffer): string {
  const path = join(dir, name);
  writeFileSync(path, content instanceof ArrayBuffer ? new Uint8Array(content) : content);
  return path;
}

function expectSameCSR(a: CSR, b: CSR): void {
  expect(a.n).toBe(b.n);
  expect(a.m).toBe(b.m);
  expect(a.directed).toBe(b.directed);
  expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
  expect(Array.from(a.targets)).toEqual(Array.from(b.targets));
  expect(a.weights === null ? null : Array.from(a.weights)).toEqual(b.weights === null ? null : Array.from(b.weights));
  expect(a.nodeIds).toEqual(b.nodeIds);
}

// Scattered integer ids, a few self-loops, no repeats.
const rows: [number, number][] = [];
{
  const seen = new Set<string>();
  let x = 99;
  const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  while (rows.length < 1200) {
    const a = (next() % 400) * 5 + 1;
    const b = next() % 60 === 0 ? a : (next() % 400) * 5 + 1;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push([a, b]);
  }
}
const csvText = "source,target,weight\n" + rows.map(([a, b], i) => `${a},${b},${((i * 31) % 97) / 8}`).join("\n");
const csvPath = fixture("edges.csv", csvText);

describe("Parquet edge tables", () => {
  it("an edge list converted to Parquet loads to the same CSR as the CSV (undirected and directed, sync and async)", async () => {
    const path = fixture("edges.parquet", edgesToParquet(readEdgesSync(csvPath)!));
    for (const directed of [false, true]) {
      const reference = compile(readNetworkSync(csvPath, { directed }), { weight: "weight" });
      expectSameCSR(loadNetworkFileSync(path, { directed, weight: "weight" }), reference);
      expectSameCSR(await loadNetworkFile(path, { directed, weight: "weight" }), reference);
    }
    expect(readEdgesSync(path)!.keys.integer).toBe(true);
  });

  it("INT64 ids over several row groups, string ids, and numeric columns as edge attributes", () => {
    const n = rows.length;
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: "source", data: new BigInt64Array(rows.map(([a]) => BigInt(a))), type: "INT64" },
        { name: "target", data: new BigInt64Array(rows.map(([, b]) => BigInt(b))), type: "INT64" },
        { name: "note", data: rows.map(() => "x"), type: "STRING" },
        { name: "school", data: new Int32Array(n).map((_, i) => i % 3), type: "INT32" },
      ],
      rowGroupSize: 100,
    });
    const path = fixture("int64.parquet", bytes);
    const plain = fixture("plain.csv", rows.map(([a, b]) => `${a},${b}`).join("\n"));
    expectSameCSR(loadNetworkFileSync(path), compile(readNetworkSync(plain)));
    const csr = loadNetworkFileSync(path, { weight: "school", arcAttributes: ["school"] });
    expect(Array.from(csr.weights!)).toEqual(Array.from(csr.arcData!.school));
    // Edge i (not a self-loop) carries school i % 3 on its first arc: spot-check the first edge.
    const [a, b] = rows[0];
    const u = csr.index.get(String(a))!;
    const arc = csr.offsets[u];
    expect(csr.nodeIds[csr.targets[arc]]).toBe(String(b));
    expect(csr.arcData!.school[arc]).toBe(0);

    const strings = fixture("s.parquet", parquetWriteBuffer({ columnData: [{ name: "source", data: ["a", "b", "c"], type: "STRING" }, { name: "target", data: ["b", "c", "a"], type: "STRING" }] }));
    const triangle = loadNetworkFileSync(strings);
    expect(triangle.nodeIds).toEqual(["a", "b", "c"]);
    expect(triangle.m).toBe(6);
  });

  it("bit-identical simulation: CSV and Parquet", () => {
    const spec = pathSpec({ beta: 0.4, seed: 5, runs: 2, weight: "weight" });
    const strip = withoutElapsed;
    const path = fixture("sim.parquet", edgesToParquet(readEdgesSync(csvPath)!));
    expect(strip(simulate(loadNetworkFileSync(path, { weight: "weight" }), spec))).toEqual(strip(simulate(readNetworkSync(csvPath), spec)));
  });

  it("missing columns, nulls, negative weights, repeated rows and junk are GraphFormatErrors naming the file", () => {
    const write = (name: string, columnData: Parameters<typeof parquetWriteBuffer>[0]["columnData"]) => fixture(name, parquetWriteBuffer({ columnData }));
    const noTarget = write("bad1.parquet", [{ name: "from", data: new Int32Array([1]), type: "INT32" }, { name: "to", data: new Int32Array([2]), type: "INT32" }]);
    expect(() => loadNetworkFileSync(noTarget)).toThrow(/bad1\.parquet: the Parquet table has columns \[from, to\]; expected "source" and "target"/);
    const negative = write("bad2.parquet", [
      { name: "source", data: new Int32Array([1, 2]), type: "INT32" },
      { name: "target", data: new Int32Array([2, 3]), type: "INT32" },
      { name: "weight", data: new Float64Array([1, -1]), type: "DOUBLE" },
    ]);
    expect(() => loadNetworkFileSync(negative)).toThrow(/bad2\.parquet: weight -1 in row 1/);
    const repeated = write("bad3.parquet", [{ name: "source", data: new Int32Array([1, 2, 2]), type: "INT32" }, { name: "target", data: new Int32Array([2, 3, 1]), type: "INT32" }]);
    expect(() => loadNetworkFileSync(repeated)).toThrow(/row 2 repeats the edge in row 0/);
    const nulls = write("bad4.parquet", [{ name: "source", data: [1, null, 3], type: "INT32", nullable: true }, { name: "target", data: new Int32Array([2, 3, 1]), type: "INT32" }]);
    expect(() => loadNetworkFileSync(nulls)).toThrow(/bad4\.parquet: the "source" column is null in row 1/);
    expect(() => loadNetworkFileSync(fixture("junk.parquet", "not parquet at all"))).toThrow(/junk\.parquet: cannot read the Parquet file/);
    expect(() => loadNetworkFileSync(noTarget, { weightColumn: true })).toThrow(/expected "source" and "target"/);
  });

  it("ids read into an Int32Array keep what the number path gave: negative ids, INT64 ids beyond 32 bits, nullable INT32 pages", () => {
    const csv = fixture("wide.csv", "5000000000,-2\n-2,7\n7,2147483647\n-2147483648,7\n");
    const wide = fixture("wide.parquet", parquetWriteBuffer({ columnData: [
      { name: "source", data: new BigInt64Array([5000000000n, -2n, 7n, -2147483648n]), type: "INT64" },
      { name: "target", data: new BigInt64Array([-2n, 7n, 2147483647n, 7n]), type: "INT64" },
    ] }));
    const narrow = fixture("narrow.parquet", parquetWriteBuffer({ columnData: [
      { name: "source", data: new BigInt64Array([-2n, 7n, 7n, -2147483648n]), type: "INT64" },
      { name: "target", data: [7, 2147483647, 3, 7], type: "INT32", nullable: true },
    ] }));
    const narrowCsv = fixture("narrow.csv", "-2,7\n7,2147483647\n7,3\n-2147483648,7\n");
    expectSameCSR(loadNetworkFileSync(wide), compile(readNetworkSync(csv)));
    expect(loadNetworkFileSync(wide).nodeIds).toEqual(["5000000000", "-2", "7", "2147483647", "-2147483648"]);
    expectSameCSR(loadNetworkFileSync(narrow), compile(readNetworkSync(narrowCsv)));
  });

  it("gzip, brotli, zstd, lz4 and lz4_raw tables load to the CSR of the CSV; LZO is refused naming the codec and column", () => {
    const reference = compile(readNetworkSync(csvPath), { weight: "weight" });
    const parsed = readEdgesSync(csvPath)!;
    const columnData = [
      { name: "source", data: new Int32Array(rows.map(([a]) => a)), type: "INT32" as const },
      { name: "target", data: new Int32Array(rows.map(([, b]) => b)), type: "INT32" as const },
      { name: "weight", data: parsed.edges.weights!.slice(0, parsed.edges.count), type: "DOUBLE" as const },
    ];
    const compressors = { GZIP: gzipSync, BROTLI: brotliCompressSync, ZSTD: zstdRawFrame, LZ4: lz4Hadoop, LZ4_RAW: lz4Literals };
    for (const codec of ["GZIP", "BROTLI", "ZSTD", "LZ4", "LZ4_RAW"] as const) {
      // Small pages and row groups: many compressed pages per column.
      const bytes = parquetWriteBuffer({ columnData, codec, compressors, rowGroupSize: 500, pageSize: 1024 });
      const path = fixture(`${codec}.parquet`, bytes);
      expect(codecsOf(bytes)).toEqual([codec]);
      expectSameCSR(loadNetworkFileSync(path, { weight: "weight" }), reference);
    }
    const lzo = fixture("lzo.parquet", parquetWriteBuffer({ columnData, codec: "LZO", compressors: { LZO: (x: Uint8Array) => x } }));
    expect(() => loadNetworkFileSync(lzo)).toThrow(/lzo\.parquet: the "source" column is compressed with LZO, which spreadlab cannot read; write the table with snappy, gzip, zstd, brotli or lz4/);
  });
});

/** The codecs of a Parquet file's column chunks. */
function codecsOf(bytes: ArrayBuffer): string[] {
  const codecs = new Set<string>();
  for (const group of parquetMetadata(bytes).row_groups) for (const chunk of group.columns) codecs.add(chunk.meta_data!.codec);
  return [...codecs];
}

// Test-only compressors (Node 20's zlib has no zstd or lz4): valid streams that store the bytes uncompressed, which
// is all a reader's decoding needs — the framing, block headers and lengths are what the decompressors check.

/** A zstd frame of raw blocks (RFC 8878: no content size, 128 KiB window, blocks of at most 128 KiB). */
function zstdRawFrame(input: Uint8Array): Uint8Array {
  const parts: number[] = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];
  const max = 1 << 17;
  let p = 0;
  do {
    const size = Math.min(max, input.length - p);
    const last = p + size === input.length ? 1 : 0;
    const header = (size << 3) | last; // block type 0: raw
    parts.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff);
    for (let i = 0; i < size; i++) parts.push(input[p + i]);
    p += size;
  } while (p < input.length);
  return Uint8Array.from(parts);
}

/** An LZ4 block of one literal-only sequence (the LZ4 block format's last sequence). */
function lz4Literals(input: Uint8Array): Uint8Array {
  const parts: number[] = [];
  const n = input.length;
  parts.push(Math.min(n, 15) << 4);
  if (n >= 15) {
    let rest = n - 15;
    while (rest >= 255) {
      parts.push(255);
      rest -= 255;
    }
    parts.push(rest);
  }
  for (let i = 0; i < n; i++) parts.push(input[i]);
  return Uint8Array.from(parts);
}

/** Parquet's LZ4 (Hadoop framing): big-endian uncompressed and compressed lengths, then the LZ4 block. */
function lz4Hadoop(input: Uint8Array): Uint8Array {
  const block = lz4Literals(input);
  const out = new Uint8Array(8 + block.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, input.length);
  view.setUint32(4, block.length);
  out.set(block, 8);
  return out;
}
