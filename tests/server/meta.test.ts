/**
 * Read-only routes (health, models, generators, the OpenAPI document), the safety headers, and the error
 * shapes every route shares: unknown routes, malformed JSON, oversize bodies, unsupported media types.
 */
import { afterAll, describe, expect, it } from "vitest";
import { MODELS } from "../../src/families/registry.js";
import { GENERATORS } from "../../src/graph/generators/index.js";
import { GeneratorInfoSchema, HealthSchema, ModelInfoSchema, ProblemSchema } from "../../src/server/schemas.js";
import { PROBLEM, makeApp, waitFor } from "./helpers.js";

const t = makeApp();
afterAll(() => t.close());

describe("read-only routes", () => {
  it("GET /v1/health: ok, version, an idle queue, the forecaster's tfjs backend once loaded", async () => {
    const res = await t.http.get("/v1/health").expect(200).expect("Content-Type", /json/);
    const health = HealthSchema.parse(res.body);
    expect(health.status).toBe("ok");
    expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(health.queue).toEqual({ queued: 0, running: 0 });
    // The backend and checkpoint load in the background: null at first, then the backend's name (wasm here:
    // tfjs-node cannot install on these machines).
    expect(health.tfBackend === null || ["tensorflow", "wasm", "cpu"].includes(health.tfBackend)).toBe(true);
    const loaded = await waitFor(async () => (await t.http.get("/v1/health")).body.tfBackend ?? undefined, 30_000);
    expect(["tensorflow", "wasm", "cpu"]).toContain(loaded);
    expect(health.uptimeS).toBeGreaterThanOrEqual(0);
    expect(health.limits.maxNodes).toBe(200_000);
  });

  it("GET /v1/models: the registry without its functions", async () => {
    const res = await t.http.get("/v1/models").expect(200);
    const models = ModelInfoSchema.array().parse(res.body);
    expect(models.map((m) => m.id)).toEqual(MODELS.map((m) => m.id));
    const sir = res.body.find((m: { id: string }) => m.id === "SIR");
    expect(sir.compartments).toEqual(["S", "I", "R"]);
    expect(sir.parameters.map((p: { name: string }) => p.name)).toEqual(["beta", "gamma"]);
    expect(sir).not.toHaveProperty("run");
    expect(sir).not.toHaveProperty("spec");
  });

  it("GET /v1/generators: every generator with its parameters", async () => {
    const res = await t.http.get("/v1/generators").expect(200);
    expect(GeneratorInfoSchema.array().parse(res.body).map((g) => g.id)).toEqual(GENERATORS.map((g) => g.id));
  });
});

