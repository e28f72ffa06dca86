/**
 * The network and output sections of a scenario (check.ts runs them with the rest): one network source, a
 * generator that accepts its parameters and their types, a contact file's options, and files that stay inside
 * the scenario's folder (output folders inside the working folder), symbolic links followed.
 */
import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { GENERATORS, type GeneratorParameter } from "../graph/generators/index.js";
import type { PathIssue } from "./check.js";
import type { Scenario } from "./schema.js";
import { didYouMean } from "./suggest.js";

/** `path` with symbolic links resolved: the real path of its longest existing prefix, then the rest. */
function realPath(path: string): string {
  const rest: string[] = [];
  let head = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(head), ...rest);
    } catch {
      const parent = dirname(head);
      if (parent === head) return resolve(path);
      rest.unshift(basename(head));
      head = parent;
    }
  }
}

const leaves = (rel: string): boolean => rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);

/**
 * True when `file`, taken relative to `dir`, leaves it: `..` segments, an absolute path, or a symbolic link
 * (anywhere along the path) that points out of the folder.
 */
export function outsideFolder(dir: string, file: string): boolean {
  if (isAbsolute(file)) return true;
  // "..data.csv" is a file name, not a way up: compare whole segments.
  if (leaves(relative(resolve(dir), resolve(dir, file)))) return true;
  return leaves(relative(realPath(dir), realPath(resolve(dir, file))));
}

/** output.dir is relative to the working folder (where spreadlab runs) and must stay inside it. */
export function outputIssues(output: Scenario["output"], options: { allowOutside?: boolean }): PathIssue[] {
  if (output?.dir === undefined || options.allowOutside) return [];
  if (!outsideFolder(process.cwd(), output.dir)) return [];
  return [{ path: ["output", "dir"], message: `"${output.dir}" is outside the working folder (output folders are relative to where spreadlab runs, and may not climb out of it or through a symbolic link); choose a folder inside it, use --out, or pass --allow-outside.` }];
}

/** What is wrong with a generator parameter's value, by its declared type (undefined: nothing, or absent). */
function generatorValueProblem(kind: GeneratorParameter["type"], value: unknown, values?: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  const shown = typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? "a list" : String(value);
  const count = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= 0;
  switch (kind) {
    case "integer":
      return count(value) ? undefined : `must be an integer ≥ 0, got ${shown}.`;
    case "number":
      return typeof value === "number" && Number.isFinite(value) && value >= 0 ? undefined : `must be a finite number ≥ 0, got ${shown}.`;
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be true or false, got ${shown}.`;
    case "enum":
      return typeof value === "string" && (values ?? []).includes(value) ? undefined : `must be one of ${(values ?? []).join(", ")}, got ${shown}.`;
    case "integer[]":
      return Array.isArray(value) && value.every(count) ? undefined : `must be a list of integers ≥ 0, got ${shown}.`;
    case "number[][]":
      return Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every((x) => typeof x === "number" && Number.isFinite(x))) ? undefined : `must be a list of lists of numbers, got ${shown}.`;
    default:
      return value !== null && typeof value === "object" && !Array.isArray(value) ? undefined : `must be a mapping, got ${shown}.`;
  }
}

export function networkIssues(net: Scenario["network"], dir: string, options: { allowOutside?: boolean }): PathIssue[] {
  const issues: PathIssue[] = [];
  if ([net.generate, net.file, net.contacts].filter((x) => x !== undefined).length !== 1) {
    issues.push({ path: ["network"], message: 'give exactly one of "generate" (a generator spec), "file" (a network file) or "contacts" (a temporal contact file).' });
  }
  if (net.contacts) issues.push(...contactIssues(net, dir, options));
  if (net.generate) {
    const type = net.generate.type;
    const info = GENERATORS.find((g) => g.id === type);
    if (info === undefined) {
      const ids = GENERATORS.map((g) => g.id);
      issues.push({ path: ["network", "generate", "type"], message: `unknown generator "${type}".${didYouMean(type, ids)} Generators: ${ids.join(", ")}.` });
    } else {
      // Value types and signs from the generator registry, here, so that the file (and a REST body, at
      // submission) is refused with the field's line; ranges that depend on other values (m < n, k even…)
      // are checked by the generator itself, which `validate` runs too.
      const known = info.parameters.map((p) => p.name);
      for (const p of info.parameters) {
        const problem = generatorValueProblem(p.type, (net.generate as Record<string, unknown>)[p.name], p.values);
        if (problem) issues.push({ path: ["network", "generate", p.name], message: `${type}: ${p.name} ${problem}` });
      }
      for (const key of Object.keys(net.generate)) {
        if (key !== "type" && !known.includes(key)) {
          const list = known.length ? ` Parameters: ${known.join(", ")}.` : " It takes no parameters.";
          issues.push({ path: ["network", "generate", key], atKey: true, message: `${type} has no parameter "${key}".${didYouMean(key, known)}${list}` });
        }
      }
    }
  }
  if (net.file && !options.allowOutside && outsideFolder(dir, net.file)) {
    issues.push({ path: ["network", "file"], message: `"${net.file}" is outside the scenario's folder; move it beside the scenario, or pass --allow-outside.` });
  }
  if (net.file && net.generate === undefined && net.seed !== undefined) {
    issues.push({ path: ["network", "seed"], message: "a seed applies to generated networks only." });
  }
  return issues;
}

