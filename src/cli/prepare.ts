/**
 * `spreadlab validate` prepares what `run` would run, without running it (issue 15: validation as strong as
 * running): builds the network (generator values are checked by the generator itself, the one validation path
 * `POST /v1/networks` uses too) and prepares each run set, which applies every check a run applies before its
 * first event — seeds that are nodes, the work bound (engine/work.ts), rate expressions over the horizon.
 * Errors from the network source are reported at `network.generate` / `network.file`.
 */
import type Graph from "graphology";
import { compile, isCSR, type CSR } from "../graph/csr.js";
import { prepareSimulation } from "../families/compartmental/simulate.js";
import { prepareCascade } from "../families/cascade/cascade.js";
import { SpreadlabError } from "../errors.js";
import type { LoadedScenario } from "../scenario/load.js";
import { resolveScenario } from "../scenario/resolve.js";
import { interventionArcAttributes } from "../engine/interventions.js";

/** Re-throw an error of the network source with the field it came from (same name, so the same exit code). */
function atField(error: unknown, file: string, field: string): never {
  if (error instanceof SpreadlabError) {
    error.message = `${file}: ${field}: ${error.message}`;
  }
  throw error;
}

export function prepareScenario(loaded: LoadedScenario): void {
  const resolved = resolveScenario(loaded);
  const net = loaded.scenario.network;
  const field = net.generate ? "network.generate" : net.contacts ? "network.contacts" : "network.file";
  let network: Graph | CSR;
  try {
    network = resolved.network();
  } catch (error) {
    atField(error, loaded.file, field);
  }
  const specs = resolved.points ? resolved.points.map((p) => p.spec) : [resolved.spec];
  for (const spec of specs) {
    // Fields (reaction–diffusion) are checked when they run: their solver bounds its own steps.
    if (spec.family === "field") continue;
    if (spec.family === "cascade") {
      prepareCascade(network, spec); // reads node attributes (thresholds) from a graph when it has one
      continue;
    }
    const csr = isCSR(network) ? network : compile(network, { weight: spec.weight ?? null, arcAttributes: interventionArcAttributes(spec.interventions) });
    prepareSimulation(csr, spec);
  }
}
