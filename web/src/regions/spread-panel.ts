/**
 * "Spread between regions" card of the Regions tab: the metapopulation SIR (reaction–diffusion preset) run on
 * the tab's region graph through the API (POST /v1/networks with the graph, POST /v1/runs with the scenario; the
 * seed is shown and sent), twice — the baseline and a "what if" with chosen edges closed and mobility scaled —
 * and shown side by side: two maps coloured by prevalence, played with one time slider, per-region curves
 * overlaid (baseline solid, what-if dashed), and a table of peak day and final size per region.
 */
import uPlot from "uplot";
import { api, followRun } from "../api.js";
import { h, field, numberInput, select, clearErrors, showError } from "../ui/dom.js";
import { ApiError } from "../api.js";
import { OKABE_ITO, categoricalColours, withAlpha } from "../palette.js";
import { formatNumber } from "../run/summary.js";
import { geoPositions, hasGeography, type RegionalResultLike } from "./model.js";
import { SpreadMap } from "./spread-map.js";
import {
  DEFAULT_POPULATION,
  SPREAD_DEFAULTS,
  compareOutcomes,
  edgeKey,
  mobilityWeights,
  openEdges,
  prevalenceLegend,
  regionEdges,
  regionOutcomes,
  spreadIssues,
  spreadNetwork,
  spreadScenario,
  type ComparisonRow,
  type FieldResultLike,
  type Interventions,
  type RegionOutcome,
  type SpreadEdge,
  type SpreadRegion,
  type SpreadModel,
  type SpreadSettings,
} from "./spread.js";

/** Seconds a full playback takes. */
const PLAY_SECONDS = 10;

interface SpreadRun {
  runId: string;
  networkId: string;
  times: number[];
  outcomes: RegionOutcome[];
}

export class SpreadPanel {
  readonly el: HTMLElement;
  regions: SpreadRegion[] = [];
  edges: SpreadEdge[] = [];
  readonly closed = new Set<string>();
  baseline: SpreadRun | null = null;
  whatIf: SpreadRun | null = null;
  rows: ComparisonRow[] = [];
  private positions: { x: number; y: number }[] = [];
  private form: HTMLElement;
  private seedRegion = select([]);
  readonly model = select([
    { value: "metapopulation-sir", label: "metapopulation SIR" },
    { value: "fisher-kpp", label: "Fisher–KPP (invading share u, r = β − γ)" },
    { value: "heat", label: "heat equation (pure diffusion of one unit, D = mobility)" },
  ]);
  private seedInfected = numberInput(SPREAD_DEFAULTS.seedInfected, { min: 1, step: 1 });
  private beta = numberInput(SPREAD_DEFAULTS.beta, { min: 0, step: "any" });
  private gamma = numberInput(SPREAD_DEFAULTS.gamma, { min: 0, step: "any" });
  private mobility = numberInput(SPREAD_DEFAULTS.mobility, { min: 0, step: "any" });
  /** Per-edge rates from the region graph's weights (adjacency file or correlation). */
  readonly weighted = h("input", { type: "checkbox", id: "spread-weighted", checked: true });
  readonly scale = numberInput(0.5, { min: 0, step: "any" });
  private tmax = numberInput(SPREAD_DEFAULTS.tmax, { min: 1, step: 1 });
  private seed = numberInput(SPREAD_DEFAULTS.seed, { min: 0, step: 1 });
  readonly edgeList = h("select", { multiple: true, size: 6, id: "spread-closed", "aria-label": "Edges closed in the what-if" });
  readonly button = h("button", { type: "button", class: "primary", id: "spread-run", text: "Run baseline and what-if" });
  readonly status = h("p", { class: "status", id: "spread-status", "aria-live": "polite" });
  readonly slider = h("input", { type: "range", min: 0, max: 0, step: 1, value: 0, id: "spread-time", "aria-label": "Day", disabled: true });
  private clock = h("output", { id: "spread-clock", for: "spread-time", text: "day 0" });
  readonly play = h("button", { type: "button", id: "spread-play", text: "Play", disabled: true });
  private legendEl = h("ul", { class: "legend", id: "spread-legend" });
  readonly baseMap: SpreadMap;
  readonly whatIfMap: SpreadMap;
  private chartEl = h("div", { id: "spread-curves", class: "chart" });
  private tableEl = h("div", { id: "spread-table" });
  private plot: uPlot | null = null;
  private playing = false;
  private max = 0;
  private selected: string | null = null;
  /** The model of the runs shown. */
  private shownModel: SpreadModel = "metapopulation-sir";

