/**
 * The Regions tab's pure view model: colours by trend / P(rising) / intensity, sizes, map positions, the
 * small multiples' order, past seasons aligned with the fan chart, the timeline's range.
 */
import { describe, expect, it } from "vitest";
import { IDLE_COLOUR, OKABE_ITO } from "../../web/src/palette.js";
import { fanData } from "../../web/src/forecast/fan.js";
import {
  circlePositions,
  describeTrend,
  geoPositions,
  hasGeography,
  intensity,
  legend,
  mix,
  nodeColour,
  nodeSizes,
  pastSeasons,
  probabilityColour,
  regionFan,
  sortByTrend,
  timelineRange,
  type RegionLike,
  type RegionalResultLike,
} from "../../web/src/regions/model.js";

function region(name: string, over: Partial<RegionLike> = {}): RegionLike {
  return {
    region: name,
    last: 100,
    quantiles: [[90, 100, 110]],
    median: [100],
    trend: "flat",
    change: 0,
    band: 0.1,
    pRising: 0.3,
    pFalling: 0.3,
    scores: null,
    observed: [50, 100, 150, 100],
    coordinates: null,
    ...over,
  };
}

describe("colours", () => {
  it("trend: rising vermillion, flat grey, falling blue; the legend lists the three", () => {
    expect(nodeColour(region("a", { trend: "rising" }), "trend")).toBe(OKABE_ITO.vermillion);
    expect(nodeColour(region("a", { trend: "flat" }), "trend")).toBe(IDLE_COLOUR);
    expect(nodeColour(region("a", { trend: "falling" }), "trend")).toBe(OKABE_ITO.blue);
    expect(legend("trend").map((l) => l.label)).toEqual(["rising", "flat", "falling"]);
  });

  it("P(rising) runs blue → grey → vermillion", () => {
    expect(probabilityColour(0).toLowerCase()).toBe(OKABE_ITO.blue.toLowerCase());
    expect(probabilityColour(0.5).toLowerCase()).toBe(IDLE_COLOUR.toLowerCase());
    expect(probabilityColour(1).toLowerCase()).toBe(OKABE_ITO.vermillion.toLowerCase());
    expect(mix("#000000", "#ffffff", 0.5)).toBe("#808080");
    expect(mix("#000000", "#ffffff", 2)).toBe("#ffffff");
  });

  it("intensity is the percentile rank of the value at asOf in its own history", () => {
    // observed 50, 100, 150, 100 and last 100: three of four values are ≤ 100.
    expect(intensity(region("a"))).toBe(0.75);
    expect(intensity(region("a", { observed: [null, 5, 10], last: 10 }))).toBe(1);
    expect(nodeColour(region("a", { observed: [10, 20], last: 1 }), "intensity")).not.toBe(nodeColour(region("a", { observed: [10, 20], last: 20 }), "intensity"));
  });
});

describe("sizes and positions", () => {
  it("radius ∝ √value between min and max; population when known, else the level", () => {
    const rs = [region("a", { coordinates: { lat: 0, lon: 0, population: 100 } }), region("b", { coordinates: { lat: 0, lon: 0, population: 400 } }), region("c", { coordinates: { lat: 0, lon: 0, population: 900 } })];
    // √: 10, 20, 30 → 6, 14, 22.
    expect(nodeSizes(rs, "population", 6, 22)).toEqual([6, 14, 22]);
    const levels = [region("a", { last: 1 }), region("b", { last: 1 })];
    expect(nodeSizes(levels, "level", 6, 22)).toEqual([14, 14]);
  });

  it("maps coordinates equirectangularly around the mean latitude and knows when it can", () => {
    const rs = [region("a", { coordinates: { lat: 60, lon: 10 } }), region("b", { coordinates: { lat: 60, lon: 20 } })];
    expect(hasGeography(rs)).toBe(true);
    expect(hasGeography([...rs, region("c")])).toBe(false);
    const p = geoPositions(rs);
    // cos 60° = 0.5: 10° of longitude become 5 units; latitude is y (up).
    expect(p[1].x - p[0].x).toBeCloseTo(5, 9);
    expect(p[0].y).toBe(60);
    const c = circlePositions(4);
    expect(c[1].x).toBeCloseTo(0, 9);
    expect(c[1].y).toBeCloseTo(100, 9);
  });
});

describe("small multiples, fan chart and timeline", () => {
  it("sorts rising first, then flat, then falling; by P(rising) within a class", () => {
    const rs = [region("f", { trend: "falling", pRising: 0.1 }), region("r1", { trend: "rising", pRising: 0.7 }), region("x", { trend: "flat", pRising: 0.4 }), region("r2", { trend: "rising", pRising: 0.9 })];
    expect(sortByTrend(rs).map((r) => r.region)).toEqual(["r2", "r1", "x", "f"]);
  });

  it("aligns past seasons with the fan chart's x axis: 52·k weeks earlier, null before the series", () => {
    const observed = Array.from({ length: 120 }, (_, t) => t);
    const times = observed.map((t) => `w${t}`);
    const seasons = pastSeasons(observed, times, 10, 4);
    // asOf = 119; the fan shows rows 110 … 119 then 4 forecast weeks: 14 points.
    expect(seasons).toHaveLength(2); // 3 seasons back starts at row −46: every value missing → left out
    expect(seasons[0].values).toHaveLength(14);
    expect(seasons[0].values[0]).toBe(110 - 52);
    expect(seasons[0].values[13]).toBe(123 - 52);
    expect(seasons[1].values[0]).toBe(110 - 104);
    expect(seasons[0].label).toContain("w67");
    // The fan of the same region has the same length and asOf at x = 9.
    const result: RegionalResultLike = { method: "trend", asOf: { index: 119, label: "w119" }, horizon: 4, horizons: [1, 2, 3, 4], targets: ["a", "b", "c", "d"], levels: [0.025, 0.25, 0.5, 0.75, 0.975], times, regions: [], edges: [], adjacency: "correlation" };
    const r = region("z", { observed, last: 119, quantiles: [1, 2, 3, 4].map((h) => [110, 115, 119 + h, 125, 130]), median: [120, 121, 122, 123] });
    const fan = fanData(regionFan(result, r), 10);
    expect(fan.x).toHaveLength(14);
    expect(fan.asOfX).toBe(9);
    expect(fan.median[13]).toBe(123);
  });

  it("the timeline runs from the horizon to the last row; trends are described for captions", () => {
    expect(timelineRange(785, 4)).toEqual({ min: 4, max: 784 });
    expect(timelineRange(3, 4)).toEqual({ min: 2, max: 2 });
    expect(describeTrend({ trend: "rising", change: 0.537, pRising: 0.912 })).toBe("rising +54%, P(rising) 0.91");
    expect(describeTrend({ trend: "falling", change: -0.2, pRising: 0.01 })).toBe("falling −20%, P(rising) 0.01");
    expect(describeTrend({ trend: "rising", change: null, pRising: 1 })).toBe("rising from 0, P(rising) 1.00");
  });
});
