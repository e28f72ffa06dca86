/**
 * Issue 15, item 7 (restart): jobs left queued by a dead server never started, so the next server queues
 * them again under the same ids; the job that was running when the process died fails with
 * InterruptedError (it may be what killed the process: re-running it at every start could crash-loop the
 * server; resubmitting its spec gives the same result, runs being deterministic from their seed).
 *
 * The first server is a real `spreadlab serve` child killed with SIGKILL while a long job runs and a short
 * one waits; the second is `startServer` in this process over the same SQLite file. A forecast on a bundled
 * dataset left queued is re-run; one on an uploaded series (its text is not stored) fails.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startServer } from "../../src/server/index.js";
import { openStore } from "../../src/store/sqlite.js";
import { longScenario, sirScenario, waitFor } from "../server/helpers.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "spreadlab.js");
const work = mkdtempSync(join(tmpdir(), "spreadlab-requeue-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const json = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
};
const post = (url: string, body: unknown) => json(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("restart over the same SQLite file", () => {
  it("re-queues the queued run (same id, same result as a fresh submission) and fails the interrupted one", async () => {
    const dbPath = join(work, "db", "spreadlab.db");
    const env = { ...process.env };
    delete env.SPREADLAB_TOKEN;
    const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--db", dbPath, "--concurrency", "1", "--workers", "1"], { cwd: work, env, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const first = await waitFor(() => /listening on (http:\/\/[^\s]+) /.exec(log)?.[1], 30_000);
    const long = await post(`${first}/v1/runs`, { scenario: longScenario() });
    const short = await post(`${first}/v1/runs`, { scenario: sirScenario({ runs: 3 }) });
    expect([long.status, short.status]).toEqual([202, 202]);
    await waitFor(async () => ((await json(`${first}/v1/runs/${long.body.id}`)).body.status === "running" ? true : undefined), 30_000);
    expect((await json(`${first}/v1/runs/${short.body.id}`)).body.status).toBe("queued");
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    // Forecasts a dead process left queued: one on a bundled dataset, one on an upload (whose text is not kept).
    const previous = openStore(dbPath);
    await previous.insertForecast({ id: "bundled", spec: { dataset: "region785", region: "Region 1", horizons: [1, 2], asOf: 784, method: "baseline", samples: 200, seed: 3 } });
    await previous.insertForecast({ id: "uploaded", spec: { dataset: { csv: { name: "upload.csv", rows: 10, regions: ["a"] } }, region: "a", horizons: [1], asOf: 9, method: "baseline", samples: 200, seed: 3 } });
    await previous.close();

    const lines: string[] = [];
    const second = await startServer({ port: 0, dbPath, token: null, handleSignals: false, workers: 1, log: (l) => lines.push(l) });
    try {
      const interrupted = (await json(`${second.url}/v1/runs/${long.body.id}`)).body;
      expect(interrupted).toMatchObject({ status: "failed", error: { name: "InterruptedError" } });
      const requeued = await waitFor(async () => {
        const row = (await json(`${second.url}/v1/runs/${short.body.id}`)).body;
        return ["succeeded", "failed", "cancelled"].includes(row.status) ? row : undefined;
      }, 30_000);
      expect(requeued.status).toBe("succeeded");
      // Deterministic from its seed: the re-queued run's result is a fresh submission's.
      const fresh = await post(`${second.url}/v1/runs`, { scenario: sirScenario({ runs: 3 }) });
      await waitFor(async () => ((await json(`${second.url}/v1/runs/${fresh.body.id}`)).body.status === "succeeded" ? true : undefined), 30_000);
      const a = (await json(`${second.url}/v1/runs/${short.body.id}/result`)).body;
      const b = (await json(`${second.url}/v1/runs/${fresh.body.id}/result`)).body;
      expect(a.finalSize.values).toEqual(b.finalSize.values);
      expect(a.mean).toEqual(b.mean);
      // Its event stream goes on from where the dead process left it: one "done", at the end.
      const events = await second.store.runEvents(short.body.id, 0);
      expect(events.filter((e) => e.type === "done")).toHaveLength(1);
      expect(events.at(-1)?.type).toBe("done");

      const bundled = await waitFor(async () => {
        const row = (await json(`${second.url}/v1/forecasts/bundled`)).body;
        return ["succeeded", "failed"].includes(row.status) ? row : undefined;
      }, 30_000);
      expect(bundled.status).toBe("succeeded");
      expect(bundled.result.quantiles).toHaveLength(2);
      const uploaded = (await json(`${second.url}/v1/forecasts/uploaded`)).body;
      expect(uploaded).toMatchObject({ status: "failed", error: { name: "InterruptedError" } });
      expect(lines.some((l) => l.includes("re-queued 2 jobs"))).toBe(true);
    } finally {
      await second.close();
    }
  }, 120_000);
});
