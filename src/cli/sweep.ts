/** Parameter sweeps on the command line: a summary table (printed and as sweep.csv). */
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import type { SimulationResult } from "../ensemble/assemble.js";
import { writeAtomic } from "./output.js";

export interface SweepResult {
  label: string;
  values: Record<string, number>;
  result: SimulationResult;
}

const COLUMNS = ["finalSize.mean", "finalSize.sd", "attackRate", "peak.mean", "peak.time.mean"] as const;

function row(r: SweepResult): number[] {
  const x = r.result;
  return [x.finalSize.mean, x.finalSize.sd, x.finalSize.mean / x.n, x.peak.mean, x.peak.time.mean];
}

/** `<params…>,finalSize.mean,finalSize.sd,attackRate,peak.mean,peak.time.mean`, one line per point. */
export function sweepCsv(results: SweepResult[]): string {
  const params = Object.keys(results[0]?.values ?? {});
  const lines = [[...params, ...COLUMNS].join(",")];
  for (const r of results) lines.push([...params.map((p) => r.values[p]), ...row(r)].join(","));
  return lines.join("\n") + "\n";
}

export function writeSweepSummary(results: SweepResult[], dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "sweep.csv");
  writeAtomic(path, sweepCsv(results));
  return path;
}

/** A text table for the terminal. */
export function sweepTable(results: SweepResult[]): string {
  const params = Object.keys(results[0]?.values ?? {});
  const header = [...params, "final size", "attack rate", "peak", "peak time"];
  const body = results.map((r) => {
    const x = r.result;
    return [
      ...params.map((p) => String(Number(r.values[p].toPrecision(6)))),
      `${x.finalSize.mean.toFixed(1)} ± ${x.finalSize.sd.toFixed(1)}`,
      `${((100 * x.finalSize.mean) / x.n).toFixed(2)}%`,
      x.peak.mean.toFixed(1),
      x.peak.time.mean.toFixed(2),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  return [line(header), ...body.map(line)].join("\n");
}
