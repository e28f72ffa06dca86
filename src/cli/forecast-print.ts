/** How `spreadlab forecast` prints: a training phase's line, and a prediction as an aligned table. */
import type { SeriesTable } from "../forecast/data.js";
import type { TrainReport } from "../forecast/transformer/train.js";
import { regionalHubCsv } from "../forecast/regional.js";
import { rowLabel } from "./forecast-inputs.js";

export function reportLine(r: TrainReport): string {
  const best = r.bestEpoch >= 0 ? r.bestEpoch : r.trainLoss.length - 1;
  const validation = r.validationLoss[best];
  return `  ${r.phase}: ${r.epochs} epoch${r.epochs === 1 ? "" : "s"}, best ${best + 1}: loss ${r.trainLoss[best]?.toFixed(4)}${validation !== undefined ? `, validation ${validation.toFixed(4)}` : ""} (${r.samples} samples, ${(r.elapsedMs / 1000).toFixed(1)} s)`;
}

/** Decimals for numbers of this size: 0 for thousands, up to 3 for percentages below 10. */
function decimalsFor(values: readonly number[]): number {
  const top = Math.max(0, ...values.map(Math.abs));
  return top >= 1000 ? 0 : top >= 100 ? 1 : top >= 10 ? 2 : 3;
}

export interface PredictionJson {
  region: string;
  /** The method served ("model" for a --model checkpoint) and, for auto, the selection behind it. */
  method?: string;
  selection?: unknown;
  asOf: { index: number; label: string | null };
  levels: number[];
  horizons: number[];
  quantiles: number[][];
  median: number[];
}

/** The aligned text table of a prediction: per horizon the target time, median, 50% and 95% intervals. */
export function formatPrediction(p: PredictionJson, table: SeriesTable, model: string): string {
  const at = (level: number) => p.levels.findIndex((l) => Math.abs(l - level) < 1e-9);
  const [q25, q75, q025, q975] = [at(0.25), at(0.75), at(0.025), at(0.975)];
  const d = decimalsFor(p.quantiles.flat());
  const f = (x: number) => x.toFixed(d);
  const rows = p.horizons.map((h, i) => {
    const q = p.quantiles[i];
    return [String(h), rowLabel(table, p.asOf.index, h) ?? `row ${p.asOf.index + h}`, f(p.median[i]), `${f(q[q25])} – ${f(q[q75])}`, `${f(q[q025])} – ${f(q[q975])}`];
  });
  const header = ["h", table.weeks ? "week" : table.dates ? "date" : "row", "median", "50% interval", "95% interval"];
  const widths = header.map((hd, c) => Math.max(hd.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const last = table.values[table.regions.indexOf(p.region)][p.asOf.index];
  return [
    `${p.region}: forecast from row ${p.asOf.index}${p.asOf.label ? ` (${p.asOf.label})` : ""}, last value ${f(last)}; model ${model}`,
    line(header),
    ...rows.map(line),
  ].join("\n");
}

/**
 * `predict --hub-csv`: the forecasts in the hubs' long CSV format (location, target, horizon, quantile, value;
 * the API's `hub.csv`), target = the target week or date (row number for a table without row times).
 */
export function formatHubCsv(table: SeriesTable, asOf: number, levels: readonly number[], regions: readonly { region: string; quantiles: readonly (ArrayLike<number> & Iterable<number>)[] }[]): string {
  const horizons = regions[0]?.quantiles.length ?? 0;
  const targets = Array.from({ length: horizons }, (_, i) => rowLabel(table, asOf, i + 1) ?? `row ${asOf + i + 1}`);
  return regionalHubCsv({ regions: regions.map((r) => ({ region: r.region, quantiles: r.quantiles.map((q) => Array.from(q)) })), targets, levels });
}
