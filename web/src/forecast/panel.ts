/**
 * Forecast: a bundled dataset (GET /v1/datasets) or an uploaded CSV, a region, the method — by default "auto",
 * the method chosen on validation rows of the region's history up to the origin (the server falls back to the
 * hub baseline, and says why, when it has no transformer), or the fine-tuned transformer, or the forecast hubs'
 * baseline — then a fan chart with the model's backtest scores and, for auto, the choice and its reason.
 */
import { api, type DatasetInfo, type ForecastRow } from "../api.js";
import { h, byId, field, numberInput, select, clearErrors, showError, download, canvasPng } from "../ui/dom.js";
import { fanChart, type Chart } from "../charts/plots.js";
import { defaultFanContext, fanData, fanWindowOptions, protocolLines, type ForecastResultLike, type ProtocolLine } from "./fan.js";
import { forecastCsv } from "../export/csv.js";
import { formatNumber } from "../run/summary.js";

export class ForecastPanel {
  readonly el: HTMLElement;
  result: ForecastResultLike | null = null;
  private dataset: HTMLSelectElement;
  private region = select([]);
  private upload = h("input", { type: "file", accept: ".csv" });
  private horizons = h("input", { type: "text", value: "1, 2, 3, 4" });
  private method: HTMLSelectElement;
  private epochs = numberInput(5, { min: 0, max: 200, step: 1 });
  private strategy = select(["head", "full", "both"].map((v) => ({ value: v, label: v === "head" ? "head only (fast)" : v === "full" ? "all layers" : "head, then all layers" })), "head");
  private seed = numberInput(0, { min: 0, step: 1 });
  private button = h("button", { type: "button", class: "primary", text: "Forecast" });
  private progress = h("progress", { max: 1, value: 0, "aria-label": "Forecast progress" });
  private status = h("p", { class: "status", "aria-live": "polite" });
  private chart: Chart | null = null;
  private readonly chartEl = byId("fan-chart");
  private readonly scores = byId("forecast-scores");

  constructor(
    private readonly datasets: DatasetInfo[],
    readonly transformer: boolean,
  ) {
    this.dataset = select([...datasets.map((d) => ({ value: d.id, label: `${d.id} — ${d.description.split(":")[0]}` })), { value: "upload", label: "Upload a CSV…" }], datasets[0]?.id);
    this.method = select(
      transformer
        ? [{ value: "auto", label: "Best on validation (auto)" }, { value: "transformer", label: "Transformer (fine-tuned)" }, { value: "baseline", label: "Hub baseline" }]
        : [{ value: "auto", label: "Best on validation (auto)" }, { value: "baseline", label: "Hub baseline" }],
      "auto",
    );
    const uploadBox = h("div", { hidden: true }, field("CSV file", this.upload, { path: "dataset", hint: "wide CSV: a week or date column, then one column per region" }));
    const tuneBox = h("div", { class: "row", hidden: !transformer }, field("Fine-tune epochs", this.epochs, { path: "finetune.epochs" }), field("Layers", this.strategy, { path: "finetune.strategy" }));
    this.el = h(
      "form",
      { class: "panel", id: "forecast-form", "aria-label": "Forecast" },
      field("Dataset", this.dataset, { path: "dataset" }),
      uploadBox,
      field("Region", this.region, { path: "region" }),
      field("Horizons", this.horizons, { path: "horizons", hint: "weeks ahead, comma-separated" }),
      field("Method", this.method, { path: "method", hint: transformer ? "auto: the candidate with the lowest validation WIS on this region's history, fitted and served" : "the transformer is not available on this server: auto serves the hub baseline" }),
      tuneBox,
      field("Seed", this.seed, { path: "seed" }),
      h("div", { class: "actions" }, this.button),
      this.progress,
      this.status,
      h("p", { class: "form-error", role: "alert" }),
    );
    this.dataset.addEventListener("change", () => {
      uploadBox.hidden = this.dataset.value !== "upload";
      void this.fillRegions();
    });
    this.upload.addEventListener("change", () => void this.fillRegions());
    this.method.addEventListener("change", () => (tuneBox.hidden = !transformer || this.method.value === "baseline"));
    this.button.addEventListener("click", () => void this.submit());
    this.el.addEventListener("submit", (e) => e.preventDefault());
    byId("forecast-csv").addEventListener("click", () => this.result && download(`forecast-${this.result.region}.csv`, forecastCsv(this.result)));
    byId("forecast-png").addEventListener("click", () => void (this.chart && canvasPng(this.chart.canvas).then((b) => download("forecast.png", b))));
    void this.fillRegions();
  }

  private async fillRegions(): Promise<void> {
    let regions: string[] = [];
    if (this.dataset.value === "upload") {
      const file = this.upload.files?.[0];
      if (file) regions = (await file.text()).split(/\r?\n/)[0].split(",").slice(1).map((r) => r.trim().replace(/^"|"$/g, ""));
    } else regions = this.datasets.find((d) => d.id === this.dataset.value)?.regions ?? [];
    this.region.replaceChildren(...regions.map((r) => h("option", { value: r, text: r })));
  }

