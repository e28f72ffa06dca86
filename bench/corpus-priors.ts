/**
 * Where the pretraining corpus' priors stand against ILINet seasons that precede the benchmarks' test periods
 * (issue 11). `node dist/bench/corpus-priors.js [--series 200] [--seed 1] [--weeks 260]` (after `npm run build`).
 *
 * The cut: the earlier of the two bundled benchmarks' first test rows (Cola-GNN protocol, protocol.ts: test
 * rows [⌊0.7n⌋, n)) — region785 row 549 = 2013-W15, state360 row 251 = 2015-W30 — so 2013-W15. Only complete
 * seasons (MMWR week 40 to week 39) whose every row lies strictly before the cut are measured: region785
 * 2002/03–2011/12 (10 HHS regions), state360 2010/11–2011/12 (49 states); 2012/13 ends after the cut and is left
 * out. No row at or after the cut is read (tests/forecast/corpus-priors.test.ts poisons them).
 *
 * The corpus side is measured the same way (corpus-priors-measure.ts) on the first N series of the corpus the
 * bundled checkpoint was pretrained on (seed 1, 260 weeks: models/ili-pretrained/manifest.json), series without
 * a floor (8 %: pure engine output, nothing in ILINet like them) left out; the generator's constants are printed
 * beside. Verdict per prior and dataset: "consistent" when the data's 10th–90th percentile range lies inside the
 * corpus' 5th–95th (the prior covers the seasons seen before the test periods), else "differs". R0, which weekly
 * counts do not give without a generation interval, is set beside the literature instead (last line).
 */
import { generateCorpusSeries } from "../src/forecast/corpus.js";
import { loadDataset } from "../src/forecast/data.js";
import { COLA_GNN_PROTOCOL, splitBoundaries } from "../src/forecast/protocol.js";
import { formatWeek, type EpiWeek } from "../src/forecast/series-csv.js";
import { cpuSeconds } from "./measure.js";
import { compareWeeks, corpusSeasons, measureRegions, quantile, seasonsBefore, type PairMeasure, type SeasonMeasure } from "./corpus-priors-measure.js";