describe("GET /v1/openapi.json", () => {
  const routes: [string, string][] = [
    ["get", "/v1/health"],
    ["get", "/v1/openapi.json"],
    ["get", "/v1/models"],
    ["get", "/v1/generators"],
    ["get", "/v1/datasets"],
    ["get", "/v1/scenarios"],
    ["post", "/v1/scenarios/{id}/network"],
    ["get", "/v1/forecaster"],
    ["post", "/v1/networks"],
    ["get", "/v1/networks"],
    ["get", "/v1/networks/{id}"],
    ["delete", "/v1/networks/{id}"],
    ["get", "/v1/networks/{id}/graph"],
    ["post", "/v1/runs"],
    ["get", "/v1/runs"],
    ["get", "/v1/runs/{id}"],
    ["delete", "/v1/runs/{id}"],
    ["get", "/v1/runs/{id}/result"],
    ["get", "/v1/runs/{id}/nodes"],
    ["get", "/v1/runs/{id}/events"],
    ["post", "/v1/forecasts"],
    ["get", "/v1/forecasts"],
    ["get", "/v1/forecasts/{id}"],
    ["delete", "/v1/forecasts/{id}"],
    ["post", "/v1/forecasts/regional"],
    ["get", "/v1/forecasts/regional/{id}"],
    ["delete", "/v1/forecasts/regional/{id}"],
    ["get", "/v1/forecasts/regional/{id}/hub.csv"],
  ];

  it("is OpenAPI 3.1 and lists every route with its problem responses", async () => {
    const doc = (await t.http.get("/v1/openapi.json").expect(200)).body;
    expect(doc.openapi).toBe("3.1.0");
    const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(listed.sort()).toEqual(routes.map(([m, p]) => `${m} ${p}`).sort());
    for (const [method, path] of routes) {
      const op = doc.paths[path][method];
      expect(op.responses["500"].content["application/problem+json"].schema.$ref, `${method} ${path}`).toBe("#/components/schemas/Problem");
      if (method !== "get") expect(op.responses["401"], `${method} ${path}`).toBeDefined();
    }
    expect(doc.paths["/v1/runs"].post.responses["503"]).toBeDefined();
    expect(doc.paths["/v1/networks"].post.responses["413"]).toBeDefined();
  });

  it("is generated from the zod schemas: run bodies reuse the scenario schema", async () => {
    const doc = (await t.http.get("/v1/openapi.json").expect(200)).body;
    const schemas = doc.components.schemas;
    expect(JSON.stringify(schemas.RunRequest)).toContain("#/components/schemas/Scenario");
    // The scenario's fields, enums and strictness come from src/scenario/schema.ts.
    expect(schemas.Scenario.additionalProperties).toBe(false);
    expect(schemas.Scenario.properties.model.properties.type.enum).toContain("independent-cascade");
    expect(schemas.Scenario.required).toEqual(expect.arrayContaining(["network", "model", "initial"]));
    expect(schemas.Problem.properties.errors.type).toBe("array");
    expect(doc.paths["/v1/runs"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["limit", "cursor", "status"]);
  });
});

describe("safety headers", () => {
  it("helmet's CSP allows the dashboard's blob workers; no x-powered-by; no CORS", async () => {
    const res = await t.http.get("/v1/health").set("Origin", "https://elsewhere.example");
    expect(res.headers["content-security-policy"]).toContain("worker-src 'self' blob:");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("shared error shapes", () => {
  it("an unknown route is a 404 problem", async () => {
    for (const req of [t.http.get("/v1/nothing"), t.http.post("/v2/runs").send({}), t.http.get("/no-such-page")]) {
      const res = await req;
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toMatch(PROBLEM);
      const problem = ProblemSchema.parse(res.body);
      expect(problem.type).toBe("https://spreadlab.dev/problems/route-not-found");
      expect(problem.status).toBe(404);
    }
  });

  it("malformed JSON is a 400 problem", async () => {
    const res = await t.http.post("/v1/runs").set("Content-Type", "application/json").send('{"scenario": {');
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.body.type).toBe("https://spreadlab.dev/problems/malformed-json");
    expect(res.body.detail).not.toMatch(/at .*\.js/); // no stack trace
  });

  it("a body over the limit is a 413 problem", async () => {
    const big = JSON.stringify({ scenarioText: "x".repeat(1_100_000) });
    const res = await t.http.post("/v1/runs").set("Content-Type", "application/json").send(big);
    expect(res.status).toBe(413);
    expect(res.body.type).toBe("https://spreadlab.dev/problems/payload-too-large");
  });

  it("an unsupported content type is a 415 problem", async () => {
    const res = await t.http.post("/v1/runs").set("Content-Type", "text/plain").send("hello");
    expect(res.status).toBe(415);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
  });

  it("an unexpected error is a 500 problem without details, and is logged", async () => {
    const broken = makeApp();
    broken.store.listRuns = () => {
      throw new TypeError("boom: internal detail");
    };
    const res = await broken.http.get("/v1/runs");
    expect(res.status).toBe(500);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(JSON.stringify(res.body)).not.toContain("boom");
    expect(broken.logs.some((l) => l.includes("boom: internal detail"))).toBe(true);
    await broken.http.get("/v1/health").expect(200);
    await broken.close();
  });
});

describe("GET /v1/datasets", () => {
  it("lists the bundled US influenza series with their regions and provenance", async () => {
    const t = makeApp();
    const res = await t.http.get("/v1/datasets");
    expect(res.status).toBe(200);
    const ids = res.body.map((d: { id: string }) => d.id);
    expect(ids).toEqual(expect.arrayContaining(["region785", "state360"]));
    const region785 = res.body.find((d: { id: string }) => d.id === "region785");
    expect(region785.regions).toHaveLength(10);
    expect(region785.rows).toBe(785);
    expect(region785.provenance).toMatch(/ILINet/);
    await t.close();
  });
});
