/**
 * The generator registry: one list (`GENERATORS`) describes every network generator, its parameters and
 * their defaults, for the CLI, the REST API and the dashboard forms alike; `generateEdges` runs a spec
 * `{ type, ...params }` with a seed. Missing parameters take the listed defaults (erdos-renyi takes its
 * default k only when none of p, k, m is given); then each generator validates its own.
 * Generation uses stream 0 of the seed (`createRandom(seed, 0)`), so a (spec, seed) pair always gives the
 * same network, on any machine.
 */
import { createRandom, type Random } from "../../random.js";
import { GeneratorError } from "../../errors.js";
import type { CSR } from "../csr.js";
import { toCSR, toGraph, type EdgeList, type GraphologyGraph } from "../edgelist.js";
import { erdosRenyi, type ErdosRenyiParams } from "./erdos-renyi.js";
import { barabasiAlbert, type BarabasiAlbertParams } from "./barabasi-albert.js";
import { wattsStrogatz, type WattsStrogatzParams } from "./watts-strogatz.js";
import { configurationModel, type ConfigurationModelParams } from "./configuration-model.js";
import { stochasticBlock, type StochasticBlockParams } from "./stochastic-block.js";
import { lattice, type LatticeParams } from "./lattice.js";
import { complete } from "./complete.js";
import { cycle, karateClub, krackhardtKite, path, petersen, star } from "./named.js";
import type { DegreeDistribution } from "./degree-sequence.js";

export type { DegreeDistribution };

/** A network to generate: `type` picks the generator, the other fields are its parameters. */
export type GeneratorSpec =
  | ({ type: "erdos-renyi" } & Partial<ErdosRenyiParams>)
  | ({ type: "barabasi-albert" } & Partial<BarabasiAlbertParams>)
  | ({ type: "watts-strogatz" } & Partial<WattsStrogatzParams>)
  | ({ type: "configuration-model" } & ({ degrees: ArrayLike<number> } | { n?: number; distribution?: DegreeDistribution }))
  | ({ type: "stochastic-block" } & Partial<StochasticBlockParams>)
  | ({ type: "lattice" } & Partial<LatticeParams>)
  | { type: "complete"; n?: number }
  | { type: "petersen" }
  | { type: "krackhardt-kite" }
  | { type: "karate-club" }
  | { type: "path"; n?: number }
  | { type: "cycle"; n?: number }
  | { type: "star"; n?: number };

export type GeneratorType = GeneratorSpec["type"];

export interface GeneratorParameter {
  name: string;
  type: "integer" | "number" | "boolean" | "enum" | "integer[]" | "number[][]" | "distribution";
  /** Used when the spec leaves the parameter out; absent when there is none. */
  default?: unknown;
  /** Allowed values of an "enum" parameter. */
  values?: readonly string[];
  description: string;
}

export interface GeneratorInfo {
  id: GeneratorType;
  name: string;
  description: string;
  /** False for deterministic generators (the seed is ignored). */
  random: boolean;
  reference: string;
  parameters: readonly GeneratorParameter[];
}

const nParam = (value: number, description = "Number of nodes."): GeneratorParameter => ({ name: "n", type: "integer", default: value, description });

export const GENERATORS: readonly GeneratorInfo[] = [
  {
    id: "erdos-renyi",
    name: "Erdős–Rényi",
    description: "Every pair of nodes joined independently with probability p (or exactly m edges). Give one of p, k, m.",
    random: true,
    reference: "Erdős & Rényi 1959; Batagelj & Brandes 2005",
    parameters: [
      nParam(1000),
      { name: "k", type: "number", default: 4, description: "Mean degree; p = k / (n − 1). The default when neither p nor m is given." },
      { name: "p", type: "number", description: "Edge probability in [0, 1]." },
      { name: "m", type: "integer", description: "Exact number of edges (G(n, m))." },
      { name: "directed", type: "boolean", default: false, description: "Ordered pairs instead of unordered ones." },
    ],
  },
  {
    id: "barabasi-albert",
    name: "Barabási–Albert",
    description: "Scale-free growth by linear preferential attachment: each new node links to m distinct earlier nodes.",
    random: true,
    reference: "Barabási & Albert 1999; Batagelj & Brandes 2005",
    parameters: [
      nParam(1000),
      { name: "m", type: "integer", default: 3, description: "Edges per new node, 1 ≤ m < n (mean degree ≈ 2m)." },
      { name: "start", type: "enum", values: ["clique", "star"], default: "clique", description: "Initial graph on the first m + 1 nodes." },
    ],
  },
  {
    id: "watts-strogatz",
    name: "Watts–Strogatz",
    description: "Ring lattice with k neighbours per node, each edge rewired with probability beta.",
    random: true,
    reference: "Watts & Strogatz 1998",
    parameters: [
      nParam(1000),
      { name: "k", type: "integer", default: 4, description: "Lattice degree (even, < n)." },
      { name: "beta", type: "number", default: 0.1, description: "Rewiring probability in [0, 1]." },
    ],
  },
  {
    id: "configuration-model",
    name: "Configuration model",
    description: "Random graph with a given degree sequence (stub matching; self-loops and parallel edges erased).",
    random: true,
    reference: "Molloy & Reed 1995; Newman, Strogatz & Watts 2001",
    parameters: [
      nParam(1000, "Number of nodes when the degrees are drawn from `distribution`."),
      {
        name: "distribution",
        type: "distribution",
        default: { poisson: 4 },
        description: "{poisson: mean} | {powerLaw: {exponent, kmin, kmax}} | {regular: k}.",
      },
      { name: "degrees", type: "integer[]", description: "Explicit degree sequence, one per node (instead of n and distribution)." },
    ],
  },
  {
    id: "stochastic-block",
    name: "Stochastic block model",
    description: "Blocks of nodes; nodes in blocks a and b are joined with probability probabilities[a][b].",
    random: true,
    reference: "Holland, Laskey & Leinhardt 1983",
    parameters: [
      { name: "sizes", type: "integer[]", default: [500, 500], description: "Number of nodes per block." },
      {
        name: "probabilities",
        type: "number[][]",
        default: [
          [0.02, 0.001],
          [0.001, 0.02],
        ],
        description: "Symmetric matrix of edge probabilities between blocks.",
      },
    ],
  },
  {
    id: "lattice",
    name: "2-D lattice",
    description: "rows × cols square grid; node (r, c) has index r·cols + c.",
    random: false,
    reference: "Grassberger 1983",
    parameters: [
      { name: "rows", type: "integer", default: 32, description: "Number of rows." },
      { name: "cols", type: "integer", default: 32, description: "Number of columns." },
      { name: "periodic", type: "boolean", default: false, description: "Wrap around (torus), along sides of length ≥ 3." },
    ],
  },
  { id: "complete", name: "Complete graph", description: "Every pair of nodes joined.", random: false, reference: "Kermack & McKendrick 1927", parameters: [nParam(10)] },
  { id: "petersen", name: "Petersen graph", description: "10 nodes, 15 edges, 3-regular.", random: false, reference: "Petersen 1898", parameters: [] },
  { id: "krackhardt-kite", name: "Krackhardt kite", description: "10 nodes, 18 edges; named nodes.", random: false, reference: "Krackhardt 1990", parameters: [] },
  { id: "karate-club", name: "Zachary karate club", description: "34 members, 78 friendships.", random: false, reference: "Zachary 1977", parameters: [] },
  { id: "path", name: "Path", description: "Nodes 0..n − 1 in a line.", random: false, reference: "—", parameters: [nParam(10)] },
  { id: "cycle", name: "Cycle", description: "Nodes 0..n − 1 in a ring (n ≥ 3).", random: false, reference: "—", parameters: [nParam(10)] },
  { id: "star", name: "Star", description: "Centre 0 joined to leaves 1..n − 1 (n nodes in all).", random: false, reference: "—", parameters: [nParam(10)] },
];

