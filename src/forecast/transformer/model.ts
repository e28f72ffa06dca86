/**
 * The forecaster network: a small transformer encoder over patches of the input window (PatchTST, Nie et
 * al. 2023: P consecutive weeks form one token, which shortens the attention span P-fold and trains
 * faster on the wasm backend), with a quantile head.
 *
 *   input [B, C, F] → reshape [B, C/P, P·F] → dense d → + positional encoding
 *     → L × { x + MHSA(LN(x)); x + FFN(LN(x)) }  (pre-norm blocks)
 *     → LN → flatten → dense (relu) → dense H·23 → reshape [B, H, 23] → monotone quantiles (anchored on the last value)
 *
 * Trained with the pinball loss averaged over the 23 hub levels and the unmasked targets; the output is in
 * the window's scale (windows.ts), multiplied back by the caller.
 */
import { tf } from "./backend.js";
import { LayerNorm, MonotoneQuantiles, MultiHeadSelfAttention, PositionalEncoding } from "./layers.js";
import { FEATURES } from "./windows.js";
import { HUB_QUANTILE_LEVELS } from "../quantiles.js";

export interface TransformerConfig {
  /** Input rows (weeks), a multiple of `patch`. */
  context: number;
  /** Weeks per token. */
  patch: number;
  /** Horizons 1 … horizon are predicted together. */
  horizon: number;
  dModel: number;
  heads: number;
  layers: number;
  /** Width of the feed-forward sublayer. */
  ffn: number;
  /** Width of the head's hidden layer (between the flattened tokens and the H × levels outputs). */
  headHidden: number;
  /** Quantile levels (the 23 hub levels). */
  levels: number[];
  /**
   * Spread of the predicted quantiles about the median, applied at prediction time: q' = m + spread·(q − m).
   * 1 (or absent) as trained; fine-tuning calibrates it on its early-stopping weeks (fit.ts).
   */
  spread?: number;
}

export const DEFAULT_CONFIG: Readonly<TransformerConfig> = Object.freeze({
  context: 104,
  patch: 8,
  horizon: 15,
  dModel: 32,
  heads: 4,
  layers: 2,
  ffn: 64,
  headHidden: 128,
  levels: [...HUB_QUANTILE_LEVELS],
});

/** Layers of the quantile head: the part a head-only fine-tune trains. */
export const HEAD_LAYERS = ["final_norm", "head_hidden", "head"] as const;

export function checkConfig(c: TransformerConfig): void {
  const ints: (keyof TransformerConfig)[] = ["context", "patch", "horizon", "dModel", "heads", "layers", "ffn", "headHidden"];
  for (const k of ints) {
    const v = c[k] as number;
    if (!Number.isInteger(v) || v < 1) throw new Error(`transformer config: ${k} must be a positive integer, got ${String(v)}.`);
  }
  if (c.context % c.patch !== 0) throw new Error(`transformer config: context ${c.context} is not a multiple of patch ${c.patch}.`);
  if (c.dModel % c.heads !== 0) throw new Error(`transformer config: dModel ${c.dModel} is not a multiple of heads ${c.heads}.`);
  if (c.levels.length < 1 || c.levels.some((l, i) => !(l > 0 && l < 1) || (i > 0 && l <= c.levels[i - 1]))) {
    throw new Error("transformer config: levels must be strictly increasing in (0, 1).");
  }
}

/** Draws a fresh seeded Glorot initialiser per call: `seed·1000`, `seed·1000 + 1`, … in call order. */
export interface SeedCounter {
  next: number;
}

function glorotFrom(counter: SeedCounter) {
  return () => tf.initializers.glorotUniform({ seed: counter.next++ });
}

/**
 * The temporal encoder, shared by the univariate and the cross-region network (spatial.ts): window
 * [B, C, F] → patches → embedding + position → L pre-norm blocks → LN → flatten [B, (C/P)·d]. Layer names are
 * the checkpoints' (weights move between the two networks by name).
 */
