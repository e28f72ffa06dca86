/** The compartmental family (SIR, SEIR, … and user-defined models): see ./simulate.ts and models/. */
import { interventionArcAttributes } from "../../engine/interventions.js";
import type { Family } from "../contract.js";
import { prepareSimulation, simulate, type SimulationSpec } from "./simulate.js";

export const compartmental: Family<SimulationSpec> = {
  name: "compartmental",
  prepare: prepareSimulation,
  run: simulate,
  distributable: () => true,
  networkNeeds: (spec) => ({ weight: spec.weight ?? null, arcAttributes: interventionArcAttributes(spec.interventions) }),
};
