/** Parameter sweeps on the command line: a summary table (printed and as sweep.csv). */
import type { SimulationResult } from "../ensemble/assemble.js";

export interface SweepResult {
  label: string;
  values: Record<string, number>;
  result: SimulationResult;
}

/**
 * Columns: infections (final size, attack rate), then — when any point has them — vaccinated and endemic
 * prevalence, then the peak. Endemic models' final size is "ever infected"; prevalence is their headline.
 */
interface Column {
  name: string;
  value(x: SimulationResult): number | undefined;
}

const BASE: Column[] = [
  { name: "finalSize.mean", value: (x) => x.finalSize.mean },
  { name: "finalSize.sd", value: (x) => x.finalSize.sd },
  { name: "attackRate", value: (x) => x.finalSize.mean / x.n },
];
const OPTIONAL: Column[] = [
  { name: "vaccinated.mean", value: (x) => x.vaccinated?.mean },
  { name: "prevalence.mean", value: (x) => x.prevalence?.mean },
  { name: "prevalence.sd", value: (x) => x.prevalence?.sd },
];
const PEAK: Column[] = [
  { name: "peak.mean", value: (x) => x.peak.mean },
  { name: "peak.time.mean", value: (x) => x.peak.time.mean },
];

function columns(results: SweepResult[]): Column[] {
  return [...BASE, ...OPTIONAL.filter((c) => results.some((r) => c.value(r.result) !== undefined)), ...PEAK];
}

/** `<params…>,finalSize.mean,finalSize.sd,attackRate[,vaccinated.mean][,prevalence.mean,prevalence.sd],peak.mean,peak.time.mean`, one line per point. */
export function sweepCsv(results: SweepResult[]): string {
  const params = Object.keys(results[0]?.values ?? {});
  const cols = columns(results);
  const lines = [[...params, ...cols.map((c) => c.name)].join(",")];
  for (const r of results) lines.push([...params.map((p) => r.values[p]), ...cols.map((c) => c.value(r.result) ?? "")].join(","));
  return lines.join("\n") + "\n";
}

/** A text table for the terminal. */
export function sweepTable(results: SweepResult[]): string {
  const params = Object.keys(results[0]?.values ?? {});
  const endemic = results.some((r) => r.result.prevalence);
  const vaccinated = results.some((r) => r.result.vaccinated);
  const pct = (x: number, n: number) => `${((100 * x) / n).toFixed(2)}%`;
  const header = [...params, ...(endemic ? ["endemic prevalence", "ever infected"] : ["final size (infections)", "attack rate"]), ...(vaccinated ? ["vaccinated"] : []), "peak infectious", "peak time"];
  const body = results.map((r) => {
    const x = r.result;
    const headline = endemic && x.prevalence
      ? [`${x.prevalence.mean.toFixed(1)} (${pct(x.prevalence.mean, x.n)})`, `${x.finalSize.mean.toFixed(1)} ± ${x.finalSize.sd.toFixed(1)}`]
      : [`${x.finalSize.mean.toFixed(1)} ± ${x.finalSize.sd.toFixed(1)}`, pct(x.finalSize.mean, x.n)];
    return [
      ...params.map((p) => String(Number(r.values[p].toPrecision(6)))),
      ...headline,
      ...(vaccinated ? [x.vaccinated ? x.vaccinated.mean.toFixed(1) : "0"] : []),
      x.peak.mean.toFixed(1),
      x.peak.time.mean.toFixed(2),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  return [line(header), ...body.map(line)].join("\n");
}
