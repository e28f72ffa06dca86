/**
 * Windows (src/forecast/transformer/windows.ts): what the network reads and what it is scored against.
 * Pure typed-array code, so the checks are exact: the input depends on rows ≤ origin only, values are
 * divided by the mean of the observed values of the last min(context, 52) rows, the mask marks observed
 * rows, the phase features are sin/cos of the phase of the year; targets at or after the limit, or missing,
 * are masked; training picks never reach past a limit.
 */
import { describe, expect, it } from "vitest";
import {
  FEATURES,
  SCALE_FLOOR_FRACTION,
  SCALE_ROWS,
  fillInput,
  fillTarget,
  makeBatch,
  scaleFloorAt,
  scaleFloors,
  trainingPicks,
  windowScale,
  withFloors,
} from "../../../src/forecast/transformer/windows.js";
import { createRandom } from "../../../src/random.js";
import { series } from "./helpers.js";

/** The input of one sample, and its scale. */
function input(values: ArrayLike<number>, origin: number, context: number): { x: Float32Array; scale: number } {
  const x = new Float32Array(context * FEATURES).fill(-7); // a sentinel: every cell must be written
  const scale = fillInput(series(values), origin, context, x, 0);
  return { x, scale };
}

const ramp = (n: number) => Array.from({ length: n }, (_, t) => 10 + t);

describe("fillInput", () => {
  it("reads rows ≤ origin only: poisoning every later row (NaN, 1e12, negative) leaves the input and scale bit-identical", () => {
    const clean = ramp(200);
    const origin = 120;
    for (const poison of [NaN, 1e12, -5]) {
      const dirty = clean.map((v, t) => (t > origin ? poison : v));
      for (const context of [16, 104]) {
        const a = input(clean, origin, context);
        const b = input(dirty, origin, context);
        expect(b.scale).toBe(a.scale);
        expect(Array.from(b.x)).toEqual(Array.from(a.x));
      }
    }
    // The origin row itself is read: changing it changes the input (the test above could fail).
    const moved = clean.map((v, t) => (t === origin ? v + 1 : v));
    expect(Array.from(input(moved, origin, 16).x)).not.toEqual(Array.from(input(clean, origin, 16).x));
  });

  it("scales by the mean of the observed values of the last 52 rows (context 104), ignoring older rows and gaps", () => {
    const values = ramp(150).map((v, t) => (t % 7 === 3 ? NaN : v));
    const origin = 140;
    const last52 = values.slice(origin - SCALE_ROWS + 1, origin + 1).filter(Number.isFinite);
    const expected = last52.reduce((a, b) => a + b, 0) / last52.length;
    const { x, scale } = input(values, origin, 104);
    expect(SCALE_ROWS).toBe(52);
    expect(scale).toBeCloseTo(expected, 12);
    // Row i of the input is row origin − 103 + i of the series, divided by the scale.
    for (let i = 0; i < 104; i++) {
      const v = values[origin - 103 + i];
      expect(x[i * FEATURES]).toBeCloseTo(Number.isFinite(v) ? v / expected : 0, 6);
    }
    // A row 53 weeks back is in the input but not in the window mean (0 there keeps the floor below the mean).
    const older = values.slice();
    older[origin - SCALE_ROWS] = 0;
    expect(input(older, origin, 104).scale).toBe(scale);
    expect(windowScale(Float64Array.from(values), origin, 104)).toBe(scale);
  });

  it("with a context shorter than 52 rows, scales by the mean of the whole context", () => {
    const values = ramp(60);
    const { scale } = input(values, 40, 16);
    expect(scale).toBeCloseTo(values.slice(25, 41).reduce((a, b) => a + b, 0) / 16, 12);
  });

  it("scale 1 when the window has no observed or only zero values (no division by zero)", () => {
    expect(input([NaN, NaN, NaN, NaN], 3, 4).scale).toBe(1);
    expect(input([0, 0, 0, 0], 3, 4).scale).toBe(1);
  });

  it("mask 1 on observed rows, 0 (with value 0) on missing rows and rows before the series start", () => {
    const values = [5, NaN, 7, 9];
    const { x, scale } = input(values, 3, 8); // rows −4 … 3
    expect(scale).toBeCloseTo(7, 12);
    const value = (i: number) => x[i * FEATURES];
    const mask = (i: number) => x[i * FEATURES + 1];
    expect([0, 1, 2, 3].map(mask)).toEqual([0, 0, 0, 0]);
    expect([0, 1, 2, 3].map(value)).toEqual([0, 0, 0, 0]);
    expect([4, 5, 6, 7].map(mask)).toEqual([1, 0, 1, 1]);
    expect(value(5)).toBe(0);
    expect(value(4)).toBeCloseTo(5 / 7, 6);
    expect(value(7)).toBeCloseTo(9 / 7, 6);
  });

  it("phase features are sin and cos of 2π·phase of each row", () => {
    const s = series(ramp(30));
    s.phase = Float64Array.from({ length: 30 }, (_, t) => (0.1 + t / 52) % 1);
    const x = new Float32Array(10 * FEATURES);
    fillInput(s, 25, 10, x, 0);
    for (let i = 0; i < 10; i++) {
      const p = s.phase[16 + i];
      expect(x[i * FEATURES + 2]).toBeCloseTo(Math.sin(2 * Math.PI * p), 6);
      expect(x[i * FEATURES + 3]).toBeCloseTo(Math.cos(2 * Math.PI * p), 6);
    }
  });

  it("writes sample b at offset b·C·F and leaves the other samples alone", () => {
    const x = new Float32Array(3 * 4 * FEATURES).fill(-1);
    fillInput(series(ramp(10)), 6, 4, x, 1);
    expect(Array.from(x.subarray(0, 16)).every((v) => v === -1)).toBe(true);
    expect(Array.from(x.subarray(32)).every((v) => v === -1)).toBe(true);
    expect(x[16 + 1]).toBe(1);
  });
});

