/** Degree distribution and summary numbers of a graph given as degrees per node. Pure. */
export interface DegreeSummary {
  n: number;
  m: number;
  meanDegree: number;
  maxDegree: number;
  /** histogram[k] = number of nodes of degree k. */
  histogram: number[];
}

export function degreeSummary(degrees: ArrayLike<number>, edges: number): DegreeSummary {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < degrees.length; i++) {
    max = Math.max(max, degrees[i]);
    sum += degrees[i];
  }
  const histogram = new Array<number>(max + 1).fill(0);
  for (let i = 0; i < degrees.length; i++) histogram[degrees[i]]++;
  return { n: degrees.length, m: edges, meanDegree: degrees.length ? sum / degrees.length : 0, maxDegree: max, histogram };
}

/**
 * Logarithmic bins for a heavy-tailed histogram (doubling widths: 1, 2–3, 4–7, 8–15, …; the last bin ends at the largest degree), as points
 * (bin's lower degree, fraction of nodes per unit degree) for a log–log plot; empty bins are left out.
 */
export function logBinned(histogram: readonly number[]): { degree: number[]; density: number[] } {
  const total = histogram.reduce((a, b) => a + b, 0);
  const degree: number[] = [];
  const density: number[] = [];
  if (total === 0) return { degree, density };
  for (let lo = 1; lo < histogram.length; lo *= 2) {
    const hi = Math.min(histogram.length - 1, lo * 2 - 1);
    let count = 0;
    for (let k = lo; k <= hi; k++) count += histogram[k];
    if (count > 0) {
      degree.push(lo);
      density.push(count / total / (hi - lo + 1));
    }
  }
  return { degree, density };
}

/** Node size on screen by degree: area grows with degree, within [min, max] pixels. */
export function nodeSize(degree: number, maxDegree: number, min = 2, max = 14): number {
  if (maxDegree <= 0) return min;
  return min + (max - min) * Math.sqrt(degree / maxDegree);
}
