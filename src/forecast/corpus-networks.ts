/**
 * The contact networks of the synthetic corpus: a seeded mix of sizes, degree heterogeneity and community
 * structure, built straight into CSR with `generateCSR` (no graphology graph).
 *
 *  - Erdős–Rényi, mean degree 4–16 (homogeneous mixing on a sparse graph);
 *  - Barabási–Albert, m = 2–6 (scale-free, hubs);
 *  - configuration model with a power-law degree sequence, exponent 2.2–3.2 (heavy tails without BA's
 *    age–degree correlation);
 *  - stochastic block model, 2–12 communities of unequal sizes, 1–20 % of edges between communities
 *    (regional sub-epidemics that add up to a wider, sometimes double-humped wave);
 *  - Watts–Strogatz, lattice degree 6–12, rewiring 1–50 % (clustering, slow spatial spread).
 * Sizes are log-uniform in [minNodes, maxNodes] (default 1,000–20,000). The mix and the sizes are modelling
 * choices, not read off any data (nodes stand for a sample of a region: corpus.ts); the README lists them as
 * not re-examined.
 *
 * Network g serves corpus series g·SERIES_PER_NETWORK … (g + 1)·SERIES_PER_NETWORK − 1, and is drawn from
 * the stream (seed, NETWORK_STREAM_BASE + g) alone — so a series still depends only on (seed, its index).
 * Generation costs about as much as one series' simulations (measured: see corpus.ts), so sharing one
 * network among a few series halves the corpus time while keeping thousands of distinct networks.
 */
import { createRandom } from "../random.js";
import { generateCSR, type GeneratorSpec } from "../graph/generators/index.js";
import { degreeStats } from "../graph/stats.js";
import type { CSR } from "../graph/csr.js";
import { ForecastError } from "./errors.js";
import { logUniform, uniform } from "./samplers.js";

/** Consecutive series that share one network. */
export const SERIES_PER_NETWORK = 4;
/**
 * Streams 2^31 + g hold the networks, 3·2^30 + g the kind of group g (corpus.ts); series use streams
 * 1 + index (index < 2^30), so they never collide (stream numbers act modulo 2^32).
 */
export const NETWORK_STREAM_BASE = 0x80000000;
export const GROUP_STREAM_BASE = 0xc0000000;
/** Largest series index. */
export const MAX_SERIES_INDEX = 0x3fffffff;

export const DEFAULT_MIN_NODES = 1000;
export const DEFAULT_MAX_NODES = 20000;

export interface CorpusNetwork {
  csr: CSR;
  /** Generator and parameters, e.g. "sbm(n=5234, blocks=6, k=9.1, between=0.05)". */
  name: string;
  n: number;
  /**
   * Mean excess degree κ = (⟨k²⟩ − ⟨k⟩)/⟨k⟩: on a locally tree-like network an SIR with per-edge
   * transmissibility T has R0 = T·κ (Newman 2002).
   */
  kappa: number;
}

export interface NetworkSizeOptions {
  minNodes?: number;
  maxNodes?: number;
}

function checkSizes(minNodes: number, maxNodes: number): void {
  if (!(Number.isInteger(minNodes) && Number.isInteger(maxNodes) && minNodes >= 100 && maxNodes >= minNodes && maxNodes <= 1_000_000)) {
    throw new ForecastError(`corpus: expected integers 100 ≤ minNodes ≤ maxNodes ≤ 1,000,000, got minNodes=${minNodes}, maxNodes=${maxNodes}.`);
  }
}

const fmt = (x: number) => Number(x.toPrecision(3));

/** Network g of the corpus with this seed (a pure function of its arguments). */
export function corpusNetwork(seed: number, group: number, options: NetworkSizeOptions = {}): CorpusNetwork {
  const minNodes = options.minNodes ?? DEFAULT_MIN_NODES;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  checkSizes(minNodes, maxNodes);
  const rng = createRandom(seed, NETWORK_STREAM_BASE + group);
  const n = Math.round(logUniform(rng, minNodes, maxNodes + 1 - 1e-9));
  const pick = rng.next();
  let spec: GeneratorSpec;
  let name: string;
  if (pick < 0.2) {
    const k = uniform(rng, 4, 16);
    spec = { type: "erdos-renyi", n, k };
    name = `erdos-renyi(n=${n}, k=${fmt(k)})`;
  } else if (pick < 0.4) {
    const m = 2 + rng.int(5);
    spec = { type: "barabasi-albert", n, m };
    name = `barabasi-albert(n=${n}, m=${m})`;
  } else if (pick < 0.6) {
    const exponent = uniform(rng, 2.2, 3.2);
    const kmin = 2 + rng.int(3);
    const kmax = Math.min(n - 1, Math.round(2 * Math.sqrt(n)));
    spec = { type: "configuration-model", n, distribution: { powerLaw: { exponent, kmin, kmax } } };
    name = `power-law(n=${n}, exponent=${fmt(exponent)}, kmin=${kmin}, kmax=${kmax})`;
  } else if (pick < 0.85) {
    const blocks = 2 + rng.int(11);
    const weights = Array.from({ length: blocks }, () => Math.exp(0.6 * (rng.next() + rng.next() + rng.next() - 1.5)));
    const total = weights.reduce((a, b) => a + b, 0);
    const sizes = weights.map((w) => Math.max(20, Math.round((n * w) / total)));
    // Rounding: the largest block takes up the difference, so the network has exactly n nodes.
    const largest = sizes.indexOf(Math.max(...sizes));
    sizes[largest] += n - sizes.reduce((a, b) => a + b, 0);
    const nodes = n;
    const k = uniform(rng, 5, 14);
    const between = logUniform(rng, 0.01, 0.2);
    // Within block a: k(1 − between) neighbours on average; between blocks one probability for all pairs,
    // k·between neighbours outside the own block for a block of average size.
    const pOut = Math.min(1, (k * between) / (nodes - nodes / blocks));
    const probabilities = sizes.map((sa, a) => sizes.map((_, b) => (a === b ? Math.min(1, (k * (1 - between)) / Math.max(1, sa - 1)) : pOut)));
    spec = { type: "stochastic-block", sizes, probabilities };
    name = `sbm(n=${nodes}, blocks=${blocks}, k=${fmt(k)}, between=${fmt(between)})`;
  } else {
    const k = 6 + 2 * rng.int(4);
    const beta = logUniform(rng, 0.01, 0.5);
    spec = { type: "watts-strogatz", n, k, beta };
    name = `watts-strogatz(n=${n}, k=${k}, rewire=${fmt(beta)})`;
  }
  const csr = generateCSR(spec, rng.uint32());
  const stats = degreeStats(csr);
  const kappa = stats.meanDegree > 0 ? (stats.meanSquareDegree - stats.meanDegree) / stats.meanDegree : 0;
  return { csr, name, n: csr.n, kappa };
}

/** The last network built, so consecutive series of one group generate it once. */
let cache: { key: string; network: CorpusNetwork } | null = null;

/** `corpusNetwork`, remembering the last result (consecutive series share it). */
export function cachedCorpusNetwork(seed: number, group: number, options: NetworkSizeOptions = {}): CorpusNetwork {
  const key = `${seed}:${group}:${options.minNodes ?? DEFAULT_MIN_NODES}:${options.maxNodes ?? DEFAULT_MAX_NODES}`;
  if (cache?.key !== key) cache = { key, network: corpusNetwork(seed, group, options) };
  return cache.network;
}
