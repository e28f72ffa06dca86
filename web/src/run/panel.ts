/**
 * Run and watch: submit the scenario, follow its progress over SSE, then play the first run on the graph
 * (play, pause, step, scrub) with the ensemble's curves and bands linked to the timeline cursor, and a
 * summary card. Finished runs are kept for the comparison view.
 */
import { api, ApiError, followRun, type NetworkStats, type RunRow } from "../api.js";
import { statusLine } from "../ui/messages.js";
import { renderGraphLegend } from "../network/legend.js";
import { runParams } from "../state/preset.js";
import { h, byId, clearErrors, showError, download, canvasPng } from "../ui/dom.js";
import { bandChart, type Chart } from "../charts/plots.js";
import { compartmentColours, OKABE_ITO } from "../palette.js";
import { Playback, cascadeHistory } from "./playback.js";
import { bandData, recordIndex, type ResultLike } from "./series.js";
import { summaryMetrics, formatNumber } from "./summary.js";
import { resultCsv } from "../export/csv.js";
import { durationIssues } from "../state/durations.js";
import { isCascadeModel, runLabel, toRunRequest, type ScenarioDraft } from "../state/scenario.js";
import type { GraphView } from "../network/view.js";

export interface FinishedRun {
  id: string;
  label: string;
  draft: ScenarioDraft;
  result: ResultLike;
}

/** Seconds a full playback takes at 1×. */
const PLAY_SECONDS = 12;

export class RunPanel {
  readonly runs: FinishedRun[] = [];
  current: FinishedRun | null = null;
  playback: Playback | null = null;
  time = 0;
  onFinished: ((run: FinishedRun) => void) | null = null;
  /** JavaScript time of the last frames' recolouring (ms), for the performance figure. */
  readonly frameMs: number[] = [];
  private chart: Chart | null = null;
  /** The timeline's unit: days, or rounds for a cascade. */
  private unit = "day";
  private playing = false;
  private lastFrame = 0;
  private readonly button = byId<HTMLButtonElement>("run-button");
  private readonly progress = byId<HTMLProgressElement>("run-progress");
  private readonly status = byId("run-status");
  private readonly scrub = byId<HTMLInputElement>("timeline");
  private readonly clock = byId("timeline-time");
  private readonly play = byId<HTMLButtonElement>("play");
  private readonly card = byId("summary-card");
  private readonly chartEl = byId("curves");
  private readonly counts = byId("live-counts");

  constructor(
    private readonly view: GraphView,
    private readonly form: HTMLElement,
    private readonly prepare: () => Promise<{ draft: ScenarioDraft; compartments: string[]; networkId: string; stats: NetworkStats | null }>,
  ) {
    this.button.addEventListener("click", () => void this.submit());
    this.play.addEventListener("click", () => (this.playing ? this.pause() : this.start()));
    byId("step-back").addEventListener("click", () => this.step(-1));
    byId("step-forward").addEventListener("click", () => this.step(1));
    this.scrub.addEventListener("input", () => {
      this.pause();
      this.seek(Number(this.scrub.value));
    });
    byId("export-csv").addEventListener("click", () => this.current && download(`${slug(this.current.label)}-curves.csv`, resultCsv(this.current.result)));
    byId("export-chart").addEventListener("click", () => void (this.chart && canvasPng(this.chart.canvas).then((b) => download(`${slug(this.current?.label ?? "run")}-curves.png`, b))));
    this.setControls(false);
  }

  private setControls(enabled: boolean): void {
    for (const id of ["play", "step-back", "step-forward", "timeline", "export-csv", "export-chart"]) (byId(id) as HTMLButtonElement).disabled = !enabled;
  }

  /** Submit the scenario the forms describe; resolves when the run has finished and is shown. */
  async submit(): Promise<FinishedRun | null> {
    clearErrors(this.form);
    this.status.textContent = "";
    this.status.classList.remove("error");
    this.button.disabled = true;
    this.pause();
    try {
      const { draft, compartments, networkId, stats } = await this.prepare();
      if (!draft.verbatim && "nodes" in draft.seeding && draft.seeding.nodes.length === 0) {
        throw new ApiError(422, "No seeds", "no seeds chosen.", [{ path: isCascadeModel(draft.model) ? "initial.active.nodes" : "initial.I.nodes", message: "choose at least 1 seed node: click nodes on the graph, or seed random or highest-degree nodes." }]);
      }
      const periods = draft.verbatim || isCascadeModel(draft.model) ? [] : durationIssues(draft.durations);
      if (periods.length > 0) throw new ApiError(422, "Invalid periods", "a period's parameters are invalid.", periods);
      const body = toRunRequest(draft, compartments, networkId);
      const row = await api.submitRun(body);
      this.progress.value = 0;
      this.progress.max = row.progress.total;
      this.status.textContent = `Queued: ${row.progress.total} runs…`;
      const done: RunRow = await followRun(row.id, (d, total) => {
        this.progress.max = total;
        this.progress.value = d;
        this.status.textContent = `Running: ${d} of ${total} runs`;
      });
      if (done.status !== "succeeded") throw new Error(`the run ${done.status}${done.error ? `: ${done.error.message}` : "."}`);
      const result = await api.result(row.id);
      const label = runLabel(draft, this.runs.length + 1);
      const run: FinishedRun = { id: row.id, label, draft, result };
      this.runs.push(run);
      this.status.textContent = `Done: ${result.runs} runs in ${formatNumber((result as { elapsedMs?: number }).elapsedMs ?? 0)} ms.`;
      this.show(run, stats);
      this.onFinished?.(run);
      return run;
    } catch (error) {
      showError(this.form, error, "scenario.");
      // The field messages may be far from the Run button: say it here too.
      this.status.textContent = error instanceof ApiError ? statusLine("Run", error.errors, error.detail || error.title) : `Run failed: ${(error as Error).message}`;
      this.status.classList.add("error");
      return null;
    } finally {
      this.button.disabled = false;
    }
  }