const BENCHMARKS = ["region785", "state360"] as const;

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.lastIndexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${name} must be a positive integer, got ${args[i + 1]}`);
  return v;
};
const seriesCount = flag("--series", 200);
const seed = flag("--seed", 1);
const weeks = flag("--weeks", 260);

// The cut: the earliest first test row of the two benchmarks.
let cut: EpiWeek | null = null;
for (const id of BENCHMARKS) {
  const table = loadDataset(id);
  const b = splitBoundaries(table.rows, COLA_GNN_PROTOCOL.window, Math.max(...COLA_GNN_PROTOCOL.horizons), table.file);
  const first = table.weeks![b.validEnd];
  console.log(`${id}: ${table.rows} rows, first test row ${b.validEnd} = ${formatWeek(first)}`);
  if (cut === null || compareWeeks(first, cut) < 0) cut = first;
}
console.log(`cut: ${formatWeek(cut!)} — only complete seasons (week 40 to week 39) strictly before it are read\n`);

interface Measured {
  name: string;
  seasons: SeasonMeasure[];
  pairs: PairMeasure[];
}
const data: Measured[] = BENCHMARKS.map((id) => {
  const blocks = seasonsBefore(loadDataset(id), cut!);
  const labels = [...new Set(blocks.flat().map((b) => b.label))];
  console.log(`${id}: ${blocks.flat().length} region-seasons, ${labels[0]} … ${labels.at(-1)}`);
  return { name: id, ...measureRegions(blocks) };
});

const [corpus, cpu] = cpuSeconds(() => {
  const regions = [];
  const r0: number[] = [];
  let noFloor = 0;
  for (let i = 0; i < seriesCount; i++) {
    // The northern corpus (no southern or tropical series): these priors are compared with US seasons. Its series
    // are the northern share of the default mix, draw for draw (corpus.ts ClimateMix).
    const { values, meta } = generateCorpusSeries(seed, i, weeks, { climate: { southern: 0, tropical: 0 } });
    r0.push(meta.r0);
    if (meta.floor === 0) noFloor++;
    else regions.push(corpusSeasons(values, meta.startWeek, `series ${i}`));
  }
  return { name: "corpus", noFloor, r0: r0.sort((a, b) => a - b), ...measureRegions(regions) };
});
console.log(
  `corpus: seed ${seed}, series 0…${seriesCount - 1} × ${weeks} weeks (${corpus.noFloor} without a floor left out), ${corpus.seasons.length} seasons; ${cpu.toFixed(1)} CPU s\n`,
);

interface Prior {
  name: string;
  /** The generator's constant(s), in words. */
  constant: string;
  season?: (m: SeasonMeasure) => number | null;
  pair?: (m: PairMeasure) => number;
  digits: number;
}
const PRIORS: Prior[] = [
  { name: "half-max width (weeks)", constant: "target 5–14 log-uniform", season: (m) => m.width, digits: 1 },
  { name: "peak week (0 = MMWR wk 1)", constant: "4 ± 4, clamped −6…14", season: (m) => m.peakWeek, digits: 0 },
  { name: "peak / floor", constant: "largest wave 10–200 × floor", season: (m) => m.peakToFloor, digits: 2 },
  { name: "summer level / peak", constant: "(from the two above)", season: (m) => m.summerToPeak, digits: 3 },
  { name: "floor (counts/week)", constant: "10–700 log-uniform", season: (m) => m.floor, digits: 0 },
  { name: "next / previous peak", constant: "R0 log-sd 0.12, 15 % mild", pair: (m) => m.peakRatio, digits: 2 },
  { name: "floor growth per year", constant: "trend N(15 %, 20 %)/yr, −25…+60 %", pair: (m) => m.floorGrowth, digits: 3 },
  { name: "summer noise k", constant: "NB k 15–1,000", season: (m) => m.dispersion, digits: 0 },
];

function values(m: Measured, prior: Prior): number[] {
  const xs = prior.season ? m.seasons.map(prior.season) : m.pairs.map(prior.pair!);
  return xs.filter((x): x is number => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
}
const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : "∞");

for (const prior of PRIORS) {
  const c = values(corpus, prior);
  const [c05, c50, c95] = [0.05, 0.5, 0.95].map((q) => quantile(c, q));
  console.log(`${prior.name} — generator: ${prior.constant}`);
  console.log(`  corpus          median ${fmt(c50, prior.digits)}, 5–95 % ${fmt(c05, prior.digits)} … ${fmt(c95, prior.digits)} (n = ${c.length})`);
  for (const d of data) {
    const x = values(d, prior);
    const [d10, d50, d90] = [0.1, 0.5, 0.9].map((q) => quantile(x, q));
    const censored = prior.season === PRIORS[0].season ? `, ${d.seasons.length - x.length} censored` : "";
    const inside = d10 >= c05 && d90 <= c95;
    const side = d10 < c05 && d90 > c95 ? "both tails outside" : d10 < c05 ? "low tail below the corpus" : "high tail above the corpus";
    console.log(
      `  ${d.name.padEnd(15)} median ${fmt(d50, prior.digits)}, 10–90 % ${fmt(d10, prior.digits)} … ${fmt(d90, prior.digits)} (n = ${x.length}${censored}) → ${inside ? "consistent" : `differs (${side})`}`,
    );
  }
}

// R0 cannot be read off weekly counts without a generation interval; the literature has it. Biggerstaff,
// Cauchemez, Reed, Gambhir & Finelli (2014), BMC Infect. Dis. 14:480, systematic review: seasonal influenza
// median 1.28 (IQR 1.19–1.37, 47 estimates), 2009 pandemic 1.46 (IQR 1.30–1.70), 1918 pandemic 1.80 (1.47–2.27).
const [r05, r25, r50, r75, r95] = [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => quantile(corpus.r0, q));
const r0Inside = r25 >= 1.19 && r75 <= 1.37;
console.log("R0 (series level, all series) — generator: 1.2–3, denser below 2, raised when the epidemics stay minor");
console.log(`  corpus          median ${r50.toFixed(2)}, IQR ${r25.toFixed(2)} … ${r75.toFixed(2)}, 5–95 % ${r05.toFixed(2)} … ${r95.toFixed(2)} (n = ${corpus.r0.length})`);
console.log(`  literature      seasonal median 1.28, IQR 1.19 … 1.37; 2009 pandemic 1.46, IQR 1.30 … 1.70 (Biggerstaff et al. 2014) → ${r0Inside ? "consistent" : "differs (corpus IQR outside the seasonal IQR)"}`);
