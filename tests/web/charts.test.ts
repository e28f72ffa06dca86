/** Chart data shaping (bands, alignment, fan chart), the summary card, the degree distribution, palette. */
import { describe, expect, it } from "vitest";
import { alignSeries, bandData, recordIndex, type ResultLike } from "../../web/src/run/series.js";
import { networkR0, quantile, summarise, summaryMetrics, formatNumber, thresholdLine } from "../../web/src/run/summary.js";
import { defaultFanContext, fanWindowOptions, fanData, levelIndex, protocolLines, type ForecastResultLike, type ForecasterInfo } from "../../web/src/forecast/fan.js";
import { degreeSummary, logBinned, nodeSize } from "../../web/src/network/degree.js";
import { compartmentColours, graphLegend, hexToRgb, IDLE_COLOUR, OKABE_ITO, withAlpha } from "../../web/src/palette.js";

const result: ResultLike = {
  scenario: "t",
  runs: 3,
  n: 10,
  model: "SIR",
  compartments: ["S", "I", "R"],
  times: [0, 1, 2],
  mean: { S: [9, 7, 5], I: [1, 2, 3], R: [0, 1, 2] },
  quantiles: {
    I: { "0.025": [1, 1, 1], "0.25": [1, 2, 2], "0.5": [1, 2, 3], "0.75": [1, 3, 4], "0.975": [1, 4, 5] },
  },
  finalSize: { mean: 6, sd: 1, values: [5, 6, 7] },
  peak: { mean: 3, sd: 1, values: [2, 3, 4], time: { mean: 2, sd: 0, values: [2, 2, 2] } },
  attackRate: { mean: 0.6, sd: 0.1 },
};

describe("bandData", () => {
  it("takes the median and the 50%/95% bands from the quantiles, and the mean where there are none", () => {
    const data = bandData(result, ["I", "R"]);
    expect(data.times).toEqual([0, 1, 2]);
    expect(data.compartments.map((c) => c.name)).toEqual(["I", "R"]);
    expect(data.compartments[0]).toEqual({ name: "I", median: [1, 2, 3], inner: [[1, 2, 2], [1, 3, 4]], outer: [[1, 1, 1], [1, 4, 5]] });
    expect(data.compartments[1].median).toEqual([0, 1, 2]);
  });
});

describe("alignSeries", () => {
  it("puts runs with different record times on one axis, carrying values forward, null outside a run", () => {
    const aligned = alignSeries([
      { times: [0, 1, 2], values: [1, 2, 3] },
      { times: [0, 0.5, 1.5], values: [10, 20, 30] },
    ]);
    expect(aligned.times).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(aligned.values).toEqual([
      [1, 1, 2, 2, 3],
      [10, 20, 20, 30, null],
    ]);
  });

  it("recordIndex finds the last record time at or before t", () => {
    expect([-1, 0, 0.5, 1, 1.99, 2, 9].map((t) => recordIndex([0, 1, 2], t))).toEqual([0, 0, 0, 1, 1, 2, 2]);
  });
});

describe("summary card", () => {
  it("R0 = T(⟨k²⟩ − ⟨k⟩)/⟨k⟩ with T = β/(β+γ) (Newman 2002): a 4-regular graph with T = 1/2 gives 3/2", () => {
    expect(networkR0({ beta: 0.2, gamma: 0.2 }, { meanDegree: 4, meanSquareDegree: 16 })).toBeCloseTo(1.5, 12);
    expect(networkR0({ probability: 0.1 }, { meanDegree: 4, meanSquareDegree: 16 })).toBeNull();
  });

  it("quantile interpolates between order statistics (numpy's default)", () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([5, 6, 7], 0.025)).toBeCloseTo(5.05, 12);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it("summarises peak, attack rate and final size with its 95% interval", () => {
    const s = summarise(result, { beta: 0.2, gamma: 0.2 }, { meanDegree: 4, meanSquareDegree: 16 });
    expect(s).toMatchObject({ r0: 1.5, peak: { mean: 3, day: 2 }, attackRate: 0.6, n: 10, runs: 3 });
    expect(s.finalSize.lo).toBeCloseTo(5.05, 12);
    expect(s.finalSize.hi).toBeCloseTo(6.95, 12);
    expect([formatNumber(0.123456), formatNumber(12345.6), formatNumber(null), formatNumber(NaN)]).toEqual(["0.123", "12,346", "—", "—"]);
  });

  it("gives the card's figures: R₀ and peak for compartmental models; final active, reach and rounds for cascades", () => {
    const stats = { meanDegree: 4, meanSquareDegree: 16 };
    expect(summaryMetrics(result, false, { beta: 0.2, gamma: 0.2 }, stats).map(([label, value]) => [label, value])).toEqual([
      ["R₀ (network estimate)", "1.5"],
      ["Peak infectious", "3"],
      ["Attack rate", "60%"],
      ["Final size", "6"],
    ]);
    const cascade = summaryMetrics({ ...result, duration: { mean: 2.5, values: [2, 3] } }, true, { probability: 0.1 }, stats);
    expect(cascade.map(([label, value]) => [label, value])).toEqual([
      ["Final active", "6"],
      ["Reach", "60%"],
      ["Rounds", "2.5"],
    ]);
    expect(cascade[0][2]).toBe("95% of runs: 5.05–6.95 (seeds included)");
    expect(cascade[2][2]).toBe("until no new activation; runs took 2–3");
    expect(cascade.some(([label]) => /R₀|Peak/.test(label))).toBe(false);
    // Without durations: rounds from the record times.
    expect(summaryMetrics(result, true, {}, null)[2][1]).toBe(formatNumber(result.times.length - 1));
  });
});

