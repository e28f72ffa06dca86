/**
 * `spreadlab network generate|convert|stats`, in process: `registerNetworkCommands` on a fresh commander
 * program (with exitOverride, as `buildProgram` sets it), stdout captured by a spy on process.stdout.write,
 * files written to a temporary folder. Exit codes are those `main` derives from the error thrown (see
 * `exitCode` in tests/helpers/network-cli.ts, which mirrors src/cli/main.ts). When main.ts registers the commands, a last block also
 * runs them through `node bin/spreadlab.js` to check the real exit codes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CommanderError } from "commander";
import type Graph from "graphology";
import { afterAll, describe, expect, it } from "vitest";
import { buildGeneratorSpec, parseParamValue, type NetworkStats } from "../../src/cli/network.js";
import { readNetworkSync } from "../../src/graph/io/index.js";
import { barabasiAlbertEdgeCount } from "../../src/graph/generators/barabasi-albert.js";
import { network } from "../helpers/network-cli.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const KITE = join(root, "scenarios", "networks", "kite.csv");
const work = mkdtempSync(join(tmpdir(), "spreadlab-network-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const at = (name: string) => join(work, name);


/** Undirected edges as sorted "a|b" strings. */
function edgeSet(graph: Graph): string[] {
  return graph.mapEdges((_e, _a, s, t) => (s < t ? `${s}|${t}` : `${t}|${s}`)).sort();
}

describe("network generate", () => {
  it("barabasi-albert n=200 m=2 (clique start): 3 + 197·2 = 397 edges, written, summarised and read back", async () => {
    expect(barabasiAlbertEdgeCount(200, 2)).toBe(397);
    const out = at("ba.csv");
    const r = await network("generate", "barabasi-albert", "--param", "n=200", "--param", "m=2", "--seed", "1", "--out", out);
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stdout).toContain("200 nodes, 397 edges");
    expect(r.stdout).toContain("seed 1");
    expect(existsSync(out)).toBe(true);
    const g = readNetworkSync(out);
    expect(g.order).toBe(200);
    expect(g.size).toBe(397);
  });

  it("the same seed writes the same file; another seed does not; --quiet prints nothing", async () => {
    const args = ["generate", "barabasi-albert", "--param", "n=200", "--param", "m=2", "--quiet"];
    expect((await network(...args, "--seed", "5", "--out", at("s5a.csv"))).stdout).toBe("");
    await network(...args, "--seed", "5", "--out", at("s5b.csv"));
    await network(...args, "--seed", "6", "--out", at("s6.csv"));
    const text = (name: string) => readFileSync(at(name), "utf8");
    expect(text("s5b.csv")).toBe(text("s5a.csv"));
    expect(text("s6.csv")).not.toBe(text("s5a.csv"));
  });

  it("--format overrides the extension; JSON array parameters; isolated nodes fit in gexf", async () => {
    const out = at("sbm.graph");
    const r = await network(
      "generate", "stochastic-block",
      "--param", "sizes=[30,20]",
      "--param", "probabilities=[[0.2,0.01],[0.01,0.3]]",
      "--format", "gexf",
      "--out", out,
    );
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain("50 nodes");
    expect(readFileSync(out, "utf8")).toContain("<gexf");
    expect(readNetworkSync(out, { format: "gexf" }).order).toBe(50);
  });

  it("deterministic generators: krackhardt-kite has 10 nodes and 18 edges, no seed in the summary", async () => {
    const r = await network("generate", "krackhardt-kite", "--out", at("kite.json"));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("10 nodes, 18 edges");
    expect(r.stdout).not.toContain("seed");
    expect(readNetworkSync(at("kite.json")).size).toBe(18);
  });
});

describe("network convert", () => {
  it("csv → gexf → csv preserves the edge set", async () => {
    const a = await network("convert", KITE, at("kite.gexf"));
    expect(a.error).toBeUndefined();
    expect(a.stdout).toContain("10 nodes, 18 edges");
    const b = await network("convert", at("kite.gexf"), at("kite-back.csv"), "--quiet");
    expect(b.error).toBeUndefined();
    expect(b.stdout).toBe("");
    const original = readNetworkSync(KITE);
    expect(edgeSet(readNetworkSync(at("kite.gexf")))).toEqual(edgeSet(original));
    const back = readNetworkSync(at("kite-back.csv"));
    expect(back.order).toBe(10);
    expect(edgeSet(back)).toEqual(edgeSet(original));
  });

  it("--from/--to pick formats regardless of the names; --directed reads an edge list as directed", async () => {
    writeFileSync(at("arcs.dat"), "source,target\na,b\nb,a\nb,c\n");
    const r = await network("convert", at("arcs.dat"), at("arcs.out"), "--from", "csv", "--to", "graphml", "--directed");
    expect(r.error).toBeUndefined();
    const g = readNetworkSync(at("arcs.out"), { format: "graphml" });
    expect(g.type).toBe("directed");
    expect(g.size).toBe(3);
  });
});

