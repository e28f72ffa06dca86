/**
 * The diffusion model an influence-maximisation method optimises for, resolved and validated once: the
 * independent cascade (IC) with a uniform or per-arc activation probability, or the linear threshold (LT)
 * model with per-arc weights. Per-arc arrays are indexed like `csr.targets` (arc a = u→v, u acts on v).
 */
import type { CSR } from "../graph/csr.js";
import { ModelError } from "../errors.js";
import { linearThresholdWeights } from "../engine/cascade.js";

export type InfluenceModelKind = "independent-cascade" | "linear-threshold";

/** A model ready for the samplers: IC probabilities checked to lie in [0, 1], LT weights with Σ_u w(u→v) ≤ 1. */
export type InfluenceModel =
  | { readonly kind: "independent-cascade"; readonly probability: number | Float32Array | Float64Array }
  | { readonly kind: "linear-threshold"; readonly weights: Float64Array };

export const INFLUENCE_MODELS: readonly InfluenceModelKind[] = ["independent-cascade", "linear-threshold"];

/** Check IC probabilities (a number, or one per arc) and return the model. Throws ModelError naming the arc. */
export function independentCascadeModel(csr: CSR, probability: number | Float32Array | Float64Array, caller = "independentCascadeModel"): InfluenceModel {
  if (typeof probability === "number") {
    if (!(probability >= 0 && probability <= 1)) {
      throw new ModelError(`${caller}: the activation probability must be in [0, 1], got ${probability}.`);
    }
    return { kind: "independent-cascade", probability };
  }
  if (!(probability instanceof Float32Array || probability instanceof Float64Array)) {
    throw new ModelError(`${caller}: "probability" must be a number in [0, 1] or a Float32Array/Float64Array with one value per arc.`);
  }
  if (probability.length !== csr.m) {
    throw new ModelError(`${caller}: expected ${csr.m} per-arc probabilities (one per arc, indexed like csr.targets), got ${probability.length}.`);
  }
  for (let u = 0; u < csr.n; u++) {
    for (let a = csr.offsets[u]; a < csr.offsets[u + 1]; a++) {
      const p = probability[a];
      if (!(p >= 0 && p <= 1)) {
        throw new ModelError(`${caller}: arc "${csr.nodeIds[u]}" → "${csr.nodeIds[csr.targets[a]]}" has probability ${p}; expected a value in [0, 1].`);
      }
    }
  }
  return { kind: "independent-cascade", probability };
}

/** LT weights: 1 / in-degree by default, else the given ones checked (see `linearThresholdWeights`). */
export function linearThresholdModel(csr: CSR, weights?: Float32Array | Float64Array | null): InfluenceModel {
  return { kind: "linear-threshold", weights: linearThresholdWeights(csr, weights) };
}