  async submit(): Promise<ForecastResultLike | null> {
    clearErrors(this.el);
    this.button.disabled = true;
    this.status.textContent = "";
    try {
      const horizons = this.horizons.value.split(/[,\s]+/).filter(Boolean).map(Number);
      const dataset = this.dataset.value === "upload" ? { csv: await (this.upload.files?.[0]?.text() ?? Promise.reject(new Error("choose a CSV file to upload."))) } : this.dataset.value;
      const method = this.method.value;
      const body: Record<string, unknown> = { dataset, region: this.region.value, horizons, method, seed: Number(this.seed.value) };
      if (method !== "baseline" && this.transformer) body.finetune = { epochs: Number(this.epochs.value), strategy: this.strategy.value };
      let row: ForecastRow = await api.submitForecast(body);
      this.progress.value = 0;
      while (!["succeeded", "failed", "cancelled"].includes(row.status)) {
        const p = row.progress;
        if (p) {
          this.progress.max = Math.max(1, p.epochs);
          this.progress.value = p.epoch;
          this.status.textContent = `${p.phase}: epoch ${p.epoch} of ${p.epochs}${p.loss !== undefined ? `, loss ${formatNumber(p.loss)}` : ""}`;
        } else this.status.textContent = row.status === "queued" ? "Queued…" : "Running…";
        await new Promise((r) => setTimeout(r, 250));
        row = await api.forecast(row.id);
      }
      if (row.status !== "succeeded" || !row.result) throw new Error(`the forecast ${row.status}${row.error ? `: ${row.error.message}` : "."}`);
      this.progress.max = 1;
      this.progress.value = 1;
      this.status.textContent = `Done (${row.result.selection ? `auto: ${row.result.selection.method}` : row.result.method}).`;
      this.show(row.result);
      return row.result;
    } catch (error) {
      this.status.textContent = "";
      showError(this.el, error);
      return null;
    } finally {
      this.button.disabled = false;
    }
  }

  show(result: ForecastResultLike): void {
    this.result = result;
    const units = this.datasets.find((d) => d.id === this.dataset.value)?.units ?? "value";
    // Zoom to the recent season and the horizon by default; the select widens the window.
    const windowSelect = byId<HTMLSelectElement>("fan-window");
    const last = result.horizons.length ? result.horizons[result.horizons.length - 1] : 1;
    const options = fanWindowOptions(result.observed.values.length);
    const chosen = Math.min(defaultFanContext(last), result.observed.values.length);
    windowSelect.replaceChildren(...options.map((o) => h("option", { value: String(o.value), text: o.label })));
    windowSelect.value = String(options.find((o) => o.value >= chosen)?.value ?? chosen);
    const draw = () => {
      this.chart?.destroy();
      this.chart = fanChart(this.chartEl, fanData(result, Number(windowSelect.value)), units);
    };
    windowSelect.onchange = draw;
    draw();
    const s = result.scores;
    // Backtest spans are row indices of the series (rows [from, to)).
    const label = (row: string | number) => (typeof row === "number" ? (result.observed.times[row] ?? `row ${row}`) : row);
    const rows: [string, string][] = [
      ["Method", result.selection ? `${result.selection.method} (auto)` : result.method],
      ["Region", result.region],
    ];
    const sel = result.selection;
    if (sel) {
      const wis = Object.entries(sel.validationWis).sort((a, b) => a[1] - b[1]);
      rows.push(["Why", wis.length > 0 ? `lowest mean WIS on validation weeks ${label(sel.rows.trainEnd)} to ${label(sel.rows.validEnd - 1)}` : sel.reason]);
      for (const [m, w] of wis) rows.push([`Validation WIS: ${m}`, `${formatNumber(w)}${m === sel.method ? " ← served" : ""}`]);
      // The served intervals' spread per horizon, recalibrated on the same validation weeks (1 = as the method gave them).
      if (sel.spreads && sel.spreads.length > 0 && wis.length > 0) rows.push(["Interval spread per horizon (recalibrated)", sel.spreads.map((c) => c.toFixed(2)).join(" / ")]);
    }
    if (s) {
      // The backtest scores the network's own intervals; auto may have spread the served ones (selection.spreads).
      const spread = sel?.spreads?.some((c) => c !== 1) ? " (before the interval spread)" : "";
      rows.push(
        s.from !== undefined ? ["Backtest weeks", `${label(s.from)} to ${label(Number(s.to) - 1)}${s.cells !== undefined ? ` (${formatNumber(s.cells)} forecasts)` : ""}`] : ["Backtest origins", formatNumber(s.origins)],
        ["WIS (model)", formatNumber(s.wis)],
        ["WIS (hub baseline)", formatNumber(s.baselineWis)],
        ["Relative WIS", formatNumber(s.baselineWis > 0 ? s.wis / s.baselineWis : null)],
        [`50% interval coverage${spread}`, `${formatNumber(s.coverage50 * 100)}%`],
        [`95% interval coverage${spread}`, `${formatNumber(s.coverage95 * 100)}%`],
      );
    }
    this.scores.replaceChildren(
      h("h3", { text: "Evaluation" }),
      h("dl", {}, ...rows.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })])),
      s ? h("p", { class: "hint", text: "Weighted interval score on held-out final weeks (lower is better; relative WIS < 1 beats the baseline)." }) : h("p", { class: "hint", text: "The hub baseline is the reference model: no backtest scores." }),
    );
    if (result.method === "transformer" || result.selection?.method.startsWith("transformer")) void this.showProtocol();
  }

  /** The checkpoint's recorded evaluation under the published protocol (GET /v1/forecaster), below the backtest. */
  private async showProtocol(): Promise<void> {
    let lines: ProtocolLine[];
    try {
      lines = protocolLines(await api.forecaster());
    } catch {
      return;
    }
    if (lines.length === 0) return;
    this.scores.append(
      h("h4", { text: "The model under the Cola-GNN protocol (test split)" }),
      h(
        "dl",
        { class: "protocol" },
        ...lines.flatMap((l) => [
          h("dt", { text: l.dataset }),
          h("dd", { text: `RMSE h=${l.horizons}: ${l.rmse}; mean WIS ×${l.relativeWis.toFixed(2)} of the hub baseline; 95% coverage ${l.coverage95}` }),
        ]),
      ),
    );
  }
}
