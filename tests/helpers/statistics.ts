/** Small statistics used to turn Monte Carlo output into pass/fail decisions with stated error rates. */

export interface Estimate {
  mean: number;
  sd: number;
  /** Standard error of the mean, sd / √R. */
  se: number;
  runs: number;
}

export function estimate(values: ArrayLike<number>): Estimate {
  const R = values.length;
  let sum = 0;
  for (let i = 0; i < R; i++) sum += values[i];
  const mean = sum / R;
  let ss = 0;
  for (let i = 0; i < R; i++) ss += (values[i] - mean) ** 2;
  const sd = R > 1 ? Math.sqrt(ss / (R - 1)) : 0;
  return { mean, sd, se: sd / Math.sqrt(R), runs: R };
}

/**
 * Upper α-quantile of χ²(k) by the Wilson–Hilferty cube approximation (relative error < 1% for k ≥ 3 at
 * the α used here), with z the standard-normal upper quantile of α.
 */
export function chiSquareCritical(k: number, z: number): number {
  const a = 2 / (9 * k);
  return k * (1 - a + z * Math.sqrt(a)) ** 3;
}

/**
 * Pearson χ² goodness of fit of observed counts to expected probabilities, pooling adjacent cells until
 * each expected count is ≥ 5 (the usual validity rule). Returns the statistic and degrees of freedom.
 */
export function chiSquareTest(observed: ArrayLike<number>, probabilities: ArrayLike<number>): { statistic: number; dof: number } {
  let total = 0;
  for (let i = 0; i < observed.length; i++) total += observed[i];
  const cells: { o: number; e: number }[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < probabilities.length; i++) {
    o += observed[i] ?? 0;
    e += probabilities[i] * total;
    if (e >= 5) {
      cells.push({ o, e });
      o = 0;
      e = 0;
    }
  }
  if (cells.length > 0) {
    cells[cells.length - 1].o += o;
    cells[cells.length - 1].e += e;
  }
  let statistic = 0;
  for (const c of cells) statistic += (c.o - c.e) ** 2 / c.e;
  return { statistic, dof: cells.length - 1 };
}
