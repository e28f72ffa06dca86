/**
 * The job queue through the API: cancelling a long run really stops it and frees the queue, queued runs
 * cancel at once, a full queue answers 503 with Retry-After, the wall-clock limit fails a run, and closing
 * the app stops running jobs.
 */
import { describe, expect, it } from "vitest";
import { PROBLEM, longScenario, makeApp, sirScenario, waitFor, waitForRun } from "./helpers.js";

async function whenRunning(app: ReturnType<typeof makeApp>, id: string): Promise<void> {
  await waitFor(async () => ((await app.http.get(`/v1/runs/${id}`)).body.status === "running" ? true : undefined));
}

describe("cancellation", () => {
  it("cancels a long run (5000 runs on 2000 nodes): status cancelled, workers stopped, queue free", async () => {
    const app = makeApp({ workers: 2 });
    const { body } = await app.http.post("/v1/runs").send({ scenario: longScenario() }).expect(202);
    await whenRunning(app, body.id);
    const asked = Date.now();
    const cancel = await app.http.delete(`/v1/runs/${body.id}`);
    expect(cancel.status).toBe(202);
    expect(cancel.headers.location).toBe(`/v1/runs/${body.id}`);
    const row = await waitForRun(app, body.id, 10_000);
    expect(Date.now() - asked).toBeLessThan(5000);
    expect(row.status).toBe("cancelled");
    expect(row.error).toMatchObject({ name: "CancelledError" });
    expect((row.progress as { done: number }).done).toBeLessThan(5000);
    await waitFor(async () => {
      const { queue } = (await app.http.get("/v1/health")).body;
      return queue.running === 0 && queue.queued === 0 ? true : undefined;
    });
    // The queue takes and finishes the next job.
    const next = await app.http.post("/v1/runs").send({ scenario: sirScenario({ runs: 2 }) }).expect(202);
    expect((await waitForRun(app, next.body.id)).status).toBe("succeeded");
    // A finished run cannot be cancelled.
    const late = await app.http.delete(`/v1/runs/${body.id}`);
    expect(late.status).toBe(409);
    expect(late.headers["content-type"]).toMatch(PROBLEM);
    expect(late.body.type).toBe("https://spreadlab.dev/problems/run-finished");
    await app.close();
  });

  it("a queued run is cancelled at once; a full queue answers 503 with Retry-After", async () => {
    const app = makeApp({ workers: 1, maxQueued: 1 });
    const long = (await app.http.post("/v1/runs").send({ scenario: longScenario() }).expect(202)).body;
    await whenRunning(app, long.id);
    const queued = (await app.http.post("/v1/runs").send({ scenario: sirScenario() }).expect(202)).body;
    const full = await app.http.post("/v1/runs").send({ scenario: sirScenario() });
    expect(full.status).toBe(503);
    expect(full.headers["retry-after"]).toBe("30");
    expect(full.body.type).toBe("https://spreadlab.dev/problems/queue-full");
    expect((await app.http.get(`/v1/runs/${queued.id}/result`)).status).toBe(409);
    const cancelled = await app.http.delete(`/v1/runs/${queued.id}`).expect(202);
    expect(cancelled.body.status).toBe("cancelled");
    expect((await app.http.get("/v1/health")).body.queue).toEqual({ queued: 0, running: 1 });
    await app.http.delete(`/v1/runs/${long.id}`).expect(202);
    expect((await waitForRun(app, long.id)).status).toBe("cancelled");
    await app.close();
  });
});

describe("limits and shutdown", () => {
  it("a run past maxWallMs fails with a time limit error", async () => {
    const app = makeApp({ workers: 1, maxWallMs: 400 });
    const { body } = await app.http.post("/v1/runs").send({ scenario: longScenario() }).expect(202);
    const row = await waitForRun(app, body.id, 10_000);
    expect(row.status).toBe("failed");
    expect(row.error).toMatchObject({ name: "TimeLimitError" });
    expect((row.error as { message: string }).message).toContain("time limit");
    await app.close();
  });

  it("closing the app stops running jobs and fails queued ones", async () => {
    const app = makeApp({ workers: 1 });
    const running = (await app.http.post("/v1/runs").send({ scenario: longScenario() }).expect(202)).body;
    const queued = (await app.http.post("/v1/runs").send({ scenario: sirScenario() }).expect(202)).body;
    await whenRunning(app, running.id);
    await app.close();
    expect(await app.store.getRun(running.id)).toMatchObject({ status: "failed", error: { name: "ShutdownError" } });
    expect(await app.store.getRun(queued.id)).toMatchObject({ status: "failed", error: { name: "ShutdownError" } });
    expect((await app.store.runEvents(running.id, 0)).at(-1)?.type).toBe("done");
  });
});
