/**
 * Edge lists written from parsed edges (typed arrays): what `network convert` writes for csv/tsv output when the
 * input was read to typed arrays (edge lists, Arrow/Parquet tables, GraphML/GEXF through the streaming reader),
 * without a graphology Graph. Kept beside csv.ts (whose quoting it shares) so that file stays about graphology graphs.
 */
import { GraphFormatError } from "../../errors.js";
import { type EdgeListWriteOptions, quote } from "./csv.js";
import type { ParsedEdges } from "./parsed-edges.js";
import { firstRepeat } from "./repeated-edges.js";

/**
 * `writeEdgeList` for parsed edges (typed arrays, no graphology Graph): the same text and the same refusals,
 * in the same order, as `writeEdgeList(edgesToGraph(parsed))` — or, for a GraphML/GEXF file (`parsed.declared`),
 * as writeEdgeList on the graph graphology reads of it: mixed direction, parallel edges (a multigraph),
 * isolated nodes; a weight column only when every edge has a weight.
 */
export function writeParsedEdgeList(parsed: ParsedEdges, options: Pick<EdgeListWriteOptions, "delimiter"> = {}): string {
  const delimiter = options.delimiter ?? ",";
  const sep = delimiter === "whitespace" ? " " : delimiter;
  const { keys, edges, declared } = parsed;
  const { sources, targets, count } = edges;
  if (declared !== undefined && declared.directedEdges > 0 && declared.undirectedEdges > 0) {
    throw new GraphFormatError("an edge list cannot hold both directed and undirected edges; write GEXF, GraphML or JSON instead");
  }
  if (firstRepeat(sources, targets, count, parsed.n, parsed.directed) !== null) {
    throw new GraphFormatError("an edge list is read back without parallel edges; write GEXF, GraphML or JSON for a multigraph");
  }
  const names = keys.toArray();
  const touched = new Uint8Array(parsed.n);
  for (let e = 0; e < count; e++) touched[sources[e]] = touched[targets[e]] = 1;
  const isolated: string[] = [];
  for (let v = 0; v < parsed.n; v++) if (touched[v] === 0) isolated.push(names[v]);
  if (isolated.length > 0) {
    const shown = isolated.slice(0, 5).map((k) => JSON.stringify(k)).join(", ");
    throw new GraphFormatError(
      `${isolated.length} node(s) have no edges (${shown}${isolated.length > 5 ? ", …" : ""}) and an edge list cannot ` +
        `hold them; write GEXF, GraphML or JSON instead, or remove the isolated nodes`,
    );
  }
  const weights = count > 0 && (declared?.unweightedEdges ?? 0) === 0 ? edges.weights : null;
  const quoted = names.map((name) => quote(name, delimiter));
  const out: string[] = [weights !== null ? ["source", "target", "weight"].join(sep) : ["source", "target"].join(sep)];
  for (let e = 0; e < count; e++) {
    const row = quoted[sources[e]] + sep + quoted[targets[e]];
    out.push(weights === null ? row : row + sep + String(weights[e]));
  }
  return out.join("\n") + "\n";
}

