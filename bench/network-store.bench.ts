/**
 * The API's stored networks (`node dist/bench/network-store.bench.js [--quick]`): the size of a stored network
 * and the CPU time of a job's fetch and decode (store read + the network pool's "csr" task), in the compact
 * form (server/network-blob.ts) against the graphology JSON the server stored before it.
 *
 * A Barabási–Albert edge list (n = 10⁵, m = 5: 5·10⁵ edges; --quick: n = 2·10⁴) is read as an upload is read
 * (readEdgesSync), once without and once with a weight column (random weights, which need Float64), and stored
 * both ways in an in-memory SQLite store. Fetch + decode alternate between the forms; CPU seconds (user +
 * system, this process) are the median of the repeats. Encoding (the upload's side) is timed once per form: a
 * graphology Graph (generated networks, presets, JSON/XML uploads) to JSON and to the compact form, and the edge
 * arrays of a CSV upload to the compact form.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { generateCSR } from "../src/graph/generators/index.js";
import { edgesToGraph, readEdgesSync } from "../src/graph/load.js";
import { encodeEdges, encodeGraph, encodeGraphJson } from "../src/server/codec.js";
import { decodeStored } from "../src/server/network-build.js";
import { openStore } from "../src/store/sqlite.js";
import { cpuSeconds, median } from "./measure.js";

const quick = process.argv.includes("--quick");
const n = quick ? 20_000 : 100_000;
const REPEATS = quick ? 3 : 5;

/** A BA edge list as CSV (each edge once), with a weight column when asked. */
function csvOf(weighted: boolean): string {
  const csr = generateCSR({ type: "barabasi-albert", n, m: 5 }, 2026);
  let state = 12345;
  const lines: string[] = [weighted ? "source,target,weight" : "source,target"];
  for (let v = 0; v < csr.n; v++) {
    for (let a = csr.offsets[v]; a < csr.offsets[v + 1]; a++) {
      if (csr.targets[a] <= v) continue;
      state = (state * 48271) % 2147483647; // Park–Miller: deterministic weights, no Math.random
      lines.push(weighted ? `${v},${csr.targets[a]},${(state / 2147483647).toFixed(6)}` : `${v},${csr.targets[a]}`);
    }
  }
  return lines.join("\n") + "\n";
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

const dir = mkdtempSync(join(tmpdir(), "spreadlab-store-bench-"));
const store = openStore(":memory:");
try {
  console.log(`Spreadlab stored-network benchmark — node ${process.version}${quick ? " (quick)" : ""}`);
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores; CPU seconds (user + system)`);
  for (const weighted of [false, true]) {
    const path = join(dir, `ba${weighted ? "-weighted" : ""}.csv`);
    writeFileSync(path, csvOf(weighted));
    const parsed = readEdgesSync(path)!;
    const m = parsed.edges.count;
    const graph = edgesToGraph(parsed);
    const [json, jsonEncode] = cpuSeconds(() => encodeGraphJson(graph));
    const [, graphEncode] = cpuSeconds(() => encodeGraph(graph));
    const [compact, compactEncode] = cpuSeconds(() => encodeEdges(parsed));
    const row = { name: "ba", source: {}, n: parsed.n, m, directed: false, stats: {} };
    const ids = { json: `json-${weighted}`, compact: `compact-${weighted}` };
    await store.insertNetwork({ ...row, id: ids.json }, json);
    await store.insertNetwork({ ...row, id: ids.compact }, compact);
    const times: Record<"json" | "compact", number[]> = { json: [], compact: [] };
    const options = { weight: weighted ? "weight" : null, shared: true };
    let arcs = -1;
    for (let r = 0; r < REPEATS; r++) {
      for (const id of ["json", "compact"] as const) {
        const start = process.cpuUsage();
        const bytes = (await store.getNetworkGraph(ids[id]))!;
        const csr = decodeStored(bytes, options);
        const used = process.cpuUsage(start);
        if (arcs !== -1 && csr.m !== arcs) throw new Error("the two forms decoded to different networks");
        arcs = csr.m;
        times[id].push((used.user + used.system) / 1e6);
      }
    }
    const [before, after] = [median(times.json), median(times.compact)];
    console.log(`\nBA n=${parsed.n}, ${m} edges${weighted ? ", Float64 weights" : ""}`);
    console.log(`  stored size   graphology JSON (gzip) ${mb(json.byteLength)}   compact ${mb(compact.byteLength)}   (${((100 * compact.byteLength) / json.byteLength).toFixed(0)} %)`);
    console.log(`  encode        a Graph as graphology JSON ${jsonEncode.toFixed(2)} s, compact ${graphEncode.toFixed(2)} s; the edge arrays compact ${compactEncode.toFixed(2)} s`);
    console.log(`  fetch+decode  graphology JSON ${before.toFixed(3)} s   compact ${after.toFixed(3)} s   (${(before / after).toFixed(1)}× less CPU; median of ${REPEATS})`);
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
