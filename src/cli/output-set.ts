/**
 * The CLI's output folder is written as a set: every file goes into a staging folder beside the target (same
 * parent, so the same filesystem), `manifest.json` is written LAST (the run: scenario, seed, and each file's
 * size and SHA-256), then the staging folder is swapped in by rename — the old set is renamed aside first and
 * removed after. A `kill -9` at any moment therefore leaves the target as the old complete set or the new
 * complete set, never a mix (issue 15: `result.json` of one run beside `nodes.csv` of another); a reader can
 * trust a folder iff its manifest matches every file (`verifyOutputSet`). Staging and set-aside folders of
 * processes that are no longer alive, and `*.<pid>.tmp` files of the earlier one-file-at-a-time writer, are
 * removed at the next write; if a process died between the two renames, its set-aside folder is put back.
 *
 * Because the whole folder is replaced, a target that holds anything but a result set (files the user put
 * there) is refused rather than moved aside.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { SpreadlabError } from "../errors.js";

export const MANIFEST = "manifest.json";

/** One file of a set: its path inside the folder (`/`-separated) and how to render it (called once, in order). */
export interface OutputFile {
  path: string;
  render(): string;
}

export interface OutputManifest {
  schemaVersion: 1;
  kind: "spreadlab-output";
  scenario: string;
  seed: number;
  createdAt: string;
  files: { path: string; bytes: number; sha256: string }[];
}

/** Names a pre-manifest result folder may hold (earlier versions wrote these one by one). */
const RESULT_NAMES = /^(result\.json|curves\.csv|runs\.csv|series\.csv|nodes\.csv|sweep\.csv|manifest\.json)(\.\d+\.tmp)?$/;

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** True when process `pid` is alive on this machine (EPERM: alive, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `.<base>.staging-<pid>-<hex>` or `.<base>.old-<pid>-<hex>` → its kind and pid. */
function leftover(base: string, entry: string): { kind: "staging" | "old"; pid: number } | null {
  const prefix = `.${base}.`;
  if (!entry.startsWith(prefix)) return null;
  const m = /^(staging|old)-(\d+)-[0-9a-f]+$/.exec(entry.slice(prefix.length));
  return m ? { kind: m[1] as "staging" | "old", pid: Number(m[2]) } : null;
}

/** Remove what dead writers left beside `target` (and inside it); put back a set-aside folder if the target is gone. */
export function cleanStale(target: string): string[] {
  const parent = dirname(target);
  const base = basename(target);
  const removed: string[] = [];
  if (!existsSync(parent)) return removed;
  for (const entry of readdirSync(parent)) {
    const found = leftover(base, entry);
    if (found === null || alive(found.pid)) continue;
    const path = join(parent, entry);
    if (found.kind === "old" && !existsSync(target) && verifyOutputSet(path).ok) {
      renameSync(path, target); // died between the two renames: the old set is still the current one
      continue;
    }
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    for (const entry of readdirSync(target)) {
      const m = /\.(\d+)\.tmp$/.exec(entry);
      if (m && !alive(Number(m[1]))) {
        rmSync(join(target, entry), { force: true });
        removed.push(join(target, entry));
      }
    }
  }
  return removed;
}

/** A folder the writer may replace: none, empty, a result set, or a result folder of an earlier version. */
function replaceable(target: string): boolean {
  if (!existsSync(target)) return true;
  if (!lstatSync(target).isDirectory()) return false;
  const entries = readdirSync(target, { withFileTypes: true });
  if (entries.some((e) => e.name === MANIFEST)) return true;
  return entries.every((e) => (e.isDirectory() ? readdirSync(join(target, e.name)).every((f) => RESULT_NAMES.test(f)) : RESULT_NAMES.test(e.name)));
}

/**
 * Write `files` as one set into `target` (see the header); returns the paths written, manifest last.
 * Throws SpreadlabError when the target holds other files.
 */
export function writeOutputSet(target: string, files: OutputFile[], run: { scenario: string; seed: number }): string[] {
  const dir = resolve(target);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  cleanStale(dir);
  if (!replaceable(dir)) {
    throw new SpreadlabError(`output: "${target}" exists and holds files that are not a Spreadlab result set (no ${MANIFEST}); results replace the whole folder, so choose a new or empty folder (--out).`);
  }
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = join(parent, `.${basename(dir)}.staging-${tag}`);
  mkdirSync(staging);
  try {
    const listed: OutputManifest["files"] = [];
    for (const file of files) {
      const path = join(staging, ...file.path.split("/"));
      if (!path.startsWith(staging + sep)) throw new SpreadlabError(`output: file name "${file.path}" leaves the folder.`);
      const content = Buffer.from(file.render());
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      listed.push({ path: file.path, bytes: content.length, sha256: sha256(content) });
    }
    const manifest: OutputManifest = { schemaVersion: 1, kind: "spreadlab-output", scenario: run.scenario, seed: run.seed, createdAt: new Date().toISOString(), files: listed };
    writeFileSync(join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    // The swap: the old set aside, the new one in, the old one removed.
    const old = join(parent, `.${basename(dir)}.old-${tag}`);
    const hadOld = existsSync(dir);
    if (hadOld) renameSync(dir, old);
    renameSync(staging, dir);
    if (hadOld) rmSync(old, { recursive: true, force: true });
    return [...listed.map((f) => join(target, ...f.path.split("/"))), join(target, MANIFEST)];
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/** Whether `dir` is a complete result set: its manifest parses and matches every file, and nothing else is there. */
export function verifyOutputSet(dir: string): { ok: boolean; problems: string[]; manifest?: OutputManifest } {
  const problems: string[] = [];
  let manifest: OutputManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as OutputManifest;
    if (manifest.kind !== "spreadlab-output" || !Array.isArray(manifest.files)) throw new Error("not a Spreadlab manifest");
  } catch (e) {
    return { ok: false, problems: [`${MANIFEST}: ${(e as Error).message}`] };
  }
  const listed = new Set<string>([MANIFEST]);
  for (const f of manifest.files) {
    listed.add(f.path);
    const path = join(dir, ...f.path.split("/"));
    if (!existsSync(path)) {
      problems.push(`${f.path}: missing`);
      continue;
    }
    const data = readFileSync(path);
    if (data.length !== f.bytes || sha256(data) !== f.sha256) problems.push(`${f.path}: does not match the manifest`);
  }
  const walk = (sub: string): string[] =>
    readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(sub ? `${sub}/${e.name}` : e.name) : [sub ? `${sub}/${e.name}` : e.name]));
  for (const path of walk("")) if (!listed.has(path)) problems.push(`${path}: not in the manifest`);
  return { ok: problems.length === 0, problems, manifest };
}
