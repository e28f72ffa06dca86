/**
 * GraphML and GEXF uploads (server/xml-upload.ts): files the streaming reader keeps whole are stored from typed
 * arrays, the rest through the DOM reader's Graph; either way the stored network must be the one the DOM reader
 * (graphology-graphml/-gexf) gives — same export (node attributes, graph attributes, edge keys, multi), same
 * CSR, same statistics — and a broken file must fail with the DOM reader's error.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Graph from "graphology";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../src/graph/csr.js";
import { generateGraph } from "../../src/graph/generators/index.js";
import { parseNetwork, serializeNetwork } from "../../src/graph/io/index.js";
import { decodeCompactCSR, decodeSerialized, encodeGraph } from "../../src/server/codec.js";
import { describeNetwork, parseNetworkFile } from "../../src/server/network-build.js";
import { readPlainXml } from "../../src/server/xml-upload.js";

const dir = mkdtempSync(join(tmpdir(), "spreadlab-xml-upload-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const limits = { maxNodes: 1e6, maxEdges: 1e6 };
const karate = generateGraph({ type: "karate-club" }, 0) as unknown as Graph;

const graphml = (body: string, keys = "", graph = `edgedefault="undirected"`) =>
  `<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n${keys}\n<graph ${graph}>\n${body}\n</graph>\n</graphml>\n`;
const gexf = (body: string, graph = `defaultedgetype="undirected"`, head = "") =>
  `<?xml version="1.0"?>\n<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">${head}\n<graph ${graph}>\n${body}\n</graph>\n</gexf>\n`;

const KEYS = [
  `<key id="d0" for="node" attr.name="label" attr.type="string"/>`,
  `<key id="d1" for="node" attr.name="age" attr.type="int"/>`,
  `<key id="d2" for="node" attr.name="vaccinated" attr.type="boolean"/>`,
  `<key id="r" for="node" attr.name="r" attr.type="int"/><key id="g" for="node" attr.name="g" attr.type="int"/><key id="b" for="node" attr.name="b" attr.type="int"/>`,
  `<key id="w" for="edge" attr.name="weight" attr.type="double"/>`,
].join("\n");

/** name, format, text, whether the streaming reader keeps it whole. */
const cases: [string, "graphml" | "gexf", string, boolean][] = [
  ["karate.graphml", "graphml", serializeNetwork(karate, "graphml"), true],
  ["karate.gexf", "gexf", serializeNetwork(karate, "gexf"), true],
  [
    "attributes.graphml",
    "graphml",
    graphml(
      [
        `<node id="a"><data key="d0">Ann</data><data key="d1"> 41 </data><data key="d2">TRUE</data></node>`,
        `<node id="b"><data key="r">255</data><data key="g">8</data><data key="b">0</data><data key="undeclared">x y</data></node>`,
        `<edge id="e0" source="a" target="b"><data key="w">0.1</data></edge>`,
        `<edge id="e1" source="b" target="c"><data key="w">2</data></edge>`,
        `<edge id="e2" source="b" target="a"><data key="w">3</data></edge>`,
        `<node id="c"><data key="d0">Cy</data></node>`,
        `<node id="d"/>`,
      ].join("\n"),
      KEYS,
      `id="G" edgedefault="directed"`,
    ),
    true,
  ],
  [
    "labels.gexf",
    "gexf",
    gexf(
      `<nodes><node id="1" label="one"/><node id="2"/><node id="3" label="three"/></nodes>
       <edges><edge id="x" source="1" target="2" weight="0.5"/><edge id="y" source="1" target="2" weight="1.5"/><edge id="z" source="3" target="3" weight="1"/></edges>`,
      `defaultedgetype="directed"`,
      "<meta/>",
    ),
    true,
  ],
  ["parallel.graphml", "graphml", graphml(`<node id="0"/><node id="1"/><edge source="0" target="1"/><edge source="1" target="0"/>`), true],
  ["empty.gexf", "gexf", gexf(`<nodes><node id="solo"/></nodes><edges/>`), true],
  ["viz.gexf", "gexf", gexf(`<nodes><node id="1"><viz:position x="1" y="2"/></node><node id="2"/></nodes><edges><edge source="1" target="2"/></edges>`), false],
  ["meta.gexf", "gexf", gexf(`<nodes><node id="1"/></nodes>`, `defaultedgetype="undirected"`, `<meta lastmodifieddate="2024-01-01"><creator>Gephi</creator></meta>`), false],
  [
    "edge-data.graphml",
    "graphml",
    graphml(`<node id="0"/><node id="1"/><edge source="0" target="1"><data key="k">x</data></edge>`, `<key id="k" for="edge" attr.name="kind" attr.type="string"/>`),
    false,
  ],
  [
    "default.graphml",
    "graphml",
    graphml(`<node id="0"/><node id="1"/><edge source="0" target="1"/>`, `<key id="d0" for="node" attr.name="group" attr.type="string"><default>none</default></key>`),
    false,
  ],
  ["mixed.graphml", "graphml", graphml(`<node id="0"/><node id="1"/><node id="2"/><edge source="0" target="1"/><edge source="1" target="2" directed="true"/>`), false],
  [
    "partly-weighted.graphml",
    "graphml",
    graphml(`<node id="0"/><node id="1"/><node id="2"/><edge source="0" target="1"><data key="w">2</data></edge><edge source="1" target="2"/>`, KEYS),
    false,
  ],
];

