/**
 * `network stats` and `network convert` on files: edge lists (`.gz` too) and Arrow/Feather edge tables go
 * through the typed-array readers (no graphology); GEXF, GraphML and JSON through graphology, as before.
 */
import type Graph from "graphology";
import { SpreadlabError } from "../errors.js";
import { buildCSR } from "../graph/builder.js";
import { compile, type CSR } from "../graph/csr.js";
import { readNetwork, writeNetwork, type NetworkFormat } from "../graph/io/index.js";
import { writeArrowEdges } from "../graph/io/arrow.js";
import { writeParquetEdges } from "../graph/io/parquet.js";
import type { ParsedEdges } from "../graph/io/edgelist-stream.js";
import { edgesFromGraph, edgesToGraph, loadFormatFromPath, readEdges, type LoadFormat } from "../graph/load.js";

/** The CSR of a network file, with its edge and self-loop counts (as `network stats` reports them). */
export async function fileForStats(path: string, format: LoadFormat, directed: boolean | undefined): Promise<{ csr: CSR; edges: number; selfLoops: number }> {
  const parsed = await readEdges(path, { format, directed });
  if (parsed !== null) {
    const selfLoops = parsed.edges.selfLoops();
    return { csr: buildCSR(parsed.n, parsed.edges, parsed.keys, { directed: parsed.directed, weighted: false }), edges: parsed.edges.count - selfLoops, selfLoops };
  }
  const graph = await readNetwork(path, { format: format as NetworkFormat, directed });
  const selfLoops = graph.selfLoopCount;
  return { csr: compile(graph), edges: graph.size - selfLoops, selfLoops };
}

export interface ConvertResult {
  from: LoadFormat;
  to: LoadFormat;
  nodes: number;
  edges: number;
  directed: boolean;
}

/**
 * Read `input` and write `output` (atomically). Edge lists and Arrow tables become a graphology Graph only
 * when the output is a graphology format; Arrow output keeps node ids and weights (other attributes are dropped).
 * `writeFailure` wraps file-system errors of the write.
 */
export async function convertFile(
  input: string,
  output: string,
  options: { from?: LoadFormat; to?: LoadFormat; directed?: boolean },
  writeFailure: (error: unknown) => Error,
): Promise<ConvertResult> {
  const from = options.from ?? loadFormatFromPath(input).format;
  const target = options.to === undefined ? loadFormatFromPath(output) : { format: options.to, gzip: false };
  if (target.gzip) throw new SpreadlabError(`network convert: ${output}: writing .gz is not supported; compress the file afterwards (gzip ${output.replace(/\.gz$/i, "")}).`);
  const to = target.format;
  const parsed: ParsedEdges | null = await readEdges(input, { format: from, directed: options.directed });
  let graph: Graph | null = null;
  let edges: ParsedEdges | null = parsed;
  if (parsed === null) graph = await readNetwork(input, { format: from as NetworkFormat, directed: options.directed });
  try {
    if (to === "arrow" || to === "parquet") {
      edges ??= edgesFromGraph(graph!);
      await (to === "arrow" ? writeArrowEdges : writeParquetEdges)(edges, output);
    } else {
      graph ??= edgesToGraph(parsed!);
      await writeNetwork(graph, output, to);
    }
  } catch (error) {
    if (error instanceof SpreadlabError) throw error;
    throw writeFailure(error);
  }
  if (edges !== null) return { from, to, nodes: edges.n, edges: edges.edges.count, directed: edges.directed };
  return { from, to, nodes: graph!.order, edges: graph!.size, directed: graph!.type === "directed" };
}
