/**
 * `POST /v1/forecasts` with `method: "auto"` (the default; src/server/forecast-auto.ts): the method chosen on
 * validation rows of the region's history up to asOf, served, and reported with every candidate's validation
 * WIS; no look-ahead (every row after asOf poisoned: the same selection and the same quantiles); the hub
 * baseline, with the reason, where no selection can be made. On an uploaded seasonal series with the bundled
 * checkpoint and one epoch per phase.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearSelectionCache } from "../../src/forecast/transformer/select.js";
import { ForecastSchema } from "../../src/server/schemas.js";
import { makeApp, waitFor } from "./helpers.js";
import { seasonalValues, tableCsv, weeksFrom } from "../forecast/transformer/helpers.js";
import type { SeriesTable } from "../../src/forecast/series-csv.js";

const t = makeApp({ rateLimit: 0 });
afterAll(() => t.close());

type Body = Record<string, any>;

async function run(body: Body): Promise<Body> {
  const res = await t.http.post("/v1/forecasts").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const done = await waitFor(async () => {
    const r = await t.http.get(`/v1/forecasts/${res.body.id}`);
    return ["succeeded", "failed", "cancelled"].includes(r.body.status) ? (r.body as Body) : undefined;
  }, 240_000);
  expect(done.status, JSON.stringify(done.error)).toBe("succeeded");
  return done;
}

const ROWS = 180;
const AS_OF = 149;
function csv(poison: boolean): string {
  const values = seasonalValues(ROWS, 2);
  if (poison) for (let r = AS_OF + 1; r < ROWS; r++) values[r] = 5e6 + r;
  const table: SeriesTable = { file: "s.csv", regions: ["a"], rows: ROWS, weeks: weeksFrom({ year: 2012, week: 40 }, ROWS), values: [values] };
  return tableCsv(table);
}
const request = (poison: boolean): Body => ({ dataset: { csv: csv(poison) }, region: "a", asOf: AS_OF, horizons: [1, 3, 6], finetune: { epochs: 1, strategy: "head" }, samples: 200, seed: 1 });

beforeAll(async () => {
  await waitFor(async () => (await t.http.get("/v1/health")).body.tfBackend ?? undefined, 60_000);
});

describe("method auto", () => {
  it("is the default; serves the method with the lowest validation WIS on rows up to asOf and says why; poisoning every later row changes nothing", { timeout: 600_000 }, async () => {
    clearSelectionCache();
    const clean = await run(request(false));
    expect(clean.spec.method).toBe("auto");
    const r = ForecastSchema.parse(clean).result!;
    expect(r.method).toBe("auto");
    const s = r.selection!;
    expect(Object.keys(s.validationWis).sort()).toEqual(["ensemble", "hub-baseline", "transformer", "transformer-scratch", "transformer-zero-shot"]);
    expect(s.validationWis[s.method]).toBe(Math.min(...Object.values(s.validationWis)));
    expect(s.rows).toEqual({ origin: AS_OF, trainEnd: 75, validEnd: 105 });
    expect(s.horizons).toEqual([1, 3, 6]);
    expect(s.reason).toMatch(/validation rows \[75, 105\)/);
    expect(s.cached).toBe(false);
    expect(r.quantiles).toHaveLength(3);
    for (const row of r.quantiles) for (let i = 1; i < 23; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]);
    if (s.method.startsWith("transformer")) expect(r.model).toBeDefined();
    // The intervals' spreads per horizon, from the same validation rows (1 = unchanged), and the median is the method's.
    expect(s.spreads).toHaveLength(3);
    for (const c of s.spreads) expect(c === 1 || (c >= 0.5 && c <= 2)).toBe(true);
    r.quantiles.forEach((row: number[], i: number) => expect(r.median[i]).toBe(row[11]));

    // No look-ahead: the same request on the series with every row after asOf poisoned, computed afresh.
    clearSelectionCache();
    const dirty = (await run(request(true))).result;
    expect(dirty.selection).toEqual(r.selection);
    expect(dirty.quantiles).toEqual(r.quantiles);
    // And again, from the cache (keyed by the rows up to asOf).
    const cached = (await run(request(false))).result;
    expect(cached.selection.cached).toBe(true);
    expect(cached.quantiles).toEqual(r.quantiles);
  });

  it("serves the hub baseline, and says why, where no selection can be made", { timeout: 120_000 }, async () => {
    const beyond = (await run({ dataset: "region785", region: "Region 1", horizons: [20], samples: 200 })).result;
    expect(beyond.selection).toMatchObject({ method: "hub-baseline", validationWis: {}, spreads: [1] });
    expect(beyond.selection.reason).toMatch(/horizon 20 is beyond the transformer's 15 weeks/);
    const baseline = (await run({ dataset: "region785", region: "Region 1", horizons: [20], samples: 200, method: "baseline" })).result;
    expect(beyond.quantiles).toEqual(baseline.quantiles);
    const short = (await run({ dataset: "region785", region: "Region 1", asOf: 40, horizons: [1, 2], samples: 200 })).result;
    expect(short.selection.method).toBe("hub-baseline");
    expect(short.selection.reason).toMatch(/no selection: .*too short/);
  });
});
