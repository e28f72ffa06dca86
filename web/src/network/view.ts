/**
 * The network on screen: sigma 3 over a graphology graph, ForceAtlas2 in its web worker, nodes sized by
 * degree. Colours during playback come from a Uint8Array of compartment indices read by the nodeReducer,
 * and each frame refreshes only the nodes that changed (`refresh({ partialGraph, skipIndexation })`,
 * DESIGN.md), never `setNodeAttribute` per node. Networks up to MAX_SHOWN = 10⁵ nodes are drawn whole; larger
 * ones as a uniform sample of 2·10⁴ nodes with their induced edges, with a note (sample.ts).
 */
import Graph from "graphology";
import Sigma from "sigma";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { downloadAsPNG } from "@sigma/export-image";
import type { SerializedGraph } from "graphology-types";
import { nodeSize } from "./degree.js";
import { MAX_SHOWN, shownIndices } from "./sample.js";
import { IDLE_COLOUR } from "../palette.js";
export { sampleIndices, MAX_SHOWN } from "./sample.js";
const FADED = "#dde3e8";

export interface LoadInfo {
  total: number;
  shown: number;
  edgesShown: number;
  degrees: Int32Array;
  edges: number;
}

export class GraphView {
  readonly graph = new Graph({ multi: false, allowSelfLoops: true, type: "mixed" });
  readonly renderer: Sigma;
  private layout: FA2Layout | null = null;
  /** Compartment index per result node (null: no run shown), and its colours. */
  private states: Uint8Array | null = null;
  private colours: string[] = [];
  /** Result node index per graph node key, set when a result is shown. */
  private keys: string[] = [];
  private query = "";
  private matches = new Set<string>();
  readonly seeds = new Set<string>();
  onNodeClick: ((key: string) => void) | null = null;
  onLayoutChange: ((running: boolean) => void) | null = null;

  constructor(container: HTMLElement) {
    this.renderer = new Sigma(this.graph, container, {
      defaultEdgeColor: "#c9d1d9",
      labelRenderedSizeThreshold: 9,
      labelFont: "Inter, system-ui, sans-serif",
      zIndex: true,
      // The graph lives in a tab that may be hidden while the window resizes.
      allowInvalidContainer: true,
      nodeReducer: (key, attrs) => {
        const out = { ...attrs } as Record<string, unknown>;
        const states = this.states;
        if (states) out.color = this.colours[states[attrs.r as number]] ?? IDLE_COLOUR;
        if (this.seeds.has(key)) {
          out.highlighted = true;
          out.forceLabel = true;
          out.zIndex = 2;
        }
        if (this.query) {
          if (this.matches.has(key)) {
            out.highlighted = true;
            out.forceLabel = true;
            out.zIndex = 3;
          } else if (!states) out.color = FADED;
        }
        return out;
      },
    });
    this.renderer.on("clickNode", ({ node }) => this.onNodeClick?.(node));
    this.renderer.on("enterNode", () => container.classList.add("pointer"));
    this.renderer.on("leaveNode", () => container.classList.remove("pointer"));
  }

  /** Replace the graph. Returns what was loaded (a sample when the network is over MAX_SHOWN nodes). */
  load(data: SerializedGraph, maxShown = MAX_SHOWN): LoadInfo {
    this.stopLayout();
    this.layout?.kill();
    this.layout = null;
    this.states = null;
    this.seeds.clear();
    this.graph.clear();
    const total = data.nodes.length;
    const degreeOf = new Map<string, number>();
    for (const e of data.edges) {
      degreeOf.set(e.source, (degreeOf.get(e.source) ?? 0) + 1);
      degreeOf.set(e.target, (degreeOf.get(e.target) ?? 0) + 1);
    }
    const degrees = Int32Array.from(data.nodes, (n) => degreeOf.get(n.key) ?? 0);
    const sample = shownIndices(total, maxShown);
    const keep = sample ? new Set(Array.from(sample, (i) => data.nodes[i].key)) : null;
    let maxDegree = 0;
    for (const d of degrees) maxDegree = Math.max(maxDegree, d);
    data.nodes.forEach((node, i) => {
      if (keep && !keep.has(node.key)) return;
      const a = (node.attributes ?? {}) as Record<string, unknown>;
      this.graph.addNode(node.key, { x: Number(a.x) || 0, y: Number(a.y) || 0, size: nodeSize(degrees[i], maxDegree), label: typeof a.label === "string" ? a.label : node.key, color: IDLE_COLOUR, r: i, degree: degrees[i] });
    });
    for (const e of data.edges) {
      if (e.source === e.target || !this.graph.hasNode(e.source) || !this.graph.hasNode(e.target)) continue;
      if (this.graph.hasEdge(e.source, e.target) || this.graph.hasEdge(e.target, e.source)) continue;
      this.graph.addEdge(e.source, e.target, { size: 0.5 });
    }
    this.keys = data.nodes.map((n) => n.key);
    this.renderer.setSetting("hideEdgesOnMove", this.graph.size > 20_000);
    this.renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    this.renderer.refresh();
    return { total, shown: this.graph.order, edgesShown: this.graph.size, degrees, edges: data.edges.length };
  }

