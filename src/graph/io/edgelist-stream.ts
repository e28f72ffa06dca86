/**
 * Streaming edge-list reader: bytes in (chunks of any size), typed arrays out, no string per line.
 *
 * Same rules and same errors as `parseEdgeList` (csv.ts), which it leans on: the first data line (delimiter,
 * header, column count) and every line the byte path does not handle — quotes, non-ASCII text, control
 * characters, a wrong column count, an empty field, a weight that is not a plain decimal — are decoded and
 * handed to csv.ts's own helpers, so each broken rule throws the identical GraphFormatError with file and line.
 * Repeated edges are found after the fact by a bucket pass over the edge arrays (O(n + m), no hash per edge)
 * and reported at the first line that repeats an earlier edge, as the line-by-line reader does.
 */
import { GraphFormatError } from "../../errors.js";
import { EdgeBuilder } from "../builder.js";
import { NodeKeys } from "../node-keys.js";
import { type Delimiter, detectDelimiter, isHeader, missingColumn, parseWeight, splitFields, tooManyColumns } from "./csv.js";
import { plainDecimal, sepByte } from "./edgelist-bytes.js";
import type { ParsedEdges } from "./parsed-edges.js";
import { firstRepeat } from "./repeated-edges.js";

export interface EdgeListStreamOptions {
  directed?: boolean;
  delimiter?: Delimiter;
  /** As in `parseEdgeList`: true requires a weight column, false ignores it, default reads it when present. */
  weight?: boolean;
  file?: string;
  /** Expected number of edges (the arrays grow past it when needed). */
  capacity?: number;
}


/** Thrown when the text has a lone carriage return as a line break: the caller reads the file the old way. */
export class LoneCarriageReturn extends Error {}

const SPACE = 32;
const TAB = 9;
const NL = 10;
const CR = 13;

export class EdgeListParser {
  private readonly file: string | undefined;
  private readonly directed: boolean;
  private readonly weightOption: boolean | undefined;
  private delimiter: Delimiter | undefined;
  /** Delimiter byte, or −1 for runs of whitespace. */
  private sep = 0;
  private columns: 2 | 3 | undefined;
  private columnsFrom = 0;
  private headerSeen = false;
  private firstData = true;
  private lineNo = 0;
  private rest: Buffer | null = null;
  private started = false;
  readonly keys = new NodeKeys();
  readonly edges: EdgeBuilder;
  /** Line of edge e = e + 1 + lineShift[k] for the last k with shiftEdge[k] ≤ e (skipped lines before e). */
  private shiftEdge: number[] = [0];
  private lineShift: number[] = [0];

  constructor(options: EdgeListStreamOptions = {}) {
    this.file = options.file;
    this.directed = options.directed ?? false;
    this.weightOption = options.weight;
    this.delimiter = options.delimiter;
    this.edges = new EdgeBuilder(false, Math.max(1024, Math.min(options.capacity ?? 0, 1 << 30)));
    if (this.delimiter !== undefined) this.sep = sepByte(this.delimiter);
  }

