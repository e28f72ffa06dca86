/**
 * Ingestion benchmark (`npm run bench`, `bench:quick`): a network file on its way to one simulation.
 *
 * A Barabási–Albert network (n = 10⁶, m = 5: 5·10⁶ edges; --quick: n = 10⁵) is written as a CSV edge list
 * (`source,target`, integer ids) and as an Arrow IPC file. Each measurement is a fresh process, so peak memory
 * (max RSS, from /usr/bin/time when present) is the whole job's:
 *   - `spreadlab run` of a scenario with `network.file` = the CSV and `runs: 1` (SIR, τ such that the
 *     configuration-model R0 = 2.5, γ = 1, 0.1% seeded, `output.nodes: none` as the C program keeps no
 *     per-node states), against the C reference (../shared/bench/sir_ref.c or
 *     $SPREADLAB_SIR_REF, gcc -O2: reads the same edges as text and runs one event-driven SIR), in the same run;
 *   - `loadNetworkFileSync` alone on the CSV and on the Arrow file (time inside the process, and peak RSS);
 *   - --quick only: the graphology path (readNetworkSync + compile) on the same CSV, the before-picture.
 * Without gcc or the C file the ratio is skipped with a message. Wall times, with the machine's load printed:
 * on a busy machine compare the ratios, which alternate runs of both sides.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeTable, tableToIPC } from "apache-arrow";
import { compile, type CSR } from "../src/graph/csr.js";
import { toCSR } from "../src/graph/edgelist.js";
import { generateCSR, generateEdges } from "../src/graph/generators/index.js";
import { readNetworkSync } from "../src/graph/io/index.js";
import { edgesToArrow } from "../src/graph/io/arrow.js";
import { loadNetworkFileSync, readEdgesSync } from "../src/graph/load.js";
import { degreeStats } from "../src/graph/stats.js";
import { simulate } from "../src/families/compartmental/simulate.js";
import { cpuSeconds, median } from "./measure.js";

const args = process.argv.slice(2);
const M = 5;
const GAMMA = 1;
const RHO = 0.001;
const SEED = 2026;
/** --huge: BA n = 2·10⁷, m = 5, i.e. 10⁸ edges. */
const HUGE_N = 20_000_000;
const child = args.find((a) => a.startsWith("--child="))?.slice(8);

/** Wall and CPU seconds of fn() (CPU time is less sensitive than wall time to the other jobs on a shared machine). */
function timed<T>(fn: () => T): [T, { wall: number; cpu: number }] {
  const started = performance.now();
  const [value, cpu] = cpuSeconds(fn);
  return [value, { wall: (performance.now() - started) / 1000, cpu }];
}

/** One SIR run, no per-node output (as the C program keeps none), on a network at configuration-model R0 = 2.5. */
function sirOnce(csr: CSR): { attackRate: number } {
  const st = degreeStats(csr);
  const T = 2.5 * st.sirThreshold;
  const result = simulate(csr, {
    model: { preset: "SIR", params: { beta: (GAMMA * T) / (1 - T), gamma: GAMMA } },
    time: { mode: "continuous", tmax: 1000, record: 1 },
    initial: { I: { fraction: RHO } },
    seed: SEED,
    runs: 1,
    output: { nodes: "none" },
  });
  return { attackRate: result.finalSize.mean / csr.n };
}

if (child !== undefined) {
  // A measured child: one job, printed as JSON with its peak RSS (the whole process's).
  const file = args[args.length - 1];
  const rss = () => process.resourceUsage().maxRSS / 1024;
  if (child === "huge") {
    // BA generate → CSR → one SIR run, then (not counted in the peak) the edges written as an Arrow file.
    const [el, generate] = timed(() => generateEdges({ type: "barabasi-albert", n: HUGE_N, m: M }, SEED));
    const [csr, build] = timed(() => toCSR(el));
    const [sir, run] = timed(() => sirOnce(csr));
    const maxRssMB = rss();
    const out = { n: csr.n, m: csr.m / 2, generate, build, run, attackRate: sir.attackRate, maxRssMB };
    writeFileSync(file, tableToIPC(makeTable({ source: el.sources.subarray(0, el.count), target: el.targets.subarray(0, el.count) }), "file"));
    process.stdout.write(JSON.stringify(out) + "\n");
    process.exit(0);
  }
  if (child === "huge-arrow") {
    const [csr, load] = timed(() => loadNetworkFileSync(file));
    const [sir, run] = timed(() => sirOnce(csr));
    process.stdout.write(JSON.stringify({ n: csr.n, m: csr.m / 2, load, run, attackRate: sir.attackRate, maxRssMB: rss() }) + "\n");
    process.exit(0);
  }
  const [csr, t] = timed(() => (child === "graphology" ? compile(readNetworkSync(file)) : loadNetworkFileSync(file)));
  process.stdout.write(JSON.stringify({ seconds: t.wall, cpu: t.cpu, n: csr.n, m: csr.m, maxRssMB: rss() }) + "\n");
  process.exit(0);
}

