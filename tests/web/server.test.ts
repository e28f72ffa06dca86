/** The server side of the dashboard: the built bundle at /, and the bundled scenarios at GET /v1/scenarios. */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { bundledScenarios, createApp } from "../../src/server/app.js";
import { openStore } from "../../src/store/sqlite.js";

const dir = mkdtempSync(join(tmpdir(), "spreadlab-web-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function app(webRoot: string | null) {
  const made = createApp({ store: openStore(":memory:"), options: { token: null, log: () => {} }, webRoot });
  return { ...made, http: request(made.app) };
}

describe("the dashboard at /", () => {
  it("serves the built index.html and assets under the CSP that lets the bundle run", async () => {
    writeFileSync(join(dir, "index.html"), '<!doctype html><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(dir, "app.js"), "export {};");
    const t = app(dir);
    const res = await t.http.get("/").expect(200).expect("Content-Type", /html/);
    expect(res.text).toContain("/assets/app.js");
    expect(res.headers["cache-control"]).toBe("no-cache");
    const csp = res.headers["content-security-policy"];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect((await t.http.get("/app.js").expect(200)).headers["cache-control"]).toContain("immutable");
    // The API still answers problem+json for unknown routes.
    expect((await t.http.get("/v1/nothing").expect(404)).headers["content-type"]).toMatch(/problem\+json/);
    await t.close();
  });

  it("says how to build the dashboard when it is missing", async () => {
    const t = app(null);
    const res = await t.http.get("/").expect(503);
    expect(res.text).toContain("npm run build:web");
    await t.close();
  });
});

describe("GET /v1/scenarios", () => {
  it("lists the bundled scenario files with their names, leading comments and parsed scenarios", async () => {
    const t = app(null);
    const list = (await t.http.get("/v1/scenarios").expect(200)).body as { id: string; name: string; description: string; scenario: { model: unknown } }[];
    const seir = list.find((s) => s.id === "seir-vaccination-lockdown");
    expect(seir).toBeDefined();
    expect(seir!.name).toBe("SEIR with vaccination and a lockdown window");
    expect(seir!.description).toMatch(/^SEIR with two interventions/);
    expect(seir!.scenario.model).toMatchObject({ preset: "SEIR" });
    expect(list.map((s) => s.id)).toEqual([...list.map((s) => s.id)].sort());
    await t.close();
  });

  it("skips files that are not scenarios", () => {
    const folder = mkdtempSync(join(dir, "scen-"));
    writeFileSync(join(folder, "ok.yaml"), "# A comment\nname: ok\nruns: 2\n");
    writeFileSync(join(folder, "broken.yaml"), "name: [unclosed\n");
    writeFileSync(join(folder, "list.json"), "[1, 2]");
    writeFileSync(join(folder, "notes.txt"), "name: no");
    expect(bundledScenarios(folder)).toEqual([{ id: "ok", name: "ok", description: "A comment", scenario: { name: "ok", runs: 2 } }]);
  });
});

describe("POST /v1/scenarios/{id}/network", () => {
  it("builds a preset's bundled network file and answers its row; an unknown preset is a 404", async () => {
    const t = app(null);
    const row = (await t.http.post("/v1/scenarios/discrete-sir-kite/network").expect(201)).body as { id: string; n: number; m: number };
    // The Krackhardt kite: 10 people, 18 friendships.
    expect([row.n, row.m]).toEqual([10, 18]);
    expect((await t.http.get(`/v1/networks/${row.id}`).expect(200)).body.n).toBe(10);
    const missing = await t.http.post("/v1/scenarios/no-such-file/network").expect(404);
    expect(missing.headers["content-type"]).toMatch(/problem\+json/);
    await t.close();
  });
});