  constructor() {
    const baseEl = h("div", { class: "spread-map", id: "spread-map-baseline", "aria-label": "Baseline: prevalence by region" });
    const whatIfEl = h("div", { class: "spread-map", id: "spread-map-whatif", "aria-label": "What if: prevalence by region; click an edge to close or open it" });
    this.baseMap = new SpreadMap(baseEl);
    this.whatIfMap = new SpreadMap(whatIfEl, (key) => this.toggleEdge(key));
    const closeAll = h("button", { type: "button", id: "spread-close-all", text: "Close all" });
    const openAll = h("button", { type: "button", id: "spread-open-all", text: "Open all" });
    closeAll.addEventListener("click", () => this.setClosed(this.edges.map((e) => edgeKey(e.source, e.target))));
    openAll.addEventListener("click", () => this.setClosed([]));
    this.weighted.addEventListener("change", () => this.drawMaps());
    this.scale.addEventListener("change", () => this.drawMaps());
    this.edgeList.addEventListener("change", () => this.setClosed([...this.edgeList.selectedOptions].map((o) => o.value)));
    this.form = h(
      "div",
      { class: "spread-form", id: "spread-form" },
      field("Model", this.model, { path: "model.preset" }),
      field("Seed region", this.seedRegion, { path: "initial.I.nodes" }),
      field("Infectious at day 0", this.seedInfected, { path: "initial.I.nodes", unit: "people" }),
      field("β", this.beta, { path: "model.params.beta", unit: "1/day" }),
      field("γ", this.gamma, { path: "model.params.gamma", unit: "1/day" }),
      field("Mobility per edge", this.mobility, { path: "model.params.mobilityS", unit: "1/day", hint: "share of a region's people crossing an open edge per day (the mean over edges when weighted)" }),
      h("label", { class: "inline", for: "spread-weighted" }, this.weighted, " rates by edge weight (thickness on the maps)"),
      field("Days", this.tmax, { path: "time.tmax" }),
      field("Seed", this.seed, { path: "seed", hint: "sent with the run; the model is deterministic" }),
      h("fieldset", { class: "whatif" }, h("legend", { text: "What if" }), field("Mobility × factor", this.scale, { path: "whatIf.mobilityScale" }), h("label", { for: "spread-closed", text: "Closed edges (or click an edge on the what-if map)" }), this.edgeList, h("div", { class: "actions" }, closeAll, openAll)),
      h("div", { class: "actions" }, this.button),
      this.status,
      h("p", { class: "form-error", role: "alert" }),
    );
    this.el = h(
      "div",
      { class: "card spread-card", id: "spread-card" },
      h("h3", { text: "Spread between regions (reaction–diffusion on the region graph)" }),
      h("div", { class: "spread-layout" }, this.form, h("div", { class: "spread-maps" }, h("figure", {}, h("figcaption", { text: "Baseline" }), baseEl), h("figure", {}, h("figcaption", { text: "What if" }), whatIfEl))),
      h("div", { class: "timeline", role: "group", "aria-label": "Spread timeline" }, this.play, this.slider, this.clock),
      this.legendEl,
      this.chartEl,
      this.tableEl,
    );
    this.button.addEventListener("click", () => void this.run());
    this.slider.addEventListener("input", () => {
      this.pause();
      this.seek(Number(this.slider.value));
    });
    this.play.addEventListener("click", () => (this.playing ? this.pause() : this.start()));
  }

