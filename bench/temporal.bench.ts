/**
 * Temporal contact networks (`node dist/bench/temporal.bench.js [--quick]`): SIR with a gamma infectious period on
 * a configuration of BA n = 2·10⁵, m = 5 (quick: 5·10⁴), on the non-Markovian kernel (engine/nonmarkov.ts):
 *  - the static network with weight 1 (the reference),
 *  - the same network as one always-on window per edge (same draws, same runs: the cost of the window walk alone),
 *  - a daily timetable (period 1): each pair active in 3 random windows covering 1/4 of the day, with β × 4 so that
 *    the mean transmissibility per pair is comparable (more windows to walk per transmission).
 * Runs alternate between the variants; the table gives median CPU seconds per run and the ratio to the reference.
 */
import { cpus, loadavg } from "node:os";
import type { CSR } from "../src/graph/csr.js";
import { generateCSR } from "../src/graph/generators/index.js";
import { temporalNetwork, type ContactWindow, type TemporalCSR } from "../src/graph/temporal.js";
import { compileModel } from "../src/models/compartmental.js";
import { presetModel } from "../src/models/presets.js";
import { compileDurations } from "../src/models/durations.js";
import { drawInitial, planInitial } from "../src/engine/initial.js";
import { runNonMarkov } from "../src/engine/nonmarkov.js";
import type { RunOutput } from "../src/engine/trajectory.js";
import { createRandom, runStream } from "../src/random.js";
import { cpuSeconds, median } from "./measure.js";

const quick = process.argv.includes("--quick");
const n = quick ? 50_000 : 200_000;
const runs = quick ? 3 : 5;
const SEED = 2026;
const BETA = 0.12;


console.log(`Spreadlab temporal contact network benchmark — node ${process.version}, seed ${SEED}${quick ? " (quick)" : ""}`);
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores (ratios are only meaningful on a quiet machine)`);
const csr = generateCSR({ type: "barabasi-albert", n, m: 5 }, SEED);
const edges: [number, number][] = [];
for (let v = 0; v < n; v++) for (let a = csr.offsets[v]; a < csr.offsets[v + 1]; a++) if (csr.targets[a] > v) edges.push([v, csr.targets[a]]);
const always = temporalNetwork(edges.map(([i, j]) => ({ i, j, start: 0, end: Infinity })));
const rng = createRandom(SEED, 99);
const daily: ContactWindow[] = [];
for (const [i, j] of edges) for (let k = 0; k < 3; k++) {
  const s = (k + rng.next() * (1 - 0.25)) / 3; // three disjoint windows of length 1/12 in the day
  daily.push({ i, j, start: s, end: s + 1 / 12 });
}
const timetable = temporalNetwork(daily, { period: 1 });
// The reference: the static network with the same node order and arcs as `always`, weight 1.
const { temporal: _windows, ...plain } = always;
const reference: CSR = { ...plain, weights: new Float32Array(always.m).fill(1) };
console.log(`\n## BA n=${n} m=5: ${always.m} arcs, ${timetable.temporal.start.length} daily windows; ${runs} runs per variant`);

const variants: { label: string; run: (init: Uint8Array, r: number) => RunOutput }[] = [];
const add = (label: string, net: CSR | TemporalCSR, beta: number) => {
  const def = presetModel("SIR", { beta, gamma: 0.25 });
  const model = compileModel(def);
  const durations = compileDurations({ I: { dist: "gamma", mean: 4, shape: 2 } }, model, def.params!);
  const temporal = "temporal" in net ? net.temporal : null;
  variants.push({ label, run: (init, r) => runNonMarkov(net, model, durations, null, init, Infinity, 1, runStream(SEED, r), {}, temporal) });
  return model;
};
const model = add("static, weight 1 (reference)", reference, BETA);
add("always-on windows (same draws)", always, BETA);
add("daily timetable, 3 windows/pair, β × 4", timetable, BETA * 4);
const plan = planInitial({ I: { count: 20 } }, always, model);
const secs = variants.map(() => [] as number[]);
const sizes = variants.map(() => 0);
for (let r = 0; r < runs; r++) {
  variants.forEach((v, i) => {
    const init = drawInitial(plan, always, model, runStream(SEED + 1, r));
    const [out, s] = cpuSeconds(() => v.run(init, r));
    secs[i].push(s);
    sizes[i] += out.finalSize / n / runs;
  });
}
const base = median(secs[0]);
console.log("| variant | median CPU s/run | final size | × reference |");
console.log("|---|---|---|---|");
variants.forEach((v, i) => console.log(`| ${v.label} | ${median(secs[i]).toFixed(4)} | ${sizes[i].toFixed(4)} | ${(median(secs[i]) / base).toFixed(2)} |`));
