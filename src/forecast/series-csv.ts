/**
 * Reader for wide incidence CSVs: header `year,week,<region…>` (one row per MMWR epidemiological week, in
 * time order, no week skipped) or `date,<region…>` (strictly increasing ISO dates), one column per region,
 * an empty cell for a value that was not reported. Every problem is a `DataError` naming the file and line.
 *
 * MMWR weeks (CDC, "MMWR Week Fact Sheet"): weeks run Sunday–Saturday; week 1 is the first week of the year
 * with at least four days in January, so a year has 52 or 53 weeks.
 */
import { DataError } from "./errors.js";

/** An MMWR epidemiological week. */
export interface EpiWeek {
  year: number;
  week: number;
}

/** A parsed wide series: one `Float64Array` of length `rows` per region, NaN where a cell was empty. */
export interface SeriesTable {
  /** File name used in messages. */
  file: string;
  regions: string[];
  /** Number of time rows. */
  rows: number;
  /** Row times for `year,week` files (else undefined). */
  weeks?: EpiWeek[];
  /** Row times for `date` files, as written (else undefined). */
  dates?: string[];
  /** values[r][t]: region r at row t, in the file's units; NaN for a missing value. */
  values: Float64Array[];
  /** The time step when forced (`--frequency`); read from the row times otherwise (frequency.ts `tableFrequency`). */
  frequency?: "weekly" | "daily";
}

/** Regions named one by one in the warnings of `negative: "clip"`; the others share one line. */
export const CLIP_WARNINGS = 10;

/** What to do with a negative value (a downward correction in real surveillance data): refuse it, or clip it to 0. */
export type NegativePolicy = "error" | "clip";
export const NEGATIVE_POLICIES: readonly NegativePolicy[] = ["error", "clip"];

export interface ParseSeriesOptions {
  /** Fewest data rows accepted (default 2). */
  minRows?: number;
  /**
   * Negative values: "error" (default: a DataError naming the line — data are not changed behind the user's back)
   * or "clip" (set to 0, with one warning per region through `onWarning`).
   */
  negative?: NegativePolicy;
  /** Receives the warnings (clipped values); default: none are reported. */
  onWarning?: (message: string) => void;
  /**
   * Accept a headerless matrix of numbers (default false): one row per time step, one column per region, named
   * 1 … R, no row times — the Cola-GNN / EpiGNN benchmark's .txt files. The CLI accepts them; the API, whose
   * results are labelled by week or date, does not.
   */
  headerless?: boolean;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** Start (UTC ms) of MMWR week 1 of `year`: the Sunday of the first week with ≥ 4 days in January. */
function mmwrYearStart(year: number): number {
  const jan1 = Date.UTC(year, 0, 1);
  const dow = new Date(jan1).getUTCDay(); // 0 = Sunday
  const day = 86_400_000;
  return dow <= 3 ? jan1 - dow * day : jan1 + (7 - dow) * day;
}

/** Number of MMWR weeks (52 or 53) in `year`. */
export function mmwrWeeksInYear(year: number): number {
  return Math.round((mmwrYearStart(year + 1) - mmwrYearStart(year)) / (7 * 86_400_000));
}

/** Formats a week as `2017-W41`. */
export function formatWeek(w: EpiWeek): string {
  return `${w.year}-W${String(w.week).padStart(2, "0")}`;
}

/** The week after `w`. */
export function nextWeek(w: EpiWeek): EpiWeek {
  return w.week < mmwrWeeksInYear(w.year) ? { year: w.year, week: w.week + 1 } : { year: w.year + 1, week: 1 };
}

/** Splits one CSV line; double-quoted fields may hold commas and doubled quotes (no embedded newlines). */
function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",").map((f) => f.trim());
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field.trim());
      field = "";
    } else field += c;
  }
  fields.push(field.trim());
  return fields;
}

function parseInteger(cell: string, what: string, file: string, line: number): number {
  if (!/^\d+$/.test(cell)) throw new DataError(`${what} "${cell}" is not a whole number`, { file, line });
  return Number(cell);
}

