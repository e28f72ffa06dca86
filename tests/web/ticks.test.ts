/** Log-axis ticks: decades within the range, exact labels, never a 0. */
import { describe, expect, it } from "vitest";
import { formatLogTick, logTicks } from "../../web/src/charts/ticks.js";

describe("logTicks", () => {
  it("gives the decades inside a wide range and no 0", () => {
    expect(logTicks(0.00003, 0.4)).toEqual([0.0001, 0.001, 0.01, 0.1]);
    expect(logTicks(1, 512)).toEqual([1, 10, 100]);
    expect(logTicks(0.00003, 0.4)).not.toContain(0);
  });
  it("adds 2 and 5 between decades over a short range", () => {
    expect(logTicks(3, 64)).toEqual([5, 10, 20, 50]);
  });
  it("gives nothing for a range that is not positive", () => {
    expect(logTicks(0, 10)).toEqual([]);
    expect(logTicks(-1, 10)).toEqual([]);
    expect(logTicks(1, Infinity)).toEqual([]);
  });
});

describe("formatLogTick", () => {
  it("labels small values as powers of ten instead of rounding them to 0", () => {
    expect([1, 20, 0.05, 0.001, 0.0001, 0.00002].map(formatLogTick)).toEqual(["1", "20", "0.05", "0.001", "10⁻⁴", "2×10⁻⁵"]);
    expect(formatLogTick(0)).toBe("");
  });
});