describe("vaccinated, endemic prevalence and the epidemic threshold on the card", () => {
  const stats = { meanDegree: 4, meanSquareDegree: 16 };
  it("reports vaccinated nodes beside the attack rate, which counts infections only", () => {
    const metrics = summaryMetrics({ ...result, attackRate: { mean: 0.9, sd: 0 }, vaccinated: { mean: 2, sd: 0 } }, false, { beta: 0.2, gamma: 0.2 }, stats);
    // Attack rate = finalSize / n (6 / 10), whatever a stale attackRate field says.
    expect(metrics.find(([l]) => l === "Attack rate")?.[1]).toBe("60%");
    expect(metrics.find(([l]) => l === "Vaccinated")).toEqual(["Vaccinated", "2", "20% of nodes, moved out of S without infection"]);
    expect(summaryMetrics(result, false, {}, null).some(([l]) => l === "Vaccinated")).toBe(false);
  });

  it("shows endemic prevalence instead of attack rate and final size for endemic models", () => {
    const labels = summaryMetrics({ ...result, prevalence: { mean: 2.5, sd: 0.1, window: [25, 50] } }, false, { beta: 0.1, gamma: 0.4 }, stats);
    expect(labels.map(([l]) => l)).toEqual(["R₀ (network estimate)", "Peak infectious", "Endemic prevalence"]);
    expect(labels[2][1]).toBe("25%");
    expect(labels[2][2]).toMatch(/days 25–50/);
  });

  it("compares T = β/(β+γ) with T_c = ⟨k⟩/(⟨k²⟩−⟨k⟩) and names the side", () => {
    // ⟨k⟩ = 4, ⟨k²⟩ = 16: T_c = 4 / 12 = 1/3.
    const above = thresholdLine({ beta: 0.2, gamma: 0.2 }, stats)!;
    expect(above.tc).toBeCloseTo(1 / 3, 12);
    expect(above.t).toBeCloseTo(0.5, 12);
    expect(above.text).toMatch(/^T = β\/\(β\+γ\) = 0\.5, above the epidemic threshold T_c = ⟨k⟩\/\(⟨k²⟩−⟨k⟩\) = 0\.333$/);
    expect(thresholdLine({ beta: 0.1, gamma: 0.4 }, stats)!.text).toMatch(/below/);
    expect(thresholdLine({ probability: 0.1 }, stats)).toBeNull();
    expect(thresholdLine({ beta: 0.1, gamma: 0.4 }, { meanDegree: 2, meanSquareDegree: 2 })).toBeNull();
  });
});

describe("fanData", () => {
  const levels = [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99];
  const q = (m: number) => levels.map((l) => m + (l - 0.5) * 10);
  const forecast: ForecastResultLike = {
    region: "Region 1",
    method: "baseline",
    observed: { times: ["2017-W38", "2017-W39", "2017-W40", "2017-W41"], values: [1, null, 3, 4] },
    horizons: [1, 2, 4],
    targets: ["2017-W42", "2017-W43", "2017-W45"],
    levels,
    quantiles: [q(5), q(6), q(8)],
    median: [5, 6, 8],
  };

  it("places observations, then the fan from the last one, at the horizons' offsets", () => {
    const fan = fanData(forecast, 3);
    expect(fan.asOfX).toBe(2);
    expect(fan.x).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(fan.observed).toEqual([null, 3, 4, null, null, null, null]);
    expect(fan.median).toEqual([null, null, 4, 5, 6, null, 8]);
    expect(fan.lo95[3]).toBeCloseTo(5 - 4.75, 12);
    expect(fan.hi50[6]).toBeCloseTo(8 + 2.5, 12);
    expect(fan.labels).toEqual(["2017-W39", "2017-W40", "2017-W41", "2017-W42", "2017-W43", "+3", "2017-W45"]);
  });

  it("levelIndex finds the hubs' levels and refuses a missing one", () => {
    expect(levelIndex(levels, 0.975)).toBe(21);
    expect(() => levelIndex([0.1, 0.5, 0.9], 0.025)).toThrow(/no quantile level 0.025/);
  });
});

