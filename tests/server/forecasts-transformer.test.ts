/**
 * `POST /v1/forecasts` with `method: "transformer"`: the bundled pretrained checkpoint, fine-tuned on the
 * region's history up to asOf, through the API; progress while it runs; the zero-shot forecast against the
 * library called directly; the transformer's own validation problems; cancellation; GET /v1/forecaster.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset, nextWeek, parseSeriesCsv } from "../../src/forecast/index.js";
import { initTf } from "../../src/forecast/transformer/backend.js";
import { forecastRegion, loadPretrained } from "../../src/forecast/transformer/service.js";
import { ForecastSchema } from "../../src/server/schemas.js";
import { PROBLEM, makeApp, waitFor } from "./helpers.js";

const t = makeApp({ rateLimit: 0 });
afterAll(() => t.close());

type Body = Record<string, any>;

async function finished(id: string, timeoutMs = 60_000): Promise<Body> {
  return waitFor(async () => {
    const res = await t.http.get(`/v1/forecasts/${id}`);
    return ["succeeded", "failed", "cancelled"].includes(res.body.status) ? (res.body as Body) : undefined;
  }, timeoutMs);
}

async function submit(body: Body): Promise<string> {
  const res = await t.http.post("/v1/forecasts").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.id as string;
}

async function problem(body: Body, slug: string, path: string): Promise<Body> {
  const res = await t.http.post("/v1/forecasts").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.headers["content-type"]).toMatch(PROBLEM);
  expect(res.body.type).toBe(`https://spreadlab.dev/problems/${slug}`);
  expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  return res.body;
}

beforeAll(async () => {
  await waitFor(async () => (await t.http.get("/v1/health")).body.tfBackend ?? undefined, 30_000);
});

describe("method transformer", () => {
  it("fine-tunes on the region's history, then forecasts 15 horizons × 23 monotone quantiles with a backtest", async () => {
    const id = await submit({ dataset: "region785", region: "Region 2", method: "transformer", finetune: { epochs: 1, strategy: "head" }, seed: 3 });
    const body = await finished(id);
    expect(body.status, JSON.stringify(body.error)).toBe("succeeded");
    const parsed = ForecastSchema.parse(body);
    const r = parsed.result!;
    expect(r.method).toBe("transformer");
    expect(r.horizons).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(r.targets![0]).toBe("2017-W42");
    for (const row of r.quantiles) {
      expect(row).toHaveLength(23);
      for (let i = 1; i < 23; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]);
      expect(row[0]).toBeGreaterThanOrEqual(0);
    }
    expect(r.median).toEqual(r.quantiles.map((q) => q[11]));
    expect(r.model!.finetune).toMatchObject({ strategy: "head", epochs: 1 });
    expect(r.model!.finetune!.trainedRows + r.model!.finetune!.validationRows).toBe(785);
    expect(r.scores).not.toBeNull();
    expect(r.scores!.from).toBe(r.model!.finetune!.trainedRows);
    expect(r.scores!.to).toBe(785);
    expect(r.scores!.wis).toBeGreaterThan(0);
    expect(r.scores!.baselineWis).toBeGreaterThan(0);
    expect(r.scores!.coverage95).toBeGreaterThanOrEqual(r.scores!.coverage50);
  });

  it("zero-shot (epochs 0) is the pretrained network called directly, to the last digit", async () => {
    const id = await submit({ dataset: "region785", region: "Region 4", method: "transformer", asOf: 500, horizons: [1, 4, 15], finetune: { epochs: 0 } });
    const body = await finished(id);
    expect(body.status).toBe("succeeded");
    await initTf();
    const base = await loadPretrained();
    const table = loadDataset("region785");
    const direct = forecastRegion(base.model, base.manifest.config, table, "Region 4", 500);
    expect(body.result.quantiles).toEqual([1, 4, 15].map((h) => Array.from(direct[h - 1])));
    expect(body.result.model.finetune).toBeNull();
    expect(body.result.asOf).toEqual({ index: 500, year: table.weeks![500].year, week: table.weeks![500].week });
  });

  it("a series with daily dates starts from the daily checkpoint: zero-shot, it is that network called directly", async () => {
    const lines = ["date,a"];
    for (let t = 0; t < 150; t++) lines.push(`${new Date(Date.UTC(2022, 2, 1 + t)).toISOString().slice(0, 10)},${Math.round(300 + 150 * Math.sin(t / 9)) + (t % 7 === 5 ? -60 : 0)}`);
    const csv = lines.join("\n") + "\n";
    const id = await submit({ dataset: { csv }, region: "a", method: "transformer", horizons: [1, 7, 14], finetune: { epochs: 0 } });
    const body = await finished(id);
    expect(body.status, JSON.stringify(body.error)).toBe("succeeded");
    expect(ForecastSchema.parse(body).result!.model!.checkpoint.frequency).toBe("daily");
    await initTf();
    const daily = await loadPretrained("daily");
    expect(body.result.model.checkpoint.weightsSha256).toBe(daily.manifest.weightsSha256);
    const direct = forecastRegion(daily.model, daily.manifest.config, parseSeriesCsv(csv, "daily.csv"), "a");
    expect(body.result.quantiles).toEqual([1, 7, 14].map((h) => Array.from(direct[h - 1])));
    // Weekly data keep the weekly checkpoint.
    const weekly = await finished(await submit({ dataset: "region785", region: "Region 4", method: "transformer", asOf: 500, horizons: [1], finetune: { epochs: 0 } }));
    expect(weekly.result.model.checkpoint.frequency).toBe("weekly");
  });

  it("shows the fine-tune's progress while it runs, and can be cancelled", async () => {
    // Eleven seasons of a smooth seasonal series: an epoch takes about a second, and early stopping (patience 4)
    // cannot end the job before the cancel arrives.
    let week = { year: 2015, week: 40 };
    const lines = ["year,week,north"];
    for (let i = 0; i < 600; i++) {
      lines.push(`${week.year},${week.week},${Math.round(500 + 400 * Math.max(0, Math.cos((2 * Math.PI * i) / 52)) ** 3 + 10 * Math.sin(i))}`);
      week = nextWeek(week);
    }
    const id = await submit({ dataset: { csv: lines.join("\n") + "\n" }, region: "north", method: "transformer", finetune: { epochs: 200, strategy: "full" } });
    const progress = await waitFor(async () => {
      const res = await t.http.get(`/v1/forecasts/${id}`);
      expect(["queued", "running"], "the fine-tune ended before its progress was seen").toContain(res.body.status);
      return res.body.progress?.epoch >= 1 ? (res.body.progress as Body) : undefined;
    }, 60_000, 50);
    expect(progress.epochs).toBe(200);
    expect(progress.phase).toContain("fine-tune");
    expect(Number.isFinite(progress.loss)).toBe(true);
    await t.http.delete(`/v1/forecasts/${id}`).expect(202);
    const body = await finished(id);
    expect(body.status).toBe("cancelled");
    expect(body).not.toHaveProperty("progress");
  });

  it("refuses horizons beyond 15 weeks and series too short to fine-tune (422 with the field)", async () => {
    const far = await problem({ dataset: "region785", region: "Region 1", method: "transformer", horizons: [3, 16, 20] }, "horizon-too-far", "horizons");
    expect(far.detail).toContain("16, 20");
    const csv = "year,week,a\n" + Array.from({ length: 30 }, (_, i) => `2020,${i + 1},${100 + i}`).join("\n") + "\n";
    const short = await problem({ dataset: { csv }, region: "a", method: "transformer" }, "series-too-short", "dataset");
    expect(short.detail).toContain("30 observed week");
    expect(short.detail).toContain("epochs: 0");
    // Zero-shot needs only 8 weeks.
    const id = await submit({ dataset: { csv }, region: "a", method: "transformer", finetune: { epochs: 0 }, horizons: [1, 2] });
    expect((await finished(id)).status).toBe("succeeded");
  });

  it("GET /v1/forecaster describes the network: config, provenance, backend", async () => {
    const res = await t.http.get("/v1/forecaster").expect(200);
    expect(res.body.available).toBe(true);
    expect(["tensorflow", "wasm", "cpu"]).toContain(res.body.backend);
    expect(res.body.checkpoint.kind).toBe("pretrained");
    expect(res.body.checkpoint.config.horizon).toBe(15);
    expect(res.body.checkpoint.config.levels).toHaveLength(23);
    expect(res.body.checkpoint.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    // Daily series start from the bundled daily checkpoint, described beside the weekly one.
    expect(res.body.daily.kind).toBe("pretrained");
    expect(res.body.daily.provenance.corpus.generator).toBe("spreadlab src/forecast/corpus-daily.ts");
    expect(res.body.daily.weightsSha256).not.toBe(res.body.checkpoint.weightsSha256);
  });
});