describe("fillTarget", () => {
  it("rows origin+1 … origin+H divided by the scale; missing rows and rows ≥ limit masked (value 0)", () => {
    const s = series([1, 2, 3, 4, NaN, 6, 7, 8, 9, 10]);
    const y = new Float32Array(2 * 5 * 2).fill(-1);
    const kept = fillTarget(s, 2, 5, 7, 2, y, 1); // targets rows 3…7; row 4 missing; row 7 = limit
    expect(kept).toBe(3);
    const rows = Array.from({ length: 5 }, (_, h) => [y[10 + 2 * h], y[10 + 2 * h + 1]]);
    expect(rows).toEqual([
      [2, 1],
      [0, 0],
      [3, 1],
      [3.5, 1],
      [0, 0],
    ]);
    expect(Array.from(y.subarray(0, 10)).every((v) => v === -1)).toBe(true);
  });

  it("masks targets past the end of the series", () => {
    const y = new Float32Array(4 * 2);
    expect(fillTarget(series([1, 2, 3]), 1, 4, 100, 1, y, 0)).toBe(1);
    expect(Array.from(y)).toEqual([3, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("makeBatch: targets read nothing at or after the limit (poisoned rows give the same batch)", () => {
    const clean = series(ramp(80));
    const dirty = series(ramp(80).map((v, t) => (t >= 50 ? 1e9 : v)));
    const picks = [
      { series: 0, origin: 30 },
      { series: 0, origin: 48 },
    ];
    const a = makeBatch([clean], picks, { context: 16, horizon: 4 }, [50]);
    const b = makeBatch([dirty], picks, { context: 16, horizon: 4 }, [50]);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(b.y!)).toEqual(Array.from(a.y!));
    // Origin 48: row 49 (value 59) is a target, rows 50–52 are masked.
    expect(Array.from(a.y!.subarray(8))).toEqual([Math.fround(59 / a.scales[1]), 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe("trainingPicks", () => {
  // Rows:       0  1  2  3    4  5  6  7  8    9    10  11
  const values = [1, 2, 3, NaN, 5, 6, 7, 8, NaN, NaN, 11, 12];
  const origins = (limit: number, horizon: number, minObserved = 3) => trainingPicks([series(values)], [limit], horizon, minObserved).map((p) => p.origin);

  it("origins with an observed value, ≥ minObserved observed rows so far, and an observed target before the limit", () => {
    expect(origins(12, 2)).toEqual([2, 4, 5, 6, 10]);
    expect(origins(12, 3)).toEqual([2, 4, 5, 6, 7, 10]); // horizon 3 reaches row 10 from origin 7
    expect(origins(10, 2)).toEqual([2, 4, 5, 6]); // limit 10: rows 10, 11 are out of reach
    expect(origins(10, 3)).toEqual([2, 4, 5, 6]); // … so origin 7 has no target left
    expect(origins(12, 2, 1)).toEqual([0, 1, 2, 4, 5, 6, 10]);
  });

  it("never yields a target row at or after the limit, per series", () => {
    const many = [series(ramp(100)), series(ramp(60)), series(ramp(100).map((v, t) => (t % 5 === 0 ? NaN : v)))];
    const limits = [70, 60, 40];
    const picks = trainingPicks(many, limits, 4, 8);
    expect(new Set(picks.map((p) => p.series))).toEqual(new Set([0, 1, 2]));
    for (const p of picks) {
      expect(p.origin).toBeLessThan(limits[p.series] - 1);
      expect(Number.isFinite(many[p.series].values[p.origin])).toBe(true);
    }
    expect(Math.max(...picks.filter((p) => p.series === 0).map((p) => p.origin))).toBe(68);
  });
});

describe("scale floor", () => {
  it("floors[t] = max(10% of the mean of rows 0…t, the smallest positive value so far), 1 before any positive value", () => {
    expect(SCALE_FLOOR_FRACTION).toBe(0.1);
    expect(Array.from(scaleFloors(Float64Array.from([0, NaN, 2, 4, NaN, 0])))).toEqual([1, 1, 2, 2, 2, 2]);
    // 10% of the mean wins once the level is far above the smallest value: (1 + 1000 + 1000)/3 · 0.1.
    const f = scaleFloors(Float64Array.from([1, 1000, 1000]));
    expect(f[0]).toBe(1);
    expect(f[1]).toBeCloseTo(50.05, 12);
    expect(f[2]).toBeCloseTo(2001 / 30, 12);
    // Causal: a row's floor does not move when later rows change; the on-the-fly value equals the precomputed one.
    const values = Float64Array.from(ramp(80).map((v, t) => (t % 9 === 0 ? 0 : v)));
    const poisoned = values.slice();
    poisoned.fill(1e9, 41);
    expect(Array.from(scaleFloors(poisoned).subarray(0, 41))).toEqual(Array.from(scaleFloors(values).subarray(0, 41)));
    for (const t of [0, 17, 40, 79]) expect(scaleFloorAt(values, t)).toBe(scaleFloors(values)[t]);
  });

  it("windows whose mean is above the floor are scaled as before; precomputed floors give the same batch", () => {
    const s = series(ramp(150));
    for (const origin of [20, 60, 140]) {
      const x = new Float32Array(104 * FEATURES);
      expect(fillInput(s, origin, 104, x, 0)).toBe(windowScale(s.values, origin, 104));
    }
    const picks = [20, 60, 140].map((origin) => ({ series: 0, origin }));
    const a = makeBatch([s], picks, { context: 16, horizon: 4 }, [150]);
    const b = makeBatch([withFloors(s)], picks, { context: 16, horizon: 4 }, [150]);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(b.scales)).toEqual(Array.from(a.scales));
  });

  it("a low-count series (mostly zeros, counts 1–20): every scaled input and target stays ≤ its count, where the unfloored window mean gave > 2× the largest count", () => {
    // Zero weeks with rare small outbreaks: the shape of a small region's counts between seasons.
    const rng = createRandom(11, 1);
    const values = Float64Array.from({ length: 300 }, () => (rng.next() < 0.03 ? 1 + Math.floor(20 * rng.next()) : 0));
    const s = series(values);
    const shape = { context: 16, horizon: 4 };
    const picks = trainingPicks([s], [300], 4, 1);
    const batch = makeBatch([s], picks, shape, [300]);
    // Every floor is ≥ the smallest positive count seen so far, here 1 once any count was observed, and 1 before:
    // so |scaled| ≤ the value itself ≤ 20.
    const top = Math.max(...values);
    let maxTarget = 0;
    for (let i = 0; i < batch.y!.length; i += 2) maxTarget = Math.max(maxTarget, batch.y![i]);
    let maxInput = 0;
    for (let i = 0; i < batch.x.length; i += FEATURES) maxInput = Math.max(maxInput, batch.x[i]);
    expect(maxTarget).toBeLessThanOrEqual(top);
    expect(maxInput).toBeLessThanOrEqual(top);
    expect(maxTarget).toBeGreaterThan(0);
    // Without the floor (window mean alone) the same targets exceed twice the largest count: one count of c in an
    // otherwise zero 16-week window has mean c/16, and a later count c' becomes 16·c'/c — the blow-up the floor removes.
    let unfloored = 0;
    picks.forEach((p, b) => {
      const scale = windowScale(values, p.origin, 16);
      for (let h = 1; h <= 4 && p.origin + h < 300; h++) unfloored = Math.max(unfloored, values[p.origin + h] / scale);
      expect(batch.scales[b]).toBeGreaterThanOrEqual(1);
    });
    expect(unfloored).toBeGreaterThan(2 * top);
  });
});
