/**
 * The networks `evaluate` trains, one task each: the pretrained network fine-tuned, the same network from
 * scratch, the cross-region network fine-tuned, and the transfer comparison (its two fits). A task holds plain
 * data only (the table, the config, the fit options without callbacks), so it runs the same in this thread or in
 * a worker thread (fit-pool.ts); its result is the scores of the fitted network on the validation and test rows,
 * its training reports and calibration — never the network itself.
 *
 * Each task's training depends on its own inputs and seed only, not on the others or on the thread it runs in,
 * so `evaluate` gives bit-identical results with one thread or several (tests/forecast/transformer/fit-pool).
 */
import type { QuantileEvaluation, Split } from "../protocol.js";
import type { SeriesTable } from "../series-csv.js";
import type { tf } from "./backend.js";
import { finetuneModel, trainFromScratch, type Calibration, type FitOptions } from "./fit.js";
import { predictQuantiles, seriesFromTable, trainingRows } from "./forecaster.js";
import type { TransformerConfig } from "./model.js";
import { fitSpatial } from "./spatial-fit.js";
import { predictSpatialByOrigin } from "./spatial.js";
import type { EpochInfo, FinetuneStrategy, TrainReport } from "./train.js";
import { compareTransfer, univariateTransfer, type TransferComparison } from "./transfer.js";
import { scoreNetwork, scoreNetworkSplits, scoreSpatialSplits } from "./scoring.js";

export type FitTaskKind = "transformer" | "transformer-scratch" | "transformer-spatial" | "transfer";

/** Fit options a task can carry to another thread: everything but the callbacks. */
export type PlainFitOptions = Omit<FitOptions, "onEpoch" | "shouldStop">;

export interface FitTask {
  kind: FitTaskKind;
  table: SeriesTable;
  config: TransformerConfig;
  horizons: number[];
  window: number;
  strategy: FinetuneStrategy;
  fit: PlainFitOptions;
  /** End of the training rows: the fits see rows before it (the transfer comparison also the validation rows, to early-stop on). */
  trainEnd: number;
  /** "transfer": the training rows the fits take gradient steps on. */
  transferWeeks?: number;
  /** "transformer-spatial": the regions' adjacency (row-major R × R), or null. */
  adjacency?: Float64Array | null;
  /**
   * Serve instead of score (not for "transfer"): with trainEnd = table.rows, the network is fitted on every row
   * (early-stopping on their last 20%, as `forecast finetune`) and the result holds each region's forecast from
   * the last row (`forecasts`), not scores — what `predict --region all` serves (serve-table.ts).
   */
  serve?: boolean;
}

export interface FitTaskResult {
  kind: FitTaskKind;
  reports: TrainReport[];
  /** "transformer", "transformer-scratch": the spread measured on the early-stopping rows. */
  calibration?: Calibration;
  /** Per split, one evaluation per horizon (not for "transfer"). */
  scores?: Record<Split, QuantileEvaluation[]>;
  /** "transfer": the comparison, its arms' training reports included. */
  transfer?: TransferComparison;
  /** A serving task: forecasts[r][h − 1], region r's quantiles at horizon h from the table's last row. */
  forecasts?: Float64Array[][];
}

/** The networks a task starts from: the pretrained univariate one, and the cross-region one for "transformer-spatial". */
export interface TaskModels {
  pretrained: tf.LayersModel;
  spatial?: tf.LayersModel;
}

/** Runs one task in the calling thread; `onEpoch` hears every training epoch. Disposes what it trains. */
export async function runFitTask(task: FitTask, models: TaskModels, onEpoch?: (info: EpochInfo) => void | Promise<void>, shouldStop?: () => boolean): Promise<FitTaskResult> {
  const { table, config, horizons, window, strategy, trainEnd } = task;
  const fit: FitOptions = { ...task.fit, ...(onEpoch ? { onEpoch } : {}), ...(shouldStop ? { shouldStop } : {}) };
  const splits: Split[] = ["validation", "test"];
  switch (task.kind) {
    case "transformer":
    case "transformer-scratch": {
      const history = trainingRows(table, trainEnd);
      const limits = table.values.map(() => trainEnd);
      const fitted = task.kind === "transformer" ? await finetuneModel(models.pretrained, config, history, limits, strategy, fit) : await trainFromScratch(config, history, limits, fit);
      try {
        const out = task.serve
          ? { forecasts: predictQuantiles(fitted.model, fitted.config, seriesFromTable(table), table.values.map((_, r) => ({ series: r, origin: table.rows - 1 }))) }
          : { scores: scoreNetworkSplits(fitted.model, fitted.config, table, horizons, window, splits) };
        return { kind: task.kind, reports: fitted.reports, calibration: fitted.calibration, ...out };
      } finally {
        fitted.model.dispose();
      }
    }
    case "transformer-spatial": {
      if (!models.spatial) throw new Error("transformer-spatial: no cross-region network was given.");
      const adjacency = task.adjacency ?? null;
      const fitted = await fitSpatial(models.spatial, config, { series: trainingRows(table, trainEnd), adjacency, limit: trainEnd }, strategy, fit);
      try {
        const last = table.rows - 1;
        const out = task.serve
          ? { forecasts: predictSpatialByOrigin(fitted.model, config, { series: seriesFromTable(table), adjacency, limit: table.rows }, [last]).get(last)! }
          : { scores: scoreSpatialSplits(fitted.model, config, table, adjacency, horizons, window, splits) };
        return { kind: task.kind, reports: fitted.reports, ...out };
      } finally {
        fitted.model.dispose();
      }
    }
    case "transfer": {
      if (task.serve) throw new Error("transfer: a comparison, not a network to serve");
      const testWis = (model: tf.LayersModel, cfg: TransformerConfig) => scoreNetwork(model, cfg, table, horizons, window).map((e) => e.meanWis);
      const transfer = await compareTransfer(table, univariateTransfer(models.pretrained, config, strategy, testWis), { weeks: task.transferWeeks ?? 104, horizons, window, fit });
      return { kind: task.kind, reports: [...transfer.finetuned.reports, ...transfer.scratch.reports], transfer };
    }
  }
}