  show(run: FinishedRun, stats: NetworkStats | null): void {
    this.current = run;
    const { result } = run;
    const colours = compartmentColours(result.compartments);
    const cascade = isCascadeModel(run.draft.model);
    // Cascades return activation rounds instead of a history: replay them as one.
    const first = result.nodes?.runs[0];
    const history = first?.history ?? (cascade && first?.infectionTime ? cascadeHistory(first.infectionTime) : undefined);
    this.playback = history ? new Playback(history) : null;
    this.unit = cascade ? "round" : "day";
    this.scrub.setAttribute("aria-label", `Timeline (${this.unit})`);
    this.view.showStates(this.playback?.states ?? null, colours, result.nodes?.nodeIds);
    renderGraphLegend(this.playback ? result.compartments : null);
    const end = result.times[result.times.length - 1] ?? 0;
    this.scrub.min = "0";
    this.scrub.max = String(end);
    this.scrub.step = String(result.times.length > 1 ? result.times[1] - result.times[0] || 1 : 1);
    this.chart?.destroy();
    this.chart = bandChart(
      this.chartEl,
      bandData(result),
      colours,
      () => this.time,
      (t) => {
        this.pause();
        this.seek(t);
      },
      undefined,
      this.unit,
      // Vaccinated nodes are not infections: their own dashed series, not part of any compartment's curve.
      result.vaccinated?.curve?.length === result.times.length ? [{ label: "vaccinated (cumulative mean)", colour: OKABE_ITO.skyBlue, values: result.vaccinated.curve }] : [],
    );
    this.card.replaceChildren(
      ...summaryMetrics(result, cascade, runParams(run.draft), stats).map(([k, v, note]) => h("div", { class: "metric" }, h("span", { class: "metric-label", text: k }), h("strong", { class: "metric-value", text: v }), h("span", { class: "metric-note", text: note }))),
    );
    this.setControls(true);
    this.seek(0);
  }

  /** Move the timeline to t: recolour the changed nodes only, move the chart cursor. */
  seek(t: number): void {
    const result = this.current?.result;
    if (!result) return;
    const end = result.times[result.times.length - 1] ?? 0;
    this.time = Math.min(Math.max(t, 0), end);
    const started = performance.now();
    if (this.playback) this.view.refreshNodes(this.playback.seek(this.time));
    this.frameMs.push(performance.now() - started);
    if (this.frameMs.length > 600) this.frameMs.shift();
    this.scrub.value = String(this.time);
    this.clock.textContent = this.unit === "round" ? `round ${Math.floor(this.time)}` : `day ${this.time.toFixed(1)}`;
    this.chart?.plot.redraw(false);
    const k = recordIndex(result.times, this.time);
    const live = this.playback ? this.playback.counts(result.compartments.length) : null;
    this.counts.textContent = result.compartments.map((c, i) => `${c} ${live ? live[i] : formatNumber(result.mean[c][k])}`).join(" · ") + (live ? " (run 1)" : "");
  }

  step(direction: 1 | -1): void {
    const times = this.current?.result.times;
    if (!times) return;
    this.pause();
    const k = recordIndex(times, this.time);
    const next = direction > 0 ? Math.min(times.length - 1, times[k] > this.time ? k : k + 1) : Math.max(0, times[k] < this.time ? k : k - 1);
    this.seek(times[next]);
  }

  start(): void {
    const result = this.current?.result;
    if (!result) return;
    const end = result.times[result.times.length - 1];
    if (this.time >= end) this.seek(0);
    this.playing = true;
    this.play.textContent = "Pause";
    this.play.setAttribute("aria-pressed", "true");
    this.lastFrame = performance.now();
    const frame = (now: number) => {
      if (!this.playing) return;
      const dt = (now - this.lastFrame) / 1000;
      this.lastFrame = now;
      this.seek(this.time + (dt * end) / PLAY_SECONDS);
      if (this.time >= end) this.pause();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  pause(): void {
    this.playing = false;
    this.play.textContent = "Play";
    this.play.setAttribute("aria-pressed", "false");
  }
}

export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "run";
}
