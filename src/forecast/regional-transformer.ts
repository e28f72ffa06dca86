/**
 * The transformer as a regional method (regional.ts, `method: "transformer"`): the bundled pretrained
 * checkpoint (models/ili-pretrained), zero-shot by default, or fine-tuned on each region's own rows up to
 * asOf only (`finetune.epochs` > 0; transformer/service.ts `finetuneOnTable` with `until = asOf + 1`).
 *
 * Cost: per region, the forecast from asOf and every backtest origin go through the network as ONE batch
 * (1 + `backtestOrigins` windows), so a zero-shot forecast of 50 regions with 26 backtest origins is 50
 * forward passes of 27 windows each. Fine-tuning costs one small training run per region.
 *
 * No look-ahead: the series handed to the network are cut at asOf + 1 (`seriesFromTable(table, asOf + 1)`),
 * and a fine-tune trains and early-stops on rows < asOf + 1 only. A fine-tuned region's backtest keeps only
 * origins whose target lies in the fine-tune's early-stopping rows (rows that shaped no gradient step), so
 * its score is not an in-sample one; a zero-shot backtest may use any origin (the network never saw the data).
 */
import { tableFrequency } from "./frequency.js";
import { ForecastError } from "./errors.js";
import { HUB_QUANTILE_LEVELS } from "./quantiles.js";
import type { SeriesTable } from "./series-csv.js";
import type { RegionEdge } from "./region-graph.js";

export type RegionalFinetuneStrategy = "head" | "full" | "both";

export interface RegionalTransformerOptions {
  /** Epochs per fine-tuning phase (0 or absent: zero-shot, the pretrained network as is). */
  epochs?: number;
  strategy?: RegionalFinetuneStrategy;
  seed?: number;
  signal?: AbortSignal;
}

/** One region's network output: the H rows of quantiles from asOf, and the horizon-H quantiles per backtest origin. */
export interface TransformerRegionOutput {
  quantiles: Float64Array[];
  /** origin row → quantiles at horizon H from that origin. */
  backtest: Map<number, Float64Array>;
  /** First row whose target may be scored (the fine-tune's early-stopping rows; 0 zero-shot). */
  scoreFrom: number;
}

/** Loads the backend and the bundled checkpoint once; returns a function that forecasts one region. */
export async function transformerRegionalForecaster(table: SeriesTable, asOf: number, horizon: number, options: RegionalTransformerOptions = {}) {
  const [{ initTf }, service, forecaster] = await Promise.all([import("./transformer/backend.js"), import("./transformer/service.js"), import("./transformer/forecaster.js")]);
  await initTf();
  const base = await service.loadPretrained(tableFrequency(table));
  const config = base.manifest.config;
  if (horizon > config.horizon) throw new ForecastError(`horizon ${horizon} is beyond the transformer's ${config.horizon} weeks.`);
  if (config.levels.length !== HUB_QUANTILE_LEVELS.length || config.levels.some((l, i) => Math.abs(l - HUB_QUANTILE_LEVELS[i]) > 1e-12)) {
    throw new ForecastError("the bundled transformer's quantile levels are not the hubs' 23 levels.");
  }
  const epochs = options.epochs ?? 0;
  // Rows 0 … asOf only, for every use below.
  const series = forecaster.seriesFromTable(table, asOf + 1);
  return {
    minimumWeeks: epochs > 0 ? service.minimumTrainingWeeks(config) : service.MIN_FORECAST_WEEKS,
    /** Forecast region r from asOf and from each candidate backtest origin (all < asOf), in one batch. */
    async region(r: number, origins: readonly number[]): Promise<TransformerRegionOutput> {
      const observed = service.observedCount(series[r].values, asOf + 1);
      if (observed < service.MIN_FORECAST_WEEKS) throw new ForecastError(`region "${table.regions[r]}" has ${observed} observed weeks up to asOf; the transformer needs at least ${service.MIN_FORECAST_WEEKS}.`);
      let network = base.model;
      let netConfig = config;
      let scoreFrom = 0;
      if (epochs > 0) {
        const tuned = await service.finetuneOnTable(base, table, {
          regions: [table.regions[r]],
          until: asOf + 1,
          epochs,
          strategy: options.strategy ?? "both",
          seed: options.seed ?? 0,
          shouldStop: () => options.signal?.aborted === true,
        });
        network = tuned.model;
        netConfig = tuned.config;
        scoreFrom = tuned.validationFrom;
      }
      try {
        if (options.signal?.aborted) throw options.signal.reason ?? new Error("stopped");
        const usable = origins.filter((t) => t + horizon >= scoreFrom && service.observedCount(series[r].values, t + 1) >= service.MIN_FORECAST_WEEKS);
        const picks = [asOf, ...usable].map((origin) => ({ series: r, origin }));
        const out = forecaster.predictQuantiles(network, netConfig, series, picks);
        const backtest = new Map<number, Float64Array>();
        usable.forEach((t, i) => backtest.set(t, out[i + 1][horizon - 1]));
        return { quantiles: out[0].slice(0, horizon), backtest, scoreFrom };
      } finally {
        if (network !== base.model) network.dispose();
      }
    },
  };
}

