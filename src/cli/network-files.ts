/**
 * `network stats` and `network convert` on files. Edge lists (`.gz` too), Arrow/Feather and Parquet edge
 * tables, and GraphML/GEXF (`.gz` too, through the streaming XML reader, io/xml-stream.ts) are read to typed
 * arrays with no graphology Graph; their CSV/TSV, Arrow and Parquet output is written from the arrays.
 *
 * graphology stays where it carries something the arrays do not: graphology JSON input (its reader is
 * graphology's own import, `Graph.from`, and a JSON file is graphology's export, so there is no stream to gain
 * and nothing to check twice), and GEXF/GraphML/JSON output (graphology's writers, which keep node and edge
 * attributes, labels included, when the input is GEXF, GraphML or JSON).
 */
import type Graph from "graphology";
import { GraphFormatError, SpreadlabError } from "../errors.js";
import { buildCSR, EdgeBuilder } from "../graph/builder.js";
import { compile, type CSR } from "../graph/csr.js";
import { readNetwork, writeNetwork, type NetworkFormat } from "../graph/io/index.js";
import { writeArrowEdges } from "../graph/io/arrow.js";
import { writeFileAtomic } from "../graph/io/common.js";
import type { ParsedEdges } from "../graph/io/parsed-edges.js";
import { writeParsedEdgeList } from "../graph/io/edgelist-write.js";
import { edgesFromGraph, edgesToGraph, loadFormatFromPath, readEdges, readXmlEdges, type LoadFormat } from "../graph/load.js";

const GRAPHOLOGY_OUTPUT: readonly LoadFormat[] = ["gexf", "graphml", "json"];

/** The CSR of a network file, with its edge and self-loop counts (as `network stats` reports them). */
export async function fileForStats(path: string, format: LoadFormat, directed: boolean | undefined): Promise<{ csr: CSR; edges: number; selfLoops: number }> {
  const parsed = (await readEdges(path, { format, directed })) ?? (await readXmlEdges(path, { format, directed }));
  if (parsed !== null) {
    // GraphML/GEXF: the edges the file declares (a mixed file's undirected edge is one edge, two arcs), as graphology counts them.
    const selfLoops = parsed.declared?.selfLoops ?? parsed.edges.selfLoops();
    const count = parsed.declared?.edges ?? parsed.edges.count;
    return { csr: buildCSR(parsed.n, parsed.edges, parsed.keys, { directed: parsed.directed, weighted: false }), edges: count - selfLoops, selfLoops };
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
 * The edge table written for Arrow/Parquet output of a GraphML/GEXF file: what `edgesFromGraph` gives for the
 * graph graphology reads of it — source, target and a weight column only when every edge has a weight (other
 * edge attributes are not written) — and the same refusal of a file with both directed and undirected edges.
 */
function tableOfXml(parsed: ParsedEdges, from: LoadFormat): ParsedEdges {
  const declared = parsed.declared!;
  if (declared.directedEdges > 0 && declared.undirectedEdges > 0) {
    throw new GraphFormatError("an edge table cannot hold both directed and undirected edges; keep GEXF, GraphML or JSON");
  }
  const { sources, targets, weights, count } = parsed.edges;
  const edges = EdgeBuilder.from(sources, targets, count > 0 && declared.unweightedEdges === 0 ? weights : null, count);
  return { n: parsed.n, keys: parsed.keys, edges, directed: xmlDirected(parsed, from), repeatError: () => null };
}

/**
 * Directed as graphology's graph of a GraphML/GEXF file is "directed" (the word `network convert` prints): no
 * undirected edge; with no edges at all, GraphML's edgedefault decides and GEXF's graph is mixed (not directed).
 * The CSR is another matter: there a mixed graph is directed (see io/xml-stream.ts).
 */
function xmlDirected(parsed: ParsedEdges, from: LoadFormat): boolean {
  const declared = parsed.declared!;
  if (declared.edges > 0) return declared.undirectedEdges === 0;
  return from === "graphml" && parsed.directed;
}

/**
 * Read `input` and write `output` (atomically). Typed arrays all the way unless one side is graphology's (JSON
 * input; GEXF/GraphML/JSON output). Arrow/Parquet output keeps node ids and weights (other attributes are
 * dropped). `writeFailure` wraps file-system errors of the write.
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
  const read = { format: from, directed: options.directed };
  let parsed: ParsedEdges | null = await readEdges(input, read);
  // GraphML/GEXF to GraphML/GEXF/JSON goes through graphology, which keeps node and edge attributes.
  if (parsed === null && !GRAPHOLOGY_OUTPUT.includes(to)) parsed = await readXmlEdges(input, read);
  let graph: Graph | null = null;
  if (parsed === null) graph = await readNetwork(input, { format: from as NetworkFormat, directed: options.directed });
  let edges: ParsedEdges | null = null;
  try {
    if (to === "arrow" || to === "parquet") {
      edges = graph !== null ? edgesFromGraph(graph) : parsed!.declared !== undefined ? tableOfXml(parsed!, from) : parsed!;
      // The Parquet writer's library loads only here (parquet-write.ts says why).
      const write = to === "arrow" ? writeArrowEdges : (await import("../graph/io/parquet-write.js")).writeParquetEdges;
      await write(edges, output);
    } else if (parsed !== null && (to === "csv" || to === "tsv")) {
      edges = parsed;
      await writeFileAtomic(output, writeParsedEdgeList(parsed, { delimiter: to === "tsv" ? "\t" : "," }));
    } else {
      graph ??= edgesToGraph(parsed!);
      await writeNetwork(graph, output, to as NetworkFormat);
    }
  } catch (error) {
    if (error instanceof SpreadlabError) throw error;
    throw writeFailure(error);
  }
  if (edges !== null) {
    // A GraphML/GEXF file's counts are its own (graphology's order, size and type), as before it was streamed.
    if (edges.declared !== undefined) return { from, to, nodes: edges.n, edges: edges.declared.edges, directed: xmlDirected(edges, from) };
    return { from, to, nodes: edges.n, edges: edges.edges.count, directed: edges.directed };
  }
  if (parsed !== null) return { from, to, nodes: parsed.n, edges: parsed.edges.count, directed: parsed.directed };
  return { from, to, nodes: graph!.order, edges: graph!.size, directed: graph!.type === "directed" };
}
