/**
 * Issue 15, item 7 (paths): `output.dir: ../../x` wrote outside the working folder, and a symbolic link in
 * the scenario's folder pointing outside validated `ok`. Network files resolve against the scenario's folder
 * and output folders against the working folder; neither may leave its folder — by `..`, an absolute path,
 * or a symbolic link anywhere along the path (resolved with realpath) — unless --allow-outside.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "spreadlab.js");
// base/outside holds what must not be reached; base/work/scenario is the scenario folder and the working folder.
const base = mkdtempSync(join(tmpdir(), "spreadlab-paths-"));
const outside = join(base, "outside");
const work = join(base, "work", "scenario");
mkdirSync(outside, { recursive: true });
mkdirSync(work, { recursive: true });
afterAll(() => rmSync(base, { recursive: true, force: true }));

const EDGES = "source,target\na,b\nb,c\nc,a\nc,d\n";
writeFileSync(join(outside, "secret.csv"), EDGES);
writeFileSync(join(work, "inside.csv"), EDGES);
symlinkSync(join(outside, "secret.csv"), join(work, "link.csv"));
symlinkSync(outside, join(work, "nets"));
symlinkSync(outside, join(work, "results"));

function scenario(name: string, network: string, output = ""): string {
  writeFileSync(
    join(work, name),
    `name: paths
seed: 1
network: { file: ${network} }
model: { type: compartmental, preset: SIR, params: { beta: 1, gamma: 1 } }
time: { mode: continuous, tmax: 5, record: 1 }
initial: { I: { nodes: ["a"] } }
${output}`,
  );
  return name;
}

const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: "utf8" });

describe("network files: a symbolic link pointing outside the scenario's folder is refused at validate", () => {
  it("a plain file beside the scenario validates", () => {
    expect(cli("validate", scenario("plain.yaml", "inside.csv")).status).toBe(0);
  });
  it("a link to a file outside: exit 2, network.file named", () => {
    const r = cli("validate", scenario("link.yaml", "link.csv"));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("network.file");
    expect(r.stderr).toContain("outside the scenario's folder");
  });
  it("a file inside a linked folder that points outside: exit 2", () => {
    expect(cli("validate", scenario("dir-link.yaml", "nets/secret.csv")).status).toBe(2);
  });
  it("--allow-outside lets both through", () => {
    expect(cli("validate", "link.yaml", "--allow-outside").status).toBe(0);
    expect(cli("validate", "dir-link.yaml", "--allow-outside").status).toBe(0);
  });
});

describe("output.dir stays under the working folder", () => {
  it("output.dir: ../../x is refused by validate and by run, and nothing is written there", () => {
    const file = scenario("up.yaml", "inside.csv", "output: { dir: ../../x }\n");
    const v = cli("validate", file);
    expect(v.status).toBe(2);
    expect(v.stderr).toContain("output.dir");
    const r = cli("run", file, "--quiet");
    expect(r.status).toBe(2);
    expect(existsSync(join(base, "x"))).toBe(false);
  });
  it("an absolute output.dir, and one through a link that points outside, are refused", () => {
    expect(cli("validate", scenario("abs.yaml", "inside.csv", `output: { dir: ${join(outside, "abs")} }\n`)).status).toBe(2);
    const linked = scenario("linked-out.yaml", "inside.csv", "output: { dir: results/run1 }\n");
    expect(cli("validate", linked).status).toBe(2);
    expect(cli("run", linked, "--quiet").status).toBe(2);
    expect(existsSync(join(outside, "run1"))).toBe(false);
  });
  it("a folder inside the working folder is written; --allow-outside writes where it is told", () => {
    const inside = scenario("in.yaml", "inside.csv", "output: { dir: out/in }\n");
    expect(cli("run", inside, "--quiet").status).toBe(0);
    expect(existsSync(join(work, "out", "in", "result.json"))).toBe(true);
    const r = cli("run", "up.yaml", "--quiet", "--allow-outside");
    expect(r.status).toBe(0);
    expect(existsSync(join(base, "x", "result.json"))).toBe(true);
  });
});