describe("degree distribution", () => {
  it("counts nodes per degree and bins them logarithmically", () => {
    const s = degreeSummary([1, 1, 2, 3, 4, 8], 9.5);
    expect(s).toMatchObject({ n: 6, meanDegree: 19 / 6, maxDegree: 8 });
    expect(s.histogram).toEqual([0, 2, 1, 1, 1, 0, 0, 0, 1]);
    const binned = logBinned(s.histogram);
    expect(binned.degree).toEqual([1, 2, 4, 8]);
    expect(binned.density).toEqual([2 / 6, 2 / 6 / 2, 1 / 6 / 4, 1 / 6]);
    expect(nodeSize(0, 8)).toBe(2);
    expect(nodeSize(8, 8)).toBe(14);
  });
});

describe("palette", () => {
  it("gives compartments fixed Okabe–Ito colours, distinct within a model", () => {
    expect(compartmentColours(["S", "I", "R"])).toEqual([OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen]);
    const custom = compartmentColours(["S", "E", "I", "H", "R", "X", "Y"]);
    expect(new Set(custom).size).toBe(custom.length);
    expect(Object.values(OKABE_ITO)).toEqual(expect.arrayContaining(custom));
    expect(hexToRgb("#D55E00")).toEqual([213, 94, 0]);
    expect(withAlpha("#0072B2", 0.25)).toBe("rgba(0,114,178,0.25)");
  });
});

describe("protocolLines", () => {
  it("reads the checkpoint's recorded evaluation: RMSE per horizon, mean WIS relative to the hub baseline, 95% coverage", () => {
    const info: ForecasterInfo = {
      available: true,
      backend: "wasm",
      checkpoint: {
        evaluation: {
          protocol: "colagnn",
          datasets: {
            region785: {
              horizons: [2, 15],
              methods: {
                transformer: { rmse: [448.4, 749.2], wis: [100, 300], coverage95: [0.991, 0.978] },
                "hub-baseline": { rmse: [545, 1749], wis: [200, 600], coverage95: [0.94, 0.93] },
                persistence: { rmse: [545, 1749], wis: [null, null], coverage95: [null, null] },
              },
            },
            partial: { horizons: [2], methods: { persistence: { rmse: [1], wis: [null], coverage95: [null] } } },
          },
        },
      },
    };
    expect(protocolLines(info)).toEqual([{ dataset: "region785", horizons: "2 / 15", rmse: "448 / 749", relativeWis: 0.5, coverage95: "0.99 / 0.98" }]);
    expect(protocolLines(null)).toEqual([]);
    expect(protocolLines({ available: false, backend: null, checkpoint: null })).toEqual([]);
  });
});

describe("graphLegend", () => {
  it("names each compartment of the shown run with the colour the graph uses for it", () => {
    const items = graphLegend(["S", "E", "I", "R"]);
    expect(items.map((i) => i.colour)).toEqual(compartmentColours(["S", "E", "I", "R"]));
    expect(items.map((i) => i.label)).toEqual(["S — susceptible", "E — exposed", "I — infectious", "R — recovered / removed"]);
    expect(graphLegend(["inactive", "active"]).map((i) => i.colour)).toEqual([OKABE_ITO.blue, OKABE_ITO.vermillion]);
    expect(graphLegend(["X"])[0].label).toBe("X");
  });
  it("before a run, shows the idle grey", () => {
    expect(graphLegend(null)).toEqual([{ label: expect.stringMatching(/run an ensemble/), colour: IDLE_COLOUR }]);
  });
});

describe("the fan chart's window", () => {
  it("zooms by default so that a 4-week fan takes at least a fifth of the x axis", () => {
    const weeks = 400;
    const levels = [0.025, 0.25, 0.5, 0.75, 0.975];
    const result: ForecastResultLike = {
      region: "r",
      method: "baseline",
      observed: { times: Array.from({ length: weeks }, (_, i) => `w${i}`), values: Array.from({ length: weeks }, (_, i) => i) },
      horizons: [1, 2, 3, 4],
      targets: null,
      levels,
      quantiles: [1, 2, 3, 4].map(() => levels.map((q) => q * 10)),
      median: [5, 5, 5, 5],
    };
    const context = defaultFanContext(4);
    const zoomed = fanData(result, context);
    const fanShare = (d: ReturnType<typeof fanData>) => (d.x.length - 1 - d.asOfX) / (d.x.length - 1);
    expect(fanShare(zoomed)).toBeGreaterThanOrEqual(0.2);
    // The old default (two years) left the fan about 4% of the axis.
    expect(fanShare(fanData(result, 104))).toBeLessThan(0.05);
    expect(defaultFanContext(1)).toBe(16);
    expect(defaultFanContext(13)).toBe(52);
    expect(fanWindowOptions(60).map((o) => o.value)).toEqual([16, 26, 52, 60]);
    expect(fanWindowOptions(60).at(-1)!.label).toBe("all 60 weeks");
  });
});