const quick = args.includes("--quick");
const huge = args.includes("--huge");
const N = quick ? 100_000 : 1_000_000;
const REPEATS = quick ? 3 : 2;
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const bin = join(repo, "bin", "spreadlab.js");
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

interface Measured {
  wall: number;
  rssMB: number | null;
  stdout: string;
}

/** Run a command, timing it from outside; peak RSS through /usr/bin/time -f %M (KB) when available. */
function measure(cmd: string, argv: string[]): Measured {
  const started = performance.now();
  const out = timeBin ? spawnSync(timeBin, ["-f", "RSSKB=%M", cmd, ...argv], { encoding: "utf8", maxBuffer: 1 << 26 }) : spawnSync(cmd, argv, { encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = (performance.now() - started) / 1000;
  if (out.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed (${out.status}): ${out.stderr}`);
  const rss = /RSSKB=(\d+)/.exec(out.stderr ?? "");
  return { wall, rssMB: rss ? Number(rss[1]) / 1024 : null, stdout: out.stdout };
}

const fmt = (x: number | null, d = 2) => (x === null ? "n/a" : x.toFixed(d));

function findReference(): string | null {
  const candidates = [process.env.SPREADLAB_SIR_REF, resolve(repo, "../shared/bench/sir_ref.c"), resolve(repo, "shared/bench/sir_ref.c"), "/work/shared/bench/sir_ref.c"];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

const dir = mkdtempSync(join(tmpdir(), "spreadlab-ingest-"));
try {
  console.log(`Spreadlab ingestion benchmark — node ${process.version}${quick ? " (quick)" : ""}`);
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores`);
  const csr = generateCSR({ type: "barabasi-albert", n: N, m: M }, SEED);
  const st = degreeStats(csr);
  const T = 2.5 * st.sirThreshold;
  const tau = (GAMMA * T) / (1 - T);
  const csv = join(dir, "edges.csv");
  const parts: string[] = ["source,target\n"];
  let lines: string[] = [];
  for (let v = 0; v < csr.n; v++) {
    for (let a = csr.offsets[v]; a < csr.offsets[v + 1]; a++) {
      if (csr.targets[a] > v) lines.push(`${v},${csr.targets[a]}`);
      if (lines.length === 65536) (parts.push(lines.join("\n") + "\n"), (lines = []));
    }
  }
  parts.push(lines.join("\n") + "\n");
  writeFileSync(csv, parts.join(""));
  const arrow = join(dir, "edges.arrow");
  writeFileSync(arrow, edgesToArrow(readEdgesSync(csv)!));
  console.log(`network: BA n = ${N}, m = ${M}: ${st.m} edges; τ = ${fmt(tau, 4)}, γ = ${GAMMA}, ρ = ${RHO}`);

  const scenario = join(dir, "scenario.yaml");
  writeFileSync(
    scenario,
    [
      "name: ingest",
      `seed: ${SEED}`,
      "network: { file: edges.csv }",
      `model: { preset: SIR, params: { beta: ${tau}, gamma: ${GAMMA} } }`,
      "time: { mode: continuous, tmax: 1000, record: 1 }",
      `initial: { I: { fraction: ${RHO} } }`,
      "runs: 1",
      // Like the C program, which prints a summary and keeps no per-node states.
      "output: { formats: [json], nodes: none }",
    ].join("\n") + "\n",
  );

  let ref: string | null = null;
  const src = findReference();
  if (src === null) console.log("C reference: not available (no ../shared/bench/sir_ref.c); ratio skipped");
  else {
    try {
      ref = join(dir, "sir_ref");
      execFileSync("gcc", ["-O2", "-o", ref, src, "-lm"], { stdio: "pipe" });
      console.log(`C reference: ${src} (gcc -O2)`);
    } catch {
      ref = null;
      console.log("C reference: gcc not available or the build failed; ratio skipped");
    }
  }
  if (timeBin === null) console.log("peak memory: /usr/bin/time not found; RSS of the scenario and the C run not measured");

  // Alternate the two sides so that load on the machine hits both alike.
  const js: Measured[] = [];
  const c: Measured[] = [];
  for (let r = 0; r < REPEATS; r++) {
    js.push(measure(process.execPath, [bin, "run", scenario, "--quiet", "--workers", "1", "--out", join(dir, `out${r}`)]));
    if (ref) c.push(measure(ref, [csv, String(tau), String(GAMMA), String(RHO), "1", String(SEED)]));
  }
  const jsWall = median(js.map((x) => x.wall));
  const jsRss = js[0].rssMB === null ? null : Math.max(...js.map((x) => x.rssMB!));
  console.log(`\nscenario (spreadlab run, runs: 1) on the CSV: ${fmt(jsWall)} s wall (median of ${REPEATS}), peak ${fmt(jsRss, 0)} MB`);
  if (c.length > 0) {
    const cWall = median(c.map((x) => x.wall));
    const cRss = c[0].rssMB === null ? null : Math.max(...c.map((x) => x.rssMB!));
    console.log(`C reference (read as text + one SIR):        ${fmt(cWall)} s wall, peak ${fmt(cRss, 0)} MB`);
    console.log(`ratio Spreadlab / C: ${fmt(jsWall / cWall)}× wall${jsRss !== null && cRss !== null ? `, ${fmt(jsRss / cRss, 1)}× memory` : ""}`);
  }

  const load = (mode: string, file: string) => {
    const runs = Array.from({ length: REPEATS }, () => measure(process.execPath, [fileURLToPath(import.meta.url), `--child=${mode}`, file]));
    const parsed = runs.map((x) => JSON.parse(x.stdout) as { seconds: number; cpu: number; maxRssMB: number });
    return { seconds: median(parsed.map((p) => p.seconds)), cpu: median(parsed.map((p) => p.cpu)), rss: Math.max(...parsed.map((p) => p.maxRssMB)) };
  };
  const fromCsv = load("csv", csv);
  const fromArrow = load("arrow", arrow);
  console.log(`\nload to CSR (in process, median of ${REPEATS}):`);
  console.log(`  CSV   ${fmt(fromCsv.seconds)} s wall, ${fmt(fromCsv.cpu)} s CPU, peak ${fmt(fromCsv.rss, 0)} MB`);
  console.log(`  Arrow ${fmt(fromArrow.seconds)} s wall, ${fmt(fromArrow.cpu)} s CPU, peak ${fmt(fromArrow.rss, 0)} MB  (${fmt(fromCsv.seconds / fromArrow.seconds, 1)}× faster than CSV; target ≤ 0.5 s)`);
  if (c.length > 0) console.log(`  Arrow load / C reference's whole job (text read + SIR): ${fmt(fromArrow.seconds / median(c.map((x) => x.wall)))}`);
  console.log(`load average now: ${loadavg().map((x) => x.toFixed(2)).join(", ")}`);
  if (quick) {
    const old = load("graphology", csv);
    console.log(`  graphology path (readNetworkSync + compile) ${fmt(old.seconds)} s, peak ${fmt(old.rss, 0)} MB (${fmt(old.seconds / fromCsv.seconds, 1)}× the CSV reader)`);
  }
  if (huge) {
    // 10⁸ edges on one machine (target: ≤ 60 s end to end, ≤ 4 GB), each job in a fresh process for its peak RSS.
    const arrowFile = join(dir, "huge.arrow");
    const g = JSON.parse(measure(process.execPath, [fileURLToPath(import.meta.url), "--child=huge", arrowFile]).stdout) as HugeGenerated;
    const total = g.generate.wall + g.build.wall + g.run.wall;
    console.log(`\nBA n = ${HUGE_N}, m = ${M} (${g.m} edges), one SIR run (attack rate ${fmt(g.attackRate, 3)}):`);
    console.log(`  generate ${fmt(g.generate.wall)} s (${fmt(g.generate.cpu)} CPU) + CSR ${fmt(g.build.wall)} s (${fmt(g.build.cpu)} CPU) + run ${fmt(g.run.wall)} s (${fmt(g.run.cpu)} CPU) = ${fmt(total)} s wall, peak ${fmt(g.maxRssMB, 0)} MB (target ≤ 60 s, ≤ 4096 MB)`);
    const a = JSON.parse(measure(process.execPath, [fileURLToPath(import.meta.url), "--child=huge-arrow", arrowFile]).stdout) as HugeLoaded;
    console.log(`  from the Arrow file: load ${fmt(a.load.wall)} s (${fmt(a.load.cpu)} CPU) + run ${fmt(a.run.wall)} s (${fmt(a.run.cpu)} CPU), peak ${fmt(a.maxRssMB, 0)} MB`);
    console.log(`load average now: ${loadavg().map((x) => x.toFixed(2)).join(", ")}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

interface Phase {
  wall: number;
  cpu: number;
}
interface HugeGenerated {
  m: number;
  generate: Phase;
  build: Phase;
  run: Phase;
  attackRate: number;
  maxRssMB: number;
}
interface HugeLoaded {
  m: number;
  load: Phase;
  run: Phase;
  attackRate: number;
  maxRssMB: number;
}
