/**
 * The time step of a series, read from its row times: `year,week` tables are weekly; `date` tables are weekly
 * when every date follows the previous one by 7 days and daily when by 1 day. Anything else (gaps, months,
 * mixed steps) is a `DataError` naming the first date that breaks the step, unless the caller forces the
 * frequency (`--frequency`). A table without row times has no frequency and no calendar: the forecaster then
 * gets no phase-of-year features rather than invented ones.
 */
import { DataError } from "./errors.js";
import type { SeriesTable } from "./series-csv.js";

export type Frequency = "weekly" | "daily";
export const FREQUENCIES: readonly Frequency[] = ["weekly", "daily"];

/** Days between rows of each frequency. */
export const FREQUENCY_DAYS: Readonly<Record<Frequency, number>> = Object.freeze({ weekly: 7, daily: 1 });

/** What a row is, for messages: weeks, days, or rows for a table without row times. */
export type RowUnit = "weeks" | "days" | "rows";

/** What a row is, for messages: "weeks", "days", or "rows" for a table without row times. */
export function rowUnit(frequency: Frequency | null): RowUnit {
  return frequency === "daily" ? "days" : frequency === "weekly" ? "weeks" : "rows";
}

const DAY = 86_400_000;

/** The day (UTC ms at midnight) of a date cell as written (`YYYY-MM-DD`, optionally with a time). */
function dayOf(date: string): number {
  return Date.parse(date.slice(0, 10) + "T00:00:00Z");
}

/**
 * The frequency of `table`: `forced` when given (checked against the table's kind of times), else
 * `table.frequency` when set, else read from the row times; null for a table without row times.
 *
 * @throws DataError for dates that are neither 7 nor 1 day(s) apart throughout (naming the first date that
 * breaks the step and how to force it), for a single dated row, or for `daily` forced on a `year,week` table.
 */
export function tableFrequency(table: SeriesTable, forced?: Frequency): Frequency | null {
  const wanted = forced ?? table.frequency;
  if (wanted !== undefined && !FREQUENCIES.includes(wanted)) throw new DataError(`frequency: expected one of ${FREQUENCIES.join(", ")}, got "${String(wanted)}"`, { file: table.file });
  if (table.weeks) {
    if (wanted === "daily") throw new DataError("frequency daily does not fit a year,week table (one row per MMWR week); it is weekly", { file: table.file });
    return "weekly";
  }
  if (!table.dates) return wanted ?? null;
  if (wanted) return wanted;
  const dates = table.dates;
  if (dates.length < 2) throw new DataError(`one dated row: the frequency cannot be read from the dates; force it (--frequency weekly|daily)`, { file: table.file });
  const step = Math.round((dayOf(dates[1]) - dayOf(dates[0])) / DAY);
  const irregular = (what: string) =>
    new DataError(
      `the dates are neither weekly (7 days apart) nor daily (1 day apart) throughout: ${what}; give one row per week or per day (an empty cell where a value is missing), or force the frequency (--frequency weekly|daily)`,
      { file: table.file },
    );
  const frequency = FREQUENCIES.find((f) => FREQUENCY_DAYS[f] === step);
  if (frequency === undefined) throw irregular(`${dates[1]} follows ${dates[0]} by ${step} days`);
  for (let i = 2; i < dates.length; i++) {
    const gap = Math.round((dayOf(dates[i]) - dayOf(dates[i - 1])) / DAY);
    if (gap !== step) throw irregular(`${dates[i]} follows ${dates[i - 1]} by ${gap} days, the rows before by ${step}`);
  }
  return frequency;
}

/** The label of row `row + ahead` of a dated table: its date plus `ahead` rows of the frequency (YYYY-MM-DD). */
export function dateAhead(date: string, ahead: number, frequency: Frequency): string | null {
  const t = dayOf(date);
  return Number.isFinite(t) ? new Date(t + ahead * FREQUENCY_DAYS[frequency] * DAY).toISOString().slice(0, 10) : null;
}
