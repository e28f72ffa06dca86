/**
 * `spreadlab run --redis` end to end, as users run it: a scenario and a sweep with `--json`, through a
 * `spreadlab worker` process, print exactly what the local run prints (elapsedMs aside); SPREADLAB_REDIS_URL
 * does what the flag does. Without a worker, `run` says so after 5 s; Ctrl-C exits 130 and empties the queue.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { bin, cli, cliEnv, dropPrefix, REDIS_URL, startWorker, stopWorker, testPrefix, type WorkerProcess } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "spreadlab-queue-cli-"));
const prefix = testPrefix("cli");
let worker: WorkerProcess;

beforeAll(async () => {
  worker = await startWorker(prefix);
});
afterAll(async () => {
  await stopWorker(worker);
  await dropPrefix(prefix);
  rmSync(work, { recursive: true, force: true });
});

const SCENARIO = join(work, "seir.yaml");
writeFileSync(
  SCENARIO,
  `name: queue cli
seed: 7
network:
  generate: { type: watts-strogatz, n: 2000, k: 6, beta: 0.1 }
model:
  preset: SEIR
  params: { beta: 0.5, sigma: 1, gamma: 1 }
time: { mode: continuous, tmax: 20, record: 1 }
initial: { I: { count: 4 } }
runs: 12
output: { nodes: first }
`,
);
const SWEEP = join(work, "sweep.yaml");
writeFileSync(
  SWEEP,
  `name: queue sweep
seed: 2
network:
  generate: { type: erdos-renyi, n: 1000, k: 5 }
model:
  preset: SIR
  params: { beta: 0.4, gamma: 1 }
time: { mode: continuous, tmax: 20, record: 1 }
initial: { I: { count: 3 } }
runs: 6
sweep:
  beta: [0.2, 0.6]
`,
);


const spreadlab = (args: string[], extraEnv: Record<string, string> = {}) => cli(work, args, extraEnv);

/** Parsed JSON with every elapsedMs (the only run-dependent field) removed. */
function timeless(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => (key === "elapsedMs" ? undefined : value));
}

// Worker and CLI processes start here; on a loaded 2-core CI box one start-up can take tens of seconds (helpers.ts
// allows a worker 45 s), so a test gets 3 minutes; the time-critical checks inside have their own bounds.
describe("run --redis", { timeout: 180_000 }, () => {
  it("prints the local result exactly, by flag and by SPREADLAB_REDIS_URL", async () => {
    const [local, queued, viaEnv] = await Promise.all([
      spreadlab(["run", SCENARIO, "--json"]),
      spreadlab(["run", SCENARIO, "--json", "--redis", REDIS_URL, "--prefix", prefix]),
      spreadlab(["run", SCENARIO, "--json", "--prefix", prefix], { SPREADLAB_REDIS_URL: REDIS_URL }),
    ]);
    expect(local.status, local.stderr).toBe(0);
    expect(queued.status, queued.stderr).toBe(0);
    expect(viaEnv.status, viaEnv.stderr).toBe(0);
    const expected = timeless(local.stdout) as { runs: number; nodes: unknown };
    expect(expected.runs).toBe(12);
    expect(expected.nodes).toBeDefined();
    expect(timeless(queued.stdout)).toEqual(expected);
    expect(timeless(viaEnv.stdout)).toEqual(expected);
  });

  it("runs sweeps through the queue too, point by point, with the same output", async () => {
    const [local, queued] = await Promise.all([spreadlab(["run", SWEEP, "--json"]), spreadlab(["run", SWEEP, "--json", "--redis", REDIS_URL, "--prefix", prefix])]);
    expect(local.status, local.stderr).toBe(0);
    expect(queued.status, queued.stderr).toBe(0);
    const expected = timeless(local.stdout) as { sweep: unknown[] };
    expect(expected.sweep).toHaveLength(2);
    expect(timeless(queued.stdout)).toEqual(expected);
  });

  it("says when no worker is connected, and Ctrl-C exits 130 and removes the queued batches", async () => {
    const idle = `${prefix}-idle`; // no worker on this prefix
    const queue = new Queue("runs", { connection: { url: REDIS_URL }, prefix: idle });
    try {
      const child = spawn(process.execPath, [bin, "run", SCENARIO, "--redis", REDIS_URL, "--prefix", idle, "--out", join(work, "never")], { env: cliEnv, cwd: work });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
      await waitUntil(() => stderr.includes("no worker is connected to the queue yet"), 30_000);
      expect(await queue.getWaitingCount()).toBeGreaterThan(0);
      child.kill("SIGINT");
      expect(await exited).toBe(130);
      expect(stderr).toContain("interrupted; no result was written.");
      expect(await queue.getWaitingCount()).toBe(0);
    } finally {
      await queue.close();
      await dropPrefix(idle);
    }
  });
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  for (const until = Date.now() + timeoutMs; !check(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > until) throw new Error(`waitUntil: timed out after ${timeoutMs} ms`);
  }
}
