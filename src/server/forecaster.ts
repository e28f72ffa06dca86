/**
 * The transformer forecaster as the server sees it: loaded in the background when the app is created (the
 * tfjs backend, then the bundled checkpoint), so the first request does not pay for it and `/v1/health`
 * can say which backend runs it. `GET /v1/forecaster` describes the network: its config, where it came
 * from, and the evaluation scores recorded in its manifest; `daily` describes the checkpoint that daily
 * series start from (models/daily-pretrained), or is null when there is none (they then start from the weekly one).
 */
import type { Request, Response } from "express";
import { initTf, currentTfBackend } from "../forecast/transformer/backend.js";
import { DAILY_PRETRAINED_NAME, defaultCheckpointDir, loadPretrained, pretrainedNameFor } from "../forecast/transformer/service.js";
import type { CheckpointManifest } from "../forecast/transformer/checkpoint.js";

let failure: string | null = null;
let manifest: CheckpointManifest | null = null;
let dailyManifest: CheckpointManifest | null = null;
let loading: Promise<void> | null = null;

/** Start loading the backend and the checkpoint (once per process); failures are logged and remembered. */
export function startForecaster(log: (line: string) => void): Promise<void> {
  loading ??= (async () => {
    try {
      await initTf(log);
      manifest = (await loadPretrained()).manifest;
      failure = null;
    } catch (e) {
      failure = `${(e as Error).message}`;
      log(`forecaster unavailable: ${failure} (checkpoint folder ${defaultCheckpointDir()})`);
      return;
    }
    if (pretrainedNameFor("daily") !== DAILY_PRETRAINED_NAME) return;
    try {
      dailyManifest = (await loadPretrained("daily")).manifest;
    } catch (e) {
      // Daily series then fail when they ask for it (the same error), weekly ones are served as before.
      log(`daily checkpoint unavailable: ${(e as Error).message} (checkpoint folder ${defaultCheckpointDir(DAILY_PRETRAINED_NAME)})`);
    }
  })();
  return loading;
}

/** Why the transformer cannot be used, or null when it can (or is still loading). */
export function transformerUnavailable(): string | null {
  return failure;
}

/** The backend when the transformer is ready to use, else null. */
export function forecasterBackend(): string | null {
  return manifest !== null ? currentTfBackend() : null;
}

function describe(m: CheckpointManifest | null) {
  return m === null
    ? null
    : {
        kind: m.kind,
        createdAt: m.createdAt,
        parameters: m.parameters,
        weightsSha256: m.weightsSha256,
        config: m.config,
        scaling: m.scaling,
        provenance: m.provenance,
        evaluation: m.evaluation ?? null,
      };
}

export function forecasterRoute(_req: Request, res: Response): void {
  res.json({
    available: manifest !== null,
    backend: forecasterBackend(),
    error: failure,
    checkpoint: describe(manifest),
    daily: describe(dailyManifest),
  });
}
