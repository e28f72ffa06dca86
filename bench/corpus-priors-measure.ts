/**
 * The measurements of bench/corpus-priors.ts, kept apart from the script so that tests can check them: the
 * shape of influenza seasons in weekly ILI counts, measured the same way on ILINet rows (only rows before a
 * cut) and on corpus series.
 *
 * A season is MMWR week 40 of one year to week 39 of the next (CDC's influenza surveillance year), 52 or 53
 * rows; on a corpus series (52-week calendar, `meta.startWeek` = week of the year of values[0], 0 = first
 * week of January) it is the 52 weeks from calendar week 39. Per season, on the values smoothed by a centred
 * 3-week mean (so that reporting noise does not cut a width or move a peak by a week; a wave rising more than
 * twice as fast as it falls, or the reverse, has its smoothed peak one week to the gentler side — the same on
 * both sides of the comparison):
 *  - floor: the 10th percentile of the season's weeks (the off-season level; corpus-summary.ts uses the same
 *    quantile per series);
 *  - peak and its week of the year (0 = MMWR week 1, negative before the new year: the corpus' calendar);
 *  - half-maximum width: weeks between the linearly interpolated crossings of floor + (peak − floor)/2 on
 *    either side of the peak; none (censored) when a side does not come down inside the season;
 *  - peak / floor, and the summer level (median of MMWR weeks 21–39) / peak;
 *  - noise dispersion k from the raw summer weeks: for a smooth mean μ plus independent noise of variance
 *    μ + μ²/k (negative binomial), d_t = x_t − (x_{t−1} + x_{t+1})/2 has variance 1.5 (μ + μ²/k), so
 *    k = μ² / (mean(d²)/1.5 − μ) (∞ when that is ≤ 0: no more than Poisson noise). Any slow change of the
 *    level inflates mean(d²) a little, so k is a lower bound; the corpus is measured the same way.
 * Between consecutive seasons of one region: next peak / previous peak, and next floor / previous floor
 * (the floor's yearly growth: providers joining ILINet).
 */
import { DataError } from "../src/forecast/errors.js";
import { mmwrWeeksInYear, type EpiWeek, type SeriesTable } from "../src/forecast/series-csv.js";

/** One season of one region: its weekly values and the week of the year of values[0]. */
export interface SeasonBlock {
  region: string;
  /** `2009/10`, or `series 12 season 3` for a corpus series. */
  label: string;
  /** Year the season starts in (data) or its rank in the series (corpus): consecutive seasons differ by 1. */
  order: number;
  values: Float64Array;
  /** Week of the year (0 = MMWR week 1) of values[0]: −13, or −14 after a 53-week year. */
  firstWeekOfYear: number;
}

export interface SeasonMeasure {
  region: string;
  label: string;
  floor: number;
  peak: number;
  /** Week of the year of the peak, 0 = MMWR week 1 (the corpus' "calendar week"), negative before January. */
  peakWeek: number;
  /** Half-maximum width in weeks above the floor; null when censored by the season's edges. */
  width: number | null;
  peakToFloor: number;
  summerToPeak: number;
  /** Negative-binomial dispersion of the summer weeks' noise (Infinity: Poisson or less). */
  dispersion: number;
}

export interface PairMeasure {
  region: string;
  /** Next season's peak / this season's peak. */
  peakRatio: number;
  /** Next season's floor / this season's floor. */
  floorGrowth: number;
}

/** Compare two MMWR weeks: negative when a is earlier. */
export function compareWeeks(a: EpiWeek, b: EpiWeek): number {
  return a.year !== b.year ? a.year - b.year : a.week - b.week;
}

/** Linear-interpolation quantile of a sorted array (NaN when empty). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const x = q * (sorted.length - 1);
  const i = Math.floor(x);
  const j = Math.min(i + 1, sorted.length - 1);
  // Equal neighbours first: ∞ − ∞ would give NaN (dispersion k is ∞ for Poisson-or-less noise).
  return sorted[i] === sorted[j] ? sorted[i] : sorted[i] + (sorted[j] - sorted[i]) * (x - i);
}

/** Centred 3-week mean (2 weeks at the ends). */
export function smooth3(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - 1);
    const b = Math.min(n - 1, i + 1);
    let s = 0;
    for (let j = a; j <= b; j++) s += values[j];
    out[i] = s / (b - a + 1);
  }
  return out;
}

/** Peak index and half-maximum width above `floor` (linear crossings); width null when a side is censored. */
export function halfMaxWidth(s: ArrayLike<number>, floor: number): { peak: number; width: number | null } {
  let p = 0;
  for (let i = 1; i < s.length; i++) if (s[i] > s[p]) p = i;
  const half = floor + (s[p] - floor) / 2;
  let i = p;
  while (i >= 0 && s[i] >= half) i--;
  let j = p;
  while (j < s.length && s[j] >= half) j++;
  if (i < 0 || j >= s.length || !(s[p] > floor)) return { peak: p, width: null };
  const left = i + (half - s[i]) / (s[i + 1] - s[i]);
  const right = j - (half - s[j]) / (s[j - 1] - s[j]);
  return { peak: p, width: right - left };
}

