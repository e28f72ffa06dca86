/**
 * `/v1/forecasts/regional` through the API (memory store): a bundled dataset against the library called
 * directly, the hub CSV, uploads with an adjacency file and coordinates, every validation problem with its
 * path (and line), 404s, deletion, and that the single-region routes still answer beside it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../src/forecast/index.js";
import { forecastRegions } from "../../src/forecast/regional.js";
import { RegionalJobSchema } from "../../src/server/regional.js";
import { ProblemSchema } from "../../src/server/schemas.js";
import { PROBLEM, makeApp, waitFor } from "./helpers.js";

const t = makeApp({ rateLimit: 0 });
afterAll(() => t.close());

type Body = Record<string, unknown>;

async function finished(id: string): Promise<Body> {
  return waitFor(async () => {
    const res = await t.http.get(`/v1/forecasts/regional/${id}`);
    return ["succeeded", "failed", "cancelled"].includes(res.body.status) ? (res.body as Body) : undefined;
  });
}

async function post(body: Body): Promise<Body> {
  const res = await t.http.post("/v1/forecasts/regional").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.headers.location).toBe(`/v1/forecasts/regional/${res.body.id}`);
  return finished(res.body.id);
}

async function problem(body: Body, status = 422) {
  const res = await t.http.post("/v1/forecasts/regional").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers["content-type"]).toMatch(PROBLEM);
  return ProblemSchema.parse(res.body);
}

/**
 * 30 weeks: 20 level weeks (wobbling ±2 around 1000), then North grows ×1.15 a week and South shrinks ×0.85;
 * East keeps wobbling. Past 4-week changes are ≤ 0.4% in the level phase, so the flat band is tiny, while
 * the damped trend projects about ±30% (see tests/forecast/regional.test.ts for the arithmetic).
 */
const UPLOAD = [
  "date,North,South,East",
  ...Array.from({ length: 30 }, (_, t) => {
    const wobble = 1000 + 2 * ((t % 3) - 1);
    const date = new Date(Date.UTC(2021, 0, 3 + 7 * t)).toISOString().slice(0, 10);
    return `${date},${t < 20 ? wobble : Math.round(1000 * 1.15 ** (t - 19))},${t < 20 ? wobble : Math.round(1000 * 0.85 ** (t - 19))},${wobble}`;
  }),
].join("\n");

