/**
 * Network readers and writers: every format round-trips node set, edge set and weights (directed and
 * undirected, weighted and not), and every malformed input is a GraphFormatError carrying the right 1-based line.
 * Errors are matched on `name` and `line`, never on message text.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Graph from "graphology";
import { afterAll, describe, expect, it } from "vitest";
import {
  type NetworkFormat,
  formatFromPath,
  parseEdgeList,
  parseNetwork,
  readNetwork,
  readNetworkSync,
  serializeNetwork,
  writeEdgeList,
  writeNetwork,
} from "../../src/graph/io/index.js";

const dir = mkdtempSync(join(tmpdir(), "spreadlab-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `fn`, expects a GraphFormatError, and returns it for property checks. */
function formatError(fn: () => unknown): { name: string; line: number | undefined; file: string | undefined } {
  try {
    fn();
  } catch (error) {
    const e = error as { name: string; line: number | undefined; file: string | undefined };
    expect(e.name).toBe("GraphFormatError");
    return e;
  }
  throw new Error("expected a GraphFormatError, but nothing was thrown");
}

async function formatErrorAsync(p: Promise<unknown>): Promise<{ name: string; line: number | undefined }> {
  try {
    await p;
  } catch (error) {
    const e = error as { name: string; line: number | undefined };
    expect(e.name).toBe("GraphFormatError");
    return e;
  }
  throw new Error("expected a GraphFormatError, but nothing was thrown");
}

function expectLine(fn: () => unknown, line: number | undefined): void {
  expect(formatError(fn).line).toBe(line);
}

const csv = (text: string, options = {}) => parseEdgeList(text, { file: "t.csv", ...options });

/** Canonical edge list: "s|t|weight" with undirected endpoints sorted. */
function edgeSet(graph: Graph): string[] {
  const out: string[] = [];
  graph.forEachEdge((_e, attributes, source, target, _sa, _ta, undirected) => {
    const [a, b] = undirected && target < source ? [target, source] : [source, target];
    out.push(`${undirected ? "u" : "d"}|${a}|${b}|${attributes.weight ?? "-"}`);
  });
  return out.sort();
}

function sample(directed: boolean, weighted: boolean, isolated: boolean): Graph {
  const g = new Graph({ type: directed ? "directed" : "undirected" });
  // Keys that an edge list must quote to read back unchanged.
  const edges: [string, string, number][] = [
    ["1", "2", 0.5],
    ["2", "3", 2],
    ["3", "1", 1e-7],
    ["New York", "a,b", 3],
    ["#hash", 'q"uote', 0],
    ["tab\there", "semi;colon", 12345.678],
    ["2", "1", 4], // the reverse arc: a separate edge only in the directed graph
    ["x", "x", 1], // self-loop
  ];
  for (const [s, t, w] of edges) {
    if (!directed && g.hasEdge(s, t)) continue;
    g.mergeNode(s);
    g.mergeNode(t);
    g.addEdge(s, t, weighted ? { weight: w } : {});
  }
  if (isolated) g.addNode("alone");
  return g;
}

function expectSameNetwork(actual: Graph, expected: Graph): void {
  expect(actual.nodes().sort()).toEqual(expected.nodes().sort());
  expect(edgeSet(actual)).toEqual(edgeSet(expected));
}

