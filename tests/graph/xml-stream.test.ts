/**
 * Streaming GraphML/GEXF (graph/io/xml-stream.ts) against the DOM + graphology readers it replaces on the way
 * to a CSR: the same nodes, arcs, weights and edge attributes on several variants (written by our writers and
 * by hand: directed, undirected, mixed, parallel edges, nodes declared after the edges that use them, defaults,
 * nested data), the same errors with the same file:line, any chunking, `.gz`, and bit-identical simulations.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import Graph from "graphology";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CSR } from "../../src/graph/csr.js";
import { readNetworkSync, writeGexf, writeGraphml } from "../../src/graph/io/index.js";
import { XmlEdgeReader, parseXmlEdges } from "../../src/graph/io/xml-stream.js";
import { loadNetworkFile, loadNetworkFileSync } from "../../src/graph/load.js";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { pathSpec, withoutElapsed } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "spreadlab-xml-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function expectSameCSR(a: CSR, b: CSR, arcAttributes: string[] = []): void {
  expect(a.n).toBe(b.n);
  expect(a.m).toBe(b.m);
  expect(a.directed).toBe(b.directed);
  expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
  expect(Array.from(a.targets)).toEqual(Array.from(b.targets));
  expect(a.weights === null ? null : Array.from(a.weights)).toEqual(b.weights === null ? null : Array.from(b.weights));
  expect(a.nodeIds).toEqual(b.nodeIds);
  for (const name of arcAttributes) expect(Array.from(a.arcData![name])).toEqual(Array.from(b.arcData![name]));
}

/** A deterministic graph: string and integer keys, weights, a numeric and a boolean edge attribute, self-loops. */
function sampleGraph(type: "directed" | "undirected", n = 120, m = 500): Graph {
  const graph = new Graph({ type, multi: false, allowSelfLoops: true });
  let x = 17;
  const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  for (let i = 0; i < n; i++) graph.addNode(i % 4 === 0 ? `p${(i * 37) % 1000}` : String((i * 53) % 977), { age: i % 90 });
  const nodes = graph.nodes();
  let added = 0;
  while (added < m) {
    const a = nodes[next() % n];
    const b = next() % 40 === 0 ? a : nodes[next() % n];
    if (graph.hasEdge(a, b)) continue;
    graph.addEdge(a, b, { weight: (next() % 1000) / 64, school: next() % 3, household: next() % 2 === 0 });
    added++;
  }
  return graph;
}

const oldPath = (path: string, options: { directed?: boolean; weight?: string | null; arcAttributes?: string[] } = {}): CSR =>
  compile(readNetworkSync(path, { directed: options.directed }), { weight: options.weight ?? null, arcAttributes: options.arcAttributes });

const graphml = (body: string, keys = "", edgedefault = "undirected") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n${keys}` +
  `<graph edgedefault="${edgedefault}">\n${body}\n</graph>\n</graphml>\n`;
const gexf = (body: string, type = "undirected", attributes = "") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n` +
  `<graph defaultedgetype="${type}">\n${attributes}${body}\n</graph>\n</gexf>\n`;
const weightKey = `<key id="w" for="edge" attr.name="weight" attr.type="double"/>\n`;
const schoolKey = `<key id="s" for="edge" attr.name="school" attr.type="int"><default>2</default></key>\n`;

