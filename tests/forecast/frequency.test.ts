/**
 * Frequency (src/forecast/frequency.ts) and the calendar features the transformer gets from it: year,week
 * tables are weekly; dated tables are weekly or daily by their steps (anything else is a DataError naming the
 * date that breaks the step, unless forced); a table without row times gets no phase features.
 */
import { describe, expect, it } from "vitest";
import { dateAhead, tableFrequency } from "../../src/forecast/frequency.js";
import { parseSeriesCsv, type SeriesTable } from "../../src/forecast/series-csv.js";
import { seriesFromTable } from "../../src/forecast/transformer/forecaster.js";
import { FEATURES, fillInput } from "../../src/forecast/transformer/windows.js";
import { DataError } from "../../src/forecast/errors.js";

function dated(step: number, rows: number, start = "2020-01-01"): SeriesTable {
  const t0 = Date.parse(start + "T00:00:00Z");
  const dates = Array.from({ length: rows }, (_, i) => new Date(t0 + i * step * 86_400_000).toISOString().slice(0, 10));
  return { file: "d.csv", regions: ["a"], rows, dates, values: [Float64Array.from({ length: rows }, (_, i) => 10 + i)] };
}

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error("expected a DataError");
}

describe("tableFrequency", () => {
  it("year,week → weekly; dates 7 days apart → weekly; 1 day apart → daily (with times of day too); no row times → null", () => {
    expect(tableFrequency(parseSeriesCsv("year,week,a\n2020,1,1\n2020,2,2\n", "w.csv"))).toBe("weekly");
    expect(tableFrequency(dated(7, 30))).toBe("weekly");
    expect(tableFrequency(dated(1, 30))).toBe("daily");
    expect(tableFrequency(parseSeriesCsv("date,a\n2002-01-01 00:00:00,1\n2002-01-08 00:00:00,2\n2002-01-15 00:00:00,3\n", "t.csv"))).toBe("weekly");
    expect(tableFrequency({ file: "x", regions: ["a"], rows: 3, values: [Float64Array.of(1, 2, 3)] })).toBeNull();
  });

  it("irregular dates are a DataError naming the date that breaks the step and how to force; forcing accepts them", () => {
    const gap = dated(7, 10);
    gap.dates!.splice(5, 1, "2020-02-06"); // row 5 one day early: 6 days after row 4, 8 before row 6
    expect(message(() => tableFrequency(gap))).toBe(
      "d.csv: the dates are neither weekly (7 days apart) nor daily (1 day apart) throughout: 2020-02-06 follows 2020-01-29 by 8 days, the rows before by 7; give one row per week or per day (an empty cell where a value is missing), or force the frequency (--frequency weekly|daily)",
    );
    expect(message(() => tableFrequency(dated(30, 5)))).toMatch(/2020-01-31 follows 2020-01-01 by 30 days; /);
    expect(tableFrequency(gap, "weekly")).toBe("weekly");
    expect(tableFrequency({ ...dated(30, 5), frequency: "daily" })).toBe("daily");
    expect(message(() => tableFrequency(parseSeriesCsv("year,week,a\n2020,1,1\n2020,2,2\n", "w.csv"), "daily"))).toMatch(/frequency daily does not fit a year,week table/);
    expect(message(() => tableFrequency(dated(1, 1)))).toMatch(/one dated row: the frequency cannot be read/);
  });

  it("dateAhead steps 7 days or 1 day a row", () => {
    expect(dateAhead("2020-02-26", 2, "weekly")).toBe("2020-03-11");
    expect(dateAhead("2020-02-28", 2, "daily")).toBe("2020-03-01");
  });
});

describe("calendar features from the frequency", () => {
  const input = (table: SeriesTable, origin: number, context: number) => {
    const x = new Float32Array(context * FEATURES);
    fillInput(seriesFromTable(table)[0], origin, context, x, 0);
    return Array.from({ length: context }, (_, i) => [x[i * FEATURES + 2], x[i * FEATURES + 3]]);
  };

  it("daily rows: the phase advances by a day a row (1/365.25), also before the series start; weekly by a week", () => {
    const daily = input(dated(1, 40), 5, 16); // rows −10 … 5
    const weekly = input(dated(7, 40), 5, 16);
    const angle = ([s, c]: number[]) => Math.atan2(s, c);
    const step = (rows: number[][], i: number) => ((angle(rows[i + 1]) - angle(rows[i]) + 3 * Math.PI) % (2 * Math.PI)) - Math.PI;
    for (let i = 0; i < 15; i++) {
      // float32 features: about 1e-7 absolute error on each of sin and cos, so 1e-6 on a step between angles.
      expect(step(daily, i)).toBeCloseTo((2 * Math.PI) / 365.25, 5);
      // Weekly dates: 7/365.25 of a year a row from the dates, 1/52 before the first row (MMWR-style extrapolation).
      expect(step(weekly, i)).toBeCloseTo((2 * Math.PI * (i < 10 ? 1 / 52 : 7 / 365.25)), 5);
    }
  });

  it("a table without row times gets no phase features (0, 0), not an invented calendar", () => {
    const bare: SeriesTable = { file: "x", regions: ["a"], rows: 30, values: [Float64Array.from({ length: 30 }, (_, i) => 5 + i)] };
    for (const [s, c] of input(bare, 20, 16)) expect([s, c]).toEqual([0, 0]);
    // With dates the same values get non-zero phase features (the test above could fail).
    expect(input(dated(7, 30), 20, 16).some(([s, c]) => s !== 0 || c !== 0)).toBe(true);
  });

  it("irregular dates reach the forecaster as a DataError (not silently read as weekly)", () => {
    const t = dated(1, 30);
    t.dates![10] = "2020-01-12";
    t.dates!.splice(11, 1, "2020-01-12T12:00"); // duplicate day: step 0
    expect(message(() => seriesFromTable(t))).toMatch(/neither weekly .* nor daily/);
  });
});
