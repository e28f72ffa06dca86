/**
 * `spreadlab forecast …`: the transformer forecaster (src/forecast/transformer). Thin, like the rest of the
 * CLI: it parses options, calls the library, and prints — progress lines on stderr, results on stdout.
 * Errors are thrown; `main` maps DataError, CheckpointError, ForecastError, NotFoundError and SpreadlabError
 * to exit code 2 (invalid input).
 *
 *   forecast pretrain [--frequency weekly|daily] [--series N] [--weeks W | --days D] [--epochs E] [--samples-per-epoch S] [--seed S] [--southern-share F] [--tropical-share F] [--out DIR]
 *   forecast finetune --data <csv|dataset> [--regions all|r1,r2] [--base DIR] [--out DIR] [--strategy S] [--epochs N] [--until ROW] [--seed S]
 *                     [--learning-rate R] [--full-learning-rate R] [--calibrate]   (also on evaluate)
 *   forecast predict [--method auto|transformer|transformer-scratch|transformer-zero-shot|hub-baseline|ensemble | --model DIR]
 *                    --data <csv|dataset> --region R [--as-of ROW|YYYY-Www] [--base DIR] [--strategy S] [--epochs N] [--seed S] [--json]
 *   forecast evaluate --data <csv|dataset> [--protocol colagnn] [--window P] [--horizons 2,3,5,10,15] [--base DIR] …
 *   finetune, predict, evaluate: [--negative error|clip] [--frequency weekly|daily]
 *
 * TensorFlow.js is imported inside the actions, so the other commands do not pay for loading it.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import type { Command } from "commander";
import { NotFoundError, SpreadlabError } from "../errors.js";
import { DataError } from "../forecast/errors.js";
import { formatWeek, loadDataset, nextWeek, parseSeriesCsv, type SeriesTable } from "../forecast/data.js";
import { NEGATIVE_POLICIES, type NegativePolicy } from "../forecast/series-csv.js";
import { FREQUENCIES, dateAhead, tableFrequency, type Frequency } from "../forecast/frequency.js";
import { COLA_GNN_PROTOCOL, requireComplete, splitBoundaries } from "../forecast/protocol.js";
import type { LoadedCheckpoint } from "../forecast/transformer/checkpoint.js";
import type { FinetuneStrategy, TrainReport } from "../forecast/transformer/train.js";
import type { SpatialTrainable } from "../forecast/transformer/spatial-fit.js";
import type { ClimateMix } from "../forecast/corpus.js";

const STRATEGIES: readonly FinetuneStrategy[] = ["head", "full", "both"];
/** `forecast predict --method`: auto, or one of the candidates `forecast evaluate` selects among (select.ts). */
const PREDICT_METHODS = ["auto", "transformer", "transformer-scratch", "transformer-zero-shot", "hub-baseline", "ensemble"] as const;
const PROTOCOLS = ["colagnn"] as const;
const PRETRAINED_OUT = "models/ili-pretrained";
const DAILY_OUT = "models/daily-pretrained";
const SPATIAL_OUT = "models/ili-spatial";
const SPATIAL_TRAINABLE: readonly SpatialTrainable[] = ["cross-region", "cross-region+head", "all"];

const stderrLine = (line: string): void => void process.stderr.write(line + "\n");

// ---------------------------------------------------------------------------------------------------------------
// Option parsers (each throws SpreadlabError: exit 2)

function parseIntAtLeast(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isSafeInteger(n) || n < min) throw new SpreadlabError(`--${name}: expected an integer ≥ ${min}, got "${value}".`);
    return n;
  };
}

function parsePositive(name: string) {
  return (value: string): number => {
    const x = Number(value);
    if (value.trim() === "" || !Number.isFinite(x) || x <= 0) throw new SpreadlabError(`--${name}: expected a positive number such as 2e-4, got "${value}".`);
    return x;
  };
}

/**
 * The options the user gave: commander hands an absent flag over as `undefined`, and `{ epochs: undefined }`
 * spread over defaults replaces the default with nothing (issue 11.6: `forecast finetune` without `--epochs`
 * trained zero epochs). Every command passes its options through this before they meet the library's defaults.
 */
