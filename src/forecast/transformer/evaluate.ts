/**
 * `spreadlab forecast evaluate`: the published Cola-GNN / EpiGNN protocol (../protocol.ts) applied to the
 * transformer — fine-tuned from the pretrained checkpoint, trained from scratch on the dataset, and the
 * pretrained model as is (zero-shot) — beside the simple baselines and the forecast-hub baseline, in one
 * run on the same split.
 *
 * Leakage: the networks are fitted on copies of the training rows [0, ⌊0.5·n⌋) only (`trainingRows`), with
 * early stopping on the last part of those rows; the validation rows of the protocol are not used at all,
 * and at test time each forecast reads rows up to its origin only (forecaster.ts). The transformer reads a
 * longer context than the protocol's window P = 20 (its `context`, reported in the output); every row of it
 * precedes the origin.
 *
 * Transfer: with each region's training history cut to its last `transferWeeks` (104) weeks, the
 * pretrained-then-fine-tuned network against the same network trained from scratch on those weeks, scored
 * by mean WIS on the test split.
 */
import { evaluateBaselines } from "../evaluate.js";
import { COLA_GNN_PROTOCOL, evaluateQuantileForecaster, requireComplete, splitBoundaries, type QuantileEvaluation } from "../protocol.js";
import type { SeriesTable } from "../series-csv.js";
import { DataError } from "../errors.js";
import { tf } from "./backend.js";
import type { TransformerConfig } from "./model.js";
import { finetuneModel, trainFromScratch, type Calibration, type FitOptions } from "./fit.js";
import { predictQuantiles, seriesFromTable } from "./forecaster.js";
import type { FinetuneStrategy, TrainReport } from "./train.js";
import { scaleFloors, type Pick, type WeeklySeries } from "./windows.js";
import { withDefaults } from "../../defaults.js";

export interface MethodScores {
  rmse: number[];
  mae: number[];
  pcc: number[];
  /** Mean WIS per horizon; null for point forecasters. */
  wis: (number | null)[];
  coverage50: (number | null)[];
  coverage95: (number | null)[];
}

export interface TransferResult {
  weeks: number;
  horizons: number[];
  finetuned: { wis: number[]; meanWis: number };
  scratch: { wis: number[]; meanWis: number };
  /** 1 − finetuned / scratch mean WIS. */
  gain: number;
}

export interface TransformerEvaluation {
  dataset: string;
  protocol: "colagnn";
  horizons: number[];
  window: number;
  /** Rows the transformer reads before each origin. */
  context: number;
  split: { rows: number; trainEnd: number; validEnd: number };
  strategy: FinetuneStrategy;
  methods: Record<string, MethodScores>;
  transfer: TransferResult | null;
  training: Record<string, TrainReport[]>;
  /** The spread chosen on the early-stopping weeks for each fitted method (fit.ts `calibrateSpread`). */
  calibration: Record<string, Calibration>;
  elapsedMs: number;
}

export interface EvaluateTransformerOptions {
  /** The pretrained network (from `loadCheckpoint`). */
  pretrained: tf.LayersModel;
  config: TransformerConfig;
  horizons?: readonly number[];
  window?: number;
  strategy?: FinetuneStrategy;
  fit?: FitOptions;
  /** Run the 104-week transfer experiment (default true). */
  transfer?: boolean;
  transferWeeks?: number;
  seed?: number;
  hubSamples?: number;
  log?: (line: string) => void;
}

/** Copies of rows [0, rows) of each region: the only data the networks are fitted on. */
export function trainingRows(table: SeriesTable, rows: number, keepLast = rows): WeeklySeries[] {
  return seriesFromTable(table, rows).map((s) => {
    const values = s.values.slice();
    values.fill(NaN, 0, Math.max(0, rows - keepLast));
    return { values, phase: s.phase, floors: scaleFloors(values) };
  });
}

/** Every (region, origin) the test cells of these horizons forecast from. */
function testPicks(table: SeriesTable, validEnd: number, horizons: readonly number[]): Pick[] {
  const maxH = Math.max(...horizons);
  const picks: Pick[] = [];
  for (let r = 0; r < table.values.length; r++) for (let o = validEnd - maxH; o < table.rows - 1; o++) picks.push({ series: r, origin: o });
  return picks;
}

/** Scores a fitted network on the test split, per horizon, through the protocol's own evaluator. */
export function scoreNetwork(model: tf.LayersModel, config: TransformerConfig, table: SeriesTable, horizons: readonly number[], window: number): QuantileEvaluation[] {
  const validEnd = splitBoundaries(table.rows, window, Math.max(...horizons)).validEnd;
  const series = seriesFromTable(table);
  const picks = testPicks(table, validEnd, horizons);
  const forecasts = predictQuantiles(model, config, series, picks);
  const lookup = new Map<number, Float64Array[]>();
  picks.forEach((p, i) => lookup.set(p.series * table.rows + p.origin, forecasts[i]));
  return horizons.map((h) => {
    if (h > config.horizon) throw new DataError(`horizon ${h} is beyond the model's ${config.horizon} weeks.`);
    return evaluateQuantileForecaster(table, h, (input) => lookup.get(input.region * table.rows + input.origin)![h - 1], { window });
  });
}

