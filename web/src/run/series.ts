/**
 * Chart data from a v1 result: for uPlot, one x array (record times) and per compartment the median and the
 * 50% and 95% bands (quantiles 0.25/0.75 and 0.025/0.975 of the ensemble). Pure.
 */
export interface ResultLike {
  scenario: string;
  runs: number;
  n: number;
  model: string;
  compartments: string[];
  times: number[];
  mean: Record<string, number[]>;
  quantiles?: Record<string, Record<string, number[]>>;
  finalSize: { mean: number; sd: number; values: number[] };
  peak: { mean: number; sd: number; values: number[]; time: { mean: number; sd: number; values: number[] } };
  attackRate?: { mean: number; sd: number };
  /** Present when the scenario vaccinates: nodes moved out of S without infection; `curve` is the mean cumulative count at each record time. */
  vaccinated?: { mean: number; sd: number; values: number[]; curve: number[] };
  /** Endemic models (SIS, SIRS…): infectious count averaged over a late window. */
  prevalence?: { mean: number; sd: number; window: [number, number] };
  /** Time of each run's last event (cascades: rounds). */
  duration?: { mean: number; sd: number; values: number[] };
  nodes?: {
    nodeIds: string[];
    runs: {
      run: number;
      state: string[];
      /** Time each node left the susceptible compartment (cascades: activation round, 0 for seeds); null if never. */
      infectionTime?: (number | null)[];
      history?: { initial: number[]; time: number[]; node: number[]; to: number[] };
    }[];
  };
}

export interface CompartmentBands {
  name: string;
  median: number[];
  /** 50% band: [0.25 quantile, 0.75 quantile]. */
  inner: [number[], number[]];
  /** 95% band: [0.025 quantile, 0.975 quantile]. */
  outer: [number[], number[]];
}

export interface BandData {
  times: number[];
  compartments: CompartmentBands[];
}

/** A quantile series by level, read from keys like "0.25" (or the mean when the result has no quantiles). */
function level(result: ResultLike, name: string, q: number): number[] {
  const byLevel = result.quantiles?.[name];
  if (byLevel) {
    for (const [key, series] of Object.entries(byLevel)) if (Math.abs(Number(key) - q) < 1e-9) return series;
  }
  return result.mean[name];
}

export function bandData(result: ResultLike, only?: readonly string[]): BandData {
  const names = only ? result.compartments.filter((c) => only.includes(c)) : result.compartments;
  return {
    times: result.times,
    compartments: names.map((name) => ({
      name,
      median: level(result, name, 0.5),
      inner: [level(result, name, 0.25), level(result, name, 0.75)],
      outer: [level(result, name, 0.025), level(result, name, 0.975)],
    })),
  };
}

/**
 * Series on a shared time axis, for overlaying runs whose record times differ: each series is sampled at
 * every time of the union by carrying the last value forward (counts are step functions between records);
 * null before a series starts and after it ends, so uPlot draws a gap rather than a made-up value.
 */
export function alignSeries(series: { times: number[]; values: number[] }[]): { times: number[]; values: (number | null)[][] } {
  const all = [...new Set(series.flatMap((s) => s.times))].sort((a, b) => a - b);
  const values = series.map(({ times, values: v }) => {
    const out: (number | null)[] = new Array(all.length).fill(null);
    let j = 0;
    for (let k = 0; k < all.length; k++) {
      const t = all[k];
      if (t < times[0] || t > times[times.length - 1]) continue;
      while (j + 1 < times.length && times[j + 1] <= t) j++;
      out[k] = v[j];
    }
    return out;
  });
  return { times: all, values };
}

/** Index of the last record time ≤ t (0 before the first). */
export function recordIndex(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  if (hi < 0 || t <= times[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
