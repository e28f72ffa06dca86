/**
 * The summary card of a run: R0 estimate, peak size and day, attack rate, final size with its interval
 * (cascades: final active count with its interval, reach and rounds; see summaryMetrics).
 *
 * R0 on a network (SIR-like, continuous time, rates β per edge and γ): each transmission along an edge
 * happens before recovery with probability T = β / (β + γ) (the transmissibility), and an infected node
 * reached along an edge has on average ⟨k²⟩/⟨k⟩ − 1 other neighbours (the excess degree), so
 * R0 = T · (⟨k²⟩ − ⟨k⟩) / ⟨k⟩ (Newman 2002, "Spread of epidemic disease on networks", Phys. Rev. E 66, 016128).
 */
export interface DegreeMoments {
  meanDegree: number;
  meanSquareDegree: number;
}

/**
 * The scenario's transmissibility T = β/(β+γ) against the network's epidemic threshold
 * T_c = ⟨k⟩/(⟨k²⟩−⟨k⟩), the heterogeneous mean-field (bond percolation) threshold of SIR on an uncorrelated
 * network (Newman 2002): a large outbreak is possible only when T > T_c (equivalently R₀ > 1).
 * Null when the model has no β and γ or the network no excess degree.
 */
export function thresholdLine(params: Record<string, number>, stats: DegreeMoments | null): { t: number; tc: number; text: string } | null {
  const { beta, gamma } = params;
  if (!stats || !(beta >= 0) || !(gamma > 0)) return null;
  const excess = stats.meanSquareDegree - stats.meanDegree;
  if (!(excess > 0)) return null;
  const t = beta / (beta + gamma);
  const tc = stats.meanDegree / excess;
  const side = t > tc ? "above" : t < tc ? "below" : "at";
  return { t, tc, text: `T = β/(β+γ) = ${formatNumber(t)}, ${side} the epidemic threshold T_c = ⟨k⟩/(⟨k²⟩−⟨k⟩) = ${formatNumber(tc)}` };
}

export function networkR0(params: Record<string, number>, stats: DegreeMoments): number | null {
  const { beta, gamma } = params;
  if (!(beta >= 0) || !(gamma > 0) || !(stats.meanDegree > 0)) return null;
  const transmissibility = beta / (beta + gamma);
  return (transmissibility * (stats.meanSquareDegree - stats.meanDegree)) / stats.meanDegree;
}

/** The q-quantile of values (linear interpolation between order statistics, as numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface RunSummary {
  r0: number | null;
  peak: { mean: number; day: number };
  attackRate: number;
  finalSize: { mean: number; lo: number; hi: number };
  n: number;
  runs: number;
}

export function summarise(
  result: { n: number; runs: number; finalSize: { mean: number; values: number[] }; peak: { mean: number; time: { mean: number } } },
  params: Record<string, number>,
  stats: DegreeMoments | null,
): RunSummary {
  return {
    r0: stats ? networkR0(params, stats) : null,
    peak: { mean: result.peak.mean, day: result.peak.time.mean },
    // Infections only (seeds, induced infections, imports): finalSize never counts vaccinated nodes.
    attackRate: result.finalSize.mean / result.n,
    finalSize: { mean: result.finalSize.mean, lo: quantile(result.finalSize.values, 0.025), hi: quantile(result.finalSize.values, 0.975) },
    n: result.n,
    runs: result.runs,
  };
}

/** A number for the card: at most 3 significant digits below 1000, thousands grouped above. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en-US");
  return Number(x.toPrecision(3)).toString();
}

/** One figure of the summary card: label, value, note. */
export type Metric = [label: string, value: string, note: string];

/**
 * The summary card's figures for a result. Compartmental models: R₀ (network estimate), peak, attack rate,
 * final size. Cascades (independent cascade, linear threshold) have no R₀ or infectious peak: final active
 * count with its 95% interval, reach (the share of nodes ever active) and rounds until no node activated.
 */
export function summaryMetrics(
  result: Parameters<typeof summarise>[0] & {
    duration?: { mean: number; values: number[] };
    times: number[];
    /** Nodes vaccinated (out of S without infection): never counted in the final size. */
    vaccinated?: { mean: number; sd: number };
    /** Endemic models (SIS, SIRS…): mean infectious share over a late window, instead of a final size. */
    prevalence?: { mean: number; sd: number; window: [number, number] };
  },
  cascade: boolean,
  params: Record<string, number>,
  stats: DegreeMoments | null,
): Metric[] {
  const s = summarise(result, params, stats);
  const interval = `95% of runs: ${formatNumber(s.finalSize.lo)}–${formatNumber(s.finalSize.hi)}`;
  if (cascade) {
    const rounds = result.duration?.values ?? [];
    const mean = result.duration?.mean ?? Math.max(0, result.times.length - 1);
    return [
      ["Final active", formatNumber(s.finalSize.mean), `${interval} (seeds included)`],
      ["Reach", `${formatNumber(s.attackRate * 100)}%`, `of ${formatNumber(s.n)} nodes ever active`],
      ["Rounds", formatNumber(mean), rounds.length ? `until no new activation; runs took ${formatNumber(rounds.reduce((a, b) => Math.min(a, b)))}–${formatNumber(rounds.reduce((a, b) => Math.max(a, b)))}` : `until no new activation (mean of ${s.runs} runs)`],
    ];
  }
  const threshold = thresholdLine(params, stats);
  const out: Metric[] = [
    ["R₀ (network estimate)", formatNumber(s.r0), threshold ? `T = β/(β+γ) = ${formatNumber(threshold.t)} ${threshold.t > threshold.tc ? ">" : threshold.t < threshold.tc ? "<" : "="} T_c = ${formatNumber(threshold.tc)}` : "T·(⟨k²⟩−⟨k⟩)/⟨k⟩, T = β/(β+γ)"],
    ["Peak infectious", formatNumber(s.peak.mean), `on day ${formatNumber(s.peak.day)} (mean of ${s.runs} runs)`],
  ];
  if (result.prevalence) {
    const { mean, window } = result.prevalence;
    out.push(["Endemic prevalence", `${formatNumber((mean / s.n) * 100)}%`, `${formatNumber(mean)} of ${formatNumber(s.n)} nodes infectious, mean over days ${formatNumber(window[0])}–${formatNumber(window[1])}`]);
  } else {
    out.push(["Attack rate", `${formatNumber(s.attackRate * 100)}%`, `of ${formatNumber(s.n)} nodes infected (vaccinated not counted)`]);
    out.push(["Final size", formatNumber(s.finalSize.mean), interval]);
  }
  if (result.vaccinated) out.push(["Vaccinated", formatNumber(result.vaccinated.mean), `${formatNumber((result.vaccinated.mean / s.n) * 100)}% of nodes, moved out of S without infection`]);
  return out;
}
