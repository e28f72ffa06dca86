/**
 * Edge-list uploads are read straight to typed arrays and stored without a graphology Graph
 * (server/codec.ts `encodeEdges`): the stored network must decode to the graph the line-by-line reader builds
 * (edge keys "0".."m−1" in file order), byte for byte the same compact form `encodeGraph` writes for that graph,
 * so stored networks, their drawing and the runs on them are unchanged.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEdgeList } from "../../src/graph/io/csv.js";
import { readEdgesSync } from "../../src/graph/load.js";
import { decodeSerialized, encodeEdges, encodeGraph } from "../../src/server/codec.js";
import { describeNetwork, parseNetworkFile } from "../../src/server/network-build.js";

const dir = mkdtempSync(join(tmpdir(), "spreadlab-stored-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const limits = { maxNodes: 1e6, maxEdges: 1e6 };

describe("edge lists stored without graphology", () => {
  const cases: [string, string, boolean][] = [
    ["weighted.csv", "source,target,weight\n1,2,0.1\n2,3,1e-3\n3,3,2\n7,1,0.30000000000000004\n", false],
    ["plain.csv", "a,b\nb,c\n\"q \"\"x\"\"\",a\n9,é\n", false],
    ["directed.tsv", "1\t2\n2\t1\n", true],
  ];
  for (const [name, text, directed] of cases) {
    it(`${name}: the graph parseEdgeList builds, the same bytes as encodeGraph of it, and the same description`, () => {
      const path = join(dir, name);
      writeFileSync(path, text);
      const delimiter = name.endsWith(".tsv") ? "\t" : undefined;
      const graph = parseEdgeList(text, { directed, delimiter });
      const parsed = readEdgesSync(path, { directed, delimiter })!;
      expect(decodeSerialized(encodeEdges(parsed))).toEqual(graph.export());
      expect(Buffer.from(encodeEdges(parsed)).equals(Buffer.from(encodeGraph(graph)))).toBe(true);
      const fresh = describeNetwork(parseNetworkFile(path, name.endsWith(".tsv") ? "tsv" : "csv", { directed, file: "upload" }), limits);
      const old = describeNetwork(graph, limits);
      expect({ ...fresh, bytes: null }).toEqual({ ...old, bytes: null });
    });
  }

  it("errors name the upload, not the temporary file, with the line", () => {
    const path = join(dir, "bad.csv");
    writeFileSync(path, "1,2,1\n2,x,-1\n");
    expect(() => parseNetworkFile(path, "csv", { file: "upload" })).toThrow(/^upload:2: weight -1 is negative/);
    try {
      parseNetworkFile(path, "csv", { file: "upload" });
    } catch (error) {
      expect((error as { file: string }).file).toBe("upload");
      expect((error as { line: number }).line).toBe(2);
    }
  });
});
