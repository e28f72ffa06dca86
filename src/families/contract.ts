/**
 * The contract every model family keeps (compartmental, cascade, field). The layers above — `run.ts`, the
 * model registry, the worker pool and its worker, the queue producer and worker, the scenario loader — see
 * a family only through this shape and the list in ./index.ts, never a family's own front-end; adding a
 * family is one folder and one line there. See docs/ARCHITECTURE.md.
 *
 * Parsing is not a member: the scenario schema (scenario/) turns a file or request into a family's spec,
 * with line-precise errors, and `prepare` validates that spec again against the network (the library API
 * takes specs directly).
 */
import type Graph from "graphology";
import type { CSR } from "../graph/csr.js";
import type { EnsembleMeta, RunRecord, SimulationResult } from "../ensemble/assemble.js";

/** A spec made ready to run: validated and compiled once per network, then runs made one at a time. */
export interface PreparedRuns {
  meta: EnsembleMeta;
  runs: number;
  /** Make run r, drawing every random number from the stream (seed, r) alone. */
  runOne(r: number): RunRecord;
}

/** What the compiled network must carry for a spec: the per-arc value it reads, and intervention attributes. */
export interface NetworkNeeds {
  /** Edge attribute compiled as the arc weight (or cascade probability/weight); null: unweighted. */
  weight: string | null;
  /** Further edge attributes kept per arc (read by interventions). */
  arcAttributes: string[];
}

export interface Family<Spec, Result extends SimulationResult = SimulationResult> {
  /** The value of a spec's `family` field. */
  readonly name: string;
  /**
   * Validate the spec against the network and compile everything the runs share, once (and once more in
   * each worker). Null for a family whose result is one deterministic computation (fields): it only `run`s.
   */
  readonly prepare: ((csr: CSR, spec: Spec) => PreparedRuns) | null;
  /** The serial path: prepare, make every run, assemble the v1 result. */
  run(network: Graph | CSR, spec: Spec): Result;
  /**
   * Whether the runs may go to worker threads or queue workers. Those receive the CSR alone, so a spec that
   * reads node attributes stays in the calling thread; so does a family without `prepare`.
   */
  distributable(spec: Spec): boolean;
  /** Edge attributes to keep when a graphology graph is compiled for this spec. */
  networkNeeds(spec: Spec): NetworkNeeds;
}
