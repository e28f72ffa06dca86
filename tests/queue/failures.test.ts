/**
 * Redis failures are clear errors, never hangs or partial results: no Redis at all (library and CLI, for
 * `run --redis` and `worker`), and a Redis killed mid-run (a private redis-server on a free port, so the
 * shared one stays up) → exit 1 with a message that names the URL, and no result files written.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { simulateEnsembleOnQueue } from "../../src/ensemble/queue/producer.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { bin, cli, cliEnv, freePort, startRedisServer, startWorker, stopWorker, testPrefix } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "spreadlab-queue-failures-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const prefix = testPrefix("failures");

const SLOW = join(work, "slow.yaml");
// 400 runs on 10,000 nodes: tens of seconds on one worker, so Redis is killed well before the end.
writeFileSync(
  SLOW,
  `name: slow
seed: 1
network:
  generate: { type: barabasi-albert, n: 10000, m: 3 }
model:
  preset: SIR
  params: { beta: 0.3, gamma: 1 }
time: { mode: continuous, tmax: 30, record: 1 }
initial: { I: { count: 5 } }
runs: 400
`,
);



const spreadlab = (args: string[], extraEnv: Record<string, string> = {}) => cli(work, args, extraEnv);

// Worker and CLI processes start here; on a loaded 2-core CI box one start-up can take tens of seconds (helpers.ts
// allows a worker 45 s), so a test gets 3 minutes; the time-critical checks inside have their own bounds.
describe("Redis failures", { timeout: 180_000 }, () => {
  it("no Redis: the library rejects with a QueueError naming the URL, promptly", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const ba = generateCSR({ type: "barabasi-albert", n: 500, m: 2 }, 1);
    const spec = { model: { preset: "SIR", params: { beta: 0.3, gamma: 1 } }, time: { mode: "continuous" as const, tmax: 10, record: 1 }, initial: { I: { count: 2 } }, seed: 1, runs: 4 };
    await expect(simulateEnsembleOnQueue(ba, spec, { redis: url, prefix })).rejects.toMatchObject({ name: "QueueError", message: expect.stringContaining(`cannot reach Redis at ${url}`) });
    // ioredis gives up after 6 retries 0.5 s apart (common.ts): a few seconds, not a hang.
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(simulateEnsembleOnQueue(ba, spec, { redis: "http://127.0.0.1:1", prefix })).rejects.toMatchObject({ name: "QueueError", message: expect.stringContaining("--redis: expected a redis://") });
  });

  it("no Redis: `run --redis`, `worker` and `serve --redis` exit 1 with a clear message; `worker` without any Redis says how to give one", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    // In parallel: five CLI start-ups one after the other take long on a busy 2-core machine.
    const [run, viaEnv, worker, serve, none] = await Promise.all([
      spreadlab(["run", SLOW, "--redis", url, "--runs", "2", "--json"]),
      spreadlab(["run", SLOW, "--runs", "2", "--json"], { SPREADLAB_REDIS_URL: url }),
      spreadlab(["worker", "--redis", url, "--concurrency", "1"]),
      spreadlab(["serve", "--port", "0", "--db", join(work, "s.db"), "--redis", url]),
      spreadlab(["worker"]),
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`cannot reach Redis at ${url}`);
    expect(run.stdout).toBe("");
    expect(viaEnv.status).toBe(1);
    expect(viaEnv.stderr).toContain(`cannot reach Redis at ${url}`);
    expect(worker.status).toBe(1);
    expect(worker.stderr).toContain(`cannot reach Redis at ${url}`);
    expect(serve.status).toBe(1);
    expect(serve.stderr).toContain(`cannot reach Redis at ${url}`);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no Redis given; pass --redis redis:\/\/HOST:PORT or set SPREADLAB_REDIS_URL/);
  });

  it("Redis killed mid-run: `run --redis --out` exits 1 naming the lost Redis, writes nothing", async () => {
    const redis = await startRedisServer();
    const worker = await startWorker(prefix, redis.url);
    const out = join(work, "out");
    try {
      const child = spawn(process.execPath, [bin, "run", SLOW, "--redis", redis.url, "--prefix", prefix, "--out", out], { env: cliEnv, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
      // Mid-run: wait until the first batch's records are in Redis.
      const watch = new Redis(redis.url);
      for (let i = 0; i < 300 && (await watch.keys(`${prefix}:data:out:*`)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await watch.keys(`${prefix}:data:out:*`)).toHaveLength(1);
      watch.disconnect();
      const killedAt = Date.now();
      redis.child.kill("SIGKILL");
      const code = await exited;
      expect(code).toBe(1);
      expect(stderr).toContain(`lost the connection to Redis at ${redis.url} mid-run`);
      // Three missed pings 1 s apart, or ioredis giving up after ~3 s: well under 15 s.
      expect(Date.now() - killedAt).toBeLessThan(15_000);
      expect(existsSync(out)).toBe(false);
    } finally {
      redis.child.kill("SIGKILL");
      await stopWorker(worker, "SIGKILL");
    }
  });
});
