/**
 * Heavy but legal requests must not stall the server (issue 15, item 3): while each of them runs, a client
 * polls GET /v1/health, and at least 3 answers must arrive before the heavy request completes, with a small
 * median. When the work ran on the event loop, no health answer arrived until it was done (5.9 s for the
 * complete graph on 600 nodes). The sizes here are the quick ones (seconds each); the issue's full sizes and
 * the strict 100 ms target are in bench/server-responsive.bench.ts.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetworkTasks } from "../../src/server/network-tasks.js";
import { makeApp, type TestApp } from "./helpers.js";

const PROBLEM = /^application\/problem\+json/;
/**
 * The median health latency allowed while heavy work runs. An idle loop answers in 1–3 ms; here the worker
 * thread and other test files share 2 cores with the main thread, whose share of CPU (and GC pauses) sets the
 * latency. 250 ms is generous for that and still 20× under the stall it replaces.
 */
const P50_BOUND_MS = 250;

let t: TestApp;
let server: Server;
let base: string;

beforeAll(async () => {
  t = makeApp({ rateLimit: 0 });
  server = t.app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

interface Polled<T> {
  result: T;
  /** Health latencies (ms) of the answers that arrived before the heavy request completed. */
  before: number[];
}

/**
 * GET /v1/health on a connection of its own: a kept-alive connection can be closed by the server just as the
 * client reuses it (ECONNRESET), which would say nothing about the event loop.
 */
function health(): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/v1/health`, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Run `heavy` while polling /v1/health one request at a time (10 ms apart). */
async function whilePolling<T>(heavy: () => Promise<T>): Promise<Polled<T>> {
  const answers: { latency: number; at: number }[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const t0 = performance.now();
      const res = await health();
      expect(res.status).toBe(200);
      answers.push({ latency: performance.now() - t0, at: performance.now() });
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  // Let the poller make its first request on an idle server before the heavy one starts.
  await new Promise((r) => setTimeout(r, 30));
  const result = await heavy();
  const finished = performance.now();
  done = true;
  await poller;
  return { result, before: answers.filter((a) => a.at < finished).map((a) => a.latency) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function expectResponsive(before: number[]): void {
  // ≥ 3 answers: at least two beyond the one made before the heavy request started.
  expect(before.length).toBeGreaterThanOrEqual(3);
  expect(median(before)).toBeLessThan(P50_BOUND_MS);
}

async function post(path: string, body: string | Uint8Array, type: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${base}${path}`, { method: "POST", body, headers: { "Content-Type": type, ...headers } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

/** A raw GET (no automatic decompression) with the given Accept-Encoding. */
function rawGet(path: string, acceptEncoding: string | null): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers: acceptEncoding === null ? {} : { "Accept-Encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

let baId = "";

describe("the server answers /v1/health while heavy requests run", () => {
  it("POST /v1/networks: a complete graph on 400 nodes (79,800 edges)", async () => {
    const { result, before } = await whilePolling(() => post("/v1/networks", JSON.stringify({ generate: { type: "complete", n: 400 } }), "application/json"));
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ n: 400, m: 79_800 });
    expectResponsive(before);
  });

  it("POST /v1/networks: Barabási–Albert n = 10⁴, m = 10", async () => {
    const { result, before } = await whilePolling(() => post("/v1/networks", JSON.stringify({ generate: { type: "barabasi-albert", n: 10_000, m: 10 }, seed: 3 }), "application/json"));
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ n: 10_000 });
    baId = result.body.id as string;
    expectResponsive(before);
  });

  it("POST /v1/networks: a 2 MB CSV upload", async () => {
    const lines: string[] = ["source,target"];
    // Distinct edges, no loops: block b of 30,000 lines joins node j to node j + 1 + b (mod 30,000).
    for (let i = 0; lines.length < 160_000; i++) lines.push(`n${i % 30_000},n${((i % 30_000) + 1 + Math.floor(i / 30_000)) % 30_000}`);
    const csv = lines.join("\n");
    expect(csv.length).toBeGreaterThan(2_000_000);
    const { result, before } = await whilePolling(() => post("/v1/networks?name=big", csv, "text/csv"));
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ name: "big", n: 30_000 });
    expectResponsive(before);
  });

  it("GET /v1/networks/{id}/graph of the BA network (gzip and identity give the same graph)", async () => {
    expect(baId).not.toBe("");
    const { result: gzipped, before } = await whilePolling(() => rawGet(`/v1/networks/${baId}/graph`, "gzip, deflate"));
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expectResponsive(before);
    const plain = await rawGet(`/v1/networks/${baId}/graph`, null);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers["content-type"]).toMatch(/^application\/json/);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    const graph = JSON.parse(plain.body.toString("utf8")) as { nodes: { attributes: { x: number; y: number } }[]; edges: unknown[] };
    expect(graph.nodes).toHaveLength(10_000);
    expect(Number.isFinite(graph.nodes[123].attributes.x)).toBe(true);
    const identity = await rawGet(`/v1/networks/${baId}/graph`, "identity");
    expect(identity.headers["content-encoding"]).toBeUndefined();
    expect(identity.body.equals(plain.body)).toBe(true);
  });

  it("POST /v1/runs listing 40,000 seed ids (the issue\'s 120,000 are in the bench) (202 once parsed and validated)", async () => {
    const scenario = {
      seed: 1,
      network: { generate: { type: "erdos-renyi", n: 150_000, k: 4 } },
      model: { preset: "SIR", params: { beta: 0.3, gamma: 1 } },
      time: { mode: "continuous", tmax: 5, record: 1 },
      initial: { I: { nodes: Array.from({ length: 40_000 }, (_, i) => i) } },
      runs: 1,
    };
    const { result, before } = await whilePolling(() => post("/v1/runs", JSON.stringify({ scenario }), "application/json"));
    expect(result.status, JSON.stringify(result.body).slice(0, 300)).toBe(202);
    // The job itself is not the point here: cancel it before it builds its network.
    await fetch(`${base}/v1/runs/${result.body.id as string}`, { method: "DELETE" });
    expectResponsive(before);
    const row = (await (await fetch(`${base}/v1/runs/${result.body.id as string}`)).json()) as { spec: { initial: { I: { nodes: number[] } } } };
    expect(row.spec.initial.I.nodes).toHaveLength(40_000);
  });
});

