/**
 * The transformer's custom layers. tfjs-layers has no attention layer, and its `layerNormalization` trains
 * ~30× slower on the wasm backend (the gradient of its Tile op; measured on these machines), so both are
 * written here on plain ops. Each is registered with `tf.serialization.registerClass`, so `model.json`
 * checkpoints reload without this module doing anything but being imported.
 *
 * Initialisers take explicit seeds: with the caller's own seeded shuffling, training is bit-identical per
 * backend.
 */
import { tf } from "./backend.js";

type Tensor = tf.Tensor;
type Kwargs = Record<string, unknown>;
type Shape = (number | null)[];

function single(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

function glorot(seed: number) {
  return tf.initializers.glorotUniform({ seed });
}

/** LayerNorm over the last axis with `tf.moments` (broadcasting, no Tile): γ·(x − μ)/√(σ² + ε) + β. */
export class LayerNorm extends tf.layers.Layer {
  static readonly className = "SpreadlabLayerNorm";
  private readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(args: { epsilon?: number; name?: string; trainable?: boolean } = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const d = shape[shape.length - 1] as number;
    this.gamma = this.addWeight("gamma", [d], "float32", tf.initializers.ones());
    this.beta = this.addWeight("beta", [d], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const { mean, variance } = tf.moments(x, -1, true);
      const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normed, this.gamma.read()), this.beta.read());
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

/** Adds the fixed sinusoidal positional encoding of Vaswani et al. (2017) to [batch, T, d] inputs. */
export class PositionalEncoding extends tf.layers.Layer {
  static readonly className = "SpreadlabPositionalEncoding";
  private table: Tensor | null = null;

  constructor(args: { name?: string } = {}) {
    super(args);
  }

  /** PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(t / 10000^(2i/d)). */
  static table(T: number, d: number): Float32Array {
    const pe = new Float32Array(T * d);
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < d; i += 2) {
        const angle = t / Math.pow(10000, i / d);
        pe[t * d + i] = Math.sin(angle);
        if (i + 1 < d) pe[t * d + i + 1] = Math.cos(angle);
      }
    }
    return pe;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const T = shape[1] as number;
    const d = shape[2] as number;
    this.table = tf.keep(tf.tensor3d(PositionalEncoding.table(T, d), [1, T, d]));
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => tf.add(single(inputs), this.table as Tensor));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override dispose(): ReturnType<tf.layers.Layer["dispose"]> {
    this.table?.dispose();
    this.table = null;
    return super.dispose();
  }
}

export interface AttentionArgs {
  heads: number;
  seed: number;
  name?: string;
  trainable?: boolean;
}

/**
 * Multi-head self-attention (Vaswani et al. 2017): project to queries, keys and values, reshape to
 * [batch, heads, T, d_k], softmax(QKᵀ/√d_k)·V per head, concatenate, project back. No mask: every input
 * position precedes the forecast origin, so attending anywhere in the window leaks nothing.
 */
export class MultiHeadSelfAttention extends tf.layers.Layer {
  static readonly className = "SpreadlabMultiHeadSelfAttention";
  private readonly heads: number;
  private readonly seed: number;
  private wq!: tf.LayerVariable;
  private wk!: tf.LayerVariable;
  private wv!: tf.LayerVariable;
  private wo!: tf.LayerVariable;
  private bq!: tf.LayerVariable;
  private bk!: tf.LayerVariable;
  private bv!: tf.LayerVariable;
  private bo!: tf.LayerVariable;

  constructor(args: AttentionArgs) {
    super(args);
    this.heads = args.heads;
    this.seed = args.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const d = shape[shape.length - 1] as number;
    if (d % this.heads !== 0) throw new Error(`attention: model width ${d} is not a multiple of ${this.heads} heads.`);
    const zeros = tf.initializers.zeros();
    this.wq = this.addWeight("wq", [d, d], "float32", glorot(this.seed));
    this.wk = this.addWeight("wk", [d, d], "float32", glorot(this.seed + 1));
    this.wv = this.addWeight("wv", [d, d], "float32", glorot(this.seed + 2));
    this.wo = this.addWeight("wo", [d, d], "float32", glorot(this.seed + 3));
    this.bq = this.addWeight("bq", [d], "float32", zeros);
    this.bk = this.addWeight("bk", [d], "float32", zeros);
    this.bv = this.addWeight("bv", [d], "float32", zeros);
    this.bo = this.addWeight("bo", [d], "float32", zeros);
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs?: Kwargs): Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const [B, T, d] = x.shape as [number, number, number];
      const h = this.heads;
      const dk = d / h;
      const flat = tf.reshape(x, [B * T, d]);
      const project = (w: tf.LayerVariable, b: tf.LayerVariable): Tensor =>
        tf.transpose(tf.reshape(tf.add(tf.matMul(flat, w.read() as tf.Tensor2D), b.read()), [B, T, h, dk]), [0, 2, 1, 3]);
      const q = project(this.wq, this.bq);
      const k = project(this.wk, this.bk);
      const v = project(this.wv, this.bv);
      const scores = tf.mul(tf.matMul(q as tf.Tensor4D, k as tf.Tensor4D, false, true), 1 / Math.sqrt(dk));
      const attended = tf.matMul(tf.softmax(scores) as tf.Tensor4D, v as tf.Tensor4D);
      const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [B * T, d]);
      return tf.reshape(tf.add(tf.matMul(merged as tf.Tensor2D, this.wo.read() as tf.Tensor2D), this.bo.read()), [B, T, d]);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, seed: this.seed };
  }
}

/**
 * Turns raw head outputs [batch, H, L] into non-decreasing quantiles: q₁ = anchor + r₁,
 * q_j = q_{j−1} + softplus(r_j). The anchor is the last scaled input value (input [batch, T, F], feature 0
 * of the last row), so the network learns a correction to persistence. Monotone by construction, so no
 * quantile ever crosses another.
 */
export class MonotoneQuantiles extends tf.layers.Layer {
  static readonly className = "SpreadlabMonotoneQuantiles";

  constructor(args: { name?: string } = {}) {
    super(args);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => {
      const [raw, window] = inputs as Tensor[];
      const [B, H, L] = raw.shape as [number, number, number];
      const T = window.shape[1] as number;
      const anchor = tf.reshape(tf.slice(window, [0, T - 1, 0], [B, 1, 1]), [B, 1, 1]);
      const first = tf.add(tf.slice(raw, [0, 0, 0], [B, H, 1]), anchor);
      if (L === 1) return first;
      const steps = tf.softplus(tf.slice(raw, [0, 0, 1], [B, H, L - 1]));
      return tf.add(first, tf.concat([tf.zerosLike(first), tf.cumsum(steps, 2)], 2));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return (inputShape as Shape[])[0];
  }
}

for (const cls of [LayerNorm, PositionalEncoding, MultiHeadSelfAttention, MonotoneQuantiles]) {
  tf.serialization.registerClass(cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
}
