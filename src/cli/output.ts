/**
 * Writing results: JSON (the v1 schema), a tidy CSV of the curves with their bands, a per-run summary CSV
 * and the per-node final states. The files of one run are written as one set with a manifest (output-set.ts),
 * so an interrupted run never leaves a half-written file nor a mix of two runs.
 */
import { QUANTILE_LEVELS } from "../ensemble/summary.js";
import type { SimulationResult } from "../families/compartmental/simulate.js";
import { writeOutputSet, type OutputFile } from "./output-set.js";
import { CONTROL_COUNTS } from "../engine/testing.js";

function csvField(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** time,compartment,mean,q0.025,q0.25,q0.5,q0.75,q0.975 */
export function curvesCsv(r: SimulationResult): string {
  const rows = [`time,compartment,mean,${QUANTILE_LEVELS.map((q) => `q${q}`).join(",")}`];
  r.times.forEach((t, k) => {
    for (const c of r.compartments) {
      rows.push([t, csvField(c), r.mean[c][k], ...QUANTILE_LEVELS.map((q) => r.quantiles[c][String(q)][k])].join(","));
    }
  });
  return rows.join("\n") + "\n";
}

/** run,finalSize[,vaccinated][,prevalence],peak,peakTime[,testing counts] (finalSize: infections; see SimulationResult). */
export function runsCsv(r: SimulationResult): string {
  const extra = [...(r.vaccinated ? ["vaccinated"] : []), ...(r.prevalence ? ["prevalence"] : [])];
  const counts = r.testing ? CONTROL_COUNTS : [];
  const rows = [["run", "finalSize", ...extra, "peak", "peakTime", ...counts].join(",")];
  r.finalSize.values.forEach((fs, i) => {
    const more = [...(r.vaccinated ? [r.vaccinated.values[i]] : []), ...(r.prevalence ? [r.prevalence.values[i]] : [])];
    rows.push([i, fs, ...more, r.peak.values[i], r.peak.time.values[i], ...counts.map((k) => r.testing![k].values[i])].join(","));
  });
  return rows.join("\n") + "\n";
}

/** Tidy per-run counts: run,time,compartment,count (when the result carries `series`). */
export function seriesCsv(r: SimulationResult): string {
  if (!r.series) return "";
  const rows = ["run,time,compartment,count"];
  for (let run = 0; run < r.runs; run++) {
    r.times.forEach((t, k) => {
      for (const c of r.compartments) rows.push(`${run},${t},${csvField(c)},${r.series![c][run][k]}`);
    });
  }
  return rows.join("\n") + "\n";
}

/** run,node,state[,infectionTime] */
export function nodesCsv(r: SimulationResult): string {
  if (!r.nodes) return "";
  const withTimes = r.nodes.runs.some((x) => x.infectionTime);
  const rows = [`run,node,state${withTimes ? ",infectionTime" : ""}`];
  for (const run of r.nodes.runs) {
    r.nodes.nodeIds.forEach((id, i) => {
      const t = run.infectionTime?.[i];
      rows.push(`${run.run},${csvField(id)},${csvField(run.state[i])}${withTimes ? `,${t ?? ""}` : ""}`);
    });
  }
  return rows.join("\n") + "\n";
}

/** The files of one result in the chosen formats, under `prefix` (a sweep point's folder). */
export function resultFiles(r: SimulationResult, formats: ("json" | "csv")[], prefix = ""): OutputFile[] {
  const files: OutputFile[] = [];
  const put = (name: string, render: () => string) => files.push({ path: prefix + name, render });
  // The per-run series go to series.csv; result.json keeps the v1 schema (bands, summaries, node states).
  if (formats.includes("json")) {
    put("result.json", () => {
      const { series: _series, ...schema } = r;
      return JSON.stringify(schema) + "\n";
    });
  }
  if (formats.includes("csv")) {
    put("curves.csv", () => curvesCsv(r));
    put("runs.csv", () => runsCsv(r));
    if (r.series) put("series.csv", () => seriesCsv(r));
    if (r.nodes) put("nodes.csv", () => nodesCsv(r));
  }
  return files;
}

/** Write the chosen formats into `dir` as one set (with manifest.json); returns the paths written. */
export function writeResult(r: SimulationResult, dir: string, formats: ("json" | "csv")[]): string[] {
  return writeOutputSet(dir, resultFiles(r, formats), { scenario: r.scenario, seed: r.seed });
}
