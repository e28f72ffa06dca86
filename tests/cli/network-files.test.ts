/**
 * `network convert` and `network stats` on Arrow/Feather edge tables and `.gz` edge lists (in process, as
 * tests/cli/network.test.ts runs the commands): conversions both ways keep nodes, edges and weights, and the
 * statistics of a file do not depend on its format.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { networkStats, type NetworkStats } from "../../src/cli/network.js";
import { compile } from "../../src/graph/csr.js";
import { readNetworkSync, writeEdgeList } from "../../src/graph/io/index.js";
import { network } from "../helpers/network-cli.js";
import { readEdgesSync } from "../../src/graph/load.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const KITE = join(root, "scenarios", "networks", "kite.csv");
const work = mkdtempSync(join(tmpdir(), "spreadlab-network-files-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const at = (name: string) => join(work, name);


const sortedEdges = (path: string): string[] =>
  readNetworkSync(path).mapEdges((_e, a, s, t) => `${s < t ? `${s}|${t}` : `${t}|${s}`}|${String(a.weight)}`).sort();

describe("network convert with Arrow and .gz", () => {
  it("csv → arrow → csv keeps every edge and weight; .feather and .csv.gz in, graphml out", async () => {
    const weighted = at("w.csv");
    writeFileSync(weighted, "source,target,weight\n1,2,0.5\n2,3,2\n3,1,1e-3\n4,4,7\n");
    const a = await network("convert", weighted, at("w.arrow"));
    expect(a.error).toBeUndefined();
    expect(a.stdout).toMatch(/\(csv\) → .*w\.arrow \(arrow\): 4 nodes, 4 edges, undirected/);
    const b = await network("convert", at("w.arrow"), at("back.csv"), "--quiet");
    expect(b.error).toBeUndefined();
    expect(sortedEdges(at("back.csv"))).toEqual(sortedEdges(weighted));
    writeFileSync(at("kite.csv.gz"), gzipSync(readFileSync(KITE)));
    expect((await network("convert", at("kite.csv.gz"), at("kite.feather"), "--quiet")).error).toBeUndefined();
    expect((await network("convert", at("kite.feather"), at("kite.graphml"), "--quiet")).error).toBeUndefined();
    expect(sortedEdges(at("kite.graphml"))).toEqual(sortedEdges(KITE));
    expect(readEdgesSync(at("kite.feather"))!.keys.toArray()).toEqual(readEdgesSync(KITE)!.keys.toArray());
  });

  it("graphml → arrow, and writing .gz is refused with a hint", async () => {
    expect((await network("convert", KITE, at("k.graphml"), "--quiet")).error).toBeUndefined();
    expect((await network("convert", at("k.graphml"), at("k.ipc"), "--quiet")).error).toBeUndefined();
    expect((await network("convert", at("k.ipc"), at("k2.csv"), "--quiet")).error).toBeUndefined();
    expect(sortedEdges(at("k2.csv"))).toEqual(sortedEdges(KITE));
    const gz = await network("convert", KITE, at("k.csv.gz"));
    expect(gz.error?.message).toMatch(/writing \.gz is not supported/);
  });
});

describe("network convert with Parquet", () => {
  it("csv → parquet → csv keeps every edge and weight; gexf → parquet; string ids", async () => {
    const weighted = at("pw.csv");
    writeFileSync(weighted, "source,target,weight\n1,2,0.5\n2,3,2\n3,1,1e-3\n4,4,7\n");
    const a = await network("convert", weighted, at("w.parquet"));
    expect(a.error).toBeUndefined();
    expect(a.stdout).toMatch(/\(csv\) → .*w\.parquet \(parquet\): 4 nodes, 4 edges, undirected/);
    expect((await network("convert", at("w.parquet"), at("pback.csv"), "--quiet")).error).toBeUndefined();
    expect(sortedEdges(at("pback.csv"))).toEqual(sortedEdges(weighted));
    expect((await network("convert", join(root, "scenarios", "networks", "kite.gexf"), at("kite.pq"), "--quiet")).error).toBeUndefined();
    expect((await network("convert", at("kite.pq"), at("kite-back.csv"), "--quiet")).error).toBeUndefined();
    expect(sortedEdges(at("kite-back.csv"))).toEqual(sortedEdges(KITE));
    writeFileSync(at("names.csv"), "ann,bob\nbob,cy\n");
    expect((await network("convert", at("names.csv"), at("names.parquet"), "--quiet")).error).toBeUndefined();
    expect(readEdgesSync(at("names.parquet"))!.keys.toArray()).toEqual(["ann", "bob", "cy"]);
  });
});

describe("network stats by format", () => {
  it("the same numbers from .csv, .csv.gz, .arrow and .parquet", async () => {
    writeFileSync(at("s.csv.gz"), gzipSync(readFileSync(KITE)));
    await network("convert", KITE, at("s.arrow"), "--quiet");
    const of = async (path: string) => {
      const r = await network("stats", path, "--json");
      expect(r.error).toBeUndefined();
      const { source: _s, ...rest } = JSON.parse(r.stdout) as NetworkStats;
      return rest;
    };
    const csv = await of(KITE);
    expect(csv.edges).toBeGreaterThan(0);
    expect(await of(at("s.csv.gz"))).toEqual(csv);
    expect(await of(at("s.arrow"))).toEqual(csv);
    await network("convert", KITE, at("s.parquet"), "--quiet");
    expect(await of(at("s.parquet"))).toEqual(csv);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// GraphML and GEXF through the streaming XML reader (no graphology Graph): the same output as the graphology path.

const xmlGraphml = (body: string, edgedefault = "undirected") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n` +
  `<key id="w" for="edge" attr.name="weight" attr.type="double"/>\n<graph edgedefault="${edgedefault}">\n${body}\n</graph>\n</graphml>\n`;
const xmlGexf = (body: string, type = "undirected") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n<graph defaultedgetype="${type}">\n${body}\n</graph>\n</gexf>\n`;

/** What `network stats` printed when GraphML/GEXF went through graphology: compile(graph), graph.size, graph.selfLoopCount. */
function graphologyStats(path: string): Omit<NetworkStats, "source"> {
  const graph = readNetworkSync(path);
  const { source: _s, ...rest } = networkStats(compile(graph), { file: path, format: "graphml" }, { edges: graph.size - graph.selfLoopCount, selfLoops: graph.selfLoopCount });
  return rest;
}

