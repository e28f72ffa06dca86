/**
 * `/v1/forecasts` through the API on the memory store (and once on SQLite): the hub baseline on a bundled
 * dataset and on uploaded CSVs, the result against the library called directly, every validation problem
 * with its status and path, finetune refused for the baseline (the transformer has its own file), listing, deletion, cancellation, the queue's
 * bound, the time limit and shutdown.
 */
import { afterAll, describe, expect, it } from "vitest";
import request from "supertest";
import { HUB_QUANTILE_LEVELS, hubBaselineForecaster, hubBaselineQuantiles, loadDataset, minMaxScaling, nextWeek, type EpiWeek } from "../../src/forecast/index.js";
import { createApp } from "../../src/server/app.js";
import { ForecastPageSchema, ForecastRowSchema, ForecastSchema, ProblemSchema } from "../../src/server/schemas.js";
import { openStore } from "../../src/store/sqlite.js";
import { PROBLEM, makeApp, waitFor, type TestApp } from "./helpers.js";

const t = makeApp({ rateLimit: 0 });
afterAll(() => t.close());

const PROBLEMS = "https://spreadlab.dev/problems/";
type Body = Record<string, unknown>;

async function finished(app: TestApp, id: string, timeoutMs = 20_000): Promise<Body> {
  return waitFor(async () => {
    const res = await app.http.get(`/v1/forecasts/${id}`);
    return ["succeeded", "failed", "cancelled"].includes(res.body.status) ? (res.body as Body) : undefined;
  }, timeoutMs);
}

async function forecast(body: Body, app: TestApp = t): Promise<Body> {
  const res = await app.http.post("/v1/forecasts").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return finished(app, res.body.id);
}

/** The baseline's random stream of one forecast: as the protocol's forecaster derives it (hub-baseline.ts). */
const stream = (region: number, origin: number, horizon: number): number => ((region * 1048576 + origin * 32 + horizon) >>> 0) % 2147483647;

function expectMonotone(quantiles: number[][]): void {
  for (const row of quantiles) {
    expect(row).toHaveLength(23);
    for (let i = 1; i < row.length; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]);
    expect(row[0]).toBeGreaterThanOrEqual(0);
  }
}

/** A weekly CSV from `start`, one row per week, with the given columns. */
function weeklyCsv(start: EpiWeek, columns: Record<string, (t: number) => number | "">, rows: number): string {
  const names = Object.keys(columns);
  const lines = [`year,week,${names.join(",")}`];
  let w = start;
  for (let i = 0; i < rows; i++) {
    lines.push([w.year, w.week, ...names.map((n) => columns[n](i))].join(","));
    w = nextWeek(w);
  }
  return lines.join("\n") + "\n";
}

