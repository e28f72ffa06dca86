/**
 * Queue benchmark (`node dist/bench/queue.bench.js [--quick]`): ensembles through Redis and BullMQ
 * (src/ensemble/queue) with 1, 2 and 4 `spreadlab worker` processes, against `simulate` in this process.
 * Needs Redis at REDIS_URL (default redis://127.0.0.1:6379); without one it says so and exits 0.
 *
 *  - throughput: 200 continuous SIR runs (β = 0.3, γ = 1, 10 initial infected, tmax = 30, record 1) on BA
 *    n = 10⁴ m = 3, default batch size. Runs/s and speed-up against 1 worker process, measured in the same
 *    run. Worker start-up is excluded (the processes are started, and have fetched and cached the network
 *    through a 2-run warm-up ensemble, before the clock starts); the producer's upload, queueing, waiting
 *    and assembly are included.
 *  - per-batch overhead: 1,000 runs on a 10-node cycle (tmax 5: microseconds per run) on 1 worker, once
 *    as 1,000 batches of 1 run and once as one batch: (t₁₀₀₀ − t₁) / 999 is what a batch costs (job add,
 *    fetch, lock, records to Redis, completion event, read-back).
 *
 *  - headroom (the control): the serial ensemble in 1 child process, then in 2 at once. On an idle 2-core
 *    machine two take as long as one (headroom 2.0); on a machine other jobs keep busy, less — and no number
 *    of worker processes can beat it.
 *
 * Each configuration runs 3 times, interleaved, and the table gives medians. Results (finalSize.values)
 * must be identical to the serial run in every configuration; the bench exits 1 when they are not.
 * `--quick` divides the run counts by 5; `--runs N` sets the throughput ensemble's size.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { generateCSR } from "../src/graph/generators/index.js";
import { simulate, type SimulationSpec } from "../src/families/compartmental/simulate.js";
import { simulateEnsembleOnQueue } from "../src/ensemble/queue/producer.js";
import type { CSR } from "../src/graph/csr.js";
import { median } from "./measure.js";

const quick = process.argv.includes("--quick");
const SCALE = quick ? 5 : 1;
/** `--runs N`: the throughput ensemble's size (default 200; more runs make the fixed start-up costs small). */
const runsFlag = process.argv.indexOf("--runs");
const THROUGHPUT_RUNS = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : Math.round(200 / SCALE);
if (!(Number.isInteger(THROUGHPUT_RUNS) && THROUGHPUT_RUNS > 0)) throw new Error("--runs: expected a positive integer");
const REPEATS = 3;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `spreadlab-bench-${process.pid}`;
// dist/bench/queue.bench.js → the repository root.
const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "spreadlab.js");


async function redisUp(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, "worker", "--redis", REDIS_URL, "--prefix", PREFIX, "--concurrency", "1"], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      err += d;
      if (err.includes("worker: ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}: ${err}`)));
  });
  return child;
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once("exit", () => resolve());
          c.kill("SIGTERM");
        }),
    ),
  );
}

async function dropPrefix(): Promise<void> {
  const client = new Redis(REDIS_URL);
  let cursor = "0";
  do {
    const [next, found] = await client.scan(cursor, "MATCH", `${PREFIX}:*`, "COUNT", 1000);
    if (found.length > 0) await client.del(...found);
    cursor = next;
  } while (cursor !== "0");
  client.disconnect();
}

async function timeQueue(csr: CSR, spec: SimulationSpec, batchSize?: number): Promise<{ wall: number; values: number[] }> {
  const t = performance.now();
  const result = await simulateEnsembleOnQueue(csr, spec, { redis: REDIS_URL, prefix: PREFIX, batchSize });
  return { wall: (performance.now() - t) / 1000, values: result.finalSize.values };
}

let mismatch = false;
const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

