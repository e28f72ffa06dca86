/** `/v1/networks`: generate, upload in every format, caps, paging, graph with a layout, delete. */
import { afterAll, describe, expect, it } from "vitest";
import Graph from "graphology";
import { generateGraph } from "../../src/graph/generators/index.js";
import { serializeNetwork } from "../../src/graph/io/index.js";
import { decodeGraph, encodeGraph, encodeGraphJson } from "../../src/server/codec.js";
import { NetworkPageSchema, NetworkSummarySchema, GraphDocumentSchema } from "../../src/server/schemas.js";
import { PROBLEM, makeApp } from "./helpers.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readEdgesSync } from "../../src/graph/load.js";
import { edgesToArrow } from "../../src/graph/io/arrow.js";
import { edgesToParquet } from "../../src/graph/io/parquet-write.js";

const t = makeApp();
afterAll(() => t.close());

const karate = generateGraph({ type: "karate-club" }, 0) as unknown as Graph;

describe("codec", () => {
  it("round-trips a graph through the compact form (generated edge keys become 0..m−1)", () => {
    const bytes = encodeGraph(karate);
    expect(Buffer.from(bytes.subarray(0, 4)).toString("latin1")).toBe("SLNB");
    const back = decodeGraph(bytes);
    expect(back.order).toBe(34);
    expect(back.size).toBe(78);
    const expected = karate.export();
    expect(back.export()).toEqual({ ...expected, edges: expected.edges.map((edge, e) => ({ ...edge, key: String(e) })) });
  });

  it("still decodes a network stored as graphology JSON before the compact form", () => {
    const bytes = encodeGraphJson(karate);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // gzip magic
    expect(decodeGraph(bytes).export()).toEqual(karate.export());
  });
});

