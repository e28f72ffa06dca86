/**
 * The regional view's pure logic (no DOM): node positions from coordinates, colours by trend, by P(rising)
 * or by current intensity, sizes by population or level, the legend, the order of the small multiples, the
 * fan chart of one region with its past seasons, and the as-of timeline's range.
 * Colours: Okabe–Ito (palette.ts) — rising vermillion, falling blue, flat grey — so the map reads the same
 * under the common colour-vision deficiencies; P(rising) runs blue → grey → vermillion through the same ends.
 */
import { IDLE_COLOUR, OKABE_ITO, hexToRgb } from "../palette.js";
import type { ForecastResultLike } from "../forecast/fan.js";

export type Trend = "rising" | "flat" | "falling";
export type ColourBy = "trend" | "probability" | "intensity";
export type SizeBy = "population" | "level";

export interface RegionLike {
  region: string;
  last: number;
  quantiles: number[][];
  median: number[];
  trend: Trend;
  change: number | null;
  band: number;
  pRising: number;
  pFalling: number;
  scores: { origins: number; wis: number; baselineWis: number; relativeWis: number | null } | null;
  observed: (number | null)[];
  coordinates: { lat: number; lon: number; population?: number } | null;
}

export interface RegionalResultLike {
  dataset?: string | { csv: { name: string; rows: number; regions: string[] } };
  method: string;
  asOf: { index: number; label: string };
  horizon: number;
  horizons: number[];
  targets: string[];
  levels: number[];
  times: string[];
  regions: RegionLike[];
  edges: { source: string; target: string; weight: number }[];
  adjacency: "file" | "correlation";
}

export const TREND_COLOURS: Record<Trend, string> = { rising: OKABE_ITO.vermillion, flat: IDLE_COLOUR, falling: OKABE_ITO.blue };
/** Low and high ends of the intensity scale (a light and a dark reddish purple). */
const INTENSITY_LOW = "#f3e6ef";
const INTENSITY_HIGH = "#7a2a5c";
/** Weeks in a season, for the past-season overlay. */
export const SEASON_WEEKS = 52;
/** Past seasons drawn faintly behind a region's fan chart. */
export const PAST_SEASONS = 3;

const hex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/** Linear interpolation between two colours, t in [0, 1] (clamped). */
export function mix(a: string, b: string, t: number): string {
  const u = Math.min(1, Math.max(0, t));
  const x = hexToRgb(a);
  const y = hexToRgb(b);
  return hex(x.map((c, i) => c + (y[i] - c) * u));
}

/** P(rising) → blue (0) through grey (0.5) to vermillion (1). */
export function probabilityColour(p: number): string {
  return p < 0.5 ? mix(OKABE_ITO.blue, IDLE_COLOUR, p / 0.5) : mix(IDLE_COLOUR, OKABE_ITO.vermillion, (p - 0.5) / 0.5);
}

/**
 * Current intensity: the share of the region's observed values up to asOf that are ≤ its value at asOf
 * (a percentile rank in its own history, so regions of different sizes compare). 0 … 1.
 */
export function intensity(region: Pick<RegionLike, "observed" | "last">): number {
  let n = 0;
  let below = 0;
  for (const v of region.observed) {
    if (v === null) continue;
    n++;
    if (v <= region.last) below++;
  }
  return n === 0 ? 0 : below / n;
}

export function nodeColour(region: RegionLike, by: ColourBy): string {
  if (by === "trend") return TREND_COLOURS[region.trend];
  if (by === "probability") return probabilityColour(region.pRising);
  return mix(INTENSITY_LOW, INTENSITY_HIGH, intensity(region));
}

/**
 * Node sizes (sigma's radius in pixels), area proportional to the value: radius ∝ √value, from `min` for the
 * smallest to `max` for the largest. Population falls back to the level when a region has none.
 */
export function nodeSizes(regions: readonly RegionLike[], by: SizeBy, min = 6, max = 22): number[] {
  const values = regions.map((r) => Math.max(0, by === "population" && r.coordinates?.population !== undefined ? r.coordinates.population : r.last));
  const roots = values.map(Math.sqrt);
  const hi = Math.max(...roots);
  const lo = Math.min(...roots);
  return roots.map((v) => (hi > lo ? min + ((v - lo) / (hi - lo)) * (max - min) : (min + max) / 2));
}

