/**
 * Backend choice (backend.ts): tfjs-node where it is installed, else wasm; SPREADLAB_TF_BACKEND forces
 * one. The choice is made once per process, so the forced cases run in child processes on the compiled
 * module (dist/, built by the vitest global setup); this file's own process checks the default and the
 * caching.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { currentTfBackend, initTf, tf } from "../../../src/forecast/transformer/backend.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const compiled = pathToFileURL(join(root, "dist", "src", "forecast", "transformer", "backend.js")).href;

/**
 * Whether tfjs-node actually loads (in a child, so this process's choice stays initTf's own): a package that
 * resolves is not enough — installed with --ignore-scripts, or where the libtensorflow download failed, its
 * native addon is missing and initTf must fall back to wasm.
 */
function tfjsNodeLoads(): boolean {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", 'await import("@tensorflow/tfjs-node"); console.log("loaded");'], { cwd: root, encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() === "loaded";
}

/** Runs initTf in a fresh Node process with SPREADLAB_TF_BACKEND set; prints the choice or the error. */
function childInit(backend: string): { status: number | null; stdout: string; stderr: string } {
  const script = `const m = await import(${JSON.stringify(compiled)});
try { const name = await m.initTf((line) => console.error(line)); console.log("chosen " + name + " " + m.tf.getBackend()); }
catch (e) { console.log("error " + e.message); }`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, SPREADLAB_TF_BACKEND: backend } });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

describe("initTf", () => {
  it("picks tfjs-node when it loads, else wasm; logs one line naming the choice; later calls return the cached choice", async () => {
    delete process.env.SPREADLAB_TF_BACKEND;
    expect(currentTfBackend()).toBeNull();
    const lines: string[] = [];
    const chosen = await initTf((l) => lines.push(l));
    const expected = tfjsNodeLoads() ? "tensorflow" : "wasm";
    expect(chosen).toBe(expected);
    expect(tf.getBackend()).toBe(expected);
    expect(currentTfBackend()).toBe(expected);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^tfjs backend: ${expected}`));
    // Cached per process: a later call ignores a changed environment and logs nothing.
    process.env.SPREADLAB_TF_BACKEND = "cpu";
    try {
      expect(await initTf((l) => lines.push(l))).toBe(expected);
    } finally {
      delete process.env.SPREADLAB_TF_BACKEND;
    }
    expect(lines).toHaveLength(1);
  });

  it("SPREADLAB_TF_BACKEND=cpu forces the pure-JS backend (child process)", () => {
    const r = childInit("cpu");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("chosen cpu cpu");
    expect(r.stderr).toContain("tfjs backend: cpu (forced by SPREADLAB_TF_BACKEND)");
  });

  it("an unknown name is refused with the list of backends; tensorflow loads only where tfjs-node does (child processes)", () => {
    expect(childInit("gpu").stdout).toBe("error SPREADLAB_TF_BACKEND=gpu: expected one of tensorflow, wasm, cpu.");
    // Forcing tensorflow: chosen where tfjs-node loads, else refused (not silently replaced).
    expect(childInit("tensorflow").stdout).toBe(
      tfjsNodeLoads() ? "chosen tensorflow tensorflow" : "error SPREADLAB_TF_BACKEND=tensorflow: that tfjs backend could not be loaded.",
    );
  });
});
