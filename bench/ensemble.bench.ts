/**
 * Ensemble benchmark (`node dist/bench/ensemble.bench.js [--quick] [--only=ba1e4,cycle,ba1e5]`): what the
 * worker pool of src/ensemble/pool.ts buys over the serial `simulate` on this machine.
 *
 *  - ba1e4: 1,000 continuous SIR runs (preset SIR, γ = 1, β from T = 2.5·⟨k⟩/(⟨k²⟩ − ⟨k⟩), so the
 *    configuration-model R0 is 2.5), 10 initial infected, tmax = ∞, record 1, no node output, on
 *    BA n = 10⁴ m = 3. The throughput case.
 *  - cycle: 10,000 runs on a 10-node cycle to tmax = 5 (β = γ = 1, 1 initial infected: R0 = 2.5 is out of
 *    reach on a cycle, where T_c = 1), so the work per run is negligible and what is left is the pool's own
 *    cost per run and its start-up.
 *  - ba1e5: 200 runs on BA n = 10⁵ m = 5, same SIR set-up as ba1e4: heavy runs, where the pool should scale.
 *
 * Every configuration — `simulate` on the main thread, `simulateEnsemble` with 1 and 2 workers (and
 * os.availableParallelism() if different) — runs 3 times, interleaved (serial, 1, 2, serial, 1, 2, …) so a
 * load change does not favour one; the tables give the median wall time, the process CPU time (all threads;
 * CPU / wall ≈ cores kept busy), runs/s, µs per run and speed-ups. The pool is created and destroyed inside
 * each `simulateEnsemble` call, so its wall time includes thread start-up, the copy of the network into
 * SharedArrayBuffers and `pool.destroy()`. Start-up is shown twice: the time to the first progress callback
 * (first batch done) and the wall time of a 1-run ensemble. Graph generation is excluded throughout.
 * Results (finalSize.values) must be identical across all configurations and repeats; the bench says so and
 * exits with status 1 when they are not. `--quick` divides the run counts by 10.
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import type { CSR } from "../src/graph/csr.js";
import { generateCSR, type GeneratorSpec } from "../src/graph/generators/index.js";
import { degreeStats } from "../src/graph/stats.js";
import { simulate, type SimulationSpec } from "../src/families/compartmental/simulate.js";
import { simulateEnsemble } from "../src/ensemble/pool.js";
import type { SimulationResult } from "../src/ensemble/assemble.js";
import { median } from "./measure.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const SCALE = quick ? 10 : 1;
const REPEATS = 3;
const GAMMA = 1;
const SEED = 2026;
const GRAPH_SEED = 7;

interface Case {
  id: string;
  label: string;
  graph: GeneratorSpec;
  runs: number;
  tmax: number;
  seeds: number;
  /** β; null: chosen so that T = 2.5 · T_c (configuration-model R0 = 2.5). */
  beta: number | null;
}

const CASES: Case[] = (
  [
    { id: "ba1e4", label: "BA n=1e4 m=3 (throughput)", graph: { type: "barabasi-albert", n: 10_000, m: 3 }, runs: 1000, tmax: Infinity, seeds: 10, beta: null },
    { id: "cycle", label: "10-node cycle, tmax = 5 (per-run overhead)", graph: { type: "cycle", n: 10 }, runs: 10_000, tmax: 5, seeds: 1, beta: 1 },
    { id: "ba1e5", label: "BA n=1e5 m=5 (heavy runs)", graph: { type: "barabasi-albert", n: 100_000, m: 5 }, runs: 200, tmax: Infinity, seeds: 10, beta: null },
  ] as Case[]
)
  .filter((c) => !only || only.includes(c.id))
  .map((c) => ({ ...c, runs: Math.max(1, Math.round(c.runs / SCALE)) }));

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "–");

interface Sample {
  wall: number; // s
  cpu: number; // s, whole process (main thread + workers)
  firstProgress: number; // ms from the call to the first onProgress; NaN for serial
  result: SimulationResult;
}

interface Config {
  label: string;
  /** null: serial `simulate` on the main thread. */
  workers: number | null;
}

async function timed(fn: (mark: () => void) => Promise<SimulationResult> | SimulationResult): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let first = NaN;
  const mark = () => {
    if (Number.isNaN(first)) first = performance.now() - t0;
  };
  const result = await fn(mark);
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  return { wall, cpu: (used.user + used.system) / 1e6, firstProgress: first, result };
}

function runConfig(csr: CSR, spec: SimulationSpec, config: Config): Promise<Sample> {
  if (config.workers === null) return timed(() => simulate(csr, spec));
  const workers = config.workers;
  return timed((mark) => simulateEnsemble(csr, spec, { workers, onProgress: mark }));
}

