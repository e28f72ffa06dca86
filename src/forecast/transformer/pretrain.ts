/**
 * Pretraining on the engine's epidemics: a synthetic corpus (../corpus.ts) of ILI-like weekly series made
 * by Spreadlab's own network simulations and reporting model, then the transformer trained on random
 * windows of it, early-stopped on held-out series. Reproducible from (options, seed) on a given backend:
 * the corpus depends only on its seed, and training is seeded (train.ts).
 */
import { DEFAULT_CLIMATE_MIX, generateCorpus, type ClimateMix, type CorpusSeries } from "../corpus.js";
import { generateDailyCorpus, type DailySeries } from "../corpus-daily.js";
import type { Frequency } from "../frequency.js";
import { createRandom } from "../../random.js";
import { buildModel, DEFAULT_CONFIG, type TransformerConfig } from "./model.js";
import { trainModel, type EpochInfo, type SampleSet, type TrainReport } from "./train.js";
import { phaseFromDates, scaleFloors, trainingPicks, type Pick, type WeeklySeries } from "./windows.js";
import { currentTfBackend, tf } from "./backend.js";
import { saveCheckpoint, scalingInfo, type CheckpointManifest } from "./checkpoint.js";
import { withDefaults } from "../../defaults.js";

export interface PretrainOptions {
  /** Corpus series (default 2000). */
  series?: number;
  /** Weeks per series (default 260: five seasons; weekly corpus). */
  weeks?: number;
  /** "weekly" (default): the ILI corpus (corpus.ts); "daily": the daily case-count corpus (corpus-daily.ts). */
  frequency?: Frequency;
  /** Days per series of the daily corpus (default 730). */
  days?: number;
  seed?: number;
  /** Shares of southern-hemisphere and tropical series in the corpus (default DEFAULT_CLIMATE_MIX). */
  climate?: ClimateMix;
  /** Held-out fraction of the series, for early stopping (default 0.05). */
  validationFraction?: number;
  /** Validation windows drawn from the held-out series (default 3000). */
  validationWindows?: number;
  epochs?: number;
  samplesPerEpoch?: number;
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  config?: Partial<TransformerConfig>;
  /** Progress lines (corpus, epochs). */
  log?: (line: string) => void;
  onEpoch?: (info: EpochInfo) => void | Promise<void>;
}

export const PRETRAIN_DEFAULTS = Object.freeze({
  series: 2000,
  weeks: 260,
  days: 730,
  seed: 1,
  validationFraction: 0.05,
  validationWindows: 3000,
  epochs: 10,
  samplesPerEpoch: 40_000,
  batchSize: 128,
  learningRate: 1e-3,
  patience: 3,
});

/** A corpus series as the network reads it: phase of the year from its calendar start week. */
export function weeklyFromCorpus(s: CorpusSeries): WeeklySeries {
  const weeksPerYear = 365.25 / 7;
  const phase = Float64Array.from(s.values, (_, t) => ((s.meta.startWeek + t) % weeksPerYear) / weeksPerYear);
  return { values: s.values, phase, floors: scaleFloors(s.values) };
}

/** A daily corpus series as the network reads it: phase of the year from its dates (365.25 rows a year). */
export function seriesFromDaily(s: DailySeries): WeeklySeries {
  const start = Date.parse(s.startDate + "T00:00:00Z");
  const dates = Array.from(s.values, (_, t) => new Date(start + t * 86_400_000).toISOString().slice(0, 10));
  return { values: s.values, phase: phaseFromDates(dates), rowsPerYear: 365.25, floors: scaleFloors(s.values) };
}

export interface PretrainResult {
  model: tf.LayersModel;
  config: TransformerConfig;
  report: TrainReport;
  frequency: Frequency;
  corpus: { series: number; weeks?: number; days?: number; seed: number; climate: ClimateMix; elapsedMs: number; trainSeries: number; validationSeries: number; trainWindows: number };
}

