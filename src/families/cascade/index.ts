/** The cascade family (independent cascade, linear threshold): see ./cascade.ts and engine/cascade.ts. */
import type { Family } from "../contract.js";
import { prepareCascade, simulateCascade, type CascadeSpec } from "./cascade.js";

export const cascade: Family<CascadeSpec> = {
  name: "cascade",
  prepare: prepareCascade,
  run: simulateCascade,
  // Fixed thresholds are a node attribute, which workers (given the CSR alone) do not see.
  distributable: (spec) => !(spec.model.type === "linear-threshold" && spec.model.thresholds),
  networkNeeds: (spec) => {
    const m = spec.model;
    const weight = m.type === "independent-cascade" ? (typeof m.probability === "object" ? m.probability.attribute : null) : (m.weights?.attribute ?? null);
    return { weight, arcAttributes: [] };
  },
};
