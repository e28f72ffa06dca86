#!/usr/bin/env node
// Entry point of the `spreadlab` command: runs the compiled CLI (npm install builds it through `prepare`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("spreadlab: the compiled CLI is missing; run `npm install` (or `npm run build`) first.\n");
  process.exit(1);
}
// `spreadlab run x.yaml --json | head` closes the pipe early: that is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