const variants: [string, string][] = [
  ["written-undirected.graphml", writeGraphml(sampleGraph("undirected"))],
  ["written-directed.graphml", writeGraphml(sampleGraph("directed"))],
  ["written-undirected.gexf", writeGexf(sampleGraph("undirected"))],
  ["written-directed.gexf", writeGexf(sampleGraph("directed"))],
  [
    "mixed.graphml",
    graphml(
      `<node id="a"/><node id="b"/><node id="c"/>\n<edge source="a" target="b"><data key="w">2</data></edge>\n` +
        `<edge source="b" target="c" directed="true"><data key="w">0.5</data><data key="s">1</data></edge>\n<edge source="c" target="a"/>`,
      weightKey + `<key id="s" for="edge" attr.name="school" attr.type="int"/>\n`,
    ),
  ],
  [
    "late-nodes-parallel.graphml",
    graphml(
      `<edge source="z" target="y"><data key="w">1.5</data></edge>\n<edge source="y" target="z"><data key="w">3</data></edge>\n` +
        `<edge source="x" target="x"/>\n<node id="x"/>\n<node id="y"><data key="label">why</data></node>\n<node id="z"/>\n<node id="lonely"/>`,
      weightKey + `<key id="label" for="node" attr.name="label" attr.type="string"/>\n`,
    ),
  ],
  [
    "nested-cdata.graphml",
    graphml(
      `<node id="1"><graph edgedefault="undirected"><node id="1.1"/></graph></node>\n<node id="2"/>\n` +
        `<edge source="1" target="2"><data key="w"><![CDATA[4.25]]></data></edge>\n<edge source="1.1" target="2"><data key="w"> 1e-1 </data></edge>`,
      weightKey,
    ),
  ],
  [
    "attvalues.gexf",
    gexf(
      `<nodes><node id="a" label="A"><attvalues><attvalue for="0" value="3"/></attvalues></node><node id="b"/><node id="c"/></nodes>\n` +
        `<edges>\n<edge source="a" target="b" weight="2"><attvalues><attvalue for="school" value="7"/></attvalues></edge>\n` +
        `<edge source="b" target="c"/>\n<edge source="c" target="a" type="directed" weight="0.25"/>\n</edges>`,
      "undirected",
      `<attributes class="node"><attribute id="0" title="age" type="integer"/></attributes>\n` +
        `<attributes class="edge"><attribute id="school" title="ignored" type="integer"><default>1</default></attribute></attributes>\n`,
    ),
  ],
  ["mutual.gexf", gexf(`<nodes><node id="a"/><node id="b"/><node id="c"/></nodes>\n<edges><edge source="a" target="b"/><edge source="b" target="c" type="mutual"/></edges>`)],
  ["no-edges.gexf", gexf(`<nodes><node id="a"/><node id="b"/></nodes>`)],
  // graphology's GEXF writer on a mixed graph: defaultedgetype="directed", type="undirected" on the undirected
  // edges only — so an edge with no type is directed even when the first edge is undirected.
  ["written-mixed.gexf", writeGexf(mixedGraph())],
];

function mixedGraph(): Graph {
  const graph = new Graph({ type: "mixed", allowSelfLoops: true });
  for (const key of ["a", "b", "c", "d"]) graph.addNode(key);
  graph.addUndirectedEdge("a", "b", { weight: 2 });
  graph.addDirectedEdge("b", "c", { weight: 1 });
  graph.addUndirectedEdge("c", "c", { weight: 3 });
  graph.addDirectedEdge("d", "a", { weight: 0.5 });
  return graph;
}

describe("GraphML and GEXF straight to CSR", () => {
  for (const [name, text] of variants) {
    it(`${name}: same nodes, arcs, weights and edge attributes as compile(readNetworkSync)`, async () => {
      const path = fixture(name, text);
      for (const weight of [null, "weight", "school"]) {
        const arcAttributes = ["school", "household", "absent"];
        const expected = oldPath(path, { weight, arcAttributes });
        expectSameCSR(loadNetworkFileSync(path, { weight, arcAttributes }), expected, arcAttributes);
        expectSameCSR(await loadNetworkFile(path, { weight, arcAttributes }), expected, arcAttributes);
      }
    });
  }

  it("any chunking (1, 2, 3, 7 bytes: multi-byte UTF-8 characters split) gives the same edges; .gz reads as the plain file", async () => {
    const graph = sampleGraph("undirected", 40, 120);
    graph.addNode("Zoë–北京");
    graph.addEdge("Zoë–北京", graph.nodes()[0], { weight: 1 });
    const text = Buffer.from(writeGraphml(graph), "utf8");
    const whole = parseXmlEdges(text, "graphml");
    for (const size of [1, 2, 3, 7]) {
      const reader = new XmlEdgeReader("graphml");
      for (let p = 0; p < text.length; p += size) reader.push(text.subarray(p, p + size));
      const got = reader.end();
      expect(got.keys.toArray()).toEqual(whole.keys.toArray());
      expect(Array.from(got.edges.sources.subarray(0, got.edges.count))).toEqual(Array.from(whole.edges.sources.subarray(0, whole.edges.count)));
      expect(Array.from(got.edges.weights!)).toEqual(Array.from(whole.edges.weights!));
    }
    const path = fixture("utf8.graphml", text);
    const gz = fixture("utf8.graphml.gz", gzipSync(text));
    const expected = oldPath(path, { weight: "weight" });
    expectSameCSR(loadNetworkFileSync(gz, { weight: "weight" }), expected);
    expectSameCSR(await loadNetworkFile(gz, { weight: "weight" }), expected);
    expect(expected.nodeIds).toContain("Zoë–北京");
  });

  it("a <default> of the weight key is read as a number (graphology-graphml keeps its text and then fails)", () => {
    const path = fixture(
      "weight-default.graphml",
      graphml(`<node id="a"/><node id="b"/><node id="c"/>\n<edge source="a" target="b"/>\n<edge source="b" target="c"><data key="w">0.5</data></edge>`, `<key id="w" for="edge" attr.name="weight" attr.type="double"><default>2</default></key>\n`),
    );
    expect(() => oldPath(path, { weight: "weight" })).toThrow(/weight "2" of type string/);
    const csr = loadNetworkFileSync(path, { weight: "weight" });
    expect(Array.from(csr.weights!)).toEqual([2, 2, 0.5, 0.5]);
  });

  it("the directed and weight reader options", () => {
    const directed = fixture("d.gexf", writeGexf(sampleGraph("directed", 20, 40)));
    expectSameCSR(loadNetworkFileSync(directed, { directed: true, weight: "weight", weightColumn: true }), compile(readNetworkSync(directed, { directed: true, weight: true }), { weight: "weight" }));
    const dropped = loadNetworkFileSync(directed, { weight: "weight", weightColumn: false });
    expect(Array.from(dropped.weights!).every((w) => w === 1)).toBe(true);
  });
});

