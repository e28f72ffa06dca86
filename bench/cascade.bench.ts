/**
 * Cascade benchmark (`node dist/bench/cascade.bench.js` after `npm run build`): the graphs of
 * VALIDATION.md's speed table — BA n = 10⁵ m = 5, ER n = 10⁵ ⟨k⟩ = 10, BA n = 10⁶ m = 5 — with 0.1% of
 * the nodes as random seeds.
 *  - Independent cascade with the "same p as discrete SIR": p = T = 2.5·⟨k⟩/(⟨k²⟩ − ⟨k⟩), the
 *    transmissibility at configuration-model R0 = 2.5; compared with CyNetDiff's published CPU time, and
 *    its mean spread with the discrete-SIR final sizes of the table (IC from the seeds is discrete SIR).
 *  - Linear threshold on the same graphs, default weights 1/degree and thresholds U(0, 1] per run.
 * Prints the median CPU seconds per cascade (process.cpuUsage; seed drawing and graph build excluded,
 * after a few untimed warm-up runs) and the mean spread as a fraction of n.
 * Options: --quick (fewer runs, no 10⁶ graph), --only=ba1e5,er1e5,ba1e6.
 */
import { loadavg, cpus } from "node:os";
import type { CSR } from "../src/graph/csr.js";
import { generateCSR, type GeneratorSpec } from "../src/graph/generators/index.js";
import { degreeStats } from "../src/graph/stats.js";
import { createCascadeWorkspace, linearThresholdWeights, runIndependentCascade, runLinearThreshold, type CascadeRun, type CascadeWorkspace } from "../src/engine/cascade.js";
import { runStream, type Random } from "../src/random.js";
import { median } from "./measure.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");

interface Case {
  id: string;
  label: string;
  spec: GeneratorSpec;
  runs: number;
  /** CyNetDiff independent cascade, CPU s per run (VALIDATION.md speed table). */
  cynetdiff: number;
  /** Discrete-SIR final size on these graphs (VALIDATION.md speed table). */
  sirFinalSize: number;
}
const CASES: Case[] = (
  [
    { id: "ba1e5", label: "BA n=1e5 m=5", spec: { type: "barabasi-albert", n: 100_000, m: 5 }, runs: quick ? 7 : 41, cynetdiff: 0.004, sirFinalSize: 0.19 },
    { id: "er1e5", label: "ER n=1e5 k=10", spec: { type: "erdos-renyi", n: 100_000, k: 10 }, runs: quick ? 7 : 41, cynetdiff: 0.015, sirFinalSize: 0.89 },
    { id: "ba1e6", label: "BA n=1e6 m=5", spec: { type: "barabasi-albert", n: 1_000_000, m: 5 }, runs: quick ? 3 : 15, cynetdiff: 0.055, sirFinalSize: 0.117 },
  ] as Case[]
).filter((c) => (only ? only.includes(c.id) : !(quick && c.id === "ba1e6")));

const RHO = 0.001;
const SEED = 2026;
const WARMUP = 3;


/** `count` distinct random nodes, by rejection (count ≪ n). */
function randomSeeds(n: number, count: number, rng: Random, mark: Uint8Array): Int32Array {
  const seeds = new Int32Array(count);
  for (let placed = 0; placed < count; ) {
    const v = rng.int(n);
    if (mark[v]) continue;
    mark[v] = 1;
    seeds[placed++] = v;
  }
  for (const v of seeds) mark[v] = 0;
  return seeds;
}

interface Measure {
  seconds: number;
  spread: number;
  rounds: number;
}

function measure(csr: CSR, runs: number, kernel: (seeds: Int32Array, rng: Random, ws: CascadeWorkspace) => CascadeRun): Measure {
  const ws = createCascadeWorkspace(csr.n);
  const mark = new Uint8Array(csr.n);
  const count = Math.max(1, Math.round(RHO * csr.n));
  const times: number[] = [];
  let spread = 0;
  let rounds = 0;
  for (let r = -WARMUP; r < runs; r++) {
    const rng = runStream(SEED, r + WARMUP);
    const seeds = randomSeeds(csr.n, count, rng, mark);
    const start = process.cpuUsage();
    const out = kernel(seeds, rng, ws);
    const used = process.cpuUsage(start);
    if (r < 0) continue;
    times.push((used.user + used.system) / 1e6);
    spread += out.activated / csr.n;
    rounds += out.perRound.length - 1;
  }
  return { seconds: median(times), spread: spread / runs, rounds: rounds / runs };
}

const fmt = (x: number, d = 4) => x.toFixed(d);
console.log(`Spreadlab cascade benchmark — node ${process.version}, ρ = ${RHO}, seed ${SEED}${quick ? " (quick)" : ""}`);
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores`);
const rows: string[] = [];
for (const c of CASES) {
  const csr = generateCSR(c.spec, SEED);
  const st = degreeStats(csr);
  const T = 2.5 * st.sirThreshold;
  const ic = measure(csr, c.runs, (seeds, rng, ws) => runIndependentCascade(csr, T, seeds, Infinity, rng, ws));
  const weights = linearThresholdWeights(csr);
  const lt = measure(csr, c.runs, (seeds, rng, ws) => runLinearThreshold(csr, weights, seeds, Infinity, rng, ws));
  console.log(`${c.label}: ${st.n} nodes, ${st.m} edges, ⟨k⟩ = ${fmt(st.meanDegree, 2)}, ⟨k²⟩ = ${fmt(st.meanSquareDegree, 1)}, p = T = ${fmt(T)}; ${c.runs} runs; IC ${fmt(ic.rounds, 1)} rounds, LT ${fmt(lt.rounds, 1)} rounds on average`);
  rows.push(
    `| ${c.label} | ${fmt(T)} | ${fmt(ic.seconds)} | ${c.cynetdiff} | ${fmt(ic.seconds / c.cynetdiff, 2)} | ${fmt(ic.spread)} | ${c.sirFinalSize} | ${fmt(lt.seconds)} | ${fmt(lt.spread)} |`,
  );
}
console.log("\n| graph | p = T | IC median CPU s | CyNetDiff IC s | × CyNetDiff | IC mean spread / n | discrete-SIR final size (table) | LT median CPU s | LT mean spread / n |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
