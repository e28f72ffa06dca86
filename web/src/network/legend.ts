/** The graph's colour legend under the canvas: compartment → colour of the shown run (palette.ts), or idle grey. */
import { graphLegend } from "../palette.js";
import { byId, h } from "../ui/dom.js";

export function renderGraphLegend(compartments: readonly string[] | null): void {
  byId("graph-legend").replaceChildren(...graphLegend(compartments).map((i) => h("li", {}, h("span", { class: "swatch dot", style: `--c:${i.colour}` }), i.label)));
}