  /** Take the Regions tab's graph (after each regional forecast): regions, populations, edges, map positions. */
  setRegions(result: RegionalResultLike): void {
    const regions = result.regions.map((r) => ({ region: r.region, population: r.coordinates?.population ?? DEFAULT_POPULATION }));
    const same = regions.length === this.regions.length && regions.every((r, i) => r.region === this.regions[i].region);
    this.regions = regions;
    this.edges = regionEdges(result.edges);
    const valid = new Set(this.edges.map((e) => edgeKey(e.source, e.target)));
    for (const k of [...this.closed]) if (!valid.has(k)) this.closed.delete(k);
    this.positions = hasGeography(result.regions) ? geoPositions(result.regions) : regions.map((_, i) => ({ x: Math.cos((2 * Math.PI * i) / regions.length), y: Math.sin((2 * Math.PI * i) / regions.length) }));
    if (!same) {
      const previous = this.seedRegion.value;
      this.seedRegion.replaceChildren(...regions.map((r) => h("option", { value: r.region, text: r.region })));
      if (regions.some((r) => r.region === previous)) this.seedRegion.value = previous;
      this.baseline = this.whatIf = null;
    }
    this.edgeList.replaceChildren(...this.edges.map((e) => h("option", { value: edgeKey(e.source, e.target), text: edgeKey(e.source, e.target) })));
    this.syncEdgeList();
    this.drawMaps();
  }

  private syncEdgeList(): void {
    for (const o of this.edgeList.options) o.selected = this.closed.has(o.value);
  }

  setClosed(keys: readonly string[]): void {
    this.closed.clear();
    for (const k of keys) this.closed.add(k);
    this.syncEdgeList();
    this.drawMaps();
  }

  toggleEdge(key: string): void {
    if (this.closed.has(key)) this.closed.delete(key);
    else this.closed.add(key);
    this.syncEdgeList();
    this.drawMaps();
  }

  private drawMaps(): void {
    const weighted = mobilityWeights(this.edges, this.weighted.checked);
    const maxRate = Math.max(0, ...weighted.map((e) => e.weight ?? 1));
    const scale = Number(this.scale.value);
    this.baseMap.draw(this.regions, this.positions, weighted, new Set(), 1, maxRate);
    this.whatIfMap.draw(this.regions, this.positions, weighted, this.closed, Number.isFinite(scale) ? scale : 1, maxRate);
    if (this.baseline && this.whatIf) this.seek(Number(this.slider.value));
  }

  settings(): SpreadSettings {
    return {
      model: this.model.value as SpreadModel,
      beta: Number(this.beta.value),
      gamma: Number(this.gamma.value),
      mobility: Number(this.mobility.value),
      seedRegion: this.seedRegion.value,
      seedInfected: Number(this.seedInfected.value),
      tmax: Number(this.tmax.value),
      record: Math.max(0.25, Number(this.tmax.value) / 200),
      seed: Number(this.seed.value),
      weighted: this.weighted.checked,
    };
  }

  interventions(): Interventions {
    return { closed: new Set(this.closed), mobilityScale: Number(this.scale.value) };
  }

  private async submit(name: string, settings: SpreadSettings, interventions: Interventions): Promise<SpreadRun> {
    const net = await api.uploadNetwork(spreadNetwork(this.regions, openEdges(mobilityWeights(this.edges, settings.weighted ?? true), interventions)), "json", `regions ${name}`);
    const row = await api.submitRun({ scenario: spreadScenario(this.regions, settings, interventions, name), networkId: net.id });
    const done = await followRun(row.id, () => undefined);
    if (done.status !== "succeeded") throw new Error(`the ${name} run ${done.status}${done.error ? `: ${done.error.message}` : "."}`);
    const result = (await api.result(row.id)) as unknown as FieldResultLike;
    return { runId: row.id, networkId: net.id, times: result.times, outcomes: regionOutcomes(result, settings.model) };
  }

