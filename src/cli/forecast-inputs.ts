/**
 * What the `spreadlab forecast …` commands (forecast.ts) read before they run: the TensorFlow.js backend, the
 * table behind `--data`, a row given as an index or a time label, and the pretrained and cross-region
 * checkpoints (bundled or given), with the hints a user needs when one is missing.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import { NotFoundError, SpreadlabError } from "../errors.js";
import { DataError } from "../forecast/errors.js";
import { formatWeek, loadDataset, nextWeek, parseSeriesCsv, type SeriesTable } from "../forecast/data.js";
import type { NegativePolicy } from "../forecast/series-csv.js";
import { dateAhead, tableFrequency, type Frequency } from "../forecast/frequency.js";
import type { LoadedCheckpoint } from "../forecast/transformer/checkpoint.js";

export const stderrLine = (line: string): void => void process.stderr.write(line + "\n");

/** Exit 2, not 1, for an unknown SPREADLAB_TF_BACKEND: it is the user's setting, not a runtime failure. */
export async function startTf(): Promise<void> {
  const { initTf, TF_BACKENDS } = await import("../forecast/transformer/backend.js");
  const forced = process.env.SPREADLAB_TF_BACKEND?.trim();
  if (forced && !(TF_BACKENDS as readonly string[]).includes(forced)) {
    throw new SpreadlabError(`SPREADLAB_TF_BACKEND=${forced}: expected one of ${TF_BACKENDS.join(", ")} (or unset: tfjs-node if installed, else wasm).`);
  }
  await initTf(stderrLine);
}

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
    if (!statSync(spec).isFile()) throw new DataError(`--data ${spec}: this is a folder; give a CSV file (year,week,<region…>, date,<region…>, or a matrix of numbers without a header) or a dataset id.`);
    const table = parseSeriesCsv(readFileSync(spec, "utf8"), spec, { negative, headerless: true, onWarning: (m) => stderrLine(`warning: ${m}`) });
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

/**
 * `--base DIR`, or the bundled pretrained checkpoint for the table's frequency (models/daily-pretrained for
 * daily rows, else models/ili-pretrained; said on stderr), with a hint when it is missing.
 */
export async function loadBase(dir: string | undefined, table?: SeriesTable): Promise<LoadedCheckpoint> {
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
export async function loadSpatial(
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
