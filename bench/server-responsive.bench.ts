/**
 * Server responsiveness under heavy legal requests (`node dist/bench/server-responsive.bench.js [--quick]`),
 * issue 15 item 3: while each heavy request runs, a client polls GET /v1/health one request at a time (10 ms
 * apart) and the table gives the health latency p50 and max (target: max < 100 ms). Full sizes are the
 * issue's: a complete graph on 2,000 nodes, BA n = 2·10⁵ m = 10, a 10 MB CSV upload, GET …/graph of the BA
 * network (about 136 MB of JSON), a run listing 120,000 seed ids. `--quick` uses small sizes.
 *
 * "Before" is the same work run inline on the main thread (the functions the pool runs): the time the event
 * loop would be blocked, i.e. what a health request waited before the work moved off the loop. The ratio
 * is health max (now) / that stall (before), measured in the same run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/server/app.js";
import { openStore } from "../src/store/sqlite.js";
import { runNetworkTask, type NetworkTask } from "../src/server/network-build.js";

const quick = process.argv.includes("--quick");
const sizes = quick
  ? { complete: 600, baN: 20_000, csvBytes: 2_000_000, seeds: 20_000 }
  : { complete: 2000, baN: 200_000, csvBytes: 10_000_000, seeds: 120_000 };

const limits = { maxNodes: 200_000, maxEdges: 2_000_000 };

/**
 * A heavy request made from a child process: receiving (or sending) 10–136 MB in this process would pause
 * this process's event loop — the server's, since the server runs here — for the client's own reading and
 * garbage collection, and that is not the server's latency. Resolves to the status and the body's length.
 */
function inChild(url: string, options: { method?: string; headers?: Record<string, string>; bodyFile?: string } = {}): Promise<{ status: number; bytes: number }> {
  const script = `const h=require("http"),fs=require("fs");const o=JSON.parse(process.argv[1]);
const r=h.request(o.url,{method:o.method||"GET",headers:o.headers||{},agent:false},s=>{let n=0;s.on("data",d=>n+=d.length);s.on("end",()=>process.stdout.write(JSON.stringify({status:s.statusCode,bytes:n})))});
r.on("error",e=>{console.error(e.message);process.exit(1)});if(o.bodyFile)fs.createReadStream(o.bodyFile).pipe(r);else r.end();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script, JSON.stringify({ url, ...options })], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as { status: number; bytes: number }) : reject(new Error(`client exited ${code}`))));
  });
}

interface Measured {
  status: number;
  ms: number;
  health: number[];
}

function get(url: string, headers: Record<string, string> = {}, keepAlive = true): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, ...(keepAlive ? {} : { agent: false }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

async function whilePolling(base: string, heavy: () => Promise<number>): Promise<Measured> {
  const health: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const t0 = performance.now();
      try {
        // A connection of its own: a kept-alive one can be reset by the server as it is reused.
        await get(`${base}/v1/health`, {}, false);
        if (!done) health.push(performance.now() - t0);
      } catch (error) {
        console.error(`health request failed after ${(performance.now() - t0).toFixed(0)} ms: ${String((error as Error).cause ?? error)}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await new Promise((r) => setTimeout(r, 30));
  const t0 = performance.now();
  const status = await heavy();
  const ms = performance.now() - t0;
  done = true;
  await poller;
  return { status, ms, health };
}

