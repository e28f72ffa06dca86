/**
 * uPlot charts: compartment curves with 50% and 95% bands and a timeline cursor, the comparison overlay,
 * the forecast fan chart and the degree distribution. uPlot draws on one canvas (fast at 10⁴ points, 45 kB,
 * no framework), takes bands between two series natively, and hooks let us draw the cursor and "as of" lines.
 * The legends are our own HTML (uPlot's would list every band edge as a series).
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { withAlpha, OKABE_ITO } from "../palette.js";
import type { BandData } from "../run/series.js";
import type { FanData } from "../forecast/fan.js";
import { h } from "../ui/dom.js";
import { formatLogTick, logTicks } from "./ticks.js";

export interface Chart {
  plot: uPlot;
  canvas: HTMLCanvasElement;
  destroy(): void;
}

const AXIS = { stroke: "#4b5563", grid: { stroke: "#eef1f4", width: 1 }, ticks: { stroke: "#d5dbe1", width: 1 } };

function widthOf(el: HTMLElement): number {
  return Math.max(280, Math.floor(el.clientWidth || el.parentElement?.clientWidth || 600));
}

function legend(items: { label: string; colour: string; dashed?: boolean; band?: boolean }[]): HTMLElement {
  return h(
    "ul",
    { class: "legend" },
    ...items.map((i) => h("li", {}, h("span", { class: `swatch${i.band ? " band" : ""}${i.dashed ? " dashed" : ""}`, style: `--c:${i.colour}` }), i.label)),
  );
}

/** A vertical line at x = get() (null: none), labelled. */
function verticalLine(get: () => number | null, colour: string, label?: string): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const x = get();
        if (x === null || !Number.isFinite(x)) return;
        const px = u.valToPos(x, "x", true);
        if (px < u.bbox.left || px > u.bbox.left + u.bbox.width) return;
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.beginPath();
        ctx.moveTo(px, u.bbox.top);
        ctx.lineTo(px, u.bbox.top + u.bbox.height);
        ctx.stroke();
        if (label) {
          ctx.setLineDash([]);
          ctx.fillStyle = colour;
          ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
          ctx.fillText(label, px + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

function mount(el: HTMLElement, opts: uPlot.Options, data: uPlot.AlignedData, legendEl: HTMLElement | null): Chart {
  el.replaceChildren();
  const plot = new uPlot(opts, data, el);
  if (legendEl) el.append(legendEl);
  const onResize = () => plot.setSize({ width: widthOf(el), height: opts.height });
  window.addEventListener("resize", onResize);
  return {
    plot,
    canvas: plot.ctx.canvas,
    destroy: () => {
      window.removeEventListener("resize", onResize);
      plot.destroy();
    },
  };
}

/** Lines and bands of one quantity: median + 95% band + 50% band. */
function bandSeries(label: string, colour: string, dash?: number[]): uPlot.Series[] {
  const edge = { stroke: "transparent", width: 0, points: { show: false } } as uPlot.Series;
  return [
    { label, stroke: colour, width: 2, dash, points: { show: false } },
    { ...edge, label: `${label} 2.5%` },
    { ...edge, label: `${label} 97.5%` },
    { ...edge, label: `${label} 25%` },
    { ...edge, label: `${label} 75%` },
  ];
}

function bandsFor(first: number, colour: string, strength = 1): uPlot.Band[] {
  return [
    { series: [first + 2, first + 1], fill: withAlpha(colour, 0.12 * strength) },
    { series: [first + 4, first + 3], fill: withAlpha(colour, 0.28 * strength) },
  ];
}

/** A dashed line drawn over the compartment curves (e.g. the cumulative vaccinated count). */
export interface ExtraLine {
  label: string;
  colour: string;
  values: number[];
}

/**
 * Compartment curves (median, 50% and 95% bands). `cursor()` gives the timeline time; `onPick(t)` is called
 * when the analyst clicks the chart (scrubbing from the curves).
 */
export function bandChart(el: HTMLElement, data: BandData, colours: string[], cursor: () => number | null, onPick?: (t: number) => void, title = "Nodes per compartment", unit = "day", extra: ExtraLine[] = []): Chart {
  const series: uPlot.Series[] = [{ label: unit }];
  const bands: uPlot.Band[] = [];
  const columns: (number | null)[][] = [data.times];
  data.compartments.forEach((c, i) => {
    bands.push(...bandsFor(series.length, colours[i]));
    series.push(...bandSeries(c.name, colours[i]));
    columns.push(c.median, c.outer[0], c.outer[1], c.inner[0], c.inner[1]);
  });
  for (const line of extra) {
    series.push({ label: line.label, stroke: line.colour, width: 2, dash: [8, 5], points: { show: false } });
    columns.push(line.values);
  }
  const opts: uPlot.Options = {
    title,
    width: widthOf(el),
    height: 220,
    series,
    bands,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: false } },
    axes: [
      { ...AXIS, label: unit },
      { ...AXIS, label: "nodes", size: 56 },
    ],
    plugins: [verticalLine(cursor, OKABE_ITO.black)],
  };
  const chart = mount(el, opts, columns as uPlot.AlignedData, legend([...data.compartments.map((c, i) => ({ label: `${c.name} median`, colour: colours[i] })), ...extra.map((l) => ({ label: l.label, colour: l.colour, dashed: true })), { label: "50% / 95% of runs", colour: "#6b7280", band: true }]));
  if (onPick) chart.plot.over.addEventListener("click", (e) => onPick(chart.plot.posToVal(e.offsetX, "x")));
  return chart;
}

