/**
 * Compressed Feather v2 (Arrow IPC with LZ4-frame or ZSTD buffers: pyarrow's and R's default is LZ4). The
 * fixtures were compressed by the reference tools (scripts/make-feather-fixtures.mjs: liblz4 with linked 64 KB
 * blocks and a content checksum, as Arrow C++ writes LZ4 frames; libzstd), not by the product's code; they must
 * load to the CSR of the same edges written as CSV, and a damaged frame must give a GraphFormatError naming the
 * file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { GraphFormatError } from "../../src/errors.js";
import { loadNetworkFileSync } from "../../src/graph/load.js";
import { arrowFileToCSR } from "../../src/graph/io/arrow-csr.js";
import { lz4Frame } from "../../src/graph/io/arrow-lib.js";
import { FEATHER_ROWS, featherEdges } from "./fixtures/feather-edges.mjs";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "spreadlab-feather-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (a: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** Where the 4-byte frame magic occurs in the file (each compressed buffer starts one). */
function occurrences(file: Buffer, magic: number[]): number {
  let count = 0;
  for (let at = file.indexOf(Buffer.from(magic)); at >= 0; at = file.indexOf(Buffer.from(magic), at + 1)) count++;
  return count;
}

describe("compressed Feather v2 edge tables", () => {
  const { source, target } = featherEdges();
  const csv = join(dir, "edges.csv");
  writeFileSync(csv, ["source,target", ...Array.from(source, (s, i) => `${s},${target[i]}`)].join("\n") + "\n");
  const want = loadNetworkFileSync(csv);

  for (const [codec, magic] of [
    ["lz4", [0x04, 0x22, 0x4d, 0x18]],
    ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
  ] as const) {
    it(`${codec}: the CSR of the same edges as CSV, node for node`, () => {
      const path = join(fixtures, `edges-${codec}.feather`);
      // The fixture really is compressed: its two 160 KB columns (int64) are frames of that codec.
      const file = readFileSync(path);
      expect(occurrences(file, [...magic])).toBeGreaterThanOrEqual(2);
      expect(file.length).toBeLessThan(2 * 8 * FEATHER_ROWS);
      // The fast path (arrow-csr.ts) decodes the frames itself; the general reader through apache-arrow's
      // codec registry (a weight column the load must read sends the file there). Both give the CSV's CSR.
      expect(arrowFileToCSR(path), "fast path").not.toBeNull();
      const general = loadNetworkFileSync(path, { weight: "weight" });
      expect(Buffer.compare(bytes(general.targets), bytes(want.targets))).toBe(0);
      // apache-arrow's JavaScript writer puts each buffer's compressed length where the decompressed one
      // belongs: such a file reads the same.
      const jsStyle = Buffer.from(file);
      for (let at = jsStyle.indexOf(Buffer.from([...magic])); at >= 0; at = jsStyle.indexOf(Buffer.from([...magic]), at + 1)) {
        const size = Number(jsStyle.readBigInt64LE(at - 8));
        expect(size).toBe(8 * FEATHER_ROWS); // the fixture holds the format's value
        jsStyle.writeBigInt64LE(BigInt(1000 + (at % 997)), at - 8);
      }
      const jsPath = join(dir, `js-${codec}.feather`);
      writeFileSync(jsPath, jsStyle);
      const fromJs = arrowFileToCSR(jsPath);
      expect(fromJs).not.toBeNull();
      expect(Buffer.compare(bytes(fromJs!.targets), bytes(want.targets))).toBe(0);
      for (const directed of [false, true]) {
        const got = loadNetworkFileSync(path, { directed });
        const ref = directed ? loadNetworkFileSync(csv, { directed }) : want;
        expect([got.n, got.m]).toEqual([ref.n, ref.m]);
        expect(Buffer.compare(bytes(got.offsets), bytes(ref.offsets))).toBe(0);
        expect(Buffer.compare(bytes(got.targets), bytes(ref.targets))).toBe(0);
        expect(got.nodeIds).toEqual(ref.nodeIds);
        expect(got.nodeIds.length).toBe(10_003);
      }
    });
  }

  it("the sized LZ4 frame decoder: stored and compressed blocks, and a wrong size or a truncated frame refused", async () => {
    const { createRequire } = await import("node:module");
    const lz4 = createRequire(import.meta.url)("lz4js") as { compress(b: Uint8Array): Uint8Array };
    const patterned = Uint8Array.from({ length: 300_000 }, (_, i) => ((i * 7919) % 251) ^ (i >> 10));
    let x = 1;
    const noise = Uint8Array.from({ length: 200_000 }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
    for (const data of [patterned, noise]) {
      const frame = lz4.compress(data);
      expect(Buffer.compare(Buffer.from(lz4Frame(frame, data.length)), Buffer.from(data))).toBe(0);
      expect(() => lz4Frame(frame, data.length - 1)).toThrow(/more than its declared size|not the declared/);
      expect(() => lz4Frame(frame, data.length + 1)).toThrow(/not the declared/);
      expect(() => lz4Frame(frame.subarray(0, frame.length - 10), data.length)).toThrow(/ends inside/);
    }
    expect(() => lz4Frame(new Uint8Array(16), 4)).toThrow(/magic/);
  });

  it("a damaged frame: a GraphFormatError naming the file, the cause and what is read", () => {
    const file = Buffer.from(readFileSync(join(fixtures, "edges-lz4.feather")));
    const at = file.indexOf(Buffer.from([0x04, 0x22, 0x4d, 0x18]));
    file[at] = 0x05; // the first frame's magic
    const path = join(dir, "damaged.feather");
    writeFileSync(path, file);
    let error: unknown = null;
    try {
      loadNetworkFileSync(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphFormatError);
    expect(String((error as Error).message)).toMatch(/damaged\.feather/);
    expect(String((error as Error).message)).toMatch(/invalid magic number/);
    expect(String((error as Error).message)).toMatch(/LZ4 \(frame\) or ZSTD/);
  });
});