/** Whether every region has coordinates (then the graph is drawn as a map). */
export function hasGeography(regions: readonly RegionLike[]): boolean {
  return regions.length > 0 && regions.every((r) => r.coordinates !== null);
}

/**
 * Map positions: equirectangular around the regions' mean latitude (x = lon·cos φ₀, y = lat), which keeps
 * neighbours where an analyst expects them at the scale of a country. Sigma's y axis points up.
 */
export function geoPositions(regions: readonly RegionLike[]): { x: number; y: number }[] {
  const lat0 = regions.reduce((s, r) => s + r.coordinates!.lat, 0) / regions.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  return regions.map((r) => ({ x: r.coordinates!.lon * k, y: r.coordinates!.lat }));
}

/** Starting positions on a circle (before ForceAtlas2), in column order. */
export function circlePositions(n: number): { x: number; y: number }[] {
  return Array.from({ length: n }, (_, i) => ({ x: Math.cos((2 * Math.PI * i) / n) * 100, y: Math.sin((2 * Math.PI * i) / n) * 100 }));
}

const TREND_ORDER: Record<Trend, number> = { rising: 0, flat: 1, falling: 2 };

/** Small multiples' order: rising, then flat, then falling; within a class, by P(rising) descending, then name. */
export function sortByTrend<T extends Pick<RegionLike, "trend" | "pRising" | "region">>(regions: readonly T[]): T[] {
  return [...regions].sort((a, b) => TREND_ORDER[a.trend] - TREND_ORDER[b.trend] || b.pRising - a.pRising || a.region.localeCompare(b.region));
}

export function legend(by: ColourBy): { label: string; colour: string }[] {
  if (by === "trend") return (["rising", "flat", "falling"] as const).map((t) => ({ label: t, colour: TREND_COLOURS[t] }));
  if (by === "probability") return [0, 0.25, 0.5, 0.75, 1].map((p) => ({ label: `P(rising) ${p}`, colour: probabilityColour(p) }));
  return [0, 0.5, 1].map((p) => ({ label: p === 0 ? "lowest of its history" : p === 1 ? "highest of its history" : "median of its history", colour: mix(INTENSITY_LOW, INTENSITY_HIGH, p) }));
}

/** One region as the single-region fan chart's input (fan.ts). */
export function regionFan(result: RegionalResultLike, region: RegionLike): ForecastResultLike {
  return {
    region: region.region,
    method: result.method,
    observed: { times: result.times, values: region.observed },
    horizons: result.horizons,
    targets: result.targets,
    levels: result.levels,
    quantiles: region.quantiles,
    median: region.median,
  };
}

/**
 * Past seasons aligned with a fan chart that shows `context` observed weeks up to asOf and then `horizon`
 * weeks: for k = 1 … seasons, the values 52·k weeks earlier at each x (null before the series starts), with a
 * label naming the week that sits under asOf. Seasons that would be entirely missing are left out.
 */
export function pastSeasons(observed: readonly (number | null)[], times: readonly string[], context: number, horizon: number, seasons = PAST_SEASONS, period = SEASON_WEEKS): { label: string; values: (number | null)[] }[] {
  const asOf = observed.length - 1;
  const shown = Math.min(context, observed.length);
  const first = asOf - shown + 1;
  const out: { label: string; values: (number | null)[] }[] = [];
  for (let k = 1; k <= seasons; k++) {
    const values: (number | null)[] = [];
    for (let i = 0; i < shown + horizon; i++) {
      const row = first + i - k * period;
      values.push(row >= 0 && row <= asOf ? observed[row] : null);
    }
    if (values.some((v) => v !== null)) out.push({ label: `${k} season${k > 1 ? "s" : ""} before (${times[asOf - k * period] ?? "…"})`, values });
  }
  return out;
}

/** The as-of slider's range: from the horizon (one past H-week change needed) to the last row. */
export function timelineRange(rows: number, horizon: number): { min: number; max: number } {
  return { min: Math.min(horizon, rows - 1), max: rows - 1 };
}

/** "+54% (P(rising) 0.91)" and the like, for tooltips and small-multiple captions. */
export function describeTrend(region: Pick<RegionLike, "trend" | "change" | "pRising">): string {
  const c = region.change === null ? "from 0" : `${region.change >= 0 ? "+" : "−"}${Math.abs(region.change * 100).toFixed(0)}%`;
  return `${region.trend} ${c}, P(rising) ${region.pRising.toFixed(2)}`;
}
