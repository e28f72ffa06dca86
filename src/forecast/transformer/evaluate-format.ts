/** `forecast evaluate`'s text output (evaluate.ts's result as tables). */
import { rowUnit } from "../frequency.js";
import type { MethodScores, TransformerEvaluation } from "./evaluate.js";

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The evaluation as a table: one block per metric, one row per method, one column per horizon. */
export function formatEvaluation(e: TransformerEvaluation): string {
  const names = Object.keys(e.methods);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines: string[] = [
    `${e.dataset} — protocol ${e.protocol} (window ${e.window}; transformer context ${e.context} ${rowUnit(e.frequency)}, fine-tune "${e.strategy}")`,
    `test rows [${e.split.validEnd}, ${e.split.rows}); validation rows [${e.split.trainEnd}, ${e.split.validEnd})`,
  ];
  const metrics: [keyof MethodScores, string, number][] = [
    ["rmse", "RMSE", 0],
    ["mae", "MAE", 0],
    ["pcc", "PCC", 3],
    ["wis", "mean WIS", 0],
    ["coverage50", "50% coverage", 2],
    ["coverage95", "95% coverage", 2],
  ];
  for (const [key, label, digits] of metrics) {
    lines.push("", `${label.padEnd(width)}${e.horizons.map((h) => `h=${h}`.padStart(9)).join("")}`);
    for (const n of names) {
      const row = e.methods[n][key] as (number | null)[];
      lines.push(`${n.padEnd(width)}${row.map((v) => (v === null ? "–" : v.toFixed(digits)).padStart(9)).join("")}`);
    }
  }
  lines.push("", `${"validation mean WIS".padEnd(width)}${e.horizons.map((h) => `h=${h}`.padStart(9)).join("")}      mean`);
  for (const n of Object.keys(e.validation)) {
    const row = e.validation[n].wis;
    if (row.some((v) => v === null)) continue;
    const m = mean(row as number[]);
    lines.push(`${n.padEnd(width)}${row.map((v) => v!.toFixed(0).padStart(9)).join("")}${m.toFixed(1).padStart(10)}${n === e.selected.method ? "  ← selected" : ""}`);
  }
  lines.push(`selected: ${e.selected.method} — ${e.selected.reason}`);
  lines.push(`ensemble weights per horizon (∝ 1 / validation WIS): ${e.ensemble.candidates.map((m) => `${m} ${e.ensemble.weights[m].map((w) => w.toFixed(2)).join("/")}`).join(", ")}`);
  const r = e.recalibrated;
  lines.push(
    `served by method auto — ${r.method}, intervals recalibrated on validation (spread per horizon ${r.horizons.map((x) => `${x.spread.toFixed(2)}${x.applied ? "" : "*"}`).join(" / ")}; * = the check on the second half of the validation rows failed, 1 kept):`,
    `  test mean WIS ${r.test.wis.map((v) => (v as number).toFixed(0)).join(" / ")}, 50% coverage ${r.test.coverage50.map((v) => (v as number).toFixed(2)).join(" / ")}, 95% coverage ${r.test.coverage95.map((v) => (v as number).toFixed(2)).join(" / ")}`,
  );
  lines.push(`  ${regionLine(e.byRegion.test)} (--json: byRegion)`);
  if (e.transfer) {
    const t = e.transfer;
    lines.push(
      "",
      `transfer (training histories cut to the last ${t.weeks} ${rowUnit(e.frequency)}, both fits early-stopped on rows [${t.earlyStoppingRows[0]}, ${t.earlyStoppingRows[1]})), mean WIS`,
      `${"pretrained + fine-tuned".padEnd(26)}${t.finetuned.wis.map((v) => v.toFixed(0).padStart(9)).join("")}   mean ${t.finetuned.meanWis.toFixed(1)}`,
      `${"from scratch".padEnd(26)}${t.scratch.wis.map((v) => v.toFixed(0).padStart(9)).join("")}   mean ${t.scratch.meanWis.toFixed(1)}`,
      `gain ${(100 * t.gain).toFixed(1)}%`,
    );
  }
  lines.push("", `elapsed ${(e.elapsedMs / 1000).toFixed(0)} s`);
  return lines.join("\n");
}

/** How many regions what auto serves beats the hub baseline in on the test rows, and the worst few. */
function regionLine(regions: TransformerEvaluation["byRegion"]["test"]): string {
  const rated = regions.filter((r) => r.relativeWis !== null);
  const better = rated.filter((r) => r.relativeWis! < 1).length;
  const worst = [...rated].sort((a, b) => b.relativeWis! - a.relativeWis!).slice(0, Math.min(3, rated.length));
  return `per region, test mean WIS against the hub baseline's: lower in ${better} of ${regions.length} regions; highest ratios ${worst.map((r) => `${r.region} ${r.relativeWis!.toFixed(2)}×`).join(", ")}`;
}
