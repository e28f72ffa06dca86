/**
 * The model families, listed once. Everything above this layer — `runModel`, the model registry, the worker
 * pool and its worker, the queue producer and worker, the scenario loader — reaches a family through this
 * list and the contract of ./contract.ts. A spec names its family in `family` (absent: compartmental).
 */
import type Graph from "graphology";
import type { CSR } from "../graph/csr.js";
import type { SimulationResult } from "../ensemble/assemble.js";
import { SimulationError } from "../errors.js";
import type { Family, NetworkNeeds, PreparedRuns } from "./contract.js";
import { compartmental } from "./compartmental/index.js";
import { cascade } from "./cascade/index.js";
import { field } from "./field/index.js";
import type { SimulationSpec } from "./compartmental/simulate.js";
import type { CascadeSpec } from "./cascade/cascade.js";
import type { FieldSpec } from "./field/reaction-diffusion.js";

export type { Family, NetworkNeeds, PreparedRuns } from "./contract.js";
export type { SimulationSpec, SimulationResult, ContinuousTime, DiscreteTime } from "./compartmental/simulate.js";
export type { CascadeSpec } from "./cascade/cascade.js";
export type { FieldSpec, FieldResult, FieldInitial } from "./field/reaction-diffusion.js";

/** A spec of any family. */
export type AnySpec =
  | ({ family?: "compartmental" } & SimulationSpec)
  | ({ family: "cascade" } & CascadeSpec)
  | ({ family: "field" } & FieldSpec);

/** A spec of any family that runs as an ensemble of independent runs. */
export type EnsembleSpec = ({ family?: "compartmental" } & SimulationSpec) | ({ family: "cascade" } & CascadeSpec);

/** A spec prepared once: the pool and the queue worker call `runOne(r)` for their share of runs. */
export type PreparedFamily = PreparedRuns;

/** Every family, by the name a spec gives in `family`. */
const BY_NAME = { compartmental, cascade, field } as const;

export type FamilyName = keyof typeof BY_NAME;

/** The families, in the order the docs list them. */
export const FAMILIES: readonly Family<never>[] = Object.values(BY_NAME);

/** The family a spec belongs to; SimulationError naming the families for an unknown `family`. */
export function familyOf(spec: AnySpec): Family<AnySpec> {
  const name = spec.family ?? "compartmental";
  if (!Object.hasOwn(BY_NAME, name)) throw new SimulationError(`family: expected one of ${Object.keys(BY_NAME).join(", ")}, got ${JSON.stringify(name)}.`);
  // Each family reads its own spec; the `family` tag ties the two together, which the type system cannot.
  return BY_NAME[name] as unknown as Family<AnySpec>;
}

/** Run any family's spec serially in this thread (prepare, every run, assemble). */
export function runFamily(network: Graph | CSR, spec: AnySpec): SimulationResult {
  return familyOf(spec).run(network, spec);
}

/** Whether the spec's runs may go to worker threads or queue workers (see Family.distributable). */
export function isDistributable(spec: AnySpec): spec is EnsembleSpec {
  const family = familyOf(spec);
  return family.prepare !== null && family.distributable(spec);
}

/** Prepare an ensemble spec once against a compiled network (on the main thread first, then in each worker). */
export function prepareFamily(csr: CSR, spec: EnsembleSpec): PreparedFamily {
  const family = familyOf(spec);
  if (family.prepare === null) throw new SimulationError(`family: "${family.name}" is one deterministic run, not an ensemble; run it with runModel.`);
  return family.prepare(csr, spec);
}

/** The edge attributes a graphology graph must keep when compiled for this spec. */
export function networkNeeds(spec: AnySpec): NetworkNeeds {
  return familyOf(spec).networkNeeds(spec);
}
