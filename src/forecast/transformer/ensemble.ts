/**
 * The validation-weighted quantile ensemble of `forecast evaluate` (issue 11.4, "do no harm").
 *
 * Weights: per horizon, w_m ∝ 1 / (mean WIS of candidate m on the protocol's validation rows at that
 * horizon), normalised to sum 1, over the quantile candidates (the fine-tuned, from-scratch and zero-shot
 * transformers and the hub baseline). Inverse-score weighting is the usual untuned choice for forecast-hub
 * ensembles; the exponent (1) was set by hand, not searched. Only validation scores are read.
 *
 * Combination: the weighted average of the candidates' quantiles level by level (quantile averaging, or
 * Vincentisation). Each candidate's quantiles are sorted, so their weighted average is sorted too. The
 * ensemble is then scored cell by cell like any other method; it is a candidate of `selectOnValidation`,
 * so the method selected is never worse on validation than the best candidate or the ensemble.
 */
import { ForecastError } from "../errors.js";
import { intervalCoverage, mae, pearson, rmse, weightedIntervalScore } from "../metrics.js";
import type { QuantileEvaluation } from "../protocol.js";
import { intervalStructure } from "../quantiles.js";

/** Weights ∝ 1 / validation WIS over the candidates with a finite, positive WIS (sum 1). */
export function inverseWisWeights(validationWis: Readonly<Record<string, number>>): Record<string, number> {
  const usable = Object.entries(validationWis).filter(([, w]) => Number.isFinite(w) && w >= 0);
  if (usable.length === 0) throw new ForecastError("ensemble: no candidate has a finite validation WIS");
  // A perfect candidate (WIS 0) takes all the weight (the limit of 1/WIS); several share it equally.
  const perfect = usable.filter(([, w]) => w === 0);
  const raw = perfect.length > 0 ? usable.map(([m, w]) => [m, w === 0 ? 1 : 0] as const) : usable.map(([m, w]) => [m, 1 / w] as const);
  const total = raw.reduce((a, [, x]) => a + x, 0);
  return Object.fromEntries(raw.map(([m, x]) => [m, x / total]));
}

/**
 * The weighted quantile average of candidates scored on the same cells (same dataset, horizon and split),
 * scored like `evaluateQuantileForecaster` scores a method.
 *
 * @throws ForecastError when the candidates do not cover the same cells and levels.
 */
export function combineQuantileEvaluations(evals: Readonly<Record<string, QuantileEvaluation>>, weights: Readonly<Record<string, number>>): QuantileEvaluation {
  const names = Object.keys(weights).filter((m) => weights[m] > 0);
  if (names.length === 0) throw new ForecastError("ensemble: every weight is 0");
  const first = evals[names[0]];
  if (first === undefined) throw new ForecastError(`ensemble: no scores for candidate ${names[0]}`);
  const cells = first.observed.length;
  const k = first.levels.length;
  for (const m of names) {
    const e = evals[m];
    if (e === undefined) throw new ForecastError(`ensemble: no scores for candidate ${m}`);
    const same = e.horizon === first.horizon && e.split === first.split && e.observed.length === cells && e.levels.length === k && e.observed.every((y, i) => y === first.observed[i] || (Number.isNaN(y) && Number.isNaN(first.observed[i])));
    if (!same) throw new ForecastError(`ensemble: candidate ${m} was not scored on the same cells as ${names[0]} (horizon ${first.horizon}, ${first.split} rows)`);
  }
  const quantiles: Float64Array[] = new Array(cells);
  for (let i = 0; i < cells; i++) {
    const q = new Float64Array(k);
    for (const m of names) {
      const w = weights[m];
      const src = evals[m].quantiles[i];
      for (let j = 0; j < k; j++) q[j] += w * src[j];
    }
    quantiles[i] = q;
  }
  return rescoreQuantiles(first, quantiles);
}

/** `base`'s cells (same observed values, levels, rows) with other quantiles, scored as the protocol scores a method. */
export function rescoreQuantiles(base: QuantileEvaluation, quantiles: Float64Array[]): QuantileEvaluation {
  const levels = base.levels;
  const { median } = intervalStructure(levels);
  const o = base.observed;
  const p = Float64Array.from(quantiles, (q) => q[median]);
  const wis = Float64Array.from(quantiles, (q, i) => weightedIntervalScore(o[i], q, levels));
  return {
    ...base,
    predicted: p,
    rmse: rmse(o, p),
    mae: mae(o, p),
    pcc: pearson(o, p),
    quantiles,
    wis,
    meanWis: wis.reduce((a, b) => a + b, 0) / wis.length,
    coverage50: intervalCoverage(o, quantiles, 0.5, levels),
    coverage95: intervalCoverage(o, quantiles, 0.95, levels),
  };
}

/**
 * The ensemble's forecast at one origin: per horizon i, the members' quantile rows averaged level by level with
 * that horizon's weights (`weights[m][i]`, as `validationEnsemble` chose them). Members with no rows or weight 0
 * are left out.
 *
 * @throws ForecastError when a weighted member lacks rows or its rows differ in shape.
 */
export function combineQuantileRows(rows: Readonly<Record<string, readonly Float64Array[]>>, weights: Readonly<Record<string, readonly number[]>>): Float64Array[] {
  const members = Object.keys(weights).filter((m) => weights[m].some((w) => w > 0));
  if (members.length === 0) throw new ForecastError("ensemble: every weight is 0");
  const horizons = weights[members[0]].length;
  const out: Float64Array[] = [];
  for (let i = 0; i < horizons; i++) {
    let k = -1;
    let q: Float64Array | null = null;
    for (const m of members) {
      const w = weights[m][i];
      if (!(w > 0)) continue;
      const src = rows[m]?.[i];
      if (src === undefined || (k >= 0 && src.length !== k)) throw new ForecastError(`ensemble: member ${m} has no forecast of the same shape at horizon index ${i}`);
      k = src.length;
      q ??= new Float64Array(k);
      for (let j = 0; j < k; j++) q[j] += w * src[j];
    }
    out.push(q!);
  }
  return out;
}