describe("network stats", () => {
  it("kite.csv, text: 10 nodes, 18 edges, ⟨k⟩ = 3.6, one component, thresholds, histogram", async () => {
    const r = await network("stats", KITE);
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("undirected, 10 nodes, 18 edges");
    expect(r.stdout).toMatch(/mean degree ⟨k⟩\s+3\.6\b/);
    expect(r.stdout).toMatch(/⟨k²⟩\s+15\b/);
    expect(r.stdout).toMatch(/degree min \/ max\s+1 \/ 6/);
    expect(r.stdout).toMatch(/density\s+0\.4\b/);
    expect(r.stdout).toMatch(/components\s+1, largest 10 nodes/);
    expect(r.stdout).toMatch(/T_c\s+0\.3158/); // 3.6 / (15 − 3.6)
    expect(r.stdout).toMatch(/λ_c\s+0\.24\b/); // 3.6 / 15
    expect(r.stdout).toContain("degree histogram");
    expect(r.stdout).toMatch(/^\s+k 3\s+3\s+█+$/m); // three nodes of degree 3
  });

  it("kite.csv, --json: every field", async () => {
    const r = await network("stats", KITE, "--json");
    expect(r.error).toBeUndefined();
    const s = JSON.parse(r.stdout) as NetworkStats;
    expect(s).toMatchObject({
      source: { file: KITE, format: "csv" },
      nodes: 10,
      edges: 18,
      selfLoops: 0,
      directed: false,
      minDegree: 1,
      maxDegree: 6,
      components: 1,
      largestComponent: 10,
      isolated: 0,
      histogramBinning: "linear",
    });
    expect(s.meanDegree).toBeCloseTo(3.6, 12);
    expect(s.meanSquareDegree).toBeCloseTo(15, 12);
    expect(s.density).toBeCloseTo(0.4, 12);
    expect(s.sirThreshold).toBeCloseTo(3.6 / 11.4, 12);
    expect(s.sisThreshold).toBeCloseTo(0.24, 12);
    expect(s.degreeHistogram).toEqual([
      { min: 1, max: 1, count: 1 },
      { min: 2, max: 2, count: 1 },
      { min: 3, max: 3, count: 3 },
      { min: 4, max: 4, count: 2 },
      { min: 5, max: 5, count: 2 },
      { min: 6, max: 6, count: 1 },
    ]);
  });

  it("the gexf copy of the kite gives the same statistics", async () => {
    const csv = JSON.parse((await network("stats", KITE, "--json")).stdout) as NetworkStats;
    const gexf = JSON.parse((await network("stats", join(root, "scenarios", "networks", "kite.gexf"), "--json")).stdout) as NetworkStats;
    const { source: _a, ...a } = csv;
    const { source: _b, ...b } = gexf;
    expect(b).toEqual(a);
  });

  it("--generate gives the statistics of the file generate writes; heavy tails get log2 bins", async () => {
    const params = ["--param", "n=2000", "--param", "m=2", "--seed", "9"];
    await network("generate", "barabasi-albert", ...params, "--out", at("ba2000.csv"), "--quiet");
    const fromFile = JSON.parse((await network("stats", at("ba2000.csv"), "--json")).stdout) as NetworkStats;
    const r = await network("stats", "--generate", "barabasi-albert", ...params, "--json");
    expect(r.error).toBeUndefined();
    const generated = JSON.parse(r.stdout) as NetworkStats;
    expect(generated.source).toEqual({ generate: { type: "barabasi-albert", n: 2000, m: 2 }, seed: 9 });
    for (const key of ["nodes", "edges", "meanDegree", "meanSquareDegree", "minDegree", "maxDegree", "components", "degreeHistogram"] as const) {
      expect(generated[key]).toEqual(fromFile[key]);
    }
    expect(generated.edges).toBe(barabasiAlbertEdgeCount(2000, 2));
    expect(generated.histogramBinning).toBe("log2");
    expect(generated.degreeHistogram[0]).toEqual({ min: 2, max: 3, count: expect.any(Number) });
    expect(generated.degreeHistogram.reduce((sum, b) => sum + b.count, 0)).toBe(2000);
    const text = await network("stats", "--generate", "barabasi-albert", ...params);
    expect(text.stdout).toContain("degree histogram (log2 bins)");
    expect(text.stdout).toMatch(/^\s+k 2–3\s+\d+\s+█+$/m);
  });

  it("components by union-find: two pieces and an empty graph; infinite thresholds are null / ∞", async () => {
    writeFileSync(at("pieces.csv"), "a,b\nb,c\nc,a\nc,d\nx,y\n");
    const s = JSON.parse((await network("stats", at("pieces.csv"), "--json")).stdout) as NetworkStats;
    expect(s).toMatchObject({ nodes: 6, edges: 5, components: 2, largestComponent: 4, isolated: 0 });

    const empty = await network("stats", "--generate", "erdos-renyi", "--param", "n=20", "--param", "p=0", "--json");
    const e = JSON.parse(empty.stdout) as NetworkStats;
    expect(e).toMatchObject({ nodes: 20, edges: 0, components: 20, largestComponent: 1, isolated: 20, density: 0, sirThreshold: null, sisThreshold: null });
    const text = await network("stats", "--generate", "erdos-renyi", "--param", "n=20", "--param", "p=0");
    expect(text.stdout).toMatch(/T_c\s+∞/);
    expect(text.stdout).toMatch(/λ_c\s+∞/);
  });

  it("--directed: out-degrees, density m / (n(n − 1)), weak components", async () => {
    writeFileSync(at("chain.csv"), "source,target\n0,1\n1,2\n2,0\n3,2\n");
    const s = JSON.parse((await network("stats", at("chain.csv"), "--directed", "--json")).stdout) as NetworkStats;
    expect(s).toMatchObject({ directed: true, nodes: 4, edges: 4, meanDegree: 1, minDegree: 1, maxDegree: 1, components: 1 });
    expect(s.density).toBeCloseTo(4 / 12, 12);
    const u = JSON.parse((await network("stats", at("chain.csv"), "--json")).stdout) as NetworkStats;
    expect(u.directed).toBe(false);
    expect(u.density).toBeCloseTo(8 / 12, 12);
  });

  it("self-loops are counted apart and left out of the degrees", async () => {
    writeFileSync(at("loop.csv"), "a,b\nb,b\n");
    const s = JSON.parse((await network("stats", at("loop.csv"), "--json")).stdout) as NetworkStats;
    expect(s).toMatchObject({ nodes: 2, edges: 1, selfLoops: 1, meanDegree: 1 });
  });
});