describe("POST /v1/forecasts/regional", () => {
  it("forecasts every region of a bundled dataset as the library does, with progress, coordinates and the graph", async () => {
    const body = await post({ dataset: "region785", asOf: 500, samples: 200, backtestOrigins: 6 });
    const job = RegionalJobSchema.parse(body);
    expect(job.status).toBe("succeeded");
    expect(job.progress).toEqual({ done: 10, total: 10 });
    const r = job.result!;
    const direct = await forecastRegions(loadDataset("region785"), { asOf: 500, samples: 200, backtestOrigins: 6 });
    expect(r.method).toBe("trend");
    expect(r.regions.map((x) => x.quantiles)).toEqual(direct.regions.map((x) => x.quantiles));
    expect(r.regions.map((x) => x.trend)).toEqual(direct.regions.map((x) => x.trend));
    expect(r.edges).toEqual(direct.edges);
    expect(r.adjacency).toBe("correlation");
    expect(r.times).toHaveLength(501);
    expect(r.asOf.label).toBe(r.times[500]);
    for (const region of r.regions) {
      expect(region.observed).toHaveLength(501);
      expect(region.observed[500]).toBe(region.last);
      expect(region.coordinates).not.toBeNull();
      expect(region.scores?.origins).toBe(6);
    }
  });

  it("serves the hub CSV of a finished forecast", async () => {
    const body = await post({ dataset: "region785", asOf: 300, samples: 100, horizon: 2, backtestOrigins: 0 });
    const res = await t.http.get(`/v1/forecasts/regional/${body.id}/hub.csv`).expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers["content-disposition"]).toMatch(/attachment/);
    const lines = res.text.trim().split("\n");
    expect(lines[0]).toBe("location,target,horizon,quantile,value");
    expect(lines).toHaveLength(1 + 10 * 2 * 23);
    expect(lines[1]).toMatch(/^Region 1,\d{4}-W\d{2},1,0\.01,[\d.]+$/);
  });

  it("takes an uploaded series with an adjacency list and coordinates", async () => {
    const body = await post({
      dataset: { csv: UPLOAD, name: "mine.csv" },
      adjacency: { csv: "source,target\nNorth,South\nSouth,East\n" },
      coordinates: { csv: "region,lat,lon,population\nNorth,50,10,1000\nSouth,40,10,2000\nEast,45,20,\n" },
      samples: 100,
      backtestOrigins: 0,
    });
    const r = RegionalJobSchema.parse(body).result!;
    expect(r.adjacency).toBe("file");
    expect(r.edges).toEqual([
      { source: "North", target: "South", weight: 1 },
      { source: "South", target: "East", weight: 1 },
    ]);
    const by = Object.fromEntries(r.regions.map((x) => [x.region, x]));
    expect(by.North.coordinates).toEqual({ lat: 50, lon: 10, population: 1000 });
    // North rises, South falls; East (last four 1002, 998, 1000, 1002) projects +0.05%, inside its band of 0.2%.
    expect(by.North.trend).toBe("rising");
    expect(by.South.trend).toBe("falling");
    expect(by.East.trend).toBe("flat");
    expect(r.dataset).toEqual({ csv: { name: "mine.csv", rows: 30, regions: ["North", "South", "East"] } });
  });

  it("answers 422 problem+json with the field path (and line) before queueing", async () => {
    expect((await problem({ dataset: "regoin785" })).errors![0]).toMatchObject({ path: "dataset", message: expect.stringContaining("region785") });
    expect((await problem({ dataset: { csv: "date,A\n2021-01-03,1\n2021-01-10,x\n" } })).errors![0]).toMatchObject({ path: "dataset.csv", line: 3 });
    expect((await problem({ dataset: "region785", asOf: 100000 })).errors![0].path).toBe("asOf");
    expect((await problem({ dataset: "region785", horizon: 0 })).errors![0].path).toBe("horizon");
    expect((await problem({ dataset: "region785", method: "oracle" })).errors![0].path).toBe("method");
    expect((await problem({ dataset: "region785", extra: 1 })).status).toBe(422);
    expect((await problem({ dataset: "region785", adjacency: { csv: "source,target\nRegion 1,Region 99\n" } })).errors![0]).toMatchObject({ path: "adjacency.csv", line: 2 });
    expect((await problem({ dataset: { csv: UPLOAD }, coordinates: { csv: "region,lat,lon\nNorth,50,10\n" } })).errors![0]).toMatchObject({ path: "coordinates.csv", message: expect.stringContaining('"South"') });
    expect((await problem({ dataset: { csv: UPLOAD }, coordinates: { csv: "region,lat,lon\nNorth,500,10\n" } })).errors![0]).toMatchObject({ path: "coordinates.csv", line: 2 });
  });

  it("method transformer: the library's zero-shot numbers, progress by region; its limits are 422s with their paths", async () => {
    const job = RegionalJobSchema.parse(await post({ dataset: "region785", asOf: 500, method: "transformer", samples: 200, backtestOrigins: 4 }));
    expect(job.status).toBe("succeeded");
    expect(job.progress).toEqual({ done: 10, total: 10 });
    const direct = await forecastRegions(loadDataset("region785"), { asOf: 500, method: "transformer", samples: 200, backtestOrigins: 4 });
    expect(job.result!.method).toBe("transformer");
    expect(job.result!.finetune).toBeNull();
    expect(job.result!.regions.map((r) => r.quantiles)).toEqual(direct.regions.map((r) => r.quantiles));
    expect(job.result!.regions.map((r) => r.scores!.wis)).toEqual(direct.regions.map((r) => r.scores!.wis));
    expect((await problem({ dataset: "region785", method: "trend", finetune: { epochs: 2 } })).errors![0].path).toBe("finetune");
    expect((await problem({ dataset: "region785", method: "transformer", finetune: { epochs: -1 } })).errors![0].path).toBe("finetune.epochs");
    expect((await problem({ dataset: "region785", method: "transformer", finetune: { epochs: 1, strategy: "all" } })).errors![0].path).toBe("finetune.strategy");
    // 30 weeks: enough for a zero-shot forecast (8), not for a fine-tune (2·15 + 16 = 46).
    expect((await problem({ dataset: { csv: UPLOAD }, method: "transformer", finetune: { epochs: 1 } })).errors![0]).toMatchObject({ path: "dataset", message: expect.stringContaining("46") });
    expect((await problem({ dataset: { csv: UPLOAD }, method: "transformer", asOf: 5 })).errors![0]).toMatchObject({ path: "asOf", message: expect.stringContaining("8") });
  });

  it("reports progress by region while running, 409 for the CSV of an unfinished job, and DELETE cancels it", async () => {
    // 49 regions, each with 4 horizons and 52 backtest origins of 5,000 sums (tens of ms a region): long enough to
    // watch and cancel after the first region.
    const res = await t.http.post("/v1/forecasts/regional").send({ dataset: "state360", samples: 5000, backtestOrigins: 52 }).expect(202);
    const csv = await t.http.get(`/v1/forecasts/regional/${res.body.id}/hub.csv`);
    expect(csv.status).toBe(409);
    expect(csv.headers["content-type"]).toMatch(PROBLEM);
    const running = await waitFor(async () => {
      const b = (await t.http.get(`/v1/forecasts/regional/${res.body.id}`)).body;
      return b.status === "running" && b.progress.done >= 1 ? b : undefined;
    });
    expect(running.progress.total).toBe(49);
    expect(running.progress.done).toBeLessThan(49);
    await t.http.delete(`/v1/forecasts/regional/${res.body.id}`).expect(202);
    const done = await finished(res.body.id);
    expect(done.status).toBe("cancelled");
    expect(done.result).toBeUndefined();
  });

  it("415 without JSON; 404 for unknown ids; DELETE removes a finished job", async () => {
    const r415 = await t.http.post("/v1/forecasts/regional").set("Content-Type", "text/plain").send("x");
    expect(r415.status).toBe(415);
    expect(r415.headers["content-type"]).toMatch(PROBLEM);
    await t.http.get("/v1/forecasts/regional/nope").expect(404).expect("Content-Type", PROBLEM);
    await t.http.get("/v1/forecasts/regional/nope/hub.csv").expect(404);
    const body = await post({ dataset: "region785", asOf: 200, samples: 50, backtestOrigins: 0 });
    await t.http.delete(`/v1/forecasts/regional/${body.id}`).expect(204);
    await t.http.get(`/v1/forecasts/regional/${body.id}`).expect(404);
    // The single-region routes are untouched: "regional" is not taken for a forecast id elsewhere.
    await t.http.get("/v1/forecasts").expect(200);
    await t.http.get("/v1/forecasts/some-id").expect(404);
  });
});
