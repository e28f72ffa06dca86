/**
 * Issue 15: property-based fuzzing of the REST API, in-process (supertest against the Express app on a memory
 * store). Bodies: mutated bundled scenarios as `{ scenario }` and as `scenarioText`, arbitrary JSON values as
 * whole bodies and as envelope fields, and arbitrary path ids and query strings. Whatever is sent, the answer
 * is never a 5xx, and every 4xx is problem+json. fast-check is seeded; a failure prints the seed.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { makeApp } from "../server/helpers.js";
import { PROTO, hostile, mutantData } from "./mutants.js";

const SEED = 15_016;
// Small limits keep accepted jobs short; no rate limit (hundreds of creating requests); a queue that never fills.
const t = makeApp({ rateLimit: 0, maxNodes: 3000, maxEdges: 30_000, maxRuns: 4, maxQueued: 10_000, maxWallMs: 5000 });
afterAll(() => t.close());

function expectHandled(res: { status: number; headers: Record<string, string>; text?: string }, what: string): void {
  expect(res.status, `${what} → ${res.status} ${res.text?.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) expect(res.headers["content-type"], what).toMatch(/application\/problem\+json/);
}

const name = fc.oneof(fc.constantFrom(...PROTO), fc.string({ maxLength: 12 }));
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 4 }), hostile);

describe("fuzzed REST requests: no 5xx, problem+json on 4xx", () => {
  it("POST /v1/runs with mutated scenarios ({ scenario } and scenarioText)", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(mutantData, fc.boolean(), async ({ data }, asText) => {
        const body = asText ? { scenarioText: stringify(data, { aliasDuplicateObjects: false }) } : { scenario: data };
        // JSON.stringify by hand: supertest would drop a "__proto__" key that JSON text can carry.
        const res = await t.http.post("/v1/runs").set("Content-Type", "application/json").send(JSON.stringify(body));
        expectHandled(res, JSON.stringify(body).slice(0, 400));
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it("POST /v1/runs, /v1/networks, /v1/forecasts with arbitrary JSON bodies and envelope fields", { timeout: 60_000 }, async () => {
    const body = fc.oneof(
      anyJson,
      fc.record({ scenario: anyJson, networkId: fc.option(anyJson) }, { requiredKeys: ["scenario"] }),
      fc.record({ scenarioText: fc.oneof(fc.string(), anyJson) }),
      fc.record({ generate: fc.oneof(anyJson, fc.record({ type: name, n: anyJson, k: anyJson, m: anyJson })), seed: anyJson }),
      fc.dictionary(name, anyJson, { maxKeys: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("/v1/runs", "/v1/networks", "/v1/forecasts"), body, async (path, value) => {
        const text = JSON.stringify(value) ?? "null";
        const res = await t.http.post(path).set("Content-Type", "application/json").send(text);
        expectHandled(res, `POST ${path} ${text.slice(0, 300)}`);
      }),
      { seed: SEED + 1, numRuns: 150 },
    );
  });

  it("GET and DELETE with arbitrary ids and query strings", { timeout: 60_000 }, async () => {
    const paths = ["/v1/runs/%s", "/v1/runs/%s/result", "/v1/runs/%s/nodes", "/v1/networks/%s", "/v1/networks/%s/graph", "/v1/forecasts/%s", "/v1/models/%s", "/v1/runs"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), name, fc.dictionary(name, fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("-1", "1e308", "NaN", "0", "-0")), { maxKeys: 3 }), fc.boolean(), async (path, id, query, del) => {
        const url = path.replace("%s", encodeURIComponent(id) || "x");
        const res = del ? await t.http.delete(url).query(query) : await t.http.get(url).query(query);
        expectHandled(res, `${del ? "DELETE" : "GET"} ${url} ${JSON.stringify(query)}`);
      }),
      { seed: SEED + 2, numRuns: 120 },
    );
  });
});