export function givenOptions<O extends object>(options: O): { [K in keyof O]?: Exclude<O[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as { [K in keyof O]?: Exclude<O[K], undefined> };
}

/** The fine-tuning rates and calibration given on the command line (library defaults otherwise). */
function fitRates(o: RateCliOptions): RateCliOptions {
  return givenOptions({ learningRate: o.learningRate, fullLearningRate: o.fullLearningRate, calibrate: o.calibrate || undefined });
}

function parseStrategy(value: string): FinetuneStrategy {
  if (!(STRATEGIES as readonly string[]).includes(value)) {
    throw new SpreadlabError(`--strategy: expected one of ${STRATEGIES.join(", ")} (head: the quantile head only; full: every weight; both: head, then full), got "${value}".`);
  }
  return value as FinetuneStrategy;
}

function parsePredictMethod(value: string): string {
  if (!(PREDICT_METHODS as readonly string[]).includes(value)) throw new SpreadlabError(`--method: expected one of ${PREDICT_METHODS.join(", ")}, got "${value}".`);
  return value;
}

function parseProtocol(value: string): string {
  if (!(PROTOCOLS as readonly string[]).includes(value)) {
    throw new SpreadlabError(
      `--protocol: unknown protocol "${value}"; the only one is colagnn (Cola-GNN / EpiGNN: window 20, horizons 2,3,5,10,15, split 50/20/30% in time).`,
    );
  }
  return value;
}

function parseHorizons(value: string): number[] {
  const parts = value.split(",").map((s) => s.trim());
  const hs = parts.map(Number);
  if (parts.some((s) => s === "") || hs.some((h) => !Number.isSafeInteger(h) || h < 1)) {
    throw new SpreadlabError(`--horizons: expected a comma-separated list of integers ≥ 1 such as 2,3,5,10,15, got "${value}".`);
  }
  return [...new Set(hs)].sort((a, b) => a - b);
}

function parseNegative(value: string): NegativePolicy {
  if (!(NEGATIVE_POLICIES as readonly string[]).includes(value)) {
    throw new SpreadlabError(`--negative: expected error (refuse a negative value) or clip (set it to 0 with a warning), got "${value}".`);
  }
  return value as NegativePolicy;
}

function parseFrequency(value: string): Frequency {
  if (!(FREQUENCIES as readonly string[]).includes(value)) throw new SpreadlabError(`--frequency: expected weekly or daily, got "${value}".`);
  return value as Frequency;
}

const FREQUENCY_HELP = "time step of the rows: weekly or daily (default: read from the dates; year,week tables are weekly)";

const NEGATIVE_HELP = "negative values in a CSV: error (refuse, the default) or clip (to 0, with a warning per region on stderr)";

function parseRegions(value: string): "all" | string[] {
  if (value.trim() === "all") return "all";
  const names = value.split(",").map((s) => s.trim());
  if (names.some((s) => s === "")) throw new SpreadlabError(`--regions: expected "all" or comma-separated region names, got "${value}".`);
  return names;
}

/** Exit 2, not 1, for an unknown SPREADLAB_TF_BACKEND: it is the user's setting, not a runtime failure. */
async function startTf(): Promise<void> {
  const { initTf, TF_BACKENDS } = await import("../forecast/transformer/backend.js");
  const forced = process.env.SPREADLAB_TF_BACKEND?.trim();
  if (forced && !(TF_BACKENDS as readonly string[]).includes(forced)) {
    throw new SpreadlabError(`SPREADLAB_TF_BACKEND=${forced}: expected one of ${TF_BACKENDS.join(", ")} (or unset: tfjs-node if installed, else wasm).`);
  }
  await initTf(stderrLine);
}

// ---------------------------------------------------------------------------------------------------------------
// Data and checkpoints

/** A table from `--data`: a wide CSV file, or else a bundled dataset id. `name` labels outputs. */
export function readTable(spec: string, options: { negative?: NegativePolicy; frequency?: Frequency } = {}): { table: SeriesTable; name: string } {
  const read = readTableAs(spec, options.negative);
  // The frequency: forced, or read from the dates (a DataError here, before any model is loaded, when they are irregular).
  if (options.frequency !== undefined) read.table.frequency = options.frequency;
  tableFrequency(read.table);
  return read;
}

function readTableAs(spec: string, negative: NegativePolicy | undefined): { table: SeriesTable; name: string } {
  if (existsSync(spec)) {
    if (!statSync(spec).isFile()) throw new DataError(`--data ${spec}: this is a folder; give a CSV file (year,week,<region…> or date,<region…>) or a dataset id.`);
    const table = parseSeriesCsv(readFileSync(spec, "utf8"), spec, { negative, onWarning: (m) => stderrLine(`warning: ${m}`) });
    return { table, name: basename(spec, extname(spec)) };
  }
  if (/[\\/]|\.(csv|txt)$/i.test(spec)) throw new NotFoundError(`--data ${spec}: no such file.`);
  try {
    return { table: loadDataset(spec), name: spec };
  } catch (e) {
    if ((e as Error).name === "NotFoundError") throw new NotFoundError(`--data ${spec}: not a file, and ${(e as Error).message}`);
    throw e;
  }
}

/** A row index (`119`) or a time label of the table (`2017-W20` for weekly tables, `2019-05-01` for dated ones). */
export function resolveRow(table: SeriesTable, value: string, option: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const week = /^(\d{4})-?W(\d{1,2})$/i.exec(text);
  if (week) {
    if (!table.weeks) throw new DataError(`${option} ${text}: the table has no year,week columns; give a row index or a date`, { file: table.file });
    const [year, w] = [Number(week[1]), Number(week[2])];
    const i = table.weeks.findIndex((x) => x.year === year && x.week === w);
    if (i < 0) throw new DataError(`${option} ${text}: no such week in the table (${formatWeek(table.weeks[0])} … ${formatWeek(table.weeks[table.rows - 1])})`, { file: table.file });
    return i;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && table.dates) {
    const i = table.dates.findIndex((d) => d.slice(0, 10) === text);
    if (i < 0) throw new DataError(`${option} ${text}: no such date in the table (${table.dates[0]} … ${table.dates[table.rows - 1]})`, { file: table.file });
    return i;
  }
  throw new SpreadlabError(`${option}: expected a row index (0…${table.rows - 1}) or a week such as 2017-W20, got "${value}".`);
}

/** The label of row `row + ahead`: an MMWR week or a date (7 days or 1 day a row, by the table's frequency), or null for tables without times. */
export function rowLabel(table: SeriesTable, row: number, ahead = 0): string | null {
  if (table.weeks) {
    let w = table.weeks[row];
    for (let k = 0; k < ahead; k++) w = nextWeek(w);
    return formatWeek(w);
  }
  if (table.dates) return dateAhead(table.dates[row], ahead, tableFrequency(table) ?? "weekly");
  return null;
}

function parseShareOf(flag: string) {
  return (value: string): number => {
    const v = Number(value);
    if (value.trim() === "" || !(v >= 0 && v <= 1)) throw new SpreadlabError(`--${flag}: expected a number in [0, 1] such as 0.2, got "${value}".`);
    return v;
  };
}
const parseShare = parseShareOf("network-share");
/** `--southern-share` and `--tropical-share` (pretrain and pretrain-spatial): the corpus' ClimateMix. */
interface ClimateCliOptions {
  southernShare?: number;
  tropicalShare?: number;
}

function climateOptions(command: Command): Command {
  return command
    .option("--southern-share <f>", "share of the corpus with southern-hemisphere seasons (26 weeks later), in [0, 1]", parseShareOf("southern-share"))
    .option("--tropical-share <f>", "share of the corpus with tropical season timing (shifted 0–51 weeks), in [0, 1]", parseShareOf("tropical-share"));
}

/** The checked mix (defaults for the flags left out) and the flags that spell it out in a manifest's command. */
async function climateFromFlags(given: ClimateCliOptions): Promise<{ climate: ClimateMix; flags: string }> {
  const { DEFAULT_CLIMATE_MIX, checkClimateMix } = await import("../forecast/corpus.js");
  const climate = checkClimateMix(
    { southern: given.southernShare ?? DEFAULT_CLIMATE_MIX.southern, tropical: given.tropicalShare ?? DEFAULT_CLIMATE_MIX.tropical },
    "--southern-share and --tropical-share",
  );
  return { climate, flags: `--southern-share ${climate.southern} --tropical-share ${climate.tropical}` };
}

function parseSpatialTrainable(value: string): SpatialTrainable {
  if (!(SPATIAL_TRAINABLE as readonly string[]).includes(value)) {
    throw new SpreadlabError(`--trainable: expected one of ${SPATIAL_TRAINABLE.join(", ")} (cross-region: the univariate encoder and head stay frozen), got "${value}".`);
  }
  return value as SpatialTrainable;
}

/**
 * `--base DIR`, or the bundled pretrained checkpoint for the table's frequency (models/daily-pretrained for
 * daily rows, else models/ili-pretrained; said on stderr), with a hint when it is missing.
 */
async function loadBase(dir: string | undefined, table?: SeriesTable): Promise<LoadedCheckpoint> {
  const { loadCheckpoint, CheckpointError } = await import("../forecast/transformer/checkpoint.js");
  const { loadBundled, defaultCheckpointDir, pretrainedNameFor, DAILY_PRETRAINED_NAME } = await import("../forecast/transformer/service.js");
  if (dir !== undefined) return loadCheckpoint(dir);
  const frequency = table ? tableFrequency(table) : null;
  const name = pretrainedNameFor(frequency);
  if (frequency === "daily") {
    stderrLine(name === DAILY_PRETRAINED_NAME ? `daily rows: starting from the daily checkpoint ${defaultCheckpointDir(name)}` : `daily rows: no daily checkpoint at ${defaultCheckpointDir(DAILY_PRETRAINED_NAME)} (\`spreadlab forecast pretrain --frequency daily\`); starting from the weekly ${defaultCheckpointDir(name)}`);
  }
  try {
    return await loadBundled(name);
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    throw new CheckpointError(`${e.message} The pretrained checkpoint belongs at ${defaultCheckpointDir(name)}: run \`spreadlab forecast pretrain${name === DAILY_PRETRAINED_NAME ? " --frequency daily" : ""}\`, or pass --base <checkpoint folder>.`);
  }
}

/**
 * The cross-region checkpoint (`--spatial-model DIR` or the bundled models/ili-spatial) and the adjacency of the
 * table's regions from `--adjacency FILE` (null without one). A spatial checkpoint must hold the cross-region
 * network (three inputs) with the base's config. The bundled one is used only with the base it was pretrained
 * from (its manifest's `base`): with another `--base` the cross-region candidate is skipped, with a line on
 * stderr saying why (undefined is returned).
 */
async function loadSpatial(
  dir: string | undefined,
  adjacencyFile: string | undefined,
  table: SeriesTable,
  base: LoadedCheckpoint["manifest"],
): Promise<{ model: import("../forecast/transformer/backend.js").tf.LayersModel; adjacency: Float64Array | null } | undefined> {
  const { loadCheckpoint, CheckpointError } = await import("../forecast/transformer/checkpoint.js");
  const { defaultCheckpointDir, loadBundled, SPATIAL_NAME } = await import("../forecast/transformer/service.js");
  const { isSpatialModel } = await import("../forecast/transformer/spatial.js");
  let adjacency: Float64Array | null = null;
  if (adjacencyFile !== undefined) {
    const { parseAdjacency, adjacencyMatrix } = await import("../forecast/region-graph.js");
    let text: string;
    try {
      text = readFileSync(adjacencyFile, "utf8");
    } catch {
      throw new NotFoundError(`--adjacency: cannot read ${adjacencyFile}.`);
    }
    adjacency = adjacencyMatrix(parseAdjacency(text, table.regions, adjacencyFile), table.regions);
  }
  const folder = dir ?? defaultCheckpointDir(SPATIAL_NAME);
  let loaded: LoadedCheckpoint;
  try {
    loaded = dir !== undefined ? await loadCheckpoint(dir) : await loadBundled(SPATIAL_NAME);
  } catch (e) {
    if (!(e instanceof CheckpointError) || dir !== undefined) throw e;
    throw new CheckpointError(`${e.message} The cross-region checkpoint belongs at ${folder}: run \`spreadlab forecast pretrain-spatial\`, pass --spatial-model <folder>, or --no-spatial.`);
  }
  if (dir === undefined && loaded.manifest.base?.weightsSha256 !== base.weightsSha256) {
    stderrLine(`cross-region transformer skipped: ${folder} was pretrained from another base checkpoint than the one these rows start from (${base.frequency === "daily" ? "the daily checkpoint: the cross-region network is weekly" : "--base"}; pass --spatial-model, or make one with \`spreadlab forecast pretrain-spatial --base …\`)`);
    return undefined;
  }
  if (!isSpatialModel(loaded.model)) throw new CheckpointError(`${folder}: not a cross-region checkpoint (kind "${loaded.manifest.kind}"); make one with \`spreadlab forecast pretrain-spatial\`.`);
  const differs = (["context", "patch", "horizon", "dModel", "heads", "layers", "ffn", "headHidden", "levels"] as const).filter((k) => JSON.stringify(loaded.manifest.config[k]) !== JSON.stringify(base.config[k]));
  if (differs.length > 0) throw new CheckpointError(`${folder}: its network differs from the base checkpoint's in ${differs.join(", ")}; pretrain it from that base (\`spreadlab forecast pretrain-spatial --base …\`).`);
  return { model: loaded.model, adjacency };
}

// ---------------------------------------------------------------------------------------------------------------
// Printing

function reportLine(r: TrainReport): string {
  const best = r.bestEpoch >= 0 ? r.bestEpoch : r.trainLoss.length - 1;
  const validation = r.validationLoss[best];
  return `  ${r.phase}: ${r.epochs} epoch${r.epochs === 1 ? "" : "s"}, best ${best + 1}: loss ${r.trainLoss[best]?.toFixed(4)}${validation !== undefined ? `, validation ${validation.toFixed(4)}` : ""} (${r.samples} samples, ${(r.elapsedMs / 1000).toFixed(1)} s)`;
}

/** Decimals for numbers of this size: 0 for thousands, up to 3 for percentages below 10. */
function decimalsFor(values: readonly number[]): number {
  const top = Math.max(0, ...values.map(Math.abs));
  return top >= 1000 ? 0 : top >= 100 ? 1 : top >= 10 ? 2 : 3;
}

export interface PredictionJson {
  region: string;
  /** The method served ("model" for a --model checkpoint) and, for auto, the selection behind it. */
  method?: string;
  selection?: unknown;
  asOf: { index: number; label: string | null };
  levels: number[];
  horizons: number[];
  quantiles: number[][];
  median: number[];
}

/** The aligned text table of a prediction: per horizon the target time, median, 50% and 95% intervals. */
export function formatPrediction(p: PredictionJson, table: SeriesTable, model: string): string {
  const at = (level: number) => p.levels.findIndex((l) => Math.abs(l - level) < 1e-9);
  const [q25, q75, q025, q975] = [at(0.25), at(0.75), at(0.025), at(0.975)];
  const d = decimalsFor(p.quantiles.flat());
  const f = (x: number) => x.toFixed(d);
  const rows = p.horizons.map((h, i) => {
    const q = p.quantiles[i];
    return [String(h), rowLabel(table, p.asOf.index, h) ?? `row ${p.asOf.index + h}`, f(p.median[i]), `${f(q[q25])} – ${f(q[q75])}`, `${f(q[q025])} – ${f(q[q975])}`];
  });
  const header = ["h", table.weeks ? "week" : table.dates ? "date" : "row", "median", "50% interval", "95% interval"];
  const widths = header.map((hd, c) => Math.max(hd.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const last = table.values[table.regions.indexOf(p.region)][p.asOf.index];
  return [
    `${p.region}: forecast from row ${p.asOf.index}${p.asOf.label ? ` (${p.asOf.label})` : ""}, last value ${f(last)}; model ${model}`,
    line(header),
    ...rows.map(line),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

interface PretrainCliOptions {
  frequency: Frequency;
  series: number;
  weeks: number;
  days: number;
  epochs: number;
  samplesPerEpoch: number;
  seed: number;
  out: string;
}

/** --learning-rate, --full-learning-rate, --calibrate (finetune and evaluate). */
interface RateCliOptions {
  learningRate?: number;
  fullLearningRate?: number;
  calibrate?: boolean;
}

interface FinetuneCliOptions extends RateCliOptions {
  data: string;
  negative?: NegativePolicy;
  frequency?: Frequency;
  regions: "all" | string[];
  base?: string;
  out?: string;
  strategy: FinetuneStrategy;
  epochs?: number;
  until?: number;
  seed: number;
}

interface PredictCliOptions {
  model?: string;
  method?: string;
  base?: string;
  strategy?: FinetuneStrategy;
  epochs?: number;
  seed?: number;
  data: string;
  negative?: NegativePolicy;
  frequency?: Frequency;
  region: string;
  asOf?: string;
  json?: boolean;
}

interface EvaluateCliOptions extends RateCliOptions {
  data: string;
  negative?: NegativePolicy;
  frequency?: Frequency;
  protocol: string;
  window: number;
  horizons: number[];
  base?: string;
  strategy: FinetuneStrategy;
  epochs?: number;
  transfer: boolean;
  hubSamples?: number;
  seed: number;
  json?: boolean;
  /** false with --no-spatial. */
  spatial: boolean;
  spatialModel?: string;
  adjacency?: string;
}

/** Add `forecast pretrain|finetune|predict|evaluate` to `program` (subcommands inherit exitOverride). */
export function registerForecastCommands(program: Command): void {
  const forecast = program.command("forecast").description("pretrain, fine-tune, run and evaluate the transformer forecaster of weekly or daily incidence");

  const pretrainCommand = forecast
    .command("pretrain")
    .description("pretrain the transformer on a synthetic corpus of simulated epidemics and save a checkpoint")
    .option("--frequency <f>", "weekly: the ILI-like weekly corpus (default); daily: the daily case-count corpus, for daily tables", parseFrequency)
    .option("--series <n>", "corpus series", parseIntAtLeast("series", 2))
    .option("--weeks <w>", "weeks per corpus series (weekly)", parseIntAtLeast("weeks", 16))
    .option("--days <d>", "days per corpus series (daily)", parseIntAtLeast("days", 112))
    .option("--epochs <e>", "maximum epochs (early stopping on held-out series)", parseIntAtLeast("epochs", 1))
    .option("--samples-per-epoch <s>", "training windows per epoch", parseIntAtLeast("samples-per-epoch", 1))
    .option("--seed <s>", "seed of the corpus, the initial weights and the shuffling", parseIntAtLeast("seed", 0));
  climateOptions(pretrainCommand)
    .option("--out <dir>", `checkpoint folder (replaced atomically; default ${PRETRAINED_OUT}, or ${DAILY_OUT} with --frequency daily)`)
    .action(async ({ southernShare, tropicalShare, ...partial }: Partial<PretrainCliOptions> & ClimateCliOptions) => {
      await startTf();
      const { pretrain, savePretrained, PRETRAIN_DEFAULTS } = await import("../forecast/transformer/pretrain.js");
      const { climate, flags } = await climateFromFlags({ southernShare, tropicalShare });
      const d = PRETRAIN_DEFAULTS;
      const frequency = partial.frequency ?? "weekly";
      const daily = frequency === "daily";
      if (daily && partial.weeks !== undefined) throw new SpreadlabError("--weeks: the daily corpus' length is given in days (--days).");
      if (!daily && partial.days !== undefined) throw new SpreadlabError("--days: only for the daily corpus (--frequency daily); the weekly corpus takes --weeks.");
      const o: PretrainCliOptions = {
        series: d.series,
        weeks: d.weeks,
        days: d.days,
        epochs: d.epochs,
        samplesPerEpoch: d.samplesPerEpoch,
        seed: d.seed,
        ...givenOptions(partial),
        frequency,
        out: partial.out ?? (daily ? DAILY_OUT : PRETRAINED_OUT),
      };
      // Every setting spelled out, so the manifest's command reproduces the checkpoint whatever the defaults become.
      const length = daily ? `--frequency daily --days ${o.days}` : `--weeks ${o.weeks}`;
      const command = `spreadlab forecast pretrain --series ${o.series} ${length} --epochs ${o.epochs} --samples-per-epoch ${o.samplesPerEpoch} --seed ${o.seed} ${flags} --out ${o.out}`;
      const result = await pretrain({ frequency, series: o.series, weeks: o.weeks, days: o.days, epochs: o.epochs, samplesPerEpoch: o.samplesPerEpoch, seed: o.seed, climate, log: stderrLine });
      const manifest = await savePretrained(result, o.out, { command });
      result.model.dispose();
      process.stdout.write(
        [
          `pretrained on ${result.corpus.trainSeries} synthetic series × ${daily ? `${o.days} days` : `${o.weeks} weeks`} (${result.corpus.validationSeries} held out), seed ${o.seed}, backend ${manifest.backend}`,
          reportLine(result.report),
          `${o.out}: ${manifest.parameters} parameters, weights sha256 ${manifest.weightsSha256.slice(0, 12)}…`,
        ].join("\n") + "\n",
      );
    });

  const spatialCommand = forecast
    .command("pretrain-spatial")
    .description("pretrain the cross-region transformer on simulated metapopulation epidemics, starting from the univariate checkpoint")
    .option("--base <dir>", "univariate checkpoint whose encoder and head it starts from (default: the bundled models/ili-pretrained)")
    .option("--sets <n>", "region sets in the spatial corpus", parseIntAtLeast("sets", 2))
    .option("--weeks <w>", "weeks per set", parseIntAtLeast("weeks", 16))
    .option("--epochs <e>", "maximum epochs (early stopping on held-out sets)", parseIntAtLeast("epochs", 1))
    .option("--snapshots-per-epoch <s>", "snapshots (all regions of a set at one origin) per epoch", parseIntAtLeast("snapshots-per-epoch", 1))
    .option("--seed <s>", "seed of the corpus, the new layers' initial weights and the shuffling", parseIntAtLeast("seed", 0))
    .option("--trainable <w>", "which weights learn: all (the default), cross-region (the univariate encoder and head frozen) or cross-region+head", parseSpatialTrainable)
    .option("--network-share <f>", "share of the sets simulated as network epidemics (block networks) rather than metapopulations, in [0, 1]", parseShare);
  climateOptions(spatialCommand)
    .option("--out <dir>", "checkpoint folder (replaced atomically)", SPATIAL_OUT)
    .action(async (partial: { base?: string; sets?: number; weeks?: number; epochs?: number; snapshotsPerEpoch?: number; seed?: number; trainable?: SpatialTrainable; networkShare?: number; out: string } & ClimateCliOptions) => {
      await startTf();
      const base = await loadBase(partial.base);
      const { pretrainSpatial, saveSpatialPretrained, SPATIAL_PRETRAIN_DEFAULTS: d } = await import("../forecast/transformer/spatial-fit.js");
      const { climate, flags } = await climateFromFlags(partial);
      const o = {
        sets: d.sets,
        weeks: d.weeks,
        epochs: d.epochs,
        snapshotsPerEpoch: d.snapshotsPerEpoch,
        seed: d.seed,
        trainable: d.trainable,
        networkShare: d.networkShare,
        ...givenOptions({ sets: partial.sets, weeks: partial.weeks, epochs: partial.epochs, snapshotsPerEpoch: partial.snapshotsPerEpoch, seed: partial.seed, trainable: partial.trainable, networkShare: partial.networkShare }),
      };
      const command = `spreadlab forecast pretrain-spatial${partial.base ? ` --base ${partial.base}` : ""} --sets ${o.sets} --weeks ${o.weeks} --epochs ${o.epochs} --snapshots-per-epoch ${o.snapshotsPerEpoch} --seed ${o.seed} --trainable ${o.trainable} --network-share ${o.networkShare} ${flags} --out ${partial.out}`;
      const result = await pretrainSpatial(base.model, base.manifest.config, { ...o, climate, log: stderrLine });
      const manifest = await saveSpatialPretrained(result, partial.out, { command, base: base.manifest });
      result.model.dispose();
      process.stdout.write(
        [
          `cross-region pretraining on ${result.corpus.trainSets} simulated region sets (${result.corpus.regions} regions in all, ${result.corpus.validationSets} sets held out) × ${o.weeks} weeks, seed ${o.seed}, backend ${manifest.backend}`,
          reportLine(result.report),
          `  held-out corpus loss of the starting (univariate) weights: ${result.report.initialValidationLoss?.toFixed(4) ?? "–"}`,
          `${partial.out}: ${manifest.parameters} parameters, weights sha256 ${manifest.weightsSha256.slice(0, 12)}…`,
        ].join("\n") + "\n",
      );
    });

  forecast
    .command("finetune")
    .description("fine-tune a pretrained checkpoint on the regions of a weekly series and save the result")
    .requiredOption("--data <csv|dataset>", "a wide CSV (year,week,<region…> or date,<region…>) or a bundled dataset id (region785, state360, …)")
    .option("--negative <mode>", NEGATIVE_HELP, parseNegative)
    .option("--frequency <f>", FREQUENCY_HELP, parseFrequency)
    .option("--regions <list>", 'regions to train on: "all" or comma-separated names', parseRegions, "all" as const)
    .option("--base <dir>", "checkpoint to start from (default: the bundled models/ili-pretrained)")
    .option("--out <dir>", "checkpoint folder to write (default: out/forecaster-<data name>)")
    .option("--strategy <s>", "what learns: head, full or both (head, then full)", parseStrategy, "both" as FinetuneStrategy)
    .option("--epochs <n>", "maximum epochs per phase (early stopping on the last 20% of the rows)", parseIntAtLeast("epochs", 1))
    .option("--until <row>", "train on rows before this row index only (default: all rows)", parseIntAtLeast("until", 1))
    .option("--learning-rate <r>", "learning rate of the head phase (default 2e-4)", parsePositive("learning-rate"))
    .option("--full-learning-rate <r>", "learning rate of the all-weights phase (default 5e-5)", parsePositive("full-learning-rate"))
    .option("--calibrate", "apply the interval spread calibrated on the early-stopping weeks (default: measured and reported only)")
    .option("--seed <s>", "seed of the shuffling", parseIntAtLeast("seed", 0), 0)
    .action(async (o: FinetuneCliOptions) => {
      const { table, name } = readTable(o.data, { negative: o.negative, frequency: o.frequency });
      await startTf();
      const base = await loadBase(o.base, table);
      const { finetuneOnTable, saveFinetuned } = await import("../forecast/transformer/service.js");
      const out = o.out ?? `out/forecaster-${name.replace(/[^\w.-]/g, "_")}`;
      const tuned = await finetuneOnTable(base, table, {
        ...givenOptions({ regions: o.regions, strategy: o.strategy, until: o.until, seed: o.seed, epochs: o.epochs }),
        ...fitRates(o),
        source: o.data,
        onEpoch: (e) => stderrLine(`${e.phase} epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, validation ${e.validationLoss?.toFixed(4) ?? "–"}${e.best ? " *" : ""}`),
      });
      const manifest = await saveFinetuned(tuned, base, out, o.data, { seed: o.seed });
      tuned.model.dispose();
      process.stdout.write(
        [
          `fine-tuned ${base.dir} on ${name}: ${tuned.regions.length} region${tuned.regions.length === 1 ? "" : "s"} (${tuned.regions.slice(0, 10).join(", ")}${tuned.regions.length > 10 ? ", …" : ""}), rows [0, ${tuned.rows}), strategy ${tuned.strategy}`,
          ...tuned.reports.map(reportLine),
          `${out}: ${manifest.parameters} parameters, weights sha256 ${manifest.weightsSha256.slice(0, 12)}…`,
        ].join("\n") + "\n",
      );
    });

  forecast
    .command("predict")
    .description("quantile forecasts of one region, horizons 1 … H: the method chosen on validation rows up to the origin (default), a named method, or a checkpoint")
    .option("--method <m>", `what forecasts: ${PREDICT_METHODS.join(", ")} (default auto: the lowest mean validation WIS on the region's rows up to --as-of, as evaluate selects)`, parsePredictMethod)
    .option("--model <dir>", "forecast with this checkpoint folder as is (model.json, weights.bin, manifest.json) instead of a method")
    .requiredOption("--data <csv|dataset>", "a wide CSV or a bundled dataset id")
    .requiredOption("--region <name>", "the region (column) to forecast")
    .option("--negative <mode>", NEGATIVE_HELP, parseNegative)
    .option("--frequency <f>", FREQUENCY_HELP, parseFrequency)
    .option("--as-of <row|week>", "forecast origin: a row index or a week such as 2017-W20 (default: the last row)")
    .option("--base <dir>", "pretrained checkpoint the methods start from (default: the bundled models/ili-pretrained)")
    .option("--strategy <s>", "fine-tuning strategy of the methods: head, full or both", parseStrategy)
    .option("--epochs <n>", "maximum epochs per training phase of the methods", parseIntAtLeast("epochs", 1))
    .option("--seed <s>", "seed of the training and of the hub baseline", parseIntAtLeast("seed", 0))
    .option("--json", "print { region, asOf, levels, horizons, quantiles, median, method, selection } as JSON")
    .action(async (o: PredictCliOptions) => {
      if (o.model !== undefined && o.method !== undefined) throw new SpreadlabError("--model and --method: give one (--model forecasts with a checkpoint as is; --method fits and serves a method).");
      const { table } = readTable(o.data, { negative: o.negative, frequency: o.frequency });
      const asOf = o.asOf === undefined ? table.rows - 1 : resolveRow(table, o.asOf, "--as-of");
      await startTf();
      let rows: Float64Array[];
      let levels: readonly number[];
      let described: string;
      let served: Pick<PredictionJson, "method" | "selection">;
      if (o.model !== undefined) {
        const { loadCheckpoint } = await import("../forecast/transformer/checkpoint.js");
        const { forecastRegion } = await import("../forecast/transformer/service.js");
        const { model, manifest, dir } = await loadCheckpoint(o.model);
        rows = forecastRegion(model, manifest.config, table, o.region, asOf);
        model.dispose();
        levels = manifest.config.levels;
        described = `${dir} (${manifest.kind})`;
        served = { method: "model" };
      } else {
        const base = await loadBase(o.base, table);
        const { resolveRegions } = await import("../forecast/transformer/service.js");
        const { serveAtOrigin } = await import("../forecast/transformer/select.js");
        const [region] = resolveRegions(table, [o.region]);
        const method = (o.method ?? "auto") as Parameters<typeof serveAtOrigin>[4];
        const result = await serveAtOrigin(base, table, region, asOf, method, {
          ...givenOptions({ strategy: o.strategy, seed: o.seed }),
          fit: givenOptions({ epochs: o.epochs }),
          log: stderrLine,
        });
        rows = result.rows;
        levels = base.manifest.config.levels;
        if (result.selection) {
          stderrLine(`selected ${result.selection.method}: ${result.selection.reason}${result.selection.cached ? " (cached)" : ""}`);
          stderrLine(`intervals recalibrated on the same validation rows: spread per horizon ${result.selection.spreads.map((c) => c.toFixed(2)).join(" / ")} (1 = unchanged)`);
        }
        described = `${result.method}${result.selection ? " (auto: chosen on validation rows)" : ""}, from ${base.dir}`;
        served = { method: result.method, ...(result.selection ? { selection: result.selection } : {}) };
      }
      const median = levels.findIndex((l) => Math.abs(l - 0.5) < 1e-9);
      const prediction: PredictionJson = {
        region: o.region,
        asOf: { index: asOf, label: rowLabel(table, asOf) },
        levels: [...levels],
        horizons: rows.map((_, i) => i + 1),
        quantiles: rows.map((q) => Array.from(q)),
        median: rows.map((q) => q[median]),
        ...served,
      };
      process.stdout.write((o.json ? JSON.stringify(prediction) : formatPrediction(prediction, table, described)) + "\n");
    });

  forecast
    .command("evaluate")
    .description("score the transformer (fine-tuned, from scratch, zero-shot) and the baselines under the Cola-GNN protocol")
    .requiredOption("--data <csv|dataset>", "a wide CSV (complete series) or a bundled dataset id")
    .option("--negative <mode>", NEGATIVE_HELP, parseNegative)
    .option("--frequency <f>", FREQUENCY_HELP, parseFrequency)
    .option("--protocol <name>", "evaluation protocol: colagnn", parseProtocol, "colagnn")
    .option("--window <p>", "the protocol's input window P", parseIntAtLeast("window", 1), COLA_GNN_PROTOCOL.window)
    .option("--horizons <list>", "horizons in weeks, at most the model's", parseHorizons, [...COLA_GNN_PROTOCOL.horizons])
    .option("--base <dir>", "pretrained checkpoint (default: the bundled models/ili-pretrained)")
    .option("--strategy <s>", "fine-tuning strategy: head, full or both", parseStrategy, "both" as FinetuneStrategy)
    .option("--epochs <n>", "maximum epochs per training phase", parseIntAtLeast("epochs", 1))
    .option("--learning-rate <r>", "learning rate of the head phase (default 2e-4)", parsePositive("learning-rate"))
    .option("--full-learning-rate <r>", "learning rate of the all-weights phase (default 5e-5)", parsePositive("full-learning-rate"))
    .option("--calibrate", "apply the interval spread calibrated on the early-stopping weeks (default: measured and reported only)")
    .option("--no-transfer", "skip the transfer experiment (training histories cut to 104 weeks)")
    .option("--hub-samples <n>", "Monte Carlo samples per hub-baseline forecast (default 1000)", parseIntAtLeast("hub-samples", 1))
    .option("--seed <s>", "seed of the training and of the hub baseline", parseIntAtLeast("seed", 0), 0)
    .option("--spatial-model <dir>", "cross-region checkpoint (default: the bundled models/ili-spatial)")
    .option("--adjacency <file>", "region adjacency for the cross-region transformer: a square matrix in the columns' order, or an edge list source,target[,weight]")
    .option("--no-spatial", "skip the cross-region transformer (forecasting all regions together)")
    .option("--json", "print the evaluation as JSON: { dataset, protocol, horizons, methods: { <name>: { rmse, mae, pcc, wis, coverage50, coverage95 } }, … }")
    .action(async (o: EvaluateCliOptions) => {
      const { table, name } = readTable(o.data, { negative: o.negative, frequency: o.frequency });
      // The checks that need no model, before loading one: complete series, long enough for the split.
      requireComplete(table);
      splitBoundaries(table.rows, o.window, Math.max(...o.horizons), table.file);
      await startTf();
      const base = await loadBase(o.base, table);
      const config = base.manifest.config;
      const beyond = o.horizons.filter((h) => h > config.horizon);
      if (beyond.length > 0) {
        throw new SpreadlabError(`--horizons: ${beyond.join(", ")} ${beyond.length === 1 ? "is" : "are"} beyond the model's ${config.horizon} weeks; choose horizons 1…${config.horizon}.`);
      }
      const spatial = o.spatial && table.regions.length >= 2 ? await loadSpatial(o.spatialModel, o.adjacency, table, base.manifest) : undefined;
      const { evaluateTransformer, formatEvaluation } = await import("../forecast/transformer/evaluate.js");
      const evaluation = await evaluateTransformer(table, name, {
        ...(spatial ? { spatial } : {}),
        pretrained: base.model,
        config,
        horizons: o.horizons,
        window: o.window,
        strategy: o.strategy,
        fit: { ...givenOptions({ epochs: o.epochs }), ...fitRates(o) },
        transfer: o.transfer,
        seed: o.seed,
        ...givenOptions({ hubSamples: o.hubSamples }),
        log: stderrLine,
      });
      process.stdout.write((o.json ? JSON.stringify(evaluation, null, 2) : formatEvaluation(evaluation)) + "\n");
    });
}
