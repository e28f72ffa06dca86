/**
 * Loading a scenario file: parse YAML/JSON keeping node positions, validate with the zod schema and the
 * semantic checks, and report every problem at once with its field path, line and column, and, for an
 * unknown name, the closest valid names. Defaults → validate → resolve, as in sigma's settings.
 */
import { readFileSync } from "node:fs";
import { COLLECTION_KEY_MESSAGE, collectionKeyOffsets } from "./yaml-keys.js";
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from "yaml";
import type { z } from "zod";
import { ScenarioError, type ScenarioIssue } from "../errors.js";
import { ScenarioSchema, type Scenario } from "./schema.js";
import { didYouMean } from "./suggest.js";
import { semanticIssues, type PathIssue, type ScenarioSections } from "./check.js";
import { MAX_DEPTH, bracketDepthExceeds, structureIssues } from "./structure.js";

type Path = (string | number)[];

/** `model.transitions[0].rate` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(root)";
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDefLike } }>;
  innerType?: { _zod: { def: ZodDefLike } };
  valueType?: { _zod: { def: ZodDefLike } };
  element?: { _zod: { def: ZodDefLike } };
  options?: { _zod: { def: ZodDefLike } }[];
}

/** Field names the schema allows for the object at `path` (used for "did you mean"). */
function knownKeysAt(schema: { _zod: { def: ZodDefLike } }, path: Path): string[] {
  const defs = (d: ZodDefLike): ZodDefLike[] => {
    if (d.innerType && (d.type === "optional" || d.type === "default" || d.type === "nullable" || d.type === "prefault")) return defs(d.innerType._zod.def);
    if (d.options) return d.options.flatMap((o) => defs(o._zod.def));
    return [d];
  };
  let current = defs(schema._zod.def);
  for (const key of path) {
    const next: ZodDefLike[] = [];
    for (const d of current) {
      if (d.type === "object" && d.shape && typeof key === "string" && key in d.shape) next.push(...defs(d.shape[key]._zod.def));
      else if (d.type === "record" && d.valueType) next.push(...defs(d.valueType._zod.def));
      else if (d.type === "array" && d.element && typeof key === "number") next.push(...defs(d.element._zod.def));
    }
    current = next;
  }
  return [...new Set(current.flatMap((d) => (d.type === "object" && d.shape ? Object.keys(d.shape) : [])))];
}

function zodIssues(error: z.ZodError, data: unknown): PathIssue[] {
  const out: PathIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(ScenarioSchema as unknown as { _zod: { def: ZodDefLike } }, path);
      for (const key of issue.keys) {
        out.push({ path: [...path, key], atKey: true, message: `unknown field "${key}".${didYouMean(key, known)} Valid fields here: ${known.join(", ")}.` });
      }
    } else if (issue.code === "invalid_union") {
      const known = knownKeysAt(ScenarioSchema as unknown as { _zod: { def: ZodDefLike } }, path);
      const value = path.reduce<unknown>((obj, key) => (obj !== null && typeof obj === "object" ? (obj as Record<string, unknown>)[key] : undefined), data);
      const unknown = value !== null && typeof value === "object" ? Object.keys(value).filter((k) => !known.includes(k)) : [];
      if (unknown.length > 0) {
        for (const key of unknown) out.push({ path: [...path, key], atKey: true, message: `unknown field "${key}".${didYouMean(key, known)} Valid fields here: ${known.join(", ")}.` });
      } else {
        out.push({ path, message: known.length ? `expected an object with one of: ${known.join(", ")} (see the README's scenario format).` : issue.message });
      }
    } else if (issue.code === "invalid_value" && "values" in issue) {
      const values = (issue.values as unknown[]).map(String);
      out.push({ path, message: `expected one of ${values.map((v) => `"${v}"`).join(", ")}.` });
    } else {
      out.push({ path, message: issue.message.replace(/^Invalid input: /, "") + "." });
    }
  }
  return out;
}