describe("uploads, and errors from the pool", () => {
  it("an upload over the cap is 413, also when it is declared small by a gzip encoding", async () => {
    const small = makeApp({ uploadLimit: 50_000 });
    const s = small.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => s.once("listening", resolve));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1/networks`;
    try {
      const csv = "a,b\n".repeat(20_000); // 80,000 bytes
      const over = await fetch(url, { method: "POST", body: csv, headers: { "Content-Type": "text/csv" } });
      expect(over.status).toBe(413);
      expect(over.headers.get("content-type")).toMatch(PROBLEM);
      expect(((await over.json()) as { type: string }).type).toBe("https://spreadlab.dev/problems/payload-too-large");
      // 1 MB of zeros gzips to about 1 kB: the cap counts decoded bytes.
      const bomb = gzipSync(Buffer.alloc(1_000_000, 0x30));
      expect(bomb.length).toBeLessThan(50_000);
      const inflated = await fetch(url, { method: "POST", body: bomb, headers: { "Content-Type": "text/csv", "Content-Encoding": "gzip" } });
      expect(inflated.status).toBe(413);
      // Under the cap, a gzip-encoded upload is read.
      const ok = await fetch(url, { method: "POST", body: gzipSync("a,b\nb,c\n"), headers: { "Content-Type": "text/csv", "Content-Encoding": "gzip" } });
      expect(ok.status).toBe(201);
      expect(await ok.json()).toMatchObject({ n: 3, m: 2 });
      const unknown = await fetch(url, { method: "POST", body: "a,b\n", headers: { "Content-Type": "text/csv", "Content-Encoding": "compress" } });
      expect(unknown.status).toBe(415);
    } finally {
      await new Promise((resolve) => s.close(resolve));
      await small.close();
    }
  });

  it("errors raised in the worker keep their names: 4xx problem+json with paths and lines", async () => {
    const csv = "source,target,weight\n" + Array.from({ length: 10_000 }, (_, i) => `n${i},n${i + 1},1\n`).join("") + "b,c,heavy\n";
    const format = await post("/v1/networks", csv, "text/csv");
    expect(format.status).toBe(422);
    expect(format.headers.get("content-type")).toMatch(PROBLEM);
    expect(format.body.type).toBe("https://spreadlab.dev/problems/graph-format-invalid");
    expect((format.body.errors as { line: number }[])[0].line).toBe(10_002);
    // Large enough (expected n + m over 5,000) to be built in the pool.
    const generator = await post("/v1/networks", JSON.stringify({ generate: { type: "watts-strogatz", n: 10_000, k: 7 } }), "application/json");
    expect(generator.status).toBe(422);
    expect(generator.body.type).toBe("https://spreadlab.dev/problems/generator-invalid");
    expect(generator.body.detail).toMatch(/k must be even/);

    // A YAML body over the in-thread size is validated in the pool: issues keep their lines.
    const padding = Array.from({ length: 600 }, (_, i) => `# padding line ${i} to make this body larger than 8 KiB`).join("\n");
    const yaml = `${padding}\nnetwork: { generate: { type: erdos-renyi, n: 100, k: 4 } }\nmodel: { preset: SIR, params: { beta: 0.3, gama: 1 } }\nruns: 2\n`;
    expect(yaml.length).toBeGreaterThan(8 * 1024);
    const invalid = await post("/v1/runs", yaml, "application/yaml");
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("content-type")).toMatch(PROBLEM);
    expect(invalid.body.type).toBe("https://spreadlab.dev/problems/scenario-invalid");
    const issue = (invalid.body.errors as { path: string; line?: number }[]).find((e) => e.path.includes("gama"));
    expect(issue?.line).toBe(602);
    // An unknown stored network is still the first complaint, before the scenario's own.
    const missing = await post("/v1/runs?networkId=nope", yaml, "application/yaml");
    expect(missing.status).toBe(422);
    expect((missing.body.errors as { path: string }[])[0].path).toBe("networkId");
    // Malformed large JSON: 400, as body-parser answered.
    const malformed = await post("/v1/runs", `{"scenario": {"x": "${"y".repeat(10_000)}"`, "application/json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe("https://spreadlab.dev/problems/malformed-json");
  });

  it("pool threads exit when idle, returning their memory", async () => {
    const tasks = new NetworkTasks({ idleTimeoutMs: 200 });
    try {
      expect(tasks.offThread).toBe(true); // the compiled worker exists (tests/setup/build.ts)
      expect(tasks.threads).toBe(0);
      const result = await tasks.run({ kind: "generate", generate: { type: "complete", n: 200 }, seed: 0, limits: { maxNodes: 1000, maxEdges: 100_000 } });
      expect("built" in result && result.built.m).toBe(19_900);
      expect(tasks.threads).toBeGreaterThanOrEqual(1);
      const until = Date.now() + 5000;
      while (tasks.threads > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(tasks.threads).toBe(0);
    } finally {
      await tasks.close();
    }
  });
});
