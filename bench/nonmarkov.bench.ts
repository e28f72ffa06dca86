/**
 * Non-exponential periods (`node dist/bench/nonmarkov.bench.js [--quick]`): SIR on BA n = 10⁶, m = 5 (quick:
 * 10⁵) with a gamma infectious period (mean 1/γ, shape 2; and a fixed one) on the non-Markovian kernel
 * (engine/nonmarkov.ts), against the Markovian event-driven SIR (engine/sir-fast.ts) with the same mean
 * period and τ, in the same process. Runs alternate between the engines so that machine drift hits both;
 * the table gives median CPU seconds per run, events per second and the ratio to the Markovian path
 * (issue 14's target: within 2×). Per-event ratios matter too: a gamma period transmits more (T is larger
 * for a less variable period at the same mean), so a run has more events. NEXTNet is not run here (no
 * binding available to Node); its published figures are on other machines.
 */
import { cpus, loadavg } from "node:os";
import type { CSR } from "../src/graph/csr.js";
import { generateCSR } from "../src/graph/generators/index.js";
import { degreeStats } from "../src/graph/stats.js";
import { compileModel } from "../src/models/compartmental.js";
import { presetModel } from "../src/models/presets.js";
import { compileDurations, type DurationsSpec } from "../src/models/durations.js";
import { drawInitial, planInitial } from "../src/engine/initial.js";
import { runSIRFast } from "../src/engine/sir-fast.js";
import { runNonMarkov } from "../src/engine/nonmarkov.js";
import type { RunOutput } from "../src/engine/trajectory.js";
import { runStream } from "../src/random.js";
import { cpuSeconds, median } from "./measure.js";

const quick = process.argv.includes("--quick");
const n = quick ? 100_000 : 1_000_000;
const runs = quick ? 5 : 7;
const GAMMA = 1;
const RHO = 0.001;
const SEED = 2026;

const fmt = (x: number, d = 3) => x.toFixed(d);

console.log(`Spreadlab non-exponential periods benchmark — node ${process.version}, γ = ${GAMMA}, ρ = ${RHO}, seed ${SEED}${quick ? " (quick)" : ""}`);
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores (ratios are only meaningful on a quiet machine)`);
const [csr, genSecs] = cpuSeconds<CSR>(() => generateCSR({ type: "barabasi-albert", n, m: 5 }, SEED));
const st = degreeStats(csr);
// τ for a configuration-model R0 of 2.5 with exponential periods, as in engine.bench.ts.
const T = (2.5 * st.meanDegree) / (st.meanSquareDegree - st.meanDegree);
const tau = (GAMMA * T) / (1 - T);
console.log(`\n## BA n=${n} m=5: ${st.m} arcs; τ = ${fmt(tau, 4)}, mean period 1/γ = ${1 / GAMMA}; generated in ${fmt(genSecs, 2)} s; ${runs} runs per engine`);

const def = presetModel("SIR", { beta: tau, gamma: GAMMA });
const model = compileModel(def);
const plan = planInitial({ I: { fraction: RHO } }, csr, model);
type Engine = { label: string; run: (init: Uint8Array, r: number) => RunOutput };
const nonMarkov = (label: string, spec: DurationsSpec): Engine => {
  const durations = compileDurations(spec, model, def.params!);
  return { label, run: (init, r) => runNonMarkov(csr, model, durations, null, init, Infinity, 1, runStream(SEED, r)) };
};
const engines: Engine[] = [
  { label: "Markovian event-driven SIR (exponential period)", run: (init, r) => runSIRFast(csr, { beta: tau, gamma: GAMMA, S: 0, I: 1, R: 2 }, init, Infinity, 1, runStream(SEED, r)) },
  nonMarkov("non-Markovian kernel, gamma period (shape 2)", { I: { dist: "gamma", mean: 1 / GAMMA, shape: 2 } }),
  nonMarkov("non-Markovian kernel, fixed period", { I: { dist: "fixed", value: 1 / GAMMA } }),
  nonMarkov("non-Markovian kernel, gamma shape 1 (= exponential)", { I: { dist: "gamma", mean: 1 / GAMMA, shape: 1 } }),
];
const secs = engines.map(() => [] as number[]);
const events = engines.map(() => 0);
const sizes = engines.map(() => 0);
for (let r = 0; r < runs; r++) {
  engines.forEach((e, i) => {
    const init = drawInitial(plan, csr, model, runStream(SEED + 1, r));
    const [out, s] = cpuSeconds(() => e.run(init, r));
    secs[i].push(s);
    events[i] += out.events;
    sizes[i] += out.finalSize / n;
  });
}
const base = median(secs[0]);
const basePerEvent = base / (events[0] / runs);
console.log("| engine | median CPU s/run | events/s | final size | × Markovian (per run) | × Markovian (per event) |");
console.log("|---|---|---|---|---|---|");
engines.forEach((e, i) => {
  const m = median(secs[i]);
  const perEvent = m / (events[i] / runs);
  console.log(`| ${e.label} | ${fmt(m, 4)} | ${(events[i] / runs / m / 1e6).toFixed(2)}M | ${fmt(sizes[i] / runs, 4)} | ${fmt(m / base, 2)} | ${fmt(perEvent / basePerEvent, 2)} |`);
});
