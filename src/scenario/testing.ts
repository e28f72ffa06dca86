/**
 * Scenario checks of the testing and tracing entries of `interventions` (engine/testing.ts), with field
 * paths for the loader's line numbers: the entries themselves, and what the kernel (engine/tracing.ts) does
 * not run — other interventions alongside, discrete time, transmission delays, parameters that change with
 * t, other engines, endemic or cyclic models.
 */
import { compileModel, type CompiledModel } from "../models/compartmental.js";
import { resolveParameters, type ModelDefWithExpressions } from "../models/parameters.js";
import { nonMarkovProblem } from "../engine/nonmarkov.js";
import { controlProblems, isControlEntry } from "../engine/testing.js";
import type { PathIssue } from "./check.js";
import type { Scenario } from "./schema.js";

type Sections = Partial<Pick<Scenario, "model" | "time" | "interventions">>;

/** Issues of the testing and tracing entries (none when there are none); `def`: the scenario's compartmental model. */
export function controlIssues(s: Sections, compartments: string[], def: ModelDefWithExpressions): PathIssue[] {
  const list = s.interventions ?? [];
  const first = list.findIndex((iv) => isControlEntry(iv));
  if (first < 0) return [];
  const issues: PathIssue[] = controlProblems(list, compartments).map((p) => ({ path: ["interventions", ...p.path], message: p.message }));
  const key = "testing" in list[first] ? "testing" : "tracing";
  list.forEach((iv, i) => {
    if (!isControlEntry(iv)) issues.push({ path: ["interventions", i], message: "testing and tracing do not run together with other interventions (scale, vaccinate, import, quarantine, edges) yet." });
  });
  if (s.time?.mode === "discrete") issues.push({ path: ["time", "mode"], message: "testing and tracing run in continuous time: { mode: continuous, tmax }." });
  if (s.model?.delays && Object.values(s.model.delays).some((d) => d.dist !== "exponential")) issues.push({ path: ["model", "delays"], message: "transmission delays do not run together with testing and tracing yet." });
  let compiled: CompiledModel | null = null;
  try {
    const resolved = resolveParameters(def);
    for (const name of Object.keys(resolved.timeVarying)) {
      const own = /^transitions\[(\d+)\]\.(rate|probability)$/.exec(name);
      issues.push({ path: own ? ["model", "transitions", Number(own[1]), own[2]] : ["model", "params", name], message: "changes with t, which testing and tracing do not support yet; give a constant." });
    }
    compiled = compileModel(resolved.def);
  } catch {
    // The model's own problems are reported by the model checks.
  }
  const problem = compiled === null ? null : nonMarkovProblem(compiled) ?? (compiled.endemic ? "nodes return to the susceptible compartment" : null);
  if (problem !== null) issues.push({ path: ["interventions", first, key], message: `${problem} (testing and tracing run progressive models such as SIR or SEIR).` });
  return issues;
}