describe("the same errors, with the same file:line", () => {
  const nodes = `<nodes>\n<node id="a"/>\n<node id="b"/>\n</nodes>`;
  /** [file, text, options, line where the DOM reader gives none and the streaming one names the element]. */
  const bad: [string, string, { directed?: boolean; weightColumn?: boolean }?, number?][] = [
    ["wrong-root.gexf", graphml(`<node id="a"/>`)],
    ["no-graph.graphml", `<?xml version="1.0"?>\n<graphml>\n</graphml>\n`],
    ["zero-nodes.gexf", gexf("")],
    ["zero-nodes.graphml", graphml("")],
    ["undeclared-target.gexf", gexf(`${nodes}\n<edges>\n<edge source="a" target="zz"/>\n</edges>`)],
    ["undeclared-source.graphml", graphml(`<node id="a"/>\n<edge source="a" target="b"/>\n<edge source="q" target="a"/>\n<node id="b"/>`)],
    ["missing-source.graphml", graphml(`<node id="a"/>\n<edge target="a"/>\n<edge source="a" target="zz"/>`)],
    ["undeclared-before-missing.graphml", graphml(`<node id="a"/>\n<edge source="a" target="zz"/>\n<edge target="a"/>`)],
    ["duplicate-node.graphml", graphml(`<node id="a"/>\n<node id="a"/>`)],
    ["no-id.gexf", gexf(`<nodes>\n<node label="x"/>\n</nodes>`)],
    ["negative-weight.gexf", gexf(`${nodes}\n<edges>\n<edge source="a" target="b" weight="-1"/>\n</edges>`)],
    ["text-weight.gexf", gexf(`${nodes}\n<edges>\n<edge source="a" target="b" weight="x"/>\n</edges>`)],
    ["text-weight.graphml", graphml(`<node id="a"/>\n<node id="b"/>\n<edge source="a" target="b">\n<data key="w">heavy</data>\n</edge>`, weightKey)],
    ["string-weight-key.graphml", graphml(`<node id="a"/>`, `<key id="w" for="edge" attr.name="weight" attr.type="string"/>\n`)],
    ["bad-type.graphml", graphml(`<node id="a"/>`, `<key id="k" for="node" attr.name="k" attr.type="complex"/>\n`)],
    ["bad-int.graphml", graphml(`<node id="a">\n<data key="s">2.5x</data>\n</node>`, `<key id="s" for="node" attr.name="size" attr.type="int"/>\n`)],
    ["bad-bool.graphml", graphml(`<node id="a"/>\n<node id="b"/>\n<edge source="a" target="b"><data key="h">yes</data></edge>`, `<key id="h" for="edge" attr.name="h" attr.type="boolean"/>\n`)],
    ["undeclared-weight.graphml", graphml(`<node id="a"/>\n<node id="b"/>\n<edge source="a" target="b"><data key="weight">2</data></edge>`), {}, 6],
    ["endpoint-beats-data.graphml", graphml(`<node id="a"/>\n<edge source="a" target="a"><data key="w">x</data></edge>\n<edge source="a" target="q"/>`, weightKey)],
    ["undeclared-attvalue.gexf", gexf(`<nodes>\n<node id="a">\n<attvalues><attvalue for="9" value="1"/></attvalues>\n</node>\n</nodes>`), {}, 6],
    ["want-directed.gexf", gexf(`${nodes}\n<edges>\n<edge source="a" target="b"/>\n</edges>`), { directed: true }],
    ["want-undirected.graphml", graphml(`<node id="a"/>\n<node id="b"/>\n<edge source="a" target="b" directed="true"/>`), { directed: false }],
    ["want-weight.gexf", gexf(`${nodes}\n<edges>\n<edge source="a" target="b" weight="1"/>\n<edge source="b" target="a" type="directed"/>\n</edges>`), { weightColumn: true }],
    ["empty.graphml", "  \n"],
  ];
  for (const [name, text, options = {}, addedLine] of bad) {
    it(name, () => {
      const path = fixture(name, text);
      let expected: (Error & { line?: number }) | undefined;
      try {
        readNetworkSync(path, { directed: options.directed, weight: options.weightColumn });
      } catch (error) {
        expected = error as Error & { line?: number };
      }
      expect(expected?.name).toBe("GraphFormatError");
      let got: (Error & { line?: number }) | undefined;
      try {
        loadNetworkFileSync(path, options);
      } catch (error) {
        got = error as Error & { line?: number };
      }
      expect(got?.name).toBe("GraphFormatError");
      expect(got!.line).toBe(addedLine ?? expected!.line);
      if (addedLine !== undefined) expect(expected!.line).toBeUndefined();
      // Same text after the "file[:line]: " prefix (the streaming reader may add a hint after it).
      const bare = (e: Error) => e.message.slice(e.message.indexOf(": ", path.length) + 2);
      expect(bare(got!).startsWith(bare(expected!))).toBe(true);
    });
  }

  it("malformed XML: a GraphFormatError naming the file and the line of the broken construct", () => {
    const cases: [string, string, number][] = [
      // xmldom names line 5 (where the attribute opens); saxes line 6 (where the quote runs into "<").
      ["broken-attr.gexf", gexf(`<nodes>\n<node id="a/>\n</nodes>`), 6],
      ["broken-attr.graphml", graphml(`<node id="a"/>\n<node id="b></node>`), 5],
      ["unclosed.graphml", graphml(`<node id="a">\n<node id="b"/>`), -1],
    ];
    for (const [name, text, line] of cases) {
      const path = fixture(name, text);
      expect(() => readNetworkSync(path)).toThrow(/malformed XML/);
      let got: (Error & { line?: number; file?: string }) | undefined;
      try {
        loadNetworkFileSync(path);
      } catch (error) {
        got = error as Error & { line?: number; file?: string };
      }
      expect(got?.name).toBe("GraphFormatError");
      expect(got!.message).toMatch(/malformed XML: .*; fix the file so it is well-formed XML/);
      expect(got!.file).toBe(path);
      if (line > 0) expect(got!.line).toBe(line);
      else expect(got!.line).toBeGreaterThan(0);
    }
    expect(() => loadNetworkFileSync(fixture("not-xml.graphml", "not xml at all"))).toThrow(/malformed XML/);
    expect(() => loadNetworkFileSync(fixture("cut.gexf", "<gexf><graph>"))).toThrow(/malformed XML/);
  });
});

describe("bit-identical simulation by every path", () => {
  const spec = pathSpec({ beta: 0.5, seed: 3, runs: 3, weight: "weight" });
  const strip = withoutElapsed;

  it("graphology Graph = GraphML → CSR = GEXF → CSR = .graphml.gz → CSR", () => {
    const graph = sampleGraph("undirected", 150, 600);
    const reference = strip(simulate(graph, spec));
    const ml = fixture("sim.graphml", writeGraphml(graph));
    const paths = [ml, fixture("sim.gexf", writeGexf(graph)), fixture("sim.graphml.gz", gzipSync(writeGraphml(graph)))];
    expect(strip(simulate(readNetworkSync(ml), spec))).toEqual(reference);
    for (const path of paths) expect(strip(simulate(loadNetworkFileSync(path, { weight: "weight" }), spec))).toEqual(reference);
  });
});
