/**
 * Testing, isolation and contact tracing (`node dist/bench/tracing.bench.js [--quick]`): SEIR-free SIR on
 * BA n = 10⁶, m = 3 (quick: 10⁵) with a gamma infectious period (mean 1, shape 2), τ for R0 ≈ 2.5. The
 * reference is the non-Markovian kernel without interventions (engine/nonmarkov.ts), in the same process,
 * runs alternating between the configurations so machine drift hits all. Rows: the tracing kernel with an
 * inert test (sensitivity 0: the cost of per-arc attempts and test clocks alone), symptomatic testing and
 * isolation, + tracing of neighbours, + two levels, and random screening of everyone (a clock per node).
 * Median CPU seconds per run and the ratio to the reference.
 */
import { cpus, loadavg } from "node:os";
import type { CSR } from "../src/graph/csr.js";
import { generateCSR } from "../src/graph/generators/index.js";
import { degreeStats } from "../src/graph/stats.js";
import { compileModel } from "../src/models/compartmental.js";
import { presetModel } from "../src/models/presets.js";
import { compileDurations } from "../src/models/durations.js";
import { drawInitial, planInitial } from "../src/engine/initial.js";
import { runNonMarkov } from "../src/engine/nonmarkov.js";
import { controlStreams, runTracing } from "../src/engine/tracing.js";
import { compileControl } from "../src/engine/testing.js";
import type { Intervention } from "../src/engine/interventions.js";
import type { RunOutput } from "../src/engine/trajectory.js";
import { runStream } from "../src/random.js";
import { cpuSeconds, median } from "./measure.js";

const quick = process.argv.includes("--quick");
const n = quick ? 100_000 : 1_000_000;
const runs = quick ? 3 : 5;
const SEED = 2026;
const fmt = (x: number, d = 3) => x.toFixed(d);

console.log(`Spreadlab testing and tracing benchmark — node ${process.version}, seed ${SEED}${quick ? " (quick)" : ""}`);
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores (ratios are only meaningful on a quiet machine)`);
const [csr, genSecs] = cpuSeconds<CSR>(() => generateCSR({ type: "barabasi-albert", n, m: 3 }, SEED));
const st = degreeStats(csr);
const T = (2.5 * st.meanDegree) / (st.meanSquareDegree - st.meanDegree);
const tau = T / (1 - T);
console.log(`\n## BA n=${n} m=3: ${st.m} arcs; τ = ${fmt(tau, 4)}, I: gamma(mean 1, shape 2); generated in ${fmt(genSecs, 2)} s; ${runs} runs per row`);

const def = presetModel("SIR", { beta: tau, gamma: 1 });
const model = compileModel(def);
const durations = compileDurations({ I: { dist: "gamma", mean: 1, shape: 2 } }, model, def.params!);
const plan = planInitial({ I: { count: 50 } }, csr, model);
type Row = { label: string; run: (init: Uint8Array, r: number) => RunOutput & { testing?: { tests: number; quarantined: number } } };
const traced = (label: string, list: Intervention[]): Row => {
  const control = compileControl(list, model, (m) => new Error(m));
  return { label, run: (init, r) => runTracing(csr, model, durations, control, init, Infinity, 1, runStream(SEED, r), controlStreams(SEED, r)) };
};
const symptomatic: Intervention = { at: 0, testing: { rate: 0.5, among: ["I"], delay: 0.5, isolation: 14 } };
const rows: Row[] = [
  { label: "reference: non-Markovian kernel, no interventions", run: (init, r) => runNonMarkov(csr, model, durations, null, init, Infinity, 1, runStream(SEED, r)) },
  traced("tracing kernel, inert test (sensitivity 0, among I)", [{ at: 0, testing: { rate: 0.5, among: ["I"], sensitivity: 0 } }]),
  traced("symptomatic testing 0.5/day, isolation", [symptomatic]),
  traced("+ tracing neighbours p = 0.5, delay 1", [symptomatic, { at: 0, tracing: { probability: 0.5, delay: 1 } }]),
  traced("+ tracing two levels", [symptomatic, { at: 0, tracing: { probability: 0.5, delay: 1, levels: 2 } }]),
  traced("random screening of all 0.05/day + tracing", [{ at: 0, testing: { rate: 0.05, delay: 0.5 } }, { at: 0, tracing: { probability: 0.5, delay: 1 } }]),
];
const secs = rows.map(() => [] as number[]);
const stats = rows.map(() => ({ events: 0, size: 0, tests: 0, quarantined: 0 }));
for (let r = 0; r < runs; r++) {
  rows.forEach((row, i) => {
    const init = drawInitial(plan, csr, model, runStream(SEED + 1, r));
    const [out, s] = cpuSeconds(() => row.run(init, r));
    secs[i].push(s);
    stats[i].events += out.events / runs;
    stats[i].size += out.finalSize / n / runs;
    stats[i].tests += (out.testing?.tests ?? 0) / runs;
    stats[i].quarantined += (out.testing?.quarantined ?? 0) / runs;
  });
}
const base = median(secs[0]);
console.log("| configuration | median CPU s/run | state changes/run | attack rate | tests/run | quarantines/run | × reference |");
console.log("|---|---|---|---|---|---|---|");
rows.forEach((row, i) => {
  const m = median(secs[i]);
  const s = stats[i];
  console.log(`| ${row.label} | ${fmt(m, 3)} | ${Math.round(s.events)} | ${fmt(s.size, 3)} | ${Math.round(s.tests)} | ${Math.round(s.quarantined)} | ${fmt(m / base, 2)} |`);
});
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(", ")}`);
