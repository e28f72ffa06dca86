/**
 * `spreadlab forecast evaluate`: the published Cola-GNN / EpiGNN protocol (../protocol.ts) applied to the
 * transformer — fine-tuned from the pretrained checkpoint, trained from scratch on the dataset, and the
 * pretrained model as is (zero-shot) — beside the simple baselines and the forecast-hub baseline, in one
 * run on the same split.
 *
 * Leakage: the networks are fitted on copies of the training rows [0, ⌊0.5·n⌋) only (`trainingRows`), with
 * early stopping on the last part of those rows; at forecast time each forecast reads rows up to its origin
 * only (forecaster.ts).
 *
 * Selection: every method is scored on the protocol's validation rows [⌊0.5n⌋, ⌊0.7n⌋) as well as on the test
 * rows (as Cola-GNN selects its models), and `selected` names the quantile method with the lowest mean
 * validation WIS over the horizons — chosen without reading a test row (tests/forecast/transformer/selection
 * poisons every test row and gets the same validation scores and choice). The transformer reads a
 * longer context than the protocol's window P = 20 (its `context`, reported in the output); every row of it
 * precedes the origin.
 *
 * Transfer (transfer.ts): with each region's training history cut to its last `transferWeeks` (104) weeks, the
 * pretrained-then-fine-tuned network against the same network trained from scratch on those weeks, both
 * early-stopped on the validation rows, scored by mean WIS on the test split.
 */
import { evaluateBaselines, type BaselineMethod } from "../evaluate.js";
import { seasonRows } from "../baselines.js";
import { COLA_GNN_PROTOCOL, requireComplete, splitBoundaries, type QuantileEvaluation, type Split } from "../protocol.js";
import { rowUnit, tableFrequency, type Frequency, type RowUnit } from "../frequency.js";
import type { SeriesTable } from "../series-csv.js";
import { DataError } from "../errors.js";
import type { tf } from "./backend.js";
import type { TransformerConfig } from "./model.js";
import type { Calibration, FitOptions } from "./fit.js";
import type { TransferArm } from "./transfer.js";
import { epochLine, type FinetuneStrategy, type TrainReport } from "./train.js";
import { withDefaults } from "../../defaults.js";
import { combineQuantileEvaluations, inverseWisWeights } from "./ensemble.js";
import { applySpread, recalibrateOnValidation, type HorizonRecalibration } from "./recalibrate.js";
import { poolThreads, runFitTasks } from "./fit-pool.js";
import type { FitTask, FitTaskKind } from "./fit-tasks.js";
import { scoreNetworkSplits, scoreSpatialSplits, scoresByRegion, type RegionScores } from "./scoring.js";

export { networkForecasts, scoreForecastSplits, scoreNetwork, scoreNetworkSplits, scoreSpatialSplits, scoresByRegion, spatialForecasts, type RegionScores } from "./scoring.js";
export { formatEvaluation } from "./evaluate-format.js";

/** The networks `evaluate` trains, in the order of its output (and of training, in one thread). */
const FIT_ORDER: readonly FitTaskKind[] = ["transformer", "transformer-scratch", "transformer-spatial", "transfer"];
/** On a pool of threads: the longest first (two fine-tuning phases each; the transfer comparison is three fits). */
const POOL_ORDER: readonly FitTaskKind[] = ["transfer", "transformer", "transformer-spatial", "transformer-scratch"];

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
  /** Training rows the fits take gradient steps on: the last `weeks` before the validation rows. */
  weeks: number;
  /** What a row of `weeks` is: weeks, days (a daily table), or rows (a table without row times). */
  unit: RowUnit;
  horizons: number[];
  /** The rows both fits early-stop on (the protocol's validation rows). */
  earlyStoppingRows: [number, number];
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
  /** The rows' time step (read from the dates or forced; null for a table without row times). */
  frequency: Frequency | null;
  /** Rows the transformer reads before each origin. */
  context: number;
  split: { rows: number; trainEnd: number; validEnd: number };
  strategy: FinetuneStrategy;
  /** Scores on the test rows [validEnd, n). */
  methods: Record<string, MethodScores>;
  /** The same scores on the validation rows [trainEnd, validEnd): what `selected` is chosen on. */
  validation: Record<string, MethodScores>;
  /** The quantile method with the lowest mean validation WIS over the horizons (`selectOnValidation`), the ensemble included. */
  selected: Selection;
  /** The validation-weighted quantile ensemble (ensemble.ts), scored as method "ensemble": its candidates and weights per horizon. */
  ensemble: EnsembleInfo;
  /**
   * The selected method with its intervals recalibrated on the validation rows (recalibrate.ts: a spread per
   * horizon, kept only where it also helps on the half of the validation rows it was not chosen on), and its
   * test scores: what method auto serves (select.ts).
   */
  recalibrated: { method: string; rule: string; horizons: HorizonRecalibration[]; test: MethodScores };
  /**
   * What auto serves (the selected method, recalibrated), region by region, against the hub baseline on the same
   * cells, pooled over the horizons: on the validation rows (where the method and its spreads were chosen: in
   * sample for them) and on the test rows.
   */
  byRegion: { method: string; validation: RegionScores[]; test: RegionScores[] };
  transfer: TransferResult | null;
  training: Record<string, TrainReport[]>;
  /** The spread chosen on the early-stopping weeks for each fitted method (fit.ts `calibrateSpread`). */
  calibration: Record<string, Calibration>;
  elapsedMs: number;
}

