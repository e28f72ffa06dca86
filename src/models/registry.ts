/**
 * The model registry: one list that the CLI (`spreadlab models`), the REST API (`GET /v1/models`) and the
 * dashboard's forms all read. An entry is data (id, family, parameters with defaults and units) plus the
 * function that runs it. Adding a model is one file and one line in `MODELS`.
 */
import type Graph from "graphology";
import type { CSR } from "../graph/csr.js";
import { simulate, type SimulationResult, type SimulationSpec } from "../simulate.js";
import { NotFoundError } from "../errors.js";
import { PRESETS, type ParameterInfo, type PresetId } from "./presets.js";

export type ModelFamily = "compartmental" | "independent-cascade" | "linear-threshold" | "reaction-diffusion";

export interface ModelEntry {
  /** Stable id, e.g. "SIR". */
  id: string;
  family: ModelFamily;
  description: string;
  /** Compartments (or variables) in result order; empty when user-defined. */
  compartments: string[];
  parameters: ParameterInfo[];
  /** Run the model on a network; `spec.model` is filled from the entry when omitted. */
  run(network: Graph | CSR, spec: Omit<SimulationSpec, "model"> & { params?: Record<string, number> }): SimulationResult;
}

function presetEntry(id: PresetId): ModelEntry {
  const preset = PRESETS[id];
  return {
    id,
    family: "compartmental",
    description: preset.description,
    compartments: [...preset.definition.compartments],
    parameters: preset.parameters.map((p) => ({ ...p })),
    run: (network, spec) => simulate(network, { ...spec, model: { preset: id, params: spec.params } }),
  };
}

const custom: ModelEntry = {
  id: "compartmental",
  family: "compartmental",
  description:
    "User-defined compartments with spontaneous (X → Y at rate r) and induced (X → Y at rate β per edge to a neighbour in Z) transitions.",
  compartments: [],
  parameters: [],
  run: () => {
    throw new NotFoundError('model "compartmental": give the compartments and transitions in the spec and call simulate().');
  },
};

/** Every model Spreadlab can run. */
export const MODELS: readonly ModelEntry[] = [presetEntry("SIR"), presetEntry("SIS"), presetEntry("SEIR"), presetEntry("SIRS"), presetEntry("SEIRS"), custom];

/** The registry entry with this id (case-sensitive); NotFoundError listing the ids otherwise. */
export function getModel(id: string): ModelEntry {
  const entry = MODELS.find((m) => m.id === id);
  if (!entry) throw new NotFoundError(`model "${id}" is not registered; models are ${MODELS.map((m) => m.id).join(", ")}.`);
  return entry;
}