describe("round trips", () => {
  const formats: NetworkFormat[] = ["csv", "tsv", "gexf", "graphml", "json"];
  for (const format of formats) {
    for (const directed of [false, true]) {
      for (const weighted of [false, true]) {
        it(`${format}, ${directed ? "directed" : "undirected"}, ${weighted ? "weighted" : "unweighted"}`, async () => {
          const edgeList = format === "csv" || format === "tsv";
          const graph = sample(directed, weighted, !edgeList); // edge lists cannot hold isolated nodes
          const path = join(dir, `rt-${directed}-${weighted}.${format}`);
          await writeNetwork(graph, path);
          const options = edgeList ? { directed } : {};
          const back = await readNetwork(path, options);
          expectSameNetwork(back, graph);
          expect(back.type).toBe(directed ? "directed" : "undirected");
          expectSameNetwork(readNetworkSync(path, options), graph);
          expectSameNetwork(parseNetwork(serializeNetwork(graph, format), format, options), graph);
        });
      }
    }
  }

  it("keeps node and graph attributes in GraphML and JSON", async () => {
    const g = new Graph({ type: "undirected" });
    g.setAttribute("name", "demo <&>");
    g.addNode("a", { label: "Alpha\nline", age: 31, score: 0.25, vip: true });
    g.addNode("b", { label: "Beta", age: 40, score: 1, vip: false });
    g.addEdge("a", "b", { weight: 2, kind: "household" });
    for (const format of ["graphml", "json"] as const) {
      const back = parseNetwork(serializeNetwork(g, format), format);
      expect(back.getAttribute("name")).toBe("demo <&>");
      expect(back.getNodeAttributes("a")).toEqual({ label: "Alpha\nline", age: 31, score: 0.25, vip: true });
      expect(back.getNodeAttributes("b")).toEqual({ label: "Beta", age: 40, score: 1, vip: false });
      expect(back.getEdgeAttributes(back.edge("a", "b")!)).toEqual({ weight: 2, kind: "household" });
    }
  });

  it("keeps mixed graphs in GEXF, GraphML and JSON", () => {
    const g = new Graph({ type: "mixed" });
    g.addNode("a");
    g.addNode("b");
    g.addNode("c");
    g.addDirectedEdge("a", "b", { weight: 1 });
    g.addUndirectedEdge("b", "c", { weight: 2 });
    for (const format of ["gexf", "graphml", "json"] as const) {
      const back = parseNetwork(serializeNetwork(g, format), format);
      expectSameNetwork(back, g);
    }
  });

  it("writes atomically: overwrites the target and leaves no temporary file", async () => {
    const sub = mkdtempSync(join(dir, "atomic-"));
    const path = join(sub, "net.csv");
    await writeNetwork(sample(false, true, false), path);
    await writeNetwork(sample(false, false, false), path);
    expect(readdirSync(sub)).toEqual(["net.csv"]);
    expect(readFileSync(path, "utf8").split("\n")[0]).toBe("source,target");
  });

  it("writes a header line and refuses what an edge list cannot hold", () => {
    const g = sample(false, true, false);
    expect(writeEdgeList(g).split("\n")[0]).toBe("source,target,weight");
    expect(writeEdgeList(g, { weight: false }).split("\n")[0]).toBe("source,target");
    expect(writeEdgeList(g, { delimiter: "\t" }).split("\n")[0]).toBe("source\ttarget\tweight");
    formatError(() => writeEdgeList(sample(false, false, true))); // isolated node
    formatError(() => writeEdgeList(sample(false, false, false), { weight: true })); // no weights
  });
});

