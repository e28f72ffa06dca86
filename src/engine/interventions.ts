/**
 * Interventions as data, and their translation into scheduled engine actions (schedule.ts).
 *
 *  - scale a parameter during [at, until): every rate that names it is multiplied by `by` (lockdown: beta × 0.5);
 *  - vaccinate: move susceptible nodes to a compartment (default R, else V), chosen at random, by highest
 *    degree, or by acquaintance (a random neighbour of a random node: Cohen, Havlin & ben-Avraham 2003,
 *    which finds hubs without knowing degrees); a count or fraction of all nodes at once, or `perDay` nodes
 *    per unit time from `at` until `until` (in batches at each whole time unit). Vaccinated nodes are counted
 *    apart (the engines' Tally: cause "vaccination"), never as infections;
 *  - import cases: move susceptible nodes into an infectious compartment;
 *  - quarantine: the arcs out of nodes in the given compartment at time `at` (default: the infectious ones)
 *    get their weight scaled (default 0) until `until`;
 *  - edges: arcs whose edge attribute `where` is non-zero (e.g. `school`) get their weight scaled during
 *    [at, until) — school closure; without `where`, every arc.
 * Time-varying parameters (functions of t, from scenario expressions) are re-evaluated every `rateStep`
 * time units and held constant in between (piecewise-constant rates: exact at the breakpoints, an
 * approximation of a smooth β(t) in between; the step is reported in the result's engine description).
 */
import type { CSR } from "../graph/csr.js";
import { compileModel, type CompartmentalModelDef, type CompiledModel } from "../models/compartmental.js";
import type { TimeVaryingParameter } from "../models/parameters.js";
import { SimulationError, WorkLimitError } from "../errors.js";
import { MAX_RATE_POINTS } from "./work.js";
import type { EngineControl, ScheduledAction } from "./schedule.js";
import { sortSchedule } from "./schedule.js";
import type { TestingIntervention, TracingIntervention } from "./testing.js";

export type VaccinationStrategy = "random" | "highest-degree" | "acquaintance";

export type Intervention =
  | { at: number; until?: number; scale: string; by: number }
  | { at: number; until?: number; vaccinate: { strategy?: VaccinationStrategy; count?: number; fraction?: number; perDay?: number }; to?: string }
  | { at: number; import: { count: number; into?: string } }
  | { at: number; until?: number; quarantine: { compartment?: string; scale?: number } }
  | { at: number; until?: number; edges: { where?: string; scale: number } }
  | TestingIntervention
  | TracingIntervention;

/** Edge attributes the interventions select arcs by (`edges.where`): compile keeps them per arc. */
export function interventionArcAttributes(interventions: readonly Intervention[] | undefined): string[] {
  return [...new Set((interventions ?? []).flatMap((iv) => ("edges" in iv && iv.edges.where ? [iv.edges.where] : [])))];
}

// A parameter that changes with time belongs to the model (models/parameters.ts); re-exported for callers here.
export type { TimeVaryingParameter };

export interface ScheduleContext {
  csr: CSR;
  /** The model with its base parameter values. */
  def: CompartmentalModelDef;
  compartments: string[];
  susceptible: number;
  infectious: number[];
  /** Parameters given as functions of time. */
  timeVarying?: Record<string, TimeVaryingParameter>;
  /** Grid of re-evaluation for time-varying parameters. */
  rateStep?: number;
  /** Last time anything can happen (tmax). */
  horizon: number;
  /** Per-arc edge attributes for `edges.where`. */
  arcData?: Record<string, Float32Array>;
}

const where = (i: number) => `interventions[${i}]`;

function compartmentIndex(ctx: ScheduleContext, name: string, path: string): number {
  const c = ctx.compartments.indexOf(name);
  if (c < 0) throw new SimulationError(`${path}: unknown compartment "${name}"; compartments are ${ctx.compartments.join(", ")}.`);
  return c;
}

function checkWindow(iv: { at: number; until?: number }, i: number): void {
  if (!(Number.isFinite(iv.at) && iv.at >= 0)) throw new SimulationError(`${where(i)}.at: expected a time ≥ 0, got ${iv.at}.`);
  if (iv.until !== undefined && !(iv.until > iv.at)) throw new SimulationError(`${where(i)}.until: expected a time after at = ${iv.at}, got ${iv.until}.`);
}

