/**
 * Byte-level field helpers of the streaming edge-list reader (edgelist-stream.ts): the delimiter as a byte, and
 * a plain decimal weight read straight from the bytes of a line.
 */
import { parseDecimal } from "./common.js";
import type { Delimiter } from "./csv.js";

/** The delimiter as a byte, or −1 for runs of whitespace (the reader's `sep`). */
export function sepByte(delimiter: Delimiter): number {
  return delimiter === "whitespace" ? -1 : delimiter.charCodeAt(0);
}

/**
 * A weight written as digits with an optional fraction ("3", "0.25"), as Number() reads it; −1 for anything
 * else (signs, exponents, non-finite spellings, empty), which then goes through parseWeight's checks.
 */
export function plainDecimal(buf: Buffer, s: number, e: number): number {
  const len = e - s;
  if (len === 0 || len > 20) return -1;
  let x = 0;
  let dot = -1;
  for (let p = s; p < e; p++) {
    const b = buf[p];
    if (b === 46 && dot < 0) dot = p;
    else if (b < 48 || b > 57) return -1;
    else x = x * 10 + (b - 48);
  }
  if (dot === s && len === 1) return -1;
  if (dot < 0 && len <= 15) return x;
  const value = parseDecimal(buf.toString("latin1", s, e));
  return value === undefined || !Number.isFinite(value) ? -1 : value;
}
