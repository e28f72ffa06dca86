/**
 * bench/corpus-priors.ts compares the corpus' priors with ILINet seasons before the benchmarks' test periods.
 * Its measurement must read nothing at or after the cut (the earliest first test row, 2013-W15): every such
 * row is poisoned (NaN, then 10⁹) and the measures must come out identical — while poisoning one week inside
 * the last measured season must change them, so the check can fail. The half-maximum width and the peak week
 * are checked on synthetic seasons whose answer is known exactly.
 */
import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/forecast/data.js";
import { COLA_GNN_PROTOCOL, splitBoundaries } from "../../src/forecast/protocol.js";
import type { SeriesTable } from "../../src/forecast/series-csv.js";
import { compareWeeks, halfMaxWidth, measureRegions, measureSeason, quantile, seasonsBefore, smooth3, summerDispersion } from "../../bench/corpus-priors-measure.js";

/** The cut of bench/corpus-priors.ts: the earlier first test row of the two benchmarks. */
function cutWeek() {
  const firsts = ["region785", "state360"].map((id) => {
    const t = loadDataset(id);
    return t.weeks![splitBoundaries(t.rows, COLA_GNN_PROTOCOL.window, Math.max(...COLA_GNN_PROTOCOL.horizons)).validEnd];
  });
  return firsts.reduce((a, b) => (compareWeeks(a, b) <= 0 ? a : b));
}

function poisonFrom(table: SeriesTable, row: number, value: number): SeriesTable {
  return { ...table, values: table.values.map((v) => v.map((x, t) => (t >= row ? value : x))) };
}

describe("corpus-priors measurement", () => {
  const cut = cutWeek();

  it("cuts at region785's first test row, 2013-W15", () => {
    expect(cut).toEqual({ year: 2013, week: 15 });
  });

  for (const id of ["region785", "state360"]) {
    it(`${id}: reads no row at or after the cut`, () => {
      const table = loadDataset(id);
      const cutRow = table.weeks!.findIndex((w) => compareWeeks(w, cut) >= 0);
      expect(cutRow).toBeGreaterThan(0);
      const clean = measureRegions(seasonsBefore(table, cut));
      expect(clean.seasons.length).toBeGreaterThan(0);
      for (const poison of [NaN, 1e9]) expect(measureRegions(seasonsBefore(poisonFrom(table, cutRow, poison), cut))).toEqual(clean);
      // Control: the last measured season (2011/12) does change the result when one of its weeks is poisoned.
      const lastSeasonWeek = table.weeks!.findIndex((w) => w.year === 2012 && w.week === 5);
      const touched = { ...table, values: table.values.map((v) => v.map((x, t) => (t === lastSeasonWeek ? 1e9 : x))) };
      expect(measureRegions(seasonsBefore(touched, cut))).not.toEqual(clean);
    });
  }

  it("refuses a table of dates with a DataError naming the file", () => {
    const table: SeriesTable = { file: "daily.csv", regions: ["a"], rows: 2, dates: ["2010-01-01", "2010-01-02"], values: [new Float64Array(2)] };
    expect(() => seasonsBefore(table, cut)).toThrow(expect.objectContaining({ name: "DataError" }));
  });

  it("measures only complete seasons, week 40 to week 39, before the cut", () => {
    const blocks = seasonsBefore(loadDataset("region785"), cut).flat();
    expect(new Set(blocks.map((b) => b.label))).toEqual(new Set(["2002/03", "2003/04", "2004/05", "2005/06", "2006/07", "2007/08", "2008/09", "2009/10", "2010/11", "2011/12"]));
    // 2003 and 2008 had 53 MMWR weeks: their seasons have 53 rows and start one week further before the new year.
    for (const b of blocks) expect(b.values.length + b.firstWeekOfYear).toBe(39);
  });
});

describe("season measures on synthetic seasons", () => {
  // A trapezoid on a floor of 100: up from week 15 to 20 (slope 200 a week), 1100 from week 20 to 24, down to
  // week 29. Half of the excess (500 above the floor) is crossed at 17.5 and 26.5: width 9 weeks exactly. The
  // 3-week mean leaves linear stretches unchanged, so the crossings (between weeks 17–18 and 26–27) stay put.
  const trapezoid = Float64Array.from({ length: 52 }, (_, t) => 100 + 1000 * Math.max(0, Math.min(1, (t - 15) / 5, (29 - t) / 5)));

  it("half-maximum width of a trapezoid is 9 weeks", () => {
    const s = smooth3(trapezoid);
    expect(halfMaxWidth(s, 100).width).toBeCloseTo(9, 12);
    expect(measureSeason({ region: "x", label: "x", order: 0, values: trapezoid, firstWeekOfYear: -13 }).width).toBeCloseTo(9, 12);
  });

  it("peak week of an asymmetric tent, on the calendar of the season", () => {
    // Apex 800 above a floor of 50 at index 20, rising 100 a week, falling 60. The 3-week mean keeps the apex
    // at index 20 as long as each slope is under twice the other (else it moves a week to the gentler side).
    // A season starting at MMWR week 40 of a 52-week year has week of the year −13 at index 0: week 7.
    const tent = Float64Array.from({ length: 52 }, (_, t) => 50 + Math.max(0, t <= 20 ? 800 - 100 * (20 - t) : 800 - 60 * (t - 20)));
    const m = measureSeason({ region: "x", label: "x", order: 0, values: tent, firstWeekOfYear: -13 });
    expect(m.peakWeek).toBe(7);
    expect(m.floor).toBe(50);
    expect(m.peak).toBeCloseTo(50 + (700 + 800 + 740) / 3, 12);
    expect(m.peakToFloor).toBeCloseTo(m.peak / 50, 12);
  });

  it("a season whose wave does not come down inside it is censored", () => {
    const rising = Float64Array.from({ length: 52 }, (_, t) => 100 + 10 * t);
    expect(halfMaxWidth(smooth3(rising), 100).width).toBeNull();
  });

  it("dispersion of noise-free summers is ∞ and of ±d alternation matches its formula", () => {
    expect(summerDispersion(new Float64Array(52).fill(400), -13)).toBe(Infinity);
    // x alternates μ ± a: d = ±2a exactly, mean(d²)/1.5 − μ = 4a²/1.5 − μ, k = μ² / that.
    const mu = 400;
    const a = 60;
    const alt = Float64Array.from({ length: 52 }, (_, t) => mu + (t % 2 ? a : -a));
    expect(summerDispersion(alt, -13)).toBeCloseTo((mu * mu) / ((4 * a * a) / 1.5 - mu), 6);
  });

  it("quantiles of a list holding ∞ stay ∞, not NaN", () => {
    expect(quantile([1, Infinity, Infinity], 0.9)).toBe(Infinity);
  });
});
