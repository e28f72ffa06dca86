/**
 * Node positions for `GET /v1/networks/{id}/graph`. graphology-layout-forceatlas2 is not a dependency (the
 * dashboard runs ForceAtlas2 itself, in a worker), so the server gives a deterministic circular layout: node i
 * of n at angle 2πi/n on a circle of radius √n (so density on screen does not grow with n). Nodes that
 * already carry numeric x and y (e.g. GEXF viz positions) keep them.
 */
import type { SerializedGraph } from "graphology-types";

export function withCircularLayout(graph: SerializedGraph): SerializedGraph {
  const n = graph.nodes.length;
  const radius = Math.max(1, Math.sqrt(n));
  const nodes = graph.nodes.map((node, i) => {
    const attributes = { ...(node.attributes ?? {}) } as Record<string, unknown>;
    if (typeof attributes.x !== "number" || typeof attributes.y !== "number" || !Number.isFinite(attributes.x) || !Number.isFinite(attributes.y)) {
      const angle = (2 * Math.PI * i) / Math.max(1, n);
      attributes.x = radius * Math.cos(angle);
      attributes.y = radius * Math.sin(angle);
    }
    return { ...node, attributes };
  });
  return { ...graph, nodes };
}
