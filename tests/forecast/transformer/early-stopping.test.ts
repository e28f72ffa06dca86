/**
 * Early-stopping rows (train.ts `splitForEarlyStopping`, fit.ts `earlyStoppingFrom`): by default the last 20% of
 * each series' rows; with explicit limits (what bench/transfer.ts uses to give every history length the same
 * early-stopping rows, the protocol's validation rows) gradient windows end before them and every
 * early-stopping target lies in them.
 */
import { describe, expect, it } from "vitest";
import { splitForEarlyStopping } from "../../../src/forecast/transformer/train.js";
import { seriesFromTable } from "../../../src/forecast/transformer/forecaster.js";
import { TINY, seasonalTable } from "./helpers.js";

describe("splitForEarlyStopping", () => {
  const series = seriesFromTable(seasonalTable(120));
  it("holds out the last 20% of each series' rows by default", () => {
    const { train, validation } = splitForEarlyStopping(series, [100, 100], TINY);
    expect(Array.from(train.limits)).toEqual([80, 80]);
    expect(Math.min(...validation.picks.map((p) => p.origin))).toBe(79);
  });

  it("with explicit training limits, early-stops on the rows between them and the limits, whatever the fraction", () => {
    const { train, validation } = splitForEarlyStopping(series, [100, 100], TINY, { fraction: 0.2, trainLimits: [60, 60] });
    expect(Array.from(train.limits)).toEqual([60, 60]);
    // Gradient windows: every target row before 60.
    for (const p of train.picks) expect(p.origin + 1).toBeLessThan(60);
    // Early-stopping windows: origins from the last training row on, so each target row is in [60, 100).
    expect(Math.min(...validation.picks.map((p) => p.origin))).toBe(59);
    expect(Math.max(...validation.picks.map((p) => p.origin))).toBeLessThan(100);
    expect(Array.from(validation.limits)).toEqual([100, 100]);
  });
});
