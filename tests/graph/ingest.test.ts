/**
 * Network files straight to CSR (graph/load.ts): the byte reader, the Arrow reader and the CSR builder give
 * exactly what the graphology path gives — same node order, same arcs, same Float32 weights, same errors with
 * the same file:line — and therefore the bit-identical simulation.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { makeTable, tableToIPC, vectorFromArray, Table, Utf8, Int64 } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CSR } from "../../src/graph/csr.js";
import { readNetworkSync } from "../../src/graph/io/index.js";
import { edgesToArrow } from "../../src/graph/io/arrow.js";
import { EdgeListParser } from "../../src/graph/io/edgelist-stream.js";
import { edgesToGraph, loadNetworkFile, loadNetworkFileSync, readEdgesSync } from "../../src/graph/load.js";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { pathSpec, withoutElapsed } from "../helpers/paths.js";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";

const dir = mkdtempSync(join(tmpdir(), "spreadlab-ingest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A deterministic edge list without repeats: node ids scattered (not 0..n−1 in order), a few self-loops. */
function edgeRows(n: number, m: number, seed: number): [number, number][] {
  let x = seed >>> 0;
  const next = (): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x;
  };
  const seen = new Set<string>();
  const rows: [number, number][] = [];
  while (rows.length < m) {
    const a = (next() % n) * 7 + 3;
    const b = next() % 50 === 0 ? a : (next() % n) * 7 + 3;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push([a, b]);
  }
  return rows;
}

const rows = edgeRows(300, 1500, 7);
const weightOf = (i: number): string => String(((i * 37) % 101) / 8);

function expectSameCSR(a: CSR, b: CSR): void {
  expect(a.n).toBe(b.n);
  expect(a.m).toBe(b.m);
  expect(a.directed).toBe(b.directed);
  expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
  expect(Array.from(a.targets)).toEqual(Array.from(b.targets));
  expect(a.weights === null ? null : Array.from(a.weights)).toEqual(b.weights === null ? null : Array.from(b.weights));
  expect(a.nodeIds).toEqual(b.nodeIds);
}

const oldPath = (path: string, options: { directed?: boolean; weight?: string | null } = {}): CSR =>
  compile(readNetworkSync(path, { directed: options.directed }), { weight: options.weight ?? null });

