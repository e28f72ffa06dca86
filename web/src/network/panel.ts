/**
 * The network panel: build a network from a generator (forms from GET /v1/generators), pick a bundled one
 * (the named graphs: karate club, Krackhardt kite, Petersen), or upload a file; then show it laid out, with
 * its summary numbers and degree distribution.
 */
import { api, type GeneratorInfo, type GeneratorParameter, type NetworkRow } from "../api.js";
import { h, field, numberInput, select, clearErrors, showError } from "../ui/dom.js";
import { degreeChart, type Chart } from "../charts/plots.js";
import { degreeSummary, logBinned } from "./degree.js";
import { formatNumber } from "../run/summary.js";
import type { GraphView, LoadInfo } from "./view.js";
import type { NetworkSource } from "../state/scenario.js";

const FORMATS: Record<string, string> = { csv: "csv", tsv: "tsv", txt: "csv", gexf: "gexf", graphml: "graphml", json: "json", arrow: "arrow", feather: "arrow", ipc: "arrow", parquet: "parquet", pq: "parquet" };
/** Binary edge tables, uploaded as bytes. */
const BINARY = new Set(["arrow", "parquet"]);

export interface LoadedNetwork {
  row: NetworkRow;
  source: NetworkSource;
  info: LoadInfo;
}

export class NetworkPanel {
  readonly el: HTMLElement;
  current: LoadedNetwork | null = null;
  onLoaded: ((net: LoadedNetwork) => void) | null = null;
  private kind: HTMLSelectElement;
  private generator: HTMLSelectElement;
  private params = h("div", { class: "params" });
  private seed = numberInput(1, { min: 0, step: 1 });
  private file = h("input", { type: "file", accept: ".csv,.tsv,.txt,.gexf,.graphml,.json,.arrow,.feather,.ipc,.parquet,.pq" });
  private stats = h("div", { class: "stats", "aria-live": "polite" });
  private chartEl = h("div", { class: "degree-chart" });
  private chart: Chart | null = null;
  private build = h("button", { type: "button", class: "primary", text: "Build network" });

