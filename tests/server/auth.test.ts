/** The optional bearer token (writes only) and the rate limit on job-creating routes. */
import { afterEach, describe, expect, it } from "vitest";
import { PROBLEM, makeApp } from "./helpers.js";

const generate = { generate: { type: "path", n: 5 } };

describe("token", () => {
  const saved = process.env.SPREADLAB_TOKEN;
  afterEach(() => {
    if (saved === undefined) delete process.env.SPREADLAB_TOKEN;
    else process.env.SPREADLAB_TOKEN = saved;
  });

  it("requires Authorization: Bearer <token> for every non-GET request; GETs stay open", async () => {
    const app = makeApp({ token: "s3cret" });
    const none = await app.http.post("/v1/networks").send(generate);
    expect(none.status).toBe(401);
    expect(none.headers["content-type"]).toMatch(PROBLEM);
    expect(none.headers["www-authenticate"]).toContain("Bearer");
    expect(none.body.type).toBe("https://spreadlab.dev/problems/unauthorized");
    expect((await app.http.post("/v1/networks").set("Authorization", "Bearer wrong").send(generate)).status).toBe(401);
    expect((await app.http.post("/v1/networks").set("Authorization", "s3cret").send(generate)).status).toBe(401);
    const ok = await app.http.post("/v1/networks").set("Authorization", "Bearer s3cret").send(generate);
    expect(ok.status).toBe(201);
    await app.http.get("/v1/health").expect(200);
    await app.http.get(`/v1/networks/${ok.body.id}`).expect(200);
    expect((await app.http.delete(`/v1/networks/${ok.body.id}`)).status).toBe(401);
    await app.http.delete(`/v1/networks/${ok.body.id}`).set("Authorization", "Bearer s3cret").expect(204);
    expect((await app.http.post("/v1/runs").send({})).status).toBe(401);
    await app.close();
  });

  it("defaults to SPREADLAB_TOKEN; token: null turns the check off", async () => {
    process.env.SPREADLAB_TOKEN = "from-env";
    const fromEnv = makeApp({ token: undefined });
    expect((await fromEnv.http.post("/v1/networks").send(generate)).status).toBe(401);
    expect((await fromEnv.http.post("/v1/networks").set("Authorization", "Bearer from-env").send(generate)).status).toBe(201);
    const open = makeApp({ token: null });
    expect((await open.http.post("/v1/networks").send(generate)).status).toBe(201);
    await fromEnv.close();
    await open.close();
  });
});

describe("rate limit", () => {
  it("limits job-creating requests per client and minute; reads are not limited", async () => {
    const app = makeApp({ rateLimit: 2 });
    await app.http.post("/v1/networks").send(generate).expect(201);
    await app.http.post("/v1/runs").send({}).expect(422);
    const third = await app.http.post("/v1/networks").send(generate);
    expect(third.status).toBe(429);
    expect(third.headers["content-type"]).toMatch(PROBLEM);
    expect(third.body.type).toBe("https://spreadlab.dev/problems/rate-limited");
    expect(third.headers["retry-after"]).toBeDefined();
    for (let i = 0; i < 5; i++) await app.http.get("/v1/networks").expect(200);
    await app.close();
  });
});
