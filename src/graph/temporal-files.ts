/**
 * Temporal contact networks from files (temporal.ts holds the network and its kernel): time-stamped events
 * `t,i,j`, intervals `i,j,start,end`, a snapshot sequence in one file or as one file per snapshot. Every error
 * names the file and the line.
 */
import { readFileSync } from "node:fs";
import { GraphFormatError, SpreadlabError } from "../errors.js";
import { temporalNetwork, type ContactWindow, type TemporalCSR } from "./temporal.js";

export type ContactFormat = "events" | "intervals" | "snapshots";

export interface ContactReadOptions {
  /**
   * `events`: lines `t,i,j` (each contact lasts `resolution`); `intervals`: lines `i,j,start,end`;
   * `snapshots`: lines `t,i,j`, a sequence of static networks: the snapshot stamped t holds from t until the next
   * snapshot's time (the last one until `until`).
   */
  format: ContactFormat;
  /** Snapshots: when the last snapshot ends (default: the period, or never). */
  until?: number;
  /** Duration of one recorded contact in `events` files (e.g. 20 for SocioPatterns' 20-second slots). */
  resolution?: number;
  /** Windows repeat every `period`. */
  period?: number;
  /** File name for error messages. */
  file?: string;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Read a contact file. One contact per line; comma, tab, semicolon or whitespace separated (detected on the first
 * data line); blank lines and lines starting with `#` or `%` are skipped; a first line whose time column is not a
 * number is a header. Extra columns after the first three (events) or four (intervals) are ignored, so
 * SocioPatterns' `t i j Ci Cj` files read as they are. Node keys are strings as written; times are decimals.
 * Every error names the file and line.
 */
export function parseContacts(text: string, options: ContactReadOptions): TemporalCSR {
  const { file, format } = options;
  const where = { file: file ?? "contacts" };
  if (format !== "events" && format !== "intervals" && format !== "snapshots") {
    throw new SpreadlabError(`${where.file}: format: expected "events" (t,i,j), "intervals" (i,j,start,end) or "snapshots" (t,i,j), got ${JSON.stringify(format)}.`);
  }
  const resolution = options.resolution;
  if (format === "events" && !(resolution !== undefined && resolution > 0 && Number.isFinite(resolution))) {
    throw new SpreadlabError(`${where.file}: resolution: events (t,i,j) need the duration of one contact, a finite number > 0 (e.g. 20 for 20-second slots), got ${resolution}.`);
  }
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const contacts: ContactWindow[] = [];
  let split: ((s: string) => string[]) | undefined;
  let first = true;
  const stamped = format !== "intervals"; // t,i,j
  const need = stamped ? 3 : 4;
  const shape = stamped ? "t,i,j" : "i,j,start,end";
  for (let l = 0; l < lines.length; l++) {
    const trimmed = lines[l].trim();
    const line = l + 1;
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith("%")) continue;
    split ??= separatorOf(trimmed);
    const f = split(trimmed);
    const timeFields = stamped ? [f[0]] : [f[2], f[3]];
    if (first) {
      first = false;
      if (timeFields.some((x) => x !== undefined && !NUMBER.test(x))) continue; // header
    }
    if (f.length < need) {
      throw new GraphFormatError(`expected ${need} columns (${shape}), got ${f.length}`, { file: where.file, line });
    }
    const num = (x: string, name: string): number => {
      if (!NUMBER.test(x)) throw new GraphFormatError(`${name} ${JSON.stringify(x)} is not a number; expected ${shape}`, { file: where.file, line });
      return Number(x);
    };
    if (format === "events") {
      const t = num(f[0], "time");
      contacts.push({ i: f[1], j: f[2], start: t, end: t + resolution!, line });
    } else if (format === "snapshots") {
      contacts.push({ i: f[1], j: f[2], start: num(f[0], "snapshot time"), end: NaN, line }); // end: set below
    } else {
      contacts.push({ i: f[0], j: f[1], start: num(f[2], "start"), end: num(f[3], "end"), line });
    }
  }
  if (format === "snapshots") snapshotEnds(contacts, options.until ?? options.period ?? Infinity, where.file);
  return temporalNetwork(contacts, { period: options.period, file: where.file });
}

