/**
 * Ticks for logarithmic axes. uPlot's default labels round small powers of ten (10⁻⁴ shows as "0"), and a
 * log axis has no 0: these give the decades within the range (with 2 and 5 between them when the range spans
 * less than 1.5 decades) and label each exactly, in plain decimals down to 0.001 and as powers of ten below.
 * Pure.
 */
const SUPERSCRIPT: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** Tick values on a log axis from min to max (both > 0): 1, 10, 100… and, over less than 1.5 decades, 2 and 5 between. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const steps = Math.log10(max / min) < 1.5 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const s of steps) {
      const v = Number((s * 10 ** e).toPrecision(12));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** A tick label: "1", "20", "0.05", "10⁻⁴", "2×10⁻⁵"; never "0" for a positive value. */
export function formatLogTick(v: number): string {
  if (!(v > 0)) return "";
  if (v >= 0.001) return Number(v.toPrecision(6)).toString();
  const e = Math.floor(Math.log10(v) + 1e-9);
  const mantissa = Number((v / 10 ** e).toPrecision(6));
  const power = `10${String(e).split("").map((c) => SUPERSCRIPT[c]).join("")}`;
  return mantissa === 1 ? power : `${mantissa}×${power}`;
}
