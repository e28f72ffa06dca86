/**
 * Preset compartmental models (Kermack & McKendrick 1927; Anderson & May 1991; on networks: Kiss, Miller &
 * Simon 2017, ch. 1). Time unit: days by convention; β is per contact (edge) per day.
 */
import type { CompartmentalModelDef } from "./compartmental.js";

export interface ParameterInfo {
  name: string;
  default: number;
  unit: string;
  description: string;
  min?: number;
  max?: number;
}

export interface PresetInfo {
  id: "SIR" | "SIS" | "SEIR" | "SIRS" | "SEIRS";
  description: string;
  parameters: ParameterInfo[];
  definition: Omit<CompartmentalModelDef, "params">;
}

const beta: ParameterInfo = { name: "beta", default: 0.06, unit: "1/day per contact", description: "transmission rate along each edge from an infectious neighbour", min: 0 };
const gamma: ParameterInfo = { name: "gamma", default: 0.2, unit: "1/day", description: "recovery rate (1 / mean infectious period)", min: 0 };
const sigma: ParameterInfo = { name: "sigma", default: 0.33, unit: "1/day", description: "rate of becoming infectious (1 / mean latent period)", min: 0 };
const omega: ParameterInfo = { name: "omega", default: 0.01, unit: "1/day", description: "rate of waning immunity (1 / mean immune period)", min: 0 };

const infection = { from: "S", to: "I", rate: "beta", by: "I" } as const;
const exposure = { from: "S", to: "E", rate: "beta", by: "I" } as const;
const onset = { from: "E", to: "I", rate: "sigma" } as const;
const recovery = { from: "I", to: "R", rate: "gamma" } as const;
const waning = { from: "R", to: "S", rate: "omega" } as const;

export const PRESETS: Record<PresetInfo["id"], PresetInfo> = {
  SIR: {
    id: "SIR",
    description: "Susceptible → Infectious → Recovered (lifelong immunity).",
    parameters: [beta, gamma],
    definition: { compartments: ["S", "I", "R"], transitions: [infection, recovery] },
  },
  SIS: {
    id: "SIS",
    description: "Susceptible → Infectious → Susceptible (contact process: no immunity).",
    parameters: [beta, gamma],
    definition: { compartments: ["S", "I"], transitions: [infection, { from: "I", to: "S", rate: "gamma" }] },
  },
  SEIR: {
    id: "SEIR",
    description: "SIR with a latent (exposed, not yet infectious) stage.",
    parameters: [beta, sigma, gamma],
    definition: { compartments: ["S", "E", "I", "R"], transitions: [exposure, onset, recovery] },
  },
  SIRS: {
    id: "SIRS",
    description: "SIR with waning immunity (R → S).",
    parameters: [beta, gamma, omega],
    definition: { compartments: ["S", "I", "R"], transitions: [infection, recovery, waning] },
  },
  SEIRS: {
    id: "SEIRS",
    description: "SEIR with waning immunity (R → S).",
    parameters: [beta, sigma, gamma, omega],
    definition: { compartments: ["S", "E", "I", "R"], transitions: [exposure, onset, recovery, waning] },
  },
};

export type PresetId = keyof typeof PRESETS;

/** The model definition of a preset with parameters filled from defaults and overrides. */
export function presetModel(id: PresetId, params: Record<string, number> = {}): CompartmentalModelDef {
  const preset = PRESETS[id];
  const values: Record<string, number> = {};
  for (const p of preset.parameters) values[p.name] = p.default;
  Object.assign(values, params);
  return {
    compartments: [...preset.definition.compartments],
    transitions: preset.definition.transitions.map((t) => ({ ...t })),
    params: values,
  };
}
