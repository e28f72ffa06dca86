/**
 * Regional forecasts: the trend classes on series built to rise, fall or stay level (bounds derived in each
 * test, not tuned), no look-ahead (rows after asOf poisoned), the hub CSV, the flat band and the quantile CDF,
 * the region graph (adjacency files, correlation neighbours) and the bundled coordinates.
 */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/random.js";
import { HUB_QUANTILE_LEVELS, loadDataset } from "../../src/forecast/index.js";
import type { SeriesTable } from "../../src/forecast/series-csv.js";
import { cdfFromQuantiles, classifyTrend, flatBand, forecastRegions, logSlope, regionalHubCsv, TREND_DAMPING, TREND_WINDOW, trendValidation } from "../../src/forecast/regional.js";
import { bundledCoordinates, correlationEdges, parseAdjacency, parseCoordinates } from "../../src/forecast/region-graph.js";

const NOISE_WEEKS = 100;
const LAST_WEEKS = 10;

/**
 * Three regions, 110 weekly rows: 100 weeks of 1000·(1 + 0.05u), u uniform on [−1, 1] (seed 7), then
 * "up" grows ×1.2 a week, "down" shrinks ×0.8 a week, and "level" stays at exactly 1000 for its last weeks.
 * Bounds that hold for any noise: a 4-week change inside the noise phase is at most 1.05/0.95 − 1 < 0.106,
 * and at most 2·10 of the ~106 changes per region involve the last weeks, so the 1/3-quantile flat band
 * is < 0.106. The trend's 4-week median change (W = 4, φ = 0.8: 0.8 + 0.64 + 0.512 + 0.4096 = 2.3616 damped
 * weeks) is exp(2.3616·log 1.2) − 1 ≈ +0.54 for "up" and exp(2.3616·log 0.8) − 1 ≈ −0.41 for "down"
 * (log(1 + y) is within 0.1% of log y at y ≥ 1000), both far outside the band; "level" has slope 0.
 */
function table(): SeriesTable {
  const rng = createRandom(7);
  const rows = NOISE_WEEKS + LAST_WEEKS;
  const make = (kind: "up" | "down" | "level") => {
    const v = new Float64Array(rows);
    for (let t = 0; t < NOISE_WEEKS; t++) v[t] = 1000 * (1 + 0.05 * (2 * rng.next() - 1));
    for (let t = NOISE_WEEKS; t < rows; t++) v[t] = kind === "up" ? v[t - 1] * 1.2 : kind === "down" ? v[t - 1] * 0.8 : 1000;
    return v;
  };
  return { file: "synthetic.csv", regions: ["up", "down", "level"], rows, values: [make("up"), make("down"), make("level")], dates: Array.from({ length: rows }, (_, t) => new Date(Date.UTC(2020, 0, 5 + 7 * t)).toISOString().slice(0, 10)) };
}