describe("network stats and convert on GraphML/GEXF (streamed)", () => {
  // Weighted, string and integer keys, a self-loop: written as GraphML and GEXF by `network convert` itself.
  const csvText = "source,target,weight\n1,2,0.5\n2,ann,2\nann,1,1e-3\n4,4,7\n4,1,0.25\n\"b, c\",2,3\n";

  it("convert to CSV, TSV, Arrow and Parquet writes the same edges from .graphml, .gexf and .graphml.gz as from the CSV", async () => {
    const csv = at("x.csv");
    writeFileSync(csv, csvText);
    for (const xml of ["x.graphml", "x.gexf"]) expect((await network("convert", csv, at(xml), "--quiet")).error).toBeUndefined();
    writeFileSync(at("x.graphml.gz"), gzipSync(readFileSync(at("x.graphml"))));
    for (const to of ["csv", "tsv", "arrow", "parquet"]) {
      const reference = at(`from-csv.${to}`);
      const direct = await network("convert", csv, reference);
      expect(direct.error).toBeUndefined();
      for (const xml of ["x.graphml", "x.gexf", "x.graphml.gz"]) {
        const out = at(`from-${xml.replace(/\./g, "-")}.${to}`);
        const r = await network("convert", at(xml), out);
        expect(r.error).toBeUndefined();
        expect(r.stdout).toMatch(/: 5 nodes, 6 edges, undirected\n$/);
        if (to === "csv" || to === "tsv") {
          expect(readFileSync(out, "utf8")).toBe(readFileSync(reference, "utf8"));
        } else {
          const a = readEdgesSync(out)!;
          const b = readEdgesSync(reference)!;
          expect(a.keys.toArray()).toEqual(b.keys.toArray());
          expect(Array.from(a.edges.sources.subarray(0, a.edges.count))).toEqual(Array.from(b.edges.sources.subarray(0, b.edges.count)));
          expect(Array.from(a.edges.targets.subarray(0, a.edges.count))).toEqual(Array.from(b.edges.targets.subarray(0, b.edges.count)));
          expect(a.edges.weights === null ? null : Array.from(a.edges.weights.subarray(0, a.edges.count))).toEqual(Array.from(b.edges.weights!.subarray(0, b.edges.count)));
        }
      }
    }
  });

  it("the CSV written from typed arrays is the text graphology's writer gives (quoting, weights, TSV)", async () => {
    writeFileSync(at("q.csv"), csvText);
    expect((await network("convert", at("q.csv"), at("q.graphml"), "--quiet")).error).toBeUndefined();
    for (const [to, delimiter] of [["csv", ","], ["tsv", "\t"]] as const) {
      expect((await network("convert", at("q.graphml"), at(`q-out.${to}`), "--quiet")).error).toBeUndefined();
      expect(readFileSync(at(`q-out.${to}`), "utf8")).toBe(writeEdgeList(readNetworkSync(at("q.graphml")), { delimiter }));
    }
  });

  const files: [string, string][] = [
    // Mixed: directed by the CSR, its undirected edges (and self-loop) counted once; an isolated node.
    ["mixed.graphml", xmlGraphml(`<node id="a"/><node id="b"/><node id="c"/><node id="d"/><node id="iso"/>\n<edge source="a" target="b"><data key="w">2</data></edge>\n<edge source="b" target="c" directed="true"/>\n<edge source="c" target="c"/>\n<edge source="c" target="d"/>`)],
    ["parallel.gexf", xmlGexf(`<nodes><node id="x"/><node id="y"/><node id="z"/></nodes>\n<edges><edge source="x" target="y"/><edge source="x" target="y"/><edge source="y" target="z"/><edge source="z" target="z"/></edges>`, "directed")],
    ["isolated.gexf", xmlGexf(`<nodes><node id="x"/><node id="y"/><node id="z"/><node id="lonely"/></nodes>\n<edges><edge source="x" target="y" weight="1.5"/><edge source="y" target="z"/></edges>`)],
    ["no-edges.gexf", xmlGexf(`<nodes><node id="x"/><node id="y"/></nodes>`)],
    ["no-edges.graphml", xmlGraphml(`<node id="a"/><node id="b"/>`, "directed")],
    ["kite.gexf", readFileSync(join(root, "scenarios", "networks", "kite.gexf"), "utf8")],
  ];

  it("stats print what the graphology path printed: nodes (isolated ones too), edges and self-loops as declared, direction", async () => {
    for (const [name, text] of files) {
      writeFileSync(at(name), text);
      const r = await network("stats", at(name), "--json");
      expect(r.error, name).toBeUndefined();
      const { source, ...rest } = JSON.parse(r.stdout) as NetworkStats;
      expect(source).toEqual({ file: at(name), format: name.endsWith(".gexf") ? "gexf" : "graphml" });
      expect(rest, name).toEqual(graphologyStats(at(name)));
    }
    const mixed = await network("stats", at("mixed.graphml"));
    expect(mixed.stdout.split("\n")[0]).toBe(`${at("mixed.graphml")}: directed, 5 nodes, 3 edges (+1 self-loops, ignored)`);
    expect(mixed.stdout).toMatch(/components {10}2 \(weak\), largest 4 nodes \(80%\), 1 isolated/);
  });

  it("convert refuses what the graphology writers refused, and reports the file's own counts", async () => {
    const run = (name: string, out: string) => network("convert", at(name), at(out));
    expect((await run("mixed.graphml", "m.arrow")).error?.message).toBe("an edge table cannot hold both directed and undirected edges; keep GEXF, GraphML or JSON");
    expect((await run("mixed.graphml", "m.csv")).error?.message).toBe("an edge list cannot hold both directed and undirected edges; write GEXF, GraphML or JSON instead");
    expect((await run("parallel.gexf", "p.csv")).error?.message).toMatch(/^an edge list is read back without parallel edges/);
    expect((await run("isolated.gexf", "i.csv")).error?.message).toMatch(/^1 node\(s\) have no edges \("lonely"\) and an edge list cannot hold them/);
    for (const out of ["m.arrow", "m.csv", "p.csv", "i.csv"]) expect(existsSync(at(out))).toBe(false);
    // Arrow keeps the parallel edges, as edgesFromGraph did (an edge table cannot hold the isolated node, though the
    // message counts it, as before); a weight column only when every edge has one.
    const p = await run("parallel.gexf", "p.parquet");
    expect(p.stdout).toMatch(/p\.parquet \(parquet\): 3 nodes, 4 edges, directed\n$/);
    const i = await run("isolated.gexf", "i.arrow");
    expect(i.stdout).toMatch(/i\.arrow \(arrow\): 4 nodes, 2 edges, undirected\n$/);
    expect(readEdgesSync(at("i.arrow"))!.edges.weights).toBeNull();
    expect(readEdgesSync(at("i.arrow"))!.keys.toArray()).toEqual(["x", "y", "z"]);
    expect((await run("no-edges.gexf", "n1.json")).stdout).toMatch(/2 nodes, 0 edges, undirected\n$/);
    expect((await run("no-edges.graphml", "n2.arrow")).stdout).toMatch(/2 nodes, 0 edges, directed\n$/);
    // GraphML/GEXF to GEXF/GraphML/JSON stays on graphology, which keeps node attributes.
    writeFileSync(at("label.gexf"), xmlGexf(`<nodes><node id="a" label="Ann"/><node id="b"/></nodes>\n<edges><edge source="a" target="b"/></edges>`));
    expect((await run("label.gexf", "label.graphml")).error).toBeUndefined();
    expect(readNetworkSync(at("label.graphml")).getNodeAttribute("a", "label")).toBe("Ann");
  });

  it("errors keep the file:line of the DOM readers", async () => {
    writeFileSync(at("bad.graphml"), xmlGraphml(`<node id="a"/><node id="b"/>\n<edge source="a" target="q"/>`));
    for (const args of [["stats", at("bad.graphml")], ["convert", at("bad.graphml"), at("bad.csv")], ["convert", at("bad.graphml"), at("bad.parquet")]]) {
      const r = await network(...args);
      expect(r.code).toBe(2);
      expect(String(r.error)).toBe(`GraphFormatError: ${at("bad.graphml")}:6: an <edge> has target "q", which is not a declared <node>; declare the node or fix the id`);
    }
    expect(() => readNetworkSync(at("bad.graphml"))).toThrow(`${at("bad.graphml")}:6: an <edge> has target "q"`);
  });
});
