/**
 * apache-arrow, loaded on first use. Its ES module build is ≈ 150 modules (≈ 80 ms of every CLI start, where
 * most commands never read an Arrow file); its CommonJS build loads in about half that, and `require` keeps the
 * readers synchronous. Every module here takes Arrow from this one place, so Arrow objects never cross between
 * the two builds.
 *
 * Compressed record batches: Feather v2 as pyarrow and R's arrow write it by default compresses each buffer
 * with LZ4 (frame format), or ZSTD when asked. apache-arrow reads them through codecs registered here: LZ4
 * frames with lz4js (a decoder that keeps one output, so frames of linked blocks — liblz4's default — decode
 * too), ZSTD frames with fzstd (also the Parquet reader's). Each loads on the first compressed buffer.
 */
import { createRequire } from "node:module";

type Arrow = typeof import("apache-arrow");
type ArrowFooter = typeof import("apache-arrow/ipc/metadata/file");

const load = createRequire(import.meta.url);
let arrow: Arrow | null = null;
let footer: ArrowFooter | null = null;

export function arrowLib(): Arrow {
  if (arrow === null) {
    const lib = load("apache-arrow") as Arrow;
    let lz4: { decompress(src: Uint8Array): Uint8Array } | null = null;
    let zstd: { decompress(src: Uint8Array): Uint8Array } | null = null;
    lib.compressionRegistry.set(lib.CompressionType.LZ4_FRAME, { decode: (bytes) => (lz4 ??= load("lz4js")).decompress(bytes) });
    lib.compressionRegistry.set(lib.CompressionType.ZSTD, { decode: (bytes) => (zstd ??= load("fzstd")).decompress(bytes) });
    arrow = lib;
  }
  return arrow;
}

/** The IPC file footer's decoder (not re-exported from the root; the package exports every module path). */
export function arrowFooter(): ArrowFooter {
  return (footer ??= load("apache-arrow/ipc/metadata/file") as ArrowFooter);
}
