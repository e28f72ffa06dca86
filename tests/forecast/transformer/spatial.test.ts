/**
 * The cross-region network (src/forecast/transformer/spatial.ts): built from a univariate network it forecasts
 * exactly as that network; its attention mixes the regions of one origin and nothing else; the adjacency enters
 * through the learned per-head weight; it trains (seeded, bit-identical) and survives a checkpoint round trip.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initTf, tf } from "../../../src/forecast/transformer/backend.js";
import { buildModel } from "../../../src/forecast/transformer/model.js";
import { predictQuantiles, seriesFromTable } from "../../../src/forecast/transformer/forecaster.js";
import { loadCheckpoint, saveCheckpoint, scalingInfo } from "../../../src/forecast/transformer/checkpoint.js";
import { adjacencyFeature, isSpatialModel, predictSpatial, snapshotBatch, snapshotOrigins, snapshotSource, spatialFromUnivariate, type RegionSet } from "../../../src/forecast/transformer/spatial.js";
import { fitSpatial, trainSpatialFromScratch } from "../../../src/forecast/transformer/spatial-fit.js";
import { evaluateLoss, trainModel } from "../../../src/forecast/transformer/train.js";
import { createRandom } from "../../../src/random.js";
import { TINY, seasonalTable } from "./helpers.js";

let univariate: tf.LayersModel;
const dirs: string[] = [];

beforeAll(async () => {
  await initTf();
  univariate = buildModel(TINY, 3);
  // An untrained network's quantiles can be negative, which forecasts clip to 0 (and would compare equal):
  // lift the head's bias so that every forecast below is positive.
  const head = univariate.getLayer("head");
  const [kernel, bias] = head.getWeights();
  head.setWeights([kernel, tf.add(bias, 3)]);
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const table = seasonalTable(120, ["a", "b", "c"]);
const regionSet = (adjacency: Float64Array | null = null): RegionSet => ({ series: seriesFromTable(table), adjacency, limit: table.rows });
const arrays = (x: Float64Array[][]) => x.map((byH) => byH.map((q) => Array.from(q)));

/** The network's raw outputs (scaled quantiles, before clipping at 0) for all regions at these origins: [rows][H·L]. */
function raw(model: tf.LayersModel, set: RegionSet, origins: number[]): number[][] {
  const b = snapshotBatch([set], origins.map((origin) => ({ set: 0, origin })), TINY, false);
  const out = tf.tidy(() => (model.apply([tf.tensor3d(b.x, [b.rows, TINY.context, 4]), tf.tensor2d(b.mask, [b.rows, b.rows]), tf.tensor2d(b.adjacency, [b.rows, b.rows])]) as tf.Tensor).arraySync() as number[][][]);
  return out.map((byH) => byH.flat());
}

/** Gives the cross-region layers seeded random weights (as training would), so that they change forecasts. */
function activate(model: tf.LayersModel, seed: number, gamma = 0): void {
  const rng = createRandom(seed, 9);
  for (const name of ["region_summary", "region_attention", "region_context"]) {
    const layer = model.getLayer(name);
    layer.setWeights(
      layer.getWeights().map((w) => {
        if (name === "region_attention" && w.shape.length === 3) return tf.fill(w.shape, gamma); // gamma [heads, 1, 1]
        return tf.tensor(Float32Array.from({ length: w.size }, () => 0.5 * (rng.next() - 0.5)), w.shape);
      }),
    );
  }
}