  /** Run the baseline (every edge open, factor 1) and the what-if; show both. */
  async run(): Promise<boolean> {
    clearErrors(this.form);
    this.pause();
    this.status.textContent = "";
    this.button.disabled = true;
    try {
      if (this.regions.length === 0) throw new Error("forecast the regions first: the spread runs on their graph.");
      const settings = this.settings();
      const interventions = this.interventions();
      const issues = spreadIssues(this.regions, settings, interventions);
      if (issues.length) throw new ApiError(422, "Invalid settings", issues.map((i) => i.message).join(" "), issues);
      this.status.textContent = "Running the baseline and the what-if…";
      const [baseline, whatIf] = await Promise.all([this.submit("baseline", settings, { closed: new Set(), mobilityScale: 1 }), this.submit("what if", settings, interventions)]);
      this.baseline = baseline;
      this.whatIf = whatIf;
      this.shownModel = settings.model ?? "metapopulation-sir";
      this.rows = compareOutcomes(baseline.outcomes, whatIf.outcomes);
      this.max = Math.max(1e-12, ...baseline.outcomes.map((o) => o.peak), ...whatIf.outcomes.map((o) => o.peak));
      this.status.textContent = `Done (seed ${settings.seed}; runs ${baseline.runId.slice(0, 8)} and ${whatIf.runId.slice(0, 8)}): ${interventions.closed.size} of ${this.edges.length} edges closed, mobility × ${interventions.mobilityScale}.`;
      this.slider.max = String(baseline.times.length - 1);
      this.slider.disabled = false;
      this.play.disabled = false;
      this.legendEl.replaceChildren(...prevalenceLegend(this.max, this.shownModel === "fisher-kpp" ? "of capacity" : this.shownModel === "heat" ? "of the amount" : "infectious").map((i) => h("li", {}, h("span", { class: "swatch", style: `--c:${i.colour}` }), i.label)));
      this.drawTable();
      this.drawChart();
      this.seek(0);
      return true;
    } catch (error) {
      this.status.textContent = "";
      showError(this.form, error, "scenario.");
      return false;
    } finally {
      this.button.disabled = false;
    }
  }

  seek(k: number): void {
    if (!this.baseline || !this.whatIf) return;
    const i = Math.max(0, Math.min(k, this.baseline.times.length - 1));
    this.slider.value = String(i);
    this.clock.value = `day ${formatNumber(this.baseline.times[i])}`;
    this.baseMap.colour(this.baseline.outcomes, i, this.max);
    this.whatIfMap.colour(this.whatIf.outcomes, i, this.max);
    this.plot?.redraw(false, false);
  }

