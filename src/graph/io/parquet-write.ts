/**
 * Parquet edge tables, written (`spreadlab network convert … --to parquet`). Apart from the reader
 * (parquet.ts) because hyparquet-writer is ≈ 50 ES modules that only this command needs: the CLI imports this
 * file when it writes Parquet, so no other command pays for loading them.
 */
import { writeFileAtomic } from "./common.js";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { ParsedEdges } from "./parsed-edges.js";

/**
 * Serialise an edge table as Parquet (snappy): int32 `source`/`target` when every node key is an integer,
 * strings otherwise; float64 `weight` when the edges have weights; numeric edge attributes as float64 columns.
 */
export function edgesToParquet(parsed: ParsedEdges): Uint8Array {
  const { keys, edges } = parsed;
  const count = edges.count;
  const integerIds = keys.integerIds();
  const columnData: Parameters<typeof parquetWriteBuffer>[0]["columnData"] = [];
  if (integerIds !== null) {
    const source = new Int32Array(count);
    const target = new Int32Array(count);
    for (let e = 0; e < count; e++) {
      source[e] = integerIds[edges.sources[e]];
      target[e] = integerIds[edges.targets[e]];
    }
    columnData.push({ name: "source", data: source, type: "INT32", nullable: false }, { name: "target", data: target, type: "INT32", nullable: false });
  } else {
    const names = keys.toArray();
    const column = (index: Int32Array): string[] => Array.from(index.subarray(0, count), (v) => names[v]);
    columnData.push({ name: "source", data: column(edges.sources), type: "STRING", nullable: false }, { name: "target", data: column(edges.targets), type: "STRING", nullable: false });
  }
  if (edges.weights !== null) columnData.push({ name: "weight", data: edges.weights.slice(0, count), type: "DOUBLE", nullable: false });
  for (const [name, values] of Object.entries(parsed.attributes ?? {})) {
    if (name === "source" || name === "target" || name === "weight") continue;
    columnData.push({ name, data: values.slice(0, count), type: "DOUBLE", nullable: false });
  }
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

/** Write an edge table as a Parquet file, atomically (temporary file, then rename). */
export async function writeParquetEdges(parsed: ParsedEdges, path: string): Promise<void> {
  await writeFileAtomic(path, edgesToParquet(parsed));
}
