/**
 * Regional forecast benchmark (`node dist/bench/regional.bench.js` after `npm run build`): every region of the
 * bundled regional datasets forecast with each method ("trend", "baseline", "transformer" and "transformer-spatial" zero-shot) from three
 * as-of rows — the last row, a year and two years before it — each with the default backtest (26 weekly origins
 * per region, targets ≤ asOf, WIS against the hub baseline on the same origins).
 * Prints, per dataset and method: wall and CPU seconds of the whole forecast (the transformer's includes loading
 * the backend and checkpoint on its first call), the geometric mean over (region, as-of) of the backtest's
 * WIS / hub-baseline WIS, and the share of (region, as-of) where the method's WIS is below the baseline's.
 * These are the README's method table; the load average is printed (the machine may be shared).
 * Options: --quick (one as-of row, state360 only); --finetune E (also the transformer fine-tuned E epochs per
 * region, "head" strategy, on region785).
 */
import { cpus, loadavg } from "node:os";
import { loadDataset } from "../src/forecast/data.js";
import { forecastRegions, TREND_DAMPING, TREND_WINDOW, trendValidation, type RegionalMethod } from "../src/forecast/regional.js";
import { transformerValidation } from "../src/forecast/regional-validation.js";

const quick = process.argv.includes("--quick");
const finetuneAt = process.argv.indexOf("--finetune");
const finetuneEpochs = finetuneAt >= 0 ? Number(process.argv[finetuneAt + 1]) : 0;

console.log(`regional benchmark — ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);

interface Variant {
  label: string;
  method: RegionalMethod;
  finetune?: { epochs: number; strategy: "head" };
}
const variants: Variant[] = [
  { label: "trend", method: "trend" },
  { label: "baseline", method: "baseline" },
  { label: "transformer (zero-shot)", method: "transformer" },
  { label: "cross-region transformer (zero-shot)", method: "transformer-spatial" },
];

const datasets = quick ? ["state360"] : ["region785", "state360", "hhs-ilitotal"];
for (const id of datasets) {
  const table = loadDataset(id);
  const asOfs = (quick ? [0] : [0, 52, 104]).map((back) => table.rows - 1 - back);
  const list = finetuneEpochs > 0 && id === "region785" ? [...variants, { label: `transformer (fine-tuned ${finetuneEpochs} epochs, head)`, method: "transformer" as const, finetune: { epochs: finetuneEpochs, strategy: "head" as const } }] : variants;
  for (const v of list) {
    let logSum = 0;
    let cells = 0;
    let wins = 0;
    let wall = 0;
    let cpu = 0;
    for (const asOf of asOfs) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const result = await forecastRegions(table, { asOf, method: v.method, finetune: v.finetune, samples: 1000 });
      wall += (performance.now() - t0) / 1000;
      const used = process.cpuUsage(c0);
      cpu += (used.user + used.system) / 1e6;
      for (const r of result.regions) {
        if (!r.scores || !(r.scores.relativeWis > 0)) continue;
        logSum += Math.log(r.scores.relativeWis);
        cells++;
        if (r.scores.wis < r.scores.baselineWis) wins++;
      }
    }
    console.log(
      `${id} (${table.regions.length} regions × ${asOfs.length} as-of rows) ${v.label.padEnd(40)} wall ${(wall / asOfs.length).toFixed(2)} s, CPU ${(cpu / asOfs.length).toFixed(2)} s per forecast; ` +
        `WIS / baseline (geometric mean) ${Math.exp(logSum / cells).toFixed(3)}; beats the baseline in ${((100 * wins) / cells).toFixed(0)}% of ${cells}`,
    );
  }
}
// Class accuracy as the trend's defaults were chosen (every other origin after the first year, H = 4, 200 samples).
for (const id of quick ? ["region785"] : ["region785", "state360"]) {
  const table = loadDataset(id);
  const [flat, trend] = trendValidation(table, [
    { window: TREND_WINDOW, damping: 0 },
    { window: TREND_WINDOW, damping: TREND_DAMPING },
  ]);
  const t = await transformerValidation(table);
  const fmt = (r: { accuracy: number; relativeWis: number; counts: Record<string, number> }) => `accuracy ${r.accuracy.toFixed(3)}, WIS / baseline ${r.relativeWis.toFixed(3)} (${r.counts.rising} rising, ${r.counts.flat} flat, ${r.counts.falling} falling)`;
  console.log(`${id} classes — always flat: ${fmt(flat)}; trend: ${fmt(trend)}; transformer (zero-shot): ${fmt(t)}`);
}
console.log(`load at the end ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
