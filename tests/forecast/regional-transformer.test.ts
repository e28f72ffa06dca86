/**
 * The transformer as a regional method: the same numbers as a direct forward pass of the bundled checkpoint
 * (forecastRegion, service.ts), nothing read after asOf (rows poisoned, zero-shot and fine-tuned), and a
 * fine-tuned region's backtest restricted to the fine-tune's early-stopping rows (never in-sample).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { HUB_QUANTILE_LEVELS, loadDataset } from "../../src/forecast/index.js";
import { forecastRegions } from "../../src/forecast/regional.js";
import { initTf } from "../../src/forecast/transformer/backend.js";
import { finetuneOnTable, forecastRegion, loadPretrained } from "../../src/forecast/transformer/service.js";
import type { SeriesTable } from "../../src/forecast/series-csv.js";

/** The first `regions` columns of region785 (weekly ILI, 10 HHS regions), so fine-tuning stays quick. */
function some(regions: number): SeriesTable {
  const t = loadDataset("region785");
  return { ...t, regions: t.regions.slice(0, regions), values: t.values.slice(0, regions) };
}

function poison(t: SeriesTable, asOf: number): SeriesTable {
  return {
    ...t,
    values: t.values.map((v, r) => {
      const w = v.slice();
      for (let i = asOf + 1; i < w.length; i++) w[i] = r % 3 === 0 ? NaN : r % 3 === 1 ? 1e9 * (i - asOf) : 0;
      return w;
    }),
  };
}

beforeAll(async () => {
  await initTf();
});

describe("method transformer, zero-shot", () => {
  it("gives the bundled checkpoint's own forward pass from asOf, 23 sorted non-negative levels per horizon", async () => {
    const data = some(3);
    const asOf = 400;
    const result = await forecastRegions(data, { method: "transformer", asOf, horizon: 4, backtestOrigins: 0 });
    const base = await loadPretrained();
    expect(result.method).toBe("transformer");
    expect(result.finetune).toBeNull();
    result.regions.forEach((r) => {
      const direct = forecastRegion(base.model, base.manifest.config, data, r.region, asOf);
      expect(r.quantiles).toHaveLength(4);
      r.quantiles.forEach((q, h) => {
        expect(q).toEqual(Array.from(direct[h]));
        expect(q).toHaveLength(HUB_QUANTILE_LEVELS.length);
        for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]);
        expect(q[0]).toBeGreaterThanOrEqual(0);
      });
    });
  });

  it("poisoning every row after asOf changes nothing (quantiles, classes, backtest); the backtest scores 8 origins", async () => {
    const asOf = 400;
    const clean = await forecastRegions(some(10), { method: "transformer", asOf, samples: 200, backtestOrigins: 8 });
    const after = await forecastRegions(poison(some(10), asOf), { method: "transformer", asOf, samples: 200, backtestOrigins: 8 });
    expect(after).toEqual(clean);
    expect(clean.regions.every((r) => r.scores !== null && r.scores.origins === 8 && r.scores.wis > 0)).toBe(true);
  });

  it("the backtest's baseline WIS is the same as the trend method's on the same origins (one baseline, two methods)", async () => {
    const asOf = 400;
    const a = await forecastRegions(some(2), { method: "transformer", asOf, samples: 200, backtestOrigins: 6 });
    const b = await forecastRegions(some(2), { method: "trend", asOf, samples: 200, backtestOrigins: 6 });
    a.regions.forEach((r, i) => expect(r.scores!.baselineWis).toBe(b.regions[i].scores!.baselineWis));
  });
});

describe("method transformer, fine-tuned per region on rows up to asOf", () => {
  it("matches a fine-tune on the region's rows < asOf + 1; poisoned later rows change nothing; backtest on early-stopping rows only", async () => {
    const asOf = 300;
    const options = { method: "transformer" as const, asOf, horizon: 2, samples: 100, backtestOrigins: 100, finetune: { epochs: 1, strategy: "head" as const }, seed: 5 };
    const clean = await forecastRegions(some(1), options);
    const after = await forecastRegions(poison(some(1), asOf), options);
    expect(after).toEqual(clean);
    expect(clean.finetune).toEqual({ epochs: 1, strategy: "head" });
    // The same fine-tune by hand: its early-stopping rows bound the backtest's origins.
    const base = await loadPretrained();
    const tuned = await finetuneOnTable(base, some(1), { regions: [clean.regions[0].region], until: asOf + 1, epochs: 1, strategy: "head", seed: 5 });
    try {
      const direct = forecastRegion(tuned.model, tuned.config, some(1), clean.regions[0].region, asOf);
      expect(clean.regions[0].quantiles[1]).toEqual(Array.from(direct[1]));
      // Origins t with t + H ≥ validationFrom and t + H ≤ asOf: at most asOf − validationFrom + 1 of them.
      const allowed = asOf - tuned.validationFrom + 1;
      expect(allowed).toBeLessThan(100);
      expect(clean.regions[0].scores!.origins).toBe(allowed);
    } finally {
      tuned.model.dispose();
    }
  });
});

describe("method transformer-spatial (the bundled cross-region checkpoint, zero-shot)", () => {
  it("gives the cross-region network's own pass over all regions from asOf; reads nothing after asOf; the adjacency file's links enter", async () => {
    const [{ loadCheckpoint }, { defaultCheckpointDir, SPATIAL_NAME }, { predictSpatial }, { seriesFromTable }, { adjacencyMatrix }] = await Promise.all([
      import("../../src/forecast/transformer/checkpoint.js"),
      import("../../src/forecast/transformer/service.js"),
      import("../../src/forecast/transformer/spatial.js"),
      import("../../src/forecast/transformer/forecaster.js"),
      import("../../src/forecast/region-graph.js"),
    ]);
    const data = some(10);
    const asOf = 500;
    const result = await forecastRegions(data, { method: "transformer-spatial", asOf, horizon: 4, samples: 200, backtestOrigins: 6 });
    expect(result.method).toBe("transformer-spatial");
    const spatial = await loadCheckpoint(defaultCheckpointDir(SPATIAL_NAME));
    const direct = predictSpatial(spatial.model, spatial.manifest.config, { series: seriesFromTable(data, asOf + 1), adjacency: null, limit: asOf + 1 }, [asOf])[0];
    result.regions.forEach((r, i) => {
      expect(r.quantiles).toEqual(direct[i].slice(0, 4).map((q) => Array.from(q)));
      expect(r.quantiles[3]).toHaveLength(HUB_QUANTILE_LEVELS.length);
      expect(r.scores?.origins).toBe(6);
    });
    const after = await forecastRegions(poison(data, asOf), { method: "transformer-spatial", asOf, horizon: 4, samples: 200, backtestOrigins: 6 });
    expect(after.regions).toEqual(result.regions);
    // Links from an adjacency file go into the network (a chain of the ten regions).
    const edges = data.regions.slice(1).map((r, i) => ({ source: data.regions[i], target: r, weight: 1 }));
    const linked = await forecastRegions(data, { method: "transformer-spatial", asOf, horizon: 4, samples: 200, backtestOrigins: 0, edges });
    const withLinks = predictSpatial(spatial.model, spatial.manifest.config, { series: seriesFromTable(data, asOf + 1), adjacency: adjacencyMatrix(edges, data.regions), limit: asOf + 1 }, [asOf])[0];
    linked.regions.forEach((r, i) => expect(r.quantiles).toEqual(withLinks[i].slice(0, 4).map((q) => Array.from(q))));
    expect(linked.regions.map((r) => r.quantiles)).not.toEqual(result.regions.map((r) => r.quantiles));
    spatial.model.dispose();
  });
});
