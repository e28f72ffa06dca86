/**
 * Temporal contact networks (issue 14, item 2): who is in contact with whom, and when.
 *
 * Contacts come as analysts get them, either as time-stamped events `t,i,j` (SocioPatterns style: a contact
 * recorded at t lasts one `resolution`, e.g. 20 s, so it covers [t, t + resolution)) or as intervals
 * `i,j,start,end` covering [start, end). Per undirected pair the windows are sorted and merged (overlapping or
 * touching windows become one), so each pair holds sorted, disjoint activity windows.
 *
 * Layout (typed arrays only): the aggregated static graph as a CSR (one undirected edge per pair ever in
 * contact), `arcPair[a]` the pair of arc a, and the windows of pair p at `start/end[pairOffsets[p] ..
 * pairOffsets[p+1])`. With a `period` P, all windows lie in [0, P) and repeat every P (a weekly timetable).
 * Reading contact files: temporal-files.ts.
 */
import { csrFromEdges, type CSR } from "./csr.js";
import { GraphFormatError, SpreadlabError } from "../errors.js";

export interface TemporalWindows {
  /** Number of undirected pairs ever in contact. */
  readonly pairs: number;
  /** Int32Array(m): the pair of each arc of the CSR (both arcs of an edge share it). */
  readonly arcPair: Int32Array;
  /** Int32Array(pairs + 1): windows of pair p are pairOffsets[p] .. pairOffsets[p+1] − 1. */
  readonly pairOffsets: Int32Array;
  /** Float64Array: window starts and ends, sorted and disjoint per pair (end > start). */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Windows repeat every `period` (all inside [0, period)); null: they happen once. */
  readonly period: number | null;
}

/** A static CSR (unweighted, undirected) that also carries when each edge is active. */
export interface TemporalCSR extends CSR {
  readonly temporal: TemporalWindows;
}

export const isTemporal = (csr: CSR): csr is TemporalCSR => (csr as Partial<TemporalCSR>).temporal !== undefined;

/** One contact window between two nodes, [start, end); `line` (1-based) for error messages. */
export interface ContactWindow {
  i: string | number;
  j: string | number;
  start: number;
  end: number;
  line?: number;
}

export interface TemporalBuildOptions {
  /** Windows repeat every `period` time units; every window must then lie in [0, period]. */
  period?: number;
  /** Node keys to include even without contacts (they come first, in this order). */
  nodes?: Array<string | number>;
  /** File name for error messages. */
  file?: string;
  /** Field path prefix for errors without a file (library use), e.g. "contacts". */
  where?: string;
}

/** Build a temporal network from contact windows (any order; overlapping windows of a pair are merged). */
export function temporalNetwork(contacts: Iterable<ContactWindow>, options: TemporalBuildOptions = {}): TemporalCSR {
  const { file, period } = options;
  const where = options.where ?? "contacts";
  const fail = (message: string, line: number | undefined, k: number): never => {
    if (file !== undefined || line !== undefined) throw new GraphFormatError(message, { file, line });
    throw new SpreadlabError(`${where}[${k}]: ${message}`);
  };
  if (period !== undefined && !(period > 0 && Number.isFinite(period))) {
    throw new SpreadlabError(`${file ?? where}: period: expected a finite number > 0, got ${period}.`);
  }
  const nodeIds: string[] = [];
  const index = new Map<string, number>();
  const node = (key: string | number): number => {
    const s = String(key);
    let v = index.get(s);
    if (v === undefined) {
      v = nodeIds.length;
      nodeIds.push(s);
      index.set(s, v);
    }
    return v;
  };
  for (const key of options.nodes ?? []) node(key);
  // Pair key (lower index, higher index) → pair number; windows collected per pair.
  const pairOf = new Map<number, number>();
  const pairU: number[] = [];
  const pairV: number[] = [];
  const windows: number[][] = []; // per pair: flat [start, end, start, end, …]
  let k = 0;
  for (const c of contacts) {
    const { start, end, line } = c;
    if (String(c.i) === "" || String(c.j) === "") fail("empty node key", line, k);
    if (String(c.i) === String(c.j)) fail(`contact of node ${String(c.i)} with itself; a contact needs two different nodes`, line, k);
    if (!Number.isFinite(start) || Number.isNaN(end)) fail(`start must be a finite number, got ${start}`, line, k);
    if (!(end > start)) fail(`end (${end}) must be after start (${start}); a contact window [start, end) needs a positive length`, line, k);
    if (period !== undefined && (start < 0 || end > period)) {
      fail(`window [${start}, ${end}) is outside [0, ${period}); with period ${period} every window must lie within one period`, line, k);
    }
    const a = node(c.i);
    const b = node(c.j);
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = lo * 4294967296 + hi;
    let p = pairOf.get(key);
    if (p === undefined) {
      p = pairU.length;
      pairOf.set(key, p);
      pairU.push(lo);
      pairV.push(hi);
      windows.push([]);
    }
    windows[p].push(start, end);
    k++;
  }
  if (pairU.length === 0) {
    if (file !== undefined) throw new GraphFormatError("no contacts found; expected lines of t,i,j (events) or i,j,start,end (intervals)", { file });
    throw new SpreadlabError(`${where}: no contacts; give at least one window { i, j, start, end }.`);
  }
  const pairs = pairU.length;
  // Merge per pair into sorted, disjoint windows.
  const pairOffsets = new Int32Array(pairs + 1);
  const starts: number[] = [];
  const ends: number[] = [];
  for (let p = 0; p < pairs; p++) {
    const w = windows[p];
    const order = Array.from({ length: w.length / 2 }, (_, q) => q).sort((x, y) => w[2 * x] - w[2 * y] || w[2 * x + 1] - w[2 * y + 1]);
    let s = w[2 * order[0]];
    let e = w[2 * order[0] + 1];
    for (let q = 1; q < order.length; q++) {
      const s2 = w[2 * order[q]];
      const e2 = w[2 * order[q] + 1];
      if (s2 <= e) {
        if (e2 > e) e = e2;
      } else {
        starts.push(s);
        ends.push(e);
        s = s2;
        e = e2;
      }
    }
    starts.push(s);
    ends.push(e);
    pairOffsets[p + 1] = starts.length;
  }
  const n = nodeIds.length;
  const csr = csrFromEdges(n, Int32Array.from(pairU), Int32Array.from(pairV), pairs, false);
  // Arc → pair: look the pair up from the arc's endpoints.
  const arcPair = new Int32Array(csr.m);
  for (let v = 0; v < n; v++) {
    for (let a = csr.offsets[v]; a < csr.offsets[v + 1]; a++) {
      const u = csr.targets[a];
      arcPair[a] = pairOf.get(Math.min(u, v) * 4294967296 + Math.max(u, v))!;
    }
  }
  return {
    n,
    m: csr.m,
    directed: false,
    offsets: csr.offsets,
    targets: csr.targets,
    weights: null,
    nodeIds,
    index,
    temporal: { pairs, arcPair, pairOffsets, start: Float64Array.from(starts), end: Float64Array.from(ends), period: period ?? null },
  };
}

