/**
 * `serve --redis`: the API's jobs run their ensembles on queue workers. A run's stored result equals the
 * same request's result on a server without Redis (elapsedMs aside); cancelling a run removes its queued
 * batches. The server runs in-process on a memory store (tests/server/helpers.ts); the worker is a process.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { makeApp, sirScenario, waitFor, waitForRun } from "../server/helpers.js";
import { dropPrefix, REDIS_URL, startWorker, stopWorker, testPrefix } from "./helpers.js";

const prefix = testPrefix("serve");
afterAll(() => dropPrefix(prefix));
const timeless = (x: unknown) => JSON.parse(JSON.stringify(x), (key, value: unknown) => (key === "elapsedMs" ? undefined : value)) as unknown;

// Worker and CLI processes start here; on a loaded 2-core CI box one start-up can take tens of seconds (helpers.ts
// allows a worker 45 s), so a test gets 3 minutes; the time-critical checks inside have their own bounds.
describe("serve --redis", { timeout: 180_000 }, () => {
  it("stores the same result as a server without Redis, for a run and a sweep", async () => {
    const worker = await startWorker(prefix);
    const queued = makeApp({ redis: { url: REDIS_URL, prefix } });
    const local = makeApp();
    try {
      for (const scenario of [sirScenario({ runs: 8, output: { nodes: "first" } }), sirScenario({ runs: 3, sweep: { beta: [0.2, 0.5] } })]) {
        const results = [];
        for (const app of [queued, local]) {
          const { body } = await app.http.post("/v1/runs").send({ scenario }).expect(202);
          const row = await waitForRun(app, body.id);
          expect(row.status, JSON.stringify(row.error)).toBe("succeeded");
          results.push((await app.http.get(`/v1/runs/${body.id}/result`).expect(200)).body);
        }
        expect(timeless(results[0])).toEqual(timeless(results[1]));
      }
    } finally {
      await Promise.all([queued.close(), local.close()]);
      await stopWorker(worker);
    }
    // The queued server's runs really went through the worker.
    expect(worker.stderr()).toMatch(/stopped after [1-9]\d* batches/);
  });

  it("cancelling a run removes its queued batches", async () => {
    // No worker: the batches wait in the queue until the cancel.
    const app = makeApp({ redis: { url: REDIS_URL, prefix } });
    const queue = new Queue("runs", { connection: { url: REDIS_URL }, prefix });
    try {
      const { body } = await app.http.post("/v1/runs").send({ scenario: sirScenario({ network: { generate: { type: "erdos-renyi", n: 2000, k: 8 } }, runs: 200 }) }).expect(202);
      await waitFor(async () => ((await queue.getWaitingCount()) > 0 ? true : undefined));
      await app.http.delete(`/v1/runs/${body.id}`).expect(202);
      expect((await waitForRun(app, body.id)).status).toBe("cancelled");
      await waitFor(async () => ((await queue.getWaitingCount()) === 0 ? true : undefined), 5000);
    } finally {
      await app.close();
      await queue.close();
    }
  });
});
