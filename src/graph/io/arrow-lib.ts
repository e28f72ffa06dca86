/**
 * apache-arrow, loaded on first use. Its ES module build is ≈ 150 modules (≈ 80 ms of every CLI start, where
 * most commands never read an Arrow file); its CommonJS build loads in about half that, and `require` keeps the
 * readers synchronous. Every module here takes Arrow from this one place, so Arrow objects never cross between
 * the two builds.
 *
 * Compressed record batches: Feather v2 as pyarrow and R's arrow write it by default compresses each buffer
 * with LZ4 (frame format), or ZSTD when asked. apache-arrow reads them through codecs registered here: LZ4
 * frames with lz4js (a decoder that keeps one output, so frames of linked blocks — liblz4's default — decode
 * too; it loads on the first LZ4 buffer), ZSTD frames with fzstd (also the Parquet reader's).
 */
import { createRequire } from "node:module";
// fzstd: the Parquet reader's ZSTD decoder (parquet.ts imports it too), small enough to load up front.
import { decompress as zstdDecompress } from "fzstd";

type Arrow = typeof import("apache-arrow");
type ArrowFooter = typeof import("apache-arrow/ipc/metadata/file");

const load = createRequire(import.meta.url);
let arrow: Arrow | null = null;
let footer: ArrowFooter | null = null;

interface Lz4js {
  decompress(src: Uint8Array): Uint8Array;
  /** Decodes the LZ4 block src[at, at + length) into dst from `into`; returns the end of what it wrote. */
  decompressBlock(src: Uint8Array, dst: Uint8Array, at: number, length: number, into: number): number;
}
let lz4: Lz4js | null = null;
const lz4js = () => (lz4 ??= load("lz4js") as Lz4js);

/**
 * Decompress one Arrow body buffer (without its 8-byte length prefix): an LZ4 frame or a ZSTD frame. With
 * `size` (the prefix: the decompressed length) an LZ4 frame is decoded by `lz4Frame` below.
 */
export function decompressBuffer(codec: "lz4" | "zstd", bytes: Uint8Array, size?: number): Uint8Array {
  if (codec === "zstd") return zstdDecompress(bytes);
  return size === undefined ? lz4js().decompress(bytes) : lz4Frame(bytes, size);
}

const LZ4_MAGIC = 0x184d2204;

/**
 * An LZ4 frame whose decompressed size is known, into one array of that size. The frame layout is read here
 * and each compressed block goes to lz4js's block decoder (blocks may refer back into earlier ones: liblz4's
 * default, linked blocks, works since they share the output). Written here rather than lz4js's `decompress`
 * because that one sizes its output by scanning the frame, copies stored (incompressible) blocks a byte at a
 * time and copies the result once more: on 5·10⁶ random int64 ids that was half of the Feather load.
 * Checksums are skipped, as lz4js does. Throws on a malformed frame or a size that does not match.
 */
export function lz4Frame(src: Uint8Array, size: number): Uint8Array {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (src.length < 7 || view.getUint32(0, true) !== LZ4_MAGIC) throw new Error("not an LZ4 frame (magic number)");
  const flags = src[4];
  if (flags >> 6 !== 1) throw new Error(`LZ4 frame version ${flags >> 6} is not 1`);
  const blockChecksums = (flags & 0x10) !== 0;
  let at = 6 + ((flags & 0x08) !== 0 ? 8 : 0) + ((flags & 0x01) !== 0 ? 4 : 0) + 1; // content size, dictionary id, header checksum
  const out = new Uint8Array(size);
  let written = 0;
  for (;;) {
    if (at + 4 > src.length) throw new Error("LZ4 frame ends inside a block header");
    const word = view.getUint32(at, true);
    at += 4;
    if (word === 0) break; // end mark
    const length = word & 0x7fffffff;
    if (at + length > src.length) throw new Error("LZ4 frame ends inside a block");
    if (word & 0x80000000) {
      if (written + length > size) throw new Error("LZ4 frame holds more than its declared size");
      out.set(src.subarray(at, at + length), written);
      written += length;
    } else {
      written = lz4js().decompressBlock(src, out, at, length, written);
      if (written > size) throw new Error("LZ4 frame holds more than its declared size");
    }
    at += length + (blockChecksums ? 4 : 0);
  }
  if (written !== size) throw new Error(`LZ4 frame holds ${written} bytes, not the declared ${size}`);
  return out;
}

export function arrowLib(): Arrow {
  if (arrow === null) {
    const lib = load("apache-arrow") as Arrow;
    lib.compressionRegistry.set(lib.CompressionType.LZ4_FRAME, { decode: (bytes) => decompressBuffer("lz4", bytes) });
    lib.compressionRegistry.set(lib.CompressionType.ZSTD, { decode: (bytes) => decompressBuffer("zstd", bytes) });
    arrow = lib;
  }
  return arrow;
}

/** The IPC file footer's decoder (not re-exported from the root; the package exports every module path). */
export function arrowFooter(): ArrowFooter {
  return (footer ??= load("apache-arrow/ipc/metadata/file") as ArrowFooter);
}
