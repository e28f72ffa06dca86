/**
 * How the fine-tuning learning rates (fit.ts `FIT_DEFAULTS`) are chosen: on the Cola-GNN protocol's
 * validation rows [⌊0.5n⌋, ⌊0.7n⌋), never on test rows. `node dist/bench/learning-rates.js --data <id|csv> …`
 * (after `npm run build`) fine-tunes the bundled checkpoint (strategy both, seed 0, every other setting at its
 * default) on each dataset's training rows [0, ⌊0.5n⌋) for each (head, all-weights) learning-rate pair of a
 * small grid, and prints its mean validation WIS over the protocol's horizons, also relative to the pretrained
 * network as is (zero-shot) on the same cells. The pair with the lowest mean relative WIS over the datasets is
 * the default. This file reads no test row: it scores the "validation" split only.
 */
import { loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { loadDataset, parseSeriesCsv } from "../src/forecast/data.js";
import { COLA_GNN_PROTOCOL, splitBoundaries } from "../src/forecast/protocol.js";
import { initTf } from "../src/forecast/transformer/backend.js";
import { scoreNetworkSplits } from "../src/forecast/transformer/evaluate.js";
import { finetuneModel } from "../src/forecast/transformer/fit.js";
import { trainingRows } from "../src/forecast/transformer/forecaster.js";
import { loadPretrained } from "../src/forecast/transformer/service.js";

const GRID: readonly (readonly [number, number])[] = [
  [1e-3, 2e-4],
  [2e-4, 5e-5],
  [5e-5, 1.25e-5],
];

const args = process.argv.slice(2);
const data = args.flatMap((a, i) => (args[i - 1] === "--data" ? [a] : []));
if (data.length === 0) throw new Error("usage: node dist/bench/learning-rates.js --data <dataset id or csv> [--data …]");
const backend = await initTf();
const base = await loadPretrained();
const config = base.manifest.config;
const horizons = COLA_GNN_PROTOCOL.horizons;
const window = COLA_GNN_PROTOCOL.window;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`fine-tuning learning rates on validation rows — backend ${backend}, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);

const relative = GRID.map(() => [] as number[]);
for (const spec of data) {
  const table = spec.endsWith(".csv") ? parseSeriesCsv(readFileSync(spec, "utf8"), spec) : loadDataset(spec);
  const b = splitBoundaries(table.rows, window, Math.max(...horizons), table.file);
  const history = trainingRows(table, b.trainEnd);
  const limits = table.values.map(() => b.trainEnd);
  const validationWis = (model: Parameters<typeof scoreNetworkSplits>[0], cfg: typeof config) =>
    scoreNetworkSplits(model, cfg, table, horizons, window, ["validation"]).validation.map((e) => e.meanWis);
  const zeroShot = mean(validationWis(base.model, config));
  console.log(`${spec}: validation rows [${b.trainEnd}, ${b.validEnd}); zero-shot mean validation WIS ${zeroShot.toFixed(1)}`);
  for (const [i, [head, all]] of GRID.entries()) {
    const started = performance.now();
    const tuned = await finetuneModel(base.model, config, history, limits, "both", { learningRate: head, fullLearningRate: all, seed: 0 });
    const wis = validationWis(tuned.model, tuned.config);
    tuned.model.dispose();
    relative[i].push(mean(wis) / zeroShot);
    const epochs = tuned.reports.map((r) => `${r.phase}: ${r.bestEpoch >= 0 ? `best epoch ${r.bestEpoch + 1}` : "kept its starting weights"}`).join(", ");
    console.log(
      `  head ${head.toExponential(2)}, all ${all.toExponential(2)}: validation WIS ${wis.map((w) => w.toFixed(1)).join(" / ")} (mean ${mean(wis).toFixed(1)}, ×${(mean(wis) / zeroShot).toFixed(3)} zero-shot; ${epochs}; ${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
}
const best = relative.map((r, i) => [mean(r), i] as const).reduce((x, y) => (y[0] < x[0] ? y : x));
for (const [i, [head, all]] of GRID.entries()) console.log(`head ${head.toExponential(2)}, all ${all.toExponential(2)}: mean relative validation WIS ${mean(relative[i]).toFixed(3)}${i === best[1] ? "  ← lowest" : ""}`);
