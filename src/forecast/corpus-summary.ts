/**
 * A look at a corpus without a plot: sparklines of series and the distribution of per-season peak ratios
 * (season maximum over the series' off-season floor) and peak weeks of the calendar year — the quantities
 * to compare with ILINet. Measured on the ILINet seasons before the benchmarks' test periods (region785
 * 2002/03–2011/12, per season, bench/corpus-priors.ts; 10th–90th percentiles): floors of 14–688 visits a
 * week (median 117), peaks 4.8–55 × the floor (median 13.6), peaking late November to mid-March (weeks −6…10
 * of the year, median 6).
 * The earlier figures here (floors of a few hundred to a few thousand, peaks 2–10 × that) had no recorded
 * source; see corpus.ts for where the corpus differs.
 */
import type { CorpusSeries } from "./corpus.js";

const BARS = "▁▂▃▄▅▆▇█";

/** One line of block characters, `width` columns (each the mean of its weeks), scaled min..max. */
export function sparkline(values: ArrayLike<number>, width = 104): string {
  const cols = Math.max(1, Math.min(width, values.length));
  const means: number[] = [];
  for (let c = 0; c < cols; c++) {
    const a = Math.floor((c * values.length) / cols);
    const b = Math.max(a + 1, Math.floor(((c + 1) * values.length) / cols));
    let s = 0;
    for (let i = a; i < b; i++) s += values[i];
    means.push(s / (b - a));
  }
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  return means.map((m) => BARS[hi > lo ? Math.min(7, Math.floor(((m - lo) / (hi - lo)) * 8)) : 0]).join("");
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const x = q * (sorted.length - 1);
  const i = Math.floor(x);
  return sorted[i] + (sorted[Math.min(i + 1, sorted.length - 1)] - sorted[i]) * (x - i);
}

export interface CorpusSummary {
  series: number;
  /** Quantiles (0, 0.1, 0.25, 0.5, 0.75, 0.9, 1) of per-season max / series floor (10th percentile), over series with a floor. */
  peakRatio: number[];
  /** Quantiles of the series floor (10th percentile of values). */
  floor: number[];
  /** Quantiles of the series maximum. */
  max: number[];
  /** Share of season peaks falling in each month (Jan..Dec, by week of year), over series with a floor. */
  peakMonth: number[];
  /** Share of series by model. */
  models: Record<string, number>;
}

const LEVELS = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];

/**
 * Per season (52-week blocks from week 27 of the year, July–June): the block's maximum over the series floor
 * and the calendar week of that maximum. Blocks with fewer than 40 weeks inside the series are skipped.
 */
export function summarizeCorpus(series: readonly CorpusSeries[]): CorpusSummary {
  const ratios: number[] = [];
  const floors: number[] = [];
  const maxima: number[] = [];
  const months = new Array<number>(12).fill(0);
  const models: Record<string, number> = {};
  for (const { values, meta } of series) {
    models[meta.model] = (models[meta.model] ?? 0) + 1 / series.length;
    const sorted = Array.from(values).sort((a, b) => a - b);
    const floor = Math.max(1, quantile(sorted, 0.1));
    floors.push(floor);
    maxima.push(sorted[sorted.length - 1]);
    // Week w of the series is week (startWeek + w) of the calendar; seasons start at calendar week 27.
    if (meta.floor === 0) continue; // no floor: a ratio to it means nothing
    const first = -((meta.startWeek - 27 + 52) % 52);
    for (let s = first; s < values.length; s += 52) {
      const a = Math.max(0, s);
      const b = Math.min(values.length, s + 52);
      if (b - a < 40) continue;
      let best = a;
      for (let w = a; w < b; w++) if (values[w] > values[best]) best = w;
      ratios.push(values[best] / floor);
      const weekOfYear = (meta.startWeek + best) % 52;
      months[Math.min(11, Math.floor(weekOfYear / (52 / 12)))]++;
    }
  }
  const total = months.reduce((a, b) => a + b, 0) || 1;
  const q = (xs: number[]) => {
    const s = xs.sort((a, b) => a - b);
    return LEVELS.map((l) => quantile(s, l));
  };
  return { series: series.length, peakRatio: q(ratios), floor: q(floors), max: q(maxima), peakMonth: months.map((m) => m / total), models };
}
