/**
 * `method: "transformer"` of `POST /v1/forecasts` (forecasts.ts): the transformer's own request checks, and
 * the job — the bundled pretrained network fine-tuned on the region's history up to asOf (unless
 * `finetune.epochs` is 0), a forecast from asOf, and a backtest on the fine-tune's early-stopping weeks.
 */
import { tableFrequency, type Frequency } from "../forecast/frequency.js";
import { setImmediate as nextTurn } from "node:timers/promises";
import { currentTfBackend } from "../forecast/transformer/backend.js";
import { DEFAULT_CONFIG } from "../forecast/transformer/model.js";
import { backtestRegion, finetuneOnTable, forecastRegion, loadPretrained, MIN_FORECAST_WEEKS, minimumTrainingWeeks, observedCount, type Backtest } from "../forecast/transformer/service.js";
import type { FinetuneStrategy, TrainReport } from "../forecast/transformer/train.js";
import type { ForecastProgress } from "./forecast-queue.js";
import type { ForecastRequest, PreparedForecast } from "./forecasts.js";
import { fieldProblem } from "./problems.js";
import { DEFAULT_FINETUNE_EPOCHS, MAX_FORECAST_HORIZON } from "./schemas.js";

/** The bundled network's horizon and the history a fine-tune needs (model.ts, service.ts). */
const TRANSFORMER_HORIZON = DEFAULT_CONFIG.horizon;
const TRANSFORMER_MIN_WEEKS = minimumTrainingWeeks(DEFAULT_CONFIG);

export interface TransformerModelInfo {
  /** The pretrained checkpoint it started from; `frequency` "daily" for models/daily-pretrained. */
  checkpoint: { kind: string; createdAt: string; weightsSha256: string; frequency: Frequency };
  backend: string;
  context: number;
  finetune: { strategy: string; epochs: number; trainedRows: number; validationRows: number; spread: number; reports: TrainReport[] } | null;
}

/** The transformer's own limits: horizons within the network's, enough observed history to fine-tune. */
export function checkTransformerRequest(request: ForecastRequest, values: Float64Array, asOf: number, where: string, label: (row: number) => string): void {
  const H = TRANSFORMER_HORIZON;
  const beyond = request.horizons.filter((h) => h > H);
  if (beyond.length > 0) {
    throw fieldProblem("horizon-too-far", "Horizon beyond the transformer's", "horizons", `the transformer forecasts 1 to ${H} weeks ahead; ${beyond.join(", ")} ${beyond.length > 1 ? "are" : "is"} too far (method "baseline" goes to ${MAX_FORECAST_HORIZON}).`);
  }
  const observed = observedCount(values, asOf + 1);
  const epochs = request.finetune?.epochs ?? DEFAULT_FINETUNE_EPOCHS;
  const need = epochs > 0 ? TRANSFORMER_MIN_WEEKS : MIN_FORECAST_WEEKS;
  if (observed < need) {
    throw fieldProblem(
      "series-too-short",
      "The series is too short",
      request.asOf !== undefined ? "asOf" : "dataset",
      `"${request.region}" of ${where} has ${observed} observed week(s) up to asOf (${label(asOf)}); the transformer needs at least ${need}${epochs > 0 ? " to fine-tune (or send finetune: { epochs: 0 } for a zero-shot forecast from ${MIN_FORECAST_WEEKS} weeks)" : ""}.`,
    );
  }
}

/**
 * The transformer's quantiles for each horizon: the pretrained network fine-tuned on the region's history
 * up to asOf (unless epochs is 0), then one forward pass from asOf; and a backtest on the early-stopping
 * weeks. Training yields to the event loop between batches; cancellation stops it at the next batch.
 */
export async function transformerForecast(
  prepared: PreparedForecast,
  signal?: AbortSignal,
  progress: (p: ForecastProgress) => void = () => {},
  variant: { zeroShot?: boolean; scratch?: boolean } = {},
): Promise<{ rows: Float64Array[]; model: TransformerModelInfo; scores: Backtest | null }> {
  const { spec, table } = prepared;
  const base = await loadPretrained(tableFrequency(table));
  const asked = spec.finetune ?? { epochs: DEFAULT_FINETUNE_EPOCHS, strategy: "both" as FinetuneStrategy };
  // The variants of method "auto" (forecast-auto.ts): the pretrained network as is, or the same network from scratch.
  const epochs = variant.zeroShot ? 0 : asked.epochs;
  const strategy = asked.strategy;
  let config = base.manifest.config;
  let network = base.model;
  let finetune: TransformerModelInfo["finetune"] = null;
  // The backtest's rows: a fine-tune's early-stopping rows, or the last year for the pretrained network.
  let validationFrom = Math.max(0, table.rows - 52);
  if (epochs > 0) {
    progress({ phase: "fine-tune", epoch: 0, epochs });
    const tuned = await finetuneOnTable(base, table, {
      strategy,
      scratch: variant.scratch === true,
      epochs,
      seed: spec.seed,
      shouldStop: () => signal?.aborted === true,
      onEpoch: (e) => progress({ phase: e.phase, epoch: e.epoch, epochs: e.epochs, loss: e.validationLoss ?? e.loss }),
    });
    network = tuned.model;
    config = tuned.config;
    validationFrom = tuned.validationFrom;
    finetune = { strategy: variant.scratch ? "scratch" : strategy, epochs, trainedRows: validationFrom, validationRows: table.rows - validationFrom, spread: tuned.calibration.spread, reports: tuned.reports };
  }
  try {
    if (signal?.aborted) throw signal.reason ?? new Error("stopped");
    progress({ phase: "forecast", epoch: epochs, epochs });
    const all = forecastRegion(network, config, table, spec.region, spec.asOf);
    const rows = spec.horizons.map((h) => all[h - 1]);
    await nextTurn();
    const scores = backtestRegion(network, config, table, 0, validationFrom, table.rows, spec.horizons, { hubSamples: Math.min(spec.samples, 1000), seed: spec.seed });
    const model: TransformerModelInfo = {
      checkpoint: { kind: base.manifest.kind, createdAt: base.manifest.createdAt, weightsSha256: base.manifest.weightsSha256, frequency: base.manifest.frequency ?? "weekly" },
      backend: currentTfBackend() ?? "unknown",
      context: config.context,
      finetune,
    };
    return { rows, model, scores };
  } finally {
    if (network !== base.model) network.dispose();
  }
}