/**
 * Snapshot sequences: each contact stamped t lasts until the next distinct snapshot time after t, the last
 * snapshot until `until`. A snapshot is a static network over its window, so the windows it gives are exactly
 * those of the equivalent intervals file.
 */
function snapshotEnds(contacts: ContactWindow[], until: number, file: string): void {
  const times = [...new Set(contacts.map((c) => c.start))].sort((a, b) => a - b);
  const last = times[times.length - 1];
  if (times.length > 0 && !(until > last)) {
    throw new SpreadlabError(`${file}: until: the last snapshot (t = ${last}) must end after it starts; give until > ${last} (default: the period, or never).`);
  }
  const next = new Map<number, number>();
  for (let k = 0; k < times.length; k++) next.set(times[k], k + 1 < times.length ? times[k + 1] : until);
  for (const c of contacts) c.end = next.get(c.start)!;
}

/** One static network of a snapshot sequence given as its own file: edges `i,j` active over [start, end). */
export interface SnapshotFile {
  file: string;
  start: number;
  end: number;
}

/**
 * A snapshot sequence as a list of edge-list files (lines `i,j`, extra columns ignored; same separators, comments
 * and header rule as `parseContacts`), each active over its own window. `read` maps a listed file to its text;
 * errors name the listed file and line, and the list entry (`where[k]`) for bad windows.
 */
export function snapshotFilesNetwork(list: readonly SnapshotFile[], read: (file: string) => string, options: { period?: number; where?: string } = {}): TemporalCSR {
  const where = options.where ?? "snapshots";
  if (list.length === 0) throw new SpreadlabError(`${where}: give at least one snapshot { file, start, end }.`);
  const contacts: ContactWindow[] = [];
  list.forEach((s, k) => {
    if (!Number.isFinite(s.start) || !(s.end > s.start)) {
      throw new SpreadlabError(`${where}[${k}]: a snapshot needs a finite start and end > start, got [${s.start}, ${s.end}).`);
    }
    if (options.period !== undefined && (s.start < 0 || s.end > options.period)) {
      throw new SpreadlabError(`${where}[${k}]: window [${s.start}, ${s.end}) is outside [0, ${options.period}); with a period every snapshot must lie within one period.`);
    }
    const lines = read(s.file).replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
    let split: ((x: string) => string[]) | undefined;
    let first = true;
    for (let l = 0; l < lines.length; l++) {
      const trimmed = lines[l].trim();
      if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith("%")) continue;
      split ??= separatorOf(trimmed);
      const f = split(trimmed);
      if (first) {
        first = false;
        if (/^(source|target|from|to|i|j|u|v|node)/i.test(f[0] ?? "")) continue; // header
      }
      if (f.length < 2) throw new GraphFormatError(`expected 2 columns (i,j), got ${f.length}`, { file: s.file, line: l + 1 });
      if (f[0] === f[1]) throw new GraphFormatError(`contact of node ${f[0]} with itself; a contact needs two different nodes`, { file: s.file, line: l + 1 });
      contacts.push({ i: f[0], j: f[1], start: s.start, end: s.end });
    }
  });
  // Errors from the merge (self-contacts, windows outside the period) name the list entry.
  return temporalNetwork(contacts, { period: options.period, where });
}

/** The column splitter of a contact file, from its first data line: tab, comma, semicolon, else whitespace. */
function separatorOf(line: string): (s: string) => string[] {
  const d = line.includes("\t") ? "\t" : line.includes(",") ? "," : line.includes(";") ? ";" : null;
  return d === null ? (s) => s.trim().split(/\s+/) : (s) => s.split(d).map((f) => f.trim());
}

/** Read a contact file from disk (`parseContacts`); errors are reported with `options.file` or the path. */
export function readContactsSync(path: string, options: ContactReadOptions): TemporalCSR {
  return parseContacts(readTextSync(path, options.file), { ...options, file: options.file ?? path });
}

/** A contact (or snapshot) file's text; a missing file or a folder is a GraphFormatError naming `file` (default: the path). */
export function readTextSync(path: string, file = path): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const hint = code === "ENOENT" ? "no such file: check the path (relative to the scenario's folder)" : code === "EISDIR" ? "it is a folder, not a file" : String((error as Error).message ?? error);
    throw new GraphFormatError(`cannot read the contact file: ${hint}`, { file }, { cause: error });
  }
}
