/** The field family (reaction–diffusion): see ./reaction-diffusion.ts and models/reaction-diffusion.ts. */
import type { Family } from "../contract.js";
import { simulateField, type FieldResult, type FieldSpec } from "./reaction-diffusion.js";

export const field: Family<FieldSpec, FieldResult> = {
  name: "field",
  // One deterministic integration: nothing to prepare once and repeat, nothing to spread over workers.
  prepare: null,
  run: simulateField,
  distributable: () => false,
  networkNeeds: (spec) => ({ weight: spec.weight ?? null, arcAttributes: [] }),
};