describe("GraphML and GEXF uploads", () => {
  for (const [name, format, text, plain] of cases) {
    it(`${name}: ${plain ? "streamed to typed arrays" : "read by the DOM reader"}, stored as the DOM reader's Graph`, () => {
      const path = join(dir, name);
      writeFileSync(path, text);
      expect(readPlainXml(path, format, { file: "upload" }) !== null).toBe(plain);
      const graph = parseNetwork(text, format, { file: "upload" });
      const built = describeNetwork(parseNetworkFile(path, format, { file: "upload" }), limits);
      const reference = describeNetwork(graph, limits);
      expect(decodeSerialized(built.bytes)).toEqual(decodeSerialized(encodeGraph(graph)));
      expect({ ...built, bytes: null }).toEqual({ ...reference, bytes: null });
      const options = { weight: "weight" };
      const csr = decodeCompactCSR(built.bytes, options)!;
      const compiled = compile(graph, options);
      expect([csr.offsets, csr.targets, csr.weights, csr.nodeIds, csr.directed]).toEqual([compiled.offsets, compiled.targets, compiled.weights, compiled.nodeIds, compiled.directed]);
    });
  }

  it("keeps what GET …/graph shows of the file: node data cast by type, colours, graph id, named edge keys", () => {
    const path = join(dir, "shown.graphml");
    writeFileSync(path, cases[2][2]);
    const stored = decodeSerialized(describeNetwork(parseNetworkFile(path, "graphml", { file: "upload" }), limits).bytes);
    expect(stored.attributes).toEqual({ id: "G" });
    expect(stored.nodes.slice(0, 2)).toEqual([
      { key: "a", attributes: { label: "Ann", age: 41, vaccinated: true } },
      { key: "b", attributes: { color: "#ff0800", undeclared: "x y" } },
    ]);
    expect(stored.edges.map((e) => e.key)).toEqual(["e0", "e1", "e2"]);
  });

  it("fails on a broken file with the DOM reader's error", () => {
    const broken: [string, "graphml" | "gexf", string][] = [
      ["unclosed.graphml", "graphml", graphml(`<node id="0"><edge source="0" target="0"/>`)],
      ["undeclared.gexf", "gexf", gexf(`<nodes><node id="1"/></nodes><edges><edge source="1" target="9"/></edges>`)],
      ["negative.graphml", "graphml", graphml(`<node id="0"/><node id="1"/><edge source="0" target="1"><data key="w">-1</data></edge>`, KEYS)],
    ];
    for (const [name, format, text] of broken) {
      const path = join(dir, name);
      writeFileSync(path, text);
      let expected: Error | null = null;
      try {
        parseNetwork(text, format, { file: "upload" });
      } catch (error) {
        expected = error as Error;
      }
      expect(expected, name).not.toBeNull();
      expect(() => parseNetworkFile(path, format, { file: "upload" }), name).toThrow(expected!.message);
    }
  });
});
