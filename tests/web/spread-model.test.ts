/**
 * Spread between regions, pure logic: the scenario built from the region graph and the what-if interventions
 * (closing an edge removes it from the uploaded network; the factor multiplies every mobility), the settings'
 * checks with their paths, per-region outcomes from a field, the comparison, the prevalence colours.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_POPULATION,
  SPREAD_DEFAULTS,
  compareOutcomes,
  edgeKey,
  edgeWidth,
  mobilityWeights,
  openEdges,
  prevalenceColour,
  regionEdges,
  regionOutcomes,
  spreadIssues,
  spreadNetwork,
  spreadScenario,
  type SpreadRegion,
} from "../../web/src/regions/spread.js";

const regions: SpreadRegion[] = [
  { region: "A", population: 1000 },
  { region: "B", population: 2000 },
  { region: "C", population: DEFAULT_POPULATION },
];
const edges = [
  { source: "A", target: "B" },
  { source: "B", target: "A" }, // the same undirected edge
  { source: "C", target: "B" },
  { source: "C", target: "C" }, // a self-loop is not travel
];
const settings = { ...SPREAD_DEFAULTS, seedRegion: "A" };
const none = { closed: new Set<string>(), mobilityScale: 1 };

describe("region edges and interventions", () => {
  it("keys an edge the same both ways and drops duplicates and self-loops", () => {
    expect(edgeKey("A", "B")).toBe(edgeKey("B", "A"));
    expect(regionEdges(edges)).toEqual([{ source: "A", target: "B" }, { source: "B", target: "C" }]);
  });

  it("closing an edge removes it from the uploaded network; the regions stay", () => {
    const open = openEdges(edges, { closed: new Set([edgeKey("B", "A")]) });
    expect(open).toEqual([{ source: "B", target: "C" }]);
    const net = JSON.parse(spreadNetwork(regions, open));
    expect(net.nodes.map((n: { key: string }) => n.key)).toEqual(["A", "B", "C"]);
    expect(net.edges).toEqual([{ source: "B", target: "C" }]);
    expect(net.options.type).toBe("undirected");
    // Closing every edge leaves three isolated regions.
    const all = new Set(regionEdges(edges).map((e) => edgeKey(e.source, e.target)));
    expect(JSON.parse(spreadNetwork(regions, openEdges(edges, { closed: all }))).edges).toEqual([]);
  });

  it("per-edge mobility: weights relative to their mean (closed edges included), negatives as 0; unweighted gives 1 everywhere", () => {
    const weighted = [
      { source: "B", target: "A", weight: 4 },
      { source: "A", target: "B", weight: 100 }, // the same edge again: the first weight stays
      { source: "B", target: "C", weight: 2 },
      { source: "A", target: "C", weight: -0.3 }, // a negative correlation: no travel
    ];
    expect(mobilityWeights(weighted)).toEqual([
      { source: "A", target: "B", weight: 2 },
      { source: "A", target: "C", weight: 0 },
      { source: "B", target: "C", weight: 1 },
    ]);
    expect(mobilityWeights(weighted, false).map((e) => e.weight)).toEqual([1, 1, 1]);
    expect(mobilityWeights(edges).map((e) => e.weight)).toEqual([1, 1]);
    // Closing an edge after weighting leaves the other rates as they were.
    const open = openEdges(mobilityWeights(weighted), { closed: new Set([edgeKey("A", "B")]) });
    expect(open.map((e) => e.weight)).toEqual([0, 1]);
    const net = JSON.parse(spreadNetwork(regions, open));
    expect(net.edges).toEqual([
      { source: "A", target: "C", attributes: { weight: 0 } },
      { source: "B", target: "C", attributes: { weight: 1 } },
    ]);
    expect((spreadScenario(regions, settings, none, "x") as { network: unknown }).network).toEqual({ weight: "weight" });
  });

  it("heat: one unit in the seed region, D = mobility × factor, on the weighted Laplacian; outcomes are u, its largest value and time", () => {
    const sc = spreadScenario(regions, { ...settings, model: "heat" }, { closed: new Set(), mobilityScale: 0.5 }, "h") as { model: { preset: string; laplacian: string; params: Record<string, number> }; initial: unknown; network: unknown };
    expect(sc.model).toEqual({ type: "reaction-diffusion", preset: "heat", laplacian: "combinatorial", params: { D: settings.mobility * 0.5 } });
    expect(sc.initial).toEqual({ u: { nodes: { A: 1 } } });
    expect(sc.network).toEqual({ weight: "weight" });
    const out = regionOutcomes({ times: [0, 1, 2], field: { nodeIds: ["A", "B"], u: [[1, 0], [0.7, 0.3], [0.6, 0.4]] } }, "heat");
    expect(out[0]).toMatchObject({ region: "A", peakTime: 0, peak: 1, finalSize: 0.6 });
    expect(out[1]).toMatchObject({ region: "B", peakTime: 2, peak: 0.4, finalSize: 0.4 });
  });

  it("edge widths grow with the rate, from 0.5 px at 0 to 4 px at the largest baseline rate", () => {
    expect(edgeWidth(0, 2)).toBe(0.5);
    expect(edgeWidth(2, 2)).toBe(4);
    expect(edgeWidth(1, 2)).toBe(2.25);
    expect(edgeWidth(5, 2)).toBe(4);
    expect(edgeWidth(1, 0)).toBe(0.5);
  });

  it("the factor multiplies every compartment's mobility; β, γ and the seeding are unchanged", () => {
    const base = spreadScenario(regions, settings, none, "baseline") as { model: { params: Record<string, number>; laplacian: string; preset: string } };
    const half = spreadScenario(regions, settings, { closed: new Set(), mobilityScale: 0.25 }, "what if") as typeof base;
    for (const k of ["mobilityS", "mobilityI", "mobilityR"]) {
      expect(base.model.params[k]).toBe(SPREAD_DEFAULTS.mobility);
      expect(half.model.params[k]).toBeCloseTo(0.25 * SPREAD_DEFAULTS.mobility, 15);
    }
    expect(half.model.params.beta).toBe(base.model.params.beta);
    expect(base.model.preset).toBe("metapopulation-sir");
    expect(base.model.laplacian).toBe("combinatorial");
  });

  it("seeds the chosen region: S = N − I₀ there and N elsewhere; seed and times pass through", () => {
    const s = spreadScenario(regions, { ...settings, seedInfected: 10, seed: 7 }, none, "x") as Record<string, any>;
    expect(s.initial.S.nodes).toEqual({ A: 990, B: 2000, C: DEFAULT_POPULATION });
    expect(s.initial.I.nodes).toEqual({ A: 10 });
    expect(s.seed).toBe(7);
    expect(s.time).toEqual({ mode: "continuous", tmax: SPREAD_DEFAULTS.tmax, record: SPREAD_DEFAULTS.record });
  });

  it("Fisher–KPP: D = mobility × factor, r = β − γ, the seed region starts at I₀/N of its capacity", () => {
    const s = spreadScenario(regions, { ...settings, model: "fisher-kpp", seedInfected: 10 }, { closed: new Set(), mobilityScale: 0.5 }, "x") as Record<string, any>;
    expect(s.model).toMatchObject({ preset: "fisher-kpp", laplacian: "combinatorial" });
    expect(s.model.params.D).toBeCloseTo(0.5 * SPREAD_DEFAULTS.mobility, 15);
    expect(s.model.params.r).toBeCloseTo(SPREAD_DEFAULTS.beta - SPREAD_DEFAULTS.gamma, 15);
    expect(s.initial).toEqual({ u: { nodes: { A: 10 / 1000 } } });
  });

  it("reports bad settings with their field paths", () => {
    expect(spreadIssues(regions, settings, none)).toEqual([]);
    const paths = spreadIssues(regions, { ...settings, beta: -1, seedRegion: "Z" }, { closed: new Set(), mobilityScale: Number.NaN }).map((i) => i.path);
    expect(paths).toEqual(["model.params.beta", "whatIf.mobilityScale", "initial.I.nodes"]);
    expect(spreadIssues(regions, { ...settings, seedInfected: 5000 }, none).map((i) => i.path)).toEqual(["initial.I.nodes"]);
  });
});

describe("outcomes and comparison", () => {
  // Two regions, three record times; N = 100 in each.
  const result = (iB: number[]) => ({
    times: [0, 1, 2],
    field: {
      nodeIds: ["A", "B"],
      S: [[90, 100], [50, 100 - iB[1]], [40, 100 - iB[2] - 5]],
      I: [[10, 0], [40, iB[1]], [20, iB[2]]],
      R: [[0, 0], [10, 0], [40, 5]],
    },
  });

  it("prevalence I/N, the peak's time and the final size R/N per region", () => {
    const [a, b] = regionOutcomes(result([0, 2, 30]));
    expect(a.prevalence).toEqual([0.1, 0.4, 0.2]);
    expect(a.peakTime).toBe(1);
    expect(a.peak).toBeCloseTo(0.4, 15);
    expect(a.finalSize).toBeCloseTo(0.4, 15);
    expect(b.peakTime).toBe(2);
    expect(b.finalSize).toBeCloseTo(0.05, 15);
  });

  it("compares region by region: delay of the peak and change of the final size", () => {
    const rows = compareOutcomes(regionOutcomes(result([0, 30, 2])), regionOutcomes(result([0, 2, 30])));
    expect(rows[1].region).toBe("B");
    expect(rows[1].delay).toBe(1);
    expect(rows[0].delay).toBe(0);
    expect(rows[0].finalSizeChange).toBe(0);
  });

  it("a region the epidemic never reaches has no peak day, and no delay", () => {
    const [, b] = regionOutcomes(result([0, 0, 0]));
    expect(b.peakTime).toBeNull();
    expect(b.peak).toBe(0);
    const rows = compareOutcomes(regionOutcomes(result([0, 2, 30])), regionOutcomes(result([0, 0, 0])));
    expect(rows[1].delay).toBeNull();
    expect(rows[1].finalSizeChange).toBeCloseTo(0, 15); // both runs have R = 5 in B
  });

  it("Fisher–KPP outcomes: u, the first time u ≥ ½ (null if never), the final u", () => {
    const [a, b] = regionOutcomes({ times: [0, 1, 2], field: { nodeIds: ["A", "B"], u: [[0.1, 0], [0.6, 0.1], [0.9, 0.3]] } });
    expect(a).toMatchObject({ prevalence: [0.1, 0.6, 0.9], peakTime: 1, peak: 0.9, finalSize: 0.9 });
    expect(b).toMatchObject({ peakTime: null, finalSize: 0.3 });
  });

  it("refuses a result without an S, I, R field", () => {
    expect(() => regionOutcomes({ times: [0] })).toThrow(/metapopulation-sir/);
  });

  it("prevalence colours run from the light end at 0 to the dark end at the maximum", () => {
    expect(prevalenceColour(0, 0.2)).toBe("#f3e6ef");
    expect(prevalenceColour(0.2, 0.2)).toBe("#7a2a5c");
    expect(prevalenceColour(0.05, 0.2)).not.toBe(prevalenceColour(0.1, 0.2));
  });
});
