/**
 * The transfer experiment of issue 11 (item 5): does pretraining on the engine's synthetic epidemics help?
 * `node dist/bench/transfer.js --data region785 --data state360 [--weeks full,104,52] [--epochs 20] [--seed 0]
 * [--network univariate|cross-region]` (after `npm run build`).
 *
 * For each dataset and each history length W (the full training rows, or their last W weeks), the comparison of
 * src/forecast/transformer/transfer.ts (`compareTransfer`, the one `evaluate` runs for its 104-week block): the
 * bundled checkpoint fine-tuned (strategy "both", at most E epochs a phase) against the same architecture freshly
 * initialised (seeded, at most 2E epochs), gradient steps on rows [⌊0.5n⌋ − W, ⌊0.5n⌋) only, both early-stopped
 * on the protocol's validation rows [⌊0.5n⌋, ⌊0.7n⌋), scored by mean WIS on the test rows [⌊0.7n⌋, n).
 * gain = 1 − WIS(fine-tuned) / WIS(scratch), with its sign.
 * The zero-shot network (no training) is printed beside them for reference.
 *
 * `--network cross-region` runs the same experiment with the cross-region network (spatial.ts): the bundled
 * spatial checkpoint fine-tuned on all regions together (spatial-fit.ts `fitSpatial`, strategy "both") against
 * the cross-region architecture freshly initialised (`trainSpatialFromScratch`), on the same rows, with no
 * adjacency (the bundled sets have none). Default: the univariate network, the one the README's table reports.
 */
import { loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { loadDataset, parseSeriesCsv } from "../src/forecast/data.js";
import { COLA_GNN_PROTOCOL, splitBoundaries } from "../src/forecast/protocol.js";
import { initTf } from "../src/forecast/transformer/backend.js";
import { scoreNetwork, scoreSpatialSplits } from "../src/forecast/transformer/scoring.js";
import { FIT_DEFAULTS, finetunePhaseCount } from "../src/forecast/transformer/fit.js";
import { compareTransfer, univariateTransfer, type TransferNetwork } from "../src/forecast/transformer/transfer.js";
import { loadBundled, loadPretrained, SPATIAL_NAME } from "../src/forecast/transformer/service.js";
import { fitSpatial, trainSpatialFromScratch } from "../src/forecast/transformer/spatial-fit.js";
import type { tf } from "../src/forecast/transformer/backend.js";
import type { TransformerConfig } from "../src/forecast/transformer/model.js";
import type { TrainReport } from "../src/forecast/transformer/train.js";
import type { SeriesTable } from "../src/forecast/data.js";

const args = process.argv.slice(2);
const values = (flag: string) => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
const one = (flag: string, fallback: string) => values(flag).at(-1) ?? fallback;
const data = values("--data");
if (data.length === 0) throw new Error("usage: node dist/bench/transfer.js --data <dataset id or csv> [--data …] [--weeks full,104,52] [--epochs 20] [--seed 0]");
const cuts = one("--weeks", "full,104,52").split(",").map((w) => (w === "full" ? null : Number(w)));
const epochs = Number(one("--epochs", String(FIT_DEFAULTS.epochs)));
const seed = Number(one("--seed", "0"));
const network = one("--network", "univariate");
if (network !== "univariate" && network !== "cross-region") throw new Error("--network must be univariate or cross-region");
if (!(Number.isInteger(epochs) && epochs >= 1) || cuts.some((w) => w !== null && !(Number.isInteger(w) && w >= 1))) throw new Error("--epochs and --weeks must be positive integers (or full)");

const backend = await initTf();
const base = await loadPretrained();
const config = base.manifest.config;
const horizons = COLA_GNN_PROTOCOL.horizons;
const window = COLA_GNN_PROTOCOL.window;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
const epochsRun = (reports: readonly TrainReport[]) => reports.map((p) => `${p.phase} ${p.epochs} epochs (best ${p.bestEpoch >= 0 ? p.bestEpoch + 1 : "start"})`).join(", ");

/** One network of the experiment: its zero-shot test WIS, and its two fits for `compareTransfer`. */
interface Arm {
  zeroShot(table: SeriesTable): number[];
  network(table: SeriesTable): TransferNetwork;
}

function univariateArm(): Arm {
  const score = (table: SeriesTable, model: tf.LayersModel, cfg: TransformerConfig) => scoreNetwork(model, cfg, table, horizons, window).map((e) => e.meanWis);
  return {
    zeroShot: (table) => score(table, base.model, config),
    network: (table) => univariateTransfer(base.model, config, "both", (model, cfg) => score(table, model, cfg)),
  };
}

async function crossRegionArm(): Promise<Arm> {
  const spatial = await loadBundled(SPATIAL_NAME);
  if (spatial.manifest.base?.weightsSha256 !== base.manifest.weightsSha256) throw new Error(`the bundled ${SPATIAL_NAME} checkpoint was not pretrained from the bundled univariate one`);
  const score = (table: SeriesTable, model: tf.LayersModel) => scoreSpatialSplits(model, config, table, null, horizons, window, ["test"]).test.map((e) => e.meanWis);
  return {
    zeroShot: (table) => score(table, spatial.model),
    network: (table) => ({
      phases: finetunePhaseCount("both"),
      finetune: (series, limit, options) => fitSpatial(spatial.model, config, { series, adjacency: null, limit }, "both", options),
      scratch: (series, limit, options) => trainSpatialFromScratch(config, { series, adjacency: null, limit }, options),
      testWis: (fitted) => score(table, fitted.model),
    }),
  };
}

const arm = network === "cross-region" ? await crossRegionArm() : univariateArm();
console.log(`transfer experiment (${network} network) — backend ${backend}, seed ${seed}, at most ${epochs} epochs per fine-tuning phase and ${2 * epochs} from scratch, load ${load()}`);

const rows: string[] = [];
for (const spec of data) {
  const table = spec.endsWith(".csv") ? parseSeriesCsv(readFileSync(spec, "utf8"), spec) : loadDataset(spec);
  const b = splitBoundaries(table.rows, window, Math.max(...horizons), table.file);
  const zeroShot = arm.zeroShot(table);
  console.log(`${spec}: training rows [0, ${b.trainEnd}), early stopping on validation rows [${b.trainEnd}, ${b.validEnd}), test rows [${b.validEnd}, ${table.rows}); zero-shot test WIS ${zeroShot.map((w) => w.toFixed(1)).join(" / ")} (mean ${mean(zeroShot).toFixed(1)})`);
  for (const cut of cuts) {
    const started = performance.now();
    const t = await compareTransfer(table, arm.network(table), { weeks: cut, horizons, window, fit: { seed, epochs } });
    const [ft, sc] = [t.finetuned, t.scratch];
    const label = cut === null ? `full (${t.weeks} weeks)` : `${t.weeks} weeks`;
    console.log(`  ${label}: fine-tuned ${ft.wis.map((w) => w.toFixed(1)).join(" / ")} (mean ${ft.meanWis.toFixed(1)}; ${epochsRun(ft.reports)})`);
    console.log(`  ${" ".repeat(label.length)}  scratch    ${sc.wis.map((w) => w.toFixed(1)).join(" / ")} (mean ${sc.meanWis.toFixed(1)}; ${epochsRun(sc.reports)})`);
    console.log(`  ${" ".repeat(label.length)}  gain ${(100 * t.gain).toFixed(1)}% (${((performance.now() - started) / 1000).toFixed(0)} s, load ${load()})`);
    rows.push(`| ${spec} | ${label} | ${ft.meanWis.toFixed(1)} | ${sc.meanWis.toFixed(1)} | ${mean(zeroShot).toFixed(1)} | ${(100 * t.gain).toFixed(1)}% |`);
  }
}
console.log("\n| dataset | training history | fine-tuned mean WIS | scratch mean WIS | zero-shot mean WIS | gain |\n|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