  private start(): void {
    if (!this.baseline) return;
    this.playing = true;
    this.play.textContent = "Pause";
    const last = this.baseline.times.length - 1;
    if (Number(this.slider.value) >= last) this.seek(0);
    const from = Number(this.slider.value);
    const started = performance.now();
    const tick = () => {
      if (!this.playing) return;
      const k = Math.min(last, from + Math.floor(((performance.now() - started) / 1000 / PLAY_SECONDS) * last));
      this.seek(k);
      if (k >= last) this.pause();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  pause(): void {
    this.playing = false;
    this.play.textContent = "Play";
  }

  private drawTable(): void {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const day = (x: number | null) => (x === null ? "none" : formatNumber(x));
    const kpp = this.shownModel === "fisher-kpp";
    const heat = this.shownModel === "heat";
    const head = h("tr", {}, ...["Region", kpp ? "Arrival day, u ≥ ½ (baseline → what if)" : heat ? "Day of the largest u (baseline → what if)" : "Peak day (baseline → what if)", "Delay", kpp || heat ? "Final u (baseline → what if)" : "Final size (baseline → what if)", "Change"].map((t) => h("th", { text: t })));
    const body = this.rows.map((r) =>
      h(
        "tr",
        { "data-region": r.region, class: r.region === this.selected ? "selected" : "" },
        h("td", { text: r.region }),
        h("td", { text: `${day(r.baseline.peakTime)} → ${day(r.whatIf.peakTime)}` }),
        h("td", { text: r.delay === null ? "—" : `${r.delay >= 0 ? "+" : "−"}${day(Math.abs(r.delay))} d` }),
        h("td", { text: `${pct(r.baseline.finalSize)} → ${pct(r.whatIf.finalSize)}` }),
        h("td", { text: `${r.finalSizeChange >= 0 ? "+" : "−"}${pct(Math.abs(r.finalSizeChange))}` }),
      ),
    );
    const table = h("table", { class: "spread-table" }, h("thead", {}, head), h("tbody", {}, ...body));
    table.addEventListener("click", (e) => {
      const row = (e.target as HTMLElement).closest("tr[data-region]") as HTMLElement | null;
      if (row) this.highlight(row.dataset.region ?? null);
    });
    this.tableEl.replaceChildren(table);
  }

  /** Emphasise one region's curves (click its table row; again to show all alike). */
  highlight(region: string | null): void {
    this.selected = this.selected === region ? null : region;
    this.drawTable();
    this.drawChart();
  }

  private drawChart(): void {
    if (!this.baseline || !this.whatIf) return;
    this.plot?.destroy();
    this.chartEl.replaceChildren();
    // The same colour per region as the maps' labels (both index this.regions).
    const palette = categoricalColours(this.regions.length);
    const byRegion = new Map(this.regions.map((r, i) => [r.region, palette[i]]));
    const colourOf = (region: string) => byRegion.get(region) ?? OKABE_ITO.black;
    const dim = (region: string) => (this.selected === null || this.selected === region ? colourOf(region) : withAlpha(colourOf(region), 0.15));
    const series: uPlot.Series[] = [{ label: "day" }];
    const columns: number[][] = [this.baseline.times];
    this.baseline.outcomes.forEach((o) => {
      series.push({ label: `${o.region} baseline`, stroke: dim(o.region), width: this.selected === o.region ? 2.5 : 1.5, points: { show: false } });
      columns.push(o.prevalence.map((p) => p * 100));
    });
    this.whatIf.outcomes.forEach((o) => {
      series.push({ label: `${o.region} what if`, stroke: dim(o.region), width: this.selected === o.region ? 2.5 : 1.5, dash: [6, 4], points: { show: false } });
      columns.push(o.prevalence.map((p) => p * 100));
    });
    const axis = { stroke: "#4b5563", grid: { stroke: "#eef1f4", width: 1 }, ticks: { stroke: "#d5dbe1", width: 1 } };
    const times = this.baseline.times;
    this.plot = new uPlot(
      {
        title: `${this.shownModel === "metapopulation-sir" ? "Prevalence" : "u"} per region: baseline solid, what if dashed`,
        width: Math.max(280, Math.floor(this.chartEl.clientWidth || 600)),
        height: 240,
        series,
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [
          { ...axis, label: "day" },
          { ...axis, label: this.shownModel === "fisher-kpp" ? "u, % of capacity" : this.shownModel === "heat" ? "u, % of the amount" : "% infectious", size: 56 },
        ],
        plugins: [
          {
            hooks: {
              draw: (u) => {
                const px = u.valToPos(times[Number(this.slider.value)] ?? 0, "x", true);
                u.ctx.save();
                u.ctx.strokeStyle = OKABE_ITO.black;
                u.ctx.lineWidth = devicePixelRatio;
                u.ctx.beginPath();
                u.ctx.moveTo(px, u.bbox.top);
                u.ctx.lineTo(px, u.bbox.top + u.bbox.height);
                u.ctx.stroke();
                u.ctx.restore();
              },
            },
          },
        ],
      },
      columns as uPlot.AlignedData,
      this.chartEl,
    );
    this.chartEl.append(h("ul", { class: "legend" }, ...this.baseline.outcomes.map((o) => h("li", {}, h("span", { class: "swatch", style: `--c:${colourOf(o.region)}` }), o.region))));
  }
}
