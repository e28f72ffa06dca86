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
