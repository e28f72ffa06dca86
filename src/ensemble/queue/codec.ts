/**
 * What travels through Redis, as bytes: networks (CSR, content-addressed by the SHA-256 of their encoding,
 * gzip-compressed) and batches of run records (JSON with typed arrays and non-finite numbers tagged, gzip).
 * Plain formats on purpose: producer and workers may run different Node versions on different machines.
 */
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { withLazyIndex, type CSR } from "../../graph/csr.js";
import { isTemporal, type TemporalWindows } from "../../graph/temporal.js";
import type { RunRecord } from "../assemble.js";

const MAGIC = 0x53504e31; // "SPN1"

/**
 * The network as bytes: header, then offsets, targets, weights and arc data, little-endian; a temporal
 * contact network (graph/temporal.ts) adds its arc → pair map, pair offsets and window starts and ends.
 */
export function encodeNetwork(csr: CSR): Buffer {
  const arcNames = Object.keys(csr.arcData ?? {}).sort();
  const w = isTemporal(csr) ? csr.temporal : null;
  const temporal = w ? { pairs: w.pairs, windows: w.start.length, period: w.period } : null;
  const header = Buffer.from(JSON.stringify({ n: csr.n, m: csr.m, directed: csr.directed, weighted: csr.weights !== null, arcData: arcNames, temporal }), "utf8");
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(header.length, 4);
  parts.push(head, header);
  const bytes = (a: Int32Array | Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  parts.push(bytes(csr.offsets), bytes(csr.targets));
  if (csr.weights) parts.push(bytes(csr.weights));
  for (const name of arcNames) parts.push(bytes(csr.arcData![name]));
  if (w) parts.push(bytes(w.arcPair), bytes(w.pairOffsets), bytes(w.start), bytes(w.end));
  return Buffer.concat(parts);
}

/** Content address of an encoded network. */
export function networkHash(encoded: Buffer): string {
  return createHash("sha256").update(encoded).digest("hex");
}

export function compress(bytes: Buffer): Buffer {
  return gzipSync(bytes, { level: 1 });
}

export function decompress(bytes: Buffer): Buffer {
  return gunzipSync(bytes);
}

/**
 * Bytes back to a CSR. Node keys are run-local indices (as in the thread pool's workers): the producer
 * rewrote explicit seed ids to indices, and the assembly puts the real keys back.
 */
export function decodeNetwork(encoded: Buffer): CSR {
  if (encoded.length < 8 || encoded.readUInt32LE(0) !== MAGIC) throw new Error("queue: not an encoded network.");
  const headerLength = encoded.readUInt32LE(4);
  const header = JSON.parse(encoded.subarray(8, 8 + headerLength).toString("utf8")) as {
    n: number;
    m: number;
    directed: boolean;
    weighted: boolean;
    arcData: string[];
    temporal?: { pairs: number; windows: number; period: number | null } | null;
  };
  // Copy into aligned memory (a Buffer slice may start at any byte).
  let at = 8 + headerLength;
  const take = (count: number, size = 4): ArrayBuffer => {
    const out = new ArrayBuffer(count * size);
    new Uint8Array(out).set(encoded.subarray(at, at + count * size));
    at += count * size;
    return out;
  };
  const offsets = new Int32Array(take(header.n + 1));
  const targets = new Int32Array(take(header.m));
  const weights = header.weighted ? new Float32Array(take(header.m)) : null;
  const arcData: Record<string, Float32Array> = {};
  for (const name of header.arcData) arcData[name] = new Float32Array(take(header.m));
  const t = header.temporal;
  const temporal: TemporalWindows | null = t
    ? { pairs: t.pairs, period: t.period, arcPair: new Int32Array(take(header.m)), pairOffsets: new Int32Array(take(t.pairs + 1)), start: new Float64Array(take(t.windows, 8)), end: new Float64Array(take(t.windows, 8)) }
    : null;
  if (at !== encoded.length) throw new Error("queue: encoded network has the wrong length.");
  const nodeIds = new Array<string>(header.n);
  for (let v = 0; v < header.n; v++) nodeIds[v] = String(v);
  return withLazyIndex({ n: header.n, m: header.m, directed: header.directed, offsets, targets, weights, nodeIds, ...(header.arcData.length > 0 ? { arcData } : {}), ...(temporal ? { temporal } : {}) });
}

type Tagged = { $u8: string } | { $f64: string } | { $num: "NaN" | "Infinity" | "-Infinity" };

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return { $num: String(value) as "NaN" | "Infinity" | "-Infinity" } satisfies Tagged;
  if (value instanceof Uint8Array) return { $u8: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") } satisfies Tagged;
  if (value instanceof Float64Array) return { $f64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") } satisfies Tagged;
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.$num === "string") return Number(v.$num);
    if (typeof v.$u8 === "string") return new Uint8Array(Buffer.from(v.$u8, "base64"));
    if (typeof v.$f64 === "string") {
      const bytes = Buffer.from(v.$f64, "base64");
      const out = new Float64Array(bytes.length / 8);
      new Uint8Array(out.buffer).set(bytes);
      return out;
    }
  }
  return value;
}

/**
 * JSON that keeps what plain JSON loses (BullMQ stores job data with JSON.stringify): ±Infinity and NaN
 * (`tmax: Infinity` is a valid spec) and typed arrays.
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

export function decodeJson<T>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

/**
 * Run records as bytes. JSON prints every double in its shortest round-tripping form, so numbers come back
 * bit for bit; NaN/±Infinity and typed arrays are tagged (typed arrays as base64 of their bytes).
 */
export function encodeRecords(records: RunRecord[]): Buffer {
  // Typed arrays must be seen by the replacer before JSON turns them into objects: `toJSON` is not defined on
  // them, so the replacer receives them as they are.
  return compress(Buffer.from(JSON.stringify(records, replacer), "utf8"));
}

export function decodeRecords(bytes: Buffer): RunRecord[] {
  return JSON.parse(decompress(bytes).toString("utf8"), reviver) as RunRecord[];
}
