/**
 * Parameter checks shared by the generators. Each throws a GeneratorError prefixed by the generator id and
 * naming the accepted range, e.g. `barabasi-albert: m must be an integer in [1, n), got 0.`
 */
import { GeneratorError } from "../../errors.js";

/** The largest edge count a generator will allocate (two Int32Arrays of this length ≈ 2 GiB). */
export const MAX_EDGES = 2 ** 28;

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return String(value);
}

/** An integer in [min, max] (either bound may be omitted); `range` is how the range reads in the message. */
export function checkInteger(generator: string, name: string, value: unknown, min: number, max: number, range: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new GeneratorError(`${generator}: ${name} must be an integer in ${range}, got ${show(value)}.`);
  }
  return value;
}

/** A finite number in [min, max]. */
export function checkNumber(generator: string, name: string, value: unknown, min: number, max: number, range: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new GeneratorError(`${generator}: ${name} must be a number in ${range}, got ${show(value)}.`);
  }
  return value;
}

/** A probability in [0, 1]. */
export function checkProbability(generator: string, name: string, value: unknown): number {
  return checkNumber(generator, name, value, 0, 1, "[0, 1]");
}

/** Number of nodes: an integer ≥ min (default 0) that an Int32Array can index. */
export function checkNodeCount(generator: string, value: unknown, min = 0, name = "n"): number {
  return checkInteger(generator, name, value, min, 2 ** 31 - 2, `[${min}, 2^31 − 2]`);
}

/** Refuse edge counts that would not fit in memory, with the fix stated. */
export function checkEdgeBudget(generator: string, edges: number): void {
  if (edges > MAX_EDGES) {
    throw new GeneratorError(
      `${generator}: these parameters give about ${edges.toExponential(2)} edges, more than the ${MAX_EDGES.toExponential(2)} that fit in memory; lower n or the density.`,
    );
  }
}