  startLayout(): void {
    if (this.graph.order === 0) return;
    if (!this.layout) {
      const settings = forceAtlas2.inferSettings(this.graph);
      this.layout = new FA2Layout(this.graph, { settings: { ...settings, barnesHutOptimize: this.graph.order > 2000 } });
    }
    this.layout.start();
    this.onLayoutChange?.(true);
  }

  stopLayout(): void {
    if (this.layout?.isRunning()) {
      this.layout.stop();
      this.onLayoutChange?.(false);
    }
  }

  get layoutRunning(): boolean {
    return this.layout?.isRunning() ?? false;
  }

  /** Show states (compartment index per result node, in the result's nodeIds order) with these colours. */
  showStates(states: Uint8Array | null, colours: string[], nodeIds?: string[]): void {
    if (nodeIds) {
      // Map result indices to graph nodes once per result (the graph's own order may differ).
      nodeIds.forEach((key, r) => {
        if (this.graph.hasNode(key)) this.graph.setNodeAttribute(key, "r", r);
      });
      this.keys = nodeIds;
    }
    this.states = states;
    this.colours = colours;
    this.renderer.refresh({ skipIndexation: true });
  }

  /**
   * Redraw only these result nodes (after their states changed): their display data are recomputed now, the
   * draw is scheduled for the next animation frame (several seeks in one frame draw once).
   */
  refreshNodes(changed: ArrayLike<number>): void {
    if (changed.length === 0) return;
    const nodes: string[] = [];
    for (let j = 0; j < changed.length; j++) {
      const key = this.keys[changed[j]];
      if (key !== undefined && this.graph.hasNode(key)) nodes.push(key);
    }
    this.renderer.refresh({ partialGraph: { nodes }, skipIndexation: true, schedule: true });
  }

  /** Highlight nodes whose key or label contains the query; returns the matches (at most `limit`). */
  search(query: string, limit = 50): string[] {
    this.query = query.trim().toLowerCase();
    this.matches.clear();
    if (this.query) {
      this.graph.forEachNode((key, a) => {
        if (this.matches.size < limit && (key.toLowerCase().includes(this.query) || String(a.label ?? "").toLowerCase().includes(this.query))) this.matches.add(key);
      });
    }
    this.renderer.refresh({ skipIndexation: true });
    return [...this.matches];
  }

  /** Centre the camera on a node. */
  focus(key: string): void {
    const display = this.renderer.getNodeDisplayData(key);
    if (display) void this.renderer.getCamera().animate({ x: display.x, y: display.y, ratio: 0.3 }, { duration: 400 });
  }

  toggleSeed(key: string): void {
    if (this.seeds.has(key)) this.seeds.delete(key);
    else this.seeds.add(key);
    this.renderer.refresh({ partialGraph: { nodes: [key] }, skipIndexation: true });
  }

  /** Seed exactly these nodes (a preset's seeds). */
  setSeeds(keys: readonly string[]): void {
    this.seeds.clear();
    for (const key of keys) this.seeds.add(key);
    this.renderer.refresh({ skipIndexation: true });
  }

  clearSeeds(): void {
    this.seeds.clear();
    this.renderer.refresh({ skipIndexation: true });
  }

  exportPng(fileName = "spreadlab-network"): Promise<void> {
    return downloadAsPNG(this.renderer, { fileName, backgroundColor: "#ffffff" });
  }

  kill(): void {
    this.layout?.kill();
    this.renderer.kill();
  }
}