function positionOf(doc: Document, counter: LineCounter, path: Path, atKey = false): { line?: number; column?: number } {
  if (atKey && path.length > 0) {
    // A misspelt or unknown field: point at its name rather than its value.
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    const last = String(path[path.length - 1]);
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === last) : undefined;
    if (pair && isNode(pair.key) && pair.key.range) {
      const { line, col } = counter.linePos(pair.key.range[0]);
      return { line, column: col };
    }
  }
  // Walk down as far as the path exists (a missing field points at its parent).
  for (let len = path.length; len >= 0; len--) {
    const node = len === 0 ? doc.contents : doc.getIn(path.slice(0, len), true);
    if (isNode(node) && node.range) {
      const { line, col } = counter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return {};
}

/**
 * The sections that pass the schema on their own, so that when one part of a file is malformed the
 * semantic checks still run on the others and every problem is reported at once. Sections that fail are
 * left out: the schema has already reported them.
 */
function validSections(data: Record<string, unknown>): ScenarioSections {
  const sections: ScenarioSections = {};
  const shape = ScenarioSchema.shape;
  const network = shape.network.safeParse(data.network);
  if (network.success) sections.network = network.data;
  const model = shape.model.safeParse(data.model);
  if (model.success) sections.model = model.data;
  const time = shape.time.safeParse(data.time);
  if (time.success) sections.time = time.data;
  const initial = shape.initial.safeParse(data.initial);
  if (initial.success) sections.initial = initial.data;
  const interventions = shape.interventions.safeParse(data.interventions);
  if (interventions.success) sections.interventions = interventions.data;
  const sweep = shape.sweep.safeParse(data.sweep);
  if (sweep.success) sections.sweep = sweep.data;
  sections.timeAbsent = data.time === undefined;
  return sections;
}

export interface LoadedScenario {
  scenario: Scenario;
  /** The file (for messages) and its folder (relative network files resolve against it). */
  file: string;
  dir: string;
}

export interface LoadOptions {
  /**
   * Allow network files outside the scenario's folder and output folders outside the working folder
   * (absolute paths, `..`, symbolic links that point out of the folder).
   */
  allowOutside?: boolean;
}

/** Parse and validate scenario text. Throws ScenarioError listing every issue with path, line and column. */
export function parseScenario(text: string, file = "<scenario>", dir = ".", options: LoadOptions = {}): LoadedScenario {
  if (bracketDepthExceeds(text)) {
    throw scenarioError(file, [{ path: "(root)", message: `nested more than ${MAX_DEPTH} levels deep; a scenario is a few levels of mappings and lists.`, file }]);
  }
  const counter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    // Deep block-style nesting can exhaust the parser's stack: an input problem, not a crash.
    if (!(e instanceof RangeError)) throw e;
    throw scenarioError(file, [{ path: "(root)", message: `cannot be parsed (${e.message}); scenarios nest at most ${MAX_DEPTH} levels.`, file }]);
  }
  const issues: ScenarioIssue[] = [];
  for (const err of doc.errors) {
    const { line, col } = counter.linePos(err.pos[0]);
    issues.push({ path: "(syntax)", message: err.message.split("\n")[0], file, line, column: col });
  }
  for (const offset of collectionKeyOffsets(doc)) {
    const { line, col } = counter.linePos(offset);
    issues.push({ path: "(syntax)", message: COLLECTION_KEY_MESSAGE, file, line, column: col });
  }
  if (issues.length > 0) throw scenarioError(file, issues);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Aliases without anchors, alias bombs: the YAML library throws plain errors while converting.
    throw scenarioError(file, [{ path: "(syntax)", message: (e as Error).message.split("\n")[0], file }]);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw scenarioError(file, [{ path: "(root)", message: "expected a mapping with network, model, time and initial.", file, line: 1, column: 1 }]);
  }
  const structure = structureIssues(data);
  if (structure.length > 0) {
    throw scenarioError(file, structure.map(({ path, message }) => ({ path: formatPath(path), message, file, ...positionOf(doc, counter, path, true) })));
  }
  const parsed = ScenarioSchema.safeParse(data);
  const found = parsed.success
    ? semanticIssues({ ...parsed.data, timeAbsent: (data as Record<string, unknown>).time === undefined }, dir, options)
    : [...zodIssues(parsed.error, data), ...semanticIssues(validSections(data as Record<string, unknown>), dir, options)];
  if (found.length > 0) {
    throw scenarioError(
      file,
      found
        .map(({ path, message, atKey }) => ({ path: formatPath(path), message, file, ...positionOf(doc, counter, path, atKey) }))
        .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0)),
    );
  }
  return { scenario: parsed.data!, file, dir };
}

function scenarioError(file: string, issues: ScenarioIssue[]): ScenarioError {
  const lines = issues.map((i) => `  ${file}${i.line ? `:${i.line}:${i.column}` : ""}  ${i.path}: ${i.message}`);
  return new ScenarioError(`${file}: ${issues.length} problem${issues.length > 1 ? "s" : ""} in the scenario:\n${lines.join("\n")}`, issues);
}

/** Read and validate a scenario file. */
export function loadScenario(path: string, options: LoadOptions = {}): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ScenarioError(`${path}: cannot read the scenario file (${(cause as Error).message}).`, [{ path: "(file)", message: "cannot read", file: path }]);
  }
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".";
  return parseScenario(text, path, dir, options);
}
