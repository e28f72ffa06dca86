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
import { compile } from "../src/graph/csr.js";
import { generateCSR } from "../src/graph/generators/index.js";
import { readNetworkSync } from "../src/graph/io/index.js";
import { edgesToArrow } from "../src/graph/io/arrow.js";
import { loadNetworkFileSync, readEdgesSync } from "../src/graph/load.js";
import { degreeStats } from "../src/graph/stats.js";
import { median } from "./measure.js";

const args = process.argv.slice(2);
const child = args.find((a) => a.startsWith("--child="))?.slice(8);

if (child !== undefined) {
  // A measured child: load one file, print seconds and peak RSS as JSON.
  const file = args[args.length - 1];
  const started = performance.now();
  const csr = child === "graphology" ? compile(readNetworkSync(file)) : loadNetworkFileSync(file);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, n: csr.n, m: csr.m, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + "\n");
  process.exit(0);
}

const quick = args.includes("--quick");
const N = quick ? 100_000 : 1_000_000;
const M = 5;
const GAMMA = 1;
const RHO = 0.001;
const SEED = 2026;
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
    const parsed = runs.map((x) => JSON.parse(x.stdout) as { seconds: number; maxRssMB: number });
    return { seconds: median(parsed.map((p) => p.seconds)), rss: Math.max(...parsed.map((p) => p.maxRssMB)) };
  };
  const fromCsv = load("csv", csv);
  const fromArrow = load("arrow", arrow);
  console.log(`\nload to CSR (in process, median of ${REPEATS}):`);
  console.log(`  CSV   ${fmt(fromCsv.seconds)} s, peak ${fmt(fromCsv.rss, 0)} MB`);
  console.log(`  Arrow ${fmt(fromArrow.seconds)} s, peak ${fmt(fromArrow.rss, 0)} MB  (${fmt(fromCsv.seconds / fromArrow.seconds, 1)}× faster than CSV)`);
  if (quick) {
    const old = load("graphology", csv);
    console.log(`  graphology path (readNetworkSync + compile) ${fmt(old.seconds)} s, peak ${fmt(old.rss, 0)} MB (${fmt(old.seconds / fromCsv.seconds, 1)}× the CSV reader)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