  /** Feed the next bytes. The chunk may be reused by the caller afterwards. */
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (!this.started && buf.length > 0) {
      this.started = true;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    }
    if (this.rest !== null) {
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) {
        this.rest = Buffer.concat([this.rest, buf.subarray(pos)]);
        return;
      }
      const line = Buffer.concat([this.rest, buf.subarray(pos, nl)]);
      this.rest = null;
      this.line(line, 0, line.length);
      pos = nl + 1;
    }
    for (;;) {
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) break;
      this.line(buf, pos, nl);
      pos = nl + 1;
    }
    if (pos < buf.length) this.rest = Buffer.from(buf.subarray(pos));
  }

  /** Finish: the last line, then the whole-file checks. */
  end(): ParsedEdges {
    if (this.rest !== null) {
      const line = this.rest;
      this.rest = null;
      this.line(line, 0, line.length);
    }
    const { file } = this;
    if (this.edges.count === 0) {
      throw new GraphFormatError(
        `no edges found${this.headerSeen ? " after the header" : ""}; expected lines of source,target[,weight]`,
        { file },
      );
    }
    if (this.weightOption === true && this.columns !== 3) {
      this.checkRepeats();
      throw new GraphFormatError(
        `weight: true was requested but the edge list has no weight column; add a third column source,target,weight`,
        { file, line: this.columnsFrom },
      );
    }
    return { n: this.keys.count, keys: this.keys, edges: this.edges, directed: this.directed, repeatError: () => this.repeatError() };
  }

  private line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    if (end > start && buf[end - 1] === CR) end--;
    if (this.firstData || !(this.integers(buf, start, end) || this.fast(buf, start, end))) this.slow(buf.toString("utf8", start, end));
  }

  /**
   * The commonest line, `12,345` (or `12 345`, `12\t345`, with a plain weight after): two canonical integers.
   * False, with nothing recorded, for anything else.
   */
  private integers(buf: Buffer, start: number, end: number): boolean {
    const sep = this.sep;
    let i = start;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    // First id.
    let from = i;
    let a = 0;
    for (; i < end; i++) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      a = a * 10 + c;
    }
    let len = i - from;
    if (len === 0 || len > 9 || (len > 1 && buf[from] === 48)) return false;
    // Separator.
    if (sep < 0) {
      if (i === end || (buf[i] !== SPACE && buf[i] !== TAB)) return false;
      while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    } else {
      while (i < end && (buf[i] === SPACE || buf[i] === TAB) && buf[i] !== sep) i++;
      if (i === end || buf[i] !== sep) return false;
      i++;
      while (i < end && (buf[i] === SPACE || buf[i] === TAB) && buf[i] !== sep) i++;
    }
    // Second id.
    from = i;
    let b = 0;
    for (; i < end; i++) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      b = b * 10 + c;
    }
    len = i - from;
    if (len === 0 || len > 9 || (len > 1 && buf[from] === 48)) return false;
    let weight = 1;
    if (this.columns === 2) {
      while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
      if (i !== end) return false;
    } else {
      if (sep < 0) {
        if (i === end || (buf[i] !== SPACE && buf[i] !== TAB)) return false;
        while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
      } else {
        while (i < end && (buf[i] === SPACE || buf[i] === TAB) && buf[i] !== sep) i++;
        if (i === end || buf[i] !== sep) return false;
        i++;
        while (i < end && (buf[i] === SPACE || buf[i] === TAB) && buf[i] !== sep) i++;
      }
      let e = end;
      while (e > i && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
      for (let p = i; p < e; p++) if (buf[p] === SPACE || buf[p] === TAB || buf[p] === sep) return false;
      if (this.weightOption !== false) {
        weight = plainDecimal(buf, i, e);
        if (weight < 0) return false;
      } else if (i === e) return false;
    }
    this.addEdge(this.keys.internInt(a), this.keys.internInt(b), weight);
    return true;
  }

  /** The byte path: true when the line was handled (an edge, a blank line or a comment). */
  private fast(buf: Buffer, start: number, end: number): boolean {
    let i = start;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    if (i === end || buf[i] === 35 || buf[i] === 37) {
      return true; // blank, or a `#` / `%` comment
    }
    const sep = this.sep;
    // Up to 3 fields as [start, end) pairs, trimmed of spaces and tabs.
    let f0s = 0, f0e = 0, f1s = 0, f1e = 0, f2s = 0, f2e = 0;
    let count = 0;
    let fs = i;
    for (let p = i; p <= end; p++) {
      const b = p < end ? buf[p] : -2;
      if (p < end) {
        if (b === 34 || b >= 0x7f || (b < 0x20 && b !== TAB)) return false;
      }
      const boundary = p === end || (sep < 0 ? b === SPACE || b === TAB : b === sep);
      if (!boundary) continue;
      let s = fs;
      let e = p;
      while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++;
      while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
      if (sep < 0) {
        // Runs of whitespace are one separator: skip the run.
        if (s === e) {
          fs = p + 1;
          continue;
        }
      }
      if (count === 0) (f0s = s), (f0e = e);
      else if (count === 1) (f1s = s), (f1e = e);
      else if (count === 2) (f2s = s), (f2e = e);
      count++;
      if (count > 3) return false;
      fs = p + 1;
    }
    if (count !== this.columns || f0s === f0e || f1s === f1e) return false;
    let weight = 1;
    if (count === 3 && this.weightOption !== false) {
      weight = plainDecimal(buf, f2s, f2e);
      if (weight < 0) return false;
    }
    const source = this.node(buf, f0s, f0e);
    const target = this.node(buf, f1s, f1e);
    this.addEdge(source, target, weight);
    return true;
  }

  private node(buf: Buffer, s: number, e: number): number {
    const len = e - s;
    if (len <= 9 && (len === 1 || buf[s] !== 48)) {
      let x = 0;
      let p = s;
      for (; p < e; p++) {
        const c = buf[p] - 48;
        if (c < 0 || c > 9) break;
        x = x * 10 + c;
      }
      if (p === e) return this.keys.internInt(x);
    }
    return this.keys.intern(buf.toString("latin1", s, e));
  }

  private addEdge(source: number, target: number, weight: number): void {
    const e = this.edges.count;
    const shift = this.lineNo - 1 - e;
    if (shift !== this.lineShift[this.lineShift.length - 1]) {
      this.shiftEdge.push(e);
      this.lineShift.push(shift);
    }
    this.edges.push(source, target, weight);
  }

  /** The line-by-line rules of parseEdgeList for one decoded line. */
  private slow(raw: string): void {
    try {
      this.slowLine(raw);
    } catch (error) {
      // An earlier repeated edge is the error the line-by-line reader would have stopped at.
      if (error instanceof GraphFormatError) this.checkRepeats();
      throw error;
    }
  }

  private slowLine(raw: string): void {
    if (raw.includes("\r")) throw new LoneCarriageReturn();
    const { file, lineNo } = this;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith("%")) return;
    if (this.delimiter === undefined) {
      this.delimiter = detectDelimiter(trimmed);
      this.sep = sepByte(this.delimiter);
    }
    const fields = splitFields(raw, this.delimiter, file, lineNo);
    if (this.firstData) {
      this.firstData = false;
      if (isHeader(fields)) {
        this.headerSeen = true;
        if (fields.length > 3) tooManyColumns(fields.length, file, lineNo);
        this.setColumns(fields.length as 2 | 3);
        return;
      }
    }
    if (fields.length < 2) missingColumn(fields.length, file, lineNo);
    if (fields.length > 3) tooManyColumns(fields.length, file, lineNo);
    if (this.columns === undefined) this.setColumns(fields.length as 2 | 3);
    else if (fields.length !== this.columns) {
      const what = this.headerSeen ? `the header on line ${this.columnsFrom}` : `the first edge on line ${this.columnsFrom}`;
      const has = this.columns === 3 ? "has a weight column" : "has no weight column";
      throw new GraphFormatError(
        `this row has ${fields.length} columns but ${what} ${has}; either every row has a weight or none does`,
        { file, line: lineNo },
      );
    }
    const [source, target] = fields;
    if (source === "" || target === "") {
      throw new GraphFormatError(
        `empty ${source === "" ? "source" : "target"} node; expected source,target[,weight] with non-empty node keys`,
        { file, line: lineNo },
      );
    }
    let weight = 1;
    if (fields.length === 3 && this.weightOption !== false) weight = parseWeight(fields[2], file, lineNo);
    const s = this.keys.intern(source);
    const t = this.keys.intern(target);
    this.addEdge(s, t, weight);
  }

  private setColumns(columns: 2 | 3): void {
    this.columns = columns;
    this.columnsFrom = this.lineNo;
    this.edges.setWeighted(columns === 3 && this.weightOption !== false);
  }

  private lineOf(e: number): number {
    let lo = 0;
    let hi = this.shiftEdge.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.shiftEdge[mid] <= e) lo = mid;
      else hi = mid - 1;
    }
    return e + 1 + this.lineShift[lo];
  }

  private checkRepeats(): void {
    const error = this.repeatError();
    if (error !== null) throw error;
  }

  /** The parseEdgeList error for the first line that repeats an earlier edge, if any. */
  repeatError(): GraphFormatError | null {
    const { sources, targets, count } = this.edges;
    const repeat = firstRepeat(sources, targets, count, this.keys.count, this.directed);
    if (repeat === null) return null;
    const [first, second] = repeat;
    const source = this.keys.keyOf(sources[second]);
    const target = this.keys.keyOf(targets[second]);
    const pair = this.directed ? `${source} -> ${target}` : `${source} -- ${target}`;
    return new GraphFormatError(
      `edge ${pair} repeats the edge on line ${this.lineOf(first)}` +
        (this.directed ? "" : " (in an undirected list a,b and b,a are the same edge)") +
        `; remove one of the two lines, or merge their weights`,
      { file: this.file, line: this.lineOf(second) },
    );
  }
}