describe("generator parameters", () => {
  it("values: numbers, booleans, JSON, bare strings", () => {
    expect(parseParamValue("n", "1000")).toBe(1000);
    expect(parseParamValue("p", "1e-3")).toBe(0.001);
    expect(parseParamValue("directed", "true")).toBe(true);
    expect(parseParamValue("sizes", "[1, 2]")).toEqual([1, 2]);
    expect(parseParamValue("distribution", '{"poisson": 4}')).toEqual({ poisson: 4 });
    expect(parseParamValue("start", "star")).toBe("star");
    expect(() => parseParamValue("sizes", "[1,")).toThrow(expect.objectContaining({ name: "GeneratorError" }));
  });

  it("specs: the value may contain '='; names are checked against the generator", () => {
    expect(buildGeneratorSpec("barabasi-albert", ["n=10", "start=star"])).toEqual({ type: "barabasi-albert", n: 10, start: "star" });
    expect(() => buildGeneratorSpec("petersen", ["n=3"])).toThrow(/takes no parameters/);
    expect(() => buildGeneratorSpec("barabasi-albert", ["n"])).toThrow(/NAME=VALUE/);
    expect(() => buildGeneratorSpec("barabasi-albert", ["n=1", "n=2"])).toThrow(/given twice/);
  });
});

