/** CSV exports (RFC 4180: comma-separated, quoted when needed, CRLF-free "\n" lines). Pure. */
import type { ResultLike } from "../run/series.js";
import type { ForecastResultLike } from "../forecast/fan.js";

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

/** One row per record time: time, then per compartment its mean and every quantile level. */
export function resultCsv(result: ResultLike): string {
  const columns: { name: string; series: number[] }[] = [];
  for (const c of result.compartments) {
    columns.push({ name: `${c}_mean`, series: result.mean[c] });
    const levels = Object.keys(result.quantiles?.[c] ?? {}).sort((a, b) => Number(a) - Number(b));
    for (const q of levels) columns.push({ name: `${c}_q${q}`, series: result.quantiles![c][q] });
  }
  const rows = result.times.map((t, k) => [t, ...columns.map((col) => col.series[k])]);
  return toCsv(["time", ...columns.map((c) => c.name)], rows);
}

/** Curves of several runs side by side (compare view): time, then one column per run and compartment. */
export function compareCsv(times: readonly number[], series: readonly { label: string; values: readonly (number | null)[] }[]): string {
  return toCsv(["time", ...series.map((s) => s.label)], times.map((t, k) => [t, ...series.map((s) => s.values[k])]));
}

/** One row per horizon: horizon, target week, then every quantile level (the hubs' format, wide). */
export function forecastCsv(result: ForecastResultLike): string {
  const header = ["region", "horizon", "target", ...result.levels.map((q) => `q${q}`)];
  const rows = result.horizons.map((h, k) => [result.region, h, result.targets?.[k] ?? "", ...result.quantiles[k]]);
  return toCsv(header, rows);
}
