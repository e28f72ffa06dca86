/**
 * The series reader and the bundled datasets. Malformed input is a DataError carrying the file and the
 * 1-based line; errors are matched on `name`, `file` and `line`, never on message text.
 */
import { describe, expect, it } from "vitest";
import { listDatasets, loadDataset, mmwrWeeksInYear, parseSeriesCsv } from "../../src/forecast/index.js";
import { CLIP_WARNINGS } from "../../src/forecast/series-csv.js";

/** Runs `fn`, expects a DataError, and returns it for property checks. */
function dataError(fn: () => unknown): { name: string; line: number | undefined; file: string | undefined } {
  try {
    fn();
  } catch (error) {
    const e = error as { name: string; line: number | undefined; file: string | undefined };
    expect(e.name).toBe("DataError");
    return e;
  }
  throw new Error("expected a DataError");
}

describe("parseSeriesCsv", () => {
  it("reads year,week files: regions, weeks, one Float64Array per region, NaN for an empty cell", () => {
    const t = parseSeriesCsv('\uFEFFyear,week,"Region 1",B\r\n2020,52,1,2\r\n2020,53,3,\r\n2021,1,5.5,6\r\n\r\n', "x.csv");
    expect(t.regions).toEqual(["Region 1", "B"]);
    expect(t.rows).toBe(3);
    expect(t.weeks).toEqual([
      { year: 2020, week: 52 },
      { year: 2020, week: 53 },
      { year: 2021, week: 1 },
    ]);
    expect(t.dates).toBeUndefined();
    expect(Array.from(t.values[0])).toEqual([1, 3, 5.5]);
    expect(t.values[1][1]).toBeNaN();
  });

  it("reads date files", () => {
    const t = parseSeriesCsv("date,ILITOTAL,% WEIGHTED ILI\n2002-01-01 00:00:00,2060,1.22\n2002-01-08 00:00:00,2267,1.33\n", "n.csv");
    expect(t.dates).toEqual(["2002-01-01 00:00:00", "2002-01-08 00:00:00"]);
    expect(t.weeks).toBeUndefined();
    expect(Array.from(t.values[1])).toEqual([1.22, 1.33]);
  });

  it("MMWR years have 52 or 53 weeks (53 in 2003, 2008, 2014, 2020)", () => {
    for (const y of [2003, 2008, 2014, 2020]) expect(mmwrWeeksInYear(y)).toBe(53);
    for (const y of [2002, 2015, 2016, 2017, 2019, 2021]) expect(mmwrWeeksInYear(y)).toBe(52);
  });

  const W = "year,week,A,B\n";
  it.each([
    ["an unknown header", "when,A\n2020-01-01,1\n", 1],
    ["no numeric columns", "year,week\n2020,1\n2020,2\n", 1],
    ["a duplicate region name", "year,week,A,A\n2020,1,1,2\n", 1],
    ["a ragged row", `${W}2020,1,1,2\n2020,2,3\n`, 3],
    ["a negative count", `${W}2020,1,1,2\n2020,2,3,-4\n`, 3],
    ["a non-numeric cell", `${W}2020,1,1,2\n2020,2,NA,4\n`, 3],
    ["a week that does not exist", `${W}2021,52,1,2\n2021,53,1,2\n`, 3],
    ["a duplicate week", `${W}2020,1,1,2\n\n2020,1,1,2\n`, 4],
    ["an out-of-order week", `${W}2020,5,1,2\n2020,4,1,2\n`, 3],
    ["a skipped week", `${W}2020,5,1,2\n2020,7,1,2\n`, 3],
    ["a year that is not a number", `${W}2020,5,1,2\ntwenty,6,1,2\n`, 3],
    ["a duplicate date", "date,A\n2020-01-01,1\n2020-01-01,2\n", 3],
    ["an out-of-order date", "date,A\n2020-01-08,1\n2020-01-01,2\n", 3],
    ["an invalid date", "date,A\n2020-01-01,1\n2020-02-30,2\n", 3],
  ])("%s is a DataError at its line", (_what, text, line) => {
    const e = dataError(() => parseSeriesCsv(text, "bad.csv"));
    expect(e.file).toBe("bad.csv");
    expect(e.line).toBe(line);
  });

  it("too few rows, an empty file or an all-empty column is a DataError naming the file", () => {
    expect(dataError(() => parseSeriesCsv(`${W}2020,1,1,2\n`, "one.csv")).file).toBe("one.csv");
    expect(dataError(() => parseSeriesCsv("\n\n", "empty.csv")).file).toBe("empty.csv");
    expect(dataError(() => parseSeriesCsv(`${W}2020,1,1,\n2020,2,3,\n`, "hole.csv")).file).toBe("hole.csv");
    expect(() => parseSeriesCsv(`${W}2020,1,1,2\n`, "one.csv", { minRows: 1 })).not.toThrow();
  });

  it('negative values: a DataError naming the option by default; negative "clip" sets them to 0 with one warning per region', () => {
    const text = `${W}2020,1,1,-2\n2020,2,-3,4\n2020,3,5,-0.5\n2020,4,6,-7\n`;
    expect(dataError(() => parseSeriesCsv(text, "neg.csv")).message).toMatch(/region "B": negative count -2; .*--negative clip/);
    const warnings: string[] = [];
    const t = parseSeriesCsv(text, "neg.csv", { negative: "clip", onWarning: (m) => warnings.push(m) });
    expect(Array.from(t.values[0])).toEqual([1, 0, 5, 6]);
    expect(Array.from(t.values[1])).toEqual([0, 4, 0, 0]);
    expect(warnings).toEqual([
      'neg.csv: region "A": 1 negative value clipped to 0 (first on line 3: -3)',
      'neg.csv: region "B": 3 negative values clipped to 0 (first on line 2: -2)',
    ]);
    // Past CLIP_WARNINGS regions, the rest share one line.
    const many = Array.from({ length: CLIP_WARNINGS + 3 }, (_, r) => `R${r}`);
    const rows = [`year,week,${many.join(",")}`, `2020,1,${many.map((_, r) => (r >= CLIP_WARNINGS + 1 ? -1 : 1)).join(",")}`, `2020,2,${many.map(() => -2).join(",")}`];
    const lines: string[] = [];
    parseSeriesCsv(rows.join("\n") + "\n", "many.csv", { negative: "clip", minRows: 1, onWarning: (m) => lines.push(m) });
    expect(lines).toHaveLength(CLIP_WARNINGS + 1);
    expect(lines[0]).toBe('many.csv: region "R0": 1 negative value clipped to 0 (first on line 3: -2)');
    expect(lines[CLIP_WARNINGS]).toBe(`many.csv: 3 more regions with negative values clipped to 0 (5 values; first region "R${CLIP_WARNINGS}", line 3)`);
    // Nothing to clip: no warning; an unknown policy is refused.
    const none: string[] = [];
    parseSeriesCsv(`${W}2020,1,1,2\n2020,2,3,4\n`, "ok.csv", { negative: "clip", onWarning: (m) => none.push(m) });
    expect(none).toEqual([]);
    expect(dataError(() => parseSeriesCsv(text, "neg.csv", { negative: "drop" as never })).message).toMatch(/negative: expected one of error, clip/);
  });
});

