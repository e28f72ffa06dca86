/**
 * Fan chart data from a forecast result: the observed series (the last `context` weeks up to asOf), then per
 * horizon the median and the 50% and 95% bands (quantile levels 0.25/0.75 and 0.025/0.975 of the hubs' 23
 * levels), on one index axis where 0 is the first shown observation and asOf sits at `asOfX`. The bands
 * start at the last observation so the fan opens from the data. Pure.
 */
export interface ForecastResultLike {
  region: string;
  method: string;
  observed: { times: string[]; values: (number | null)[] };
  horizons: number[];
  targets: string[] | null;
  levels: number[];
  quantiles: number[][];
  median: number[];
  /** Backtest on held-out final weeks: `origins`, or the span `from`–`to` and its forecast `cells`. */
  scores?: { origins?: number; from?: string | number; to?: string | number; cells?: number; wis: number; baselineWis: number; coverage50: number; coverage95: number };
  model?: Record<string, unknown>;
  /** Method auto: the method served and why (each candidate's mean WIS on validation rows up to the origin). */
  selection?: { method: string; reason: string; validationWis: Record<string, number>; rows: { origin: number; trainEnd: number; validEnd: number }; spreads?: number[]; cached?: boolean };
}

export interface FanData {
  /** x positions 0 … (shown observations − 1 + last horizon). */
  x: number[];
  labels: string[];
  observed: (number | null)[];
  median: (number | null)[];
  lo95: (number | null)[];
  hi95: (number | null)[];
  lo50: (number | null)[];
  hi50: (number | null)[];
  asOfX: number;
}

/** Index of the level closest to q (the hubs' levels include 0.025, 0.25, 0.5, 0.75, 0.975). */
export function levelIndex(levels: readonly number[], q: number): number {
  let best = 0;
  for (let i = 1; i < levels.length; i++) if (Math.abs(levels[i] - q) < Math.abs(levels[best] - q)) best = i;
  if (Math.abs(levels[best] - q) > 1e-6) throw new Error(`fan chart: the forecast has no quantile level ${q} (levels ${levels.join(", ")}).`);
  return best;
}

export function fanData(result: ForecastResultLike, context = 104): FanData {
  const { observed, horizons, quantiles, levels } = result;
  const start = Math.max(0, observed.values.length - context);
  const shown = observed.values.slice(start);
  const asOfX = shown.length - 1;
  const last = horizons.length ? horizons[horizons.length - 1] : 0;
  const length = shown.length + last;
  const empty = () => new Array<number | null>(length).fill(null);
  const data: FanData = { x: Array.from({ length }, (_, i) => i), labels: [], observed: empty(), median: empty(), lo95: empty(), hi95: empty(), lo50: empty(), hi50: empty(), asOfX };
  shown.forEach((v, i) => (data.observed[i] = v));
  data.labels = Array.from({ length }, (_, i) => (i <= asOfX ? observed.times[start + i] : `+${i - asOfX}`));
  const at = [levelIndex(levels, 0.025), levelIndex(levels, 0.25), levelIndex(levels, 0.5), levelIndex(levels, 0.75), levelIndex(levels, 0.975)];
  // The fan opens from the last observation.
  const anchor = shown[asOfX];
  if (anchor !== null && anchor !== undefined) for (const series of [data.median, data.lo95, data.hi95, data.lo50, data.hi50]) series[asOfX] = anchor;
  horizons.forEach((h, k) => {
    const x = asOfX + h;
    const q = quantiles[k];
    data.lo95[x] = q[at[0]];
    data.lo50[x] = q[at[1]];
    data.median[x] = q[at[2]];
    data.hi50[x] = q[at[3]];
    data.hi95[x] = q[at[4]];
    if (result.targets) data.labels[x] = result.targets[k];
  });
  return data;
}

/** Weeks of observed history the fan chart can show before "as of" (plus "all of it"). */
export const FAN_WINDOWS = [16, 26, 52, 104] as const;

/**
 * Weeks of history shown by default: the recent season, at least 4× the longest horizon, so the fan takes a
 * fifth or more of the chart's width (a 4-week fan after two years of history would be ~4% of it).
 */
export function defaultFanContext(lastHorizon: number): number {
  return FAN_WINDOWS.find((w) => w >= 4 * lastHorizon) ?? FAN_WINDOWS[FAN_WINDOWS.length - 1];
}

/** The window choices for a series of `observed` weeks: the windows shorter than it, then the whole series. */
export function fanWindowOptions(observed: number): { value: number; label: string }[] {
  return [...FAN_WINDOWS.filter((w) => w < observed).map((w) => ({ value: w, label: `last ${w} weeks` })), { value: observed, label: `all ${observed} weeks` }];
}

/** `GET /v1/forecaster`, as far as the dashboard reads it. */
export interface ForecasterInfo {
  available: boolean;
  backend: string | null;
  checkpoint: {
    evaluation?: {
      protocol: string;
      datasets: Record<string, { horizons: number[]; methods: Record<string, { rmse: number[]; wis: (number | null)[]; coverage95: (number | null)[] }> }>;
    } | null;
  } | null;
}

/** One line per evaluated dataset: the fine-tuned transformer against the hub baseline under the protocol. */
export interface ProtocolLine {
  dataset: string;
  horizons: string;
  rmse: string;
  relativeWis: number;
  coverage95: string;
}

const mean = (xs: readonly (number | null)[]): number => {
  const v = xs.filter((x): x is number => x !== null);
  return v.reduce((a, b) => a + b, 0) / v.length;
};

/**
 * The checkpoint's recorded evaluation (`spreadlab forecast evaluate`) as lines for the scores card: RMSE per
 * horizon, mean WIS relative to the hub baseline, 95% coverage. Empty when the manifest has none.
 */
export function protocolLines(info: ForecasterInfo | null): ProtocolLine[] {
  const datasets = info?.checkpoint?.evaluation?.datasets ?? {};
  return Object.entries(datasets).flatMap(([dataset, e]) => {
    const model = e.methods.transformer;
    const hub = e.methods["hub-baseline"];
    if (!model || !hub) return [];
    return [
      {
        dataset,
        horizons: e.horizons.join(" / "),
        rmse: model.rmse.map((v) => Math.round(v)).join(" / "),
        relativeWis: Math.round((100 * mean(model.wis)) / mean(hub.wis)) / 100,
        coverage95: model.coverage95.map((v) => (v === null ? "–" : v.toFixed(2))).join(" / "),
      },
    ];
  });
}