/**
 * The cross-region transformer as a regional method (`method: "transformer-spatial"`): the bundled spatial
 * checkpoint (models/ili-spatial, transformer/spatial.ts) zero-shot, every region forecast together — each
 * region's quantiles read every region's rows up to the same origin, and the adjacency file's links when the
 * request gives one (correlation neighbours are not used as links: they are read off the same data). One pass
 * per origin for all regions; the forecast from asOf and each backtest origin are computed once and shared.
 * No look-ahead: the series are cut at asOf + 1, as above.
 */
export async function spatialRegionalForecaster(table: SeriesTable, asOf: number, horizon: number, edges: readonly RegionEdge[] | null) {
  const [{ initTf }, service, forecaster, spatial, graph] = await Promise.all([
    import("./transformer/backend.js"),
    import("./transformer/service.js"),
    import("./transformer/forecaster.js"),
    import("./transformer/spatial.js"),
    import("./region-graph.js"),
  ]);
  await initTf();
  const loaded = await service.loadBundled(service.SPATIAL_NAME);
  const config = loaded.manifest.config;
  if (!spatial.isSpatialModel(loaded.model)) throw new ForecastError("the bundled cross-region checkpoint is not a cross-region network.");
  if (horizon > config.horizon) throw new ForecastError(`horizon ${horizon} is beyond the transformer's ${config.horizon} weeks.`);
  const set = { series: forecaster.seriesFromTable(table, asOf + 1), adjacency: edges ? graph.adjacencyMatrix(edges, table.regions) : null, limit: asOf + 1 };
  const byOrigin = new Map<number, Float64Array[][]>();
  const ensure = (origins: readonly number[]) => {
    const missing = origins.filter((o) => !byOrigin.has(o));
    if (missing.length > 0) for (const [o, regions] of spatial.predictSpatialByOrigin(loaded.model, config, set, missing)) byOrigin.set(o, regions);
  };
  return {
    minimumWeeks: service.MIN_FORECAST_WEEKS,
    async region(r: number, origins: readonly number[]): Promise<TransformerRegionOutput> {
      const observed = service.observedCount(set.series[r].values, asOf + 1);
      if (observed < service.MIN_FORECAST_WEEKS) throw new ForecastError(`region "${table.regions[r]}" has ${observed} observed weeks up to asOf; the transformer needs at least ${service.MIN_FORECAST_WEEKS}.`);
      const usable = origins.filter((t) => service.observedCount(set.series[r].values, t + 1) >= service.MIN_FORECAST_WEEKS);
      ensure([asOf, ...usable]);
      const backtest = new Map<number, Float64Array>();
      for (const t of usable) backtest.set(t, byOrigin.get(t)![r][horizon - 1]);
      return { quantiles: byOrigin.get(asOf)![r].slice(0, horizon), backtest, scoreFrom: 0 };
    },
  };
}