describe("POST /v1/forecasts: the hub baseline", () => {
  it("forecasts region785 Region 1 from its last week: 15 horizons × 23 monotone quantiles, median = last value", async () => {
    const res = await t.http.post("/v1/forecasts").send({ method: "baseline", dataset: "region785", region: "Region 1" });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/v1/forecasts/${res.body.id}`);
    const queued = ForecastRowSchema.parse(res.body);
    expect(queued.status).toBe("queued");
    expect(queued.spec).toEqual({ dataset: "region785", region: "Region 1", horizons: Array.from({ length: 15 }, (_, i) => i + 1), asOf: 784, method: "baseline", samples: 1000, seed: 0 });

    const body = ForecastSchema.parse(await finished(t, queued.id));
    expect(body.status).toBe("succeeded");
    expect(body.startedAt).not.toBeNull();
    expect(body.finishedAt).not.toBeNull();
    const result = body.result!;
    const series = loadDataset("region785").values[0];
    expect(result).toMatchObject({ dataset: "region785", region: "Region 1", method: "baseline", asOf: { index: 784, year: 2017, week: 41 }, samples: 1000, seed: 0 });
    expect(result.horizons).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(result.levels).toEqual([...HUB_QUANTILE_LEVELS]);
    expect(result.observed.times).toHaveLength(785);
    expect(result.observed.times[0]).toBe("2002-W40");
    expect(result.observed.times.at(-1)).toBe("2017-W41");
    expect(result.observed.values).toEqual(Array.from(series));
    expect(result.targets).toHaveLength(15);
    expect(result.targets![0]).toBe("2017-W42");
    expect(result.targets![14]).toBe("2018-W04");
    expect(result.quantiles).toHaveLength(15);
    expectMonotone(result.quantiles);
    const last = series[784];
    expect(result.median).toEqual(Array(15).fill(last));
    for (const row of result.quantiles) expect(row[11]).toBe(last);
    // The spread grows with the horizon.
    expect(result.quantiles[14][22] - result.quantiles[14][0]).toBeGreaterThan(result.quantiles[0][22] - result.quantiles[0][0]);
  });

  it("is the library's hub baseline, called directly with the same seed, samples, origin and stream", async () => {
    const body = await forecast({ method: "baseline", dataset: "region785", region: "Region 3", asOf: 600, horizons: [10, 2, 5], samples: 500, seed: 7 });
    const result = (body as { result: { horizons: number[]; quantiles: number[][]; asOf: unknown; observed: { values: unknown[] } } }).result;
    expect(result.horizons).toEqual([2, 5, 10]);
    const week = loadDataset("region785").weeks![600];
    expect(result.asOf).toEqual({ index: 600, year: week.year, week: week.week });
    expect(result.observed.values).toHaveLength(601);
    const history = loadDataset("region785").values[2].slice(0, 601);
    const direct = result.horizons.map((h) => Array.from(hubBaselineQuantiles(history, h, { samples: 500, seed: 7, stream: stream(2, 600, h) })));
    expect(result.quantiles).toEqual(direct);
    // … and what the evaluation protocol's forecaster gives for that cell.
    const scaling = minMaxScaling([history], 601);
    const predict = hubBaselineForecaster({ samples: 500, seed: 7 }).fit({ regions: ["Region 3"], window: 20, horizon: 5, values: [history], targets: [], scaling });
    const cell = predict({ region: 2, origin: 600, horizon: 5, window: history.slice(-20), history: () => history.slice(), scaling: { min: scaling.min[0], max: scaling.max[0], range: scaling.range[0] } });
    expect(result.quantiles[1]).toEqual(Array.from(cell));
    // Another seed, another Monte Carlo sample.
    const other = (await forecast({ method: "baseline", dataset: "region785", region: "Region 3", asOf: 600, horizons: [10, 2, 5], samples: 500, seed: 8 })) as { result: { quantiles: number[][] } };
    expect(other.result.quantiles).not.toEqual(result.quantiles);
  });

  it("forecasts an uploaded weekly CSV (across a year end, with a missing cell)", async () => {
    const csv = weeklyCsv({ year: 2019, week: 40 }, { A: (i) => 100 + 10 * i, B: (i) => (i === 5 ? "" : 50 + ((i * 37) % 23)) }, 30);
    const body = (await forecast({ method: "baseline", dataset: { csv, name: "synthetic.csv" }, region: "B", horizons: [1, 4] })) as { status: string; spec: unknown; result: Record<string, unknown> & { quantiles: number[][]; median: number[]; observed: { values: (number | null)[]; times: string[] } } };
    expect(body.status).toBe("succeeded");
    const descriptor = { csv: { name: "synthetic.csv", rows: 30, regions: ["A", "B"] } };
    expect(body.spec).toEqual({ dataset: descriptor, region: "B", horizons: [1, 4], asOf: 29, method: "baseline", samples: 1000, seed: 0 });
    const { result } = body;
    expect(result.dataset).toEqual(descriptor);
    expect(result.asOf).toEqual({ index: 29, year: 2020, week: 17 });
    expect(result.observed.times.slice(12, 14)).toEqual(["2019-W52", "2020-W01"]);
    expect(result.observed.values[5]).toBeNull();
    const lastValue = 50 + ((29 * 37) % 23);
    expect(result.observed.values[29]).toBe(lastValue);
    expect(result.targets).toEqual(["2020-W18", "2020-W21"]);
    expectMonotone(result.quantiles);
    expect(result.median).toEqual([lastValue, lastValue]);
    // The history's missing value is skipped, as by the library.
    const history = Float64Array.from(result.observed.values, (v) => (v === null ? NaN : v));
    expect(result.quantiles).toEqual([1, 4].map((h) => Array.from(hubBaselineQuantiles(history, h, { seed: 0, stream: stream(1, 29, h) }))));
  });

  it("forecasts an uploaded dated CSV: asOf is a date, targets are null", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `2024-01-${String(i + 1).padStart(2, "0")},${(i * 7) % 5}.5`);
    const body = (await forecast({ method: "baseline", dataset: { csv: ["date,cases", ...rows].join("\r\n") }, region: "cases", asOf: 10, horizons: [3] })) as { result: Record<string, unknown> & { quantiles: number[][] } };
    expect(body.result).toMatchObject({ method: "baseline", dataset: { csv: { name: "upload.csv", rows: 12, regions: ["cases"] } }, asOf: { index: 10, date: "2024-01-11" }, horizons: [3], targets: null, median: [0.5] });
    expect(body.result.observed).toEqual({ times: rows.slice(0, 11).map((r) => r.split(",")[0]), values: rows.slice(0, 11).map((r) => Number(r.split(",")[1])) });
    expectMonotone(body.result.quantiles);
  });

  it("works the same on the SQLite store (result stored compressed)", async () => {
    const store = openStore(":memory:");
    const made = createApp({ store, options: { token: null, log: () => {} } });
    const http = request(made.app);
    try {
      const { body } = await http.post("/v1/forecasts").send({ method: "baseline", dataset: "state360", region: "Alaska", horizons: [1, 2] }).expect(202);
      const row = await waitFor(async () => {
        const r = (await http.get(`/v1/forecasts/${body.id}`)).body;
        return r.status === "succeeded" ? r : undefined;
      });
      const direct = await forecast({ method: "baseline", dataset: "state360", region: "Alaska", horizons: [1, 2] });
      expect(row.result).toEqual((direct as { result: unknown }).result);
      expect(await store.getForecastResult(body.id)).toEqual(row.result);
    } finally {
      await made.close();
      await store.close();
    }
  });
});

describe("validation problems", () => {
  const post = (body: unknown) => t.http.post("/v1/forecasts").send(body as object);

  async function problem(body: unknown, status: number, slug: string, path?: string): Promise<{ detail: string; errors?: { path: string; message: string; line?: number }[] }> {
    const res = await post(body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    const p = ProblemSchema.parse(res.body);
    expect(p.type).toBe(PROBLEMS + slug);
    if (path !== undefined) expect(p.errors?.map((e) => e.path)).toContain(path);
    return p;
  }

  it("an unknown dataset is 422 with the bundled ids and a suggestion", async () => {
    const p = await problem({ method: "baseline", dataset: "region78", region: "Region 1" }, 422, "dataset-unknown", "dataset");
    expect(p.errors![0].message).toContain('Did you mean "region785"?');
    expect(p.errors![0].message).toContain("region785, state360, hhs-ilitotal, national");
  });

  it("an unknown region is 422 with did-you-mean and the dataset's regions", async () => {
    const p = await problem({ method: "baseline", dataset: "region785", region: "Regoin 1" }, 422, "region-unknown", "region");
    expect(p.errors![0].message).toContain('Did you mean "Region 1"');
    expect(p.errors![0].message).toContain('"Region 10"');
    const csv = weeklyCsv({ year: 2020, week: 1 }, { alpha: (i) => i }, 5);
    const upload = await problem({ method: "baseline", dataset: { csv }, region: "Alpha" }, 422, "region-unknown", "region");
    expect(upload.detail).toContain('Did you mean "alpha"');
  });

  it("a CSV the reader refuses is 422 with the file and line", async () => {
    const ragged = "year,week,a,b\n2020,1,1,2\n2020,2,3\n2020,3,4,5\n";
    const p = await problem({ method: "baseline", dataset: { csv: ragged, name: "mine.csv" }, region: "a" }, 422, "data-invalid", "dataset.csv");
    expect(p.errors![0]).toMatchObject({ path: "dataset.csv", line: 3 });
    expect(p.errors![0].message).toMatch(/^mine\.csv:3: ragged row/);
    const gap = await problem({ method: "baseline", dataset: { csv: "year,week,a\n2020,1,1\n2020,3,2\n" }, region: "a" }, 422, "data-invalid");
    expect(gap.errors![0]).toMatchObject({ line: 3 });
    expect(gap.detail).toContain("2020-W02 is missing");
    const header = await problem({ method: "baseline", dataset: { csv: "when,a\n1,2\n" }, region: "a" }, 422, "data-invalid");
    expect(header.errors![0]).toMatchObject({ path: "dataset.csv", line: 1 });
    expect(header.detail).toContain("upload.csv:1");
    await problem({ method: "baseline", dataset: { csv: "year,week,a\n2020,1,-4\n2020,2,1\n" }, region: "a" }, 422, "data-invalid");
  });

  it("a series too short for the baseline is 422", async () => {
    const one = await problem({ method: "baseline", dataset: { csv: "year,week,a\n2020,1,5\n" }, region: "a" }, 422, "series-too-short", "dataset");
    expect(one.detail).toContain("at least 2 consecutive observed rows");
    await problem({ method: "baseline", dataset: "region785", region: "Region 1", asOf: 0 }, 422, "series-too-short", "asOf");
    // Two rows, but no two consecutive observed values.
    await problem({ method: "baseline", dataset: { csv: "year,week,a\n2020,1,5\n2020,2,\n2020,3,6\n" }, region: "a" }, 422, "series-too-short");
  });

  it("asOf outside the series or on a missing value is 422", async () => {
    const past = await problem({ method: "baseline", dataset: "region785", region: "Region 1", asOf: 785 }, 422, "as-of-invalid", "asOf");
    expect(past.detail).toContain("0 to 784 (2017-W41)");
    const csv = weeklyCsv({ year: 2020, week: 1 }, { a: (i) => (i >= 8 ? "" : i * 2) }, 10);
    const missing = await problem({ method: "baseline", dataset: { csv }, region: "a" }, 422, "as-of-invalid", "asOf");
    expect(missing.detail).toContain("pass asOf: 7");
    expect((await forecast({ method: "baseline", dataset: { csv }, region: "a", asOf: 7 })).status).toBe("succeeded");
  });

  it("the body is checked against its schema: types, bounds, repeats, unknown fields", async () => {
    const base = { method: "baseline", dataset: "region785", region: "Region 1" };
    const cases: [unknown, string][] = [
      [{ ...base, horizons: [0] }, "horizons.0"],
      [{ ...base, horizons: [53] }, "horizons.0"],
      [{ ...base, horizons: [1, 2.5] }, "horizons.1"],
      [{ ...base, horizons: [] }, "horizons"],
      [{ ...base, horizons: [3, 1, 3] }, "horizons"],
      [{ ...base, asOf: -1 }, "asOf"],
      [{ ...base, asOf: 1.5 }, "asOf"],
      [{ ...base, samples: 0 }, "samples"],
      [{ ...base, samples: 1_000_000 }, "samples"],
      [{ ...base, seed: -1 }, "seed"],
      [{ ...base, method: "arima" }, "method"],
      [{ ...base, extra: 1 }, "(root)"],
      [{ dataset: "region785" }, "region"],
      [{ region: "Region 1" }, "dataset"],
      [{ ...base, dataset: 5 }, "dataset"],
      [{ ...base, dataset: { csv: "" } }, "dataset"],
      [{ ...base, dataset: { csv: "year,week,a", file: "x" } }, "dataset"],
    ];
    for (const [body, path] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.type).toBe(PROBLEMS + "validation-failed");
      expect(res.body.errors.map((e: { path: string }) => e.path).join(" "), JSON.stringify(body)).toContain(path);
    }
  });

  it("finetune is an option of the transformer only (422 with the baseline)", async () => {
    await problem({ method: "baseline", dataset: "region785", region: "Region 1", finetune: { epochs: 1 } }, 422, "finetune-unexpected", "finetune");
  });

  it("JSON only (415 otherwise); the body is limited to the upload size (413)", async () => {
    const text = await t.http.post("/v1/forecasts").set("Content-Type", "text/csv").send("year,week,a\n2020,1,1\n");
    expect(text.status).toBe(415);
    expect(text.headers["content-type"]).toMatch(PROBLEM);
    const small = makeApp({ uploadLimit: 2000 });
    const csv = weeklyCsv({ year: 2000, week: 1 }, { a: (i) => i }, 200);
    const big = await small.http.post("/v1/forecasts").send({ method: "baseline", dataset: { csv }, region: "a" });
    expect(big.status).toBe(413);
    expect(big.body.type).toBe(PROBLEMS + "payload-too-large");
    const fits = await small.http.post("/v1/forecasts").send({ method: "baseline", dataset: { csv: weeklyCsv({ year: 2000, week: 1 }, { a: (i) => i }, 20) }, region: "a" });
    expect(fits.status).toBe(202);
    await finished(small, fits.body.id);
    // The upload limit is larger than the default body limit: a 1.5 MB CSV is taken.
    const long = weeklyCsv({ year: 1000, week: 1 }, { a: (i) => i % 97, b: (i) => (i * 13) % 101 }, 90_000);
    expect(long.length).toBeGreaterThan(1_100_000);
    const taken = await t.http.post("/v1/forecasts").send({ method: "baseline", dataset: { csv: long }, region: "b", horizons: [1] });
    expect(taken.status, JSON.stringify(taken.body).slice(0, 200)).toBe(202);
    expect((await finished(t, taken.body.id)).status).toBe("succeeded");
    await small.close();
  });
});

describe("GET and DELETE /v1/forecasts", () => {
  it("unknown ids are 404 problems", async () => {
    for (const res of [await t.http.get("/v1/forecasts/nope"), await t.http.delete("/v1/forecasts/nope")]) {
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toMatch(PROBLEM);
      expect(res.body.detail).toContain('no forecast has id "nope"');
    }
  });

  it("lists forecasts newest first, paged, filtered by status; rows carry no result", async () => {
    const app = makeApp();
    const ids: string[] = [];
    for (const region of ["Region 1", "Region 2", "Region 3"]) ids.push((await app.http.post("/v1/forecasts").send({ method: "baseline", dataset: "region785", region, horizons: [1] }).expect(202)).body.id);
    for (const id of ids) await finished(app, id);
    const first = ForecastPageSchema.parse((await app.http.get("/v1/forecasts?limit=2").expect(200)).body);
    expect(first.total).toBe(3);
    expect(first.items.map((f) => f.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]).not.toHaveProperty("result");
    const rest = (await app.http.get(`/v1/forecasts?limit=2&cursor=${first.next}`).expect(200)).body;
    expect(rest).toMatchObject({ items: [{ id: ids[0] }], next: null });
    expect((await app.http.get("/v1/forecasts?status=succeeded").expect(200)).body.total).toBe(3);
    expect((await app.http.get("/v1/forecasts?status=queued").expect(200)).body.total).toBe(0);
    expect((await app.http.get("/v1/forecasts?status=done")).status).toBe(422);
    expect((await app.http.get("/v1/forecasts?cursor=garbage")).status).toBe(400);
    await app.close();
  });

  it("DELETE removes a finished forecast (204), then it is gone", async () => {
    const body = await forecast({ method: "baseline", dataset: "national", region: "ILITOTAL", horizons: [1] });
    expect(body.status).toBe("succeeded");
    expect((body as { result: { asOf: unknown } }).result.asOf).toEqual({ index: 965, date: "2020-06-30 00:00:00" });
    await t.http.delete(`/v1/forecasts/${body.id}`).expect(204);
    expect((await t.http.get(`/v1/forecasts/${body.id}`)).status).toBe(404);
  });
});

describe("the forecast queue", () => {
  /** About a second of work: 100,000 sums for each of 52 horizons. */
  const heavy = { method: "baseline", dataset: "region785", region: "Region 4", samples: 100_000, horizons: Array.from({ length: 52 }, (_, i) => i + 1) };

  it("cancels a queued forecast at once and a running one at its next horizon; a full queue is 503", async () => {
    const app = makeApp({ maxQueued: 1, concurrency: 1 });
    const running = (await app.http.post("/v1/forecasts").send(heavy).expect(202)).body;
    await waitFor(async () => ((await app.http.get(`/v1/forecasts/${running.id}`)).body.status === "running" ? true : undefined), 10_000, 1);
    const queued = (await app.http.post("/v1/forecasts").send({ method: "baseline", dataset: "region785", region: "Region 1" }).expect(202)).body;
    const full = await app.http.post("/v1/forecasts").send({ method: "baseline", dataset: "region785", region: "Region 1" });
    expect(full.status).toBe(503);
    expect(full.headers["retry-after"]).toBe("30");
    expect(full.body.type).toBe(PROBLEMS + "queue-full");
    const cancelled = await app.http.delete(`/v1/forecasts/${queued.id}`).expect(202);
    expect(cancelled.headers.location).toBe(`/v1/forecasts/${queued.id}`);
    expect(cancelled.body).toMatchObject({ status: "cancelled", error: { name: "CancelledError" } });
    await app.http.delete(`/v1/forecasts/${running.id}`).expect(202);
    const row = await finished(app, running.id, 10_000);
    expect(row).toMatchObject({ status: "cancelled", error: { name: "CancelledError" } });
    expect(row).not.toHaveProperty("result");
    // The queue takes the next one; a cancelled forecast can then be deleted.
    expect((await forecast({ method: "baseline", dataset: "region785", region: "Region 1", horizons: [1] }, app)).status).toBe("succeeded");
    await app.http.delete(`/v1/forecasts/${queued.id}`).expect(204);
    await app.close();
  });

  it("a forecast past maxWallMs fails with a time limit error", async () => {
    const app = makeApp({ maxWallMs: 1 });
    const row = await forecast(heavy, app);
    expect(row).toMatchObject({ status: "failed", error: { name: "TimeLimitError" } });
    expect((row.error as { message: string }).message).toContain("time limit");
    await app.close();
  });

  it("closing the app fails running and queued forecasts", async () => {
    const app = makeApp();
    const running = (await app.http.post("/v1/forecasts").send(heavy).expect(202)).body;
    const queued = (await app.http.post("/v1/forecasts").send(heavy).expect(202)).body;
    await waitFor(async () => ((await app.http.get(`/v1/forecasts/${running.id}`)).body.status === "running" ? true : undefined), 10_000, 1);
    await app.close();
    expect(await app.store.getForecast(running.id)).toMatchObject({ status: "failed", error: { name: "ShutdownError" } });
    expect(await app.store.getForecast(queued.id)).toMatchObject({ status: "failed", error: { name: "ShutdownError" } });
    expect((await app.http.post("/v1/forecasts").send(heavy)).status).toBe(503);
  });

  it("the OpenAPI document describes the forecast request and result", async () => {
    const doc = (await t.http.get("/v1/openapi.json").expect(200)).body;
    const request = doc.components.schemas.ForecastRequest;
    expect(request.additionalProperties).toBe(false);
    expect(request.required).toEqual(["dataset", "region"]);
    expect(request.properties.method.enum).toEqual(["auto", "baseline", "transformer"]);
    expect(request.properties.horizons.default).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(doc.paths["/v1/forecasts"].post.responses["503"]).toBeDefined();
    expect(doc.paths["/v1/forecasts"].post.responses["413"]).toBeDefined();
    expect(doc.paths["/v1/forecasts/{id}"].get.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/Forecast");
    expect(JSON.stringify(doc.components.schemas.Forecast)).toContain("#/components/schemas/ForecastResult");
    expect(doc.paths["/v1/forecasts"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["limit", "cursor", "status"]);
  });
});
