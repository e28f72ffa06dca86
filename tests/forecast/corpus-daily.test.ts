/**
 * The daily pretraining corpus (src/forecast/corpus-daily.ts) and the simulator options it adds to the
 * metapopulation model (daily onsets, a transmissibility path, immune escape): the options change nothing
 * they should not, a constant contact level gives the final size of R0 × contact, and the series are
 * reproducible counts whose weekday pattern falls on the calendar days the dates say.
 */
import { describe, expect, it } from "vitest";
import { DAILY_DELAY_DAYS, generateDailyCorpus, generateDailySeries } from "../../src/forecast/corpus-daily.js";
import { simulateMetapopulation, type MetapopulationParams } from "../../src/forecast/corpus-spatial.js";
import { seriesFromDaily } from "../../src/forecast/transformer/pretrain.js";
import { createRandom } from "../../src/random.js";

const total = (w: ArrayLike<number>) => Array.from(w).reduce((a, b) => a + b, 0);

/** The root in (0, 1) of z = 1 − e^{−R·z} (R > 1). */
function finalSize(r: number): number {
  let z = 0.5;
  for (let i = 0; i < 500; i++) z = 1 - Math.exp(-r * z);
  return z;
}

const patch = (over: Partial<MetapopulationParams> = {}): MetapopulationParams => ({
  populations: [200_000],
  mobility: new Float64Array(1),
  mobilityFraction: 0,
  r0: [2.4],
  infectiousDays: 3,
  latentDays: 2,
  immunityDays: Infinity,
  importsPerWeek: 0,
  susceptible: [200_000 - 20],
  immune: [0],
  weeks: 60,
  ...over,
});

describe("the metapopulation model's daily options", () => {
  it("daily onsets are the weekly onsets day by day (the same draws), and a transmissibility of 1 changes nothing", () => {
    const weekly = simulateMetapopulation(patch(), createRandom(3, 1))[0];
    const daily = simulateMetapopulation(patch({ daily: true }), createRandom(3, 1))[0];
    expect(daily.length).toBe(7 * weekly.length);
    for (let w = 0; w < weekly.length; w++) expect(total(daily.subarray(7 * w, 7 * w + 7))).toBe(weekly[w]);
    const ones = simulateMetapopulation(patch({ daily: true, transmissibility: new Float64Array(420).fill(1) }), createRandom(3, 1))[0];
    expect(Array.from(ones)).toEqual(Array.from(daily));
  });

  it("a constant contact level c gives the final size of R0·c: z = 1 − e^{−R0·c·z}", () => {
    // As for R0 alone (corpus-spatial.test.ts): sd of the final fraction ≈ √(1.2 / N) ≈ 0.0025; 0.01 is 4 sd.
    for (const [r0, c, seed] of [
      [2.4, 0.75, 1],
      [3, 0.5, 2],
    ]) {
      const onsets = simulateMetapopulation(patch({ r0: [r0], daily: true, transmissibility: new Float64Array(420).fill(c) }), createRandom(seed, 1))[0];
      expect(Math.abs(total(onsets) / 200_000 - finalSize(r0 * c))).toBeLessThan(0.01);
    }
  });

  it("immune escape on day d leaves every earlier day as it was and makes a second wave from the escaped", () => {
    // Closed SIR with a few imports: one wave, over by day 200; half the immune escape on day 250; 800 days for
    // the slower second wave to end.
    const base = patch({ importsPerWeek: 2, daily: true, weeks: 150 });
    const without = simulateMetapopulation(base, createRandom(4, 1))[0];
    const escaped = simulateMetapopulation({ ...base, escape: { day: 250, fraction: 0.5 } }, createRandom(4, 1))[0];
    expect(Array.from(escaped.subarray(0, 250))).toEqual(Array.from(without.subarray(0, 250)));
    const first = total(without.subarray(0, 250)) / 200_000;
    expect(Math.abs(first - finalSize(2.4))).toBeLessThan(0.01);
    // After escape the susceptible share is s = 1 − z/2 (z the first wave's attack): a second epidemic with
    // R_eff = 2.4·s > 1 infects a share y of the population with y = s·(1 − e^{−2.4·y}). Tolerance: the final
    // fraction's sd is ≈ 0.003 here (as above, scaled by s), so 0.015 is 5 sd with room for the ~150 imports.
    const s = 1 - first / 2;
    let y = s / 2;
    for (let i = 0; i < 500; i++) y = s * (1 - Math.exp(-2.4 * y));
    const second = total(escaped.subarray(250)) / 200_000;
    expect(total(without.subarray(250)) / 200_000).toBeLessThan(0.002); // imports alone: a trickle
    expect(Math.abs(second - y)).toBeLessThan(0.015);
  });
});

