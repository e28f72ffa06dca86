/**
 * What the streaming network readers hand back — the edge-list reader (edgelist-stream.ts), the Arrow and
 * Parquet edge tables and the GraphML/GEXF reader (xml-stream.ts): interned node keys and typed edge arrays,
 * ready for CSR compilation without a graphology Graph.
 */
import type { GraphFormatError } from "../../errors.js";
import type { EdgeBuilder } from "../builder.js";
import type { NodeKeys } from "../node-keys.js";

/** What the reader produced: nodes interned in order of first appearance, edges in file order. */
export interface ParsedEdges {
  n: number;
  keys: NodeKeys;
  edges: EdgeBuilder;
  directed: boolean;
  /** Other numeric edge columns (Arrow tables), per edge in file order: what `weight`/`arcAttributes` may name. */
  attributes?: Record<string, Float64Array>;
  /**
   * Edges that lack an attribute (GraphML/GEXF: 1 where the edge has no value, which `attributes` holds as 0):
   * such an edge weighs 1 when the attribute is the weight, as `compile` reads a missing weight.
   */
  attributeGaps?: Record<string, Uint8Array>;
  /**
   * GraphML/GEXF only: the file's edges as it declares them, where `edges` does not show them. A mixed file
   * (directed and undirected edges) is read as directed with each undirected edge as two arcs, so `edges.count`
   * and `edges.selfLoops()` count those twice; and when only some edges have a weight, `edges.weights` holds 1
   * for the others (as `compile` reads a missing weight), so `unweightedEdges` tells a writer to leave the weight
   * column out, as graphology's writers do. Declared isolated nodes need no field: they are in `n` and `keys`.
   * Edge lists and edge tables leave it undefined (there `edges` is the file).
   */
  declared?: DeclaredEdges;
  /**
   * The error for the first line (or row) that repeats an earlier edge, or null. Not checked by `end()`:
   * callers that build the CSR anyway screen its adjacency lists first (`hasRepeatedEdge`), which is cheaper.
   */
  repeatError(): GraphFormatError | null;
}

/** What a GraphML/GEXF file declares (see `ParsedEdges.declared`). */
export interface DeclaredEdges {
  /** `<edge>` elements (graphology's `graph.size`). */
  edges: number;
  /** Of which self-loops (graphology's `graph.selfLoopCount`). */
  selfLoops: number;
  /** Directed and undirected edges (graphology's `directedSize`, `undirectedSize`). */
  directedEdges: number;
  undirectedEdges: number;
  /** Edges without a weight (0 when every edge has one, or when weights were not asked for). */
  unweightedEdges: number;
}