describe("POST /v1/networks", () => {
  it("generates a network: 201, Location and the summary with degree statistics", async () => {
    const res = await t.http.post("/v1/networks").send({ generate: { type: "erdos-renyi", n: 200, k: 6 }, seed: 3, name: "er" });
    expect(res.status).toBe(201);
    const summary = NetworkSummarySchema.parse(res.body);
    expect(res.headers.location).toBe(`/v1/networks/${summary.id}`);
    expect(summary).toMatchObject({ name: "er", n: 200, directed: false, source: { generate: { type: "erdos-renyi", n: 200, k: 6 }, seed: 3 } });
    expect(summary.m).toBeGreaterThan(450); // k n / 2 = 600 expected
    expect(summary.m).toBeLessThan(750);
    expect(summary.stats.meanDegree).toBeCloseTo((2 * summary.m) / 200, 10);
    // Same spec and seed, same network.
    const again = await t.http.post("/v1/networks").send({ generate: { type: "erdos-renyi", n: 200, k: 6 }, seed: 3 });
    expect(again.body.m).toBe(summary.m);
  });

  it("uploads an edge list as text/csv (undirected by default, ?directed=true)", async () => {
    const csv = "source,target\na,b\nb,c\nc,a\nc,d\n";
    const res = await t.http.post("/v1/networks?name=tri").set("Content-Type", "text/csv").send(csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "tri", n: 4, m: 4, directed: false, source: { upload: "csv" } });
    const directed = await t.http.post("/v1/networks?directed=true").set("Content-Type", "text/csv").send(csv);
    expect(directed.body).toMatchObject({ n: 4, m: 4, directed: true });
  });

  it("uploads GEXF, GraphML and graphology JSON", async () => {
    const cases: [string, string][] = [
      ["application/gexf+xml", serializeNetwork(karate, "gexf")],
      ["application/graphml+xml", serializeNetwork(karate, "graphml")],
      ["application/json", serializeNetwork(karate, "json")],
    ];
    for (const [type, body] of cases) {
      const res = await t.http.post("/v1/networks").set("Content-Type", type).send(body);
      expect(res.status, type).toBe(201);
      expect(res.body, type).toMatchObject({ n: 34, m: 78 });
    }
  });

  it("uploads Arrow (Feather v2, compressed too) and Parquet edge tables: stored as the same edges as the CSV", async () => {
    const csv = "source,target,weight\n1,2,0.5\n2,3,1.5\n3,1,2\n3,40,0.25\n";
    const dir = mkdtempSync(join(tmpdir(), "spreadlab-tables-"));
    writeFileSync(join(dir, "edges.csv"), csv);
    const parsed = readEdgesSync(join(dir, "edges.csv"))!;
    rmSync(dir, { recursive: true, force: true });
    const graphOf = async (id: string) => (await t.http.get(`/v1/networks/${id}/graph`).expect(200)).body as { nodes: unknown[]; edges: unknown[] };
    const fromCsv = await t.http.post("/v1/networks").set("Content-Type", "text/csv").send(csv).expect(201);
    const uploads: [string, string, Uint8Array][] = [
      ["application/vnd.apache.arrow.file", "", edgesToArrow(parsed)],
      ["application/octet-stream", "?format=arrow", edgesToArrow(parsed)],
      ["application/vnd.apache.parquet", "", edgesToParquet(parsed)],
    ];
    for (const [type, query, bytes] of uploads) {
      const res = await t.http.post(`/v1/networks${query}`).set("Content-Type", type).send(Buffer.from(bytes));
      expect(res.status, type + query).toBe(201);
      expect(res.body).toMatchObject({ n: 4, m: 4, directed: false, stats: fromCsv.body.stats });
      expect(await graphOf(res.body.id), type + query).toEqual(await graphOf(fromCsv.body.id));
    }
    // pyarrow's default Feather: LZ4-compressed buffers (the fixture of tests/graph/feather-compression.test.ts).
    const lz4 = readFileSync(fileURLToPath(new URL("../graph/fixtures/edges-lz4.feather", import.meta.url)));
    const res = await t.http.post("/v1/networks?name=edges.feather").set("Content-Type", "application/vnd.apache.arrow.file").send(lz4);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "edges.feather", n: 10_003, m: 20_000, source: { upload: "arrow" } });
  });

  it("refuses a malformed Arrow or Parquet body with 422 naming the upload, not the temporary file", async () => {
    for (const [type, body] of [
      ["application/vnd.apache.arrow.file", Buffer.from("ARROW1\0\0not really")],
      ["application/vnd.apache.parquet", Buffer.from("PAR1 truncated")],
    ] as const) {
      const res = await t.http.post("/v1/networks").set("Content-Type", type).send(body);
      expect(res.status, type).toBe(422);
      expect(res.headers["content-type"]).toMatch(PROBLEM);
      expect(res.body.type).toBe("https://spreadlab.dev/problems/graph-format-invalid");
      expect(JSON.stringify(res.body), type).not.toMatch(/spreadlab-upload|\/tmp\//);
    }
  });

  it("takes the format from ?format= whatever the Content-Type", async () => {
    const res = await t.http.post("/v1/networks?format=tsv").set("Content-Type", "application/octet-stream").send("1\t2\n2\t3\n");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ n: 3, m: 2, source: { upload: "tsv" } });
  });

  it("refuses malformed files with 422 and the line", async () => {
    const res = await t.http.post("/v1/networks").set("Content-Type", "text/csv").send("source,target,weight\na,b,1\nb,c,heavy\n");
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.body.type).toBe("https://spreadlab.dev/problems/graph-format-invalid");
    expect(res.body.errors[0].line).toBe(3);
    const xml = await t.http.post("/v1/networks").set("Content-Type", "application/gexf+xml").send("<gexf><graph><nodes>");
    expect(xml.status).toBe(422);
  });

  it("validates generator requests with field paths and suggestions", async () => {
    const unknownType = await t.http.post("/v1/networks").send({ generate: { type: "erdos-renyl", n: 10 } });
    expect(unknownType.status).toBe(422);
    expect(unknownType.body.errors[0].path).toBe("generate.type");
    const unknownParam = await t.http.post("/v1/networks").send({ generate: { type: "barabasi-albert", n: 50, mm: 2 } });
    expect(unknownParam.status).toBe(422);
    expect(unknownParam.body.errors[0]).toMatchObject({ path: "generate.mm" });
    expect(unknownParam.body.errors[0].message).toMatch(/did you mean "m"/i);
    const badValue = await t.http.post("/v1/networks").send({ generate: { type: "barabasi-albert", n: 50, m: 60 } });
    expect(badValue.status).toBe(422);
    expect(badValue.body.type).toBe("https://spreadlab.dev/problems/generator-invalid");
    const wrongType = await t.http.post("/v1/networks").send({ generate: { type: "star" }, seed: "one" });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.errors[0].path).toBe("seed");
  });

  it("caps nodes and edges before generating, and after parsing", async () => {
    const hugeComplete = await t.http.post("/v1/networks").send({ generate: { type: "complete", n: 100_000 } });
    expect(hugeComplete.status).toBe(422);
    expect(hugeComplete.body.type).toBe("https://spreadlab.dev/problems/network-too-large");
    const small = makeApp({ maxNodes: 100, maxEdges: 150, uploadLimit: 2000 });
    const tooManyNodes = await small.http.post("/v1/networks").send({ generate: { type: "path", n: 101 } });
    expect(tooManyNodes.status).toBe(422);
    expect(tooManyNodes.body.errors[0].path).toBe("generate");
    // The complete graph on 18 nodes: 153 edges.
    const lines = Array.from({ length: 18 }, (_, i) => Array.from({ length: 18 - i - 1 }, (_, j) => `${i},${i + j + 1}`)).flat().join("\n");
    const tooManyEdges = await small.http.post("/v1/networks").set("Content-Type", "text/csv").send(lines);
    expect(tooManyEdges.status).toBe(422);
    expect(tooManyEdges.body.detail).toContain("edges");
    const tooBig = await small.http.post("/v1/networks").set("Content-Type", "text/csv").send("a,b\n".repeat(1000));
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers["content-type"]).toMatch(PROBLEM);
    await small.close();
  });

  it("answers 415 for a content type it does not read, and 400 for malformed JSON", async () => {
    const res = await t.http.post("/v1/networks").set("Content-Type", "image/png").send(Buffer.from([1, 2, 3]));
    expect(res.status).toBe(415);
    const bad = await t.http.post("/v1/networks").set("Content-Type", "application/json").send("{ generate:");
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe("https://spreadlab.dev/problems/malformed-json");
  });
});