/** How the "ensemble" method was built: weights ∝ 1 / validation WIS per horizon, over these candidates. */
export interface EnsembleInfo {
  rule: string;
  candidates: string[];
  /** One weight per candidate per horizon (in `horizons` order); each row sums to 1. */
  weights: Record<string, number[]>;
}

/** The method chosen on the validation rows, and why. */
export interface Selection {
  method: string;
  reason: string;
  /** Its mean validation WIS over the horizons. */
  validationWis: number;
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
  /**
   * The cross-region network (spatial.ts) from a spatial checkpoint, and the adjacency of the table's regions
   * (row-major R × R weights, or null): adds "transformer-spatial" (fine-tuned on all regions together) and
   * "transformer-spatial-zero-shot" to the candidates. Ignored for a table of one region.
   */
  spatial?: { model: tf.LayersModel; adjacency: Float64Array | null };
  /**
   * Threads the networks train on (default 1: this thread; fit-pool.ts). The scores do not depend on it.
   * With more than one, `fit.onEpoch` is not awaited and `fit.shouldStop` is polled every 100 ms.
   */
  threads?: number;
  log?: (line: string) => void;
}

/**
 * The quantile method (WIS not null at every horizon) with the lowest mean validation WIS over the horizons;
 * ties go to the earlier method in `validation`'s order. Reads validation scores only.
 */
export function selectOnValidation(validation: Record<string, MethodScores>, horizons: readonly number[], rows: { trainEnd: number; validEnd: number }): Selection {
  const candidates = Object.entries(validation)
    .filter(([, m]) => m.wis.every((w) => w !== null && Number.isFinite(w)))
    .map(([method, m]) => ({ method, wis: mean(m.wis as number[]) }));
  if (candidates.length === 0) throw new DataError("no quantile method to select: every method lacks validation WIS");
  let best = candidates[0];
  for (const c of candidates) if (c.wis < best.wis) best = c;
  const others = candidates.filter((c) => c !== best).map((c) => `${c.method} ${c.wis.toPrecision(4)}`);
  return {
    method: best.method,
    validationWis: best.wis,
    reason: `lowest mean WIS over horizons ${horizons.join(", ")} on the validation rows [${rows.trainEnd}, ${rows.validEnd}): ${best.wis.toPrecision(4)}${others.length > 0 ? ` (${others.join(", ")})` : ""}`,
  };
}

/**
 * The validation-weighted quantile ensemble of the candidates in `cells` (ensemble.ts): per horizon, weights
 * ∝ 1 / each candidate's mean WIS on the validation rows; the same weights combine the validation and the
 * test forecasts. Reads validation scores only to choose the weights.
 */
