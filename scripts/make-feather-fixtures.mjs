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
  compressionRegistry.set(type, { encode, decode: () => { throw new Error("not used"); } });
  const bytes = tableToIPC(makeTable({ source, target }), "file", type);
  writeFileSync(join(dir, `edges-${name}.feather`), bytes);
  console.log(`edges-${name}.feather: ${bytes.length} bytes`);
}
