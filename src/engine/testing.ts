/**
 * Testing, isolation and contact tracing as intervention entries (issue 14, item 3): their specs, their
 * validation against a compiled model, and the per-run counts they produce. The kernel that runs them is
 * engine/tracing.ts.
 *
 *   - { at, until?, testing: { rate, among?, sensitivity?, delay?, isolation? } }
 *     every node in an `among` compartment (default: all) is tested at `rate` per unit of time (a Poisson
 *     clock per node) during [at, until); a test is positive with probability `sensitivity` if the node is
 *     in a detectable compartment (infected but not yet recovered: the infectious compartments and those
 *     that lead to one), never otherwise (perfect specificity). The result arrives `delay` later; a positive
 *     is then isolated — every arc into or out of it closed — for `isolation` time units, and never tested
 *     again. Random screening: among all compartments; symptomatic testing: among [I].
 *   - { at, until?, tracing: { probability, contacts?, window?, delay?, quarantine?, levels? } }
 *     each positive result in [at, until) traces each of the index case's contacts with `probability`:
 *     `neighbours` (default; on a static network every neighbour is a contact at all times) or
 *     `transmissions` (whoever infected the index case and whoever it infected, within `window` before the
 *     result). A traced contact is notified `delay` later and quarantined (arcs closed) for `quarantine`;
 *     with `levels: 2` the contacts of a notified contact are traced too (same probability and delay).
 *
 * Defaults: sensitivity 1, delays 0 (the idealised test, so every imperfection is opt-in and visible in the
 * scenario), isolation and quarantine 14 (the usual 14-day public-health guideline for COVID-19 contacts),
 * window 7 (a week's look-back, as in most manual tracing protocols), levels 1.
 */
import type { CompiledModel } from "../models/compartmental.js";

export interface TestingSpec {
  rate: number;
  among?: string[];
  sensitivity?: number;
  delay?: number;
  isolation?: number;
}

export type TraceContacts = "neighbours" | "transmissions";

export interface TracingSpec {
  probability: number;
  contacts?: TraceContacts;
  window?: number;
  delay?: number;
  quarantine?: number;
  levels?: 1 | 2;
}

export type TestingIntervention = { at: number; until?: number; testing: TestingSpec };
export type TracingIntervention = { at: number; until?: number; tracing: TracingSpec };

export const TESTING_DEFAULTS = { sensitivity: 1, delay: 0, isolation: 14 } as const;
export const TRACING_DEFAULTS = { contacts: "neighbours" as TraceContacts, window: 7, delay: 0, quarantine: 14, levels: 1 } as const;

/** Is this intervention entry testing or tracing (run by engine/tracing.ts, not by the schedule)? */
export function isControlEntry(iv: object): iv is TestingIntervention | TracingIntervention {
  return "testing" in iv || "tracing" in iv;
}

export interface CompiledTesting {
  rate: number;
  /** Per compartment: 1 if its nodes are tested. */
  among: Uint8Array;
  sensitivity: number;
  delay: number;
  isolation: number;
  at: number;
  until: number;
}

export interface CompiledTracing {
  probability: number;
  transmissions: boolean;
  window: number;
  delay: number;
  quarantine: number;
  levels: number;
  at: number;
  until: number;
}

export interface CompiledControl {
  testing: CompiledTesting[];
  tracing: CompiledTracing | null;
  /** Per compartment: a test of a node there can be positive. */
  detects: Uint8Array;
  description: string;
}

/** A problem with a field path below `interventions` (index first). */
export interface ControlProblem {
  path: (string | number)[];
  message: string;
}

type ModelView = Pick<CompiledModel, "compartments" | "nComp" | "susceptible" | "infectious" | "spontOffsets" | "spontTo">;

/** Compartments a test detects: not susceptible, and infectious or leading to an infectious one by spontaneous exits. */
export function detectableCompartments(model: ModelView): Uint8Array {
  const detects = new Uint8Array(model.nComp);
  for (const c of model.infectious) detects[c] = 1;
  for (let changed = true; changed; ) {
    changed = false;
    for (let c = 0; c < model.nComp; c++) {
      if (detects[c] || c === model.susceptible) continue;
      for (let j = model.spontOffsets[c]; j < model.spontOffsets[c + 1]; j++) {
        if (detects[model.spontTo[j]] && model.spontTo[j] !== model.susceptible) {
          detects[c] = 1;
          changed = true;
          break;
        }
      }
    }
  }
  return detects;
}

const nonNegative = (x: unknown): boolean => typeof x === "number" && x >= 0 && !Number.isNaN(x);
const durationOk = (x: unknown): boolean => typeof x === "number" && x >= 0 && !Number.isNaN(x); // Infinity allowed: for the rest of the run

/**
 * Everything wrong with the testing and tracing entries of an intervention list (others are ignored), with
 * paths below `interventions`. `compartments` may be empty when the model itself did not compile.
 */
