/**
 * Forecast rows in the store (src/store/types.ts): the same contract on the SQLite store and on the
 * PostgreSQL store (a fresh schema per store, tests/helpers/postgres.ts) — lifecycle timestamps, compressed results written with the status,
 * keyset paging, deletion and restart recovery — plus migration 3 of a version-2 database.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrate, MIGRATIONS } from "../../src/store/migrations.js";
import { openStore } from "../../src/store/sqlite.js";
import type { Store } from "../../src/store/types.js";
import { openTestPostgresStore } from "../helpers/postgres.js";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const spec = { dataset: "region785", region: "Region 1", horizons: [1, 2, 3], asOf: 784, method: "baseline", samples: 1000, seed: 0 };
/** A result shaped like the API's, large enough that gzip matters. */
const result = {
  region: "Region 1",
  horizons: [1, 2, 3],
  quantiles: Array.from({ length: 15 }, (_, h) => Array.from({ length: 23 }, (_, i) => 1000 + h * 10 + i)),
  observed: { times: Array.from({ length: 785 }, (_, t) => `t${t}`), values: Array.from({ length: 785 }, (_, t) => (t % 7 === 0 ? null : t * 1.5)) },
};

let dir: string;
let store: Store | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "spreadlab-forecasts-"));
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const implementations: [string, () => Store | Promise<Store>][] = [
  ["sqlite", () => openStore(":memory:")],
  ["postgres", () => openTestPostgresStore()],
];

describe.each(implementations)("forecasts on the %s", (_name, open) => {
  it("inserts a queued row and reads it back; unknown ids are null", async () => {
    store = await open();
    const row = await store.insertForecast({ id: "f1", spec });
    expect(row).toEqual({ id: "f1", createdAt: expect.stringMatching(ISO), updatedAt: row.createdAt, status: "queued", spec, startedAt: null, finishedAt: null, error: null });
    expect(await store.getForecast("f1")).toEqual(row);
    expect(await store.getForecast("nope")).toBeNull();
    expect(await store.getForecastResult("f1")).toBeNull();
    expect(await store.updateForecast("nope", { status: "running" })).toBeNull();
    expect(await store.completeForecast("nope", result)).toBeNull();
    expect(await store.deleteForecast("nope")).toBe(false);
  });

  it("sets startedAt on running and finishedAt on a final state, unless given; keeps the error", async () => {
    store = await open();
    await store.insertForecast({ id: "f1", spec });
    const running = (await store.updateForecast("f1", { status: "running" }))!;
    expect(running.status).toBe("running");
    expect(running.startedAt).toMatch(ISO);
    expect(running.finishedAt).toBeNull();
    const error = { name: "ForecastError", message: "hub baseline: the last observed value is missing." };
    const failed = (await store.updateForecast("f1", { status: "failed", error }))!;
    expect(failed).toMatchObject({ status: "failed", error, startedAt: running.startedAt });
    expect(failed.finishedAt).toMatch(ISO);
    expect(failed.updatedAt >= running.updatedAt).toBe(true);
    expect(await store.getForecast("f1")).toEqual(failed);

    await store.insertForecast({ id: "f2", spec });
    const given = (await store.updateForecast("f2", { status: "cancelled", finishedAt: "2020-01-01T00:00:00.000Z", error: { name: "CancelledError", message: "by request" } }))!;
    expect(given.finishedAt).toBe("2020-01-01T00:00:00.000Z");
    expect(given.startedAt).toBeNull();
  });

  it("completes with the result and status succeeded together; the result round-trips", async () => {
    store = await open();
    await store.insertForecast({ id: "f1", spec });
    const started = (await store.updateForecast("f1", { status: "running" }))!;
    const done = (await store.completeForecast("f1", result))!;
    expect(done).toMatchObject({ status: "succeeded", error: null, startedAt: started.startedAt });
    expect(done.finishedAt).toMatch(ISO);
    expect(await store.getForecast("f1")).toEqual(done);
    expect(await store.getForecastResult("f1")).toEqual(result);
  });

  it("lists newest first with keyset paging, a total, and a status filter", async () => {
    store = await open();
    for (const id of ["a", "b", "c", "d"]) await store.insertForecast({ id, spec: { ...spec, region: id } });
    await store.updateForecast("b", { status: "running" });
    await store.completeForecast("b", result);
    const first = await store.listForecasts(3);
    expect(first.items.map((f) => f.id)).toEqual(["d", "c", "b"]);
    expect(first.total).toBe(4);
    expect(first.next).not.toBeNull();
    expect(first.items[0].spec).toEqual({ ...spec, region: "d" });
    expect(first.items[2]).not.toHaveProperty("result");
    expect(await store.listForecasts(3, first.next)).toMatchObject({ items: [{ id: "a" }], total: 4, next: null });
    expect(await store.listForecasts(10, null, "succeeded")).toMatchObject({ items: [{ id: "b" }], total: 1, next: null });
    expect((await store.listForecasts(10, null, "queued")).items.map((f) => f.id)).toEqual(["d", "c", "a"]);
    await expect(store!.listForecasts(2, "not-a-cursor")).rejects.toThrow(expect.objectContaining({ name: "InvalidCursorError" }));
  });

  it("deletes a forecast with its result", async () => {
    store = await open();
    await store.insertForecast({ id: "f1", spec });
    await store.completeForecast("f1", result);
    expect(await store.deleteForecast("f1")).toBe(true);
    expect(await store.getForecast("f1")).toBeNull();
    expect(await store.getForecastResult("f1")).toBeNull();
    expect((await store.listForecasts(10)).total).toBe(0);
    // Re-made with the same id, it starts clean.
    await store.insertForecast({ id: "f1", spec });
    expect(await store.getForecastResult("f1")).toBeNull();
  });

  it("recoverInterrupted fails queued and running forecasts beside runs, and leaves finished ones", async () => {
    store = await open();
    await store.insertForecast({ id: "queued", spec });
    await store.insertForecast({ id: "running", spec });
    await store.updateForecast("running", { status: "running" });
    await store.insertForecast({ id: "done", spec });
    const done = await store.completeForecast("done", result);
    await store.insertRun({ id: "run", spec: {}, networkId: null, total: 1 });
    expect(await store.recoverInterrupted("server restarted")).toBe(3);
    for (const id of ["queued", "running"]) {
      const row = (await store.getForecast(id))!;
      expect(row.status).toBe("failed");
      expect(row.error).toEqual({ name: "InterruptedError", message: "server restarted" });
      expect(row.finishedAt).toMatch(ISO);
    }
    expect((await store.getForecast("running"))!.startedAt).toMatch(ISO);
    expect(await store.getForecast("done")).toEqual(done);
    expect(await store.getForecastResult("done")).toEqual(result);
    expect((await store.getRun("run"))!.status).toBe("failed");
    expect(await store.recoverInterrupted("again")).toBe(0);
  });
});

