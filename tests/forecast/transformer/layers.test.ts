/**
 * The custom layers (src/forecast/transformer/layers.ts) against hand computations in plain JavaScript
 * (float64), on tiny inputs with set weights. The layers compute in float32, so agreement is to ~1e-5
 * relative: float32 has a 24-bit mantissa (6e-8) and each output sums a handful of products.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { initTf, tf } from "../../../src/forecast/transformer/backend.js";
import { LayerNorm, MonotoneQuantiles, MultiHeadSelfAttention, PositionalEncoding } from "../../../src/forecast/transformer/layers.js";
import { createRandom } from "../../../src/random.js";

beforeAll(async () => {
  await initTf();
});

const rng = createRandom(11);
const uniform = (n: number, lo = -1, hi = 1) => Array.from({ length: n }, () => lo + (hi - lo) * rng.next());

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tolerance * (1 + Math.abs(expected[i])));
}

describe("LayerNorm", () => {
  it("with γ = 1, β = 0: each row has mean 0 and variance σ²/(σ² + ε) ≈ 1, equal to (x − μ)/√(σ² + ε)", () => {
    const d = 8;
    const values = uniform(2 * 3 * d, -5, 5);
    const layer = new LayerNorm({ epsilon: 1e-5 });
    const out = tf.tidy(() => (layer.apply(tf.tensor3d(values, [2, 3, d])) as tf.Tensor).dataSync());
    for (let r = 0; r < 6; r++) {
      const x = values.slice(r * d, (r + 1) * d);
      const mu = x.reduce((a, b) => a + b, 0) / d;
      const variance = x.reduce((a, b) => a + (b - mu) ** 2, 0) / d; // population variance, as tf.moments
      const expected = x.map((v) => (v - mu) / Math.sqrt(variance + 1e-5));
      const row = Array.from(out.subarray(r * d, (r + 1) * d));
      expectClose(row, expected);
      const mean = row.reduce((a, b) => a + b, 0) / d;
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      expect(row.reduce((a, b) => a + (b - mean) ** 2, 0) / d).toBeCloseTo(1, 4);
    }
  });

  it("applies γ and β per feature", () => {
    const d = 4;
    const values = uniform(d, -2, 2);
    const gamma = [1, 2, -1, 0.5];
    const beta = [0, 1, 2, -3];
    const layer = new LayerNorm();
    layer.build([1, d]);
    layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
    const out = tf.tidy(() => (layer.apply(tf.tensor2d(values, [1, d])) as tf.Tensor).dataSync());
    const mu = values.reduce((a, b) => a + b, 0) / d;
    const variance = values.reduce((a, b) => a + (b - mu) ** 2, 0) / d;
    expectClose(out, values.map((v, i) => (gamma[i] * (v - mu)) / Math.sqrt(variance + 1e-5) + beta[i]));
  });
});

/** Plain-JS multi-head self-attention for one sequence x [T, d] (row-major), weights as [d, d] row-major. */
function referenceAttention(x: number[], T: number, d: number, heads: number, w: { q: number[]; k: number[]; v: number[]; o: number[]; bq: number[]; bk: number[]; bv: number[]; bo: number[] }): number[] {
  const project = (m: number[], b: number[]) =>
    Array.from({ length: T * d }, (_, idx) => {
      const t = Math.floor(idx / d);
      const j = idx % d;
      let s = b[j];
      for (let i = 0; i < d; i++) s += x[t * d + i] * m[i * d + j];
      return s;
    });
  const q = project(w.q, w.bq);
  const k = project(w.k, w.bk);
  const v = project(w.v, w.bv);
  const dk = d / heads;
  const merged = new Array<number>(T * d).fill(0);
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < T; t++) {
      const scores = Array.from({ length: T }, (_, u) => {
        let s = 0;
        for (let c = 0; c < dk; c++) s += q[t * d + h * dk + c] * k[u * d + h * dk + c];
        return s / Math.sqrt(dk);
      });
      const top = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - top));
      const z = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < dk; c++) {
        let s = 0;
        for (let u = 0; u < T; u++) s += (e[u] / z) * v[u * d + h * dk + c];
        merged[t * d + h * dk + c] = s;
      }
    }
  }
  return Array.from({ length: T * d }, (_, idx) => {
    const t = Math.floor(idx / d);
    const j = idx % d;
    let s = w.bo[j];
    for (let i = 0; i < d; i++) s += merged[t * d + i] * w.o[i * d + j];
    return s;
  });
}

