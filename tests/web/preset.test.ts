/** Presets (bundled scenario files) as form state: what maps to the form, what is said, what runs as written. */
import { describe, expect, it } from "vitest";
import { presetPlan, runParams, OPEN_HORIZON, type PresetModel } from "../../web/src/state/preset.js";
import { DEFAULT_DRAFT, toRunRequest } from "../../web/src/state/scenario.js";

const MODELS: PresetModel[] = [
  { id: "SIR", family: "compartmental", compartments: ["S", "I", "R"] },
  { id: "SEIR", family: "compartmental", compartments: ["S", "E", "I", "R"] },
  { id: "SIRS", family: "compartmental", compartments: ["S", "I", "R"] },
  { id: "independent-cascade", family: "cascade", compartments: ["inactive", "active"] },
  { id: "linear-threshold", family: "cascade", compartments: ["inactive", "active"] },
];

describe("presetPlan", () => {
  it("builds the generator with the scenario seed when the network names none, as the CLI does", () => {
    const plan = presetPlan({ name: "x", seed: 42, network: { generate: { type: "barabasi-albert", n: 10000, m: 5 } }, model: { preset: "SIR", params: { beta: 0.06, gamma: 0.2 } }, time: { mode: "continuous", tmax: 120, record: 1 }, initial: { I: { count: 10 } }, runs: 20 }, MODELS);
    expect(plan.runnable).toBe(true);
    expect(plan.network).toEqual({ generate: { type: "barabasi-albert", n: 10000, m: 5 }, seed: 42 });
    expect(plan.draft).toMatchObject({ model: "SIR", params: { beta: 0.06, gamma: 0.2 }, tmax: 120, record: 1, seeding: { count: 10, strategy: "random" }, runs: 20, seed: 42 });
    expect(plan.draft.verbatim).toBeUndefined();
    expect(presetPlan({ seed: 42, network: { generate: { type: "karate-club" }, seed: 3 }, model: { type: "independent-cascade" } }, MODELS).network).toMatchObject({ seed: 3 });
  });

  it("keeps a cascade's seed nodes and says that rounds are open in the file", () => {
    const plan = presetPlan({ seed: 17, network: { generate: { type: "karate-club" } }, model: { type: "independent-cascade", params: { probability: 0.15 } }, initial: { active: { nodes: ["0", "33"] } }, runs: 2000 }, MODELS);
    expect(plan.draft).toMatchObject({ model: "independent-cascade", seeding: { nodes: ["0", "33"] }, tmax: OPEN_HORIZON, interventions: [] });
    expect(plan.notes.join(" ")).toMatch(/no limit on rounds/);
  });

  it("maps vaccination and distancing; an import makes the run send the file as written, and says why", () => {
    const scenario = {
      seed: 11,
      network: { generate: { type: "barabasi-albert", n: 500, m: 3 } },
      model: { preset: "SEIR", params: { beta: 0.08, sigma: 0.33, gamma: 0.2 } },
      interventions: [{ at: 10, vaccinate: { strategy: "highest-degree", fraction: 0.1 } }, { at: 20, until: 50, scale: "beta", by: 0.4 }, { at: 3, import: { count: 2 } }],
      output: { dir: "out/x" },
    };
    const plan = presetPlan(scenario, MODELS);
    expect(plan.draft.interventions).toEqual([
      { kind: "vaccinate", at: 10, fraction: 0.1, strategy: "highest-degree" },
      { kind: "scale", at: 20, until: 50, by: 0.4 },
    ]);
    expect(plan.notes.join(" ")).toMatch(/intervention \(at, import\)/);
    expect(plan.draft.verbatim).toMatchObject({ interventions: scenario.interventions });
    expect(plan.draft.verbatim).not.toHaveProperty("output");
    const body = toRunRequest(plan.draft, ["S", "E", "I", "R"], "net-1");
    expect(body).toEqual({ networkId: "net-1", scenario: { ...plan.draft.verbatim, output: { nodes: "first", history: true } } });
  });

  it("says what the form cannot show: custom transitions, expressions, discrete time, fractions, bundled files", () => {
    const custom = presetPlan({ network: { file: "networks/kite.csv" }, model: { compartments: ["S", "I", "R"], transitions: [] }, time: { mode: "discrete", dt: 1, steps: 30 }, initial: { I: { nodes: ["0", "9"] } } }, MODELS);
    expect(custom.network).toEqual({ file: "networks/kite.csv" });
    expect(custom.draft.model).toBe("SIR");
    const text = custom.notes.join(" ");
    expect(text).toMatch(/compartments and transitions \(S, I, R\)/);
    expect(text).toMatch(/discrete time/);
    expect(text).toMatch(/bundled file networks\/kite\.csv/);
    const seasonal = presetPlan({ network: { generate: { type: "erdos-renyi", n: 100, k: 4 } }, model: { preset: "SIRS", params: { beta: "0.06 * cos(t)", gamma: 0.2, omega: 0.01 } }, initial: { I: { fraction: 0.05 } } }, MODELS);
    expect(seasonal.notes.join(" ")).toMatch(/beta is an expression/);
    expect(seasonal.notes.join(" ")).toMatch(/fraction/);
    expect(seasonal.draft.verbatim?.model).toEqual({ preset: "SIRS", params: { beta: "0.06 * cos(t)", gamma: 0.2, omega: 0.01 } });
  });

  it("runs one point of a sweep and an open horizon to a finite day, saying so", () => {
    const plan = presetPlan({ seed: 23, network: { generate: { type: "erdos-renyi", n: 50, k: 4 } }, model: { preset: "SIR", params: { beta: 0.1, gamma: 1 } }, sweep: { beta: { from: 0.05, to: 0.35, steps: 7 } }, time: { mode: "continuous", tmax: null, record: 0.5 } }, MODELS);
    expect(plan.draft.tmax).toBe(OPEN_HORIZON);
    expect(plan.notes.join(" ")).toMatch(/sweeps beta.*beta = 0\.1/);
    expect(plan.notes.join(" ")).toMatch(/tmax: \.inf/);
    expect(plan.draft.verbatim).toBeUndefined();
  });

  it("refuses what the dashboard cannot run, leaving the form as it was", () => {
    const base = { ...DEFAULT_DRAFT, runs: 7 };
    const plan = presetPlan({ network: { file: "networks/hhs-regions.csv" }, model: { type: "reaction-diffusion", preset: "metapopulation-sir" } }, MODELS, base);
    expect(plan.runnable).toBe(false);
    expect(plan.draft).toBe(base);
    expect(plan.notes[0]).toMatch(/reaction–diffusion.*spreadlab run/);
    expect(presetPlan({ model: { preset: "SEIRS" } }, MODELS).runnable).toBe(false);
  });
});

describe("runParams", () => {
  it("gives the rates the run used: the form's, or a verbatim file's numeric ones (none for inline transitions)", () => {
    const plain = presetPlan({ network: { generate: { type: "karate-club" } }, model: { preset: "SIR", params: { beta: 0.1, gamma: 0.3 } } }, MODELS).draft;
    expect(runParams(plain)).toEqual({ beta: 0.1, gamma: 0.3 });
    const seasonal = presetPlan({ network: { generate: { type: "karate-club" } }, model: { preset: "SIRS", params: { beta: "0.06 * cos(t)", gamma: 0.2, omega: 0.01 } } }, MODELS).draft;
    expect(runParams(seasonal)).toEqual({ gamma: 0.2, omega: 0.01 });
    const custom = presetPlan({ network: { file: "k.csv" }, model: { compartments: ["S", "I", "R"], params: { beta: 0.3, gamma: 0.5 }, transitions: [] } }, MODELS).draft;
    expect(runParams(custom)).toEqual({});
  });
});
