/**
 * The compact stored form of a network (server/network-blob.ts): it gives back the graph it was written from
 * (`graph.export()`, edge keys "0".."m−1" where they were unnamed), it decodes straight to the CSR `compile`
 * builds of that graph (same arrays, same errors), networks stored before it as graphology JSON still decode,
 * and a run on a network stored either way gives the same result, number for number.
 */
import Graph from "graphology";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CSR } from "../../src/graph/csr.js";
import { generateGraph } from "../../src/graph/generators/index.js";
import { parseNetwork } from "../../src/graph/io/index.js";
import { degreeStats } from "../../src/graph/stats.js";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { decodeCompactCSR, decodeGraph, decodeSerialized, encodeGraph, encodeGraphJson, isCompact } from "../../src/server/codec.js";
import { decodeStored } from "../../src/server/network-build.js";
import { pathSpec, withoutElapsed } from "../helpers/paths.js";
import { makeApp, sirScenario, waitForRun } from "./helpers.js";

/** The export with edge keys renumbered "0".."m−1" (what the compact form gives for unnamed keys). */
function renumbered(graph: Graph): ReturnType<Graph["export"]> {
  const data = graph.export();
  return { ...data, edges: data.edges.map((edge, e) => ({ ...edge, key: String(e) })) };
}

function arrays(csr: CSR) {
  return { n: csr.n, m: csr.m, directed: csr.directed, offsets: csr.offsets, targets: csr.targets, weights: csr.weights, nodeIds: csr.nodeIds, arcData: csr.arcData };
}

/** A mixed multigraph with named keys, attributes of every kind, self-loops, a missing and a Float64 weight. */
function mixedGraph(): Graph {
  const g = new Graph({ type: "mixed", multi: true });
  g.setAttribute("title", "mixed");
  g.addNode("a", { label: "A", x: 1, y: 2 });
  g.addNode("b");
  g.addNode("ç", { tags: ["x"], nested: { k: null } });
  g.addNode("7");
  g.addDirectedEdgeWithKey("e1", "a", "b", { weight: 0.1, school: true });
  g.addUndirectedEdgeWithKey("e2", "b", "ç", { weight: 2, school: 3 });
  g.addDirectedEdgeWithKey("e3", "a", "b", { color: "red" }); // parallel, no weight
  g.addUndirectedEdgeWithKey("e4", "7", "7", { weight: 5 }); // self-loop
  g.addUndirectedEdgeWithKey("e5", "7", "a", { weight: 0.25, school: false });
  return g;
}

const karate = generateGraph({ type: "karate-club" }, 0) as unknown as Graph;
const ba = generateGraph({ type: "barabasi-albert", n: 500, m: 3 }, 4) as unknown as Graph;
const weightedCsv = parseNetwork("source,target,weight\nx,y,0.5\ny,z,0.30000000000000004\nz,x,1e-7\nq,q,2\n", "csv");
const directedJson = parseNetwork(
  JSON.stringify({ options: { type: "directed" }, nodes: [{ key: 3 }, { key: 1 }, { key: 2 }], edges: [{ source: 3, target: 1, attributes: { weight: 1 } }, { source: 1, target: 2 }] }),
  "json",
);

