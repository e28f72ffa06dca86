/**
 * Colours. Compartments use the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which stays
 * distinguishable under the common colour-vision deficiencies. Well-known compartments keep fixed colours
 * across models (S is always blue, I always vermillion) so an analyst can read any view at a glance.
 */
export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
} as const;

/** Nodes on the graph before a run is shown (grey: no state yet). */
export const IDLE_COLOUR = "#7a8794";

/** Compartment names as the graph legend says them. */
const NAMES: Record<string, string> = { S: "susceptible", E: "exposed", I: "infectious", R: "recovered / removed", H: "hospitalised", D: "dead", V: "vaccinated", inactive: "inactive", active: "active" };

/**
 * The graph's colour legend: each compartment of the shown run with its colour (in the order of the
 * result's compartments), or, before a run, the idle grey.
 */
export function graphLegend(compartments: readonly string[] | null): { label: string; colour: string }[] {
  if (!compartments) return [{ label: "node (run an ensemble to colour by state)", colour: IDLE_COLOUR }];
  const colours = compartmentColours(compartments);
  return compartments.map((c, i) => ({ label: NAMES[c] ? `${c} — ${NAMES[c]}` : c, colour: colours[i] }));
}

const FIXED: Record<string, string> = {
  S: OKABE_ITO.blue,
  inactive: OKABE_ITO.blue,
  E: OKABE_ITO.orange,
  I: OKABE_ITO.vermillion,
  active: OKABE_ITO.vermillion,
  R: OKABE_ITO.bluishGreen,
  H: OKABE_ITO.reddishPurple,
  D: OKABE_ITO.black,
  V: OKABE_ITO.skyBlue,
};

const SPARE = [OKABE_ITO.reddishPurple, OKABE_ITO.skyBlue, OKABE_ITO.yellow, OKABE_ITO.orange, OKABE_ITO.black, OKABE_ITO.bluishGreen, OKABE_ITO.blue, OKABE_ITO.vermillion];

/** One colour per compartment, in the given order: fixed ones first, the others from the spare colours. */
export function compartmentColours(compartments: readonly string[]): string[] {
  const used = new Set(compartments.map((c) => FIXED[c]).filter((c): c is string => c !== undefined));
  const spare = SPARE.filter((c) => !used.has(c));
  let next = 0;
  return compartments.map((c) => FIXED[c] ?? spare[next++ % spare.length]);
}

/** Colours told apart for the runs of a comparison (a different order from the compartments'). */
export const RUN_COLOURS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple, OKABE_ITO.orange, OKABE_ITO.skyBlue, OKABE_ITO.black];

/** "#RRGGBB" → [r, g, b]. */
export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`palette: expected a colour "#RRGGBB", got "${hex}".`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** "#RRGGBB" with an alpha, as rgba(), for translucent bands. */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = hexToRgb(hex);
  return `rgba(${r},${g},${b},${alpha})`;
}

/**
 * CIE LCh(ab) → "#RRGGBB" (D65 white, sRGB companding), each channel clipped to the gamut.
 *   [Reference] CIE 15:2004 Colorimetry (CIELAB); IEC 61966-2-1:1999 (sRGB).
 */
export function lchToHex(L: number, C: number, hueDegrees: number): string {
  const h = (hueDegrees * Math.PI) / 180;
  const a = C * Math.cos(h);
  const b = C * Math.sin(h);
  const fy = (L + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (t: number) => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));
  const [X, Y, Z] = [0.95047 * inv(fx), inv(fy), 1.08883 * inv(fz)];
  const linear = [3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z, -0.969266 * X + 1.8760108 * Y + 0.041556 * Z, 0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z];
  return (
    "#" +
    linear
      .map((c) => {
        const v = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
        return Math.round(255 * Math.min(1, Math.max(0, v)))
          .toString(16)
          .padStart(2, "0");
      })
      .join("")
  );
}

/** Lightness and chroma of the generated colours: alternate rows of two lightnesses, dark enough for lines and labels on white. */
const CATEGORICAL_L = [50, 68] as const;
const CATEGORICAL_C = 45;

/**
 * One colour per item, all different: the 7 run colours (Okabe–Ito, safe under colour-vision deficiencies) up to
 * 7 items; beyond, n hues evenly spaced around the CIE LCh circle (as colorspace's qualitative HCL palettes:
 * Zeileis, Hornik & Murrell 2009, "Escaping RGBland", CSDA 53, 3259–3270), neighbours alternating between two
 * lightnesses so that hues 360/n apart also differ in lightness.
 */
export function categoricalColours(n: number): string[] {
  if (n <= RUN_COLOURS.length) return RUN_COLOURS.slice(0, Math.max(0, n));
  return Array.from({ length: n }, (_, k) => lchToHex(CATEGORICAL_L[k % 2], CATEGORICAL_C, 20 + (360 * k) / n));
}
