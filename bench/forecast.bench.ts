/**
 * Forecaster benchmark (`node dist/bench/forecast.bench.js` after `npm run build`): on the tfjs backend this
 * process picks (tfjs-node, else wasm, else cpu; `SPREADLAB_TF_BACKEND` forces one), with the bundled
 * network's config (models/ili-pretrained):
 *  - training throughput: windows per second through `trainModel` (forward, pinball loss, gradients,
 *    clipping, Adam), batch 128 and 64, on synthetic-corpus windows;
 *  - inference throughput: windows per second through `predictQuantiles` (batch 512);
 *  - corpus generation: CPU seconds per 1,000 series of 260 weeks (the pretraining corpus's shape).
 * Prints medians over repeats and the load average (the machine may be shared). Options: --quick.
 */
import { cpus, loadavg } from "node:os";
import { generateCorpus } from "../src/forecast/corpus.js";
import { initTf } from "../src/forecast/transformer/backend.js";
import { buildModel, DEFAULT_CONFIG } from "../src/forecast/transformer/model.js";
import { trainModel, type SampleSet } from "../src/forecast/transformer/train.js";
import { predictQuantiles } from "../src/forecast/transformer/forecaster.js";
import { weeklyFromCorpus } from "../src/forecast/transformer/pretrain.js";
import { trainingPicks } from "../src/forecast/transformer/windows.js";
import { median } from "./measure.js";

const quick = process.argv.includes("--quick");

const backend = await initTf();
console.log(`forecaster benchmark — tfjs backend ${backend}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const config = { ...DEFAULT_CONFIG };
console.log(`network: context ${config.context}, patch ${config.patch}, d ${config.dModel}, ${config.layers} layers × ${config.heads} heads, horizon ${config.horizon} × ${config.levels.length} levels`);

const seriesCount = quick ? 40 : 200;
const c0 = process.cpuUsage();
const corpus = generateCorpus({ series: seriesCount, weeks: 260, seed: 7 });
const corpusCpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6;
console.log(`corpus: ${seriesCount} series × 260 weeks in ${corpusCpu.toFixed(1)} s CPU → ${((1000 * corpusCpu) / seriesCount).toFixed(0)} s per 1,000 series`);

const series = corpus.series.map(weeklyFromCorpus);
const limits = series.map((s) => s.values.length);
const set: SampleSet = { series, limits, picks: trainingPicks(series, limits, config.horizon, 8) };
const model = buildModel(config, 1);
for (const batchSize of [128, 64]) {
  const samples = quick ? 1024 : 4096;
  const rates: number[] = [];
  for (let rep = 0; rep < (quick ? 2 : 3); rep++) {
    const t = performance.now();
    await trainModel(model, config, set, null, { epochs: 1, samplesPerEpoch: samples, batchSize, seed: rep });
    rates.push(samples / ((performance.now() - t) / 1000));
  }
  console.log(`training, batch ${batchSize}: ${median(rates).toFixed(0)} windows/s (median of ${rates.length})`);
}
const picks = set.picks.slice(0, quick ? 2048 : 8192);
const rates: number[] = [];
for (let rep = 0; rep < 3; rep++) {
  const t = performance.now();
  predictQuantiles(model, config, series, picks);
  rates.push(picks.length / ((performance.now() - t) / 1000));
}
console.log(`inference, batch 512: ${median(rates).toFixed(0)} windows/s (median of 3)`);
model.dispose();
