/** Compare: overlay two or more finished runs (e.g. with and without vaccination) on the same axes. */
import { h, byId, download, canvasPng } from "../ui/dom.js";
import { compareChart, type Chart } from "../charts/plots.js";
import { RUN_COLOURS } from "../palette.js";
import { alignSeries, bandData } from "./series.js";
import { compareCsv } from "../export/csv.js";
import type { FinishedRun } from "./panel.js";

export class ComparePanel {
  private readonly list = byId("compare-runs");
  private readonly compartment = byId<HTMLSelectElement>("compare-compartment");
  private readonly chartEl = byId("compare-chart");
  private readonly empty = byId("compare-empty");
  private chart: Chart | null = null;
  private selected = new Set<string>();
  private lastCsv = "";

  constructor(private readonly runs: FinishedRun[]) {
    this.compartment.addEventListener("change", () => this.draw());
    byId("compare-csv").addEventListener("click", () => this.lastCsv && download("spreadlab-comparison.csv", this.lastCsv));
    byId("compare-png").addEventListener("click", () => void (this.chart && canvasPng(this.chart.canvas).then((b) => download("spreadlab-comparison.png", b))));
  }

  /** A run finished: list it, selected. */
  add(run: FinishedRun): void {
    this.selected.add(run.id);
    const box = h("input", { type: "checkbox", id: `cmp-${run.id}`, checked: true });
    box.addEventListener("change", () => {
      if (box.checked) this.selected.add(run.id);
      else this.selected.delete(run.id);
      this.draw();
    });
    const colour = RUN_COLOURS[(this.runs.indexOf(run)) % RUN_COLOURS.length];
    this.list.append(h("li", {}, box, h("label", { for: box.id }, h("span", { class: "swatch", style: `--c:${colour}` }), run.label)));
    const names = new Set(this.runs.flatMap((r) => r.result.compartments));
    const keep = this.compartment.value;
    this.compartment.replaceChildren(...[...names].map((c) => h("option", { value: c, text: c })));
    this.compartment.value = keep && names.has(keep) ? keep : names.has("I") ? "I" : names.has("active") ? "active" : [...names][0];
  }

  draw(): void {
    const chosen = this.runs.filter((r) => this.selected.has(r.id) && r.result.compartments.includes(this.compartment.value));
    this.empty.hidden = chosen.length > 0;
    this.chart?.destroy();
    this.chart = null;
    if (chosen.length === 0) {
      this.chartEl.replaceChildren();
      return;
    }
    const name = this.compartment.value;
    const shaped = chosen.map((r) => bandData(r.result, [name]).compartments[0]);
    const keys = ["median", "outer0", "outer1", "inner0", "inner1"] as const;
    const pick = (c: (typeof shaped)[number], key: (typeof keys)[number]) => (key === "median" ? c.median : key === "outer0" ? c.outer[0] : key === "outer1" ? c.outer[1] : key === "inner0" ? c.inner[0] : c.inner[1]);
    const flat = chosen.flatMap((r, i) => keys.map((key) => ({ times: r.result.times, values: pick(shaped[i], key) })));
    const aligned = alignSeries(flat);
    const runs = chosen.map((r, i) => {
      const v = aligned.values.slice(i * 5, i * 5 + 5);
      return { label: r.label, colour: RUN_COLOURS[this.runs.indexOf(r) % RUN_COLOURS.length], median: v[0], outer: [v[1], v[2]] as [(number | null)[], (number | null)[]], inner: [v[3], v[4]] as [(number | null)[], (number | null)[]] };
    });
    this.chart = compareChart(this.chartEl, aligned.times, runs, name);
    this.lastCsv = compareCsv(aligned.times, runs.flatMap((r) => [
      { label: `${r.label} ${name} median`, values: r.median },
      { label: `${r.label} ${name} q0.025`, values: r.outer[0] },
      { label: `${r.label} ${name} q0.975`, values: r.outer[1] },
    ]));
  }
}