/** Summer: MMWR weeks 21–39 (weeks of the year 20…38). */
const SUMMER = [20, 38] as const;

/** Dispersion k of the noise in the raw summer weeks (see the file header). */
export function summerDispersion(values: ArrayLike<number>, firstWeekOfYear: number): number {
  let sum = 0;
  let sumD2 = 0;
  let count = 0;
  for (let k = 1; k + 1 < values.length; k++) {
    const w = k + firstWeekOfYear;
    if (w < SUMMER[0] || w > SUMMER[1]) continue;
    const d = values[k] - (values[k - 1] + values[k + 1]) / 2;
    sum += values[k];
    sumD2 += d * d;
    count++;
  }
  const mu = sum / count;
  const excess = sumD2 / count / 1.5 - mu;
  return excess > 0 ? (mu * mu) / excess : Infinity;
}

/** The measures of one season (see the file header). */
export function measureSeason(block: SeasonBlock): SeasonMeasure {
  const s = smooth3(block.values);
  const floor = quantile(Array.from(s).sort((a, b) => a - b), 0.1);
  const { peak, width } = halfMaxWidth(s, floor);
  const summer: number[] = [];
  for (let k = 0; k < s.length; k++) {
    const w = k + block.firstWeekOfYear;
    if (w >= SUMMER[0] && w <= SUMMER[1]) summer.push(s[k]);
  }
  summer.sort((a, b) => a - b);
  return {
    region: block.region,
    label: block.label,
    floor,
    peak: s[peak],
    peakWeek: peak + block.firstWeekOfYear,
    width,
    peakToFloor: s[peak] / floor,
    summerToPeak: quantile(summer, 0.5) / s[peak],
    dispersion: summerDispersion(block.values, block.firstWeekOfYear),
  };
}

/**
 * The complete seasons (week 40 to week 39) of every region whose rows all lie strictly before `cut`; rows
 * at or after the cut are never read. Seasons with a missing value are skipped.
 */
export function seasonsBefore(table: SeriesTable, cut: EpiWeek): SeasonBlock[][] {
  const weeks = table.weeks;
  if (!weeks) throw new DataError("corpus-priors needs a year,week table (MMWR weeks), not dates", { file: table.file });
  let end = 0;
  while (end < table.rows && compareWeeks(weeks[end], cut) < 0) end++;
  return table.regions.map((region, r) => {
    const blocks: SeasonBlock[] = [];
    for (let start = 0; start < end; start++) {
      if (weeks[start].week !== 40) continue;
      const length = mmwrWeeksInYear(weeks[start].year);
      if (start + length > end) break;
      const values = table.values[r].slice(start, start + length);
      if (values.some((v) => !Number.isFinite(v))) continue;
      const y = weeks[start].year;
      blocks.push({ region, label: `${y}/${String((y + 1) % 100).padStart(2, "0")}`, order: y, values, firstWeekOfYear: 40 - 1 - length });
    }
    return blocks;
  });
}

/** Corpus calendar week (0 = first week of January) where a season starts: MMWR week 40 of a 52-week year. */
const CORPUS_SEASON_START = 39;

/** The complete 52-week seasons of one corpus series (values[0] at calendar week `startWeek`). */
export function corpusSeasons(values: Float64Array, startWeek: number, region: string): SeasonBlock[] {
  const blocks: SeasonBlock[] = [];
  let start = (((CORPUS_SEASON_START - startWeek) % 52) + 52) % 52;
  for (let k = 0; start + 52 <= values.length; start += 52, k++) {
    blocks.push({ region, label: `season ${k}`, order: k, values: values.slice(start, start + 52), firstWeekOfYear: CORPUS_SEASON_START - 52 });
  }
  return blocks;
}

/** Measures of each season, and of each pair of consecutive seasons, of each region. */
export function measureRegions(regions: readonly SeasonBlock[][]): { seasons: SeasonMeasure[]; pairs: PairMeasure[] } {
  const seasons: SeasonMeasure[] = [];
  const pairs: PairMeasure[] = [];
  for (const blocks of regions) {
    const measured = blocks.map(measureSeason);
    seasons.push(...measured);
    for (let i = 0; i + 1 < measured.length; i++) {
      // Only seasons that follow each other (a season skipped for a missing value breaks the chain).
      if (blocks[i + 1].order !== blocks[i].order + 1) continue;
      pairs.push({ region: measured[i].region, peakRatio: measured[i + 1].peak / measured[i].peak, floorGrowth: measured[i + 1].floor / measured[i].floor });
    }
  }
  return { seasons, pairs };
}