describe("trend classes", () => {
  it("a rising series reads rising, a falling one falling, a level one flat (trend method, the default)", async () => {
    const result = await forecastRegions(table(), { samples: 400, backtestOrigins: 0 });
    const by = Object.fromEntries(result.regions.map((r) => [r.region, r]));
    expect(result.method).toBe("trend");
    for (const r of result.regions) expect(r.band).toBeLessThan(0.106);
    expect(by.up.trend).toBe("rising");
    expect(by.up.change).toBeCloseTo(Math.exp(2.3616 * Math.log(1.2)) - 1, 2);
    expect(by.down.trend).toBe("falling");
    expect(by.down.change).toBeCloseTo(Math.exp(2.3616 * Math.log(0.8)) - 1, 2);
    expect(by.level.trend).toBe("flat");
    expect(by.level.change).toBeCloseTo(0, 9);
    // The median is above (below) the rising (falling) threshold, so more than half the mass is beyond it.
    expect(by.up.pRising).toBeGreaterThan(0.5);
    expect(by.down.pFalling).toBeGreaterThan(0.5);
    expect(by.down.pRising).toBeLessThan(0.5);
    // Level: the median sits at the value, below the threshold y(1 + β) with β > 0.
    expect(by.level.pRising).toBeLessThan(0.5);
    expect(by.up.pRising).toBeGreaterThan(by.level.pRising);
    expect(by.level.pRising).toBeGreaterThan(by.down.pRising);
  });

  it("the hub baseline's median never moves: every region reads flat with it (why the trend is the default)", async () => {
    const result = await forecastRegions(table(), { method: "baseline", samples: 400, backtestOrigins: 0 });
    for (const r of result.regions) {
      expect(r.trend).toBe("flat");
      expect(r.median[r.median.length - 1]).toBe(r.last);
    }
  });

  it("quantiles are sorted, non-negative, one row of 23 per horizon, the same for the same seed and not for another", async () => {
    const a = await forecastRegions(table(), { samples: 200, seed: 3, backtestOrigins: 0, horizon: 3 });
    const b = await forecastRegions(table(), { samples: 200, seed: 3, backtestOrigins: 0, horizon: 3 });
    const c = await forecastRegions(table(), { samples: 200, seed: 4, backtestOrigins: 0, horizon: 3 });
    expect(a).toEqual(b);
    expect(a.regions[0].quantiles).not.toEqual(c.regions[0].quantiles);
    for (const r of a.regions) {
      expect(r.quantiles).toHaveLength(3);
      for (const q of r.quantiles) {
        expect(q).toHaveLength(HUB_QUANTILE_LEVELS.length);
        for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]);
        expect(q[0]).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe("the default trend (README table)", () => {
  it("on region785 the damped trend's classes match the observed ones more often than always-flat (0.462 vs 0.387)", () => {
    // Classes depend on the median only, which is deterministic: the shares reproduce exactly; WIS is Monte Carlo.
    const [flat, chosen] = trendValidation(loadDataset("region785"), [
      { window: TREND_WINDOW, damping: 0 },
      { window: TREND_WINDOW, damping: TREND_DAMPING },
    ]);
    expect(flat.counts.rising + flat.counts.falling).toBe(0);
    expect(flat.accuracy).toBeCloseTo(0.387, 3);
    expect(chosen.accuracy).toBeCloseTo(0.462, 3);
    expect(chosen.counts.rising).toBeGreaterThan(500);
    expect(chosen.counts.falling).toBeGreaterThan(500);
    // WIS ratio 1.35 in the README (200 samples); the Monte Carlo error of a ratio of means over 3,650 cells is ≪ 0.05.
    expect(Math.abs(chosen.relativeWis - 1.35)).toBeLessThan(0.05);
    expect(Math.abs(flat.relativeWis - 1)).toBeLessThan(0.02);
  });
});

describe("no look-ahead", () => {
  it("poisoning every row after asOf (NaN, huge values, zeros) changes nothing: quantiles, classes, backtest, graph", async () => {
    const data = loadDataset("region785");
    const asOf = 400;
    const clean = await forecastRegions(data, { asOf, samples: 200, backtestOrigins: 8 });
    const poisoned = loadDataset("region785");
    poisoned.values.forEach((v, r) => {
      for (let t = asOf + 1; t < v.length; t++) v[t] = r % 3 === 0 ? NaN : r % 3 === 1 ? 1e9 * (t - asOf) : 0;
    });
    const after = await forecastRegions(poisoned, { asOf, samples: 200, backtestOrigins: 8 });
    expect(after).toEqual(clean);
    expect(clean.edges.length).toBeGreaterThan(0);
    expect(clean.regions.every((r) => r.scores !== null && r.scores.origins === 8)).toBe(true);
  });
});

describe("the hub CSV", () => {
  it("has location,target,horizon,quantile,value with one row per region × horizon × level, ascending within a cell", async () => {
    const data = loadDataset("region785");
    const result = await forecastRegions(data, { asOf: 300, samples: 100, backtestOrigins: 0 });
    const lines = regionalHubCsv(result).trim().split("\n");
    expect(lines[0]).toBe("location,target,horizon,quantile,value");
    expect(lines.length - 1).toBe(10 * 4 * 23);
    const first = lines[1].split(",");
    expect(first[0]).toBe("Region 1");
    expect(first[1]).toBe(result.targets[0]);
    expect(first[2]).toBe("1");
    expect(Number(first[3])).toBe(0.01);
    const cell = lines.slice(1, 24).map((l) => Number(l.split(",")[4]));
    for (let i = 1; i < cell.length; i++) expect(cell[i]).toBeGreaterThanOrEqual(cell[i - 1]);
    expect(result.targets[0]).toMatch(/^\d{4}-W\d{2}$/);
  });
});

describe("pieces", () => {
  it("flatBand is the 1/3 quantile of past |H-week relative changes|", () => {
    // 2-week changes: 200/100 − 1 = 1, 300/100 − 1 = 2, 300/200 − 1 = 0.5, 150/300 − 1 = −0.5 → |·| 0.5, 0.5, 1, 2.
    const y = [100, 100, 200, 300, 300, 150];
    // Type 7 at 1/3 over 4 sorted values: position 1 → 0.5.
    expect(flatBand(y, 2)).toBeCloseTo(0.5, 12);
    expect(() => flatBand([0, 0, 0], 2)).toThrow(/flat band/);
  });

  it("cdfFromQuantiles interpolates between levels and is 0 / 1 beyond the ends", () => {
    const levels = [0.1, 0.5, 0.9];
    const q = [10, 20, 40];
    expect(cdfFromQuantiles(q, levels, 5)).toBe(0);
    expect(cdfFromQuantiles(q, levels, 15)).toBeCloseTo(0.3, 12);
    expect(cdfFromQuantiles(q, levels, 30)).toBeCloseTo(0.7, 12);
    expect(cdfFromQuantiles(q, levels, 40)).toBe(1);
    const c = classifyTrend(20, q, 0.25, levels);
    expect(c.trend).toBe("flat");
    expect(c.pRising).toBeCloseTo(1 - (0.5 + (0.4 * 5) / 20), 12);
  });

  it("logSlope recovers a log-linear growth rate", () => {
    const y = Array.from({ length: 10 }, (_, t) => Math.exp(7 + 0.1 * t) - 1);
    expect(logSlope(y, 4)).toBeCloseTo(0.1, 9);
  });

  it("forecastRegions refuses an asOf outside the table or a region without a value there", async () => {
    const t = table();
    await expect(forecastRegions(t, { asOf: t.rows })).rejects.toThrow(/asOf/);
    t.values[1][50] = NaN;
    await expect(forecastRegions(t, { asOf: 50 })).rejects.toThrow(/"down" has no value at asOf/);
  });
});

describe("region graph", () => {
  const regions = ["A", "B", "C", "D"];

  it("reads an adjacency matrix (the Cola-GNN format) and an edge list", () => {
    const m = parseAdjacency("1,1,0,0\n1,1,1,0\n0,1,1,1\n0,0,1,1\n", regions);
    expect(m.map((e) => `${e.source}-${e.target}`)).toEqual(["A-B", "B-C", "C-D"]);
    const l = parseAdjacency("source,target,weight\nD,A,2\nA,D,5\nB,B,1\n", regions);
    expect(l).toEqual([{ source: "A", target: "D", weight: 2 }]);
    // Blank-separated, as numpy's savetxt writes it: the same edges.
    expect(parseAdjacency("1 1 0 0\n1 1\t1 0\n0 1 1 1\n0  0 1 1\n", regions)).toEqual(m);
  });

  it("names the file and line of a bad adjacency file", () => {
    expect(() => parseAdjacency("source,target\nA,B\nA,Z\n", regions, "adj.csv")).toThrow(/adj\.csv:3:/);
    expect(() => parseAdjacency("1,0\n0,1\n", regions, "m.txt")).toThrow(/one row per region \(4\)/);
    expect(() => parseAdjacency("1,0,0,x\n0,1,0,0\n0,0,1,0\n0,0,0,1\n", regions, "m.txt")).toThrow(/m\.txt:1:/);
  });

  it("joins each region to its 3 most correlated, using rows up to asOf only", () => {
    // A, B, C rise together; D falls: rows 0–4. After row 4, D copies A (must not matter at asOf = 4).
    const v = [
      [1, 2, 3, 4, 5, 6, 7],
      [2, 3, 5, 6, 8, 9, 1],
      [1, 3, 4, 6, 7, 1, 2],
      [9, 7, 6, 4, 2, 6, 7],
    ].map((r) => Float64Array.from(r));
    const e = correlationEdges(regions, v, 4, 1);
    // k = 1: A's nearest is B or C, never D; D's nearest is the least negative of the three.
    const pairs = e.map((x) => `${x.source}-${x.target}`);
    for (const p of pairs) if (p.includes("D")) expect(["A-D", "B-D", "C-D"]).toContain(p);
    expect(pairs.filter((p) => p.includes("D"))).toHaveLength(1);
    const all = correlationEdges(regions, v, 4, 3);
    expect(all).toHaveLength(6);
    const poisoned = v.map((r) => r.slice());
    poisoned[3].set([100, -5], 5);
    expect(correlationEdges(regions, poisoned, 4, 1)).toEqual(e);
  });

  it("ships coordinates for every region of region785, hhs-ilitotal and state360", () => {
    for (const id of ["region785", "hhs-ilitotal", "state360"]) {
      const coords = bundledCoordinates(id)!;
      const data = loadDataset(id);
      for (const r of data.regions) {
        const c = coords.get(r);
        expect(c, `${id}: ${r}`).toBeDefined();
        // Contiguous US, Alaska and Hawaii all lie within these boxes.
        expect(c!.lat).toBeGreaterThan(18);
        expect(c!.lat).toBeLessThan(72);
        expect(c!.lon).toBeLessThan(-65);
        expect(c!.population).toBeGreaterThan(5e5);
      }
    }
    expect(bundledCoordinates("national")).toBeNull();
    // HHS region 2 (New York and New Jersey) lies between its two states' centres.
    const hhs = bundledCoordinates("region785")!.get("Region 2")!;
    expect(hhs.lat).toBeGreaterThan(40.43);
    expect(hhs.lat).toBeLessThan(41.51);
  });

  it("reads uploaded coordinates and names the line of a bad one", () => {
    const c = parseCoordinates("# comment\nregion,lat,lon,population\nX,10.5,-20,1000\nY,0,0,\n");
    expect(c.get("X")).toEqual({ lat: 10.5, lon: -20, population: 1000 });
    expect(c.get("Y")).toEqual({ lat: 0, lon: 0 });
    expect(() => parseCoordinates("region,lat,lon\nX,95,0\n", "c.csv")).toThrow(/c\.csv:2:/);
    expect(() => parseCoordinates("name,x,y\n", "c.csv")).toThrow(/region, lat and lon/);
  });
});