describe("parseSeriesCsv: a headerless matrix", () => {
  it("with headerless: one row per time step, one column per region named 1 … R, no row times; a bad cell is named by line and column", () => {
    const t = parseSeriesCsv("12,3.5,0\n14,,1\n\n15,4,2e1\n", "japan.txt", { headerless: true });
    expect(t.regions).toEqual(["1", "2", "3"]);
    expect(t.rows).toBe(3);
    expect(t.weeks).toBeUndefined();
    expect(t.dates).toBeUndefined();
    expect(Array.from(t.values[1])).toEqual([3.5, NaN, 4]);
    expect(Array.from(t.values[2])).toEqual([0, 1, 20]);
    expect(dataError(() => parseSeriesCsv("1,2\n3\n", "m.txt", { headerless: true })).message).toMatch(/ragged row: 1 fields, the first row has 2/);
    const bad = dataError(() => parseSeriesCsv("1,2\n3,x\n", "m.txt", { headerless: true }));
    expect(bad.message).toMatch(/region "2": "x" is not a number/);
    expect(bad.line).toBe(2);
    // A first line that is not all numbers is a header, and must be one of the two kinds.
    expect(dataError(() => parseSeriesCsv("1,2,a\n3,4,5\n", "m.txt", { headerless: true })).message).toMatch(/expected `year,week,<region…>`, `date,<region…>`, or no header: a matrix of numbers/);
    // Blank-separated (numpy's savetxt): the same table.
    const blank = parseSeriesCsv("12 3.5\t0\n14  1e0 1\n15 4 2e1\n", "japan.txt", { headerless: true });
    expect(blank.regions).toEqual(["1", "2", "3"]);
    expect(Array.from(blank.values[1])).toEqual([3.5, 1, 4]);
    // Without the option (the API), a matrix is refused as a missing header.
    expect(dataError(() => parseSeriesCsv("12,3.5,0\n14,,1\n", "m.txt")).message).toBe('m.txt:1: header starts with "12,3.5"; expected `year,week,<region…>` or `date,<region…>`');
  });
});

describe("bundled datasets", () => {
  it("lists the four datasets with regions, rows, span and provenance", () => {
    const list = listDatasets();
    const byId = Object.fromEntries(list.map((d) => [d.id, d]));
    expect(list.map((d) => d.id)).toEqual(["region785", "state360", "hhs-ilitotal", "national"]);
    expect(byId.region785).toMatchObject({ rows: 785, span: { start: "2002-W40", end: "2017-W41" } });
    expect(byId.region785.regions).toHaveLength(10);
    expect(byId.state360).toMatchObject({ rows: 360, span: { start: "2010-W40", end: "2017-W34" } });
    expect(byId.state360.regions).toHaveLength(49);
    expect(byId.state360.regions).not.toContain("Florida");
    expect(byId["hhs-ilitotal"]).toMatchObject({ rows: 1424, span: { start: "1997-W40", end: "2025-W02" } });
    expect(byId.national).toMatchObject({ rows: 966 });
    expect(byId.national.regions).toContain("ILITOTAL");
    for (const d of list) expect(d.provenance.length).toBeGreaterThan(20);
  });

  it("loads region785 as counts, complete, first row 2002-W40 = 119 205 128 …", () => {
    const d = loadDataset("region785");
    expect(d.regions[0]).toBe("Region 1");
    expect([d.values[0][0], d.values[1][0], d.values[2][0]]).toEqual([119, 205, 128]);
    expect(d.values.every((v) => v.length === 785 && v.every(Number.isFinite))).toBe(true);
  });

  it("returns fresh arrays on every call; an unknown id is a NotFoundError", () => {
    const a = loadDataset("state360");
    a.values[0][0] = -1;
    expect(loadDataset("state360").values[0][0]).toBe(249);
    expect(() => loadDataset("nope")).toThrow(expect.objectContaining({ name: "NotFoundError" }));
  });
});