export function controlProblems(list: readonly object[], compartments: readonly string[]): ControlProblem[] {
  const problems: ControlProblem[] = [];
  let tracingAt = -1;
  let testingCount = 0;
  list.forEach((iv, i) => {
    if (!isControlEntry(iv)) return;
    const window = iv as { at: number; until?: number };
    if (!(Number.isFinite(window.at) && window.at >= 0)) problems.push({ path: [i, "at"], message: `expected a time ≥ 0, got ${window.at}.` });
    if (window.until !== undefined && !(window.until > window.at)) problems.push({ path: [i, "until"], message: `must be after at = ${window.at}.` });
    if ("testing" in iv) {
      testingCount++;
      const t = iv.testing;
      if (!(nonNegative(t.rate) && Number.isFinite(t.rate))) problems.push({ path: [i, "testing", "rate"], message: `expected a finite rate ≥ 0 (tests per node per unit of time), got ${t.rate}.` });
      if (t.sensitivity !== undefined && !(nonNegative(t.sensitivity) && t.sensitivity <= 1)) problems.push({ path: [i, "testing", "sensitivity"], message: `expected a probability in [0, 1], got ${t.sensitivity}.` });
      if (t.delay !== undefined && !(nonNegative(t.delay) && Number.isFinite(t.delay))) problems.push({ path: [i, "testing", "delay"], message: `expected a finite time ≥ 0, got ${t.delay}.` });
      if (t.isolation !== undefined && !durationOk(t.isolation)) problems.push({ path: [i, "testing", "isolation"], message: `expected a time ≥ 0 (.inf: for the rest of the run), got ${t.isolation}.` });
      (t.among ?? []).forEach((name, k) => {
        if (compartments.length > 0 && !compartments.includes(name)) problems.push({ path: [i, "testing", "among", k], message: `unknown compartment "${name}"; compartments are ${compartments.join(", ")}.` });
      });
    } else {
      if (tracingAt >= 0) problems.push({ path: [i, "tracing"], message: `only one tracing entry is allowed (the first is interventions[${tracingAt}]).` });
      tracingAt = tracingAt < 0 ? i : tracingAt;
      const r = iv.tracing;
      if (!(nonNegative(r.probability) && r.probability <= 1)) problems.push({ path: [i, "tracing", "probability"], message: `expected a probability in [0, 1], got ${r.probability}.` });
      if (r.contacts !== undefined && r.contacts !== "neighbours" && r.contacts !== "transmissions") problems.push({ path: [i, "tracing", "contacts"], message: `expected neighbours or transmissions, got ${JSON.stringify(r.contacts)}.` });
      if (r.window !== undefined && !durationOk(r.window)) problems.push({ path: [i, "tracing", "window"], message: `expected a time ≥ 0, got ${r.window}.` });
      if (r.delay !== undefined && !(nonNegative(r.delay) && Number.isFinite(r.delay))) problems.push({ path: [i, "tracing", "delay"], message: `expected a finite time ≥ 0, got ${r.delay}.` });
      if (r.quarantine !== undefined && !durationOk(r.quarantine)) problems.push({ path: [i, "tracing", "quarantine"], message: `expected a time ≥ 0 (.inf: for the rest of the run), got ${r.quarantine}.` });
      if (r.levels !== undefined && r.levels !== 1 && r.levels !== 2) problems.push({ path: [i, "tracing", "levels"], message: `expected 1 or 2, got ${r.levels}.` });
    }
  });
  if (tracingAt >= 0 && testingCount === 0) problems.push({ path: [tracingAt, "tracing"], message: "tracing starts from positive tests: add a testing entry ({ at: 0, testing: { rate, among: [I] } })." });
  return problems;
}

/** Validate (throwing `error` with the first problem's path) and compile the testing and tracing entries. */
export function compileControl(list: readonly object[], model: ModelView, error: (message: string) => Error): CompiledControl {
  const problems = controlProblems(list, model.compartments);
  if (problems.length > 0) {
    const p = problems[0];
    throw error(`interventions[${p.path[0]}]${p.path.slice(1).map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("")}: ${p.message}`);
  }
  const testing: CompiledTesting[] = [];
  let tracing: CompiledTracing | null = null;
  const parts: string[] = [];
  for (const iv of list) {
    if (!isControlEntry(iv)) continue;
    const at = iv.at;
    const until = iv.until ?? Infinity;
    if ("testing" in iv) {
      const t = { ...TESTING_DEFAULTS, ...iv.testing };
      const among = new Uint8Array(model.nComp);
      if (t.among === undefined) among.fill(1);
      else for (const name of t.among) among[model.compartments.indexOf(name)] = 1;
      testing.push({ rate: t.rate, among, sensitivity: t.sensitivity, delay: t.delay, isolation: t.isolation, at, until });
      parts.push(`testing ${t.rate}/node/time among ${t.among?.join(",") ?? "all"} (sensitivity ${t.sensitivity}, delay ${t.delay}, isolation ${t.isolation})`);
    } else {
      const r = { ...TRACING_DEFAULTS, ...iv.tracing };
      tracing = { probability: r.probability, transmissions: r.contacts === "transmissions", window: r.window, delay: r.delay, quarantine: r.quarantine, levels: r.levels, at, until };
      parts.push(`tracing ${r.contacts} with probability ${r.probability} (delay ${r.delay}, quarantine ${r.quarantine}, ${r.levels} level${r.levels > 1 ? "s" : ""}${r.contacts === "transmissions" ? `, window ${r.window}` : ""})`);
    }
  }
  return { testing, tracing, detects: detectableCompartments(model), description: parts.join("; ") };
}

/** What testing and tracing did in one run (plain data: crosses worker and queue boundaries). */
export interface ControlCounts {
  /** Tests performed. */
  tests: number;
  /** Positive results delivered. */
  positives: number;
  /** Isolations started (positive results with an isolation time > 0). */
  isolations: number;
  /** Contacts traced (notifications sent; a node traced twice counts twice). */
  traced: number;
  /** Quarantines started (notifications delivered to nodes not known positive). */
  quarantined: number;
  /** Of those, nodes still susceptible (not infected) when their quarantine began. */
  quarantinedUninfected: number;
}

export const CONTROL_COUNTS = ["tests", "positives", "isolations", "traced", "quarantined", "quarantinedUninfected"] as const;
