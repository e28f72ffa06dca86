/**
 * Issue 15, item 6 (interruptible runs): a single long run stops promptly on Ctrl-C. The CLI runs even one
 * run in a worker thread, which the abort terminates mid-run; a run in the main thread would block the event
 * loop and with it the SIGINT handler. The run below is within the work bound (about 2·10^9 events) and
 * would take minutes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "spreadlab-sigint-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it("SIGINT stops a single long `spreadlab run` within seconds: exit 130, nothing written", { timeout: 60_000 }, async () => {
  const file = join(work, "long.yaml");
  writeFileSync(
    file,
    "network: { generate: { type: erdos-renyi, n: 2000, k: 10 } }\nmodel: { preset: SIS, params: { beta: 1, gamma: 1 } }\n" +
      "time: { mode: continuous, tmax: 100000, record: 1000 }\ninitial: { I: { count: 10 } }\noutput: { dir: out }\n",
  );
  const child = spawn(process.execPath, [join(root, "bin", "spreadlab.js"), "run", file, "--quiet"], { cwd: work });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on("exit", (code) => resolve({ code, at: Date.now() })));
  // Let it load and start the run (the worker is up once the process has been alive a few seconds).
  await new Promise((r) => setTimeout(r, 5000));
  expect(child.exitCode, stderr).toBe(null); // still running
  const sent = Date.now();
  child.kill("SIGINT");
  const { code, at } = await exited;
  expect(code, stderr).toBe(130);
  expect(at - sent).toBeLessThan(5000);
  expect(stderr).toMatch(/interrupted/);
  expect(existsSync(join(work, "out"))).toBe(false);
});