async function throughput(): Promise<void> {
  const { csr, spec } = throughputSpec();
  const runs = spec.runs!;
  const counts = [1, 2, 4];
  const walls = new Map<string, number[]>();
  const record = (label: string, s: number) => walls.set(label, [...(walls.get(label) ?? []), s]);
  let reference: number[] = [];
  const workers: ChildProcess[] = [];
  try {
    for (let rep = 0; rep < REPEATS; rep++) {
      const t = performance.now();
      const serial = simulate(csr, spec);
      record("serial (this process)", (performance.now() - t) / 1000);
      reference = serial.finalSize.values;
      for (const count of counts) {
        while (workers.length < count) workers.push(await startWorker());
        while (workers.length > count) await stopWorkers([workers.pop()!]);
        await timeQueue(csr, { ...spec, runs: 2 }); // warm-up: every worker idle, the network stored
        const q = await timeQueue(csr, spec);
        if (!same(q.values, reference)) mismatch = true;
        record(`queue, ${count} worker process${count > 1 ? "es" : ""}`, q.wall);
      }
    }
  } finally {
    await stopWorkers(workers);
  }
  const one = median(walls.get("queue, 1 worker process")!);
  console.log(`\n## throughput: ${runs} SIR runs on BA n=1e4 m=3 (medians of ${REPEATS})\n`);
  console.log("| configuration | wall s | runs/s | speed-up vs 1 worker |");
  console.log("|---|---:|---:|---:|");
  for (const [label, xs] of walls) {
    const w = median(xs);
    console.log(`| ${label} | ${w.toFixed(2)} | ${(runs / w).toFixed(1)} | ${label.startsWith("queue") ? (one / w).toFixed(2) + "×" : "–"} |`);
  }
}

async function overhead(): Promise<void> {
  const csr = generateCSR({ type: "cycle", n: 10 }, 1);
  const runs = Math.round(1000 / SCALE);
  const spec: SimulationSpec = { model: { preset: "SIR", params: { beta: 1, gamma: 1 } }, time: { mode: "continuous", tmax: 5, record: 1 }, initial: { I: { count: 1 } }, seed: 3, runs };
  const reference = simulate(csr, spec).finalSize.values;
  const worker = await startWorker();
  const many: number[] = [];
  const one: number[] = [];
  try {
    await timeQueue(csr, { ...spec, runs: 2 });
    for (let rep = 0; rep < REPEATS; rep++) {
      const a = await timeQueue(csr, spec, 1);
      const b = await timeQueue(csr, spec, runs);
      if (!same(a.values, reference) || !same(b.values, reference)) mismatch = true;
      many.push(a.wall);
      one.push(b.wall);
    }
  } finally {
    await stopWorkers([worker]);
  }
  const perBatch = ((median(many) - median(one)) / (runs - 1)) * 1000;
  console.log(`\n## per-batch overhead: ${runs} runs on a 10-node cycle, 1 worker process (medians of ${REPEATS})\n`);
  console.log("| batches | wall s |");
  console.log("|---:|---:|");
  console.log(`| ${runs} (1 run each) | ${median(many).toFixed(3)} |`);
  console.log(`| 1 | ${median(one).toFixed(3)} |`);
  console.log(`\noverhead per batch: ${perBatch.toFixed(2)} ms`);
}

function throughputSpec(): { csr: CSR; spec: SimulationSpec } {
  const csr = generateCSR({ type: "barabasi-albert", n: 10_000, m: 3 }, 7);
  const spec: SimulationSpec = { model: { preset: "SIR", params: { beta: 0.3, gamma: 1 } }, time: { mode: "continuous", tmax: 30, record: 1 }, initial: { I: { count: 10 } }, seed: 2026, runs: THROUGHPUT_RUNS };
  return { csr, spec };
}

/** Wall time (s) of `copies` child processes each running the serial ensemble, started together. */
async function serialCopies(copies: number): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const t = performance.now();
  await Promise.all(
    Array.from({ length: copies }, () => new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [self, "--serial-child", ...(quick ? ["--quick"] : [])], { stdio: "ignore" });
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`serial child exited with ${code}`))));
    })),
  );
  return (performance.now() - t) / 1000;
}

async function headroom(): Promise<void> {
  const one: number[] = [];
  const two: number[] = [];
  for (let rep = 0; rep < REPEATS; rep++) {
    one.push(await serialCopies(1));
    two.push(await serialCopies(2));
  }
  const h = (2 * median(one)) / median(two);
  console.log(`\n## headroom (control): the serial ensemble in 1 process ${median(one).toFixed(2)} s, in 2 processes at once ${median(two).toFixed(2)} s → ${h.toFixed(2)}× (2.00× on an idle 2-core machine)`);
}

if (process.argv.includes("--serial-child")) {
  const { csr, spec } = throughputSpec();
  simulate(csr, spec);
  process.exit(0);
}

if (!(await redisUp())) {
  console.log(`queue bench: no Redis at ${REDIS_URL}; skipped (start redis-server or set REDIS_URL).`);
} else {
  console.log(`# queue bench${quick ? " (quick)" : ""}: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}, Node ${process.version}`);
  try {
    await throughput();
    await headroom();
    await overhead();
  } finally {
    await dropPrefix();
  }
  console.log(`\nresults identical to the serial run in every configuration: ${mismatch ? "NO" : "yes"}`);
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  if (mismatch) process.exitCode = 1;
}