describe("forecasts in the SQLite file", () => {
  it("stores the result gzipped, beside the row, and survives a reopen", async () => {
    const file = join(dir, "spreadlab.db");
    store = openStore(file);
    await store.insertForecast({ id: "f1", spec });
    const done = await store.completeForecast("f1", result);
    await store.close();
    const db = new Database(file, { readonly: true });
    const raw = db.prepare("SELECT result_codec AS codec, length(result) AS stored, result_bytes AS bytes FROM forecasts WHERE id = 'f1'").get() as { codec: string; stored: number; bytes: number };
    db.close();
    expect(raw.codec).toBe("gzip");
    expect(raw.bytes).toBe(Buffer.byteLength(JSON.stringify(result)));
    expect(raw.stored).toBeLessThan(raw.bytes / 2);
    store = openStore(file);
    expect(await store.getForecast("f1")).toEqual(done);
    expect(await store.getForecastResult("f1")).toEqual(result);
  });

  it("migration 3 upgrades a version-2 forecasts table in place", async () => {
    const file = join(dir, "v2.db");
    const db = new Database(file);
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toEqual([1, 2]);
    db.prepare("INSERT INTO forecasts (id, created_at, status, spec) VALUES ('old', '2024-01-02T03:04:05.000Z', 'failed', '{\"region\":\"x\"}')").run();
    db.close();
    store = openStore(file);
    expect(await store.getForecast("old")).toEqual({
      id: "old",
      createdAt: "2024-01-02T03:04:05.000Z",
      updatedAt: "2024-01-02T03:04:05.000Z",
      status: "failed",
      spec: { region: "x" },
      startedAt: null,
      finishedAt: null,
      error: null,
    });
    expect((await store.listForecasts(10)).items.map((f) => f.id)).toEqual(["old"]);
    await store.insertForecast({ id: "new", spec });
    expect((await store.listForecasts(10)).items.map((f) => f.id)).toEqual(["new", "old"]);
  });
});
