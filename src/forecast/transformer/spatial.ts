/**
 * The cross-region forecaster (issue 11.3): every region of a dataset forecast together, each one's
 * quantiles informed by what the other regions are doing — where a wave is, which neighbours peaked first.
 *
 *   per region: window [C, F] → the univariate temporal encoder (model.ts `temporalEncoder`, same weights for
 *     every region) → features f_r [D]
 *   across regions: s_r = dense_d(f_r); c_r = Σ_s softmax_s(q_r·k_s/√d_k + γ_h·A_rs)·v_s per head h
 *     (multi-head attention over the regions of one origin; A the adjacency, γ_h learned per head, 0 without one)
 *   f'_r = f_r + dense_D(c_r)  → the univariate quantile head → [H, 23] quantiles anchored on region r's last value.
 *
 * A batch is a set of regions: row i of the input is one region at one origin, and the attention reads the
 * other rows of the same origin (`mask` is 0 there and −10⁹ elsewhere, so several origins share a batch
 * without seeing each other). Each row reads its own window (rows ≤ its origin), so a forecast from origin o
 * reads every region's rows ≤ o and nothing later.
 *
 * The cross-region layers start from zero output (`region_context` has a zero kernel and bias), so the
 * network built from a univariate checkpoint (`spatialFromUnivariate`) forecasts exactly as that checkpoint
 * before any training; pretraining on the spatial corpus (corpus-spatial.ts) then teaches the attention, and
 * fine-tuning adapts it to a dataset's regions.
 */
import { tf } from "./backend.js";
import { LayerNorm } from "./layers.js";
import { checkConfig, quantileHead, temporalEncoder, type SeedCounter, type TransformerConfig } from "./model.js";
import { FEATURES, fillInput, fillTarget, type WeeklySeries } from "./windows.js";
import { unscaledRows } from "./forecaster.js";
import type { BatchSource } from "./train.js";

type Tensor = tf.Tensor;
type Shape = (number | null)[];

/** Additive attention bias between rows of different origins: exp(−10⁹) is 0 in float32. */
const MASKED = -1e9;

/**
 * Multi-head attention across the rows of a batch (regions), with an additive mask and a learned per-head
 * weight on the adjacency: inputs [x [N, d], mask [N, N], adjacency [N, N]] → [N, d].
 */
export class CrossRegionAttention extends tf.layers.Layer {
  static readonly className = "SpreadlabCrossRegionAttention";
  private readonly heads: number;
  private readonly seed: number;
  private wq!: tf.LayerVariable;
  private wk!: tf.LayerVariable;
  private wv!: tf.LayerVariable;
  private wo!: tf.LayerVariable;
  private gamma!: tf.LayerVariable;

