/**
 * `network convert` and `network stats` on Arrow/Feather edge tables and `.gz` edge lists (in process, as
 * tests/cli/network.test.ts runs the commands): conversions both ways keep nodes, edges and weights, and the
 * statistics of a file do not depend on its format.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import type { NetworkStats } from "../../src/cli/network.js";
import { readNetworkSync } from "../../src/graph/io/index.js";
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
