/**
 * The Regions tab: every region of a dataset forecast from one as-of week (POST /v1/forecasts/regional),
 * drawn as a sigma graph — on the map when the regions' coordinates are known (bundled HHS regions and
 * states; an uploaded coordinates CSV), else laid out by ForceAtlas2 — coloured by trend, P(rising) or
 * current intensity, sized by population or level, with a legend and an as-of timeline. Clicking a region
 * (on the graph or among the small multiples, sorted by trend) shows its fan chart with the three past
 * seasons faintly behind and its backtest scores. Exports: the hubs' CSV (from the server) and the map as PNG.
 */
import Graph from "graphology";
import Sigma from "sigma";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { downloadAsPNG } from "@sigma/export-image";
import { api, type DatasetInfo } from "../api.js";
import { h, field, numberInput, select, clearErrors, showError, download } from "../ui/dom.js";
import { fanData } from "../forecast/fan.js";
import { formatNumber } from "../run/summary.js";
import { regionFanChart, smallMultiple, type RegionChart } from "./chart.js";
import {
  circlePositions,
  describeTrend,
  geoPositions,
  hasGeography,
  legend,
  nodeColour,
  nodeSizes,
  pastSeasons,
  regionFan,
  sortByTrend,
  timelineRange,
  type ColourBy,
  type RegionalResultLike,
  type SizeBy,
} from "./model.js";
import { SpreadPanel } from "./spread-panel.js";
import "./regions.css";

/** Weeks of history in a region's fan chart (a season and a half: the past seasons' peaks show). */
const FAN_CONTEXT = 78;
/** Delay after the as-of slider stops before a new forecast is asked for (ms). */
const SLIDER_DEBOUNCE_MS = 200;

export class RegionsPanel {
  readonly el: HTMLElement;
  result: RegionalResultLike | null = null;
  jobId: string | null = null;
  selected: string | null = null;
  readonly graph = new Graph({ type: "undirected" });
  readonly renderer: Sigma;
  private dataset: HTMLSelectElement;
  private upload = h("input", { type: "file", accept: ".csv" });
  private coordinates = h("input", { type: "file", accept: ".csv" });
  private adjacency = h("input", { type: "file", accept: ".csv,.txt" });
  private horizon = numberInput(4, { min: 1, max: 15, step: 1 });
  private method = select([
    { value: "trend", label: "Damped trend (median follows the last 4 weeks)" },
    { value: "baseline", label: "Hub baseline (flat median)" },
    { value: "transformer", label: "Transformer (bundled pretrained network)" },
    { value: "transformer-spatial", label: "Cross-region transformer (all regions together)" },
  ]);
  /** Transformer only: epochs of a fine-tune per region on its rows up to the as-of week (0: zero-shot). */
  private finetuneEpochs = numberInput(0, { min: 0, max: 200, step: 1 });
  private seed = numberInput(0, { min: 0, step: 1 });
  private finetuneBox = h("div", { hidden: true, id: "regions-finetune" }, field("Fine-tune epochs", this.finetuneEpochs, { path: "finetune.epochs", hint: "0: zero-shot; else each region is fine-tuned on its weeks up to the as-of week (seconds per region)" }));
  private button = h("button", { type: "button", class: "primary", text: "Forecast all regions" });
  private progress = h("progress", { max: 1, value: 0, "aria-label": "Regional forecast progress" });
  private status = h("p", { class: "status", "aria-live": "polite" });
  readonly colourBy = select([
    { value: "trend", label: "trend (rising / flat / falling)" },
    { value: "probability", label: "P(rising)" },
    { value: "intensity", label: "current intensity" },
  ]);
  readonly sizeBy = select([
    { value: "population", label: "population" },
    { value: "level", label: "current level" },
  ]);
  readonly slider = h("input", { type: "range", min: 0, max: 1, step: 1, value: 1, "aria-label": "As-of week", id: "regions-asof" });
  private sliderLabel = h("output", { id: "regions-asof-label", for: "regions-asof" });
  private legendEl = h("ul", { class: "legend", id: "regions-legend", "aria-label": "Region colours" });
  private note = h("span", { class: "muted", id: "regions-note" });
  private graphEl = h("div", { id: "regions-graph", "aria-label": "Regions; click one for its forecast" });
  private fanEl = h("div", { id: "regions-fan", class: "chart" }, h("p", { class: "hint", text: "Click a region on the map or below for its fan chart." }));
  private scoresEl = h("div", { id: "regions-scores" });
  private multiplesEl = h("div", { id: "regions-multiples", class: "multiples" });
  private chart: RegionChart | null = null;
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<unknown> = Promise.resolve();
  /** Spread between regions on this graph (metapopulation SIR, baseline and what-if). */
  readonly spread = new SpreadPanel();