  constructor(
    private readonly generators: GeneratorInfo[],
    private readonly view: GraphView,
  ) {
    const parametric = generators.filter((g) => g.parameters.length > 0);
    const named = generators.filter((g) => g.parameters.length === 0);
    this.kind = select([
      { value: "generate", label: "Generator" },
      { value: "bundled", label: "Bundled network" },
      { value: "upload", label: "Upload a file" },
    ]);
    this.generator = select(parametric.map((g) => ({ value: g.id, label: g.name })), "barabasi-albert");
    const bundled = select(named.map((g) => ({ value: g.id, label: g.name })), "karate-club");
    bundled.dataset.role = "bundled";
    const genBox = h("div", { class: "when-generate" }, field("Generator", this.generator, { path: "generate.type" }), this.params, field("Seed", this.seed, { path: "seed", hint: "same seed, same network" }));
    const bundledBox = h("div", { class: "when-bundled", hidden: true }, field("Network", bundled));
    const uploadBox = h("div", { class: "when-upload", hidden: true }, field("File", this.file, { hint: "edge list CSV/TSV (source,target[,weight]), GEXF, GraphML, graphology JSON, or an Arrow (Feather) or Parquet edge table", path: "(body)" }));
    this.el = h("form", { class: "panel", id: "network-form", "aria-label": "Network" }, field("Source", this.kind), genBox, bundledBox, uploadBox, h("div", { class: "actions" }, this.build), h("p", { class: "form-error", role: "alert" }), this.stats, this.chartEl);
    this.kind.addEventListener("change", () => {
      genBox.hidden = this.kind.value !== "generate";
      bundledBox.hidden = this.kind.value !== "bundled";
      uploadBox.hidden = this.kind.value !== "upload";
    });
    this.generator.addEventListener("change", () => this.renderParams());
    this.renderParams();
    this.build.addEventListener("click", () => void this.submit(bundled.value));
    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit(bundled.value);
    });
  }

  private renderParams(values: Record<string, unknown> = {}): void {
    const info = this.generators.find((g) => g.id === this.generator.value);
    this.params.replaceChildren();
    for (const p of info?.parameters ?? []) this.params.append(this.paramField(p, values[p.name]));
  }

  private paramField(p: GeneratorParameter, value: unknown): HTMLElement {
    const given = value ?? p.default;
    let control: HTMLInputElement | HTMLSelectElement;
    if (p.type === "integer" || p.type === "number") {
      // The dashboard keeps graphs small enough to draw: start generators at 500 nodes.
      const start = p.name === "n" && value === undefined ? 500 : given;
      control = numberInput(typeof start === "number" ? start : NaN, { step: p.type === "integer" ? 1 : "any" });
      if (start === undefined) control.value = "";
    } else if (p.type === "boolean") {
      control = h("input", { type: "checkbox" });
      control.checked = given === true;
    } else if (p.type === "enum") {
      control = select((p.values ?? []).map((v) => ({ value: v, label: v })), String(given ?? ""));
    } else {
      control = h("input", { type: "text", value: given === undefined ? "" : JSON.stringify(given) });
      control.dataset.json = "true";
    }
    control.dataset.param = p.name;
    control.dataset.kind = p.type;
    return field(p.name, control, { path: `generate.${p.name}`, hint: p.description });
  }

  /** The generator request the form describes (blank optional parameters left out). */
  private generateRequest(): Record<string, unknown> {
    const out: Record<string, unknown> = { type: this.generator.value };
    this.params.querySelectorAll<HTMLInputElement | HTMLSelectElement>("[data-param]").forEach((c) => {
      const name = c.dataset.param!;
      if (c instanceof HTMLInputElement && c.type === "checkbox") out[name] = c.checked;
      else if (c.value.trim() === "") return;
      else if (c.dataset.kind === "integer" || c.dataset.kind === "number") out[name] = Number(c.value);
      else if (c.dataset.json) {
        try {
          out[name] = JSON.parse(c.value);
        } catch {
          out[name] = c.value;
        }
      } else out[name] = c.value;
    });
    // ER takes one of k, p, m: drop the defaults of the others when one is set.
    if (out.type === "erdos-renyi" && (out.p !== undefined || out.m !== undefined)) delete out.k;
    return out;
  }

  private async submit(bundled: string): Promise<void> {
    clearErrors(this.el);
    this.build.disabled = true;
    try {
      if (this.kind.value === "upload") {
        const file = this.file.files?.[0];
        if (!file) throw new Error("choose a network file to upload.");
        const ext = file.name.split(".").pop()?.toLowerCase() ?? "";
        const format = FORMATS[ext];
        if (!format) throw new Error(`"${file.name}": the format is read from the extension (.csv, .tsv, .gexf, .graphml, .json, .arrow, .feather, .parquet).`);
        const row = await api.uploadNetwork(BINARY.has(format) ? await file.arrayBuffer() : await file.text(), format, file.name);
        await this.show(row, { id: row.id });
      } else {
        const generate = this.kind.value === "bundled" ? { type: bundled } : this.generateRequest();
        await this.load({ generate: generate as { type: string }, seed: Number(this.seed.value) || 0 });
      }
    } catch (error) {
      showError(this.el, error);
    } finally {
      this.build.disabled = false;
    }
  }

  /** Build (or fetch) the network of a source and show it. */
  async load(source: NetworkSource): Promise<LoadedNetwork> {
    if ("generate" in source) {
      this.kind.value = this.generators.find((g) => g.id === source.generate.type)?.parameters.length === 0 ? "bundled" : "generate";
      this.kind.dispatchEvent(new Event("change"));
      if (this.kind.value === "generate") {
        this.generator.value = source.generate.type;
        this.renderParams(source.generate);
        this.seed.value = String(source.seed);
      }
      const row = await api.generateNetwork(source.generate, source.seed);
      return this.show(row, source);
    }
    return this.show(await api.network(source.id), source);
  }

  /** Build a bundled scenario's own network on the server (a file such as networks/kite.csv) and show it. */
  async loadPreset(id: string): Promise<LoadedNetwork> {
    clearErrors(this.el);
    const row = await api.presetNetwork(id);
    return this.show(row, { id: row.id });
  }

  private async show(row: NetworkRow, source: NetworkSource): Promise<LoadedNetwork> {
    const graph = await api.graph(row.id);
    const info = this.view.load(graph);
    this.current = { row, source, info };
    const summary = degreeSummary(info.degrees, row.m);
    const s = row.stats;
    this.stats.replaceChildren(
      ...([
      h("h3", { text: row.name }),
      h(
        "dl",
        {},
        ...[
          ["nodes", formatNumber(row.n)],
          ["edges", formatNumber(row.m)],
          ["mean degree", formatNumber(s.meanDegree)],
          ["max degree", formatNumber(s.maxDegree)],
          // The HMF / bond-percolation threshold on the transmissibility T = β/(β+γ) (the scenario form compares).
          ["epidemic threshold T_c = ⟨k⟩/(⟨k²⟩−⟨k⟩)", formatNumber(s.sirThreshold ?? null)],
        ].flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]),
      ),
      info.shown < info.total ? h("p", { class: "note", text: `Large network: showing a uniform sample of ${formatNumber(info.shown)} of ${formatNumber(info.total)} nodes with their edges. Runs, curves and numbers use the whole network.` }) : null,
      ].filter((x): x is NonNullable<typeof x> => x !== null)),
    );
    this.chart?.destroy();
    const binned = logBinned(summary.histogram);
    this.chart = binned.degree.length > 1 ? degreeChart(this.chartEl, binned.degree, binned.density) : null;
    if (this.chart === null) this.chartEl.replaceChildren(h("p", { class: "hint", text: "Every node has the same degree." }));
    this.onLoaded?.(this.current);
    return this.current;
  }
}