describe("the compact stored form", () => {
  it("starts with the SLNB magic; graphology JSON starts with gzip's", () => {
    const compact = encodeGraph(karate);
    expect(Buffer.from(compact.subarray(0, 4)).toString("latin1")).toBe("SLNB");
    expect(isCompact(compact)).toBe(true);
    const json = encodeGraphJson(karate);
    expect([json[0], json[1]]).toEqual([0x1f, 0x8b]);
    expect(isCompact(json)).toBe(false);
  });

  it("gives back the graph it was written from (unnamed edge keys as 0..m−1)", () => {
    for (const graph of [karate, ba, weightedCsv, directedJson]) {
      const back = decodeSerialized(encodeGraph(graph));
      expect(back).toEqual(renumbered(graph));
      expect(decodeGraph(encodeGraph(graph)).export()).toEqual(renumbered(graph));
    }
  });

  it("keeps named edge keys, node and graph attributes, mixed and multi graphs exactly", () => {
    const graph = mixedGraph();
    expect(decodeSerialized(encodeGraph(graph))).toEqual(graph.export());
    const noLoops = new Graph({ type: "directed", allowSelfLoops: false });
    noLoops.mergeEdge("1", "0");
    expect(decodeGraph(encodeGraph(noLoops)).export()).toEqual(renumbered(noLoops));
  });

  it("keeps weights as uploaded: Float32 when exact, Float64 otherwise", () => {
    const exact = new Graph();
    exact.mergeEdge("0", "1", { weight: 0.5 });
    const inexact = new Graph();
    inexact.mergeEdge("0", "1", { weight: 0.1 });
    // Byte 6 of the head names the weight column: 1 Float32, 2 Float64.
    expect(encodeGraph(exact)[6]).toBe(1);
    expect(encodeGraph(inexact)[6]).toBe(2);
    expect(decodeSerialized(encodeGraph(inexact)).edges[0].attributes).toEqual({ weight: 0.1 });
    expect(decodeSerialized(encodeGraph(exact)).edges[0].attributes).toEqual({ weight: 0.5 });
    expect(encodeGraph(karate)[6]).toBe(0);
  });

  it("decodes straight to the CSR compile builds, for every compile option", () => {
    const cases: [Graph, Parameters<typeof compile>[1]][] = [
      [karate, {}],
      [ba, { shared: true }],
      [weightedCsv, { weight: "weight" }],
      [directedJson, { weight: "weight" }],
      [mixedGraph(), { weight: "weight", arcAttributes: ["school", "weight", "absent"] }],
      [directedJson, { arcAttributes: ["weight"], shared: true }],
    ];
    for (const [graph, options] of cases) {
      const direct = decodeCompactCSR(encodeGraph(graph), options)!;
      expect(arrays(direct)).toEqual(arrays(compile(graph, options)));
      expect(direct.index.get(direct.nodeIds[direct.n - 1])).toBe(direct.n - 1);
      if (options?.shared) expect(direct.targets.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it("fails on a bad weight or arc attribute with compile's error (on the stored graph: edge keys renumbered)", () => {
    const graph = new Graph();
    graph.mergeEdge("a", "b", { weight: "heavy", when: "soon" });
    graph.mergeEdge("b", "b", { w: -1 }); // a self-loop has no arc: compile does not check it
    for (const options of [{ weight: "weight" }, { arcAttributes: ["when"] }, { weight: "w" }]) {
      let expected: unknown = null;
      try {
        compile(decodeGraph(encodeGraph(graph)), options);
      } catch (error) {
        expected = error;
      }
      if (expected === null) {
        expect(() => decodeCompactCSR(encodeGraph(graph), options)).not.toThrow();
        continue;
      }
      expect(() => decodeCompactCSR(encodeGraph(graph), options)).toThrow((expected as Error).message);
    }
  });

  it("still reads networks stored as graphology JSON, through their Graph", () => {
    const json = encodeGraphJson(ba);
    expect(decodeCompactCSR(json)).toBeNull();
    expect(decodeSerialized(json)).toEqual(ba.export());
    expect(arrays(decodeStored(json, { shared: true }))).toEqual(arrays(compile(ba)));
    expect(arrays(decodeStored(encodeGraph(ba), { shared: true }))).toEqual(arrays(compile(ba)));
  });

  it("simulates bit-identically from the compact form and from the compiled Graph", () => {
    const spec = pathSpec({ beta: 0.6, seed: 5, runs: 3, weight: "weight" });
    for (const graph of [ba, weightedCsv]) {
      const viaGraph = withoutElapsed(simulate(compile(graph, { weight: "weight" }), spec));
      const viaBlob = withoutElapsed(simulate(decodeCompactCSR(encodeGraph(graph), { weight: "weight" })!, spec));
      expect(viaBlob).toEqual(viaGraph);
    }
  });
});

describe("a run on a stored network, stored compact or as graphology JSON", () => {
  const t = makeApp();
  afterAll(() => t.close());

  it("gives the same result, number for number", async () => {
    const graph = generateGraph({ type: "barabasi-albert", n: 400, m: 2 }, 9) as unknown as Graph;
    const csr = compile(graph);
    const row = { name: "ba", source: { test: true }, n: graph.order, m: graph.size, directed: false, stats: degreeStats(csr) };
    await t.store.insertNetwork({ ...row, id: "as-json" }, encodeGraphJson(graph));
    await t.store.insertNetwork({ ...row, id: "compact" }, encodeGraph(graph));
    const { network: _omit, ...scenario } = sirScenario({ runs: 4 });
    const results = [];
    for (const networkId of ["as-json", "compact"]) {
      const submitted = await t.http.post("/v1/runs").send({ scenario, networkId }).expect(202);
      expect((await waitForRun(t, submitted.body.id)).status).toBe("succeeded");
      const { elapsedMs: _elapsed, ...result } = (await t.http.get(`/v1/runs/${submitted.body.id}/result`).expect(200)).body;
      results.push(result);
    }
    expect(results[0].n).toBe(400);
    expect(results[1]).toEqual(results[0]);
    // And the drawing is the same network (edge keys aside).
    const [a, b] = await Promise.all(["as-json", "compact"].map((id) => t.http.get(`/v1/networks/${id}/graph`).expect(200)));
    expect(b.body.nodes).toEqual(a.body.nodes);
    expect(b.body.edges.map((e: { source: string; target: string }) => [e.source, e.target])).toEqual(a.body.edges.map((e: { source: string; target: string }) => [e.source, e.target]));
  });
});
