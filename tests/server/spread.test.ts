/**
 * Spread between regions through the API, as the Regions tab sends it (web/src/regions/spread.ts): the region
 * graph uploaded as graphology JSON, the metapopulation SIR posted to /v1/runs on it. With every edge closed the
 * epidemic must stay in the seeded region (no one travels); with the edges open it must reach the others. The same
 * for Fisher–KPP, the other reaction–diffusion model the tab runs.
 */
import { afterAll, describe, expect, it } from "vitest";
import { SPREAD_DEFAULTS, edgeKey, openEdges, regionOutcomes, spreadNetwork, spreadScenario, type SpreadRegion } from "../../web/src/regions/spread.js";
import { makeApp, waitForRun } from "./helpers.js";

const t = makeApp({ rateLimit: 0 });
afterAll(() => t.close());

// A path of four regions A — B — C — D, seeded in A.
const regions: SpreadRegion[] = ["A", "B", "C", "D"].map((region) => ({ region, population: 100_000 }));
const edges = [
  { source: "A", target: "B" },
  { source: "B", target: "C" },
  { source: "C", target: "D" },
];
const settings = { ...SPREAD_DEFAULTS, seedRegion: "A", mobility: 0.01, tmax: 150, record: 1 };

async function run(closed: Set<string>, scale = 1, model: "metapopulation-sir" | "fisher-kpp" = "metapopulation-sir") {
  const interventions = { closed, mobilityScale: scale };
  const net = await t.http.post("/v1/networks?format=json&name=regions").set("Content-Type", "application/json").send(spreadNetwork(regions, openEdges(edges, interventions))).expect(201);
  const posted = await t.http.post("/v1/runs").send({ scenario: spreadScenario(regions, { ...settings, model }, interventions, "spread"), networkId: net.body.id });
  expect(posted.status, JSON.stringify(posted.body)).toBe(202);
  expect((await waitForRun(t, posted.body.id)).status).toBe("succeeded");
  const result = (await t.http.get(`/v1/runs/${posted.body.id}/result`).expect(200)).body;
  return { result, outcomes: Object.fromEntries(regionOutcomes(result).map((o) => [o.region, o])) };
}

describe("spread between regions over /v1/runs", () => {
  it("with every edge closed the epidemic stays in the seeded region", async () => {
    const { outcomes } = await run(new Set(edges.map((e) => edgeKey(e.source, e.target))));
    // R₀ = β/γ = 3: the SIR final-size equation z = 1 − e^(−3z) gives z ≈ 0.940 in A.
    expect(outcomes.A.finalSize).toBeGreaterThan(0.93);
    for (const r of ["B", "C", "D"]) {
      expect(outcomes[r].finalSize).toBe(0);
      expect(Math.max(...outcomes[r].prevalence)).toBe(0);
    }
  });

  it("Fisher–KPP too: with every edge closed u stays 0 outside the seeded region, which fills to capacity", async () => {
    const { outcomes } = await run(new Set(edges.map((e) => edgeKey(e.source, e.target))), 1, "fisher-kpp");
    // Logistic growth at r = 0.2/day from u = 10⁻³ reaches 0.99 well within 150 days (t ≈ 58 days).
    expect(outcomes.A.finalSize).toBeGreaterThan(0.99);
    for (const r of ["B", "C", "D"]) expect(Math.max(...outcomes[r].prevalence)).toBe(0);
    const open = (await run(new Set(), 1, "fisher-kpp")).outcomes;
    expect(Math.max(...open.D.prevalence)).toBeGreaterThan(0);
  });

  it("with the edges open it reaches every region, peaking later the farther it is; halving mobility delays it", async () => {
    const open = (await run(new Set())).outcomes;
    for (const r of ["B", "C", "D"]) expect(open[r].finalSize).toBeGreaterThan(0.9);
    expect(open.A.peakTime).toBeLessThan(open.B.peakTime);
    expect(open.B.peakTime).toBeLessThan(open.C.peakTime);
    expect(open.C.peakTime).toBeLessThan(open.D.peakTime);
    const slow = (await run(new Set(), 0.5)).outcomes;
    expect(slow.D.peakTime).toBeGreaterThan(open.D.peakTime);
    // Deterministic: the same request gives the same numbers.
    expect((await run(new Set())).outcomes.D.prevalence).toEqual(open.D.prevalence);
  });
});