/**
 * The first time τ ≥ t0 at which pair p has been active for `budget` time units since t0, or Infinity when
 * that does not happen before t1. With a period, whole periods are skipped in O(1).
 */
export function activeTimeReached(w: TemporalWindows, p: number, t0: number, t1: number, budget: number): number {
  const { start, end, period } = w;
  const first = w.pairOffsets[p];
  const last = w.pairOffsets[p + 1];
  let left = budget;
  if (period === null) {
    // First window that ends after t0 (binary search), then walk.
    let lo = first;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (end[mid] <= t0) lo = mid + 1;
      else hi = mid;
    }
    for (let q = lo; q < last; q++) {
      const s = start[q] > t0 ? start[q] : t0;
      if (s >= t1) return Infinity;
      const e = end[q] < t1 ? end[q] : t1;
      const len = e - s;
      if (left < len) return s + left;
      left -= len;
    }
    return Infinity;
  }
  let cycle = Math.floor(t0 / period);
  let base = cycle * period;
  const phase = t0 - base;
  let lo = first;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (end[mid] <= phase) lo = mid + 1;
    else hi = mid;
  }
  let q = lo;
  let perPeriod = -1; // active time per period, computed on first need
  for (;;) {
    if (q === last) {
      // Next period; skip whole periods that the budget outlasts (keeping left in (0, perPeriod]).
      cycle++;
      base = cycle * period;
      q = first;
      if (base >= t1) return Infinity;
      if (perPeriod < 0) {
        perPeriod = 0;
        for (let r = first; r < last; r++) perPeriod += end[r] - start[r];
      }
      if (left > perPeriod) {
        let skip = Math.ceil(left / perPeriod) - 1;
        const full = Math.floor((t1 - base) / period); // periods that end before t1
        if (skip > full) skip = full;
        if (skip > 0) {
          cycle += skip;
          base = cycle * period;
          left -= skip * perPeriod;
        }
      }
    }
    const ws = base + start[q];
    const s = ws > t0 ? ws : t0;
    if (s >= t1) return Infinity;
    const we = base + end[q];
    const e = we < t1 ? we : t1;
    const len = e - s;
    if (len > 0) {
      if (left < len) return s + left;
      left -= len;
    }
    q++;
  }
}

/** Total active time of pair p within [t0, t1) (tests and checks; the kernel uses `activeTimeReached`). */
export function activeTimeWithin(w: TemporalWindows, p: number, t0: number, t1: number): number {
  let total = 0;
  const P = w.period;
  for (let q = w.pairOffsets[p]; q < w.pairOffsets[p + 1]; q++) {
    if (P === null) {
      total += Math.max(0, Math.min(w.end[q], t1) - Math.max(w.start[q], t0));
      continue;
    }
    const k0 = Math.floor((t0 - w.end[q]) / P);
    const k1 = Number.isFinite(t1) ? Math.ceil((t1 - w.start[q]) / P) : Infinity;
    if (!Number.isFinite(k1)) return Infinity;
    for (let k = Math.max(k0, 0); k <= k1; k++) total += Math.max(0, Math.min(k * P + w.end[q], t1) - Math.max(k * P + w.start[q], t0));
  }
  return total;
}
