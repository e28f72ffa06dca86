/**
 * The small maps of the "Spread between regions" card (spread-panel.ts draws two, baseline and what-if): the
 * region graph, open edges as thick as their mobility, regions coloured by prevalence at the slider's time.
 */
import Graph from "graphology";
import Sigma from "sigma";
import { OKABE_ITO, categoricalColours, withAlpha } from "../palette.js";
import { edgeKey, edgeWidth, prevalenceColour, type RegionOutcome, type SpreadEdge, type SpreadRegion } from "./spread.js";

/** One small map: the region graph (open edges only) coloured by prevalence at the slider's time. */
export class SpreadMap {
  readonly graph = new Graph({ type: "undirected" });
  readonly renderer: Sigma;
  constructor(
    readonly el: HTMLElement,
    onEdgeClick?: (key: string) => void,
  ) {
    this.renderer = new Sigma(this.graph, el, { allowInvalidContainer: true, labelRenderedSizeThreshold: 0, labelColor: { attribute: "labelColor", color: "#000" }, defaultEdgeColor: "#b8c2cc", enableEdgeEvents: onEdgeClick !== undefined, labelFont: "Inter, system-ui, sans-serif" });
    if (onEdgeClick) this.renderer.on("clickEdge", ({ edge }) => onEdgeClick(edge));
  }

  /** `edges` carry their relative mobility w̃ (mobilityWeights); open edges are drawn as thick as w̃·scale against `maxRate`. */
  draw(regions: SpreadRegion[], positions: { x: number; y: number }[], edges: SpreadEdge[], closed: ReadonlySet<string>, scale = 1, maxRate = 1): void {
    this.graph.clear();
    // Labels in the region's curve colour (the chart's legend), fills by prevalence.
    const labels = categoricalColours(regions.length);
    regions.forEach((r, i) => this.graph.addNode(r.region, { label: r.region, labelColor: labels[i], x: positions[i].x, y: positions[i].y, size: 9, color: prevalenceColour(0, 1) }));
    for (const e of edges) {
      const key = edgeKey(e.source, e.target);
      const isClosed = closed.has(key);
      this.graph.addEdgeWithKey(key, e.source, e.target, isClosed ? { size: 1, color: withAlpha(OKABE_ITO.vermillion, 0.5), closed: true } : { size: edgeWidth((e.weight ?? 1) * scale, maxRate), rate: (e.weight ?? 1) * scale });
    }
    this.renderer.refresh();
    this.renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }); // not animatedReset({ duration: 0 }): see panel.ts
  }

  colour(outcomes: RegionOutcome[], k: number, max: number): void {
    for (const o of outcomes) if (this.graph.hasNode(o.region)) this.graph.setNodeAttribute(o.region, "color", prevalenceColour(o.prevalence[Math.min(k, o.prevalence.length - 1)], max));
    this.renderer.refresh({ skipIndexation: true });
  }
}
