/**
 * Test helpers for the Redis queue: the Redis to use (REDIS_URL, default 127.0.0.1:6379), a key prefix per
 * test file (so files and parallel runs never share a queue), `spreadlab worker` processes, a private
 * redis-server on a free loopback port (for tests that kill it), and cleanup of a prefix's keys.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const bin = join(root, "bin", "spreadlab.js");
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Environment without SPREADLAB_REDIS_URL, so only the flags count. */
export const cliEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "SPREADLAB_REDIS_URL"));

/** `spreadlab ARGS` in `cwd` with cliEnv (plus extraEnv): exit status and output. */
export function cli(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...cliEnv, ...extraEnv }, cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("exit", (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** A prefix of its own for a test file (and this process, so concurrent suites do not meet). */
export function testPrefix(name: string): string {
  return `spreadlab-test-${name}-${process.pid}-${Date.now().toString(36)}`;
}

export interface WorkerProcess {
  child: ChildProcess;
  stderr: () => string;
}

/** Every worker started here; any still alive when the test process exits is killed (a failed test leaves none). */
const started = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Start `spreadlab worker --concurrency 1` and wait for its ready line. */
export async function startWorker(prefix: string, url = REDIS_URL, extra: string[] = ["--lock-ms", "1000"]): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [bin, "worker", "--redis", url, "--prefix", prefix, "--concurrency", "1", ...extra], { stdio: ["ignore", "ignore", "pipe"] });
  started.add(child);
  child.once("exit", () => started.delete(child));
  let err = "";
  child.stderr!.setEncoding("utf8");
  await new Promise<void>((resolve, reject) => {
    // Generous: on a 2-core machine shared with other jobs a Node start-up can take many seconds.
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // never leave a worker behind that would take the next test's jobs
      reject(new Error(`worker did not start in 45 s:\n${err}`));
    }, 45_000);
    child.stderr!.on("data", (d: string) => {
      err += d;
      if (err.includes("worker: ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${err}`));
    });
  });
  return { child, stderr: () => err };
}

/** Stop a worker (SIGTERM, then SIGKILL after 5 s); resolves when it has exited. */
export async function stopWorker(w: WorkerProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => w.child.once("exit", () => resolve()));
  w.child.kill(signal);
  const timer = setTimeout(() => w.child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private redis-server (no persistence) on a free loopback port. */
export async function startRedisServer(): Promise<{ url: string; child: ChildProcess }> {
  // A port that was free a moment ago can be taken before redis-server binds it (test files run in parallel and
  // servers listen on ephemeral ports): then redis-server exits, or another server answers there. So: a private
  // server is ours only while its process lives and it answers PING within a second; else try another port.
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    let exited = false;
    child.once("exit", () => (exited = true));
    const url = `redis://127.0.0.1:${port}`;
    // Ready when it answers PING (give it 10 s).
    for (let attempt = 0; attempt <= 100 && !exited; attempt++) {
      const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      client.on("error", () => {});
      try {
        await client.connect();
        const pong = await Promise.race([client.ping(), new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
        if (pong === "PONG" && !exited) return { url, child };
      } catch {
        // not up yet
      } finally {
        client.disconnect();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGKILL");
    if (tries >= 2) throw new Error(`redis-server did not start (three ports tried, the last ${port})`);
  }
}

/** Delete every key under a prefix (BullMQ's and ours). */
export async function dropPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url);
  try {
    let cursor = "0";
    do {
      const [next, found] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (found.length > 0) await client.del(...found);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}
