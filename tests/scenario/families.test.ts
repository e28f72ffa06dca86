/** Scenario files for every model family, interventions, expressions and sweeps: validation and resolution. */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runModel } from "../../src/run.js";
import type { ScenarioError } from "../../src/errors.js";

const network = "network:\n  generate: { type: erdos-renyi, n: 300, k: 6 }\n";
function issuesOf(text: string) {
  try {
    parseScenario(text, "t.yaml", ".");
  } catch (e) {
    expect((e as Error).name).toBe("ScenarioError");
    return (e as ScenarioError).issues.map(({ path, message }) => ({ path, message }));
  }
  throw new Error("expected a ScenarioError");
}
const paths = (text: string) => issuesOf(text).map((i) => i.path);

describe("scenario files for every family", () => {
  it("independent cascade: resolves to a cascade spec and runs", () => {
    const loaded = parseScenario(`${network}model: { type: independent-cascade, params: { probability: 0.2 } }\ninitial: { active: { count: 3 } }\nruns: 3\nseed: 2\n`);
    const resolved = resolveScenario(loaded);
    expect(resolved.spec.family).toBe("cascade");
    const r = runModel(resolved.network(), resolved.spec);
    expect(r.compartments).toEqual(["inactive", "active"]);
    expect(r.runs).toBe(3);
  });

  it("cascades: a probability outside [0, 1], fields of another type, and seeding the wrong compartment", () => {
    expect(paths(`${network}model: { type: independent-cascade, params: { probability: 1.5 } }\ninitial: { active: { count: 3 } }\n`)).toEqual(["model.params.probability"]);
    expect(paths(`${network}model: { type: linear-threshold, laplacian: combinatorial }\ninitial: { active: { count: 3 } }\n`)).toEqual(["model.laplacian"]);
    expect(paths(`${network}model: { type: linear-threshold }\ninitial: { I: { count: 3 } }\n`)).toEqual(["initial.I"]);
    expect(paths(`${network}model: { type: linear-threshold, thresholds: theta }\ninitial: { active: { count: 3 } }\n`)).toEqual(["model"]);
  });

  it("reaction–diffusion: preset with suggestions, variables, continuous time", () => {
    const ok = parseScenario(`${network}model: { type: reaction-diffusion, preset: heat, params: { D: 0.5 } }\ninitial: { u: { nodes: { "0": 1 } } }\ntime: { mode: continuous, tmax: 2, record: 0.5 }\n`);
    const resolved = resolveScenario(ok);
    const r = runModel(resolved.network(), resolved.spec);
    expect(r.mean.u[0]).toBeCloseTo(1, 12);
    expect(r.mean.u.at(-1)).toBeCloseTo(1, 9); // heat conserves mass
    const bad = issuesOf(`${network}model: { type: reaction-diffusion, preset: het }\ninitial: { u: { all: 1 } }\ntime: { mode: continuous, tmax: 2 }\n`);
    expect(bad[0].path).toBe("model.preset");
    expect(bad[0].message).toContain('"heat"');
    expect(paths(`${network}model: { type: reaction-diffusion, preset: heat }\ninitial: { v: { all: 1 } }\ntime: { mode: continuous, tmax: 2 }\n`)).toEqual(["initial.v"]);
    expect(paths(`${network}model: { type: reaction-diffusion, preset: heat }\ninitial: { u: { count: 1 } }\ntime: { mode: continuous, tmax: 2 }\n`)).toEqual(["initial.u"]);
  });

  it("compartmental models need a time section", () => {
    expect(paths(`${network}model: { preset: SIR }\ninitial: { I: { count: 3 } }\n`)).toEqual(["time"]);
  });

  it("parameters as expressions: unknown symbols are reported at the parameter", () => {
    const issues = issuesOf(`${network}model: { preset: SIR, params: { beta: "bta * (t < 10 ? 1 : 0.5)" } }\ntime: { mode: continuous, tmax: 20 }\ninitial: { I: { count: 3 } }\n`);
    expect(issues.map((i) => i.path)).toEqual(["model.params.beta"]);
    expect(issues[0].message).toMatch(/unknown symbol "bta"/);
  });

  it("interventions: unknown parameters and compartments, windows, and one of count/fraction/perDay", () => {
    const base = `${network}model: { preset: SIR }\ntime: { mode: continuous, tmax: 20 }\ninitial: { I: { count: 3 } }\n`;
    expect(paths(`${base}interventions:\n  - { at: 5, scale: bta, by: 0.5 }\n`)).toEqual(["interventions[0].scale"]);
    expect(paths(`${base}interventions:\n  - { at: 5, until: 2, scale: beta, by: 0.5 }\n`)).toEqual(["interventions[0].until"]);
    expect(paths(`${base}interventions:\n  - { at: 5, vaccinate: { count: 5, fraction: 0.1 } }\n`)).toEqual(["interventions[0].vaccinate"]);
    expect(paths(`${base}interventions:\n  - { at: 5, import: { count: 5, into: X } }\n`)).toEqual(["interventions[0].import.into"]);
    expect(paths(`${base}interventions:\n  - { at: 5, vacinate: { count: 5 } }\n`)).toEqual(["interventions[0].vacinate"]);
  });

  it("sweeps: every combination, labelled, with the swept values in the specs", () => {
    const loaded = parseScenario(`${network}model: { preset: SIR, params: { beta: 0.2 } }\ntime: { mode: continuous, tmax: 5 }\ninitial: { I: { count: 3 } }\nsweep:\n  beta: [0.1, 0.3]\n  gamma: { from: 0.5, to: 1, steps: 3 }\n`);
    const points = resolveScenario(loaded).points!;
    expect(points.map((p) => p.label)).toEqual(["beta=0.1,gamma=0.5", "beta=0.1,gamma=0.75", "beta=0.1,gamma=1", "beta=0.3,gamma=0.5", "beta=0.3,gamma=0.75", "beta=0.3,gamma=1"]);
    expect(paths(`${network}model: { preset: SIR }\ntime: { mode: continuous, tmax: 5 }\ninitial: { I: { count: 3 } }\nsweep: { bta: [0.1] }\n`)).toEqual(["sweep.bta"]);
  });

  it("tmax: .inf runs to extinction", () => {
    const loaded = parseScenario(`${network}model: { preset: SIR, params: { beta: 0.3, gamma: 1 } }\ntime: { mode: continuous, tmax: .inf, record: 1 }\ninitial: { I: { count: 3 } }\n`);
    const r = runModel(resolveScenario(loaded).network(), resolveScenario(loaded).spec);
    expect(r.mean.I.at(-1)).toBe(0);
  });
});