  constructor(args: { heads: number; seed: number; name?: string; trainable?: boolean }) {
    super(args);
    this.heads = args.heads;
    this.seed = args.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (inputShape as Shape[])[0];
    const d = shape[shape.length - 1] as number;
    if (d % this.heads !== 0) throw new Error(`cross-region attention: width ${d} is not a multiple of ${this.heads} heads.`);
    const glorot = (k: number) => tf.initializers.glorotUniform({ seed: this.seed + k });
    this.wq = this.addWeight("wq", [d, d], "float32", glorot(0));
    this.wk = this.addWeight("wk", [d, d], "float32", glorot(1));
    this.wv = this.addWeight("wv", [d, d], "float32", glorot(2));
    this.wo = this.addWeight("wo", [d, d], "float32", glorot(3));
    this.gamma = this.addWeight("gamma", [this.heads, 1, 1], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => {
      const [x, mask, adjacency] = inputs as Tensor[];
      const [N, d] = x.shape as [number, number];
      const h = this.heads;
      const dk = d / h;
      const project = (w: tf.LayerVariable): Tensor => tf.transpose(tf.reshape(tf.matMul(x as tf.Tensor2D, w.read() as tf.Tensor2D), [N, h, dk]), [1, 0, 2]);
      const q = project(this.wq);
      const k = project(this.wk);
      const v = project(this.wv);
      let scores = tf.mul(tf.matMul(q as tf.Tensor3D, k as tf.Tensor3D, false, true), 1 / Math.sqrt(dk)); // [h, N, N]
      scores = tf.add(scores, tf.mul(this.gamma.read(), tf.expandDims(adjacency, 0)));
      scores = tf.add(scores, tf.expandDims(mask, 0));
      const attended = tf.matMul(tf.softmax(scores) as tf.Tensor3D, v as tf.Tensor3D); // [h, N, dk]
      const merged = tf.reshape(tf.transpose(attended, [1, 0, 2]), [N, d]);
      return tf.matMul(merged as tf.Tensor2D, this.wo.read() as tf.Tensor2D);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return (inputShape as Shape[])[0];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, seed: this.seed };
  }
}
tf.serialization.registerClass(CrossRegionAttention as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** Layers that only the cross-region network has (a "head" fine-tune trains them with the quantile head). */
export const SPATIAL_LAYERS = ["region_summary", "region_norm", "region_attention", "region_context"] as const;

/** Builds the cross-region network (file header), initial weights from `seed`. */
export function buildSpatialModel(config: TransformerConfig, seed: number): tf.LayersModel {
  checkConfig(config);
  const seeds: SeedCounter = { next: (seed >>> 0) * 1000 };
  const window = tf.input({ shape: [config.context, FEATURES], name: "window" });
  const mask = tf.input({ shape: [null], name: "mask" });
  const adjacency = tf.input({ shape: [null], name: "adjacency" });
  const features = temporalEncoder(window, config, seeds);
  const spatialSeeds: SeedCounter = { next: (seed >>> 0) * 1000 + 500 };
  let s = tf.layers.dense({ units: config.dModel, kernelInitializer: tf.initializers.glorotUniform({ seed: spatialSeeds.next++ }), name: "region_summary" }).apply(features) as tf.SymbolicTensor;
  s = new LayerNorm({ name: "region_norm" }).apply(s) as tf.SymbolicTensor;
  const context = new CrossRegionAttention({ heads: config.heads, seed: spatialSeeds.next, name: "region_attention" }).apply([s, mask, adjacency]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: features.shape[1] as number, kernelInitializer: "zeros", biasInitializer: "zeros", name: "region_context" }).apply(context) as tf.SymbolicTensor;
  const mixed = tf.layers.add({ name: "region_residual" }).apply([features, out]) as tf.SymbolicTensor;
  const quantiles = quantileHead(mixed, window, config, seeds);
  return tf.model({ inputs: [window, mask, adjacency], outputs: quantiles, name: "spreadlab_spatial_forecaster" });
}

/** The cross-region network with the univariate network's encoder and head (its own layers at their start: zero output). */
export function spatialFromUnivariate(univariate: tf.LayersModel, config: TransformerConfig, seed: number): tf.LayersModel {
  const model = buildSpatialModel(config, seed);
  for (const layer of univariate.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    model.getLayer(layer.name).setWeights(weights);
  }
  return model;
}

/** Whether a loaded network is the cross-region one (three inputs). */
export function isSpatialModel(model: tf.LayersModel): boolean {
  return model.inputs.length === 3;
}

/** The regions of one dataset (or one corpus set): series on a common row axis, and their adjacency. */
export interface RegionSet {
  series: readonly WeeklySeries[];
  /** Row-major R × R adjacency weights (0: not linked), or null when none is known. */
  adjacency: Float64Array | null;
  /** Targets at or after this row are masked (the end of what training may see); prediction: rows.length. */
  limit: number;
}

/** A sample of the cross-region network: every region of set `set` at origin `origin`. */
export interface Snapshot {
  set: number;
  origin: number;
}

/**
 * The adjacency feature A: each row divided by its largest weight (1 for a region's strongest link, 0 for no
 * link, 0 on the diagonal), so γ·A is on the same footing whatever the units of the weights.
 */
export function adjacencyFeature(weights: Float64Array | null, R: number): Float32Array {
  const known = weights === null ? undefined : adjacencyFeatures.get(weights);
  if (known !== undefined) return known;
  const A = new Float32Array(R * R);
  if (weights === null) return A;
  for (let r = 0; r < R; r++) {
    let max = 0;
    for (let s = 0; s < R; s++) if (s !== r) max = Math.max(max, weights[r * R + s]);
    if (max > 0) for (let s = 0; s < R; s++) A[r * R + s] = s === r ? 0 : weights[r * R + s] / max;
  }
  adjacencyFeatures.set(weights, A);
  return A;
}

/** Adjacency features by weight matrix: a set's is built once, not at every batch of every epoch. */
const adjacencyFeatures = new WeakMap<Float64Array, Float32Array>();

export interface SnapshotBatch {
  rows: number;
  x: Float32Array;
  mask: Float32Array;
  adjacency: Float32Array;
  y: Float32Array | null;
  scales: Float64Array;
}

/** Inputs (and targets, with `targets`) of a batch of snapshots: one row per region per snapshot. */
export function snapshotBatch(sets: readonly RegionSet[], snaps: readonly Snapshot[], config: TransformerConfig, targets: boolean): SnapshotBatch {
  const N = snaps.reduce((n, s) => n + sets[s.set].series.length, 0);
  const x = new Float32Array(N * config.context * FEATURES);
  const y = targets ? new Float32Array(N * config.horizon * 2) : null;
  const scales = new Float64Array(N);
  const mask = new Float32Array(N * N).fill(MASKED);
  const adjacency = new Float32Array(N * N);
  let row = 0;
  for (const snap of snaps) {
    const set = sets[snap.set];
    const R = set.series.length;
    const A = adjacencyFeature(set.adjacency, R);
    for (let r = 0; r < R; r++) {
      const i = row + r;
      scales[i] = fillInput(set.series[r], snap.origin, config.context, x, i);
      if (y) fillTarget(set.series[r], snap.origin, config.horizon, set.limit, scales[i], y, i);
      for (let s = 0; s < R; s++) {
        mask[i * N + row + s] = 0;
        adjacency[i * N + row + s] = A[r * R + s];
      }
    }
    row += R;
  }
  return { rows: N, x, mask, adjacency, y, scales };
}

function batchTensors(b: SnapshotBatch, config: TransformerConfig): Tensor[] {
  return [tf.tensor3d(b.x, [b.rows, config.context, FEATURES]), tf.tensor2d(b.mask, [b.rows, b.rows]), tf.tensor2d(b.adjacency, [b.rows, b.rows])];
}

/** Snapshots as training data (train.ts `BatchSource`): targets masked at each set's limit. */
export function snapshotSource(sets: readonly RegionSet[], snaps: readonly Snapshot[], config: TransformerConfig): BatchSource {
  const rows = snaps.reduce((n, s) => n + sets[s.set].series.length, 0);
  return {
    count: snaps.length,
    // About 256 rows a scoring batch: the attention's mask is rows², mostly masked.
    scoringBatch: Math.max(1, Math.round((256 * snaps.length) / Math.max(1, rows))),
    tensors: (indices) => {
      const b = snapshotBatch(
        sets,
        indices.map((i) => snaps[i]),
        config,
        true,
      );
      return { inputs: batchTensors(b, config), y: tf.tensor3d(b.y as Float32Array, [b.rows, config.horizon, 2]), rows: b.rows };
    },
  };
}

/**
 * Origins of a set usable for training: at least `minObserved` observed rows in some region before the
 * origin, and an unmasked target row (< limit) for some region.
 */
export function snapshotOrigins(set: RegionSet, horizon: number, minObserved = 8, from = 0): number[] {
  const out: number[] = [];
  const rows = set.series[0]?.values.length ?? 0;
  const end = Math.min(set.limit, rows);
  for (let o = Math.max(from, minObserved - 1); o < end - 1; o++) {
    let target = false;
    for (const s of set.series) {
      for (let t = o + 1; t <= o + horizon && t < end && !target; t++) target = Number.isFinite(s.values[t]);
      if (target) break;
    }
    if (target) out.push(o);
  }
  return out;
}

/**
 * `predictSpatial` at each distinct origin of `origins`, by origin: get(o)[r][h − 1] (the callers' picks repeat
 * an origin once per region).
 */
export function predictSpatialByOrigin(model: tf.LayersModel, config: TransformerConfig, set: RegionSet, origins: Iterable<number>): Map<number, Float64Array[][]> {
  const distinct = [...new Set(origins)].sort((a, b) => a - b);
  const out = new Map<number, Float64Array[][]>();
  predictSpatial(model, config, set, distinct).forEach((regions, k) => out.set(distinct[k], regions));
  return out;
}

/**
 * Quantiles of every region at each origin: out[k][r][h − 1] for origins[k], in the series' units,
 * non-decreasing and ≥ 0. Origins are batched so that a batch holds about `rowsPerBatch` rows.
 */
export function predictSpatial(model: tf.LayersModel, config: TransformerConfig, set: RegionSet, origins: readonly number[], rowsPerBatch = 512): Float64Array[][][] {
  const R = set.series.length;
  const perBatch = Math.max(1, Math.floor(rowsPerBatch / Math.max(1, R)));
  const out: Float64Array[][][] = [];
  for (let i = 0; i < origins.length; i += perBatch) {
    const snaps = origins.slice(i, i + perBatch).map((origin) => ({ set: 0, origin }));
    const b = snapshotBatch([set], snaps, config, false);
    const values = tf.tidy(() => (model.apply(batchTensors(b, config)) as Tensor).dataSync());
    for (let k = 0; k < snaps.length; k++) out.push(Array.from({ length: R }, (_, r) => unscaledRows(values, k * R + r, b.scales[k * R + r], config)));
  }
  return out;
}