export function validationEnsemble(
  cells: Record<"validation" | "test", Record<string, QuantileEvaluation[]>>,
  horizons: readonly number[],
): { validation: QuantileEvaluation[]; test: QuantileEvaluation[]; info: EnsembleInfo } {
  const candidates = Object.keys(cells.validation);
  const weights: Record<string, number[]> = Object.fromEntries(candidates.map((m) => [m, [] as number[]]));
  const out = { validation: [] as QuantileEvaluation[], test: [] as QuantileEvaluation[] };
  horizons.forEach((_, i) => {
    const w = inverseWisWeights(Object.fromEntries(candidates.map((m) => [m, cells.validation[m][i].meanWis])));
    for (const m of candidates) weights[m].push(w[m] ?? 0);
    for (const split of ["validation", "test"] as const) out[split].push(combineQuantileEvaluations(Object.fromEntries(candidates.map((m) => [m, cells[split][m][i]])), w));
  });
  return { ...out, info: { rule: "per horizon, weights ∝ 1 / mean WIS on the validation rows; quantiles averaged level by level", candidates, weights } };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

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
  const frequency = tableFrequency(table);
  const { onEpoch: userOnEpoch, shouldStop, ...plainFit } = options.fit ?? {};
  const fit = withDefaults({ seed }, plainFit);
  const training: Record<string, TrainReport[]> = {};
  const calibration: Record<string, Calibration> = {};
  const methods: Record<string, MethodScores> = {};
  const validation: Record<string, MethodScores> = {};
  // Per-cell evaluations of the quantile candidates, per split, one per horizon: what the ensemble combines.
  const cellsOf: Record<"validation" | "test", Record<string, QuantileEvaluation[]>> = { validation: {}, test: {} };
  const record = (key: string, scores: Record<Split, QuantileEvaluation[]>) => {
    validation[key] = quantileScores(scores.validation);
    methods[key] = quantileScores(scores.test);
    cellsOf.validation[key] = scores.validation;
    cellsOf.test[key] = scores.test;
  };
  const splits: Split[] = ["validation", "test"];

  log(`${name}: ${table.rows} rows × ${table.regions.length} regions (${frequency ?? "no row times: no calendar features"}); training rows [0, ${b.trainEnd}), validation rows [${b.trainEnd}, ${b.validEnd}), test rows [${b.validEnd}, ${table.rows}); context ${config.context} ${rowUnit(frequency)}`);
  // The networks to train (fit-tasks.ts), on `threads` worker threads or in this one; the longest first.
  const spatial = options.spatial && table.regions.length >= 2 ? options.spatial : null;
  const transferWeeks = options.transferWeeks ?? 104;
  const task = (kind: FitTaskKind): FitTask => ({
    kind,
    table,
    config,
    horizons,
    window,
    strategy,
    fit,
    trainEnd: b.trainEnd,
    ...(kind === "transfer" ? { transferWeeks } : {}),
    ...(kind === "transformer-spatial" ? { adjacency: spatial!.adjacency } : {}),
  });
  const wanted = (kind: FitTaskKind) => (kind === "transformer-spatial" ? spatial !== null : kind === "transfer" ? (options.transfer ?? true) : true);
  const threads = poolThreads(options.threads, FIT_ORDER.filter(wanted).length);
  const pooled = threads > 1;
  // On a pool the longest tasks go first, so that the last one to start is short; in this thread, the order of the output.
  const kinds = (pooled ? POOL_ORDER : FIT_ORDER).filter(wanted);
  const heading: Record<FitTaskKind, string> = {
    transformer: "fine-tuning the pretrained transformer",
    "transformer-scratch": "training the same transformer from scratch",
    "transformer-spatial": `cross-region transformer: the spatial checkpoint fine-tuned on the ${table.regions.length} regions together${spatial?.adjacency ? " (with their adjacency)" : " (no adjacency: attention learns the links)"}`,
    transfer: `transfer: training histories cut to their last ${transferWeeks} ${rowUnit(frequency)}, fine-tuned against from scratch (both early-stopped on the validation rows)`,
  };
  if (pooled) log(`training ${kinds.length} networks on ${threads} threads: ${kinds.map((k) => heading[k]).join("; ")}`);
  const fits = runFitTasks(
    kinds.map(task),
    { pretrained, ...(spatial ? { spatial: spatial.model } : {}) },
    {
      threads,
      onStart: (kind) => log(heading[kind]),
      onEpoch: async (kind, e) => {
        log(`  ${pooled ? `[${kind}] ` : ""}${epochLine(e)}`);
        await userOnEpoch?.(e);
      },
      ...(shouldStop ? { shouldStop } : {}),
    },
  );
  fits.catch(() => {}); // awaited below: a failed fit is thrown from there, not reported as unhandled first
  // While the pool trains, this thread scores what needs no training. Run in this thread, fits are done first.
  if (!pooled) await fits;
  log("zero-shot: the pretrained transformer as is");
  const zeroShot = scoreNetworkSplits(pretrained, config, table, horizons, window, splits);
  let spatialZeroShot: Record<Split, QuantileEvaluation[]> | null = null;
  if (spatial) {
    log("cross-region zero-shot: the spatial checkpoint as is");
    spatialZeroShot = scoreSpatialSplits(spatial.model, config, table, spatial.adjacency, horizons, window, splits);
  }
  const results = new Map((await fits).map((r) => [r.kind, r]));
  for (const kind of ["transformer", "transformer-scratch"] as const) {
    const r = results.get(kind)!;
    training[kind] = r.reports;
    calibration[kind] = r.calibration!;
    record(kind, r.scores!);
  }
  record("transformer-zero-shot", zeroShot);
  if (spatial) {
    training["transformer-spatial"] = results.get("transformer-spatial")!.reports;
    record("transformer-spatial", results.get("transformer-spatial")!.scores!);
    record("transformer-spatial-zero-shot", spatialZeroShot!);
  }

  log("baselines");
  // Same time last year: 52 rows back, 364 (the same weekday) on a daily table; left out when the first
  // validation target has no row that far back (a daily table shorter than two years).
  const season = seasonRows(frequency);
  const baselineMethods: BaselineMethod[] = ["persistence", "seasonal-naive", "ridge", "hub-baseline"].filter((m) => m !== "seasonal-naive" || b.trainEnd >= season) as BaselineMethod[];
  if (b.trainEnd < season) log(`seasonal-naive left out: the same time last year is ${season} rows back, and the validation rows start at row ${b.trainEnd}`);
  for (const [split, into] of [["validation", validation], ["test", methods]] as const) {
    const hub: QuantileEvaluation[] = [];
    const baselines = evaluateBaselines(table, horizons, { hubSamples: options.hubSamples, seed, window, split, season, methods: baselineMethods, onHubEvaluation: (_, e) => void hub.push(e) });
    cellsOf[split]["hub-baseline"] = hub;
    for (const method of baselineMethods) {
      const rows = horizons.map((h) => baselines.results.find((r) => r.method === method && r.horizon === h)!);
      into[method] = {
        rmse: rows.map((r) => r.rmse),
        mae: rows.map((r) => r.mae),
        pcc: rows.map((r) => r.pcc),
        wis: rows.map((r) => r.meanWis ?? null),
        coverage50: rows.map((r) => r.coverage50 ?? null),
        coverage95: rows.map((r) => r.coverage95 ?? null),
      };
    }
  }
  const ensemble = validationEnsemble(cellsOf, horizons);
  validation.ensemble = quantileScores(ensemble.validation);
  methods.ensemble = quantileScores(ensemble.test);
  const selected = selectOnValidation(validation, horizons, b);
  log(`selected on validation: ${selected.method} (${selected.reason})`);
  const chosen = selected.method === "ensemble" ? ensemble : { validation: cellsOf.validation[selected.method], test: cellsOf.test[selected.method] };
  const recalibration = horizons.map((_, i) => recalibrateOnValidation(chosen.validation[i], table.regions.length));
  const served = (split: "validation" | "test") => chosen[split].map((e, i) => applySpread(e, recalibration[i].spread));
  const servedTest = served("test");
  const recalibrated = {
    method: selected.method,
    rule: "per horizon, the spread about the median (0.5–2) with the lowest mean WIS on the first half of the validation rows, kept only if it also lowers the second half's; then chosen on all the validation rows",
    horizons: recalibration,
    test: quantileScores(servedTest),
  };
  const byRegion = {
    method: selected.method,
    validation: scoresByRegion(table.regions, served("validation"), cellsOf.validation["hub-baseline"]),
    test: scoresByRegion(table.regions, servedTest, cellsOf.test["hub-baseline"]),
  };
  log(`recalibrated on validation: spreads ${recalibration.map((r) => r.spread.toFixed(2)).join(", ")} (horizons ${horizons.join(", ")})`);

  let transfer: TransferResult | null = null;
  const t = results.get("transfer")?.transfer;
  if (t) {
    training["transfer-finetuned"] = t.finetuned.reports;
    training["transfer-scratch"] = t.scratch.reports;
    const arm = (a: TransferArm) => ({ wis: a.wis, meanWis: a.meanWis });
    transfer = { weeks: t.weeks, unit: rowUnit(frequency), horizons, earlyStoppingRows: t.earlyStoppingRows, finetuned: arm(t.finetuned), scratch: arm(t.scratch), gain: t.gain };
  }

  return {
    dataset: name,
    protocol: "colagnn",
    horizons,
    window,
    frequency,
    context: config.context,
    split: { rows: table.rows, trainEnd: b.trainEnd, validEnd: b.validEnd },
    strategy,
    methods,
    validation,
    selected,
    ensemble: ensemble.info,
    recalibrated,
    byRegion,
    transfer,
    training,
    calibration,
    elapsedMs: performance.now() - started,
  };
}