/** network.contacts (graph/temporal.ts): what the contact file needs, and what does not apply to it. */
function contactIssues(net: Scenario["network"], dir: string, options: { allowOutside?: boolean }): PathIssue[] {
  const c = net.contacts!;
  const issues: PathIssue[] = [];
  const at = (...path: (string | number)[]) => ["network", "contacts", ...path];
  if (c.format === "events" && c.resolution === undefined) {
    issues.push({ path: at("format"), message: "events (t,i,j) need resolution: how long one recorded contact lasts (e.g. 20 for 20-second slots)." });
  }
  if (c.format !== "events" && c.resolution !== undefined) {
    issues.push({ path: at("resolution"), atKey: true, message: "applies to events (t,i,j) only; intervals (i,j,start,end) and snapshots give their own ends." });
  }
  if ((c.file === undefined) === (c.snapshots === undefined)) {
    issues.push({ path: c.file === undefined ? at() : at("snapshots"), ...(c.file === undefined ? {} : { atKey: true }), message: 'give exactly one of "file" (a contact file) or "snapshots" (a list of { file, start, end }, with format: snapshots).' });
  }
  if (c.snapshots !== undefined && c.format !== "snapshots") issues.push({ path: at("snapshots"), atKey: true, message: "a list of snapshot files needs format: snapshots." });
  if (c.until !== undefined && (c.format !== "snapshots" || c.file === undefined)) {
    issues.push({ path: at("until"), atKey: true, message: "applies to a snapshots file (t,i,j) only: when its last snapshot ends." });
  }
  c.snapshots?.forEach((s, k) => {
    if (!(s.end > s.start)) issues.push({ path: at("snapshots", k, "end"), message: `must be after start (${s.start}).` });
  });
  for (const [file, path] of [[c.file, at("file")], ...(c.snapshots ?? []).map((s, k) => [s.file, at("snapshots", k, "file")] as const)] as const) {
    if (file !== undefined && !options.allowOutside && outsideFolder(dir, file)) {
      issues.push({ path: [...path], message: `"${file}" is outside the scenario's folder; move it beside the scenario, or pass --allow-outside.` });
    }
  }
  for (const key of ["format", "directed", "weight", "seed"] as const) {
    if (net[key] !== undefined) issues.push({ path: ["network", key], atKey: true, message: "does not apply to network.contacts (contacts are undirected and unweighted)." });
  }
  return issues;
}
