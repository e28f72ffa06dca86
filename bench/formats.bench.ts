/**
 * Network file formats benchmark (`node dist/bench/formats.bench.js [--quick]`): load time and peak memory of
 * `loadNetworkFileSync` on the same network in each format, each load a fresh process (peak RSS is the job's).
 *
 * A Barabási–Albert network (n = 10⁶, m = 5: 5·10⁶ edges; --quick: n = 10⁵) is written as CSV, Arrow IPC and
 * Parquet (what `network convert` writes); GraphML and GEXF, 10–20× larger as text, at n = 10⁵ only, each also
 * through the graphology path (readNetworkSync + compile) for the before-picture. Formats are measured in
 * alternation, the median of the repeats reported, with the load average printed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../src/graph/csr.js";
import { generateCSR } from "../src/graph/generators/index.js";
import { readNetworkSync, writeGexf, writeGraphml } from "../src/graph/io/index.js";
import { edgesToArrow } from "../src/graph/io/arrow.js";
import { edgesToParquet } from "../src/graph/io/parquet-write.js";
import { edgesToGraph, loadNetworkFileSync, readEdgesSync } from "../src/graph/load.js";
import { median } from "./measure.js";

const args = process.argv.slice(2);
const child = args.find((a) => a.startsWith("--child="))?.slice(8);

if (child !== undefined) {
  const file = args[args.length - 1];
  const started = performance.now();
  const csr = child === "graphology" ? compile(readNetworkSync(file)) : loadNetworkFileSync(file);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, n: csr.n, m: csr.m, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + "\n");
  process.exit(0);
}

const quick = args.includes("--quick");
const REPEATS = 3;
const here = new URL(".", import.meta.url).pathname;

function load(path: string, mode: "csr" | "graphology"): { seconds: number; m: number; maxRssMB: number } {
  const out = spawnSync(process.execPath, [join(here, "formats.bench.js"), `--child=${mode}`, path], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`loading ${path} failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as { seconds: number; m: number; maxRssMB: number };
}

function csvOf(n: number): string {
  const csr = generateCSR({ type: "barabasi-albert", n, m: 5 }, 2026);
  const lines: string[] = ["source,target"];
  for (let v = 0; v < csr.n; v++) for (let a = csr.offsets[v]; a < csr.offsets[v + 1]; a++) if (csr.targets[a] > v) lines.push(`${v},${csr.targets[a]}`);
  return lines.join("\n") + "\n";
}

const dir = mkdtempSync(join(tmpdir(), "spreadlab-formats-"));
try {
  console.log(`Spreadlab network formats benchmark — node ${process.version}${quick ? " (quick)" : ""}`);
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores`);
  const sizes = quick ? [100_000] : [1_000_000, 100_000];
  for (const n of sizes) {
    const csv = join(dir, `n${n}.csv`);
    writeFileSync(csv, csvOf(n));
    const parsed = readEdgesSync(csv)!;
    const files: [string, string, "csr" | "graphology"][] = [["CSV", csv, "csr"]];
    const arrow = join(dir, `n${n}.arrow`);
    writeFileSync(arrow, edgesToArrow(parsed));
    const parquet = join(dir, `n${n}.parquet`);
    writeFileSync(parquet, edgesToParquet(parsed));
    files.push(["Arrow", arrow, "csr"], ["Parquet", parquet, "csr"]);
    if (n <= 100_000) {
      const graph = edgesToGraph(parsed);
      const graphml = join(dir, `n${n}.graphml`);
      writeFileSync(graphml, writeGraphml(graph));
      const gexf = join(dir, `n${n}.gexf`);
      writeFileSync(gexf, writeGexf(graph));
      files.push(["GraphML", graphml, "csr"], ["GraphML via graphology", graphml, "graphology"], ["GEXF", gexf, "csr"], ["GEXF via graphology", gexf, "graphology"]);
    }
    console.log(`\nBA n = ${n}, m = 5: ${parsed.edges.count} edges`);
    const results = new Map<string, { seconds: number[]; rss: number[]; m: number }>();
    for (let r = 0; r < REPEATS; r++) {
      for (const [name, path, mode] of files) {
        const got = load(path, mode);
        const entry = results.get(name) ?? { seconds: [], rss: [], m: got.m };
        entry.seconds.push(got.seconds);
        entry.rss.push(got.maxRssMB);
        results.set(name, entry);
      }
    }
    const arrowSeconds = median(results.get("Arrow")!.seconds);
    for (const [name, path] of files) {
      const { seconds, rss, m } = results.get(name)!;
      const s = median(seconds);
      const mb = statSync(path).size / 2 ** 20;
      console.log(
        `  ${name.padEnd(24)} ${mb.toFixed(1).padStart(7)} MB file  load ${s.toFixed(3).padStart(7)} s (${(s / arrowSeconds).toFixed(2)}× Arrow)  peak ${Math.max(...rss).toFixed(0)} MB  [${m} arcs]`,
      );
    }
  }
  console.log(`\nload average at end: ${loadavg().map((x) => x.toFixed(2)).join(", ")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
