/**
 * The model families an ensemble can run, behind one interface: prepare once per network and spec, then
 * make run r. The worker pool and the serial path both go through here.
 */
import type { CSR } from "../graph/csr.js";
import { prepareSimulation, type SimulationSpec } from "../simulate.js";
import { prepareCascade, type CascadeSpec } from "../cascade.js";
import type { EnsembleMeta, RunRecord } from "./assemble.js";

/** A spec of any family that runs as an ensemble of independent runs. */
export type EnsembleSpec = ({ family?: "compartmental" } & SimulationSpec) | ({ family: "cascade" } & CascadeSpec);

export interface PreparedFamily {
  meta: EnsembleMeta;
  runs: number;
  runOne(r: number): RunRecord;
}

export function prepareFamily(csr: CSR, spec: EnsembleSpec): PreparedFamily {
  return spec.family === "cascade" ? prepareCascade(csr, spec) : prepareSimulation(csr, spec);
}
