/**
 * `method: "auto"` of `POST /v1/forecasts` (the default): the method chosen on validation rows of the region's
 * history up to asOf (src/forecast/transformer/select.ts, the same selection as `forecast evaluate`), then
 * fitted on that whole history and forecast from asOf. The result's `selection` says which method was served
 * and why (each candidate's mean validation WIS), and the spreads its intervals got from the same validation
 * rows (`selection.spreads`).
 *
 * Where no selection can be made — the transformer is not loaded, a horizon is beyond the network's, or the
 * history is too short or has gaps for the protocol's split — the hub baseline is served and `selection.reason`
 * says why: the baseline needs nothing fitted, so it is the do-no-harm fallback.
 */
import { tableFrequency } from "../forecast/frequency.js";
import { loadPretrained } from "../forecast/transformer/service.js";
import { selectAtOrigin, ENSEMBLE_MEMBERS, type OriginSelection, type SelectableMethod } from "../forecast/transformer/select.js";
import { combineQuantileRows } from "../forecast/transformer/ensemble.js";
import { spreadRows } from "../forecast/transformer/recalibrate.js";
import { DEFAULT_CONFIG } from "../forecast/transformer/model.js";
import type { Backtest } from "../forecast/transformer/service.js";
import type { ForecastProgress } from "./forecast-queue.js";
import { forecasterBackend, transformerUnavailable } from "./forecaster.js";
import { transformerForecast, type TransformerModelInfo } from "./forecast-transformer.js";
import type { PreparedForecast } from "./forecasts.js";
import { DEFAULT_FINETUNE_EPOCHS } from "./schemas.js";

/** `result.selection` of an auto forecast. */
export type ServedSelection = Omit<OriginSelection, "method"> & { method: SelectableMethod };

export interface AutoForecast {
  rows: Float64Array[];
  selection: ServedSelection;
  model?: TransformerModelInfo;
  scores?: Backtest | null;
}

type Baseline = (prepared: PreparedForecast, signal?: AbortSignal) => Promise<Float64Array[]>;

function fallback(reason: string, prepared: PreparedForecast): ServedSelection {
  return { method: "hub-baseline", reason, rows: { origin: prepared.spec.asOf, trainEnd: 0, validEnd: 0 }, horizons: [...prepared.spec.horizons], validationWis: {}, validationWisByHorizon: {}, weights: {}, spreads: prepared.spec.horizons.map(() => 1), cached: false };
}

/** Why the transformer cannot take part here, or null. */
function unavailable(prepared: PreparedForecast): string | null {
  if (forecasterBackend() === null) return `the transformer is not loaded (${transformerUnavailable() ?? "still starting"})`;
  const beyond = prepared.spec.horizons.filter((h) => h > DEFAULT_CONFIG.horizon);
  if (beyond.length > 0) return `horizon ${beyond.join(", ")} is beyond the transformer's ${DEFAULT_CONFIG.horizon} weeks`;
  return null;
}

/** Chooses on validation (cached per content), then serves the choice. */
export async function autoForecast(prepared: PreparedForecast, baseline: Baseline, signal?: AbortSignal, progress: (p: ForecastProgress) => void = () => {}): Promise<AutoForecast> {
  const { spec, table } = prepared;
  const why = unavailable(prepared);
  if (why !== null) return { rows: await baseline(prepared, signal), selection: fallback(`no selection: ${why}; served the hub baseline`, prepared) };
  const base = await loadPretrained(tableFrequency(table));
  const finetune = spec.finetune ?? { epochs: DEFAULT_FINETUNE_EPOCHS, strategy: "both" as const };
  let selection: OriginSelection;
  try {
    progress({ phase: "selection", epoch: 0, epochs: finetune.epochs });
    selection = await selectAtOrigin(table, 0, spec.asOf, {
      pretrained: base.model,
      config: base.manifest.config,
      checkpointId: base.manifest.weightsSha256,
      horizons: spec.horizons,
      strategy: finetune.strategy,
      fit: { epochs: finetune.epochs },
      seed: spec.seed,
      hubSamples: Math.min(spec.samples, 1000),
      shouldStop: () => signal?.aborted === true,
      onEpoch: (e) => progress({ phase: `selection: ${e.phase}`, epoch: e.epoch, epochs: e.epochs, loss: e.validationLoss ?? e.loss }),
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? new Error("stopped");
    const e = error as { name?: string; message?: string };
    if (e?.name !== "DataError") throw error;
    return { rows: await baseline(prepared, signal), selection: fallback(`no selection: ${e.message}; served the hub baseline`, prepared) };
  }
  const serve = async (method: SelectableMethod): Promise<{ rows: Float64Array[]; model?: TransformerModelInfo; scores?: Backtest | null }> => {
    switch (method) {
      case "hub-baseline":
        return { rows: await baseline(prepared, signal) };
      case "transformer":
        return transformerForecast(prepared, signal, progress);
      case "transformer-zero-shot":
        return transformerForecast(prepared, signal, progress, { zeroShot: true });
      case "transformer-scratch":
        return transformerForecast(prepared, signal, progress, { scratch: true });
      case "ensemble": {
        const rows: Record<string, Float64Array[]> = {};
        for (const m of ENSEMBLE_MEMBERS) if (selection.weights[m]?.some((w) => w > 0)) rows[m] = (await serve(m)).rows;
        return { rows: combineQuantileRows(rows, selection.weights) };
      }
    }
  };
  // The chosen method's intervals recalibrated on the selection's validation rows (select.ts).
  const served = await serve(selection.method);
  return { ...served, rows: spreadRows(served.rows, selection.spreads), selection };
}
