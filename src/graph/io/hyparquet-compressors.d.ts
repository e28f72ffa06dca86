// Types for the one hyparquet-compressors module parquet.ts imports directly: the package's entry point also
// instantiates its WebAssembly snappy and loads its gzip and brotli decoders (≈ 45 ms CPU at import, in every
// process that can load a network), none of which spreadlab uses (snappy is hyparquet's, gzip/brotli Node's zlib).
declare module "hyparquet-compressors/src/lz4.js" {
  /** Parquet LZ4: Hadoop-framed blocks, or a bare LZ4 block. */
  export function decompressLz4(input: Uint8Array, outputLength: number): Uint8Array;
  /** Parquet LZ4_RAW: one LZ4 block. */
  export function decompressLz4Raw(input: Uint8Array, outputLength: number): Uint8Array;
}
