/**
 * The layering of src/ (docs/ARCHITECTURE.md, issue 14 item 0): every relative import of every
 * `src/**\/*.ts` — `import`, `import type`, `export … from`, dynamic `import()` — must point to the same
 * layer or one below. The layer table is read from docs/ARCHITECTURE.md itself, so the document and the
 * check cannot drift apart; imports are listed by TypeScript's own pre-processor (comments and strings
 * that merely look like imports do not count).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const src = join(root, "src");

interface LayerRow {
  layer: number;
  name: string;
  /** Folders end with "/"; other entries are files; all relative to src/. */
  paths: string[];
}

/** The rows of the table in docs/ARCHITECTURE.md: `| <n> <name> | \`path\`, … | what it owns |`. */
function readLayers(markdown: string): LayerRow[] {
  const rows: LayerRow[] = [];
  for (const line of markdown.split("\n")) {
    const m = /^\|\s*(\d+)\s+([a-z]+)\s*\|([^|]*)\|/.exec(line);
    if (m) rows.push({ layer: Number(m[1]), name: m[2], paths: [...m[3].matchAll(/`([^`]+)`/g)].map((p) => p[1]) });
  }
  return rows;
}

/** The layer of a file (path relative to src/): the longest matching folder or file entry decides. */
function layerOf(rows: LayerRow[], file: string): LayerRow | undefined {
  let best: { row: LayerRow; length: number } | undefined;
  for (const row of rows) {
    for (const p of row.paths) {
      const matches = p.endsWith("/") ? file.startsWith(p) : file === p;
      if (matches && (best === undefined || p.length > best.length)) best = { row, length: p.length };
    }
  }
  return best?.row;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : e.name.endsWith(".ts") ? [path] : [];
  });
}

/** Relative imports of one source text, as paths relative to src/ (".js" specifiers name the ".ts" source). */
function importsOf(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((s) => s.startsWith("."))
    .map((s) => relative(src, normalize(join(dirname(join(src, file)), s))).replace(/\.js$/, ".ts"));
}

interface Violation {
  from: string;
  to: string;
  fromLayer: string;
  toLayer: string;
}

/** Every import that climbs, over the given sources (file relative to src/ → its text). */
function upwardImports(rows: LayerRow[], sources: Map<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const [file, text] of sources) {
    const from = layerOf(rows, file);
    if (!from) continue; // reported by the "every file has a layer" test
    for (const to of importsOf(file, text)) {
      const target = layerOf(rows, to);
      if (target && target.layer > from.layer) out.push({ from: file, to, fromLayer: `${from.layer} ${from.name}`, toLayer: `${target.layer} ${target.name}` });
    }
  }
  return out;
}

const rows = readLayers(readFileSync(join(root, "docs", "ARCHITECTURE.md"), "utf8"));
const sources = new Map(sourceFiles(src).map((path) => [relative(src, path), readFileSync(path, "utf8")]));

describe("layers of src/ (docs/ARCHITECTURE.md)", () => {
  it("reads a table of layers, numbered in order, whose every path exists", () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.map((r) => r.layer)).toEqual(rows.map((_, i) => i));
    for (const row of rows) for (const p of row.paths) expect(existsSync(join(src, p)), `${p} (layer ${row.layer} ${row.name})`).toBe(true);
  });

  it("assigns every source file to a layer", () => {
    const unassigned = [...sources.keys()].filter((f) => layerOf(rows, f) === undefined);
    expect(unassigned).toEqual([]);
  });

  it("finds the imports it checks (the check is not vacuous)", () => {
    const total = [...sources].reduce((k, [file, text]) => k + importsOf(file, text).length, 0);
    expect(total).toBeGreaterThan(500);
    // Multi-line, type-only and re-export forms are all seen:
    expect(importsOf("run.ts", sources.get("run.ts")!)).toContain("families/index.ts");
    expect(importsOf("index.ts", sources.get("index.ts")!)).toContain("families/registry.ts");
  });

  it("flags an upward import planted in a lower layer (and a dynamic one), not a downward one", () => {
    const planted = new Map([
      ["engine/planted.ts", 'import type { AnySpec } from "../run.js";\nexport const x = 1;'],
      ["models/planted.ts", 'export async function f() { return import("../families/index.js"); }'],
      ["families/planted.ts", 'import { runStream } from "../random.js";\n// import { x } from "../server/app.js" in a comment is not an import'],
    ]);
    const found = upwardImports(rows, planted);
    expect(found.map((v) => `${v.from} -> ${v.to}`)).toEqual(["engine/planted.ts -> run.ts", "models/planted.ts -> families/index.ts"]);
  });

  it("has no upward import in src/", () => {
    const found = upwardImports(rows, sources).map((v) => `${v.from} (${v.fromLayer}) imports ${v.to} (${v.toLayer})`);
    expect(found).toEqual([]);
  });
});
