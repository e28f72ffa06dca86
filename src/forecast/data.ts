/**
 * The bundled incidence series (`data/` at the repository root, provenance in `data/README.md`) and the
 * reader for user series. `listDatasets()` is what `GET /v1/datasets` will serve.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NotFoundError } from "../errors.js";
import { formatWeek, parseSeriesCsv, type SeriesTable } from "./series-csv.js";

export { parseSeriesCsv, mmwrWeeksInYear, formatWeek, nextWeek } from "./series-csv.js";
export type { EpiWeek, SeriesTable, ParseSeriesOptions } from "./series-csv.js";

/** A bundled dataset: a parsed series plus its catalogue id. */
export interface Dataset extends SeriesTable {
  id: DatasetId;
}

export type DatasetId = "region785" | "state360" | "hhs-ilitotal" | "national";

/** One catalogue entry, as listed by `listDatasets()`. */
export interface DatasetInfo {
  id: DatasetId;
  description: string;
  /** What the numbers are. */
  units: string;
  /** Path under `data/`. */
  file: string;
  regions: string[];
  rows: number;
  /** First and last row time: `2002-W40` for weekly files, the date as written otherwise. */
  span: { start: string; end: string };
  provenance: string;
}

interface CatalogEntry {
  id: DatasetId;
  file: string;
  description: string;
  units: string;
  provenance: string;
}

const CATALOG: readonly CatalogEntry[] = [
  {
    id: "region785",
    file: "us-hhs-ili/region785.csv",
    description: "Weekly ILI visits in the 10 US HHS regions, 2002-W40 to 2017-W41: the US-Regions benchmark of Cola-GNN and EpiGNN.",
    units: "ILI visit counts (ILITOTAL)",
    provenance:
      "CDC ILINet, as the Cola-GNN benchmark (Deng et al., CIKM 2020; EpiGNN, Xie et al. 2022): repository amy-deng/colagnn, data/region785.txt, with labels added; 7,845 of 7,850 cells equal today's ILINet (5 later revisions).",
  },
  {
    id: "state360",
    file: "us-states-ili/state360.csv",
    description: "Weekly ILI visits in 49 US states (all but Florida), 2010-W40 to 2017-W34: the US-States benchmark of Cola-GNN and EpiGNN.",
    units: "ILI visit counts (ILITOTAL)",
    provenance: "CDC ILINet, as the Cola-GNN / EpiGNN benchmark: repository amy-deng/colagnn, data/state360.txt (100% equal to ILINet).",
  },
  {
    id: "hhs-ilitotal",
    file: "us-hhs-ili/hhs_ilitotal_1997w40_2025w02.csv",
    description: "Weekly ILI visits in the 10 US HHS regions, 1997-W40 to 2025-W02.",
    units: "ILI visit counts (ILITOTAL)",
    provenance: "CDC ILINet export (repository alireza-jafari/ILI-Influenza-Dataset).",
  },
  {
    id: "national",
    file: "us-national-ili/national_illness.csv",
    description:
      "US national ILINet, 7 variables (% weighted ILI, % unweighted ILI, visits age 0-4 and 5-24, ILITOTAL, providers, patients), 2002-W40 to 2020; the date column is synthetic (+7 days a row).",
    units: "mixed: percentages and counts, one variable per column",
    provenance: "CDC ILINet; the long-horizon ILI benchmark of Autoformer / PatchTST / TimesNet (national_illness.csv).",
  },
];

/** The `data/` folder: beside `src/` when run from sources, three levels up from `dist/src/forecast/`. */
function defaultDataDir(): string {
  for (const rel of ["../../data/", "../../../data/"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, CATALOG[0].file))) return dir;
  }
  throw new NotFoundError("the bundled data folder (data/ at the Spreadlab root) was not found; pass { dataDir } to loadDataset.");
}

const cache = new Map<string, SeriesTable>();

function readTable(entry: CatalogEntry, dataDir: string | undefined): SeriesTable {
  const path = join(dataDir ?? defaultDataDir(), entry.file);
  let table = cache.get(path);
  if (!table) {
    table = parseSeriesCsvFile(path, entry.file);
    cache.set(path, table);
  }
  return table;
}

function parseSeriesCsvFile(path: string, name: string): SeriesTable {
  if (!existsSync(path)) throw new NotFoundError(`dataset file ${path} does not exist; is data/ copied next to src/?`);
  return parseSeriesCsv(readFileSync(path, "utf8"), name);
}

function findEntry(id: string): CatalogEntry {
  const entry = CATALOG.find((e) => e.id === id);
  if (!entry) throw new NotFoundError(`unknown dataset "${id}"; choices are: ${CATALOG.map((e) => e.id).join(", ")}.`);
  return entry;
}

/**
 * Loads a bundled dataset. Each call returns fresh arrays (the parsed file is cached, the values copied),
 * so callers may modify what they get.
 *
 * @throws NotFoundError for an unknown id or a missing data folder.
 */
export function loadDataset(id: DatasetId | string, options: { dataDir?: string } = {}): Dataset {
  const entry = findEntry(id);
  const t = readTable(entry, options.dataDir);
  const copy: Dataset = { id: entry.id, file: t.file, regions: [...t.regions], rows: t.rows, values: t.values.map((v) => v.slice()) };
  if (t.weeks) copy.weeks = t.weeks.map((w) => ({ ...w }));
  if (t.dates) copy.dates = [...t.dates];
  return copy;
}

/** The bundled datasets with their regions, size, time span and provenance. */
export function listDatasets(options: { dataDir?: string } = {}): DatasetInfo[] {
  return CATALOG.map((entry) => {
    const t = readTable(entry, options.dataDir);
    const span = t.weeks
      ? { start: formatWeek(t.weeks[0]), end: formatWeek(t.weeks[t.rows - 1]) }
      : { start: t.dates![0], end: t.dates![t.rows - 1] };
    return {
      id: entry.id,
      description: entry.description,
      units: entry.units,
      file: entry.file,
      regions: [...t.regions],
      rows: t.rows,
      span,
      provenance: entry.provenance,
    };
  });
}
