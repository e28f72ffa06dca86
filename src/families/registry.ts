/**
 * The model registry: one list that the CLI (`spreadlab models`), the REST API (`GET /v1/models`) and the
 * dashboard's forms all read. An entry is data — id, family, compartments or variables, parameters with
 * defaults and units — plus `spec(request)`, which turns a request into a runnable spec of its family, and
 * `run`. Adding a model is one file and one line here.
 */
import type Graph from "graphology";
import type { CSR } from "../graph/csr.js";
import type { SimulationResult } from "../ensemble/assemble.js";
import type { InitialSpec, Seeding } from "../engine/initial.js";
import type { Intervention } from "../engine/interventions.js";
import type { ContinuousTime, DiscreteTime } from "./compartmental/simulate.js";
import type { FieldInitial } from "./field/reaction-diffusion.js";
import { FIELD_PRESET_LIST } from "../models/reaction-diffusion.js";
import type { LaplacianKind } from "../engine/laplacian.js";
import { runFamily, type AnySpec } from "./index.js";
import { NotFoundError } from "../errors.js";
import { PRESETS, type ParameterInfo, type PresetId } from "../models/presets.js";

export type ModelFamily = "compartmental" | "independent-cascade" | "linear-threshold" | "reaction-diffusion";

/** What a caller gives to run a registered model; each family reads the fields it needs. */
export interface ModelRequest {
  params?: Record<string, number | string>;
  initial: InitialSpec | { active: Seeding } | Record<string, FieldInitial>;
  time?: ContinuousTime | DiscreteTime;
  seed?: number;
  runs?: number;
  interventions?: Intervention[];
  /** Cascades: largest number of rounds. */
  maxRounds?: number;
  /** Reaction–diffusion: which Laplacian. */
  laplacian?: LaplacianKind;
  output?: { nodes?: "none" | "first" | "all"; infectionTimes?: boolean; series?: boolean };
}

export interface ModelEntry {
  /** Stable id, e.g. "SIR". */
  id: string;
  family: ModelFamily;
  description: string;
  /** Compartments (or field variables) in result order; empty when user-defined. */
  compartments: string[];
  parameters: ParameterInfo[];
  /** A runnable spec of the model's family for this request. */
  spec(request: ModelRequest): AnySpec;
  run(network: Graph | CSR, request: ModelRequest): SimulationResult;
}

const entry = (e: Omit<ModelEntry, "run">): ModelEntry => ({ ...e, run: (network, request) => runFamily(network, e.spec(request)) });

function presetEntry(id: PresetId): ModelEntry {
  const preset = PRESETS[id];
  return entry({
    id,
    family: "compartmental",
    description: preset.description,
    compartments: [...preset.definition.compartments],
    parameters: preset.parameters.map((p) => ({ ...p })),
    spec: (r) => ({
      family: "compartmental",
      model: { preset: id, params: r.params },
      initial: r.initial as InitialSpec,
      time: r.time ?? { mode: "continuous", tmax: 100 },
      seed: r.seed,
      runs: r.runs,
      interventions: r.interventions,
      output: r.output,
    }),
  });
}

const probability: ParameterInfo = { name: "probability", default: 0.1, unit: "per arc", description: "activation probability along each arc (or an edge attribute)", min: 0, max: 1 };

/** Every model Spreadlab can run. */
export const MODELS: readonly ModelEntry[] = [
  presetEntry("SIR"),
  presetEntry("SIS"),
  presetEntry("SEIR"),
  presetEntry("SIRS"),
  presetEntry("SEIRS"),
  entry({
    id: "compartmental",
    family: "compartmental",
    description:
      "User-defined compartments with spontaneous (X → Y at rate r) and induced (X → Y at rate β per edge to a neighbour in Z) transitions; give them in the scenario or spec.",
    compartments: [],
    parameters: [],
    spec: () => {
      throw new NotFoundError('model "compartmental" is user-defined: give compartments and transitions in the spec (simulate) or scenario file.');
    },
  }),
  entry({
    id: "independent-cascade",
    family: "independent-cascade",
    description: "Each newly active node gets one chance to activate each inactive out-neighbour, with the arc's probability (Kempe, Kleinberg & Tardos 2003).",
    compartments: ["inactive", "active"],
    parameters: [probability],
    spec: (r) => ({
      family: "cascade",
      model: { type: "independent-cascade", probability: Number(r.params?.probability ?? probability.default) },
      initial: r.initial as { active: Seeding },
      seed: r.seed,
      runs: r.runs,
      maxRounds: r.maxRounds,
      output: r.output,
    }),
  }),
  entry({
    id: "linear-threshold",
    family: "linear-threshold",
    description: "A node activates when the summed weight of its active in-neighbours reaches its threshold, drawn uniformly per run; weights default to 1/in-degree (Granovetter 1978; Kempe et al. 2003).",
    compartments: ["inactive", "active"],
    parameters: [],
    spec: (r) => ({ family: "cascade", model: { type: "linear-threshold" }, initial: r.initial as { active: Seeding }, seed: r.seed, runs: r.runs, maxRounds: r.maxRounds, output: r.output }),
  }),
  ...FIELD_PRESET_LIST.map((preset) =>
    entry({
      id: preset.id,
      family: "reaction-diffusion",
      description: preset.description,
      compartments: [...preset.variables],
      parameters: preset.parameters.map((p) => ({ ...p })),
      spec: (r) => {
        const time = r.time ?? { mode: "continuous", tmax: 10 };
        if (time.mode !== "continuous") throw new NotFoundError(`model "${preset.id}": reaction–diffusion runs in continuous time.`);
        const params = Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, Number(v)]));
        return { family: "field", model: { preset: preset.id, params, laplacian: r.laplacian }, initial: r.initial as Record<string, FieldInitial>, time: { tmax: time.tmax, record: time.record } };
      },
    }),
  ),
];

/** The registry entry with this id (case-sensitive); NotFoundError listing the ids otherwise. */
export function getModel(id: string): ModelEntry {
  const found = MODELS.find((m) => m.id === id);
  if (!found) throw new NotFoundError(`model "${id}" is not registered; models are ${MODELS.map((m) => m.id).join(", ")}.`);
  return found;
}