/** Susceptible nodes chosen by a strategy (from the run's stream). */
function chooseSusceptible(control: EngineControl, csr: CSR, S: number, count: number, strategy: VaccinationStrategy): number[] {
  const { state, rng } = control;
  const chosen: number[] = [];
  if (count <= 0) return chosen;
  if (strategy === "highest-degree") {
    const order = Array.from({ length: csr.n }, (_, v) => v).filter((v) => state[v] === S);
    order.sort((a, b) => csr.offsets[b + 1] - csr.offsets[b] - (csr.offsets[a + 1] - csr.offsets[a]) || a - b);
    return order.slice(0, count);
  }
  const pool: number[] = [];
  for (let v = 0; v < csr.n; v++) if (state[v] === S) pool.push(v);
  if (strategy === "random" || pool.length <= count) {
    for (let i = 0; i < Math.min(count, pool.length); i++) {
      const j = i + rng.int(pool.length - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
      chosen.push(pool[i]);
    }
    return chosen;
  }
  // Acquaintance: a uniformly random node, then a uniformly random neighbour of it, if susceptible.
  const taken = new Uint8Array(csr.n);
  for (let attempts = 0; chosen.length < count && attempts < 100 * count + csr.n; attempts++) {
    const u = rng.int(csr.n);
    const k = csr.offsets[u + 1] - csr.offsets[u];
    if (k === 0) continue;
    const v = csr.targets[csr.offsets[u] + rng.int(k)];
    if (state[v] === S && !taken[v]) {
      taken[v] = 1;
      chosen.push(v);
    }
  }
  return chosen;
}

/**
 * Validate interventions and return a factory of per-run schedules (actions may keep state within a run,
 * e.g. which arcs a quarantine closed, so every run gets fresh ones).
 */
export function planSchedule(interventions: readonly Intervention[], ctx: ScheduleContext): (() => ScheduledAction[]) & { rateModels: CompiledModel[] } {
  /** Every model of the rate timeline (for the work bound: the largest rates a run will see). */
  const rateModels: CompiledModel[] = [];
  const { csr } = ctx;
  const baseParams = { ...(ctx.def.params ?? {}) };
  const paramNames = Object.keys(baseParams);
  const S = ctx.susceptible;
  const builders: (() => ScheduledAction[])[] = [];
  const multipliers: { at: number; until: number; param: string; by: number }[] = [];
  const defaultVaccinated = ctx.compartments.includes("R") ? "R" : ctx.compartments.includes("V") ? "V" : null;

  interventions.forEach((iv, i) => {
    checkWindow(iv as { at: number; until?: number }, i);
    if ("scale" in iv) {
      if (!paramNames.includes(iv.scale)) throw new SimulationError(`${where(i)}.scale: unknown parameter "${iv.scale}"; parameters are ${paramNames.join(", ")}.`);
      if (!(Number.isFinite(iv.by) && iv.by >= 0)) throw new SimulationError(`${where(i)}.by: expected a factor ≥ 0, got ${iv.by}.`);
      multipliers.push({ at: iv.at, until: iv.until ?? Infinity, param: iv.scale, by: iv.by });
    } else if ("vaccinate" in iv) {
      const target = iv.to ?? defaultVaccinated;
      if (target === null) throw new SimulationError(`${where(i)}.to: the model has no R or V compartment; say which compartment vaccinated nodes go to.`);
      const to = compartmentIndex(ctx, target, `${where(i)}.to`);
      const { strategy = "random", count, fraction, perDay } = iv.vaccinate;
      if (!["random", "highest-degree", "acquaintance"].includes(strategy)) throw new SimulationError(`${where(i)}.vaccinate.strategy: expected random, highest-degree or acquaintance, got "${strategy}".`);
      const given = [count, fraction, perDay].filter((x) => x !== undefined).length;
      if (given !== 1) throw new SimulationError(`${where(i)}.vaccinate: give exactly one of count, fraction or perDay.`);
      if (perDay !== undefined) {
        if (!(perDay >= 0)) throw new SimulationError(`${where(i)}.vaccinate.perDay: expected a number ≥ 0, got ${perDay}.`);
        const end = Math.min(iv.until ?? ctx.horizon, ctx.horizon);
        if (!Number.isFinite(end)) throw new SimulationError(`${where(i)}.until: a daily vaccination rate needs an end (until) or a finite tmax.`);
        builders.push(() => {
          const out: ScheduledAction[] = [];
          let owed = 0;
          for (let t = iv.at; t < end; t += 1) {
            out.push({
              at: t,
              label: `vaccinate ${perDay}/day`,
              apply: (control) => {
                owed += perDay;
                const k = Math.floor(owed);
                owed -= k;
                for (const v of chooseSusceptible(control, csr, S, k, strategy)) control.move(v, to, "vaccination");
              },
            });
          }
          return out;
        });
      } else {
        const k = count ?? Math.round((fraction ?? 0) * csr.n);
        if (!(Number.isInteger(k) && k >= 0)) throw new SimulationError(`${where(i)}.vaccinate: expected a count ≥ 0 or a fraction in [0, 1].`);
        builders.push(() => [{ at: iv.at, label: `vaccinate ${k}`, apply: (control) => chooseSusceptible(control, csr, S, k, strategy).forEach((v) => control.move(v, to, "vaccination")) }]);
      }
    } else if ("import" in iv) {
      const into = iv.import.into === undefined ? ctx.infectious[0] : compartmentIndex(ctx, iv.import.into, `${where(i)}.import.into`);
      if (into === undefined) throw new SimulationError(`${where(i)}.import.into: the model has no infectious compartment; say which one.`);
      const k = iv.import.count;
      if (!(Number.isInteger(k) && k >= 0)) throw new SimulationError(`${where(i)}.import.count: expected an integer ≥ 0, got ${k}.`);
      builders.push(() => [{ at: iv.at, label: `import ${k}`, apply: (control) => chooseSusceptible(control, csr, S, k, "random").forEach((v) => control.move(v, into)) }]);
    } else if ("quarantine" in iv) {
      const from = iv.quarantine.compartment === undefined ? null : compartmentIndex(ctx, iv.quarantine.compartment, `${where(i)}.quarantine.compartment`);
      const scale = iv.quarantine.scale ?? 0;
      if (!(scale >= 0)) throw new SimulationError(`${where(i)}.quarantine.scale: expected a factor ≥ 0, got ${scale}.`);
      const isTarget = (c: number) => (from === null ? ctx.infectious.includes(c) : c === from);
      builders.push(() => {
        let closed: number[] = [];
        const out: ScheduledAction[] = [
          {
            at: iv.at,
            label: "quarantine",
            apply: (control) => {
              closed = [];
              for (let v = 0; v < csr.n; v++) if (isTarget(control.state[v])) for (let a = csr.offsets[v]; a < csr.offsets[v + 1]; a++) closed.push(a);
              control.setArcScale(closed, scale);
            },
          },
        ];
        if (iv.until !== undefined) out.push({ at: iv.until, label: "end of quarantine", apply: (control) => control.setArcScale(closed, 1) });
        return out;
      });
    } else if ("edges" in iv) {
      const { where: attribute, scale } = iv.edges;
      if (!(scale >= 0)) throw new SimulationError(`${where(i)}.edges.scale: expected a factor ≥ 0, got ${scale}.`);
      let arcs: number[];
      if (attribute === undefined) arcs = Array.from({ length: csr.m }, (_, a) => a);
      else {
        const data = ctx.arcData?.[attribute];
        if (!data) throw new SimulationError(`${where(i)}.edges.where: the network has no edge attribute "${attribute}" (generated networks have none; use a network file with that column or attribute).`);
        arcs = [];
        for (let a = 0; a < csr.m; a++) if (data[a] !== 0) arcs.push(a);
      }
      builders.push(() => {
        const out: ScheduledAction[] = [{ at: iv.at, label: "edges", apply: (control) => control.setArcScale(arcs, scale) }];
        if (iv.until !== undefined) out.push({ at: iv.until, label: "edges restored", apply: (control) => control.setArcScale(arcs, 1) });
        return out;
      });
    } else {
      throw new SimulationError(`${where(i)}: expected one of scale, vaccinate, import, quarantine or edges.`);
    }
  });

  // Rate changes: parameter scalings and time-varying parameters, as one timeline of recompiled models.
  const timeVarying = ctx.timeVarying ?? {};
  const dynamic = Object.keys(timeVarying);
  for (const p of dynamic) if (!paramNames.includes(p)) throw new SimulationError(`time-varying parameter "${p}" is not a parameter of the model.`);
  if (multipliers.length > 0 || dynamic.length > 0) {
    const breakpoints = new Set<number>();
    for (const m of multipliers) {
      breakpoints.add(m.at);
      if (Number.isFinite(m.until)) breakpoints.add(m.until);
    }
    if (dynamic.length > 0) {
      const step = ctx.rateStep ?? 0.1;
      if (!(step > 0)) throw new SimulationError(`rate step: expected a number > 0, got ${step}.`);
      if (!Number.isFinite(ctx.horizon)) throw new SimulationError("time-varying parameters need a finite tmax (or discrete steps).");
      if (ctx.horizon / step > MAX_RATE_POINTS) {
        throw new WorkLimitError(`time.rateStep: time-varying rates would be re-evaluated ${Math.floor(ctx.horizon / step) + 1} times (tmax / rateStep = ${ctx.horizon} / ${step}), more than ${MAX_RATE_POINTS}; use a coarser rateStep.`);
      }
      for (let k = 0; k * step <= ctx.horizon; k++) breakpoints.add(k * step);
    }
    const modelAt = (t: number): CompiledModel => {
      const params = { ...baseParams };
      for (const p of dynamic) params[p] = timeVarying[p](t);
      for (const m of multipliers) if (m.at <= t && t < m.until) params[m.param] *= m.by;
      return compileModel({ ...ctx.def, params });
    };
    const times = [...breakpoints].sort((a, b) => a - b);
    // Compiled once for all runs: the timeline does not depend on the run.
    const models = times.map(modelAt);
    builders.push(() => times.map((at, k) => ({ at, label: "rates", apply: (control) => control.setRates(models[k]) })));
    rateModels.push(...models);
  }
  return Object.assign(() => sortSchedule(builders.flatMap((b) => b())), { rateModels });
}
