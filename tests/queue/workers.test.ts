/**
 * Ensembles through the Redis queue with real `spreadlab worker` processes: the assembled result is the
 * local one exactly (1 and 3 workers, a worker SIGKILLed mid-run), the network is stored once, and Ctrl-C
 * (abort) removes the queued batches. Prefix per file; REDIS_URL (default 127.0.0.1:6379).
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Queue } from "bullmq";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { simulateEnsembleOnQueue } from "../../src/ensemble/queue/producer.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { dropPrefix, REDIS_URL, startWorker, stopWorker, testPrefix, type WorkerProcess } from "./helpers.js";

const prefix = testPrefix("workers");
const ba = generateCSR({ type: "barabasi-albert", n: 3000, m: 3 }, 4);
const spec: SimulationSpec = {
  model: { preset: "SEIR", params: { beta: 0.3, sigma: 1, gamma: 1 } },
  time: { mode: "continuous", tmax: 30, record: 1 },
  initial: { I: { nodes: ["17", "42"] }, E: { count: 3 } },
  seed: 5,
  runs: 24,
  // Node states and infection times (NaN for never) travel too.
  output: { nodes: "first", infectionTimes: true },
};
const strip = <T extends { elapsedMs: number }>(r: T) => ({ ...r, elapsedMs: 0 });
const local = strip(simulate(ba, spec));

let workers: WorkerProcess[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => stopWorker(w)));
  workers = [];
});
afterAll(() => dropPrefix(prefix));

// Worker and CLI processes start here; on a loaded 2-core CI box one start-up can take tens of seconds (helpers.ts
// allows a worker 45 s), so a test gets 3 minutes; the time-critical checks inside have their own bounds.
describe("ensembles on the queue", { timeout: 180_000 }, () => {
  it("give the local result exactly with 1 worker process, and store the network once", async () => {
    workers = [await startWorker(prefix)];
    const seen: number[] = [];
    const result = await simulateEnsembleOnQueue(ba, spec, { redis: REDIS_URL, prefix, batchSize: 5, onProgress: (d) => seen.push(d) });
    expect(strip(result)).toEqual(local);
    expect(seen.at(-1)).toBe(24);
    // Twice the same network: one stored copy (content-addressed); the results hash is gone afterwards.
    await simulateEnsembleOnQueue(ba, { ...spec, seed: 6 }, { redis: REDIS_URL, prefix, batchSize: 12 });
    const client = new Redis(REDIS_URL);
    expect(await client.keys(`${prefix}:data:net:*`)).toHaveLength(1);
    expect(await client.keys(`${prefix}:data:out:*`)).toHaveLength(0);
    client.disconnect();
    // tmax: Infinity survives the trip (BullMQ's plain JSON would make it null).
    const forever: SimulationSpec = { ...spec, time: { mode: "continuous", tmax: Infinity, record: 1 }, runs: 6, output: {} };
    expect(strip(await simulateEnsembleOnQueue(ba, forever, { redis: REDIS_URL, prefix, batchSize: 2 }))).toEqual(strip(simulate(ba, forever)));
  });

  it("give the local result exactly with 3 worker processes (and cascades too)", async () => {
    workers = await Promise.all([startWorker(prefix), startWorker(prefix), startWorker(prefix)]);
    expect(strip(await simulateEnsembleOnQueue(ba, spec, { redis: REDIS_URL, prefix, batchSize: 2 }))).toEqual(local);
    const cascade = { family: "cascade" as const, model: { type: "independent-cascade" as const, probability: 0.1 }, initial: { active: { count: 5 } }, seed: 3, runs: 12 };
    const { simulateCascade } = await import("../../src/families/cascade/cascade.js");
    expect(strip(await simulateEnsembleOnQueue(ba, cascade, { redis: REDIS_URL, prefix, batchSize: 3 }))).toEqual(strip(simulateCascade(ba, cascade)));
    // Every worker took part (12 batches of the first ensemble, 4 of the second, one batch at a time each).
    // More than 16 happens on a starved machine: a worker whose event loop is late renewing its 1 s lock loses
    // the batch to another (made twice, stored once — the result above is still exact).
    await Promise.all(workers.map((w) => stopWorker(w)));
    const batches = workers.map((w) => Number(/after (\d+) batches/.exec(w.stderr())?.[1] ?? 0));
    expect(batches.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(16);
    expect(batches.filter((b) => b > 0).length).toBeGreaterThanOrEqual(2);
  });

  it("recover the batch of a worker SIGKILLed mid-run (stalled-job recovery): same result", async () => {
    const big = { ...spec, runs: 60 };
    const expected = strip(simulate(ba, big));
    const first = await startWorker(prefix);
    workers = [first];
    let killed = false;
    let resolveKilled: () => void = () => {};
    const killedDone = new Promise<void>((resolve) => (resolveKilled = resolve));
    // Batches of 6 runs (~0.2 s each): after the first batch arrives the worker is busy with the next one.
    const running = simulateEnsembleOnQueue(ba, big, {
      redis: REDIS_URL,
      prefix,
      batchSize: 6,
      onProgress: (done) => {
        if (killed || done === 0) return;
        killed = true;
        first.child.kill("SIGKILL");
        // A second worker takes over: the rest of the queue now, the killed batch once its 1 s lock expires.
        void startWorker(prefix).then((w) => {
          workers.push(w);
          resolveKilled();
        });
      },
    });
    const result = await running;
    await killedDone;
    expect(killed).toBe(true);
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(strip(result)).toEqual(expected);
    // The kill hit a batch in progress (the worker goes straight from one batch to the next), and the
    // surviving worker's stalled check requeued it.
    expect(workers.map((w) => w.stderr()).join("")).toMatch(/stalled \(its worker died\); queued again/);
  });

  it("a batch delivered twice is stored once: same result", async () => {
    // Queue the ensemble with no worker, copy every batch job (as a redelivery would) to the front of the
    // queue, then start a worker: the copies' records complete the ensemble, the originals find it done.
    const queue = new Queue("runs", { connection: { url: REDIS_URL }, prefix });
    const running = simulateEnsembleOnQueue(ba, spec, { redis: REDIS_URL, prefix, batchSize: 6 });
    for (let i = 0; i < 600 && (await queue.getWaitingCount()) < 4; i++) await new Promise((r) => setTimeout(r, 50));
    const originals = await queue.getWaiting();
    expect(originals).toHaveLength(4);
    await queue.addBulk(originals.map((job) => ({ name: job.name, data: job.data, opts: { jobId: `${job.id}-again`, removeOnComplete: true, lifo: true } })));
    workers = [await startWorker(prefix)];
    expect(strip(await running)).toEqual(local);
    await stopWorker(workers[0]);
    // The 4 copies, and maybe an original or two made before the producer closed the ensemble (then made
    // twice, stored once); the rest of the originals were skipped.
    const made = Number(/after (\d+) batches/.exec(workers[0].stderr())?.[1]);
    expect(made).toBeGreaterThanOrEqual(4);
    expect(made).toBeLessThan(8);
    expect(await queue.getWaitingCount()).toBe(0);
    await queue.close();
  });

  it("cancel: abort rejects, queued batches are removed, workers are told", async () => {
    // No worker is running: every batch stays queued until the abort.
    const controller = new AbortController();
    const client = new Redis(REDIS_URL);
    // Every ensemble leaves a "closed" mark for the workers when it ends (finished, failed or cancelled).
    const marksBefore = (await client.keys(`${prefix}:data:cancel:*`)).length;
    const queue = new Queue("runs", { connection: { url: REDIS_URL }, prefix });
    const running = simulateEnsembleOnQueue(ba, { ...spec, runs: 40 }, { redis: REDIS_URL, prefix, batchSize: 4, signal: controller.signal });
    // Wait until the 10 batches are queued, then abort.
    for (let i = 0; i < 600 && (await queue.getWaitingCount()) < 10; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queue.getWaitingCount()).toBe(10);
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: "SimulationError", message: expect.stringMatching(/cancelled/) });
    expect(await queue.getWaitingCount()).toBe(0);
    expect(await client.keys(`${prefix}:data:cancel:*`)).toHaveLength(marksBefore + 1);
    client.disconnect();
    await queue.close();
  });
});