export function temporalEncoder(input: tf.SymbolicTensor, config: TransformerConfig, seeds: SeedCounter): tf.SymbolicTensor {
  const { context, patch, dModel, heads, layers, ffn } = config;
  const tokens = context / patch;
  const init = glorotFrom(seeds);
  let x = tf.layers.reshape({ targetShape: [tokens, patch * FEATURES], name: "patches" }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: dModel, kernelInitializer: init(), name: "embed" }).apply(x) as tf.SymbolicTensor;
  x = new PositionalEncoding({ name: "position" }).apply(x) as tf.SymbolicTensor;
  for (let l = 0; l < layers; l++) {
    const a = new LayerNorm({ name: `block${l}_norm1` }).apply(x) as tf.SymbolicTensor;
    const att = new MultiHeadSelfAttention({ heads, seed: seeds.next, name: `block${l}_attention` }).apply(a) as tf.SymbolicTensor;
    seeds.next += 4;
    x = tf.layers.add({ name: `block${l}_residual1` }).apply([x, att]) as tf.SymbolicTensor;
    const b = new LayerNorm({ name: `block${l}_norm2` }).apply(x) as tf.SymbolicTensor;
    const hidden = tf.layers.dense({ units: ffn, activation: "relu", kernelInitializer: init(), name: `block${l}_ffn1` }).apply(b) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: dModel, kernelInitializer: init(), name: `block${l}_ffn2` }).apply(hidden) as tf.SymbolicTensor;
    x = tf.layers.add({ name: `block${l}_residual2` }).apply([x, out]) as tf.SymbolicTensor;
  }
  x = new LayerNorm({ name: "final_norm" }).apply(x) as tf.SymbolicTensor;
  return tf.layers.flatten({ name: "flatten" }).apply(x) as tf.SymbolicTensor;
}

/** The quantile head: features [B, D] → dense (relu) → dense H·L → [B, H, L] → monotone quantiles anchored on the window's last value. */
export function quantileHead(features: tf.SymbolicTensor, input: tf.SymbolicTensor, config: TransformerConfig, seeds: SeedCounter): tf.SymbolicTensor {
  const init = glorotFrom(seeds);
  const { horizon, levels } = config;
  let x = tf.layers.dense({ units: config.headHidden, activation: "relu", kernelInitializer: init(), name: "head_hidden" }).apply(features) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: horizon * levels.length, kernelInitializer: init(), name: "head" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [horizon, levels.length], name: "head_reshape" }).apply(x) as tf.SymbolicTensor;
  return new MonotoneQuantiles({ name: "quantiles" }).apply([x, input]) as tf.SymbolicTensor;
}

/** Builds the network with initial weights drawn from `seed` (a different derived seed per weight). */
export function buildModel(config: TransformerConfig, seed: number): tf.LayersModel {
  checkConfig(config);
  const seeds: SeedCounter = { next: (seed >>> 0) * 1000 };
  const input = tf.input({ shape: [config.context, FEATURES], name: "window" });
  const features = temporalEncoder(input, config, seeds);
  const quantiles = quantileHead(features, input, config, seeds);
  return tf.model({ inputs: input, outputs: quantiles, name: "spreadlab_forecaster" });
}

/**
 * The pinball (quantile) loss: mean over levels and unmasked targets of (1{y < q} − τ)(q − y). `yTrue` is
 * [B, H, 2] (value, mask); `yPred` is [B, H, L]. Its minimiser is the τ-quantile of the target (Koenker &
 * Bassett 1978), and its sum over the 23 levels is (K + ½)·WIS.
 */
export function pinballLoss(levels: readonly number[]) {
  return (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar =>
    tf.tidy(() => {
      // Made per call inside the tidy: a kept tensor here leaked one per loss function (per epoch and phase).
      const tau = tf.tensor1d(levels as number[]);
      const [B, H] = yTrue.shape as [number, number, number];
      const y = tf.slice(yTrue, [0, 0, 0], [B, H, 1]);
      const mask = tf.reshape(tf.slice(yTrue, [0, 0, 1], [B, H, 1]), [B, H]);
      const diff = tf.sub(y, yPred); // y − q
      const loss = tf.maximum(tf.mul(diff, tau), tf.mul(diff, tf.sub(tau, 1))); // τ(y−q) if y ≥ q else (τ−1)(y−q)
      const perTarget = tf.mul(tf.mean(loss, 2), mask);
      return tf.div(tf.sum(perTarget), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
    });
}