function quantileScores(evals: QuantileEvaluation[]): MethodScores {
  return {
    rmse: evals.map((e) => e.rmse),
    mae: evals.map((e) => e.mae),
    pcc: evals.map((e) => e.pcc),
    wis: evals.map((e) => e.meanWis),
    coverage50: evals.map((e) => e.coverage50),
    coverage95: evals.map((e) => e.coverage95),
  };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The whole evaluation of one dataset (see the file header). */
export async function evaluateTransformer(table: SeriesTable, name: string, options: EvaluateTransformerOptions): Promise<TransformerEvaluation> {
  const started = performance.now();
  const horizons = [...(options.horizons ?? COLA_GNN_PROTOCOL.horizons)].sort((a, b) => a - b);
  const window = options.window ?? COLA_GNN_PROTOCOL.window;
  const strategy = options.strategy ?? "both";
  const seed = options.seed ?? 0;
  const log = options.log ?? (() => {});
  const { config, pretrained } = options;
  const b = splitBoundaries(table.rows, window, Math.max(...horizons), table.file);
  // The protocol has no rule for missing weeks: refuse them before any training, not at scoring time.
  requireComplete(table);
  const beyond = horizons.filter((h) => h > config.horizon);
  if (beyond.length > 0) throw new DataError(`horizon ${beyond.join(", ")} is beyond the model's ${config.horizon} weeks`);
  const limits = table.values.map(() => b.trainEnd);
  const fit: FitOptions = {
    ...withDefaults({ seed }, options.fit ?? {}),
    onEpoch: (e) => log(`  ${e.phase} epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, validation ${e.validationLoss?.toFixed(4) ?? "–"}${e.best ? " *" : ""}`),
  };
  const training: Record<string, TrainReport[]> = {};
  const calibration: Record<string, Calibration> = {};
  const methods: Record<string, MethodScores> = {};
  const history = trainingRows(table, b.trainEnd);

  log(`${name}: ${table.rows} rows × ${table.regions.length} regions; training rows [0, ${b.trainEnd}), test rows [${b.validEnd}, ${table.rows}); context ${config.context} weeks`);
  log("fine-tuning the pretrained transformer");
  const tuned = await finetuneModel(pretrained, config, history, limits, strategy, fit);
  training.transformer = tuned.reports;
  methods.transformer = quantileScores(scoreNetwork(tuned.model, tuned.config, table, horizons, window));
  calibration.transformer = tuned.calibration;
  tuned.model.dispose();

  log("training the same transformer from scratch");
  const scratch = await trainFromScratch(config, history, limits, fit);
  training["transformer-scratch"] = scratch.reports;
  methods["transformer-scratch"] = quantileScores(scoreNetwork(scratch.model, scratch.config, table, horizons, window));
  calibration["transformer-scratch"] = scratch.calibration;
  scratch.model.dispose();

  log("zero-shot: the pretrained transformer as is");
  methods["transformer-zero-shot"] = quantileScores(scoreNetwork(pretrained, config, table, horizons, window));

  log("baselines");
  const baselines = evaluateBaselines(table, horizons, { hubSamples: options.hubSamples, seed, window });
  for (const method of ["persistence", "seasonal-naive", "ridge", "hub-baseline"] as const) {
    const rows = horizons.map((h) => baselines.results.find((r) => r.method === method && r.horizon === h)!);
    methods[method] = {
      rmse: rows.map((r) => r.rmse),
      mae: rows.map((r) => r.mae),
      pcc: rows.map((r) => r.pcc),
      wis: rows.map((r) => r.meanWis ?? null),
      coverage50: rows.map((r) => r.coverage50 ?? null),
      coverage95: rows.map((r) => r.coverage95 ?? null),
    };
  }

  let transfer: TransferResult | null = null;
  if (options.transfer ?? true) {
    const weeks = options.transferWeeks ?? 104;
    log(`transfer: training histories cut to their last ${weeks} weeks`);
    const short = trainingRows(table, b.trainEnd, weeks);
    const ft = await finetuneModel(pretrained, config, short, limits, strategy, fit);
    const ftWis = scoreNetwork(ft.model, ft.config, table, horizons, window).map((e) => e.meanWis);
    ft.model.dispose();
    const sc = await trainFromScratch(config, short, limits, fit);
    const scWis = scoreNetwork(sc.model, sc.config, table, horizons, window).map((e) => e.meanWis);
    sc.model.dispose();
    training["transfer-finetuned"] = ft.reports;
    training["transfer-scratch"] = sc.reports;
    transfer = { weeks, horizons, finetuned: { wis: ftWis, meanWis: mean(ftWis) }, scratch: { wis: scWis, meanWis: mean(scWis) }, gain: 1 - mean(ftWis) / mean(scWis) };
  }

  return {
    dataset: name,
    protocol: "colagnn",
    horizons,
    window,
    context: config.context,
    split: { rows: table.rows, trainEnd: b.trainEnd, validEnd: b.validEnd },
    strategy,
    methods,
    transfer,
    training,
    calibration,
    elapsedMs: performance.now() - started,
  };
}

/** The evaluation as a table: one block per metric, one row per method, one column per horizon. */
export function formatEvaluation(e: TransformerEvaluation): string {
  const names = Object.keys(e.methods);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines: string[] = [`${e.dataset} — protocol ${e.protocol} (window ${e.window}; transformer context ${e.context} weeks, fine-tune "${e.strategy}")`];
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
  if (e.transfer) {
    const t = e.transfer;
    lines.push(
      "",
      `transfer (training histories cut to the last ${t.weeks} weeks), mean WIS`,
      `${"pretrained + fine-tuned".padEnd(26)}${t.finetuned.wis.map((v) => v.toFixed(0).padStart(9)).join("")}   mean ${t.finetuned.meanWis.toFixed(1)}`,
      `${"from scratch".padEnd(26)}${t.scratch.wis.map((v) => v.toFixed(0).padStart(9)).join("")}   mean ${t.scratch.meanWis.toFixed(1)}`,
      `gain ${(100 * t.gain).toFixed(1)}%`,
    );
  }
  lines.push("", `elapsed ${(e.elapsedMs / 1000).toFixed(0)} s`);
  return lines.join("\n");
}
