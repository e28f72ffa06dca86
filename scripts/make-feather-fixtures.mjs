#!/usr/bin/env node
// Writes tests/graph/fixtures/edges-{lz4,zstd}.feather: the edges of fixtures/feather-edges.mjs as Feather v2
// (Arrow IPC file, int64 columns as pandas gives them) with every buffer compressed the way pyarrow and R's
// arrow do it by default, by the reference libraries' command-line tools — `lz4` (liblz4: linked 64 KB blocks,
// as Arrow C++'s LZ4 frame codec writes them, plus a content checksum) and `zstd` (libzstd) — so the tests
// decode frames that the product's own code did not make. Needs lz4 and zstd on the PATH (Debian: lz4, zstd).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CompressionType, compressionRegistry, makeTable, tableToIPC } from "apache-arrow";
import { featherEdges } from "../tests/graph/fixtures/feather-edges.mjs";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "tests", "graph", "fixtures");
const tool = (command, args) => (bytes) => new Uint8Array(execFileSync(command, args, { input: bytes, maxBuffer: 1 << 26 }));
const codecs = {
  lz4: [CompressionType.LZ4_FRAME, tool("lz4", ["-B4", "-BD", "--content-size", "-c", "-q"])],
  zstd: [CompressionType.ZSTD, tool("zstd", ["-3", "-c", "-q"])],
};
const { source, target } = featherEdges();
for (const [name, [type, encode]] of Object.entries(codecs)) {
  const frames = [];
  const recording = (bytes) => {
    const frame = encode(bytes);
    frames.push({ frame, size: bytes.length });
    return frame;
  };
  compressionRegistry.set(type, { encode: recording, decode: () => { throw new Error("not used"); } });
  frames.length = 0; // set() tries the encoder on a few bytes
  const bytes = tableToIPC(makeTable({ source, target }), "file", type);
  // apache-arrow's JavaScript writer (21.x) writes each buffer's compressed length in the 8-byte prefix where
  // the format (and pyarrow, R) put the decompressed length: write the format's value, as pyarrow would.
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const { frame, size } of frames) {
    if (frame.length >= size) continue; // not worth it: the writer stores that buffer as is (prefix −1)
    const at = file.indexOf(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
    if (at < 8) throw new Error("a compressed buffer is not in the file");
    file.writeBigInt64LE(BigInt(size), at - 8);
  }
  writeFileSync(join(dir, `edges-${name}.feather`), bytes);
  console.log(`edges-${name}.feather: ${bytes.length} bytes`);
}
