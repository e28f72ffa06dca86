/**
 * The body of `POST /v1/forecasts` and its limits (schemas.ts re-exports them: openapi.ts reads every schema
 * through that one module).
 */
import { z } from "zod";
import { DEFAULT_HUB_SAMPLES } from "../forecast/hub-baseline.js";

/**
 * Forecast methods: chosen on validation rows up to asOf (auto, the default), the forecast hubs' baseline, and
 * the pretrained transformer (fine-tuned per request).
 */
export const FORECAST_METHODS = ["auto", "baseline", "transformer"] as const;
export const DEFAULT_FORECAST_HORIZONS: readonly number[] = Object.freeze(Array.from({ length: 15 }, (_, i) => i + 1));
export const MAX_FORECAST_HORIZON = 52;
export const MAX_FORECAST_SAMPLES = 100_000;
export const MAX_FINETUNE_EPOCHS = 200;
export const DEFAULT_FINETUNE_EPOCHS = 10;

/** `POST /v1/forecasts`. */
export const ForecastRequestSchema = z.strictObject({
  dataset: z.union([
    z.string().min(1).max(100).describe("A bundled dataset id (GET /v1/datasets): region785, state360, hhs-ilitotal or national."),
    z
      .strictObject({
        csv: z
          .string()
          .min(1)
          .describe("The text of a wide CSV: header `year,week,<region…>` (consecutive MMWR weeks) or `date,<region…>` (increasing ISO dates), one column per region, an empty cell where a value is missing."),
        name: z.string().min(1).max(200).optional().describe("File name used in error messages (default upload.csv)."),
      })
      .describe("An uploaded series; the whole request is limited to the upload size (GET /v1/health, limits.uploadBytes)."),
  ]),
  region: z.string().min(1).max(200).describe("The column to forecast."),
  horizons: z
    .array(z.number().int().min(1).max(MAX_FORECAST_HORIZON))
    .min(1)
    .max(MAX_FORECAST_HORIZON)
    .refine((hs) => new Set(hs).size === hs.length, { message: "horizons must not repeat." })
    .default(() => [...DEFAULT_FORECAST_HORIZONS])
    .describe("Weeks (rows) ahead of asOf, each 1–52, no repeats; default 1…15. The result lists them in ascending order."),
  asOf: z.number().int().nonnegative().optional().describe("Row index (0-based) of the last observed week; default the last row."),
  method: z
    .enum(FORECAST_METHODS)
    .default("auto")
    .describe("`auto` (default): the method with the lowest mean validation WIS on the region's own history up to asOf — the fine-tuned, from-scratch or zero-shot transformer, the hub baseline, or their validation-weighted ensemble — fitted on that history and served; `result.selection` says which and why (the hub baseline when no selection can be made: transformer not loaded, horizons over 15, a history too short or with gaps). `baseline`: the forecast hubs' baseline (median = last value, spread from past week-to-week changes). `transformer`: the pretrained transformer, fine-tuned on the region's history up to asOf (see `finetune`; horizons ≤ 15)."),
  samples: z.number().int().min(1).max(MAX_FORECAST_SAMPLES).default(DEFAULT_HUB_SAMPLES).describe("Monte Carlo sums per horizon (baseline; and the baseline of a transformer's backtest)."),
  finetune: z
    .strictObject({
      epochs: z.number().int().min(0).max(MAX_FINETUNE_EPOCHS).default(DEFAULT_FINETUNE_EPOCHS).describe("Most epochs per phase (early stopping may end sooner); 0 forecasts with the pretrained model as is (zero-shot)."),
      strategy: z.enum(["head", "full", "both"]).default("both").describe("`head`: train the quantile head only; `full`: every weight at a lower learning rate; `both`: head, then full."),
    })
    .optional()
    .describe("Transformer and auto: fine-tune the pretrained model on this region's history up to asOf before forecasting (default { epochs: 10, strategy: both }); auto fits its candidates with the same settings."),
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0).describe("Seed of the random streams (default 0)."),
});