describe("edge lists", () => {
  it("detects a header by column names", () => {
    const g = csv("source,target\n1,2\n2,3\n");
    expect(g.order).toBe(3);
    expect(g.size).toBe(2);
    expect(csv("From;To;Weight\na;b;1.5\n").getEdgeAttribute("a", "b", "weight")).toBe(1.5);
  });

  it("detects a header by a non-numeric third column", () => {
    const g = csv("a,b,strength\nx,y,2\n");
    expect(g.nodes().sort()).toEqual(["x", "y"]);
    expect(g.getEdgeAttribute("x", "y", "weight")).toBe(2);
  });

  it("reads the first line as an edge when it is not a header", () => {
    expect(csv("1,2\n2,3\n").size).toBe(2);
    expect(csv("u,v\nv,w\n").size).toBe(2);
    expect(csv("1,2,0.5\n2,3,1\n").getEdgeAttribute("1", "2", "weight")).toBe(0.5);
  });

  it("skips # and % comments and blank lines, CRLF and a BOM", () => {
    const g = csv("\uFEFF# a comment\r\n% another\r\n\r\nsource,target\r\n  # indented comment\r\n1,2\r\n\r\n2,3\r\n");
    expect(edgeSet(g)).toEqual(["u|1|2|-", "u|2|3|-"]);
  });

  it("reads TSV with spaces inside keys, and whitespace-separated lists", () => {
    const tsv = parseNetwork("source\ttarget\tweight\nNew York\tLos Angeles\t2\n", "tsv");
    expect(tsv.getEdgeAttribute("New York", "Los Angeles", "weight")).toBe(2);
    const auto = csv("New York\tBoston\n");
    expect(auto.hasEdge("New York", "Boston")).toBe(true);
    const ws = csv("1   2  0.5\n\t2 3 1\n");
    expect(edgeSet(ws)).toEqual(["u|1|2|0.5", "u|2|3|1"]);
  });

  it("reads quoted fields", () => {
    const g = csv('source,target\n"a, b","say ""hi"""\n"  c ",d\n');
    expect(g.hasEdge("a, b", 'say "hi"')).toBe(true);
    expect(g.hasEdge("  c ", "d")).toBe(true);
  });

  it("builds directed graphs on request; a reverse arc is a distinct edge", () => {
    const g = csv("1,2\n2,1\n", { directed: true });
    expect(g.type).toBe("directed");
    expect(g.size).toBe(2);
  });

  it("applies the weight option", () => {
    expect(csv("1,2,3\n", { weight: false }).getEdgeAttributes("1", "2")).toEqual({});
    expectLine(() => csv("source,target\n1,2\n", { weight: true }), 1);
  });

  describe("malformed", () => {
    it("empty file, only comments, only a header: no line", () => {
      expectLine(() => csv(""), undefined);
      expectLine(() => csv("# nothing\n\n% here\n"), undefined);
      expectLine(() => csv("source,target\n"), undefined);
      expect(formatError(() => csv("")).file).toBe("t.csv");
    });

    it("a missing column", () => {
      expectLine(() => csv("1,2\n3\n"), 2);
      expectLine(() => csv("# c\n\nlonely\n"), 3);
    });

    it("too many columns", () => {
      expectLine(() => csv("1,2\n3,4,5,6\n"), 2);
    });

    it("non-numeric, negative and non-finite weights", () => {
      expectLine(() => csv("1,2,1\n2,3,heavy\n"), 2);
      expectLine(() => csv("1,2,1\n2,3,-1\n"), 2);
      expectLine(() => csv("1,2,1\n\n2,3,inf\n"), 3);
      expectLine(() => csv("1,2,1\n2,3,NaN\n"), 2);
      expectLine(() => csv("1,2,1\n2,3,1e999\n"), 2);
      expectLine(() => csv("1,2,1\n2,3,\n"), 2);
      expectLine(() => csv("1,2,1\n2,3,0x10\n"), 2);
    });

    it("some rows weighted, others not", () => {
      expectLine(() => csv("1,2,1\n2,3\n"), 2);
      expectLine(() => csv("1,2\n# c\n2,3,1\n"), 3);
      expectLine(() => csv("source,target,weight\n1,2\n"), 2);
      expectLine(() => csv("source,target\n1,2,1\n"), 2);
    });

    it("a repeated edge names the later line", () => {
      expectLine(() => csv("1,2\n2,3\n2,1\n"), 3); // undirected: reversed is the same edge
      expectLine(() => csv("1,2\n1,2\n", { directed: true }), 2);
      expectLine(() => csv("x,x\n# c\nx,x\n"), 3);
    });

    it("an empty node key and an unterminated quote", () => {
      expectLine(() => csv('1,2\n"",3\n'), 2);
      expectLine(() => csv('1,2\n"abc,3\n'), 2);
    });
  });
});

