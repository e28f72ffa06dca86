/**
 * Parameters given as expressions. A parameter value (or a transition rate) may be a mathjs expression over
 * the numeric parameters and the time t, compiled once in the restricted instance of
 * scenario/expressions.ts: `beta * (t < 30 ? 1 : 0.4)`, `0.3 * (1 + 0.2 * sin(2 * pi * t / 52))`.
 * Expressions that do not read t are evaluated once; the others become time-varying parameters, held
 * piecewise constant on the engine's rate grid (engine/interventions.ts).
 */
import { compileExpression } from "../scenario/expressions.js";
import type { CompartmentalModelDef, TransitionDef } from "./compartmental.js";

/** A parameter that changes with time (evaluated on the engine's grid of `rateStep`). */
export type TimeVaryingParameter = (t: number) => number;

/** A model definition whose parameters may be expressions. */
export interface ModelDefWithExpressions extends Omit<CompartmentalModelDef, "params"> {
  params?: Record<string, number | string>;
}

export interface ResolvedParameters {
  /** The definition with numbers only (time-varying parameters at their t = 0 value). */
  def: CompartmentalModelDef;
  /** Parameters that change with t. */
  timeVarying: Record<string, TimeVaryingParameter>;
}

/** Name under which a transition's own rate expression becomes a parameter. */
const rateParameter = (i: number, kind: "rate" | "probability") => `transitions[${i}].${kind}`;

export function resolveParameters(def: ModelDefWithExpressions): ResolvedParameters {
  const given = def.params ?? {};
  const numeric: Record<string, number> = {};
  const expressions: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (typeof value === "string") expressions[name] = value;
    else numeric[name] = value;
  }
  // A rate written as an expression (not a parameter name) becomes a parameter of its own.
  const transitions: TransitionDef[] = def.transitions.map((tr, i) => {
    const out = { ...tr };
    for (const kind of ["rate", "probability"] as const) {
      const ref = tr[kind];
      if (typeof ref === "string" && !Object.hasOwn(given, ref)) {
        const name = rateParameter(i, kind);
        expressions[name] = ref;
        out[kind] = name;
      }
    }
    return out;
  });
  const allowed = Object.keys(numeric);
  const params: Record<string, number> = { ...numeric };
  const timeVarying: Record<string, TimeVaryingParameter> = {};
  for (const [name, source] of Object.entries(expressions)) {
    const expr = compileExpression(source, allowed);
    if (!expr.timeDependent) {
      params[name] = expr.evaluate(numeric);
      continue;
    }
    const scope: Record<string, number> = { ...numeric, t: 0 };
    const at = (t: number): number => {
      scope.t = t;
      return expr.evaluate(scope);
    };
    params[name] = at(0);
    timeVarying[name] = at;
  }
  return { def: { ...def, transitions, params }, timeVarying };
}
