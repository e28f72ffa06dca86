/**
 * Influence-maximisation benchmark: spread σ̂(S_k) against k on a Barabási–Albert network (n = 10⁴, m = 3)
 * under IC with p = 0.05 and under LT with the default 1/in-degree weights, for IMM (ε = 0.5, and ε = 0.1 to
 * show what 25× the sampling buys), degree, PageRank, degree discount (IC only) and CELF (k ≤ 10, 200 runs
 * per estimate).
 *
 * Every seed set is scored by the same fresh 2,000-run Monte Carlo (streams EVALUATION_STREAM + r of the
 * seed, as in maximizeInfluence), so the columns compare on common random numbers. The prefix-consistent
 * methods (degree, PageRank, degree discount, CELF) select once at the largest k and are scored on their
 * prefixes; IMM is run afresh for every k, since its number of RR sets θ depends on k. Times are wall-clock
 * selection times (evaluation excluded) on whatever the machine is doing: compare them within one run.
 *
 * Run: npm run build && node dist/bench/influence.bench.js [--quick] [--celf-k=10] [--celf-runs=200] [--epsilons=0.5,0.1]
 *   --quick: n = 2,000, 500 evaluation runs, CELF k ≤ 5, ε = 0.5 only — a smoke test of the script.
 */
import { cpus, loadavg } from "node:os";
import { generateCSR } from "../src/graph/generators/index.js";
import { degreeStats } from "../src/graph/stats.js";
import { createRandom } from "../src/random.js";
import { celf } from "../src/influence/celf.js";
import { imm } from "../src/influence/imm.js";
import { degreeDiscount, topByDegree, topByPageRank } from "../src/influence/heuristics.js";
import { EVALUATION_STREAM, IMM_STREAM } from "../src/influence/index.js";
import { independentCascadeModel, linearThresholdModel, type InfluenceModel } from "../src/influence/model.js";
import { inArcs } from "../src/influence/rr-sets.js";
import { estimateSpread, type SpreadEstimate } from "../src/influence/spread.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const option = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);

const N = quick ? 2000 : 10_000;
const KS = [1, 2, 5, 10, 20, 50];
const K_MAX = KS[KS.length - 1];
const EVALUATION_RUNS = quick ? 500 : 2000;
const CELF_K = option("celf-k", quick ? 5 : 10);
const CELF_RUNS = option("celf-runs", 200);
const EPSILONS = (args.find((a) => a.startsWith("--epsilons="))?.slice(11) ?? (quick ? "0.5" : "0.5,0.1")).split(",").map(Number);
const SEED = 2026;

interface Row {
  method: string;
  /** σ̂ at each k of KS (null where not run). */
  spread: (SpreadEstimate | null)[];
  /** Selection time in ms, per k (IMM) or once for the largest k (others). */
  ms: number[];
  note: string;
}

const fmt = (x: number, digits: number) => x.toFixed(digits);
const timed = <T>(fn: () => T): [T, number] => {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
};

function scorePrefixes(csr: ReturnType<typeof generateCSR>, model: InfluenceModel, seeds: Int32Array): (SpreadEstimate | null)[] {
  return KS.map((k) => (k <= seeds.length ? estimateSpread(csr, model, seeds.subarray(0, k), { runs: EVALUATION_RUNS, seed: SEED, firstStream: EVALUATION_STREAM }) : null));
}

function main(): void {
  console.log(`Spreadlab influence-maximisation benchmark — node ${process.version}, seed ${SEED}${quick ? " (quick)" : ""}`);
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores`);
  const csr = generateCSR({ type: "barabasi-albert", n: N, m: 3 }, SEED);
  const st = degreeStats(csr);
  const transpose = inArcs(csr);
  console.log(`BA n = ${st.n}, m = 3: ${csr.m / 2} edges, ⟨k⟩ = ${fmt(st.meanDegree, 2)}, ⟨k²⟩ = ${fmt(st.meanSquareDegree, 1)}; evaluation: ${EVALUATION_RUNS} runs per σ̂`);

  const models: [string, InfluenceModel][] = [
    ["IC, p = 0.05", independentCascadeModel(csr, 0.05)],
    ["LT, w(u→v) = 1/in-degree(v)", linearThresholdModel(csr)],
  ];
  for (const [label, model] of models) {
    const rows: Row[] = [];

    for (const epsilon of EPSILONS) {
      const spread: (SpreadEstimate | null)[] = [];
      const ms: number[] = [];
      const sets: number[] = [];
      for (const k of KS) {
        const [result, elapsed] = timed(() => imm(csr, model, createRandom(SEED, IMM_STREAM), { k, epsilon, transpose }));
        ms.push(elapsed);
        sets.push(result.rrSets);
        spread.push(estimateSpread(csr, model, result.seeds, { runs: EVALUATION_RUNS, seed: SEED, firstStream: EVALUATION_STREAM }));
      }
      rows.push({ method: `IMM ε = ${epsilon}`, spread, ms, note: `RR sets per k: ${sets.join(", ")}; selection ms per k: ${ms.map((x) => fmt(x, 0)).join(", ")}` });
    }

    const heuristics: [string, () => Int32Array][] = [
      ["degree", () => topByDegree(csr, K_MAX)],
      ["PageRank (reversed)", () => topByPageRank(csr, K_MAX, { weights: model.kind === "linear-threshold" ? model.weights : null })],
    ];
    if (model.kind === "independent-cascade") heuristics.push(["degree discount", () => degreeDiscount(csr, K_MAX, 0.05)]);
    for (const [method, select] of heuristics) {
      const [seeds, ms] = timed(select);
      rows.push({ method, spread: scorePrefixes(csr, model, seeds), ms: [ms], note: `one ranking for k = ${K_MAX}` });
    }

    const [greedy, celfMs] = timed(() => celf(csr, model, { k: CELF_K, runs: CELF_RUNS, seed: SEED }));
    rows.push({
      method: `CELF R = ${CELF_RUNS}`,
      spread: scorePrefixes(csr, model, greedy.seeds),
      ms: [celfMs],
      note: `k ≤ ${CELF_K}; ${greedy.evaluations} σ̂ evaluations (${greedy.evaluations * CELF_RUNS} cascades)`,
    });

    console.log(`\n## ${label}: σ̂(S_k) ± SE (${EVALUATION_RUNS} runs, common streams)\n`);
    console.log(`| method | ${KS.map((k) => `k = ${k}`).join(" | ")} | selection time |`);
    console.log(`|---|${KS.map(() => "---").join("|")}|---|`);
    for (const row of rows) {
      const cells = row.spread.map((s) => (s === null ? "—" : `${fmt(s.mean, 1)} ± ${fmt(s.se, 1)}`));
      const time = row.ms.length === 1 ? `${fmt(row.ms[0], 0)} ms` : `${fmt(row.ms.reduce((a, b) => a + b, 0), 0)} ms (all ${row.ms.length} k)`;
      console.log(`| ${row.method} | ${cells.join(" | ")} | ${time} |`);
    }
    console.log("");
    for (const row of rows) console.log(`- ${row.method}: ${row.note}`);
  }
}

main();