describe("edge lists straight to CSR", () => {
  const variants: [string, string][] = [
    ["header.csv", "source,target\n" + rows.map(([a, b]) => `${a},${b}`).join("\n") + "\n"],
    ["weighted.csv", "source,target,weight\n" + rows.map(([a, b], i) => `${a},${b},${weightOf(i)}`).join("\n")],
    ["plain.tsv", rows.map(([a, b]) => `${a}\t${b}`).join("\n")],
    ["spaces.txt", "# comment\n\n" + rows.map(([a, b], i) => `  ${a}   ${b}${i % 9 === 0 ? "  " : ""}`).join("\n") + "\n\n% end\n"],
    ["crlf.csv", "from;to\r\n" + rows.map(([a, b]) => `${a} ; ${b}`).join("\r\n") + "\r\n"],
    ["strings.csv", "u,v\n" + rows.map(([a, b], i) => (i % 5 === 0 ? `"n ${a}",x${b}` : `${a},0${b}`)).join("\n")],
    ["unicode.csv", rows.map(([a, b], i) => (i === 40 ? `é${a},${b}` : `${a},${b}`)).join("\n")],
  ];
  for (const [name, text] of variants) {
    it(`${name}: same nodes, arcs and weights as compile(readNetworkSync) (undirected and directed)`, () => {
      const path = fixture(name, text);
      for (const directed of [false, true]) {
        expectSameCSR(loadNetworkFileSync(path, { directed, weight: "weight" }), oldPath(path, { directed, weight: "weight" }));
      }
    });
  }

  it("any chunking gives the same edges (lines split across chunks, a BOM, CRLF split between \\r and \\n)", () => {
    const text = "\uFEFFsource,target,weight\r\n" + rows.slice(0, 200).map(([a, b], i) => `${a},"${b}",${weightOf(i)}`).join("\r\n");
    const bytes = Buffer.from(text, "utf8");
    const whole = new EdgeListParser();
    whole.push(bytes);
    const reference = whole.end();
    for (const size of [1, 2, 3, 7, 64]) {
      const parser = new EdgeListParser();
      for (let p = 0; p < bytes.length; p += size) parser.push(bytes.subarray(p, p + size));
      const got = parser.end();
      expect(got.keys.toArray()).toEqual(reference.keys.toArray());
      expect(Array.from(got.edges.sources.subarray(0, got.edges.count))).toEqual(Array.from(reference.edges.sources.subarray(0, reference.edges.count)));
      expect(Array.from(got.edges.targets.subarray(0, got.edges.count))).toEqual(Array.from(reference.edges.targets.subarray(0, reference.edges.count)));
      expect(Array.from(got.edges.weights!.subarray(0, got.edges.count))).toEqual(Array.from(reference.edges.weights!.subarray(0, reference.edges.count)));
    }
  });

  it("integer ids stay integers until a key is asked for; a string key switches once", () => {
    const ints = readEdgesSync(fixture("ints.csv", "5,9\n9,1000000\n"))!;
    expect(ints.keys.integer).toBe(true);
    expect(ints.keys.toArray()).toEqual(["5", "9", "1000000"]);
    const mixed = readEdgesSync(fixture("mixed.csv", "5,9\n9,a\n007,5\n"))!;
    expect(mixed.keys.integer).toBe(false);
    expect(mixed.keys.toArray()).toEqual(["5", "9", "a", "007"]);
  });

  it("gzip (sync and streaming) and Mac line breaks read as the plain file", async () => {
    const text = "source,target,weight\n" + rows.map(([a, b], i) => `${a},${b},${weightOf(i)}`).join("\n");
    const plain = oldPath(fixture("w.csv", text), { weight: "weight" });
    const gz = fixture("w.csv.gz", gzipSync(text));
    expectSameCSR(loadNetworkFileSync(gz, { weight: "weight" }), plain);
    expectSameCSR(await loadNetworkFile(gz, { weight: "weight" }), plain);
    expectSameCSR(loadNetworkFileSync(fixture("mac.csv", text.replace(/\n/g, "\r")), { weight: "weight" }), plain);
  });

  it("a weight attribute the file lacks gives 1 on every arc, and arc attributes 0, as compile does", () => {
    const path = fixture("unweighted.csv", rows.map(([a, b]) => `${a},${b}`).join("\n"));
    const fresh = loadNetworkFileSync(path, { weight: "strength", arcAttributes: ["school"] });
    const old = compile(readNetworkSync(path), { weight: "strength", arcAttributes: ["school"] });
    expectSameCSR(fresh, old);
    expect(Array.from(fresh.arcData!.school)).toEqual(Array.from(old.arcData!.school));
  });
});

