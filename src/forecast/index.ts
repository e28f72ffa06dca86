/**
 * The forecast module's data, protocol, metrics and baselines: what a learned forecaster is evaluated with.
 */
export { DataError, ForecastError } from "./errors.js";
export { parseSeriesCsv, mmwrWeeksInYear, formatWeek, nextWeek, loadDataset, listDatasets } from "./data.js";
export type { EpiWeek, SeriesTable, ParseSeriesOptions, Dataset, DatasetId, DatasetInfo } from "./data.js";
export { HUB_QUANTILE_LEVELS, intervalStructure, intervalFor, sortQuantiles, rearrangeQuantileRows, sampleQuantile } from "./quantiles.js";
export type { CentralInterval, IntervalStructure } from "./quantiles.js";
export {
  rmse,
  mae,
  pearson,
  pinballLoss,
  intervalScore,
  weightedIntervalScore,
  weightedIntervalScorePinball,
  meanWeightedIntervalScore,
  intervalCoverage,
  relativeWis,
} from "./metrics.js";
export {
  COLA_GNN_PROTOCOL,
  splitBoundaries,
  splitIndices,
  minMaxScaling,
  trainingPeriod,
  evaluatePointForecaster,
  evaluateQuantileForecaster,
} from "./protocol.js";
export type {
  Split,
  SplitBoundaries,
  MinMaxScaling,
  TrainingPeriod,
  ForecastInput,
  PointPredict,
  QuantilePredict,
  Forecaster,
  PointForecaster,
  QuantileForecaster,
  ProtocolOptions,
  PointEvaluation,
  QuantileEvaluation,
} from "./protocol.js";
export { SEASON_WEEKS, RIDGE_LAMBDA, persistence, seasonalNaive, fitRidge, ridgeForecaster, ridgeValidationCurve } from "./baselines.js";
export type { RidgeFit } from "./baselines.js";
export { DEFAULT_HUB_SAMPLES, hubBaselineQuantiles, hubBaselineForecaster } from "./hub-baseline.js";
export type { HubBaselineOptions } from "./hub-baseline.js";
export { evaluateBaselines } from "./evaluate.js";
export type { BaselineMethod, BaselineRow, BaselineTable, EvaluateBaselinesOptions } from "./evaluate.js";
export { DEFAULT_CLIMATE_MIX, generateCorpus, generateCorpusSeries, WEEKS_PER_YEAR } from "./corpus.js";
export type { Climate, ClimateMix, Corpus, CorpusOptions, CorpusSeries, CorpusSeriesMeta, CorpusSeriesOptions } from "./corpus.js";
export { generateDailyCorpus, generateDailySeries } from "./corpus-daily.js";
export type { DailySeries, DailySeriesMeta } from "./corpus-daily.js";
export { corpusNetwork, SERIES_PER_NETWORK } from "./corpus-networks.js";
export type { CorpusNetwork, NetworkSizeOptions } from "./corpus-networks.js";
export { weeklyIncidence, entryTimes, applyDelay, checkDelayKernel, meanDelay, reportingNoise, reportSeries } from "./reporting.js";
export type { WeeklyIncidenceOptions, ReportingModel, ReportingJump } from "./reporting.js";
export { negativeBinomial } from "./samplers.js";
export { sparkline, summarizeCorpus } from "./corpus-summary.js";
export type { CorpusSummary } from "./corpus-summary.js";
export { forecastRegions, regionalHubCsv, trendQuantiles, classifyTrend, flatBand, cdfFromQuantiles, trendValidation, DEFAULT_REGIONAL_HORIZON, TREND_WINDOW, TREND_DAMPING } from "./regional.js";
export type { RegionalForecast, RegionForecast, RegionalOptions, RegionalMethod, RegionBacktest, Trend } from "./regional.js";
export { correlationEdges, parseAdjacency, parseCoordinates, bundledCoordinates, CORRELATION_NEIGHBOURS } from "./region-graph.js";
export type { RegionEdge, RegionCoordinate } from "./region-graph.js";
