/**
 * The form's `model.durations` (issue 14): per compartment, how long a node stays before its one spontaneous
 * exit, as the scenario format writes it (README, "Non-exponential periods"). Pure: no DOM.
 *
 * "exponential" is the Markovian default (the rate from the model's parameters): it is not sent, so a form left
 * at its defaults gives exactly the request it gave before durations existed.
 */
export type DurationDist = "exponential" | "fixed" | "gamma" | "lognormal" | "weibull";

export type DurationDraft =
  | { dist: "exponential" }
  | { dist: "fixed"; value: number }
  | { dist: "gamma"; mean: number; shape: number }
  | { dist: "lognormal"; mean: number; sd: number }
  | { dist: "weibull"; shape: number; scale: number };

/** Each law's parameters, in the scenario's names, with what they mean and whether 0 is allowed. */
export const DURATION_PARAMS: Record<DurationDist, { name: string; label: string; zero?: boolean }[]> = {
  exponential: [],
  fixed: [{ name: "value", label: "days", zero: true }],
  gamma: [{ name: "mean", label: "mean (days)" }, { name: "shape", label: "shape k" }],
  lognormal: [{ name: "mean", label: "mean (days)" }, { name: "sd", label: "sd (days)" }],
  weibull: [{ name: "shape", label: "shape k" }, { name: "scale", label: "scale (days)" }],
};

export const DURATION_DISTS = Object.keys(DURATION_PARAMS) as DurationDist[];

/**
 * Compartments of the registry's presets that have exactly one spontaneous exit, so a duration can replace it
 * (the API refuses any other with the reason). The registry lists compartments, not transitions, hence this table.
 */
export const PERIOD_COMPARTMENTS: Record<string, readonly string[]> = {
  SIR: ["I"],
  SIS: ["I"],
  SEIR: ["E", "I"],
  SIRS: ["I", "R"],
  SEIRS: ["E", "I", "R"],
};

/** Starting values when an analyst picks a law (a 5-day period, moderately spread). */
export const DEFAULT_PARAMS: Record<string, number> = { value: 5, mean: 5, shape: 2, sd: 2, scale: 5 };

/** A law with its parameters, from whatever the form holds (missing numbers: the defaults). */
export function durationDraft(dist: DurationDist, values: Record<string, number>): DurationDraft {
  const v = (name: string) => values[name] ?? DEFAULT_PARAMS[name];
  switch (dist) {
    case "fixed":
      return { dist, value: v("value") };
    case "gamma":
      return { dist, mean: v("mean"), shape: v("shape") };
    case "lognormal":
      return { dist, mean: v("mean"), sd: v("sd") };
    case "weibull":
      return { dist, shape: v("shape"), scale: v("scale") };
    default:
      return { dist: "exponential" };
  }
}

/** What the form cannot send, with the API's field paths (so each message lands beside its input). */
export function durationIssues(durations: Record<string, DurationDraft> | undefined): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  for (const [compartment, d] of Object.entries(durations ?? {})) {
    for (const p of DURATION_PARAMS[d.dist]) {
      const x = (d as unknown as Record<string, number>)[p.name];
      const ok = Number.isFinite(x) && (p.zero ? x >= 0 : x > 0);
      if (!ok) issues.push({ path: `model.durations.${compartment}.${p.name}`, message: `must be a finite number ${p.zero ? "≥ 0" : "> 0"}.` });
    }
  }
  return issues;
}

/** The scenario's `model.durations`: non-exponential laws only (undefined when none). */
export function durationsScenario(durations: Record<string, DurationDraft> | undefined, compartments: readonly string[]): Record<string, DurationDraft> | undefined {
  const entries = Object.entries(durations ?? {}).filter(([c, d]) => d.dist !== "exponential" && compartments.includes(c));
  return entries.length > 0 ? Object.fromEntries(entries.map(([c, d]) => [c, { ...d }])) : undefined;
}
