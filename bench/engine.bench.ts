/**
 * Engine benchmark (`npm run bench`): the graphs and parameters of VALIDATION.md's speed table —
 * BA n = 10⁵ m = 5, ER n = 10⁵ ⟨k⟩ = 10, BA n = 10⁶ m = 5; γ = 1, τ chosen so the configuration-model
 * R0 = T·(⟨k²⟩ − ⟨k⟩)/⟨k⟩ is 2.5, 0.1% of nodes seeded. Prints the median CPU time per run (graph build
 * excluded), events per second and final size for continuous SIR (fast path and general engine),
 * continuous SIS to t = 10 and discrete SIR (per-step probability T, recovery after one step).
 *
 * When gcc and ../shared/bench/sir_ref.c (or $SPREADLAB_SIR_REF) are present, the lean C event-driven SIR
 * runs on the same edge list in the same process tree, and the ratio JS / C is printed: machines are
 * noisy, ratios are what to compare. Options: --quick (fewer runs, no 10⁶ graph), --only=ba1e5,er1e5,ba1e6.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { CSR } from "../src/graph/csr.js";
import { generateCSR, type GeneratorSpec } from "../src/graph/generators/index.js";
import { degreeStats } from "../src/graph/stats.js";
import { compileModel, type CompiledModel } from "../src/models/compartmental.js";
import { presetModel } from "../src/models/presets.js";
import { drawInitial, planInitial } from "../src/engine/initial.js";
import { runSIRFast } from "../src/engine/sir-fast.js";
import { runContinuous } from "../src/engine/continuous.js";
import { runCompositionRejection } from "../src/engine/composition-rejection.js";
import { runDiscrete } from "../src/engine/discrete.js";
import type { RunOutput } from "../src/engine/trajectory.js";
import { runStream } from "../src/random.js";
import { cpuSeconds, median } from "./measure.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
/** --engines=sir,cr,nrm,sis,discrete picks rows (default: all). */
const engines = args.find((a) => a.startsWith("--engines="))?.slice(10).split(",");
const want = (id: string) => !engines || engines.includes(id);

interface Case {
  id: string;
  label: string;
  spec: GeneratorSpec;
  runs: number;
}
const CASES: Case[] = (
  [
  { id: "ba1e5", label: "BA n=1e5 m=5", spec: { type: "barabasi-albert", n: 100_000, m: 5 }, runs: quick ? 5 : 21 },
  { id: "er1e5", label: "ER n=1e5 k=10", spec: { type: "erdos-renyi", n: 100_000, k: 10 }, runs: quick ? 5 : 21 },
    { id: "ba1e6", label: "BA n=1e6 m=5", spec: { type: "barabasi-albert", n: 1_000_000, m: 5 }, runs: quick ? 3 : 7 },
  ] as Case[]
).filter((c) => (only ? only.includes(c.id) : !(quick && c.id === "ba1e6")));

const GAMMA = 1;
const RHO = 0.001;
const SEED = 2026;



interface Row {
  engine: string;
  seconds: number;
  eventsPerSecond: number;
  finalSize: number;
}

function measure(csr: CSR, model: CompiledModel, runs: number, one: (init: Uint8Array, r: number) => RunOutput, label: string): Row {
  const plan = planInitial({ I: { fraction: RHO } }, csr, model);
  const times: number[] = [];
  let events = 0;
  let fs = 0;
  for (let r = 0; r < runs; r++) {
    const [out, secs] = cpuSeconds(() => {
      const rng = runStream(SEED, r);
      const init = drawInitial(plan, csr, model, rng);
      return one(init, r);
    });
    times.push(secs);
    events += out.events;
    fs += out.finalSize / csr.n;
  }
  const total = times.reduce((a, b) => a + b, 0);
  return { engine: label, seconds: median(times), eventsPerSecond: events / total, finalSize: fs / runs };
}

