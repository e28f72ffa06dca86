/**
 * The "bit-identical simulation by every path" checks of the network readers (CSV, .gz, Arrow, Parquet,
 * GraphML/GEXF): one SIR ensemble that keeps every node's state and infection time, so any difference in node
 * order, arcs or weights shows, and its result without the wall-clock field.
 */
import type { SimulationResult, SimulationSpec } from "../../src/families/compartmental/simulate.js";

export function pathSpec(options: { beta: number; seed: number; runs: number; weight?: string }): SimulationSpec {
  return {
    model: { preset: "SIR", params: { beta: options.beta, gamma: 1 } },
    time: { mode: "continuous", tmax: 30, record: 1 },
    initial: { I: { count: 3 } },
    seed: options.seed,
    runs: options.runs,
    ...(options.weight !== undefined ? { weight: options.weight } : {}),
    output: { nodes: "all", infectionTimes: true },
  };
}

/** The result without `elapsedMs`, the one field that differs between identical runs. */
export function withoutElapsed({ elapsedMs: _elapsed, ...rest }: SimulationResult): Omit<SimulationResult, "elapsedMs"> {
  return rest;
}
