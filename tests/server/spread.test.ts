/**
 * Spread between regions through the API, as the Regions tab sends it (web/src/regions/spread.ts): the region
 * graph uploaded as graphology JSON, the metapopulation SIR posted to /v1/runs on it. With every edge closed the
 * epidemic must stay in the seeded region (no one travels); with the edges open it must reach the others. The same
 * for Fisher–KPP, the other reaction–diffusion model the tab runs.
 */
import { afterAll, describe, expect, it } from "vitest";
import { SPREAD_DEFAULTS, edgeKey, mobilityWeights, openEdges, regionOutcomes, spreadNetwork, spreadScenario, type SpreadRegion } from "../../web/src/regions/spread.js";
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

  it("per-edge weights set per-edge rates: two weighted patches follow the exact two-patch solution, scaled by the what-if", async () => {
    // Two separate pairs A(150k) — B(50k), weight 3, and C(150k) — D(50k), weight 1: relative weights 1.5 and 0.5
    // (mean 2). S, I and R travel at the same rate and the reaction keeps N = S + I + R of a region, so
    // dN_A/dt = −m·s·w̃·(N_A − N_B) exactly, whence N_A − N_B = 10⁵·exp(−2·m·s·w̃·t) and N_A + N_B is constant.
    const pops: SpreadRegion[] = [
      { region: "A", population: 150_000 },
      { region: "B", population: 50_000 },
      { region: "C", population: 150_000 },
      { region: "D", population: 50_000 },
    ];
    const weighted = mobilityWeights([
      { source: "A", target: "B", weight: 3 },
      { source: "C", target: "D", weight: 1 },
    ]);
    expect(weighted.map((e) => e.weight)).toEqual([1.5, 0.5]);
    const m = 0.01;
    for (const scale of [1, 0.5]) {
      const interventions = { closed: new Set<string>(), mobilityScale: scale };
      const net = await t.http.post("/v1/networks?format=json&name=weighted").set("Content-Type", "application/json").send(spreadNetwork(pops, openEdges(weighted, interventions))).expect(201);
      const posted = await t.http.post("/v1/runs").send({ scenario: spreadScenario(pops, { ...settings, mobility: m, tmax: 100, record: 5 }, interventions, "weighted"), networkId: net.body.id });
      expect(posted.status, JSON.stringify(posted.body)).toBe(202);
      expect((await waitForRun(t, posted.body.id)).status).toBe("succeeded");
      const result = (await t.http.get(`/v1/runs/${posted.body.id}/result`).expect(200)).body;
      const f = result.field as { nodeIds: string[]; S: number[][]; I: number[][]; R: number[][] };
      const N = (k: number, region: string) => {
        const i = f.nodeIds.indexOf(region);
        return f.S[k][i] + f.I[k][i] + f.R[k][i];
      };
      let worst = 0;
      result.times.forEach((time: number, k: number) => {
        for (const [a, b, w] of [["A", "B", 1.5], ["C", "D", 0.5]] as const) {
          const exact = 1e5 * Math.exp(-2 * m * scale * w * time);
          worst = Math.max(worst, Math.abs(N(k, a) - N(k, b) - exact));
          // Conservation within each pair (no edge between the pairs).
          expect(Math.abs(N(k, a) + N(k, b) - 200_000)).toBeLessThan(1e-6 * 200_000);
        }
      });
      // Dormand–Prince at rtol 1e-6: the global error stays within ~10² local tolerances of the largest count.
      expect(worst).toBeLessThan(1e-4 * 150_000);
      // The epidemic, seeded in A, reaches B but never C or D.
      expect(Math.max(...f.I.map((row) => row[f.nodeIds.indexOf("B")]))).toBeGreaterThan(0);
      expect(Math.max(...f.I.map((row) => row[f.nodeIds.indexOf("C")]))).toBe(0);
    }
  });

  it("the heat preset as the card sends it: two weighted patches follow u_A = ½(1 + e^(−2·D·w̃·t)), the amount is conserved", async () => {
    // Pure diffusion of one unit placed in A: on the pair A — B (relative weight 1.5) du_A/dt = −D·w̃·(u_A − u_B) with
    // u_A + u_B = 1, so u_A − u_B = e^(−2·D·w̃·t); the pair C — D (0.5) stays at 0. D = mobility × factor.
    const pops: SpreadRegion[] = ["A", "B", "C", "D"].map((region) => ({ region, population: 1000 }));
    const weighted = mobilityWeights([
      { source: "A", target: "B", weight: 3 },
      { source: "C", target: "D", weight: 1 },
    ]);
    const interventions = { closed: new Set<string>(), mobilityScale: 0.5 };
    const D = 0.04 * 0.5;
    const net = await t.http.post("/v1/networks?format=json&name=heat").set("Content-Type", "application/json").send(spreadNetwork(pops, openEdges(weighted, interventions))).expect(201);
    const posted = await t.http.post("/v1/runs").send({ scenario: spreadScenario(pops, { ...settings, model: "heat", mobility: 0.04, tmax: 60, record: 5 }, interventions, "heat"), networkId: net.body.id });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    expect((await waitForRun(t, posted.body.id)).status).toBe("succeeded");
    const result = (await t.http.get(`/v1/runs/${posted.body.id}/result`).expect(200)).body;
    const outcomes = Object.fromEntries(regionOutcomes(result, "heat").map((o) => [o.region, o]));
    result.times.forEach((time: number, k: number) => {
      const exact = 0.5 * (1 + Math.exp(-2 * D * 1.5 * time));
      // Dormand–Prince at rtol 1e-6 on values ≤ 1: a global error within ~10² local tolerances.
      expect(Math.abs(outcomes.A.prevalence[k] - exact)).toBeLessThan(1e-4);
      expect(Math.abs(outcomes.B.prevalence[k] - (1 - exact))).toBeLessThan(1e-4);
      expect(Math.abs(outcomes.A.prevalence[k] + outcomes.B.prevalence[k] - 1)).toBeLessThan(1e-9);
      expect(outcomes.C.prevalence[k]).toBe(0);
    });
    // A's largest u is at day 0 (it only loses); B's is at the end (it only gains).
    expect(outcomes.A.peakTime).toBe(0);
    expect(outcomes.B.peakTime).toBe(60);
  });
});
