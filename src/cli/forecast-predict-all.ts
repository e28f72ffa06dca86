/**
 * `spreadlab forecast predict --region all`: every region of the table from one origin. The method is chosen
 * once for the table, on its validation rows up to the origin, among `forecast evaluate`'s candidates — the
 * cross-region network's included (serve-table.ts); `--model DIR` forecasts each region with that checkpoint
 * as is. Prints one block per region (the single-region table), or with `--json` one object with every region.
 */
import { availableParallelism } from "node:os";
import { SpreadlabError } from "../errors.js";
import type { SeriesTable } from "../forecast/series-csv.js";
import type { FinetuneStrategy } from "../forecast/transformer/train.js";
import { givenOptions } from "./forecast-options.js";
import { loadBase, loadSpatial, rowLabel, stderrLine } from "./forecast-inputs.js";
import { formatHubCsv, formatPrediction, type PredictionJson } from "./forecast-print.js";

/** predict's options that --region all reads (forecast.ts adds the table's). */
export interface PredictAllOptions {
  model?: string;
  method?: string;
  base?: string;
  strategy?: FinetuneStrategy;
  epochs?: number;
  seed?: number;
  threads?: number;
  spatialModel?: string;
  adjacency?: string;
  /** false with --no-spatial. */
  spatial?: boolean;
  json?: boolean;
  hubCsv?: boolean;
}

/** What `--region all --json` prints. */
export interface TablePredictionJson {
  asOf: { index: number; label: string | null };
  levels: number[];
  horizons: number[];
  /** The method served ("model" for a --model checkpoint) and, for auto or ensemble, the selection behind it. */
  method: string;
  selection?: unknown;
  regions: { region: string; quantiles: number[][]; median: number[] }[];
}

/** The options of a served method that the command line gives (auto's or a named one's; one thread per core by default). */
export function servingOptions(o: PredictAllOptions) {
  return { ...givenOptions({ strategy: o.strategy, seed: o.seed }), fit: givenOptions({ epochs: o.epochs }), threads: o.threads ?? availableParallelism(), log: stderrLine };
}

/** The stderr line on auto's recalibrated intervals. */
export function spreadsLine(spreads: readonly number[]): string {
  return `intervals recalibrated on the same validation rows: spread per horizon ${spreads.map((c) => c.toFixed(2)).join(" / ")} (1 = unchanged)`;
}

/** `--model DIR`: the checkpoint as is, each of `regions` forecast from row asOf; rows[r][h − 1]. */
export async function checkpointForecasts(dir: string, table: SeriesTable, regions: readonly string[], asOf: number): Promise<{ rows: Float64Array[][]; levels: readonly number[]; described: string }> {
  const { loadCheckpoint } = await import("../forecast/transformer/checkpoint.js");
  const { forecastRegion } = await import("../forecast/transformer/service.js");
  const loaded = await loadCheckpoint(dir);
  try {
    const rows = regions.map((region) => forecastRegion(loaded.model, loaded.manifest.config, table, region, asOf));
    return { rows, levels: loaded.manifest.config.levels, described: `${loaded.dir} (${loaded.manifest.kind})` };
  } finally {
    loaded.model.dispose();
  }
}

/** Forecasts every region of `table` from row `asOf` and writes the result to stdout (TensorFlow.js started). */
export async function predictAllRegions(o: PredictAllOptions, table: SeriesTable, asOf: number): Promise<void> {
  let rows: Float64Array[][];
  let levels: readonly number[];
  let described: string;
  let served: Pick<TablePredictionJson, "method" | "selection">;
  if (o.model !== undefined) {
    ({ rows, levels, described } = await checkpointForecasts(o.model, table, table.regions, asOf));
    served = { method: "model" };
  } else {
    const { serveTableAtOrigin } = await import("../forecast/transformer/serve-table.js");
    const base = await loadBase(o.base, table);
    const method = (o.method ?? "auto") as Parameters<typeof serveTableAtOrigin>[3];
    const wantsSpatial = o.spatial !== false && table.regions.length >= 2 && (method === "auto" || method === "ensemble" || method.startsWith("transformer-spatial"));
    if (o.spatial === false && method.startsWith("transformer-spatial")) throw new SpreadlabError(`--method ${method} needs the cross-region network: drop --no-spatial.`);
    const spatial = wantsSpatial ? await loadSpatial(o.spatialModel, o.adjacency, table, base.manifest) : undefined;
    const result = await serveTableAtOrigin(base, table, asOf, method, {
      ...(spatial ? { spatial } : {}),
      ...servingOptions(o),
    });
    rows = result.rows;
    levels = base.manifest.config.levels;
    if (result.selection && method === "auto") {
      stderrLine(`selected ${result.selection.method} for all ${table.regions.length} regions: ${result.selection.reason}`);
      stderrLine(spreadsLine(result.selection.spreads));
    }
    described = `${result.method}${method === "auto" ? " (auto: chosen on the table's validation rows)" : ""}, from ${base.dir}`;
    served = { method: result.method, ...(result.selection ? { selection: result.selection } : {}) };
  }
  const median = levels.findIndex((l) => Math.abs(l - 0.5) < 1e-9);
  const asOfJson = { index: asOf, label: rowLabel(table, asOf) };
  const horizons = rows[0].map((_, i) => i + 1);
  const perRegion = table.regions.map((region, r) => ({ region, quantiles: rows[r].map((q) => Array.from(q)), median: rows[r].map((q) => q[median]) }));
  if (o.hubCsv) {
    process.stdout.write(formatHubCsv(table, asOf, levels, perRegion));
    return;
  }
  if (o.json) {
    const out: TablePredictionJson = { asOf: asOfJson, levels: [...levels], horizons, ...served, regions: perRegion };
    process.stdout.write(JSON.stringify(out) + "\n");
    return;
  }
  const blocks = perRegion.map((p) => formatPrediction({ ...p, asOf: asOfJson, levels: [...levels], horizons } satisfies PredictionJson, table, described));
  process.stdout.write(blocks.join("\n\n") + "\n");
}