describe("the daily corpus", () => {
  it("series i is a pure function of (seed, i, days): reproducible, and the same whether made alone or in a corpus", () => {
    const a = generateDailySeries(7, 3, 400);
    const b = generateDailySeries(7, 3, 400);
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(a.startDate).toBe(b.startDate);
    const corpus = generateDailyCorpus({ series: 5, days: 400, seed: 7 });
    expect(Array.from(corpus.series[3].values)).toEqual(Array.from(a.values));
    expect(Array.from(generateDailySeries(7, 4, 400).values)).not.toEqual(Array.from(a.values));
    expect(Array.from(generateDailySeries(8, 3, 400).values)).not.toEqual(Array.from(a.values));
  });

  it("makes counts: integers ≥ 0, one per day from a real start date, with the meta it says", () => {
    const { series } = generateDailyCorpus({ series: 40, days: 365, seed: 1 });
    for (const s of series) {
      expect(s.values.length).toBe(365);
      expect(s.values.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      expect(s.startDate).toMatch(/^20[0-2]\d-\d\d-\d\d$/);
      expect(total(s.meta.weekday) / 7).toBeCloseTo(1, 12);
      expect(s.meta.r0).toBeGreaterThanOrEqual(1.2);
      expect(s.meta.r0).toBeLessThan(3.5);
      expect(s.meta.delayDays).toBeLessThanOrEqual(DAILY_DELAY_DAYS);
    }
    expect(series.some((s) => total(s.values) > 0)).toBe(true);
    // The network reads a daily series with the phase of the year of each date.
    const read = seriesFromDaily(series[0]);
    const start = new Date(series[0].startDate + "T00:00:00Z");
    const dayOfYear = (start.getTime() - Date.UTC(start.getUTCFullYear(), 0, 1)) / 86_400_000;
    expect(read.phase[0]).toBeCloseTo(dayOfYear / 365.25, 12);
    expect(read.rowsPerYear).toBe(365.25);
  });

  it("the weekday pattern falls on the calendar days of the dates: the day with the fewest reports is the one the meta says", () => {
    // Over two years a weekday's share of the reports is its factor × (a wave's share, which the days of
    // the week share almost equally); take series with a clear lowest day (factor ≤ 0.7 × the next lowest)
    // and enough reports (≥ 2,000) that the noise cannot swap the order.
    const { series } = generateDailyCorpus({ series: 120, days: 730, seed: 2 });
    let checked = 0;
    let agree = 0;
    for (const s of series) {
      const f = s.meta.weekday;
      const order = f.map((x, k) => [x, k] as const).sort((p, q) => p[0] - q[0]);
      if (!(order[0][0] <= 0.7 * order[1][0]) || total(s.values) < 2000) continue;
      const byDay = new Float64Array(7); // Monday first
      const monday0 = (new Date(s.startDate + "T00:00:00Z").getUTCDay() + 6) % 7;
      s.values.forEach((x, t) => (byDay[(monday0 + t) % 7] += x));
      checked++;
      if (byDay.indexOf(Math.min(...byDay)) === order[0][1]) agree++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    expect(agree / checked).toBeGreaterThanOrEqual(0.9);
  });
});