describe("MultiHeadSelfAttention", () => {
  it("equals softmax(QKᵀ/√d_k)·V per head, concatenated and projected (2 heads, T = 3, d = 4, batch of 2)", () => {
    const [B, T, d, heads] = [2, 3, 4, 2];
    const w = { q: uniform(d * d), k: uniform(d * d), v: uniform(d * d), o: uniform(d * d), bq: uniform(d), bk: uniform(d), bv: uniform(d), bo: uniform(d) };
    const x = uniform(B * T * d, -2, 2);
    const layer = new MultiHeadSelfAttention({ heads, seed: 1 });
    layer.build([B, T, d]);
    // addWeight order in build(): wq, wk, wv, wo, bq, bk, bv, bo.
    const matrices: tf.Tensor[] = [w.q, w.k, w.v, w.o].map((m) => tf.tensor2d(m, [d, d]));
    layer.setWeights(matrices.concat([w.bq, w.bk, w.bv, w.bo].map((b) => tf.tensor1d(b))));
    const out = tf.tidy(() => (layer.apply(tf.tensor3d(x, [B, T, d])) as tf.Tensor).dataSync());
    for (let b = 0; b < B; b++) {
      const expected = referenceAttention(x.slice(b * T * d, (b + 1) * T * d), T, d, heads, w);
      expectClose(Array.from(out.subarray(b * T * d, (b + 1) * T * d)), expected);
    }
    // One head differs from two: the reference is sensitive to the head split.
    const single = referenceAttention(x.slice(0, T * d), T, d, 1, w);
    expect(single.some((v, i) => Math.abs(v - out[i]) > 1e-3)).toBe(true);
  });

  it("refuses a model width that is not a multiple of the heads", () => {
    const layer = new MultiHeadSelfAttention({ heads: 3, seed: 1 });
    expect(() => layer.build([1, 2, 8])).toThrow(/not a multiple of 3 heads/);
  });
});

describe("PositionalEncoding", () => {
  it("PE[t, 2i] = sin(t/10000^(2i/d)), PE[t, 2i+1] = cos(…), at known positions (d = 8)", () => {
    const d = 8;
    const pe = PositionalEncoding.table(60, d);
    const at = (t: number, j: number) => pe[t * d + j];
    for (let j = 0; j < d; j++) expect(at(0, j)).toBe(j % 2 === 0 ? 0 : 1);
    expect(at(1, 0)).toBeCloseTo(Math.sin(1), 6);
    expect(at(1, 1)).toBeCloseTo(Math.cos(1), 6);
    expect(at(5, 2)).toBeCloseTo(Math.sin(0.5), 6); // 10000^(2/8) = 10
    expect(at(5, 3)).toBeCloseTo(Math.cos(0.5), 6);
    expect(at(50, 4)).toBeCloseTo(Math.sin(0.5), 6); // 10000^(4/8) = 100
    expect(at(50, 6)).toBeCloseTo(Math.sin(0.05), 6); // 10000^(6/8) = 1000
    expect(at(50, 7)).toBeCloseTo(Math.cos(0.05), 6);
  });

  it("the layer adds the table to its input", () => {
    const layer = new PositionalEncoding();
    const x = uniform(2 * 3 * 4);
    const out = tf.tidy(() => (layer.apply(tf.tensor3d(x, [2, 3, 4])) as tf.Tensor).dataSync());
    const pe = PositionalEncoding.table(3, 4);
    expectClose(out, x.map((v, i) => v + pe[i % 12]));
  });
});

describe("MonotoneQuantiles", () => {
  const softplus = (z: number) => Math.log1p(Math.exp(z));

  it("q₁ = anchor + r₁ and q_j − q_{j−1} = softplus(r_j): non-decreasing for random raw outputs", () => {
    const [B, H, L, T, F] = [3, 2, 23, 5, 4];
    const raw = uniform(B * H * L, -6, 6);
    const window = uniform(B * T * F, -3, 3);
    const layer = new MonotoneQuantiles();
    const out = tf.tidy(() => (layer.apply([tf.tensor3d(raw, [B, H, L]), tf.tensor3d(window, [B, T, F])]) as tf.Tensor).dataSync());
    for (let b = 0; b < B; b++) {
      const anchor = window[b * T * F + (T - 1) * F]; // feature 0 of the last input row
      for (let h = 0; h < H; h++) {
        const o = (b * H + h) * L;
        let expected = anchor + raw[o];
        expect(out[o]).toBeCloseTo(expected, 5);
        for (let l = 1; l < L; l++) {
          expect(out[o + l]).toBeGreaterThanOrEqual(out[o + l - 1]);
          expected += softplus(raw[o + l]);
          expect(out[o + l]).toBeCloseTo(expected, 4);
        }
      }
    }
  });
});