describe("cross-region network", () => {
  it("built from a univariate network, it forecasts exactly as that network (its own layers output zero)", () => {
    const spatial = spatialFromUnivariate(univariate, TINY, 1);
    expect(isSpatialModel(spatial)).toBe(true);
    expect(isSpatialModel(univariate)).toBe(false);
    const set = regionSet();
    const origins = [20, 45, 80];
    const cross = predictSpatial(spatial, TINY, set, origins);
    for (const [k, origin] of origins.entries()) {
      const single = predictQuantiles(univariate, TINY, set.series, [0, 1, 2].map((series) => ({ series, origin })));
      expect(cross[k].every((byH) => byH.every((q) => q[11] > 0))).toBe(true); // medians

      expect(cross[k].map(arrays)).toEqual(single.map(arrays));
    }
    spatial.dispose();
  });

  it("mixes the regions of one origin: another region's window changes a forecast, another origin in the batch does not", () => {
    const spatial = spatialFromUnivariate(univariate, TINY, 1);
    activate(spatial, 5);
    const set = regionSet();
    const alone = raw(spatial, set, [60]);
    const batched = raw(spatial, set, [30, 60, 90]).slice(3, 6);
    for (let r = 0; r < 3; r++) alone[r].forEach((v, i) => expect(Math.abs(batched[r][i] - v)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(v)))); // float32 sums in another order
    // Region c's window changed: a's forecast moves (cross-region), a's own window being unchanged.
    const changed: RegionSet = { ...set, series: set.series.map((s, r) => (r === 2 ? { ...s, values: s.values.map((v, t) => v * (1 + 0.5 * Math.sin(t))), floors: undefined } : s)) };
    const moved = raw(spatial, changed, [60]);
    expect(Math.max(...moved[0].map((v, i) => Math.abs(v - alone[0][i])))).toBeGreaterThan(1e-3);
    // The univariate network's forecast of a cannot see c.
    const uni = (s: RegionSet) => arrays(predictQuantiles(univariate, TINY, s.series, [{ series: 0, origin: 60 }])[0]);
    expect(uni(changed)).toEqual(uni(set));
    spatial.dispose();
  });

  it("the adjacency enters through the learned weight γ: no effect at γ = 0, an effect otherwise", () => {
    const adjacency = Float64Array.from([0, 2, 0, 2, 0, 1, 0, 1, 0]);
    expect(Array.from(adjacencyFeature(adjacency, 3))).toEqual([0, 1, 0, 1, 0, 0.5, 0, 1, 0]);
    expect(Array.from(adjacencyFeature(null, 3))).toEqual(new Array(9).fill(0));
    const spatial = spatialFromUnivariate(univariate, TINY, 1);
    activate(spatial, 6, 0);
    expect(raw(spatial, regionSet(adjacency), [70])).toEqual(raw(spatial, regionSet(), [70]));
    activate(spatial, 6, 4);
    const withLinks = raw(spatial, regionSet(adjacency), [70]);
    const noLinks = raw(spatial, regionSet(), [70]);
    // Far above float32 noise (~1e-6 at these magnitudes).
    expect(Math.max(...withLinks.flat().map((v, i) => Math.abs(v - noLinks.flat()[i])))).toBeGreaterThan(1e-3);
    spatial.dispose();
  });

  it("training lowers the loss, seeded runs are bit-identical, and a checkpoint reloads to the same forecasts", async () => {
    const set = regionSet();
    const snaps = snapshotOrigins({ ...set, limit: 90 }, TINY.horizon).map((origin) => ({ set: 0, origin }));
    expect(snaps[0].origin).toBe(7); // 8 observed rows before the first origin
    const source = snapshotSource([{ ...set, limit: 90 }], snaps, TINY);
    const train = async () => {
      const m = spatialFromUnivariate(univariate, TINY, 1);
      const before = evaluateLoss(m, TINY, source);
      const report = await trainModel(m, TINY, source, null, { epochs: 3, batchSize: 4, seed: 2, learningRate: 3e-3 });
      return { m, before, after: evaluateLoss(m, TINY, source), report };
    };
    const a = await train();
    const b = await train();
    expect(a.after).toBeLessThan(a.before);
    expect(b.report.trainLoss).toEqual(a.report.trainLoss);
    const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(b.m)).toEqual(weights(a.m));
    const dir = mkdtempSync(join(tmpdir(), "spreadlab-spatial-"));
    dirs.push(dir);
    await saveCheckpoint(a.m, dir, { kind: "spatial-pretrained", config: TINY, scaling: scalingInfo(), seed: 2, backend: "wasm", provenance: {}, training: [a.report] });
    const loaded = await loadCheckpoint(dir);
    expect(isSpatialModel(loaded.model)).toBe(true);
    expect(predictSpatial(loaded.model, TINY, set, [50, 100]).map((o) => o.map(arrays))).toEqual(predictSpatial(a.m, TINY, set, [50, 100]).map((o) => o.map(arrays)));
    for (const m of [a.m, b.m, loaded.model]) m.dispose();
  });

  it("fitSpatial keeps the starting weights unless an epoch beats them on its early-stopping rows", async () => {
    const spatial = spatialFromUnivariate(univariate, TINY, 1);
    const history: RegionSet = { series: seriesFromTable(table, 60), adjacency: null, limit: 60 };
    const fit = await fitSpatial(spatial, TINY, history, "both", { epochs: 2, batchSize: 32 });
    expect(fit.trainLimit).toBe(48); // 60 − max(horizon 4, 20% of 60)
    expect(fit.reports.map((r) => r.phase)).toEqual(["cross-region fine-tune head", "cross-region fine-tune all"]);
    for (const r of fit.reports) {
      const best = r.bestEpoch < 0 ? (r.initialValidationLoss as number) : r.validationLoss[r.bestEpoch];
      expect(best).toBeLessThanOrEqual(r.initialValidationLoss as number);
    }
    for (const m of [spatial, fit.model]) m.dispose();
  });

  it("trainSpatialFromScratch trains a fresh network on fitSpatial's rows, reproducibly from its seed", async () => {
    const history: RegionSet = { series: seriesFromTable(table, 60), adjacency: null, limit: 60 };
    const run = () => trainSpatialFromScratch(TINY, history, { epochs: 4, batchSize: 32, seed: 7 });
    const a = await run();
    const b = await run();
    expect(a.trainLimit).toBe(48); // the same early-stopping rows as fitSpatial's
    expect(a.reports.map((r) => r.phase)).toEqual(["cross-region train from scratch"]);
    const [r] = a.reports;
    expect(r.epochs).toBeGreaterThan(1);
    expect(r.trainLoss[r.epochs - 1]).toBeLessThan(r.trainLoss[0]);
    expect(b.reports[0].validationLoss).toEqual(r.validationLoss);
    for (const m of [a.model, b.model]) m.dispose();
  });
});