describe("errors and exit codes", () => {
  it("unknown generator type: GeneratorError, exit 2, listing the valid types; nothing written", async () => {
    const out = at("nope.csv");
    const r = await network("generate", "nope", "--out", out);
    expect(r.error?.name).toBe("GeneratorError");
    expect(r.code).toBe(2);
    expect(r.error?.message).toContain('unknown type "nope"');
    for (const id of ["erdos-renyi", "barabasi-albert", "watts-strogatz", "karate-club"]) expect(r.error?.message).toContain(id);
    expect(existsSync(out)).toBe(false);
    const s = await network("stats", "--generate", "nope");
    expect(s.error?.name).toBe("GeneratorError");
    expect(s.code).toBe(2);
  });

  it("parameters outside the generator's domain, unknown names, bad JSON: GeneratorError, exit 2", async () => {
    const bad = await network("generate", "barabasi-albert", "--param", "n=10", "--param", "m=0", "--out", at("m0.csv"));
    expect(bad.error?.name).toBe("GeneratorError");
    expect(bad.error?.message).toContain("barabasi-albert: m must be an integer in [1, n), got 0.");
    expect(bad.code).toBe(2);
    const unknown = await network("generate", "barabasi-albert", "--param", "nodes=10", "--out", at("x.csv"));
    expect(unknown.error?.message).toMatch(/unknown parameter "nodes"; expected one of n, m, start/);
    expect(unknown.code).toBe(2);
    const json = await network("generate", "stochastic-block", "--param", "sizes=[1,", "--out", at("x.csv"));
    expect(json.error?.name).toBe("GeneratorError");
    expect(json.code).toBe(2);
  });

  it("a malformed network file: GraphFormatError with file:line, exit 2 (stats and convert)", async () => {
    const bad = at("bad.csv");
    writeFileSync(bad, "source,target\n0,1\n1,2,3,4\n");
    for (const r of [await network("stats", bad), await network("convert", bad, at("bad.gexf"))]) {
      expect(r.error?.name).toBe("GraphFormatError");
      expect(r.error?.message).toContain(`${bad}:3:`);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
    }
    expect(existsSync(at("bad.gexf"))).toBe(false);
  });

  it("a missing input file, an unknown extension: GraphFormatError, exit 2", async () => {
    const missing = await network("stats", at("missing.csv"));
    expect(missing.error?.name).toBe("GraphFormatError");
    expect(missing.error?.message).toContain("no such file");
    expect(missing.code).toBe(2);
    const ext = await network("generate", "path", "--out", at("path.xyz"));
    expect(ext.error?.name).toBe("GraphFormatError");
    expect(ext.error?.message).toContain('".xyz"');
    expect(ext.code).toBe(2);
  });

  it("isolated nodes into an edge list: GraphFormatError, exit 2, suggesting another format", async () => {
    const r = await network("generate", "erdos-renyi", "--param", "n=20", "--param", "p=0", "--out", at("empty.csv"));
    expect(r.error?.name).toBe("GraphFormatError");
    expect(r.error?.message).toMatch(/GEXF, GraphML or JSON/);
    expect(r.code).toBe(2);
  });

  it("usage errors from commander: bad --format choice, missing --out, bad --seed, file and --generate together: exit 2", async () => {
    const choice = await network("generate", "path", "--out", at("p.csv"), "--format", "xml");
    expect(choice.error).toBeInstanceOf(CommanderError);
    expect(choice.commander).toContain("Allowed choices are csv, tsv, gexf, graphml, json");
    expect(choice.code).toBe(2);
    const noOut = await network("generate", "path");
    expect(noOut.error).toBeInstanceOf(CommanderError);
    expect(noOut.code).toBe(2);
    const seed = await network("generate", "path", "--seed", "-1", "--out", at("p.csv"));
    expect(seed.error?.name).toBe("SpreadlabError");
    expect(seed.code).toBe(2);
    for (const args of [["stats"], ["stats", KITE, "--generate", "path"], ["stats", KITE, "--param", "n=3"]]) {
      const r = await network(...args);
      expect(r.error?.name).toBe("SpreadlabError");
      expect(r.code).toBe(2);
    }
  });

  it("an unwritable output (missing folder, a file as folder): NetworkWriteError, exit 1", async () => {
    writeFileSync(at("plain-file"), "");
    for (const out of [at("no-such-folder/ba.csv"), at("plain-file/ba.csv")]) {
      const g = await network("generate", "barabasi-albert", "--param", "n=50", "--param", "m=2", "--out", out);
      expect(g.error?.name).toBe("NetworkWriteError");
      expect(g.error?.message).toContain(out);
      expect(g.code).toBe(1);
      const c = await network("convert", KITE, out);
      expect(c.error?.name).toBe("NetworkWriteError");
      expect(c.code).toBe(1);
    }
  });
});

// Through the real binary, once src/cli/main.ts registers the commands (skipped until then).
const bin = join(root, "bin", "spreadlab.js");
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: "utf8" });
const wired = existsSync(join(root, "dist", "src", "cli", "main.js")) && !cli("network", "stats", KITE).stderr.includes("unknown command");

describe.runIf(wired)("spreadlab network (bin/spreadlab.js)", () => {
  it("stats --json: exit 0", () => {
    const r = cli("network", "stats", KITE, "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ nodes: 10, edges: 18, components: 1 });
  });

  it("exit 2 for an unknown type and a malformed file, exit 1 for an unwritable output", () => {
    const type = cli("network", "generate", "nope", "--out", "x.csv");
    expect(type.status).toBe(2);
    expect(type.stderr).toContain("barabasi-albert");
    writeFileSync(at("bad2.csv"), "source,target\n0,1\n1,2,3,4\n");
    const file = cli("network", "stats", "bad2.csv");
    expect(file.status).toBe(2);
    expect(file.stderr).toContain("bad2.csv:3:");
    const out = cli("network", "convert", KITE, "no-such-folder/kite.csv");
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("no-such-folder/kite.csv");
  });
});
