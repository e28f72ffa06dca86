/**
 * Server load (`node dist/bench/server.bench.js`): the REST API on loopback with a temporary SQLite store.
 *  1. GET /v1/runs/{id}/result of a finished run — requests/s and p99 latency (autocannon, 10 connections);
 *  2. POST /v1/runs of a small scenario — requests/s and p99 (the queue fills: 202s and 503s both count
 *     as answers; the rate limit is off for the measurement);
 *  3. event-loop delay (perf_hooks.monitorEventLoopDelay) while a 1,000-run SIR ensemble on a 10⁴-node
 *     network runs as a job: the server must stay responsive (target p99 < 50 ms).
 * Every request goes to 127.0.0.1; the loops are bounded in time and stop by themselves.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import autocannon from "autocannon";
import { createApp } from "../src/server/app.js";
import { openStore } from "../src/store/sqlite.js";

const quick = process.argv.includes("--quick");
const duration = quick ? 3 : 10;

const small = {
  scenario: {
    seed: 1,
    network: { generate: { type: "erdos-renyi", n: 200, k: 6 } },
    model: { preset: "SIR", params: { beta: 0.3, gamma: 1 } },
    time: { mode: "continuous", tmax: 20, record: 1 },
    initial: { I: { count: 3 } },
    runs: 5,
  },
};
const big = {
  scenario: {
    seed: 2,
    network: { generate: { type: "barabasi-albert", n: 10_000, m: 3 } },
    model: { preset: "SIR", params: { beta: 0.17, gamma: 1 } },
    time: { mode: "continuous", tmax: 100, record: 1 },
    initial: { I: { count: 10 } },
    runs: 1000,
    output: { nodes: "none" },
  },
};

async function waitFor(base: string, id: string): Promise<string> {
  for (;;) {
    const run = (await (await fetch(`${base}/v1/runs/${id}`)).json()) as { status: string };
    if (run.status !== "queued" && run.status !== "running") return run.status;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function post(base: string, body: unknown): Promise<string> {
  const res = await fetch(`${base}/v1/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`POST /v1/runs answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

const dir = mkdtempSync(join(tmpdir(), "spreadlab-server-bench-"));
const store = openStore(join(dir, "bench.db"));
const { app, close } = createApp({ store, options: { rateLimit: 0, maxQueued: 100_000, maxRuns: 100_000, log: () => {} } });
const server = app.listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
try {
  console.log(`Spreadlab server benchmark — node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(", ")}; ${duration} s per measurement`);
  const id = await post(base, small);
  await waitFor(base, id);

  const get = await autocannon({ url: `${base}/v1/runs/${id}/result`, connections: 10, duration });
  const posts = await autocannon({
    url: `${base}/v1/runs`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(small),
    connections: 10,
    duration,
  });
  console.log("| request | requests/s | p50 ms | p99 ms | non-2xx |");
  console.log("|---|---|---|---|---|");
  for (const [name, r] of [["GET /v1/runs/{id}/result", get], ["POST /v1/runs (small scenario)", posts]] as const) {
    console.log(`| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} |`);
  }

  // Drain what the POST storm queued, then measure the event loop while a big ensemble runs.
  await close();
  const fresh = createApp({ store, options: { rateLimit: 0, log: () => {} } });
  server.close();
  const server2 = fresh.app.listen(0, "127.0.0.1");
  await new Promise((r) => server2.once("listening", r));
  const base2 = `http://127.0.0.1:${(server2.address() as AddressInfo).port}`;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const started = performance.now();
  const bigId = await post(base2, big);
  histogram.enable();
  // Keep the API busy meanwhile: poll the run and the health route.
  let polls = 0;
  const poller = (async () => {
    for (;;) {
      const r = (await (await fetch(`${base2}/v1/runs/${bigId}`)).json()) as { status: string };
      await fetch(`${base2}/v1/health`);
      polls++;
      if (r.status !== "queued" && r.status !== "running") return r.status;
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  const status = await poller;
  histogram.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(`\n1,000-run SIR ensemble on BA n = 10⁴ as a job: ${status} in ${((performance.now() - started) / 1000).toFixed(1)} s, ${polls} polls answered meanwhile`);
  console.log(`event-loop delay during the job: p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, max ${ms(histogram.max)} ms (target p99 < 50 ms)`);
  await fresh.close();
  server2.close();
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
