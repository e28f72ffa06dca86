/**
 * Resolving a validated scenario into what the engine runs: the network (generated or read, compiled once
 * to CSR) and a plain SimulationSpec. No functions or file handles leak into the spec.
 */
import { resolve as resolvePath } from "node:path";
import { compile, type CSR } from "../graph/csr.js";
import { generateCSR, type GeneratorSpec } from "../graph/generators/index.js";
import { readNetworkSync, type NetworkFormat } from "../graph/io/index.js";
import type { SimulationSpec } from "../simulate.js";
import type { LoadedScenario } from "./load.js";
import { scenarioModelDef } from "./check.js";

export interface ResolvedScenario {
  name: string;
  spec: SimulationSpec;
  /** Build (generate or read) and compile the network. */
  network(): CSR;
}

export interface Overrides {
  runs?: number;
  seed?: number;
}

export function resolveScenario(loaded: LoadedScenario, overrides: Overrides = {}): ResolvedScenario {
  const s = loaded.scenario;
  const seed = overrides.seed ?? s.seed;
  const name = s.name ?? loaded.file.replace(/^.*\//, "").replace(/\.(ya?ml|json)$/i, "");
  const spec: SimulationSpec = {
    name,
    model: s.model.preset ? { preset: s.model.preset, params: s.model.params } : scenarioModelDef(s.model),
    time: s.time,
    initial: s.initial,
    seed,
    runs: overrides.runs ?? s.runs,
    engine: s.engine,
    output: { nodes: s.output?.nodes, infectionTimes: s.output?.infectionTimes },
  };
  const net = s.network;
  return {
    name,
    spec,
    network: () => {
      if (net.generate) return generateCSR(net.generate as GeneratorSpec, net.seed ?? seed);
      const graph = readNetworkSync(resolvePath(loaded.dir, net.file!), { format: net.format as NetworkFormat | undefined, directed: net.directed });
      return compile(graph, { weight: net.weight ?? null });
    },
  };
}
