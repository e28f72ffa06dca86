/**
 * The synthetic pretraining corpus: reproducible from (seed, series index) alone, well-formed counts, and an
 * observation model that matches its theory — negative-binomial noise with mean μ and variance μ + μ²/k,
 * a delay kernel that conserves counts, weekly aggregation that conserves the engine's infections.
 * Monte Carlo checks use 4 standard errors (two-sided false-alarm rate ≈ 6·10⁻⁵ per check, and the seeds
 * are fixed, so a pass is reproducible); the standard errors come from the distribution's own moments.
 */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/random.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { simulate } from "../../src/families/compartmental/simulate.js";
import {
  applyDelay,
  checkDelayKernel,
  entryTimes,
  generateCorpus,
  generateCorpusSeries,
  reportingNoise,
  reportSeries,
  summarizeCorpus,
  sparkline,
  weeklyIncidence,
} from "../../src/forecast/index.js";
import { gamma, negativeBinomial } from "../../src/forecast/samplers.js";
import { chiSquareCritical, chiSquareTest, estimate } from "../helpers/statistics.js";

const SMALL = { minNodes: 1000, maxNodes: 3000 };
const WEEKS = 104;

const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe("corpus: reproducible from (seed, index)", () => {
  const corpus = generateCorpus({ series: 10, weeks: WEEKS, seed: 5, ...SMALL });

  it("the same (seed, i) gives the identical series, whatever was generated before", () => {
    // Out of order and alone: series 9 (its network group not cached), then series 2 again.
    for (const i of [9, 2, 5]) {
      const alone = generateCorpusSeries(5, i, WEEKS, SMALL);
      expect(same(alone.values, corpus.series[i].values)).toBe(true);
      expect(alone.meta).toEqual(corpus.series[i].meta);
    }
  });

  it("series i does not depend on how many series the corpus has", () => {
    const shorter = generateCorpus({ series: 4, weeks: WEEKS, seed: 5, ...SMALL });
    shorter.series.forEach((s, i) => expect(same(s.values, corpus.series[i].values)).toBe(true));
  });

  it("different seeds, and different indices, give different series", () => {
    const other = generateCorpus({ series: 4, weeks: WEEKS, seed: 6, ...SMALL });
    other.series.forEach((s, i) => expect(same(s.values, corpus.series[i].values)).toBe(false));
    expect(same(corpus.series[0].values, corpus.series[1].values)).toBe(false);
  });

  it("values are finite integer counts ≥ 0, one per week, with sane metadata", () => {
    expect(corpus.seed).toBe(5);
    expect(corpus.elapsedMs).toBeGreaterThan(0);
    for (const { values, meta } of corpus.series) {
      expect(values).toBeInstanceOf(Float64Array);
      expect(values.length).toBe(WEEKS);
      for (const v of values) {
        expect(Number.isFinite(v) && v >= 0 && Number.isInteger(v)).toBe(true);
      }
      expect(Math.max(...values)).toBeGreaterThan(0);
      expect(meta.n).toBeGreaterThanOrEqual(SMALL.minNodes);
      expect(meta.n).toBeLessThanOrEqual(SMALL.maxNodes);
      expect(meta.reporting).toBeGreaterThan(0);
      expect(meta.reporting).toBeLessThanOrEqual(1);
      expect(meta.dispersion).toBeGreaterThan(0);
      expect(meta.delayWeeks).toBeGreaterThanOrEqual(0);
      expect(meta.delayWeeks).toBeLessThanOrEqual(2);
      expect(meta.r0).toBeGreaterThan(1);
      expect(meta.stream).toBeGreaterThan(0);
      expect(["SIR seasons", "SEIR seasons", "SIRS", "SEIRS"]).toContain(meta.model);
    }
  });

  it("reports progress once per series", () => {
    const calls: [number, number][] = [];
    generateCorpus({ series: 3, weeks: 20, seed: 1, ...SMALL, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it("rejects a bad seed, index or size by name", () => {
    expect(() => generateCorpusSeries(-1, 0, 10)).toThrow(expect.objectContaining({ name: "SpreadlabError" }));
    expect(() => generateCorpusSeries(1, 0.5, 10)).toThrow(expect.objectContaining({ name: "ForecastError" }));
    expect(() => generateCorpusSeries(1, 0, 0)).toThrow(expect.objectContaining({ name: "ForecastError" }));
    expect(() => generateCorpusSeries(1, 0, 10, { minNodes: 5000, maxNodes: 100 })).toThrow(expect.objectContaining({ name: "ForecastError" }));
  });

  it("looks like ILI: most northern season peaks fall in December–March, well above the floor", () => {
    const summary = summarizeCorpus(corpus.series.filter((s) => s.meta.climate === "northern"));
    const [jan, feb, mar] = summary.peakMonth;
    expect(jan + feb + mar + summary.peakMonth[11]).toBeGreaterThan(0.6);
    expect(summary.peakRatio[3]).toBeGreaterThan(2); // median season max / floor
    expect(sparkline(corpus.series[0].values, 52)).toHaveLength(52);
  });
});

describe("corpus: climates (where the seasons fall in the year)", () => {
  const months = (series: ReturnType<typeof generateCorpusSeries>[]) => summarizeCorpus(series).peakMonth;
  // Seed 5: 12 series in three groups, one continuous (SIRS/SEIRS) and two of yearly seasons.
  const draw = (climate: { southern: number; tropical: number }) => Array.from({ length: 12 }, (_, i) => generateCorpusSeries(5, i, WEEKS, { ...SMALL, climate }));

  it("a northern series is the same draw with or without the mix; shares 0, 0 give the northern corpus", () => {
    const mixed = draw({ southern: 0.5, tropical: 0.3 });
    const north = draw({ southern: 0, tropical: 0 });
    expect(north.every((s) => s.meta.climate === "northern" && s.meta.seasonShiftWeeks === 0)).toBe(true);
    const kept = mixed.filter((s) => s.meta.climate === "northern");
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(mixed.length);
    for (const s of kept) expect(same(s.values, north[s.meta.stream - 1].values)).toBe(true);
    for (const s of mixed.filter((x) => x.meta.climate !== "northern")) expect(same(s.values, north[s.meta.stream - 1].values)).toBe(false);
  });

  it("southern seasons peak in June–September and northern ones in December–March; tropical shifts are whole weeks in 0–51", () => {
    const south = months(draw({ southern: 1, tropical: 0 }));
    const north = months(draw({ southern: 0, tropical: 0 }));
    expect(south[5] + south[6] + south[7] + south[8]).toBeGreaterThan(0.6);
    expect(north[11] + north[0] + north[1] + north[2]).toBeGreaterThan(0.6);
    const tropical = draw({ southern: 0, tropical: 1 }).map((s) => s.meta.seasonShiftWeeks);
    expect(tropical.every((w) => Number.isInteger(w) && w >= 0 && w < 52)).toBe(true);
    expect(new Set(tropical).size).toBeGreaterThan(4);
  });

  it("rejects shares outside [0, 1] or summing above 1", () => {
    for (const climate of [{ southern: -0.1, tropical: 0 }, { southern: 0.6, tropical: 0.5 }, { southern: Number.NaN, tropical: 0 }]) {
      expect(() => generateCorpusSeries(1, 0, 10, { ...SMALL, climate })).toThrow(/southern and tropical shares must be in \[0, 1\] with a sum ≤ 1/);
    }
  });
});

/** Cumulants of the negative binomial with mean μ and dispersion k (Poisson as k → ∞). */
function negativeBinomialMoments(mu: number, k: number): { variance: number; fourthCentral: number } {
  const a = mu / k; // 0 for the Poisson
  const k2 = mu * (1 + a);
  const k4 = mu * (1 + a) * (1 + 6 * a + 6 * a * a);
  return { variance: k2, fourthCentral: k4 + 3 * k2 * k2 };
}

describe("reporting noise: negative binomial with mean μ and variance μ + μ²/k", () => {
  const R = 20000;
  it.each([
    [5, 2],
    [200, 20],
    [5000, 100],
    [50, Infinity],
    [0.3, 0.5],
  ])("μ = %d, k = %d: sample mean and variance within 4 standard errors", (mu, k) => {
    const draws = reportingNoise(new Float64Array(R).fill(mu), k, createRandom(11, Math.round(mu * 7)));
    const { variance, fourthCentral } = negativeBinomialMoments(mu, k);
    const e = estimate(draws);
    // Mean: SE = σ/√R. Variance: Var(s²) = (μ₄ − σ⁴(R − 3)/(R − 1))/R.
    expect(Math.abs(e.mean - mu)).toBeLessThan(4 * Math.sqrt(variance / R));
    const seVariance = Math.sqrt((fourthCentral - (variance * variance * (R - 3)) / (R - 1)) / R);
    expect(Math.abs(e.sd ** 2 - variance)).toBeLessThan(4 * seVariance);
    expect(draws.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });

  it("μ = 4, k = 1.5: the counts follow the negative-binomial pmf (χ² at the 10⁻⁴ level)", () => {
    const mu = 4;
    const k = 1.5;
    const rng = createRandom(3, 1);
    const observed = new Array<number>(60).fill(0);
    for (let i = 0; i < R; i++) observed[Math.min(59, negativeBinomial(rng, mu, k))]++;
    // pmf by recursion: P(0) = (k/(k+μ))^k, P(x+1) = P(x)·(x+k)/(x+1)·μ/(k+μ); the last cell takes the tail.
    const p = [Math.pow(k / (k + mu), k)];
    for (let x = 0; x < 58; x++) p.push((p[x] * (x + k) * mu) / ((x + 1) * (k + mu)));
    p.push(1 - p.reduce((a, b) => a + b, 0));
    const { statistic, dof } = chiSquareTest(observed, p);
    expect(statistic).toBeLessThan(chiSquareCritical(dof, 3.719)); // z of 10⁻⁴
  });

  it.each([0.4, 3])("gamma with shape %d has mean a·θ and variance a·θ² (4 SE)", (shape) => {
    const rng = createRandom(8, shape * 10);
    const theta = 2;
    const draws = Float64Array.from({ length: R }, () => gamma(rng, shape, theta));
    const e = estimate(draws);
    const variance = shape * theta * theta;
    expect(Math.abs(e.mean - shape * theta)).toBeLessThan(4 * Math.sqrt(variance / R));
    // Gamma: μ₄ = 3a(a + 2)θ⁴.
    const seVariance = Math.sqrt((3 * shape * (shape + 2) * theta ** 4 - (variance * variance * (R - 3)) / (R - 1)) / R);
    expect(Math.abs(e.sd ** 2 - variance)).toBeLessThan(4 * seVariance);
  });
});

describe("reporting delay and fraction conserve counts", () => {
  const kernel = [0.6, 0.3, 0.1];
  const latent = Float64Array.from({ length: 30 }, (_, w) => (w < 25 ? 100 + 40 * Math.sin(w) : 0));
  const total = latent.reduce((a, b) => a + b, 0);

  it("the kernel moves counts later without losing any (exactly, when the series ends after the delays)", () => {
    const delayed = applyDelay(latent, kernel);
    expect(delayed.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 9);
    // A single pulse is spread as the kernel.
    const pulse = applyDelay([0, 10, 0, 0, 0], kernel);
    [0, 6, 3, 1, 0].forEach((x, w) => expect(pulse[w]).toBeCloseTo(x, 12));
  });

  it("in expectation, reported totals are ρ × the latent total (4 SE over 2000 reports)", () => {
    const rho = 0.3;
    const k = 40;
    const rng = createRandom(21, 2);
    const runIn = kernel.length - 1;
    const totals = Float64Array.from({ length: 2000 }, () => reportSeries(latent, { fraction: rho, delay: kernel, dispersion: k }, rng).reduce((a, b) => a + b, 0));
    // Expected: ρ × (latent delayed into the output weeks); the run-in weeks' own counts are only partly reported.
    const delayed = applyDelay(latent, kernel);
    let expected = 0;
    let variance = 0;
    for (let w = runIn; w < latent.length; w++) {
      const mu = rho * delayed[w];
      expected += mu;
      variance += mu + (mu * mu) / k;
    }
    const e = estimate(totals);
    expect(Math.abs(e.mean - expected)).toBeLessThan(4 * Math.sqrt(variance / totals.length));
    expect(Math.abs(e.sd ** 2 / variance - 1)).toBeLessThan(0.15); // sd of s²/σ² ≈ √(2/2000) ≈ 0.03 for near-normal totals
  });

  it("step changes of reporting scale the expectation from their week on", () => {
    const flat = new Float64Array(12).fill(1000);
    const rng = createRandom(2, 2);
    const sums = new Float64Array(10);
    const reps = 400;
    for (let r = 0; r < reps; r++) {
      const y = reportSeries(flat, { fraction: 0.5, delay: kernel, dispersion: Infinity, jumps: [{ week: 5, factor: 2 }] }, rng);
      y.forEach((v, w) => (sums[w] += v / reps));
    }
    // Poisson means 500 then 1000; SE of a mean of 400 draws ≤ √(1000/400) ≈ 1.6.
    for (let w = 0; w < 10; w++) expect(Math.abs(sums[w] - (w < 5 ? 500 : 1000))).toBeLessThan(4 * Math.sqrt((w < 5 ? 500 : 1000) / reps));
  });

  it("rejects kernels that are not distributions, by name", () => {
    expect(() => checkDelayKernel([0.5, 0.4])).toThrow(expect.objectContaining({ name: "ForecastError" }));
    expect(() => checkDelayKernel([1.2, -0.2])).toThrow(expect.objectContaining({ name: "ForecastError" }));
  });
});

describe("weekly aggregation of the engine's infection times", () => {
  const csr = generateCSR({ type: "erdos-renyi", n: 2000, k: 6 }, 4);

  it("SIR: every infection (the final size, seeds included) lands in exactly one week", () => {
    const result = simulate(csr, {
      model: { preset: "SIR", params: { beta: 0.3, gamma: 1 } },
      time: { mode: "continuous", tmax: Infinity },
      initial: { I: { count: 10 } },
      seed: 9,
      output: { nodes: "first", infectionTimes: true, history: true },
    });
    const run = result.nodes!.runs[0];
    const finalSize = result.finalSize.values[0];
    expect(finalSize).toBeGreaterThan(500);
    const times = run.infectionTime!.map((t) => t ?? NaN);
    const weekly = weeklyIncidence(times, { daysPerUnit: 3.5, weeks: 1000 });
    expect(weekly.reduce((a, b) => a + b, 0)).toBe(finalSize);
    // Onsets from the state history (entries into I) plus the seeds: the same total.
    const onsets = entryTimes(run.history!, result.compartments.indexOf("I"));
    expect(onsets.length + 10).toBe(finalSize);
    // A window that ends early keeps exactly the times inside it.
    const cut = weeklyIncidence(times, { daysPerUnit: 3.5, weeks: 3, originDay: 2 });
    const inside = times.filter((t) => Number.isFinite(t) && 2 + 3.5 * t < 21).length;
    expect(cut.reduce((a, b) => a + b, 0)).toBe(inside);
  });
});