type Run = (params: never, rng: Random) => EdgeList;

const RUN: Record<GeneratorType, Run> = {
  "erdos-renyi": erdosRenyi as Run,
  "barabasi-albert": barabasiAlbert as Run,
  "watts-strogatz": wattsStrogatz as Run,
  "configuration-model": configurationModel as Run,
  "stochastic-block": stochasticBlock as Run,
  lattice: lattice as Run,
  complete: complete as Run,
  petersen: petersen as Run,
  "krackhardt-kite": krackhardtKite as Run,
  "karate-club": karateClub as Run,
  path: path as Run,
  cycle: cycle as Run,
  star: star as Run,
};

/** The spec's parameters with the listed defaults filled in (see the module comment for the exceptions). */
export function resolveGeneratorParams(spec: GeneratorSpec): Record<string, unknown> {
  if (typeof spec !== "object" || spec === null || typeof (spec as { type?: unknown }).type !== "string") {
    throw new GeneratorError(`generator: expected an object with a "type" field, one of ${GENERATORS.map((g) => g.id).join(", ")}.`);
  }
  const info = GENERATORS.find((g) => g.id === spec.type);
  if (info === undefined) {
    throw new GeneratorError(`generator: unknown type "${spec.type}"; expected one of ${GENERATORS.map((g) => g.id).join(", ")}.`);
  }
  const { type: _type, ...given } = spec as Record<string, unknown>;
  const params: Record<string, unknown> = { ...given };
  const skip = new Set<string>();
  if (info.id === "erdos-renyi" && (given.p !== undefined || given.m !== undefined)) skip.add("k");
  if (info.id === "configuration-model" && given.degrees !== undefined) skip.add("n").add("distribution");
  // A block model's sizes and matrix go together: default both or neither.
  if (info.id === "stochastic-block" && (given.sizes !== undefined || given.probabilities !== undefined)) skip.add("sizes").add("probabilities");
  for (const p of info.parameters) {
    if (p.default !== undefined && params[p.name] === undefined && !skip.has(p.name)) params[p.name] = structuredClone(p.default);
  }
  return params;
}

/** Generate the edge list of a spec; randomness from `createRandom(seed, 0)`. */
export function generateEdges(spec: GeneratorSpec, seed: number): EdgeList {
  const params = resolveGeneratorParams(spec);
  const rng = createRandom(seed, 0);
  return RUN[spec.type](params as never, rng);
}

/** Generate a graphology graph (for the dashboard and the writers). */
export function generateGraph(spec: GeneratorSpec, seed: number): GraphologyGraph {
  return toGraph(generateEdges(spec, seed));
}

/** Generate a CSR directly (for the engines), without building a graphology graph. */
export function generateCSR(spec: GeneratorSpec, seed: number): CSR {
  return toCSR(generateEdges(spec, seed));
}

export { erdosRenyi, barabasiAlbert, wattsStrogatz, configurationModel, stochasticBlock, lattice, complete };
export { petersen, krackhardtKite, karateClub, path, cycle, star };
export type { ErdosRenyiParams, BarabasiAlbertParams, WattsStrogatzParams, ConfigurationModelParams, StochasticBlockParams, LatticeParams };