/**
 * Parses a wide series CSV: `year,week,<region…>`, `date,<region…>`, or (with `headerless`) a matrix of numbers
 * without a header (one row per time step, one column per region, named 1 … R; no row times). `file` names the
 * source in error messages.
 *
 * @throws DataError for: a header that is none of these; no region columns (or a column
 * without a single value); fewer than `minRows` rows; a ragged row; a cell that is not a number (leave it
 * empty when missing); a negative value (unless `negative: "clip"`); an invalid, duplicate, out-of-order or skipped week; an invalid,
 * duplicate or out-of-order date.
 */
export function parseSeriesCsv(text: string, file: string, options: ParseSeriesOptions = {}): SeriesTable {
  const minRows = options.minRows ?? 2;
  const negative = options.negative ?? "error";
  if (!NEGATIVE_POLICIES.includes(negative)) throw new DataError(`negative: expected one of ${NEGATIVE_POLICIES.join(", ")}, got "${String(negative)}"`, { file });
  /** Per region: clipped cells, and the first one's line and value. */
  const clipped = new Map<number, { count: number; line: number; cell: string }>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let headerLine = lines.findIndex((l) => l.trim() !== "");
  if (headerLine < 0) throw new DataError("the file is empty; expected a header `year,week,<region…>` or `date,<region…>`", { file });
  // A headerless matrix of numbers (one row per time step, one column per region: the Cola-GNN / EpiGNN
  // benchmark's .txt files) has no row times: its regions are named by column number, 1 … R, and it gets no
  // calendar features. A header's first cell is "year" or "date", never a number, so the two cannot be confused.
  // Its cells are comma-separated, or separated by spaces or tabs when its first line has no comma (numpy's
  // `savetxt` default).
  const numbers = (cells: string[]) => cells.every((cell) => cell === "" || NUMBER.test(cell)) && cells.some((cell) => cell !== "");
  const blankSeparated = options.headerless === true && !lines[headerLine].includes(",") && numbers(lines[headerLine].trim().split(/\s+/));
  const split = blankSeparated ? (line: string) => line.trim().split(/\s+/) : splitCsvLine;
  const header = split(lines[headerLine]);
  const headerless = options.headerless === true && numbers(header);
  if (!headerless) headerLine += 1; // 1-based from here on; a headerless file's first row is data
  const first = header[0].toLowerCase();
  const weekly = !headerless && first === "year" && header[1]?.toLowerCase() === "week";
  if (!headerless && !weekly && first !== "date") {
    throw new DataError(
      `header starts with "${header.slice(0, 2).join(",")}"; expected \`year,week,<region…>\`${options.headerless ? ", \`date,<region…>\`, or no header: a matrix of numbers, one row per time step and one column per region" : " or \`date,<region…>\`"}`,
      { file, line: headerLine },
    );
  }
  const timeColumns = headerless ? 0 : weekly ? 2 : 1;
  const regions = headerless ? header.map((_, i) => String(i + 1)) : header.slice(timeColumns);
  if (regions.length === 0) {
    throw new DataError(`no numeric columns: the header has only ${header.join(",")}; add one column per region`, { file, line: headerLine });
  }
  const seen = new Map<string, number>();
  regions.forEach((name, i) => {
    if (name === "") throw new DataError(`column ${i + timeColumns + 1} has an empty name; name every region column`, { file, line: headerLine });
    if (seen.has(name)) throw new DataError(`region column "${name}" appears twice; region names must be unique`, { file, line: headerLine });
    seen.set(name, i);
  });

  const columns: number[][] = regions.map(() => []);
  const weeks: EpiWeek[] = [];
  const dates: string[] = [];
  const rowLine: number[] = [];
  let previousTime = -Infinity;
  for (let i = headerLine; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const line = i + 1;
    const fields = split(lines[i]);
    if (fields.length !== header.length) {
      throw new DataError(`ragged row: ${fields.length} fields, the ${headerless ? "first row" : "header"} has ${header.length}; every row needs a cell per column (empty when missing)`, {
        file,
        line,
      });
    }
    if (weekly) {
      const w = { year: parseInteger(fields[0], "year", file, line), week: parseInteger(fields[1], "week", file, line) };
      if (w.week < 1 || w.week > mmwrWeeksInYear(w.year)) {
        throw new DataError(`week ${w.week} does not exist in MMWR year ${w.year} (1–${mmwrWeeksInYear(w.year)})`, { file, line });
      }
      const prev = weeks[weeks.length - 1];
      if (prev) {
        const key = w.year * 100 + w.week;
        const prevKey = prev.year * 100 + prev.week;
        const where = `line ${rowLine[rowLine.length - 1]}`;
        if (key === prevKey) throw new DataError(`duplicate week ${formatWeek(w)} (also on ${where}); keep one row per week`, { file, line });
        if (key < prevKey) throw new DataError(`week ${formatWeek(w)} is out of order: it follows ${formatWeek(prev)} (${where}); sort the rows by time`, { file, line });
        const expected = nextWeek(prev);
        if (expected.year !== w.year || expected.week !== w.week) {
          throw new DataError(`week ${formatWeek(w)} follows ${formatWeek(prev)}: ${formatWeek(expected)} is missing; add its row with empty cells`, { file, line });
        }
      }
      weeks.push(w);
    } else if (!headerless) {
      const m = DATE.exec(fields[0]);
      const t = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : NaN;
      if (!m || !Number.isFinite(t) || new Date(t).getUTCDate() !== Number(m[3])) {
        throw new DataError(`date "${fields[0]}" is not a valid ISO date (YYYY-MM-DD, optionally with a time)`, { file, line });
      }
      const time = Date.parse(m[4] ? `${m[1]}-${m[2]}-${m[3]}T${m[4].slice(1)}Z` : `${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
      if (time === previousTime) throw new DataError(`duplicate date ${fields[0]} (also on line ${rowLine[rowLine.length - 1]})`, { file, line });
      if (time < previousTime) throw new DataError(`date ${fields[0]} is out of order: it follows ${dates[dates.length - 1]}; sort the rows by time`, { file, line });
      previousTime = time;
      dates.push(fields[0]);
    }
    for (let r = 0; r < regions.length; r++) {
      const cell = fields[r + timeColumns];
      let v = NaN;
      if (cell !== "") {
        if (!NUMBER.test(cell)) {
          throw new DataError(`region "${regions[r]}": "${cell}" is not a number; write a decimal number, or leave the cell empty when missing`, {
            file,
            line,
          });
        }
        v = Number(cell);
        if (v < 0) {
          if (negative === "error") {
            throw new DataError(`region "${regions[r]}": negative count ${cell}; counts and rates are ≥ 0 (to clip negative corrections to 0 instead, use negative "clip", CLI --negative clip)`, { file, line });
          }
          const c = clipped.get(r);
          if (c) c.count++;
          else clipped.set(r, { count: 1, line, cell });
          v = 0;
        }
      }
      columns[r].push(v);
    }
    rowLine.push(line);
  }
  if (rowLine.length < minRows) {
    throw new DataError(`too few rows: ${rowLine.length} data row(s), at least ${minRows} needed`, { file });
  }
  columns.forEach((c, r) => {
    if (c.every((v) => Number.isNaN(v))) throw new DataError(`region column "${regions[r]}" has no values (every cell is empty)`, { file });
  });
  // One warning per region, for the first CLIP_WARNINGS regions; then one line for the rest (a table of
  // thousands of regions does not print thousands of lines).
  const byRegion = [...clipped].sort((a, b) => a[0] - b[0]);
  for (const [r, c] of byRegion.slice(0, CLIP_WARNINGS)) {
    options.onWarning?.(`${file}: region "${regions[r]}": ${c.count} negative value${c.count === 1 ? "" : "s"} clipped to 0 (first on line ${c.line}: ${c.cell})`);
  }
  const rest = byRegion.slice(CLIP_WARNINGS);
  if (rest.length > 0) {
    const values = rest.reduce((n, [, c]) => n + c.count, 0);
    options.onWarning?.(`${file}: ${rest.length} more region${rest.length === 1 ? "" : "s"} with negative values clipped to 0 (${values} value${values === 1 ? "" : "s"}; first region "${regions[rest[0][0]]}", line ${rest[0][1].line})`);
  }
  const table: SeriesTable = { file, regions, rows: rowLine.length, values: columns.map((c) => Float64Array.from(c)) };
  if (weekly) table.weeks = weeks;
  else if (!headerless) table.dates = dates;
  return table;
}
