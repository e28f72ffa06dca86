/**
 * The Cola-GNN evaluation protocol: split boundaries worked out by hand, the floating-point ⌊0.7·n⌋ of the
 * reference code, and leakage: nothing after a forecast's origin ever reaches a forecaster.
 */
import { describe, expect, it } from "vitest";
import {
  type ForecastInput,
  type PointForecaster,
  type SeriesTable,
  evaluatePointForecaster,
  fitRidge,
  loadDataset,
  splitBoundaries,
  splitIndices,
  trainingPeriod,
} from "../../src/forecast/index.js";

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

describe("split index arithmetic", () => {
  it("n = 50, P = 4, h = 2: train targets 5…24, validation 25…34, test 35…49", () => {
    // ⌊0.5·50⌋ = 25, ⌊0.7·50⌋ = 35, first target P + h − 1 = 5; every upper bound exclusive.
    const s = splitIndices(50, 4, 2);
    expect(s.train).toEqual(range(5, 25));
    expect(s.validation).toEqual(range(25, 35));
    expect(s.test).toEqual(range(35, 50));
  });

  it("n = 10, P = 2, h = 1: train 2, 3, 4; validation 5, 6; test 7, 8, 9", () => {
    expect(splitIndices(10, 2, 1)).toEqual({ train: [2, 3, 4], validation: [5, 6], test: [7, 8, 9] });
  });

  it("the benchmark boundaries: region785 392 / 549, state360 180 / 251 (floating-point ⌊(0.5 + 0.2)·360⌋)", () => {
    expect(splitBoundaries(785, 20, 2)).toEqual({ n: 785, window: 20, horizon: 2, firstTarget: 21, trainEnd: 392, validEnd: 549 });
    expect(splitBoundaries(360, 20, 15)).toMatchObject({ firstTarget: 34, trainEnd: 180, validEnd: 251 });
    expect(splitIndices(360, 20, 2).test).toHaveLength(109);
  });

  it("a series too short for the window and horizon is a DataError; bad arguments a ForecastError", () => {
    expect(() => splitIndices(40, 20, 2)).toThrow(expect.objectContaining({ name: "DataError" }));
    expect(() => splitIndices(100, 20, 0)).toThrow(expect.objectContaining({ name: "ForecastError" }));
  });
});

/** A synthetic series whose every value names its row: values[r][t] = 1000·t + r. */
function stamped(n: number, m: number): SeriesTable {
  return {
    file: "stamped",
    regions: range(0, m).map((r) => `R${r}`),
    rows: n,
    values: range(0, m).map((r) => Float64Array.from(range(0, n), (t) => 1000 * t + r)),
  };
}

describe("leakage is impossible by construction", () => {
  it("a forecaster sees only rows up to its origin t − h, and the training period only rows < ⌊0.5n⌋", () => {
    const n = 60;
    const P = 4;
    const h = 3;
    const seen: ForecastInput[] = [];
    let trainingRows = -1;
    let trainingMaxRow = -1;
    const spy: PointForecaster = {
      name: "spy",
      fit: (training) => {
        trainingRows = training.values[0].length;
        trainingMaxRow = Math.max(...training.values.flatMap((v) => Array.from(v, (x) => Math.floor(x / 1000))));
        return (input) => {
          seen.push(input);
          return input.window[P - 1];
        };
      },
    };
    for (const split of ["validation", "test"] as const) {
      seen.length = 0;
      const e = evaluatePointForecaster(stamped(n, 2), h, spy, { window: P, split });
      expect(trainingRows).toBe(30);
      expect(trainingMaxRow).toBe(29);
      expect(seen).toHaveLength(e.targetRows.length * 2);
      seen.forEach((input, i) => {
        const target = e.targetRows[Math.floor(i / 2)];
        expect(Object.keys(input).sort()).toEqual(["history", "horizon", "origin", "region", "scaling", "window"]);
        expect(input.origin).toBe(target - h);
        expect(Array.from(input.window, (v) => Math.floor(v / 1000))).toEqual(range(target - h - P + 1, target - h + 1));
        const history = input.history();
        expect(history.length).toBe(target - h + 1);
        expect(Math.max(...history)).toBe(1000 * (target - h) + input.region);
      });
      // Persistence on a line rising 1000 a row misses by exactly 1000·h everywhere.
      expect(e.rmse).toBeCloseTo(1000 * h, 9);
    }
  });

  it("poisoning every test-period value (1e9) leaves the scaling statistics and the ridge weights unchanged", () => {
    const clean = loadDataset("region785");
    const poisoned = loadDataset("region785");
    for (const h of [2, 15]) {
      const { validEnd } = splitBoundaries(clean.rows, 20, h);
      for (const v of poisoned.values) v.fill(1e9, validEnd);
      const a = trainingPeriod(clean, h);
      const b = trainingPeriod(poisoned, h);
      expect(b.scaling).toEqual(a.scaling);
      const fa = fitRidge(a);
      const fb = fitRidge(b);
      expect(Array.from(fb.weights)).toEqual(Array.from(fa.weights));
      expect(fb.intercept).toBe(fa.intercept);
      // The validation rows do not reach the fit either.
      const { trainEnd } = splitBoundaries(clean.rows, 20, h);
      for (const v of poisoned.values) v.fill(1e9, trainEnd);
      expect(Array.from(fitRidge(trainingPeriod(poisoned, h)).weights)).toEqual(Array.from(fa.weights));
    }
  });

  it("a missing value anywhere is a DataError (the protocol needs complete series)", () => {
    const d = stamped(60, 2);
    d.values[1][40] = NaN;
    expect(() => evaluatePointForecaster(d, 2, (i) => i.window[0], { window: 4 })).toThrow(expect.objectContaining({ name: "DataError" }));
  });
});
