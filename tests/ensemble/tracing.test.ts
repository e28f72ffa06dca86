/**
 * Testing and tracing across processes: worker threads (ensemble/pool.ts) and the Redis queue with a real
 * `spreadlab worker` process give the serial result exactly, counts included — each run draws from its
 * own streams (seed, run), so scheduling cannot change a draw. Workers load dist/: build first.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { simulateEnsemble } from "../../src/ensemble/pool.js";
import { simulateEnsembleOnQueue } from "../../src/ensemble/queue/producer.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { dropPrefix, REDIS_URL, startWorker, stopWorker, testPrefix, type WorkerProcess } from "../queue/helpers.js";

const ba = generateCSR({ type: "barabasi-albert", n: 3000, m: 3 }, 4);
const spec: SimulationSpec = {
  model: { preset: "SEIR", params: { beta: 0.3, sigma: 1, gamma: 0.5 }, durations: { I: { dist: "gamma", mean: 2, shape: 2 } } },
  time: { mode: "continuous", tmax: 60, record: 1 },
  initial: { I: { count: 5 } },
  seed: 12,
  runs: 16,
  interventions: [
    { at: 0, testing: { rate: 0.4, among: ["I"], delay: 0.5, isolation: 10 } },
    { at: 0, tracing: { probability: 0.6, delay: 1, quarantine: 14, levels: 2 } },
  ],
  output: { nodes: "first", infectionTimes: true },
};
const strip = <T extends { elapsedMs: number }>(r: T) => ({ ...r, elapsedMs: 0 });
const serial = strip(simulate(ba, spec));
const prefix = testPrefix("tracing");

let workers: WorkerProcess[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => stopWorker(w)));
  workers = [];
});
afterAll(() => dropPrefix(prefix));

describe("testing and tracing in ensembles", { timeout: 180_000 }, () => {
  it("the serial result has counts (not a vacuous comparison)", () => {
    expect(serial.testing!.positives.mean).toBeGreaterThan(0);
    expect(serial.testing!.quarantined.mean).toBeGreaterThan(0);
  });

  it("worker threads: identical with 1 and 3 workers", async () => {
    for (const n of [1, 3]) expect(strip(await simulateEnsemble(ba, spec, { workers: n }))).toEqual(serial);
  });

  it("the Redis queue with a worker process: identical", async () => {
    workers = [await startWorker(prefix)];
    expect(strip(await simulateEnsembleOnQueue(ba, spec, { redis: REDIS_URL, prefix, batchSize: 5 }))).toEqual(serial);
  });
});