describe("formats and files", () => {
  it("chooses the format from the extension", () => {
    expect(formatFromPath("a/b.CSV")).toBe("csv");
    expect(formatFromPath("net.edgelist")).toBe("csv");
    expect(formatFromPath("net.edges")).toBe("csv");
    expect(formatFromPath("net.txt")).toBe("csv");
    expect(formatFromPath("net.tsv")).toBe("tsv");
    expect(formatFromPath("net.gexf")).toBe("gexf");
    expect(formatFromPath("net.graphml")).toBe("graphml");
    expect(formatFromPath("net.json")).toBe("json");
    formatError(() => formatFromPath("net.xlsx"));
    formatError(() => formatFromPath("Makefile"));
  });

  it("rejects an unknown extension when reading and writing", async () => {
    await formatErrorAsync(readNetwork(fixture("net.dot", "graph { a -- b }")));
    await formatErrorAsync(writeNetwork(sample(false, false, false), join(dir, "out.dot")));
  });

  it("uses an explicit format over the extension", async () => {
    const path = fixture("edges.dat", "1 2\n2 3\n");
    expect((await readNetwork(path, { format: "csv" })).size).toBe(2);
  });

  it("a missing file is a GraphFormatError naming the file", async () => {
    const path = join(dir, "does-not-exist.csv");
    const e = await formatErrorAsync(readNetwork(path));
    expect((e as { file?: string }).file).toBe(path);
    formatError(() => readNetworkSync(path));
  });

  it("reports the file and line from readNetwork", async () => {
    const path = fixture("bad.csv", "source,target,weight\n1,2,1\n2,3,oops\n");
    const e = (await formatErrorAsync(readNetwork(path))) as { line?: number; file?: string };
    expect(e.line).toBe(3);
    expect(e.file).toBe(path);
  });
});

