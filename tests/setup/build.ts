/**
 * Vitest global setup: compile the TypeScript once (into dist/) when it is missing or older than the
 * sources, before any test file runs. The CLI tests run bin/spreadlab.js and the worker-pool tests start
 * worker threads from dist/, so both need a current build; doing it here avoids parallel builds. The
 * dashboard (web/ → dist/web, served at /) is built the same way for the browser tests.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

function newest(dir: string, pattern = /\.ts$/): number {
  let t = 0;
  for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && pattern.test(entry.name)) t = Math.max(t, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return t;
}

function buildWeb(): void {
  const marker = join(root, "dist", "web", "index.html");
  const sources = Math.max(newest("web/src", /\.(ts|css)$/), statSync(join(root, "web", "index.html")).mtimeMs, statSync(join(root, "web", "vite.config.ts")).mtimeMs);
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return;
  const vite = spawnSync(process.execPath, [join(root, "node_modules", "vite", "bin", "vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], { cwd: root, encoding: "utf8" });
  if (vite.status !== 0 || !existsSync(marker)) throw new Error(`building the dashboard (dist/web) failed:\n${vite.stdout}${vite.stderr}`);
}

export default function setup(): void {
  buildWeb();
  const marker = join(root, "dist", "src", "index.js");
  if (existsSync(marker) && statSync(marker).mtimeMs >= Math.max(newest("src"), newest("bench"))) return;
  const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "."], { cwd: root, encoding: "utf8" });
  // tsc still emits when it reports type errors; only a missing build is fatal here (types are the typecheck's job).
  if (!existsSync(marker)) throw new Error(`building dist/ failed:\n${tsc.stdout}${tsc.stderr}`);
}
