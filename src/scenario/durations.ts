/**
 * Scenario checks of `model.durations` (non-exponential periods) and `model.delays` (transmission delays), with field paths for the loader's line
 * numbers: the durations themselves (models/durations.ts), and what the non-Markovian kernel cannot run
 * (engine/nonmarkov.ts): discrete time, interventions, time-varying parameters, transmission delays with re-infection (endemic models).
 */
import type { CompiledModel } from "../models/compartmental.js";
import { durationProblems } from "../models/durations.js";
import { resolveParameters, type ModelDefWithExpressions } from "../models/parameters.js";
import { nonMarkovProblem } from "../engine/nonmarkov.js";
import { isControlEntry } from "../engine/testing.js";
import type { PathIssue } from "./check.js";
import type { Scenario } from "./schema.js";

type Durations = NonNullable<Scenario["model"]["durations"]>;

/** Some compartment has a duration that is not exponential (the Markovian engines run the others). */
export const nonExponential = (durations: Durations | undefined): boolean =>
  durations !== undefined && Object.values(durations).some((d) => d.dist !== "exponential");

export function durationIssues(m: Scenario["model"], def: ModelDefWithExpressions, compiled: CompiledModel, time: Scenario["time"] | undefined): PathIssue[] {
  const { def: resolved, timeVarying } = resolveParameters(def);
  const issues: PathIssue[] = [];
  for (const role of ["durations", "delays"] as const) {
    const spec = m[role];
    if (spec === undefined) continue;
    for (const p of durationProblems(spec, compiled, resolved.params ?? {}, Object.keys(timeVarying), role)) {
      issues.push({ path: ["model", role, ...p.path], message: p.message, ...(p.atKey ? { atKey: true } : {}) });
    }
  }
  if (issues.length > 0 || !(nonExponential(m.durations) || nonExponential(m.delays))) return issues;
  const problem = nonMarkovProblem(compiled);
  if (problem !== null) issues.push({ path: ["model", nonExponential(m.durations) ? "durations" : "delays"], message: `${problem}.` });
  if (problem === null && compiled.endemic && nonExponential(m.delays)) {
    issues.push({ path: ["model", "delays"], atKey: true, message: "transmission delays need a progressive model (SIR, SEIR, …): a delay counts from the source's infection, which re-infection cannot restart." });
  }
  if (time?.mode === "discrete") issues.push({ path: ["time", "mode"], message: "durations and delays (model.durations, model.delays) run in continuous time: { mode: continuous, tmax }." });
  for (const name of Object.keys(timeVarying)) {
    // A transition's own rate expression is a parameter named "transitions[i].rate".
    const own = /^transitions\[(\d+)\]\.(rate|probability)$/.exec(name);
    const path = own ? ["model", "transitions", Number(own[1]), own[2]] : ["model", "params", name];
    issues.push({ path, message: "changes with t, which model.durations and model.delays do not support yet; give a constant." });
  }
  return issues;
}

/** Interventions are not run together with non-exponential periods yet. */
export function durationInterventionIssues(s: Pick<Scenario, "model" | "interventions">): PathIssue[] {
  // Testing and tracing (scenario/testing.ts) run with any durations; the scheduled interventions do not yet.
  if ((s.interventions ?? []).filter((iv) => !isControlEntry(iv)).length === 0 || !(nonExponential(s.model.durations) || nonExponential(s.model.delays))) return [];
  return [{ path: ["interventions"], message: "not supported together with model.durations or model.delays (non-exponential laws) yet." }];
}