function inline(task: NetworkTask): number {
  const t0 = performance.now();
  runNetworkTask(task);
  return performance.now() - t0;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main(): Promise<void> {
  console.log(`Spreadlab server responsiveness — node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(", ")}${quick ? " (quick sizes)" : ""}`);
  const dir = mkdtempSync(join(tmpdir(), "spreadlab-responsive-"));
  const store = openStore(join(dir, "bench.sqlite"));
  const { app, close } = createApp({ store, options: { token: null, rateLimit: 0, log: () => {} }, webRoot: null });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Every request is measured first and the inline "before" runs come after them all: an inline run leaves
  // 10⁷–10⁸ bytes of garbage in this process (the server's), whose collection during a later measurement would
  // show up as a pause of the server that is not its own. Progress goes to stderr as each is measured.
  const rows: { name: string; m: Measured; before: () => number }[] = [];
  const push = (row: { name: string; m: Measured; before: () => number }): void => {
    rows.push(row);
    console.error(`measured: ${row.name} (health max ${Math.max(...row.m.health).toFixed(0)} ms)`);
  };
  const once = (f: () => number): (() => number) => {
    let v: number | null = null;
    return () => (v ??= f());
  };
  const postJson = async (path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  try {
    // (a) complete graph
    const complete = { type: "complete", n: sizes.complete };
    let measured = await whilePolling(base, async () => (await postJson("/v1/networks", { generate: complete })).status);
    push({ name: `POST /v1/networks complete n=${sizes.complete}`, m: measured, before: () => inline({ kind: "generate", generate: complete, seed: 0, limits }) });

    // (b) Barabási–Albert (kept for the graph request)
    const ba = { type: "barabasi-albert", n: sizes.baN, m: 10 };
    let baId = "";
    measured = await whilePolling(base, async () => {
      const res = await postJson("/v1/networks", { generate: ba, seed: 1 });
      baId = res.body.id as string;
      return res.status;
    });
    push({ name: `POST /v1/networks BA n=${sizes.baN} m=10`, m: measured, before: () => inline({ kind: "generate", generate: ba, seed: 1, limits }) });

    // (c) CSV upload: distinct edges of a ring-like graph on 100,000 nodes, up to the byte size.
    const lines = ["source,target"];
    let bytes = 14;
    for (let i = 0; bytes < sizes.csvBytes - 40; i++) {
      const line = `${i % 100_000},${((i % 100_000) + 1 + Math.floor(i / 100_000)) % 100_000}`;
      lines.push(line);
      bytes += line.length + 1;
    }
    const csv = lines.join("\n");
    const csvFile = join(dir, "edges.csv");
    writeFileSync(csvFile, csv);
    measured = await whilePolling(base, async () => (await inChild(`${base}/v1/networks`, { method: "POST", bodyFile: csvFile, headers: { "Content-Type": "text/csv" } })).status);
    push({ name: `POST /v1/networks CSV ${(csv.length / 1e6).toFixed(1)} MB`, m: measured, before: () => inline({ kind: "upload", path: csvFile, format: "csv", maybeRequest: false, limits }) });

    // (d) GET the BA network's graph (gzip, as browsers ask)
    let graphBytes = 0;
    measured = await whilePolling(base, async () => {
      const res = await inChild(`${base}/v1/networks/${baId}/graph`, { headers: { "Accept-Encoding": "gzip" } });
      graphBytes = res.bytes;
      return res.status;
    });
    const storedGraph = (await store.getNetworkGraph(baId))!;
    const graphBefore = once(() => inline({ kind: "graph", bytes: storedGraph }));
    push({ name: `GET …/graph of BA n=${sizes.baN} (${(graphBytes / 1e6).toFixed(0)} MB gzip)`, m: measured, before: graphBefore });
    const identity = await whilePolling(base, async () => (await inChild(`${base}/v1/networks/${baId}/graph`)).status);
    push({ name: `GET …/graph of BA n=${sizes.baN}, identity`, m: identity, before: graphBefore });

    // (e) a run listing many seed ids (cancelled at once: the submission is what is measured)
    const scenario = {
      seed: 1,
      network: { generate: { type: "erdos-renyi", n: 150_000, k: 4 } },
      model: { preset: "SIR", params: { beta: 0.3, gamma: 1 } },
      time: { mode: "continuous", tmax: 5, record: 1 },
      initial: { I: { nodes: Array.from({ length: sizes.seeds }, (_, i) => i) } },
      runs: 1,
    };
    const body = JSON.stringify({ scenario });
    measured = await whilePolling(base, async () => {
      const res = await fetch(`${base}/v1/runs`, { method: "POST", body, headers: { "Content-Type": "application/json" } });
      const row = (await res.json()) as { id?: string };
      if (row.id) await fetch(`${base}/v1/runs/${row.id}`, { method: "DELETE" });
      return res.status;
    });
    push({ name: `POST /v1/runs with ${sizes.seeds} seed ids`, m: measured, before: () => inline({ kind: "run", text: body, type: "json", limits }) });

    console.log("\n| heavy request | status | took s | health answers | health p50 ms | health max ms | before: loop blocked ms | max / before |");
    console.log("|---|---|---|---|---|---|---|---|");
    for (const { name, m, before } of rows) {
      const max = Math.max(...m.health);
      const blocked = before();
      console.log(`| ${name} | ${m.status} | ${(m.ms / 1000).toFixed(1)} | ${m.health.length} | ${pct(m.health, 50).toFixed(1)} | ${max.toFixed(0)} | ${blocked.toFixed(0)} | ${(max / blocked).toFixed(3)} |`);
    }
  } finally {
    await new Promise((r) => server.close(r));
    await close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("\nTarget: health max < 100 ms on an unloaded machine (the load average above says how loaded this one was).");
}

await main();
