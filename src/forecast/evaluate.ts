/**
 * The baseline table of a dataset under the Cola-GNN protocol (protocol.ts): persistence, same week last
 * year, the shared ridge regression and the hub baseline, per horizon. This is what
 * `spreadlab forecast evaluate` prints and what a learned model is compared with.
 */
import { loadDataset } from "./data.js";
import { RIDGE_LAMBDA, SEASON_WEEKS, persistence, ridgeForecaster, seasonalNaiveForecaster } from "./baselines.js";
import { DEFAULT_HUB_SAMPLES, hubBaselineForecaster } from "./hub-baseline.js";
import { COLA_GNN_PROTOCOL, evaluatePointForecaster, evaluateQuantileForecaster, splitBoundaries, type QuantileEvaluation, type Split } from "./protocol.js";
import type { SeriesTable } from "./series-csv.js";

export type BaselineMethod = "persistence" | "seasonal-naive" | "ridge" | "hub-baseline";

/** One line of the table. WIS and coverage only for the quantile forecaster (the hub baseline). */
export interface BaselineRow {
  method: BaselineMethod;
  horizon: number;
  /** Number of scored cells (target weeks × regions). */
  cells: number;
  rmse: number;
  mae: number;
  pcc: number;
  meanWis?: number;
  coverage50?: number;
  coverage95?: number;
}

export interface BaselineTable {
  dataset: string;
  split: Split;
  rows: number;
  regions: number;
  window: number;
  ridgeLambda: number;
  hubSamples: number;
  seed: number;
  /** Split boundaries per horizon (target rows are [firstTarget, trainEnd), [trainEnd, validEnd), [validEnd, n)). */
  boundaries: { horizon: number; firstTarget: number; trainEnd: number; validEnd: number }[];
  results: BaselineRow[];
}

export interface EvaluateBaselinesOptions {
  /** Which targets to score (default "test"). */
  split?: Split;
  /** Methods to run (default all four). */
  methods?: readonly BaselineMethod[];
  /** Monte Carlo sums per hub-baseline forecast (default `DEFAULT_HUB_SAMPLES`, 1000). */
  hubSamples?: number;
  /** Seed of the hub baseline's streams (default 0). */
  seed?: number;
  /** Ridge penalty (default `RIDGE_LAMBDA`). */
  ridgeLambda?: number;
  /** Folder of the bundled data (default `data/` at the Spreadlab root). */
  dataDir?: string;
  /** The protocol's input window P (default 20). */
  window?: number;
  /** Rows back of the seasonal-naive baseline (default 52; `seasonRows` gives 364 for a daily table). */
  season?: number;
  /** Receives the hub baseline's per-cell evaluation (quantiles included) at each horizon: what an ensemble combines. */
  onHubEvaluation?: (horizon: number, evaluation: QuantileEvaluation) => void;
}

const ALL_METHODS: readonly BaselineMethod[] = ["persistence", "seasonal-naive", "ridge", "hub-baseline"];

/**
 * RMSE, MAE and PCC per horizon per method (plus mean WIS and central 50% / 95% coverage for the hub
 * baseline) on a bundled dataset id or an already parsed series.
 */
export function evaluateBaselines(
  dataset: string | SeriesTable,
  horizons: readonly number[] = COLA_GNN_PROTOCOL.horizons,
  options: EvaluateBaselinesOptions = {},
): BaselineTable {
  const data = typeof dataset === "string" ? loadDataset(dataset, { dataDir: options.dataDir }) : dataset;
  const split = options.split ?? "test";
  const ridgeLambda = options.ridgeLambda ?? RIDGE_LAMBDA;
  const hubSamples = options.hubSamples ?? DEFAULT_HUB_SAMPLES;
  const seed = options.seed ?? 0;
  const methods = options.methods ?? ALL_METHODS;
  const window = options.window ?? COLA_GNN_PROTOCOL.window;
  const seasonalNaive = seasonalNaiveForecaster(options.season ?? SEASON_WEEKS);
  const results: BaselineRow[] = [];
  const boundaries: BaselineTable["boundaries"] = [];
  for (const h of horizons) {
    const b = splitBoundaries(data.rows, window, h);
    boundaries.push({ horizon: h, firstTarget: b.firstTarget, trainEnd: b.trainEnd, validEnd: b.validEnd });
    for (const method of methods) {
      if (method === "hub-baseline") {
        const e = evaluateQuantileForecaster(data, h, hubBaselineForecaster({ samples: hubSamples, seed }), { split, window });
        options.onHubEvaluation?.(h, e);
        results.push({ method, horizon: h, cells: e.observed.length, rmse: e.rmse, mae: e.mae, pcc: e.pcc, meanWis: e.meanWis, coverage50: e.coverage50, coverage95: e.coverage95 });
        continue;
      }
      const forecaster = method === "persistence" ? persistence : method === "seasonal-naive" ? seasonalNaive : ridgeForecaster(ridgeLambda);
      const e = evaluatePointForecaster(data, h, forecaster, { split, window });
      results.push({ method, horizon: h, cells: e.observed.length, rmse: e.rmse, mae: e.mae, pcc: e.pcc });
    }
  }
  return {
    dataset: typeof dataset === "string" ? dataset : data.file,
    split,
    rows: data.rows,
    regions: data.regions.length,
    window,
    ridgeLambda,
    hubSamples,
    seed,
    boundaries,
    results,
  };
}