function findReference(): string | null {
  const candidates = [process.env.SPREADLAB_SIR_REF, resolve("../shared/bench/sir_ref.c"), resolve("shared/bench/sir_ref.c")];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

function buildReference(dir: string): string | null {
  const src = findReference();
  if (!src) return null;
  const exe = join(dir, "sir_ref");
  try {
    execFileSync("gcc", ["-O2", "-o", exe, src, "-lm"], { stdio: "pipe" });
    return exe;
  } catch {
    return null;
  }
}

function writeEdges(csr: CSR, path: string): void {
  const lines: string[] = [];
  for (let v = 0; v < csr.n; v++) {
    for (let a = csr.offsets[v]; a < csr.offsets[v + 1]; a++) if (csr.targets[a] > v) lines.push(`${v} ${csr.targets[a]}`);
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

const fmt = (x: number, d = 3) => x.toFixed(d);
const dir = mkdtempSync(join(tmpdir(), "spreadlab-bench-"));
try {
  const ref = buildReference(dir);
  console.log(`Spreadlab engine benchmark — node ${process.version}, γ = ${GAMMA}, ρ = ${RHO}, seed ${SEED}${quick ? " (quick)" : ""}`);
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores (ratios are only meaningful on a quiet machine)`);
  console.log(ref ? `C reference: ${findReference()} (gcc -O2)` : "C reference: not available (needs gcc and ../shared/bench/sir_ref.c); ratios skipped");
  for (const c of CASES) {
    const [csr, genSecs] = cpuSeconds(() => generateCSR(c.spec, SEED));
    const st = degreeStats(csr);
    const T = 2.5 * st.sirThreshold;
    const tau = (GAMMA * T) / (1 - T);
    console.log(`\n## ${c.label}: ${st.n} nodes, ${st.m} edges, ⟨k⟩ = ${fmt(st.meanDegree, 2)}, ⟨k²⟩ = ${fmt(st.meanSquareDegree, 1)}; T = ${fmt(T, 4)}, τ = ${fmt(tau, 4)}; generated + compiled in ${fmt(genSecs, 2)} s; ${c.runs} runs`);
    const sir = compileModel(presetModel("SIR", { beta: tau, gamma: GAMMA }));
    const sis = compileModel(presetModel("SIS", { beta: tau, gamma: GAMMA }));
    const dsir = compileModel({
      compartments: ["S", "I", "R"],
      transitions: [
        { from: "S", to: "I", probability: T, by: "I" },
        { from: "I", to: "R", probability: 1 },
      ],
    });
    const rates = { beta: tau, gamma: GAMMA, S: 0, I: 1, R: 2 };
    const few = Math.max(3, Math.ceil(c.runs / 3));
    const measureRows = (): Row[] => {
      const rows: Row[] = [];
      if (want("sir")) rows.push(measure(csr, sir, c.runs, (init, r) => runSIRFast(csr, rates, init, Infinity, 1, runStream(SEED + 1, r)), "continuous SIR (event-driven SIR path)"));
      if (want("cr")) rows.push(measure(csr, sir, few, (init, r) => runCompositionRejection(csr, sir, init, Infinity, 1, runStream(SEED + 1, r)), "continuous SIR (composition–rejection)"));
      if (want("nrm")) rows.push(measure(csr, sir, 3, (init, r) => runContinuous(csr, sir, init, Infinity, 1, runStream(SEED + 1, r)), "continuous SIR (next-reaction)"));
      if (want("sis")) rows.push(measure(csr, sis, few, (init, r) => runCompositionRejection(csr, sis, init, 10, 1, runStream(SEED + 1, r)), "continuous SIS to t = 10 (composition–rejection)"));
      if (want("sis-nrm")) rows.push(measure(csr, sis, 3, (init, r) => runContinuous(csr, sis, init, 10, 1, runStream(SEED + 1, r)), "continuous SIS to t = 10 (next-reaction)"));
      if (want("discrete")) rows.push(measure(csr, dsir, c.runs, (init, r) => runDiscrete(csr, dsir, init, 10_000, 1, 1, runStream(SEED + 1, r)), "discrete SIR (p = T)"));
      return rows;
    };
    const rows: Row[] = [];
    let cSeconds: number | null = null;
    if (ref) {
      // The C reference runs once before and once after our rows; the ratio uses the mean of the two
      // medians, so a load change during the measurement does not bias it one way.
      const edges = join(dir, `${c.id}.txt`);
      writeEdges(csr, edges);
      const cRun = () => JSON.parse(execFileSync(ref, [edges, String(tau), String(GAMMA), String(RHO), String(c.runs), String(SEED)], { encoding: "utf8" })) as { medianSeconds: number; meanFinalFraction: number };
      const before = cRun();
      rows.unshift(...measureRows());
      const after = cRun();
      cSeconds = (before.medianSeconds + after.medianSeconds) / 2;
      rows.push({ engine: `C reference SIR (sir_ref.c; before ${fmt(before.medianSeconds, 4)}, after ${fmt(after.medianSeconds, 4)})`, seconds: cSeconds, eventsPerSecond: NaN, finalSize: before.meanFinalFraction });
    } else {
      rows.unshift(...measureRows());
    }
    console.log("| engine | median CPU s/run | events/s | final size | × C SIR |");
    console.log("|---|---|---|---|---|");
    for (const row of rows) {
      const ratio = cSeconds ? fmt(row.seconds / cSeconds, 2) : "–";
      const eps = Number.isNaN(row.eventsPerSecond) ? "–" : `${(row.eventsPerSecond / 1e6).toFixed(2)} M`;
      console.log(`| ${row.engine} | ${fmt(row.seconds, 4)} | ${eps} | ${fmt(row.finalSize, 4)} | ${ratio} |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