describe("GEXF, GraphML and JSON errors", () => {
  const gexf = (body: string, type = "undirected") =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n` +
    `<graph defaultedgetype="${type}">\n${body}\n</graph>\n</gexf>\n`;
  const graphml = (body: string, keys = "") =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n${keys}` +
    `<graph edgedefault="undirected">\n${body}\n</graph>\n</graphml>\n`;
  const nodes = `<nodes>\n<node id="a"/>\n<node id="b"/>\n</nodes>`;

  it("reads a hand-written GEXF file", () => {
    const g = parseNetwork(gexf(`${nodes}\n<edges>\n<edge source="a" target="b" weight="2.5"/>\n</edges>`), "gexf");
    expect(g.getEdgeAttribute("a", "b", "weight")).toBe(2.5);
  });

  it("malformed XML carries the parser's line", () => {
    // Line 5 holds the broken attribute.
    expectLine(() => parseNetwork(gexf(`<nodes>\n<node id="a/>\n</nodes>`), "gexf"), 5);
    expectLine(() => parseNetwork(graphml(`<node id="a"/>\n<node id="b></node>`), "graphml"), 5);
    formatError(() => parseNetwork("<gexf><graph>", "gexf"));
    formatError(() => parseNetwork("not xml at all", "graphml"));
    formatError(() => parseNetwork("", "gexf"));
  });

  it("the wrong root element", () => {
    expectLine(() => parseNetwork(graphml(`<node id="a"/>`), "gexf"), 2);
    expectLine(() => parseNetwork(`<?xml version="1.0"?>\n<graphml>\n</graphml>\n`, "graphml"), 2); // no <graph>
  });

  it("zero nodes", () => {
    expectLine(() => parseNetwork(gexf(""), "gexf"), undefined);
    expectLine(() => parseNetwork(graphml(""), "graphml"), undefined);
    expectLine(() => parseNetwork(`{"nodes": [], "edges": []}`, "json"), undefined);
  });

  it("an edge to an undeclared node, and a duplicate node id, name their line", () => {
    expectLine(() => parseNetwork(gexf(`${nodes}\n<edges>\n<edge source="a" target="zz"/>\n</edges>`), "gexf"), 9);
    expectLine(() => parseNetwork(graphml(`<node id="a"/>\n<edge source="a" target="zz"/>`), "graphml"), 5);
    expectLine(() => parseNetwork(graphml(`<node id="a"/>\n<node id="a"/>`), "graphml"), 5);
  });

  it("bad weights name their line", () => {
    expectLine(() => parseNetwork(gexf(`${nodes}\n<edges>\n<edge source="a" target="b" weight="-1"/>\n</edges>`), "gexf"), 9);
    expectLine(() => parseNetwork(gexf(`${nodes}\n<edges>\n<edge source="a" target="b" weight="x"/>\n</edges>`), "gexf"), 9);
    const key = `<key id="w" for="edge" attr.name="weight" attr.type="double"/>\n`;
    expectLine(
      () => parseNetwork(graphml(`<node id="a"/>\n<node id="b"/>\n<edge source="a" target="b">\n<data key="w">heavy</data>\n</edge>`, key), "graphml"),
      8,
    );
    const stringKey = `<key id="w" for="edge" attr.name="weight" attr.type="string"/>\n`;
    expectLine(() => parseNetwork(graphml(`<node id="a"/>`, stringKey), "graphml"), 3);
    expectLine(() => parseNetwork(`{"nodes":[{"key":"a"},{"key":"b"}],"edges":[{"source":"a","target":"b","attributes":{"weight":-2}}]}`, "json"), undefined);
  });

  it("a direction that contradicts the file", () => {
    const text = gexf(`${nodes}\n<edges>\n<edge source="a" target="b"/>\n</edges>`, "directed");
    expect(parseNetwork(text, "gexf", { directed: true }).type).toBe("directed");
    formatError(() => parseNetwork(text, "gexf", { directed: false }));
  });

  it("malformed JSON", () => {
    formatError(() => parseNetwork(`{\n  "nodes": [\n    {"key": "a"},\n  ]\n}`, "json"));
    expectLine(() => parseNetwork(`{"nodes": []\n\n x}`, "json"), 3); // V8 reports "at position 14" here
    formatError(() => parseNetwork(`[]`, "json"));
    formatError(() => parseNetwork(`{"edges": []}`, "json"));
    formatError(() => parseNetwork(`{"nodes": [{"id": "a"}]}`, "json"));
    formatError(() => parseNetwork(`{"nodes": [{"key": "a"}], "edges": [{"source": "a", "target": "b"}]}`, "json"));
    formatError(() => parseNetwork(`{"options": {"type": "sideways"}, "nodes": [{"key": "a"}]}`, "json"));
    formatError(() => parseNetwork("", "json"));
  });
});

describe("example networks", () => {
  const kiteEdges = [
    [0, 1], [0, 2], [0, 3], [0, 5], [1, 3], [1, 4], [1, 6], [2, 3], [2, 5],
    [3, 4], [3, 5], [3, 6], [4, 6], [5, 6], [5, 7], [6, 7], [7, 8], [8, 9],
  ].map(([a, b]) => `u|${a}|${b}|-`);

  it("kite.csv is the Krackhardt kite: 10 nodes, 18 edges", async () => {
    const g = await readNetwork("scenarios/networks/kite.csv");
    expect(g.order).toBe(10);
    expect(g.size).toBe(18);
    expect(edgeSet(g)).toEqual([...kiteEdges].sort());
    expect(g.degree("3")).toBe(6); // Diane, the most connected
  });

  it("kite.gexf holds the same network", async () => {
    const g = await readNetwork("scenarios/networks/kite.gexf");
    expect(g.type).toBe("undirected");
    expect(edgeSet(g)).toEqual([...kiteEdges].sort());
  });
});
