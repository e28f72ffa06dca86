/**
 * The family contract (src/families/contract.ts, issue 14 item 0): the list holds the three families, the
 * parts of the contract compose to exactly what a family's serial `run` returns, and what decides where a
 * spec runs (in this thread or on workers) is the family's answer, not a caller's special case.
 */
import { describe, expect, it } from "vitest";
import { generateCSR } from "../../src/graph/generators/index.js";
import { assemble, type RunRecord, type SimulationResult } from "../../src/ensemble/assemble.js";
import { FAMILIES, familyOf, isDistributable, networkNeeds, prepareFamily, runFamily, type AnySpec, type EnsembleSpec } from "../../src/families/index.js";
import { simulate } from "../../src/families/compartmental/simulate.js";
import { simulateCascade } from "../../src/families/cascade/cascade.js";
import { simulateField } from "../../src/families/field/reaction-diffusion.js";

const ba = generateCSR({ type: "barabasi-albert", n: 400, m: 3 }, 11);

const sir: EnsembleSpec = { model: { preset: "SIR", params: { beta: 0.4, gamma: 1 } }, time: { mode: "continuous", tmax: 30, record: 1 }, initial: { I: { count: 3 } }, seed: 5, runs: 6, output: { series: true } };
const seirDiscrete: EnsembleSpec = { family: "compartmental", model: { preset: "SEIR", params: { beta: 0.3 } }, time: { mode: "discrete", steps: 40 }, initial: { I: { count: 2 } }, seed: 9, runs: 4 };
const ic: EnsembleSpec = { family: "cascade", model: { type: "independent-cascade", probability: 0.2 }, initial: { active: { count: 4 } }, seed: 3, runs: 8 };
const lt: EnsembleSpec = { family: "cascade", model: { type: "linear-threshold" }, initial: { active: { count: 4 } }, seed: 3, runs: 8 };
const heat: AnySpec = { family: "field", model: { preset: "heat", params: { D: 1 } }, initial: { u: { nodes: { "0": 1 } } }, time: { tmax: 2, record: 0.5 } };

/** Results compared without their wall-clock time, the one field that may differ. */
const timeless = (r: SimulationResult) => ({ ...r, elapsedMs: 0 });

describe("the family list", () => {
  it("holds compartmental, cascade and field, each found from a spec's `family` (absent: compartmental)", () => {
    expect(FAMILIES.map((f) => f.name)).toEqual(["compartmental", "cascade", "field"]);
    expect(familyOf(sir).name).toBe("compartmental");
    expect(familyOf(seirDiscrete).name).toBe("compartmental");
    expect(familyOf(ic).name).toBe("cascade");
    expect(familyOf(heat).name).toBe("field");
  });

  it("rejects an unknown family by name, listing the known ones", () => {
    const bad = { ...sir, family: "agent-based" } as unknown as AnySpec;
    expect(() => runFamily(ba, bad)).toThrow(expect.objectContaining({ name: "SimulationError", message: expect.stringContaining("compartmental, cascade, field") }));
  });
});

describe("prepare once → run one → assemble", () => {
  for (const [label, spec] of [["SIR (continuous)", sir], ["SEIR (discrete)", seirDiscrete], ["independent cascade", ic], ["linear threshold", lt]] as const) {
    it(`${label}: the contract's parts give bit for bit the family's serial run, in any run order`, () => {
      const prepared = prepareFamily(ba, spec);
      expect(prepared.runs).toBe(spec.runs);
      // Runs made backwards: each draws from (seed, r) alone, so order cannot matter.
      const records: RunRecord[] = [];
      for (let r = prepared.runs - 1; r >= 0; r--) records.unshift(prepared.runOne(r));
      const composed = assemble({ ...prepared.meta, nodeIds: ba.nodeIds }, records, performance.now());
      expect(timeless(composed)).toEqual(timeless(runFamily(ba, spec)));
    });
  }

  it("runFamily is each family's own front-end (simulate, simulateCascade, simulateField)", () => {
    expect(timeless(runFamily(ba, sir))).toEqual(timeless(simulate(ba, sir)));
    expect(timeless(runFamily(ba, ic))).toEqual(timeless(simulateCascade(ba, ic as Extract<EnsembleSpec, { family: "cascade" }>)));
    expect(timeless(runFamily(ba, heat))).toEqual(timeless(simulateField(ba, heat as Extract<AnySpec, { family: "field" }>)));
  });

  it("a field has nothing to prepare: prepareFamily refuses it by name", () => {
    expect(() => prepareFamily(ba, heat as unknown as EnsembleSpec)).toThrow(expect.objectContaining({ name: "SimulationError" }));
  });
});

describe("where a spec runs, and what the network must carry", () => {
  it("ensembles go to workers; fields and thresholds read from node attributes stay in this thread", () => {
    expect(isDistributable(sir)).toBe(true);
    expect(isDistributable(ic)).toBe(true);
    expect(isDistributable(lt)).toBe(true);
    expect(isDistributable(heat)).toBe(false);
    expect(isDistributable({ ...lt, model: { type: "linear-threshold", thresholds: { attribute: "theta" } } } as AnySpec)).toBe(false);
  });

  it("names the edge attributes to compile: weights, cascade probabilities or weights, intervention attributes", () => {
    expect(networkNeeds({ ...sir, weight: "w", interventions: [{ at: 1, edges: { where: "school", scale: 0.5 } }] } as AnySpec)).toEqual({ weight: "w", arcAttributes: ["school"] });
    expect(networkNeeds({ ...ic, model: { type: "independent-cascade", probability: { attribute: "p" } } } as AnySpec)).toEqual({ weight: "p", arcAttributes: [] });
    expect(networkNeeds({ ...lt, model: { type: "linear-threshold", weights: { attribute: "trust" } } } as AnySpec)).toEqual({ weight: "trust", arcAttributes: [] });
    expect(networkNeeds(heat)).toEqual({ weight: null, arcAttributes: [] });
  });
});