/** Builds the corpus and trains a fresh network on it. */
export async function pretrain(options: PretrainOptions = {}): Promise<PretrainResult> {
  const o = withDefaults(PRETRAIN_DEFAULTS, options);
  const config: TransformerConfig = withDefaults(DEFAULT_CONFIG, options.config);
  const log = options.log ?? (() => {});
  const climate = options.climate ?? DEFAULT_CLIMATE_MIX;
  const frequency: Frequency = options.frequency ?? "weekly";
  const daily = frequency === "daily";
  log(`corpus: ${o.series} series × ${daily ? `${o.days} days (daily)` : `${o.weeks} weeks`}, seed ${o.seed}, ${climate.southern} southern and ${climate.tropical} tropical`);
  let lastLog = performance.now();
  const onProgress = (done: number, total: number) => {
    if (performance.now() - lastLog > 10_000 || done === total) {
      lastLog = performance.now();
      log(`corpus: ${done}/${total} series`);
    }
  };
  let series: WeeklySeries[];
  let elapsedMs: number;
  if (daily) {
    const corpus = generateDailyCorpus({ series: o.series, days: o.days, seed: o.seed, climate, onProgress });
    series = corpus.series.map(seriesFromDaily);
    elapsedMs = corpus.elapsedMs;
  } else {
    const corpus = generateCorpus({ series: o.series, weeks: o.weeks, seed: o.seed, climate, onProgress });
    series = corpus.series.map(weeklyFromCorpus);
    elapsedMs = corpus.elapsedMs;
  }
  log(`corpus: done in ${(elapsedMs / 1000).toFixed(1)} s`);
  const heldOut = Math.max(1, Math.round(o.validationFraction * series.length));
  const trainSeries = series.slice(0, series.length - heldOut);
  const validationSeries = series.slice(series.length - heldOut);
  const train: SampleSet = { series: trainSeries, limits: trainSeries.map((s) => s.values.length), picks: trainingPicks(trainSeries, trainSeries.map((s) => s.values.length), config.horizon, 8) };
  const allValidation = trainingPicks(validationSeries, validationSeries.map((s) => s.values.length), config.horizon, 8);
  const rng = createRandom(o.seed, 0x7ff0);
  const validationPicks: Pick[] = [];
  for (let i = 0; i < Math.min(o.validationWindows, allValidation.length); i++) validationPicks.push(allValidation[rng.int(allValidation.length)]);
  const validation: SampleSet = { series: validationSeries, limits: validationSeries.map((s) => s.values.length), picks: validationPicks };
  log(`training: ${train.picks.length} windows from ${trainSeries.length} series, ${o.epochs} epochs × ${o.samplesPerEpoch} samples; validation ${validationPicks.length} windows from ${heldOut} held-out series`);
  const model = buildModel(config, o.seed);
  const report = await trainModel(model, config, train, validation, {
    epochs: o.epochs,
    samplesPerEpoch: o.samplesPerEpoch,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    patience: o.patience,
    seed: o.seed,
    phase: "pretrain",
    onEpoch: async (e) => {
      log(`epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, validation ${e.validationLoss?.toFixed(4)}${e.best ? " (best)" : ""}, ${(e.elapsedMs / 1000).toFixed(0)} s`);
      await options.onEpoch?.(e);
    },
  });
  return {
    model,
    config,
    report,
    frequency,
    corpus: { series: o.series, ...(daily ? { days: o.days } : { weeks: o.weeks }), seed: o.seed, climate: { ...climate }, elapsedMs, trainSeries: trainSeries.length, validationSeries: heldOut, trainWindows: train.picks.length },
  };
}

/** Saves a pretraining result as a checkpoint with its provenance. */
export function savePretrained(result: PretrainResult, dir: string, options: { command?: string } = {}): Promise<CheckpointManifest> {
  return saveCheckpoint(result.model, dir, {
    kind: "pretrained",
    ...(result.frequency === "daily" ? { frequency: "daily" as const } : {}),
    config: result.config,
    scaling: scalingInfo(),
    seed: result.corpus.seed,
    backend: currentTfBackend() ?? "unknown",
    provenance: {
      corpus: { generator: `spreadlab src/forecast/${result.frequency === "daily" ? "corpus-daily" : "corpus"}.ts`, ...result.corpus },
      command: options.command ?? null,
    },
    training: [result.report],
  });
}
