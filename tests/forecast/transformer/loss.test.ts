/**
 * The training loss (model.ts `pinballLoss`): the mean over levels and unmasked targets of the pinball loss
 * (1{y < q} − τ)(q − y), checked against metrics.ts `pinballLoss` in float64; and the identity that makes it
 * the right loss for WIS (Bracher et al. 2021): Σ over the 2K + 1 hub levels of the pinball loss, divided by
 * K + ½, equals the weighted interval score. Tolerances are float32's (~1e-6 relative per term).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pinballLoss as pinballScalar, weightedIntervalScore } from "../../../src/forecast/metrics.js";
import { HUB_QUANTILE_LEVELS } from "../../../src/forecast/quantiles.js";
import { initTf, tf } from "../../../src/forecast/transformer/backend.js";
import { pinballLoss } from "../../../src/forecast/transformer/model.js";
import { createRandom } from "../../../src/random.js";

beforeAll(async () => {
  await initTf();
});

const levels = [...HUB_QUANTILE_LEVELS];
const L = levels.length;
const rng = createRandom(5);
const uniform = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + (hi - lo) * rng.next());

/** The tf loss on y [B, H] with mask [B, H] and quantiles [B, H, L]. */
function tfLoss(y: number[], mask: number[], q: number[], B: number, H: number): number {
  const yTrue = y.flatMap((v, i) => [v, mask[i]]);
  return tf.tidy(() => pinballLoss(levels)(tf.tensor3d(yTrue, [B, H, 2]), tf.tensor3d(q, [B, H, L])).dataSync()[0]);
}

/** The same in float64: mean over unmasked targets of the mean over levels. */
function referenceLoss(y: number[], mask: number[], q: number[]): number {
  let total = 0;
  let count = 0;
  y.forEach((v, i) => {
    if (!mask[i]) return;
    let s = 0;
    for (let l = 0; l < L; l++) s += pinballScalar(v, q[i * L + l], levels[l]);
    total += s / L;
    count++;
  });
  return total / count;
}

describe("pinballLoss (training loss)", () => {
  it("equals the float64 reference on a small batch (B = 3, H = 4)", () => {
    const [B, H] = [3, 4];
    const y = uniform(B * H, 0, 10);
    const q = uniform(B * H * L, -2, 12);
    const mask = y.map(() => 1);
    const value = tfLoss(y, mask, q, B, H);
    expect(value).toBeGreaterThan(0);
    expect(Math.abs(value - referenceLoss(y, mask, q))).toBeLessThan(1e-5 * referenceLoss(y, mask, q));
  });

  it("masked targets do not count: changing their value or forecast leaves the loss unchanged", () => {
    const [B, H] = [2, 3];
    const y = uniform(B * H, 0, 10);
    const q = uniform(B * H * L, 0, 10);
    const mask = [1, 0, 1, 1, 0, 0];
    const value = tfLoss(y, mask, q, B, H);
    expect(Math.abs(value - referenceLoss(y, mask, q))).toBeLessThan(1e-5 * value);
    const y2 = y.map((v, i) => (mask[i] ? v : v + 1000));
    const q2 = q.map((v, j) => (mask[Math.floor(j / L)] ? v : -v));
    expect(tfLoss(y2, mask, q2, B, H)).toBe(value);
    // … while an unmasked change does count.
    const y3 = y.map((v, i) => (i === 0 ? v + 1000 : v));
    expect(tfLoss(y3, mask, q, B, H)).toBeGreaterThan(value + 1);
  });

  it("is 0 with every target masked (no division by zero)", () => {
    expect(tfLoss([1, 2], [0, 0], uniform(2 * L, 0, 1), 1, 2)).toBe(0);
  });

  it("Σ over the 23 hub levels / (K + ½) = WIS: twice the per-target loss equals weightedIntervalScore, for random y and quantiles", () => {
    const K = (L - 1) / 2;
    expect(K + 0.5).toBe(L / 2); // so Σ/(K + ½) = (L · mean)/(L/2) = 2 · mean
    for (let trial = 0; trial < 50; trial++) {
      const q = uniform(L, 0, 100).sort((a, b) => a - b);
      const y = trial % 5 === 0 ? q[trial % L] : uniform(1, -20, 120)[0]; // on a quantile, inside, and outside the range
      const wis = weightedIntervalScore(y, Float64Array.from(q, Math.fround));
      const fromLoss = 2 * tfLoss([y], [1], q, 1, 1);
      expect(Math.abs(fromLoss - wis)).toBeLessThanOrEqual(2e-5 * (1 + wis));
    }
  });
});
