/**
 * Drawing for the regional view: one region's fan chart with its past seasons faintly behind (uPlot, as the
 * Forecast tab's), and the small multiples (one small canvas per region: the last year and the median
 * forecast, framed in the region's trend colour).
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { OKABE_ITO, withAlpha } from "../palette.js";
import type { FanData } from "../forecast/fan.js";
import { h } from "../ui/dom.js";
import type { RegionLike } from "./model.js";
import { TREND_COLOURS, describeTrend } from "./model.js";

const AXIS = { stroke: "#4b5563", grid: { stroke: "#eef1f4", width: 1 }, ticks: { stroke: "#d5dbe1", width: 1 } };
const SEASON_COLOURS = ["#8a94a0", "#a9b1ba", "#c5cbd2"];

export interface RegionChart {
  plot: uPlot;
  canvas: HTMLCanvasElement;
  destroy(): void;
}

/** Fan chart of one region: observed, median, 50% / 95% bands, "as of" line, and past seasons (thin, grey). */
export function regionFanChart(el: HTMLElement, title: string, fan: FanData, seasons: { label: string; values: (number | null)[] }[], units: string): RegionChart {
  el.replaceChildren();
  const colour = OKABE_ITO.blue;
  const edge = { stroke: "transparent", width: 0, points: { show: false } } as uPlot.Series;
  const series: uPlot.Series[] = [
    { label: "week" },
    ...seasons.map((s, i) => ({ label: s.label, stroke: SEASON_COLOURS[i % SEASON_COLOURS.length], width: 1, dash: [4, 3], points: { show: false } }) as uPlot.Series),
    { label: "observed", stroke: OKABE_ITO.black, width: 1.5, points: { show: false } },
    { label: "median", stroke: colour, width: 2, points: { show: false } },
    { ...edge, label: "2.5%" },
    { ...edge, label: "97.5%" },
    { ...edge, label: "25%" },
    { ...edge, label: "75%" },
  ];
  const m = 1 + seasons.length + 1;
  const width = Math.max(280, Math.floor(el.clientWidth || 600));
  const plot = new uPlot(
    {
      title,
      width,
      height: 260,
      series,
      bands: [
        { series: [m + 2, m + 1], fill: withAlpha(colour, 0.16) },
        { series: [m + 4, m + 3], fill: withAlpha(colour, 0.36) },
      ],
      legend: { show: false },
      scales: { x: { time: false } },
      axes: [
        { ...AXIS, values: (_u, ticks) => ticks.map((t) => fan.labels[Math.round(t)] ?? ""), space: 80 },
        { ...AXIS, label: units, size: 64 },
      ],
      plugins: [
        {
          hooks: {
            draw: (u) => {
              const px = u.valToPos(fan.asOfX, "x", true);
              const ctx = u.ctx;
              ctx.save();
              ctx.strokeStyle = OKABE_ITO.vermillion;
              ctx.lineWidth = 2 * devicePixelRatio;
              ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
              ctx.beginPath();
              ctx.moveTo(px, u.bbox.top);
              ctx.lineTo(px, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.restore();
            },
          },
        },
      ],
    },
    [fan.x, ...seasons.map((s) => s.values), fan.observed, fan.median, fan.lo95, fan.hi95, fan.lo50, fan.hi50] as uPlot.AlignedData,
    el,
  );
  const items = [
    { label: "observed", colour: OKABE_ITO.black, cls: "" },
    { label: "median, 50% / 95%", colour, cls: " band" },
    ...seasons.map((s, i) => ({ label: s.label, colour: SEASON_COLOURS[i % SEASON_COLOURS.length], cls: " dashed" })),
  ];
  el.append(h("ul", { class: "legend" }, ...items.map((i) => h("li", {}, h("span", { class: `swatch${i.cls}`, style: `--c:${i.colour}` }), i.label))));
  const onResize = () => plot.setSize({ width: Math.max(280, Math.floor(el.clientWidth || 600)), height: 260 });
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

/** Weeks of history in a small multiple. */
const SMALL_WEEKS = 52;

/** One small multiple: the last year observed (black) and the median forecast (trend colour). */
export function smallMultiple(region: RegionLike, onClick: () => void, selected: boolean): HTMLElement {
  const W = 180;
  const H = 64;
  const canvas = h("canvas", { width: W * devicePixelRatio, height: H * devicePixelRatio, style: `width:${W}px;height:${H}px`, "aria-hidden": "true" });
  const ctx = canvas.getContext("2d");
  const past = region.observed.slice(-SMALL_WEEKS);
  const all = [...past, ...region.median].filter((v): v is number => v !== null);
  const hi = Math.max(1, ...all);
  const n = past.length + region.median.length;
  const x = (i: number) => ((i + 0.5) / n) * W * devicePixelRatio;
  const y = (v: number) => (1 - v / hi) * (H - 6) * devicePixelRatio + 3 * devicePixelRatio;
  if (ctx) {
    const line = (points: [number, number][], colour: string, width: number) => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width * devicePixelRatio;
      ctx.beginPath();
      points.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(px, py) : ctx.lineTo(px, py)));
      ctx.stroke();
    };
    line(past.flatMap((v, i) => (v === null ? [] : [[x(i), y(v)] as [number, number]])), "#1f2933", 1);
    line([[x(past.length - 1), y(region.last)], ...region.median.map((v, k) => [x(past.length + k), y(v)] as [number, number])], TREND_COLOURS[region.trend], 2.5);
  }
  const button = h(
    "button",
    { type: "button", class: `multiple${selected ? " selected" : ""}`, style: `--c:${TREND_COLOURS[region.trend]}`, "data-region": region.region, title: describeTrend(region) },
    h("span", { class: "multiple-name", text: region.region }),
    canvas,
    h("span", { class: "multiple-trend", text: describeTrend(region) }),
  );
  button.addEventListener("click", onClick);
  return button;
}