describe("reading and deleting networks", () => {
  it("lists networks newest first, a page at a time", async () => {
    const app = makeApp();
    const ids: string[] = [];
    for (const n of [5, 6, 7]) ids.push((await app.http.post("/v1/networks").send({ generate: { type: "path", n } }).expect(201)).body.id);
    const first = NetworkPageSchema.parse((await app.http.get("/v1/networks?limit=2").expect(200)).body);
    expect(first.total).toBe(3);
    expect(first.items.map((x) => x.id)).toEqual([ids[2], ids[1]]);
    expect(first.next).not.toBeNull();
    const second = (await app.http.get(`/v1/networks?limit=2&cursor=${first.next}`).expect(200)).body;
    expect(second.items.map((x: { id: string }) => x.id)).toEqual([ids[0]]);
    expect(second.next).toBeNull();
    const badLimit = await app.http.get("/v1/networks?limit=0");
    expect(badLimit.status).toBe(422);
    expect(badLimit.body.errors[0].path).toBe("query.limit");
    expect((await app.http.get("/v1/networks?cursor=%%%")).status).toBe(400);
    await app.close();
  });

  it("GET /v1/networks/{id} and /graph: the summary, and graphology JSON with a deterministic layout", async () => {
    const created = (await t.http.post("/v1/networks").send({ generate: { type: "karate-club" } }).expect(201)).body;
    const summary = (await t.http.get(`/v1/networks/${created.id}`).expect(200)).body;
    expect(summary).toEqual(created);
    const graph = GraphDocumentSchema.parse((await t.http.get(`/v1/networks/${created.id}/graph`).expect(200)).body);
    expect(graph.nodes).toHaveLength(34);
    expect(graph.edges).toHaveLength(78);
    for (const node of graph.nodes) expect(Number.isFinite(node.attributes.x) && Number.isFinite(node.attributes.y)).toBe(true);
    const again = (await t.http.get(`/v1/networks/${created.id}/graph`)).body;
    expect(again.nodes).toEqual(graph.nodes);
    expect(Graph.from(graph as never).order).toBe(34);
  });

  it("DELETE /v1/networks/{id}: 204, then 404 everywhere", async () => {
    const created = (await t.http.post("/v1/networks").send({ generate: { type: "petersen" } }).expect(201)).body;
    await t.http.delete(`/v1/networks/${created.id}`).expect(204);
    for (const path of [`/v1/networks/${created.id}`, `/v1/networks/${created.id}/graph`]) {
      const res = await t.http.get(path);
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toMatch(PROBLEM);
      expect(res.body.type).toBe("https://spreadlab.dev/problems/not-found");
    }
    expect((await t.http.delete(`/v1/networks/${created.id}`)).status).toBe(404);
  });
});