  constructor(
    private readonly datasets: DatasetInfo[],
    host: HTMLElement,
  ) {
    // Series with several regions; `national` has one column per variable (mixed units), not per region.
    const regional = datasets.filter((d) => d.regions.length > 1 && d.id !== "national");
    this.dataset = select([...regional.map((d) => ({ value: d.id, label: `${d.id} — ${d.regions.length} regions` })), { value: "upload", label: "Upload a CSV…" }], regional[0]?.id);
    const uploadBox = h(
      "div",
      { hidden: true },
      field("Series CSV", this.upload, { path: "dataset", hint: "wide CSV: a week or date column, then one column per region" }),
      field("Coordinates CSV (optional)", this.coordinates, { path: "coordinates.csv", hint: "region,lat,lon[,population]: draws the regions on the map" }),
    );
    this.el = h(
      "form",
      { class: "panel", id: "regions-form", "aria-label": "Regional forecast" },
      field("Dataset", this.dataset, { path: "dataset" }),
      uploadBox,
      field("Adjacency (optional)", this.adjacency, { path: "adjacency.csv", hint: "matrix in column order, or source,target[,weight]; default: 3 most correlated regions" }),
      field("Horizon", this.horizon, { path: "horizon", unit: "weeks", hint: "trend = change of the median over this many weeks" }),
      field("Method", this.method, { path: "method" }),
      this.finetuneBox,
      field("Seed", this.seed, { path: "seed" }),
      h("div", { class: "actions" }, this.button),
      this.progress,
      this.status,
      h("p", { class: "form-error", role: "alert" }),
    );
    const exportCsv = h("button", { type: "button", id: "regions-csv", text: "Hub CSV" });
    const exportPng = h("button", { type: "button", id: "regions-png", text: "PNG of map" });
    host.replaceChildren(
      h("aside", { class: "sidebar" }, this.el),
      h(
        "div",
        { class: "workspace" },
        h(
          "div",
          { class: "card regions-card" },
          h(
            "div",
            { class: "toolbar" },
            h("label", { class: "inline" }, "Colour by ", this.colourBy),
            h("label", { class: "inline" }, "Size by ", this.sizeBy),
            h("span", { class: "spacer" }),
            exportCsv,
            exportPng,
          ),
          h("p", { class: "regions-note-row" }, this.note),
          this.graphEl,
          this.legendEl,
          h("div", { class: "timeline", role: "group", "aria-label": "As-of timeline" }, h("label", { for: "regions-asof", text: "As of" }), this.slider, this.sliderLabel),
        ),
        h("div", { class: "card" }, this.fanEl, this.scoresEl),
        h("div", { class: "card" }, h("h3", { text: "All regions, rising first" }), this.multiplesEl),
        this.spread.el,
      ),
    );
    this.renderer = new Sigma(this.graph, this.graphEl, {
      allowInvalidContainer: true,
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 0,
      defaultEdgeColor: "#d5dbe1",
      labelFont: "Inter, system-ui, sans-serif",
      zIndex: true,
      nodeReducer: (key, attrs) => (key === this.selected ? { ...attrs, highlighted: true, zIndex: 2 } : attrs),
    });
    this.renderer.on("clickNode", ({ node }) => this.select(node));
    this.renderer.on("enterNode", () => this.graphEl.classList.add("pointer"));
    this.renderer.on("leaveNode", () => this.graphEl.classList.remove("pointer"));

    this.dataset.addEventListener("change", () => {
      uploadBox.hidden = this.dataset.value !== "upload";
      // A new series: the slider's row belongs to the old one.
      this.result = null;
      this.updateSlider(null);
    });
    this.method.addEventListener("change", () => (this.finetuneBox.hidden = this.method.value !== "transformer"));
    this.upload.addEventListener("change", () => {
      this.result = null;
      this.updateSlider(null);
    });
    this.button.addEventListener("click", () => void this.submit());
    this.el.addEventListener("submit", (e) => e.preventDefault());
    this.colourBy.addEventListener("change", () => this.restyle());
    this.sizeBy.addEventListener("change", () => this.restyle());
    this.slider.addEventListener("input", () => this.showSliderLabel());
    this.slider.addEventListener("change", () => {
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.submit(Number(this.slider.value)), SLIDER_DEBOUNCE_MS);
    });
    exportCsv.addEventListener("click", () => void this.exportCsv());
    exportPng.addEventListener("click", () => void downloadAsPNG(this.renderer, { fileName: `regions-${this.result?.asOf.label ?? "map"}`, backgroundColor: "#ffffff" }));
    this.updateSlider(null);
  }

  private info(): DatasetInfo | undefined {
    return this.datasets.find((d) => d.id === this.dataset.value);
  }

  /** Slider range for the chosen dataset (an upload's rows are known once it has been forecast). */
  private updateSlider(result: RegionalResultLike | null): void {
    const d = result?.dataset;
    const rows = this.dataset.value !== "upload" ? (this.info()?.rows ?? 2) : typeof d === "object" ? d.csv.rows : 2;
    const { min, max } = timelineRange(rows, Number(this.horizon.value) || 1);
    this.slider.min = String(min);
    this.slider.max = String(max);
    this.slider.value = String(result ? result.asOf.index : max);
    this.showSliderLabel();
  }

  private showSliderLabel(): void {
    const row = Number(this.slider.value);
    const label = this.result?.times[row];
    const span = this.info()?.span;
    this.sliderLabel.value = label ?? (span && row === Number(this.slider.max) ? span.end : `row ${row}`);
  }

  /** Ask for a forecast of every region at asOf (default: the slider's row) and show it. */
  submit(asOf?: number): Promise<RegionalResultLike | null> {
    const next = this.running.then(() => this.run(asOf));
    this.running = next.catch(() => undefined);
    return next;
  }

  private async run(asOf?: number): Promise<RegionalResultLike | null> {
    clearErrors(this.el);
    this.button.disabled = true;
    this.status.textContent = "";
    try {
      const upload = this.dataset.value === "upload";
      const text = async (input: HTMLInputElement) => {
        const file = input.files?.[0];
        return file ? { csv: await file.text(), name: file.name } : undefined;
      };
      const dataset = upload ? ((await text(this.upload)) ?? Promise.reject(new Error("choose a series CSV to upload."))) : this.dataset.value;
      const body: Record<string, unknown> = { dataset: await dataset, horizon: Number(this.horizon.value), method: this.method.value, seed: Number(this.seed.value) };
      if (this.method.value === "transformer" && Number(this.finetuneEpochs.value) > 0) body.finetune = { epochs: Number(this.finetuneEpochs.value) };
      const row = asOf ?? (upload && !this.result ? undefined : Number(this.slider.value));
      if (row !== undefined) body.asOf = row;
      const adjacency = await text(this.adjacency);
      if (adjacency) body.adjacency = adjacency;
      const coordinates = upload ? await text(this.coordinates) : undefined;
      if (coordinates) body.coordinates = coordinates;
      let job = await api.submitRegional(body);
      this.progress.value = 0;
      while (!["succeeded", "failed", "cancelled"].includes(job.status)) {
        if (job.progress) {
          this.progress.max = Math.max(1, job.progress.total);
          this.progress.value = job.progress.done;
          this.status.textContent = `${job.progress.done} of ${job.progress.total} regions${body.finetune ? " fine-tuned and forecast" : ""}…`;
        }
        await new Promise((r) => setTimeout(r, 150));
        job = await api.regional(job.id);
      }
      if (job.status !== "succeeded" || !job.result) throw new Error(`the regional forecast ${job.status}${job.error ? `: ${job.error.message}` : "."}`);
      this.progress.max = 1;
      this.progress.value = 1;
      const counts = { rising: 0, flat: 0, falling: 0 };
      for (const r of job.result.regions) counts[r.trend]++;
      this.status.textContent = `As of ${job.result.asOf.label}: ${counts.rising} rising, ${counts.flat} flat, ${counts.falling} falling.`;
      this.jobId = job.id;
      this.show(job.result);
      return job.result;
    } catch (error) {
      this.status.textContent = "";
      showError(this.el, error);
      return null;
    } finally {
      this.button.disabled = false;
    }
  }

  show(result: RegionalResultLike): void {
    const sameRegions = this.result !== null && this.result.regions.length === result.regions.length && this.result.regions.every((r, i) => r.region === result.regions[i].region);
    this.result = result;
    this.updateSlider(result);
    const geo = hasGeography(result.regions);
    if (!sameRegions) {
      // New regions: rebuild the graph and its layout (the map, or ForceAtlas2 from a circle).
      this.graph.clear();
      const positions = geo ? geoPositions(result.regions) : circlePositions(result.regions.length);
      result.regions.forEach((r, i) => this.graph.addNode(r.region, { label: r.region, x: positions[i].x, y: positions[i].y, size: 8, color: "#999" }));
      if (!geo && result.regions.length > 1) forceAtlas2.assign(this.graph, { iterations: 300, settings: { ...forceAtlas2.inferSettings(this.graph), gravity: 1 } });
      if (this.selected && !this.graph.hasNode(this.selected)) this.selected = null;
    }
    this.graph.clearEdges();
    const maxWeight = Math.max(1e-9, ...result.edges.map((e) => Math.abs(e.weight)));
    for (const e of result.edges) this.graph.mergeEdge(e.source, e.target, { size: 0.5 + 2 * (Math.abs(e.weight) / maxWeight) });
    this.note.textContent = `${result.regions.length} regions · ${geo ? "map (population centres)" : "ForceAtlas2 layout"} · edges: ${result.adjacency === "file" ? "adjacency file" : "3 most correlated"}`;
    this.restyle();
    this.spread.setRegions(result);
    // setState, not animatedReset({ duration: 0 }): sigma's animate divides by the duration, and within the same
    // millisecond 0 / 0 leaves the camera at NaN until the next frame (positions read then are NaN).
    if (!sameRegions) this.renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    this.select(this.selected ?? sortByTrend(result.regions)[0]?.region ?? null);
  }

  /** Colours, sizes, legend and small multiples for the current choices. */
  restyle(): void {
    const result = this.result;
    const colourBy = this.colourBy.value as ColourBy;
    this.legendEl.replaceChildren(...legend(colourBy).map((i) => h("li", {}, h("span", { class: "swatch", style: `--c:${i.colour}` }), i.label)));
    if (!result) return;
    const sizes = nodeSizes(result.regions, this.sizeBy.value as SizeBy);
    result.regions.forEach((r, i) => this.graph.mergeNodeAttributes(r.region, { color: nodeColour(r, colourBy), size: sizes[i], trend: r.trend }));
    this.renderer.refresh();
    this.drawMultiples();
  }

  private drawMultiples(): void {
    if (!this.result) return;
    this.multiplesEl.replaceChildren(...sortByTrend(this.result.regions).map((r) => smallMultiple(r, () => this.select(r.region), r.region === this.selected)));
  }

  /** Show one region's fan chart, past seasons and scores. */
  select(region: string | null): void {
    this.selected = region;
    this.renderer.refresh();
    const result = this.result;
    if (!result || region === null) return;
    const r = result.regions.find((x) => x.region === region);
    if (!r) return;
    const fan = fanData(regionFan(result, r), FAN_CONTEXT);
    const seasons = pastSeasons(r.observed, result.times, FAN_CONTEXT, result.horizon);
    this.chart?.destroy();
    const units = this.info()?.units ?? "value";
    this.chart = regionFanChart(this.fanEl, `${r.region}: ${describeTrend(r)}`, fan, seasons, units);
    const s = r.scores;
    const rows: [string, string][] = [
      ["Value at asOf", formatNumber(r.last)],
      [`Median in ${result.horizon} weeks`, formatNumber(r.median[r.median.length - 1])],
      ["Flat band", `±${formatNumber(r.band * 100)}%`],
      ["P(rising) / P(falling)", `${r.pRising.toFixed(2)} / ${r.pFalling.toFixed(2)}`],
    ];
    if (s) rows.push([`Backtest (${s.origins} origins, h = ${result.horizon})`, `WIS ${formatNumber(s.wis)} vs hub baseline ${formatNumber(s.baselineWis)} (relative ${s.relativeWis === null ? "—" : s.relativeWis.toFixed(2)})`]);
    this.scoresEl.replaceChildren(h("dl", {}, ...rows.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })])));
    for (const b of this.multiplesEl.querySelectorAll<HTMLElement>(".multiple")) b.classList.toggle("selected", b.dataset.region === region);
  }

  private async exportCsv(): Promise<void> {
    if (!this.jobId || !this.result) return;
    const res = await fetch(`/v1/forecasts/regional/${encodeURIComponent(this.jobId)}/hub.csv`);
    if (!res.ok) {
      showError(this.el, new Error(`the CSV could not be fetched (HTTP ${res.status}).`));
      return;
    }
    download(`regional-${this.result.asOf.label}.csv`, await res.text());
  }
}
