/**
 * Issue 15, item 5: the CLI's output folder is atomic as a set. `kill -9` during the writes once left a
 * `result.json` of one run beside a `nodes.csv` of an earlier one, and a 29 MB `result.json.<pid>.tmp` that
 * later runs never removed. Here the CLI writes a ~15 MB set (10 runs × 10^5 nodes, every node's state) and
 * is killed with SIGKILL at six moments (0 to 1280 ms) after its staging folder appears; after each kill the folder must
 * be the previous complete set or the new complete set (its manifest matches every file), and the next run
 * must remove every leftover.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { verifyOutputSet } from "../../src/cli/output-set.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "spreadlab.js");
const work = mkdtempSync(join(tmpdir(), "spreadlab-outset-"));
const out = join(work, "out");
const target = join(out, "big");
afterAll(() => rmSync(work, { recursive: true, force: true }));

writeFileSync(
  join(work, "big.yaml"),
  `name: big
seed: 1
network: { generate: { type: erdos-renyi, n: 100000, k: 4 } }
model: { type: compartmental, preset: SIR, params: { beta: 0.5, gamma: 1 } }
time: { mode: continuous, tmax: 20, record: 1 }
initial: { I: { count: 20 } }
runs: 10
output: { dir: out/big, nodes: all }
`,
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const leftovers = () => (existsSync(out) ? readdirSync(out).filter((e) => e.startsWith(".big.")) : []);
const run = (...args: string[]) => spawnSync(process.execPath, [bin, "run", "big.yaml", "--quiet", "--workers", "1", ...args], { cwd: work, encoding: "utf8" });

/** Start a run with `seed`, SIGKILL it `delayMs` after its staging folder appears (or let it finish). */
async function killDuringWrites(seed: number, delayMs: number): Promise<{ hitWrites: boolean }> {
  const before = new Set(leftovers());
  const child = spawn(process.execPath, [bin, "run", "big.yaml", "--quiet", "--workers", "1", "--seed", String(seed)], { cwd: work, stdio: "ignore" });
  let exited = false;
  const done = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  while (!exited && !leftovers().some((e) => e.includes(".staging-") && !before.has(e))) await sleep(1);
  if (!exited) {
    await sleep(delayMs);
    child.kill("SIGKILL");
  }
  await done;
  // A kill that landed before the swap leaves this process's staging folder behind.
  return { hitWrites: leftovers().some((e) => e.includes(`-${child.pid}-`)) };
}

describe("spreadlab run output folder, killed with SIGKILL during the writes", () => {
  it("is always the old complete set or the new one, and the next run removes the leftovers", async () => {
    expect(run().status).toBe(0);
    let current = verifyOutputSet(target);
    expect(current.ok).toBe(true);
    expect(current.manifest?.seed).toBe(1);

    let hits = 0;
    const outcomes: string[] = [];
    // Longest first, so the last kill lands early in the writes and leaves a staging folder for the next run to clean.
    const delays = [1280, 320, 80, 20, 5, 0];
    for (const [i, delay] of delays.entries()) {
      const seed = 100 + i;
      const { hitWrites } = await killDuringWrites(seed, delay);
      if (hitWrites) hits++;
      const now = verifyOutputSet(target);
      expect(now.problems, `after a kill ${delay} ms into the writes`).toEqual([]);
      expect([current.manifest!.seed, seed]).toContain(now.manifest!.seed);
      outcomes.push(now.manifest!.seed === seed ? "new" : "old");
      // result.json and nodes.csv belong to the same run: the manifest's seed is result.json's.
      expect(JSON.parse(readFileSync(join(target, "result.json"), "utf8")).seed).toBe(now.manifest!.seed);
      current = now;
    }
    console.info(`output set: ${hits} of ${delays.length} kills landed during the writes; the folder held afterwards: ${outcomes.join(", ")}`);
    // The kills must have landed during the writes at least once, or this test showed nothing.
    expect(hits, `outcomes: ${outcomes.join(", ")}`).toBeGreaterThan(0);
    expect(leftovers().length).toBeGreaterThan(0);

    // A .tmp file of the earlier one-file-at-a-time writer, from a process that is gone.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(join(target, `result.json.${gone}.tmp`), "half a result");
    expect(run("--seed", "7").status).toBe(0);
    expect(leftovers()).toEqual([]);
    const last = verifyOutputSet(target);
    expect(last.problems).toEqual([]);
    expect(last.manifest!.seed).toBe(7);
  }, 120_000);

  it("a reader can tell a tampered or mixed folder: one changed byte fails the manifest", () => {
    const path = join(target, "runs.csv");
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replace(/\d/, (d) => String((Number(d) + 1) % 10)));
    expect(verifyOutputSet(target)).toMatchObject({ ok: false, problems: ["runs.csv: does not match the manifest"] });
  });

  it("a folder holding other files is refused (exit 2) and left as it was", () => {
    const mine = join(work, "mine");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "mine");
    const r = run("--out", "mine");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("not a Spreadlab result set");
    expect(readdirSync(mine)).toEqual(["notes.txt"]);
  });

  it("a sweep is one set: a folder per point and sweep.csv under one manifest", () => {
    writeFileSync(
      join(work, "sweep.yaml"),
      `name: sweep
seed: 2
network: { generate: { type: erdos-renyi, n: 300, k: 4 } }
model: { type: compartmental, preset: SIR, params: { beta: 0.5, gamma: 1 } }
time: { mode: continuous, tmax: 10, record: 1 }
initial: { I: { count: 3 } }
sweep: { beta: [0.2, 0.4] }
output: { dir: out/sweep }
`,
    );
    const r = spawnSync(process.execPath, [bin, "run", "sweep.yaml", "--quiet"], { cwd: work, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const set = verifyOutputSet(join(out, "sweep"));
    expect(set.problems).toEqual([]);
    expect(set.manifest!.files.map((f) => f.path)).toEqual(expect.arrayContaining(["sweep.csv", "beta=0.2/result.json", "beta=0.4/curves.csv"]));
  });
});