/** Wall ms from spawning a bare worker thread to its first message, after it has imported `modules` (file URLs or bare names). */
function workerColdStart(modules: string[]): Promise<number> {
  const t0 = performance.now();
  const code = `const { parentPort } = require("node:worker_threads"); (async () => { for (const m of ${JSON.stringify(modules)}) await import(m); parentPort.postMessage(0); })();`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once("message", () => {
      resolve(performance.now() - t0);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

function sameValues(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const workerCounts = [...new Set([1, 2, availableParallelism()])].sort((a, b) => a - b);
const CONFIGS: Config[] = [{ label: "serial `simulate` (main thread)", workers: null }, ...workerCounts.map((w) => ({ label: `simulateEnsemble, ${w} worker${w > 1 ? "s" : ""}`, workers: w }))];

let allIdentical = true;
console.log(`Spreadlab ensemble benchmark — node ${process.version}, γ = ${GAMMA}, seed ${SEED}, ${REPEATS} repeats (median)${quick ? " (quick: run counts ÷ 10)" : ""}`);
console.log(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")} on ${cpus().length} cores, availableParallelism = ${availableParallelism()} (speed-ups are only meaningful on a quiet machine: load ≈ 0)`,
);

// Where the pool's start-up goes: each worker is a fresh thread that imports the engine (and, through
// src/models/parameters.ts → src/scenario/expressions.ts, mathjs) before its first task.
{
  const rows: [string, string[]][] = [
    ["bare worker thread (no imports)", []],
    ["worker importing mathjs", ["mathjs"]],
    ["worker importing the engine (src/families/index.js, mathjs included)", [new URL("../src/families/index.js", import.meta.url).href]],
  ];
  console.log("\n## Worker cold start (median of 3, one worker at a time)");
  console.log("| worker | ms to first message |");
  console.log("|---|---|");
  for (const [label, modules] of rows) {
    const ms: number[] = [];
    for (let i = 0; i < REPEATS; i++) ms.push(await workerColdStart(modules));
    console.log(`| ${label} | ${fmt(median(ms), 1)} |`);
  }
}

for (const c of CASES) {
  const csr = generateCSR(c.graph, GRAPH_SEED);
  const st = degreeStats(csr);
  let beta: number;
  let setup: string;
  if (c.beta === null) {
    const T = 2.5 * st.sirThreshold;
    beta = (GAMMA * T) / (1 - T);
    setup = `T = ${fmt(T, 4)}, β = ${fmt(beta, 4)} (R0 = 2.5)`;
  } else {
    beta = c.beta;
    setup = `β = ${fmt(beta, 2)} (T = ${fmt(beta / (beta + GAMMA), 2)})`;
  }
  const spec = (runs: number): SimulationSpec => ({
    name: c.id,
    model: { preset: "SIR", params: { beta, gamma: GAMMA } },
    time: { mode: "continuous", tmax: c.tmax, record: 1 },
    initial: { I: { count: c.seeds } },
    seed: SEED,
    runs,
    output: { nodes: "none" },
  });
  console.log(
    `\n## ${c.label}: ${st.n} nodes, ${st.m} edges, ⟨k⟩ = ${fmt(st.meanDegree, 2)}, ⟨k²⟩ = ${fmt(st.meanSquareDegree, 1)}; ${setup}, γ = ${GAMMA}, ${c.seeds} initial infected, tmax = ${c.tmax}; ${c.runs} runs`,
  );

  // Warm the main thread's JIT (workers are new in every call, so they always start cold, as in real use).
  simulate(csr, spec(Math.max(1, Math.ceil(c.runs / 10))));

  // Start-up: a 1-run ensemble (always 1 worker: workers are capped at the number of runs) against 1 serial run.
  const oneSerial: number[] = [];
  const onePool: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    oneSerial.push((await runConfig(csr, spec(1), { label: "", workers: null })).wall);
    onePool.push((await runConfig(csr, spec(1), { label: "", workers: 1 })).wall);
  }

  const samples = new Map<Config, Sample[]>(CONFIGS.map((k) => [k, []]));
  for (let i = 0; i < REPEATS; i++) {
    for (const config of CONFIGS) samples.get(config)!.push(await runConfig(csr, spec(c.runs), config));
  }

  const reference = samples.get(CONFIGS[0])![0].result;
  let identical = true;
  for (const list of samples.values()) for (const s of list) identical &&= sameValues(s.result.finalSize.values, reference.finalSize.values);
  allIdentical &&= identical;

  const wallOf = (config: Config) => median(samples.get(config)!.map((s) => s.wall));
  const serialWall = wallOf(CONFIGS[0]);
  const oneWorker = CONFIGS.find((k) => k.workers === 1)!;
  const oneWorkerWall = wallOf(oneWorker);
  const startup = median(onePool);

  console.log("| configuration | median wall s | wall range s | process CPU s (all threads) | CPU / wall | runs/s | µs/run (wall) | µs/run less a 1-run ensemble | × serial | × 1 worker | first progress ms |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const config of CONFIGS) {
    const list = samples.get(config)!;
    const wall = wallOf(config);
    const walls = list.map((s) => s.wall);
    const cpu = median(list.map((s) => s.cpu));
    const perRun = (wall / c.runs) * 1e6;
    // Marginal cost per run: the pool's wall time less that of a 1-run ensemble (start-up, copy, destroy).
    const marginal = config.workers === null ? perRun : (Math.max(0, wall - startup) / Math.max(1, c.runs - 1)) * 1e6;
    const first = config.workers === null ? "–" : fmt(median(list.map((s) => s.firstProgress)), 1);
    console.log(
      `| ${config.label} | ${fmt(wall)} | ${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))} | ${fmt(cpu)} | ${fmt(cpu / wall, 2)} | ${fmt(c.runs / wall, 0)} | ${fmt(perRun, 1)} | ${fmt(marginal, 1)} | ${fmt(serialWall / wall, 2)} | ${fmt(oneWorkerWall / wall, 2)} | ${first} |`,
    );
  }
  console.log(
    `\nstart-up: 1-run ensemble ${fmt(startup * 1000, 1)} ms (range ${fmt(Math.min(...onePool) * 1000, 1)}–${fmt(Math.max(...onePool) * 1000, 1)}) vs 1 serial run ${fmt(median(oneSerial) * 1000, 2)} ms`,
  );
  console.log(
    `results identical across all configurations and repeats (finalSize.values, ${reference.finalSize.values.length} runs, mean final size ${fmt(reference.finalSize.mean, 1)}): ${identical ? "yes" : "NO"}`,
  );
}

console.log(
  `\nload average at end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")}; results identical in every case: ${allIdentical ? "yes" : "NO"}`,
);
if (!allIdentical) process.exitCode = 1;
