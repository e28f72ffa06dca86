/** Bad inputs to the library throw named errors (tests match `name`, not message text). */
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { compileModel } from "../../src/models/compartmental.js";
import { getModel } from "../../src/families/registry.js";

const kite = generateCSR({ type: "path", n: 10 }, 0);
const ok: SimulationSpec = {
  model: { preset: "SIR", params: { beta: 0.5, gamma: 1 } },
  time: { mode: "continuous", tmax: 10 },
  initial: { I: { count: 1 } },
};
const named = (name: string) => expect.objectContaining({ name });

describe("named errors", () => {
  it("negative rate → ModelError naming the transition", () => {
    expect(() => simulate(kite, { ...ok, model: { preset: "SIR", params: { beta: -0.1 } } })).toThrow(named("ModelError"));
    expect(() => compileModel({ compartments: ["S", "I"], transitions: [{ from: "S", to: "I", rate: -1, by: "I" }] })).toThrow(/transitions\[0\]\.rate/);
  });
  it("NaN or infinite rate → ModelError", () => {
    expect(() => compileModel({ compartments: ["S", "I"], transitions: [{ from: "S", to: "I", rate: Infinity, by: "I" }] })).toThrow(named("ModelError"));
    expect(() => compileModel({ compartments: ["S", "I"], transitions: [{ from: "S", to: "I", rate: "b", by: "I" }], params: { b: NaN } })).toThrow(named("ModelError"));
  });
  it("unknown compartment → ModelError listing the compartments", () => {
    expect(() => compileModel({ compartments: ["S", "I", "R"], transitions: [{ from: "S", to: "X", rate: 1, by: "I" }] })).toThrow(/compartments are S, I, R/);
    expect(() => compileModel({ compartments: ["S", "I"], transitions: [{ from: "S", to: "I", rate: 1, by: "Q" }] })).toThrow(named("ModelError"));
  });
  it("transition to nowhere, or to itself → ModelError", () => {
    expect(() => compileModel({ compartments: ["S", "I"], transitions: [{ from: "S", rate: 1 } as never] })).toThrow(named("ModelError"));
    expect(() => compileModel({ compartments: ["S", "I"], transitions: [{ from: "S", to: "S", rate: 1 }] })).toThrow(named("ModelError"));
  });
  it("unknown parameter name → ModelError", () => {
    expect(() => compileModel({ compartments: ["S", "I"], transitions: [{ from: "S", to: "I", rate: "beta", by: "I" }] })).toThrow(/unknown parameter "beta"/);
    expect(() => simulate(kite, { ...ok, model: { preset: "SIR", params: { beat: 1 } } })).toThrow(named("ModelError"));
  });
  it("probabilities in continuous time → SimulationError", () => {
    const model = { compartments: ["S", "I"], transitions: [{ from: "S", to: "I", probability: 0.5, by: "I" }] };
    expect(() => simulate(kite, { ...ok, model, engine: "general" })).toThrow(named("SimulationError"));
  });
  it("seeds that are not nodes → SimulationError naming them", () => {
    expect(() => simulate(kite, { ...ok, initial: { I: { nodes: ["3", "nobody"] } } })).toThrow(/"nobody"/);
    expect(() => simulate(kite, { ...ok, initial: { I: { nodes: ["nobody"] } } })).toThrow(named("SimulationError"));
  });
  it("seeding more nodes than exist, an unknown or the susceptible compartment → SimulationError", () => {
    expect(() => simulate(kite, { ...ok, initial: { I: { count: 11 } } })).toThrow(named("SimulationError"));
    expect(() => simulate(kite, { ...ok, initial: { X: { count: 1 } } })).toThrow(named("SimulationError"));
    expect(() => simulate(kite, { ...ok, initial: { S: { count: 1 } } })).toThrow(named("SimulationError"));
    expect(() => simulate(kite, { ...ok, initial: { I: { fraction: 1.5 } } })).toThrow(named("SimulationError"));
  });
  it("bad time settings and runs → SimulationError", () => {
    expect(() => simulate(kite, { ...ok, time: { mode: "continuous", tmax: -1 } })).toThrow(named("SimulationError"));
    expect(() => simulate(kite, { ...ok, time: { mode: "continuous", tmax: 10, record: 0 } })).toThrow(named("SimulationError"));
    expect(() => simulate(kite, { ...ok, time: { mode: "discrete", steps: 2.5 } })).toThrow(named("SimulationError"));
    expect(() => simulate(kite, { ...ok, runs: 0 })).toThrow(named("SimulationError"));
  });
  it("unknown model id in the registry → NotFoundError", () => {
    expect(() => getModel("SIRX")).toThrow(named("NotFoundError"));
    expect(getModel("SEIR").parameters.map((p) => p.name)).toEqual(["beta", "sigma", "gamma"]);
  });
});