/** Several runs on the same axes: per run the median and 50%/95% bands of one compartment. */
export function compareChart(el: HTMLElement, times: number[], runs: { label: string; colour: string; median: (number | null)[]; outer: [(number | null)[], (number | null)[]]; inner: [(number | null)[], (number | null)[]] }[], compartment: string): Chart {
  const series: uPlot.Series[] = [{ label: "day" }];
  const bands: uPlot.Band[] = [];
  const columns: (number | null)[][] = [times];
  runs.forEach((r, i) => {
    bands.push(...bandsFor(series.length, r.colour, 0.8));
    series.push(...bandSeries(r.label, r.colour, i % 2 === 1 ? [8, 4] : undefined));
    columns.push(r.median, r.outer[0], r.outer[1], r.inner[0], r.inner[1]);
  });
  const opts: uPlot.Options = {
    title: `${compartment}: runs compared (median, 50% and 95% of runs)`,
    width: widthOf(el),
    height: 300,
    series,
    bands,
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [
      { ...AXIS, label: "day" },
      { ...AXIS, label: `nodes in ${compartment}`, size: 56 },
    ],
  };
  return mount(el, opts, columns as uPlot.AlignedData, legend(runs.map((r, i) => ({ label: r.label, colour: r.colour, dashed: i % 2 === 1 }))));
}

/** Forecast fan: observed series, median, 50% and 95% bands, and the "as of" line. */
export function fanChart(el: HTMLElement, fan: FanData, units: string): Chart {
  const colour = OKABE_ITO.blue;
  const series: uPlot.Series[] = [{ label: "week" }, { label: "observed", stroke: OKABE_ITO.black, width: 1.5, points: { show: false } }, ...bandSeries("median forecast", colour)];
  const opts: uPlot.Options = {
    title: "Forecast",
    width: widthOf(el),
    height: 300,
    series,
    bands: bandsFor(2, colour, 1.3),
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [
      { ...AXIS, label: "epidemiological week", values: (_u, ticks) => ticks.map((t) => fan.labels[Math.round(t)] ?? "") , space: 80 },
      { ...AXIS, label: units, size: 64 },
    ],
    plugins: [verticalLine(() => fan.asOfX, OKABE_ITO.vermillion, `as of ${fan.labels[fan.asOfX]}`)],
  };
  const columns = [fan.x, fan.observed, fan.median, fan.lo95, fan.hi95, fan.lo50, fan.hi50];
  return mount(el, opts, columns as uPlot.AlignedData, legend([
    { label: "observed", colour: OKABE_ITO.black },
    { label: "median", colour },
    { label: "50% / 95% intervals", colour, band: true },
    { label: "as of", colour: OKABE_ITO.vermillion, dashed: true },
  ]));
}

/** Degree distribution on log–log axes (log-binned density). */
export function degreeChart(el: HTMLElement, degree: number[], density: number[]): Chart {
  const opts: uPlot.Options = {
    width: widthOf(el),
    height: 170,
    series: [{ label: "degree" }, { label: "P(k)", stroke: OKABE_ITO.blue, width: 1.5, points: { show: true, size: 6, fill: OKABE_ITO.blue } }],
    legend: { show: false },
    scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    // Log axes: decades (no 0 tick, no rounded-away small powers), labelled exactly (ticks.ts).
    axes: [
      { ...AXIS, label: "degree k", labelSize: 18, splits: (_u, _i, lo, hi) => logTicks(lo, hi), values: (_u, ticks) => ticks.map(formatLogTick) },
      { ...AXIS, label: "P(k)", size: 56, labelSize: 18, splits: (_u, _i, lo, hi) => logTicks(lo, hi), values: (_u, ticks) => ticks.map(formatLogTick) },
    ],
  };
  return mount(el, opts, [degree, density], null);
}
