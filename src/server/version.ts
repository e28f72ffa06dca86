/** The package version, read once from package.json (beside src/ in a checkout, beside dist/ when built). */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  for (const relative of ["../../package.json", "../../../package.json"]) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (!existsSync(path)) continue;
    try {
      const pkg = JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "spreadlab" && typeof pkg.version === "string") return (cached = pkg.version);
    } catch {
      // Not ours or unreadable: try the next candidate.
    }
  }
  return (cached = "0.0.0");
}
