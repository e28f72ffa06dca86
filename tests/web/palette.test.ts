/**
 * Region colours beyond 7: the CIE LCh → sRGB conversion against published values (sRGB red is
 * L* 53.24, a* 80.09, b* 67.20 under D65; white and black), and the generated palette's colours all told apart:
 * every pair differs by more than the CIE76 just-noticeable difference ΔE*ab ≈ 2.3 (Sharma 2003, Digital Color
 * Imaging Handbook), measured by converting the hex codes back with an independent sRGB → Lab.
 */
import { describe, expect, it } from "vitest";
import { RUN_COLOURS, categoricalColours, hexToRgb, lchToHex } from "../../web/src/palette.js";

function lab(hex: string): [number, number, number] {
  const lin = hexToRgb(hex).map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const X = (0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2]) / 0.95047;
  const Y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.072175 * lin[2];
  const Z = (0.0193339 * lin[0] + 0.119192 * lin[1] + 0.9503041 * lin[2]) / 1.08883;
  const f = (t: number) => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

describe("categorical region colours", () => {
  it("converts CIE LCh to sRGB as published: white, black, sRGB red", () => {
    expect(lchToHex(100, 0, 0)).toBe("#ffffff");
    expect(lchToHex(0, 0, 0)).toBe("#000000");
    const a = 80.0925;
    const b = 67.2032;
    expect(lchToHex(53.2408, Math.hypot(a, b), (Math.atan2(b, a) * 180) / Math.PI)).toBe("#ff0000");
  });

  it("keeps the Okabe–Ito run colours up to 7 regions", () => {
    expect(categoricalColours(5)).toEqual(RUN_COLOURS.slice(0, 5));
    expect(categoricalColours(7)).toEqual(RUN_COLOURS);
  });

  it.each([8, 10, 12, 49, 60])("gives %i regions colours that all differ by more than a just-noticeable difference", (n) => {
    const colours = categoricalColours(n);
    expect(colours).toHaveLength(n);
    expect(new Set(colours).size).toBe(n);
    const labs = colours.map(lab);
    let min = Infinity;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) min = Math.min(min, Math.hypot(labs[i][0] - labs[j][0], labs[i][1] - labs[j][1], labs[i][2] - labs[j][2]));
    expect(min).toBeGreaterThan(2.3);
    // Lines and labels on white: no colour lighter than L* 75.
    for (const l of labs) expect(l[0]).toBeLessThan(75);
  });
});
