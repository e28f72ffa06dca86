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