describe("the same errors, with the same file:line", () => {
  const bad: [string, string][] = [
    ["weight.csv", "a,b,1\nb,c,x\n"],
    ["negative.csv", "a,b,1\nb,c,-2\n"],
    ["columns.csv", "a,b\nb,c,d,e\n"],
    ["missing-weight.csv", "source,target,weight\na,b,1\nb,c\n"],
    ["empty-node.csv", "a,b\n,c\n"],
    ["quote.csv", 'a,b\n"c,d\n'],
    ["repeat.csv", "1,2\n2,3\n# gap\n\n3,2\n4,5\n"],
    ["repeat-before-bad.csv", "1,2\n2,1\n3,x,y,z\n"],
    ["bad-before-repeat.csv", "1,2\n3,x,y,z\n2,1\n"],
    ["empty.csv", "source,target\n# nothing\n"],
    ["one-column.csv", "1\n"],
    ["late-column.csv", "1,2\n3\n"],
    ["repeat-loop.csv", "1,1\n2,3\n1,1\n"],
    ["loop-then-repeat.csv", "1,1\n2,3\n3,2\n"],
  ];
  for (const [name, text] of bad) {
    it(`${name}`, () => {
      const path = fixture(name, text);
      let expected: unknown;
      try {
        readNetworkSync(path);
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeInstanceOf(Error);
      expect(() => loadNetworkFileSync(path)).toThrow(expected as Error);
      const got = (() => {
        try {
          loadNetworkFileSync(path);
        } catch (error) {
          return error as { name: string; line?: number };
        }
      })()!;
      expect(got.name).toBe("GraphFormatError");
      expect(got.line).toBe((expected as { line?: number }).line);
    });
  }

  it("directed: only the same ordered pair repeats", () => {
    const path = fixture("directed.csv", "1,2\n2,1\n1,2\n");
    expect(() => loadNetworkFileSync(path, { directed: true })).toThrow(/repeats the edge on line 1/);
    expect(() => loadNetworkFileSync(path, { directed: true })).toThrow(/:3: /);
  });

  it("weight: true without a weight column", () => {
    const path = fixture("noweight.csv", "1,2\n");
    expect(() => loadNetworkFileSync(path, { weightColumn: true })).toThrow(/weight: true was requested/);
  });
});

describe("Arrow IPC / Feather edge tables", () => {
  const text = "source,target,weight\n" + rows.map(([a, b], i) => `${a},${b},${weightOf(i)}`).join("\n");
  const csvPath = fixture("arrow-src.csv", text);

  it("an edge list converted to Arrow loads to the same CSR (int32 ids and weights)", () => {
    const parsed = readEdgesSync(csvPath)!;
    const path = fixture("edges.arrow", edgesToArrow(parsed));
    expectSameCSR(loadNetworkFileSync(path, { weight: "weight" }), oldPath(csvPath, { weight: "weight" }));
    expect(readEdgesSync(path)!.keys.integer).toBe(true);
  });

  it("string ids, int64 ids and dictionary-free utf8 columns; other columns are ignored", () => {
    const strings = readEdgesSync(fixture("s.csv", "a,b\nb,c\nc,a\n"))!;
    const path = fixture("s.feather", edgesToArrow(strings));
    expectSameCSR(loadNetworkFileSync(path), oldPath(join(dir, "s.csv")));
    const wide = new Table({
      source: vectorFromArray([10n, 20n, 30n], new Int64()),
      target: vectorFromArray([20n, 30n, 10n], new Int64()),
      note: vectorFromArray(["x", "y", "z"], new Utf8()),
    });
    const csr = loadNetworkFileSync(fixture("wide.ipc", tableToIPC(wide, "file")));
    expect(csr.nodeIds).toEqual(["10", "20", "30"]);
    expect(csr.m).toBe(6);
  });

  it("numeric columns are edge attributes: a named weight and per-arc data, in the arcs' order", () => {
    // Edges 5-6 (school 1, strength 0.5), 6-7 (school 0, strength 2), 5-7 (school 1, strength 4).
    const table = makeTable({
      source: new Int32Array([5, 6, 5]),
      target: new Int32Array([6, 7, 7]),
      strength: new Float64Array([0.5, 2, 4]),
      school: new Int32Array([1, 0, 1]),
    });
    const path = fixture("attrs.arrow", tableToIPC(table, "file"));
    const csr = loadNetworkFileSync(path, { weight: "strength", arcAttributes: ["school", "absent"] });
    const arc = (u: string, v: string) => {
      const a = csr.index.get(u)!;
      for (let k = csr.offsets[a]; k < csr.offsets[a + 1]; k++) if (csr.nodeIds[csr.targets[k]] === v) return k;
      throw new Error(`no arc ${u} → ${v}`);
    };
    expect([csr.weights![arc("5", "6")], csr.weights![arc("7", "6")], csr.weights![arc("7", "5")]]).toEqual([0.5, 2, 4]);
    expect([csr.arcData!.school[arc("6", "5")], csr.arcData!.school[arc("6", "7")], csr.arcData!.school[arc("5", "7")]]).toEqual([1, 0, 1]);
    expect(Array.from(csr.arcData!.absent)).toEqual([0, 0, 0, 0, 0, 0]);
    const negative = fixture("attrs-neg.arrow", tableToIPC(makeTable({ source: new Int32Array([1]), target: new Int32Array([2]), strength: new Float64Array([-1]) }), "file"));
    expect(() => loadNetworkFileSync(negative, { weight: "strength" })).toThrow(/attrs-neg\.arrow: row 0 .* "strength" = -1/);
  });

  it("missing columns, negative weights and repeated rows are GraphFormatErrors naming the file", () => {
    const noTarget = fixture("bad1.arrow", tableToIPC(makeTable({ from: new Int32Array([1]), to: new Int32Array([2]) }), "file"));
    expect(() => loadNetworkFileSync(noTarget)).toThrow(/expected "source" and "target"/);
    const negative = fixture("bad2.arrow", tableToIPC(makeTable({ source: new Int32Array([1, 2]), target: new Int32Array([2, 3]), weight: new Float64Array([1, -1]) }), "file"));
    expect(() => loadNetworkFileSync(negative)).toThrow(/bad2\.arrow: weight -1 in row 1/);
    const repeated = fixture("bad3.arrow", tableToIPC(makeTable({ source: new Int32Array([1, 2, 2]), target: new Int32Array([2, 3, 1]) }), "file"));
    expect(() => loadNetworkFileSync(repeated)).toThrow(/row 2 repeats the edge in row 0/);
    expect(() => loadNetworkFileSync(fixture("junk.arrow", "not arrow"))).toThrow(/cannot read the Arrow IPC/);
  });
});

describe("bit-identical simulation by every path", () => {
  const spec = pathSpec({ beta: 0.4, seed: 11, runs: 3, weight: "weight" });
  const strip = withoutElapsed;
  const text = "source,target,weight\n" + rows.map(([a, b], i) => `${a},${b},${weightOf(i)}`).join("\n");
  const csvPath = fixture("sim.csv", text);
  const reference = strip(simulate(readNetworkSync(csvPath), spec));

  it("graphology Graph = CSV → CSR = .csv.gz → CSR = Arrow → CSR", () => {
    const gz = fixture("sim.csv.gz", gzipSync(text));
    const arrow = fixture("sim.arrow", edgesToArrow(readEdgesSync(csvPath)!));
    for (const path of [csvPath, gz, arrow]) {
      expect(strip(simulate(loadNetworkFileSync(path, { weight: "weight" }), spec))).toEqual(reference);
    }
  });

  it("edgesToGraph gives back the graph readNetworkSync builds", () => {
    const graph = edgesToGraph(readEdgesSync(csvPath)!);
    expect(strip(simulate(graph, spec))).toEqual(reference);
  });
});

describe("scenario files", () => {
  const text = "source,target,weight\n" + rows.map(([a, b], i) => `${a},${b},${weightOf(i)}`).join("\n");
  fixture("scen.csv", text);
  fixture("scen.csv.gz", gzipSync(text));
  fixture("scen.arrow", edgesToArrow(readEdgesSync(join(dir, "scen.csv"))!));
  const network = (file: string, extra = "") =>
    resolveScenario(
      parseScenario(
        `network: { file: ${file}, weight: weight${extra} }\nmodel: { preset: SIR, params: { beta: 0.3, gamma: 1 } }\n` +
          `time: { mode: continuous, tmax: 10 }\ninitial: { I: { count: 2 } }\nruns: 1\n`,
        join(dir, "s.yaml"),
        dir,
      ),
    ).network() as CSR;

  it("network.file (.csv, .csv.gz, .arrow) compiles to the CSR of the graphology path, on shared memory", () => {
    const reference = compile(readNetworkSync(join(dir, "scen.csv")), { weight: "weight" });
    for (const file of ["scen.csv", "scen.csv.gz", "scen.arrow"]) {
      const csr = network(file);
      expectSameCSR(csr, reference);
      expect(csr.targets.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    const directed = network("scen.csv", ", directed: true");
    expectSameCSR(directed, compile(readNetworkSync(join(dir, "scen.csv"), { directed: true }), { weight: "weight" }));
  });

  it("a missing or corrupt file is a GraphFormatError naming it", async () => {
    expect(() => network("nope.csv")).toThrow(/nope\.csv: cannot read the network file: no such file/);
    fixture("bad.csv.gz", "not gzip at all");
    expect(() => loadNetworkFileSync(join(dir, "bad.csv.gz"))).toThrow(/bad\.csv\.gz: cannot read the network file: it is not valid gzip/);
    await expect(loadNetworkFile(join(dir, "bad.csv.gz"))).rejects.toThrow(/not valid gzip/);
    await expect(loadNetworkFile(join(dir, "nope.csv"))).rejects.toThrow(/no such file/);
  });
});
