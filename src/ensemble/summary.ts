/**
 * Summaries of an ensemble: means and quantile bands per compartment and record time, and the scalar
 * summaries (final size, peak) with their spread. Quantiles use linear interpolation between order
 * statistics (Hyndman & Fan 1996, type 7 — R's and NumPy's default).
 */

/** The quantile levels reported in results. */
export const QUANTILE_LEVELS = [0.025, 0.25, 0.5, 0.75, 0.975] as const;

/** Type-7 quantile of already-sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const len = sorted.length;
  if (len === 0) return NaN;
  const h = (len - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, len - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface MeanSd {
  mean: number;
  sd: number;
}

/** Mean and sample standard deviation (0 for a single value). */
export function meanSd(values: ArrayLike<number>): MeanSd {
  const len = values.length;
  let sum = 0;
  for (let i = 0; i < len; i++) sum += values[i];
  const mean = len ? sum / len : NaN;
  let ss = 0;
  for (let i = 0; i < len; i++) ss += (values[i] - mean) ** 2;
  return { mean, sd: len > 1 ? Math.sqrt(ss / (len - 1)) : 0 };
}

export interface BandSummary {
  mean: Record<string, number[]>;
  quantiles: Record<string, Record<string, number[]>>;
}

/**
 * Bands over runs. `series[r]` holds run r's row-major counts (record k, compartment c at k·nComp + c);
 * runs shorter than `nTimes` (they ended early) are extended with their last row.
 */
export function bands(series: ArrayLike<number>[], nTimes: number, compartments: string[]): BandSummary {
  const nComp = compartments.length;
  const runs = series.length;
  const mean: Record<string, number[]> = {};
  const quantiles: Record<string, Record<string, number[]>> = {};
  for (const name of compartments) {
    mean[name] = new Array(nTimes);
    quantiles[name] = Object.fromEntries(QUANTILE_LEVELS.map((q) => [String(q), new Array(nTimes)]));
  }
  const column = new Float64Array(runs);
  for (let c = 0; c < nComp; c++) {
    const name = compartments[c];
    for (let k = 0; k < nTimes; k++) {
      let sum = 0;
      for (let r = 0; r < runs; r++) {
        const s = series[r];
        const rows = s.length / nComp;
        const row = k < rows ? k : rows - 1;
        column[r] = s[row * nComp + c];
        sum += column[r];
      }
      mean[name][k] = sum / runs;
      column.sort();
      for (const q of QUANTILE_LEVELS) quantiles[name][String(q)][k] = quantileSorted(column, q);
    }
  }
  return { mean, quantiles };
}
