/**
 * Network generators: determinism per seed, simplicity where promised, exact edge counts where the
 * construction fixes them, and sampling laws checked against their reference values within 3 standard
 * errors (the binomial variance of an edge count unless said otherwise).
 */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/random.js";
import { toCSR, toGraph, type EdgeList } from "../../src/graph/edgelist.js";
import { compile, degrees } from "../../src/graph/csr.js";
import {
  GENERATORS,
  barabasiAlbert,
  configurationModel,
  erdosRenyi,
  generateCSR,
  generateEdges,
  generateGraph,
  stochasticBlock,
  type GeneratorSpec,
} from "../../src/graph/generators/index.js";
import { poisson } from "../../src/graph/generators/degree-sequence.js";
import type { ConfigurationModelEdges } from "../../src/graph/generators/configuration-model.js";
import type { StochasticBlockEdges } from "../../src/graph/generators/stochastic-block.js";

/** Edges as sorted "a-b" strings (a < b when undirected), so lists can be compared as sets. */
function edgeSet(el: EdgeList): string[] {
  const out: string[] = [];
  for (let e = 0; e < el.count; e++) {
    const s = el.sources[e];
    const t = el.targets[e];
    out.push(el.directed || s < t ? `${s}-${t}` : `${t}-${s}`);
  }
  return out.sort();
}

/** No self-loops, no repeated edges, endpoints in range (counted first, so a failure reports the numbers). */
function expectSimple(el: EdgeList): void {
  const keys = new Set<number>();
  let selfLoops = 0;
  let outOfRange = 0;
  for (let e = 0; e < el.count; e++) {
    const s = el.sources[e];
    const t = el.targets[e];
    if (s === t) selfLoops++;
    if (s < 0 || t < 0 || s >= el.n || t >= el.n) outOfRange++;
    keys.add(el.directed || s < t ? s * el.n + t : t * el.n + s);
  }
  expect({ selfLoops, outOfRange, repeated: el.count - keys.size }).toEqual({ selfLoops: 0, outOfRange: 0, repeated: 0 });
}

function degreeOf(el: EdgeList): Int32Array {
  const k = new Int32Array(el.n);
  for (let e = 0; e < el.count; e++) {
    k[el.sources[e]]++;
    k[el.targets[e]]++;
  }
  return k;
}

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

const RANDOM_SPECS: GeneratorSpec[] = [
  { type: "erdos-renyi", n: 300, k: 6 },
  { type: "erdos-renyi", n: 300, m: 500 },
  { type: "barabasi-albert", n: 300, m: 3 },
  { type: "watts-strogatz", n: 300, k: 6, beta: 0.2 },
  { type: "configuration-model", n: 300, distribution: { poisson: 5 } },
  { type: "stochastic-block", sizes: [150, 150], probabilities: [[0.05, 0.01], [0.01, 0.05]] },
];

describe("determinism", () => {
  it.each(RANDOM_SPECS)("$type: same seed, same edges; another seed, other edges", (spec) => {
    const a = generateEdges(spec, 7);
    const b = generateEdges(spec, 7);
    const c = generateEdges(spec, 8);
    expect(Array.from(b.sources.subarray(0, b.count))).toEqual(Array.from(a.sources.subarray(0, a.count)));
    expect(Array.from(b.targets.subarray(0, b.count))).toEqual(Array.from(a.targets.subarray(0, a.count)));
    expect(edgeSet(c)).not.toEqual(edgeSet(a));
  });
});

describe("erdos-renyi", () => {
  it("G(n, k/(n − 1)): mean degree within 3 SE of k, simple", () => {
    // Edge count M ~ Binomial(N, p), N = n(n − 1)/2; mean degree 2M/n has SE 2·sqrt(N p (1 − p))/n.
    const n = 2000;
    const k = 10;
    const p = k / (n - 1);
    const N = (n * (n - 1)) / 2;
    const se = (2 * Math.sqrt(N * p * (1 - p))) / n;
    for (const seed of [1, 2, 3]) {
      const el = generateEdges({ type: "erdos-renyi", n, k }, seed);
      expectSimple(el);
      expect(Math.abs((2 * el.count) / n - k)).toBeLessThan(3 * se);
    }
  });

  it("G(n, p) with p = 1 is complete and p = 0 empty", () => {
    expect(erdosRenyi({ n: 30, p: 1 }, createRandom(1)).count).toBe(435);
    expect(erdosRenyi({ n: 30, p: 0 }, createRandom(1)).count).toBe(0);
  });

  it("directed G(n, p): ordered pairs, no self-loops, count within 3 SE", () => {
    const n = 500;
    const p = 0.02;
    const N = n * (n - 1);
    const el = erdosRenyi({ n, p, directed: true }, createRandom(5));
    expect(el.directed).toBe(true);
    expectSimple(el);
    expect(Math.abs(el.count - N * p)).toBeLessThan(3 * Math.sqrt(N * p * (1 - p)));
  });

  it("G(n, m): exactly m distinct edges, sparse and dense (complement) regimes", () => {
    const sparse = generateEdges({ type: "erdos-renyi", n: 1000, m: 3000 }, 3);
    expect(sparse.count).toBe(3000);
    expectSimple(sparse);
    const dense = generateEdges({ type: "erdos-renyi", n: 30, m: 400 }, 3);
    expect(dense.count).toBe(400);
    expectSimple(dense);
    const directed = erdosRenyi({ n: 20, m: 300, directed: true }, createRandom(2));
    expect(directed.count).toBe(300);
    expectSimple(directed);
  });

  it("G(n, m) is uniform over pairs: each of the 10 pairs of 5 nodes appears with frequency m/10", () => {
    // R graphs with m = 3 of N = 10 pairs: each pair appears Binomial(R, 0.3) times; 4 SE over 10 pairs.
    const R = 2000;
    for (const m of [3, 8]) {
      const hits = new Map<string, number>();
      const rng = createRandom(11);
      for (let r = 0; r < R; r++) for (const key of edgeSet(erdosRenyi({ n: 5, m }, rng))) hits.set(key, (hits.get(key) ?? 0) + 1);
      expect(hits.size).toBe(10);
      const q = m / 10;
      for (const count of hits.values()) expect(Math.abs(count - R * q)).toBeLessThan(4 * Math.sqrt(R * q * (1 - q)));
    }
  });

  it("needs exactly one of p, k, m, in range", () => {
    expect(catchError(() => erdosRenyi({ n: 10 }, createRandom(1))).name).toBe("GeneratorError");
    expect(catchError(() => erdosRenyi({ n: 10, p: 0.1, k: 2 }, createRandom(1))).name).toBe("GeneratorError");
    expect(catchError(() => erdosRenyi({ n: 10, p: 1.5 }, createRandom(1))).name).toBe("GeneratorError");
    expect(catchError(() => erdosRenyi({ n: 10, m: 46 }, createRandom(1))).name).toBe("GeneratorError");
    expect(catchError(() => erdosRenyi({ n: 1e6, p: 0.5 }, createRandom(1))).message).toMatch(/fit in memory/);
  });
});

describe("barabasi-albert", () => {
  it("clique start: m(m + 1)/2 + (n − m − 1)·m edges, simple, every later node brings m edges", () => {
    const n = 2000;
    const m = 4;
    const el = generateEdges({ type: "barabasi-albert", n, m }, 1);
    expect(el.count).toBe((m * (m + 1)) / 2 + (n - m - 1) * m);
    expectSimple(el);
    const k = degreeOf(el);
    expect(Math.min(...k)).toBe(m);
    for (let e = (m * (m + 1)) / 2; e < el.count; e++) expect(el.targets[e]).toBeLessThan(el.sources[e]);
  });

  it("star start: m + (n − m − 1)·m edges", () => {
    const el = generateEdges({ type: "barabasi-albert", n: 500, m: 3, start: "star" }, 1);
    expect(el.count).toBe(3 + (500 - 3 - 1) * 3);
    expectSimple(el);
  });

  it("large m (marker path) stays simple", () => {
    const el = generateEdges({ type: "barabasi-albert", n: 300, m: 40 }, 2);
    expect(el.count).toBe(40 * 41 / 2 + (300 - 41) * 40);
    expectSimple(el);
  });

  it("degree law: P(k = m) = 2/(m + 2) and P(k = m + 1) = 2m/((m + 2)(m + 3))", () => {
    // Exact asymptotic degree distribution P(k) = 2m(m + 1)/(k(k + 1)(k + 2)) (Bollobás et al. 2001;
    // Dorogovtsev, Mendes & Samukhin 2000). At n = 20 000 the binomial SE of a fraction is ≤ 0.0035;
    // the tolerance 0.015 also covers finite-size corrections.
    const n = 20000;
    for (const m of [1, 3]) {
      const k = degreeOf(generateEdges({ type: "barabasi-albert", n, m }, 4));
      const frac = (d: number) => k.filter((x) => x === d).length / n;
      expect(Math.abs(frac(m) - 2 / (m + 2))).toBeLessThan(0.015);
      expect(Math.abs(frac(m + 1) - (2 * m) / ((m + 2) * (m + 3)))).toBeLessThan(0.015);
    }
  });

  it("rejects m outside [1, n)", () => {
    const error = catchError(() => generateEdges({ type: "barabasi-albert", n: 100, m: 0 }, 1));
    expect(error.name).toBe("GeneratorError");
    expect(error.message).toBe("barabasi-albert: m must be an integer in [1, n), got 0.");
    expect(catchError(() => generateEdges({ type: "barabasi-albert", n: 100, m: 100 }, 1)).name).toBe("GeneratorError");
  });
});

describe("watts-strogatz", () => {
  it("beta = 0 is the ring lattice", () => {
    const n = 50;
    const k = 6;
    const el = generateEdges({ type: "watts-strogatz", n, k, beta: 0 }, 1);
    const ring: string[] = [];
    for (let i = 0; i < n; i++) for (let j = 1; j <= k / 2; j++) ring.push(`${Math.min(i, (i + j) % n)}-${Math.max(i, (i + j) % n)}`);
    expect(edgeSet(el)).toEqual(ring.sort());
  });

  it("rewiring keeps nk/2 edges, no self-loops or parallel edges, for any beta", () => {
    for (const beta of [0.1, 0.5, 1]) {
      const el = generateEdges({ type: "watts-strogatz", n: 400, k: 8, beta }, 3);
      expect(el.count).toBe(1600);
      expectSimple(el);
    }
    // Dense corner: every node already joined to nearly all others.
    const dense = generateEdges({ type: "watts-strogatz", n: 9, k: 8, beta: 1 }, 3);
    expect(dense.count).toBe(36);
    expectSimple(dense);
  });

  it("beta = 0.2 rewires about a fifth of the lattice edges", () => {
    // Each edge is rewired independently with probability beta: Binomial(nk/2, beta), 3 SE.
    const n = 2000;
    const count = n * 3;
    const el = generateEdges({ type: "watts-strogatz", n, k: 6, beta: 0.2 }, 9);
    let moved = 0;
    for (let e = 0; e < count; e++) {
      const j = Math.floor(e / n) + 1;
      if (el.targets[e] !== (el.sources[e] + j) % n) moved++;
    }
    expect(Math.abs(moved - count * 0.2)).toBeLessThan(3 * Math.sqrt(count * 0.2 * 0.8));
  });

  it("rejects odd k", () => {
    expect(catchError(() => generateEdges({ type: "watts-strogatz", n: 10, k: 3, beta: 0 }, 1)).name).toBe("GeneratorError");
  });
});

describe("configuration-model", () => {
  it("a perfect matching sequence (all degrees 1) is reproduced exactly", () => {
    const el = configurationModel({ degrees: new Array(200).fill(1) }, createRandom(1));
    expect(el.count).toBe(100);
    expect(el.erased).toEqual({ selfLoops: 0, multiEdges: 0 });
    expect(Array.from(degreeOf(el))).toEqual(new Array(200).fill(1));
  });

  it("preserves the degree sequence up to the erased self-loops and parallel edges", () => {
    const degreesIn = Array.from({ length: 500 }, (_, v) => 1 + (v % 7) + (v === 0 ? 40 : 0));
    const el = configurationModel({ degrees: degreesIn }, createRandom(2)) as ConfigurationModelEdges;
    expectSimple(el);
    const k = degreeOf(el);
    let lost = 0;
    for (let v = 0; v < el.n; v++) {
      expect(k[v]).toBeLessThanOrEqual(el.targetDegrees[v]);
      lost += el.targetDegrees[v] - k[v];
    }
    // An erased self-loop takes 2 stubs from one node, an erased parallel copy 1 from each end.
    expect(lost).toBe(2 * (el.erased.selfLoops + el.erased.multiEdges));
    expect(el.count + el.erased.selfLoops + el.erased.multiEdges).toBe(el.targetDegrees.reduce((a, b) => a + b, 0) / 2);
  });

  it("an odd degree sum gets one extra stub on one node", () => {
    const el = configurationModel({ degrees: [1, 1, 1, 2, 2] }, createRandom(3));
    expect(el.stubAddedTo).toBeGreaterThanOrEqual(0);
    expect(el.targetDegrees.reduce((a, b) => a + b, 0)).toBe(8);
    expect(el.targetDegrees[el.stubAddedTo]).toBe([1, 1, 1, 2, 2][el.stubAddedTo] + 1);
    const even = configurationModel({ degrees: [1, 1, 2] }, createRandom(3));
    expect(even.stubAddedTo).toBe(-1);
  });

  it("distributions: regular, Poisson mean within 3 SE, power law within its cut-offs", () => {
    const regular = generateEdges({ type: "configuration-model", n: 1000, distribution: { regular: 3 } }, 1) as ConfigurationModelEdges;
    expect(Array.from(regular.targetDegrees).every((d, v) => d === (v === regular.stubAddedTo ? 4 : 3))).toBe(true);
    expectSimple(regular);
    // Poisson(μ) mean over n draws has SE sqrt(μ/n); μ = 4 uses Knuth's method, μ = 30 PTRS.
    for (const mean of [4, 30]) {
      const n = 5000;
      const el = generateEdges({ type: "configuration-model", n, distribution: { poisson: mean } }, 2) as ConfigurationModelEdges;
      const sum = el.targetDegrees.reduce((a, b) => a + b, 0) - (el.stubAddedTo >= 0 ? 1 : 0);
      expect(Math.abs(sum / n - mean)).toBeLessThan(3 * Math.sqrt(mean / n));
    }
    const law = generateEdges({ type: "configuration-model", n: 3000, distribution: { powerLaw: { exponent: 2.5, kmin: 2, kmax: 50 } } }, 3) as ConfigurationModelEdges;
    for (let v = 0; v < law.n; v++) {
      const d = law.targetDegrees[v] - (v === law.stubAddedTo ? 1 : 0);
      expect(d).toBeGreaterThanOrEqual(2);
      expect(d).toBeLessThanOrEqual(50);
    }
  });

  it("Poisson sampler: variance ≈ mean (dispersion test)", () => {
    // For Poisson(μ), the sample variance over R draws has SE ≈ μ·sqrt(2/R) (plus a small 4th-cumulant term).
    const R = 20000;
    for (const mu of [3, 25, 400]) {
      const rng = createRandom(4);
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < R; i++) {
        const x = poisson(rng, mu);
        s += x;
        s2 += x * x;
      }
      const mean = s / R;
      const variance = s2 / R - mean * mean;
      expect(Math.abs(mean - mu)).toBeLessThan(3 * Math.sqrt(mu / R));
      expect(Math.abs(variance - mu)).toBeLessThan(4 * mu * Math.sqrt(2 / R) + 0.1);
    }
  });

  it("rejects negative degrees and missing parameters", () => {
    expect(catchError(() => configurationModel({ degrees: [1, -1] }, createRandom(1))).name).toBe("GeneratorError");
    expect(catchError(() => generateEdges({ type: "configuration-model", n: 10, distribution: { poisson: -1 } }, 1)).name).toBe("GeneratorError");
  });
});

describe("stochastic-block", () => {
  it("within- and between-block edge counts within 3 SE; blocks labelled", () => {
    const sizes = [300, 200];
    const P = [
      [0.05, 0.01],
      [0.01, 0.08],
    ];
    const el = stochasticBlock({ sizes, probabilities: P }, createRandom(6)) as StochasticBlockEdges;
    expectSimple(el);
    expect(el.n).toBe(500);
    expect(el.block[299]).toBe(0);
    expect(el.block[300]).toBe(1);
    const counts = [
      [0, 0],
      [0, 0],
    ];
    for (let e = 0; e < el.count; e++) {
      const a = el.block[el.sources[e]];
      const b = el.block[el.targets[e]];
      counts[Math.min(a, b)][Math.max(a, b)]++;
    }
    const pairs = [
      [(300 * 299) / 2, 300 * 200],
      [0, (200 * 199) / 2],
    ];
    for (const [a, b] of [[0, 0], [0, 1], [1, 1]]) {
      const N = pairs[a][b];
      const p = P[a][b];
      expect(Math.abs(counts[a][b] - N * p)).toBeLessThan(3 * Math.sqrt(N * p * (1 - p)));
    }
  });

  it("rejects an asymmetric matrix", () => {
    const error = catchError(() => generateEdges({ type: "stochastic-block", sizes: [5, 5], probabilities: [[0.1, 0.2], [0.3, 0.1]] }, 1));
    expect(error.name).toBe("GeneratorError");
  });
});

describe("deterministic families", () => {
  it("lattice: open, torus, and a torus with a short side", () => {
    const open = generateEdges({ type: "lattice", rows: 3, cols: 4 }, 0);
    expect(open.count).toBe(3 * 3 + 4 * 2);
    expectSimple(open);
    const torus = generateEdges({ type: "lattice", rows: 3, cols: 4, periodic: true }, 0);
    expect(torus.count).toBe(24);
    expectSimple(torus);
    expect(Array.from(degreeOf(torus)).every((d) => d === 4)).toBe(true);
    const thin = generateEdges({ type: "lattice", rows: 2, cols: 5, periodic: true }, 0);
    expect(thin.count).toBe(2 * 5 + 5 * 1);
    expectSimple(thin);
  });

  it("complete, path, cycle, star", () => {
    const k6 = generateEdges({ type: "complete", n: 6 }, 0);
    expect(k6.count).toBe(15);
    expectSimple(k6);
    expect(generateEdges({ type: "path", n: 5 }, 0).count).toBe(4);
    const c = generateEdges({ type: "cycle", n: 5 }, 0);
    expect(c.count).toBe(5);
    expect(Array.from(degreeOf(c))).toEqual([2, 2, 2, 2, 2]);
    const s = generateEdges({ type: "star", n: 5 }, 0);
    expect(Array.from(degreeOf(s))).toEqual([4, 1, 1, 1, 1]);
  });

  it("Petersen: 10 nodes, 15 edges, 3-regular", () => {
    const el = generateEdges({ type: "petersen" }, 0);
    expect([el.n, el.count]).toEqual([10, 15]);
    expectSimple(el);
    expect(Array.from(degreeOf(el))).toEqual(new Array(10).fill(3));
  });

  it("karate club: 34 nodes, 78 edges; Krackhardt kite: 10 nodes, 18 edges with named nodes", () => {
    const karate = generateEdges({ type: "karate-club" }, 0);
    expect([karate.n, karate.count]).toEqual([34, 78]);
    expectSimple(karate);
    const kite = generateEdges({ type: "krackhardt-kite" }, 0);
    expect([kite.n, kite.count]).toEqual([10, 18]);
    expectSimple(kite);
    expect(kite.nodeIds?.[0]).toBe("Andre");
    expect(degreeOf(kite)[kite.nodeIds!.indexOf("Diane")]).toBe(6);
  });
});

describe("registry and conversions", () => {
  it("GENERATORS lists every spec type, each parameter described", () => {
    const ids = GENERATORS.map((g) => g.id).sort();
    expect(ids).toEqual(
      ["barabasi-albert", "complete", "configuration-model", "cycle", "erdos-renyi", "karate-club", "krackhardt-kite", "lattice", "path", "petersen", "star", "stochastic-block", "watts-strogatz"].sort(),
    );
    for (const g of GENERATORS) for (const p of g.parameters) expect(p.description.length).toBeGreaterThan(0);
  });

  it("every generator runs with its listed defaults alone", () => {
    for (const g of GENERATORS) {
      const el = generateEdges({ type: g.id } as GeneratorSpec, 1);
      expect(el.n).toBeGreaterThan(0);
    }
  });

  it("unknown type: GeneratorError naming the valid types", () => {
    const error = catchError(() => generateEdges({ type: "small-world" } as unknown as GeneratorSpec, 1));
    expect(error.name).toBe("GeneratorError");
    expect(error.message).toContain("barabasi-albert");
  });

  it("generateGraph: graphology graph with every node, isolated ones included", () => {
    const spec: GeneratorSpec = { type: "erdos-renyi", n: 200, k: 1 };
    const el = generateEdges(spec, 3);
    const graph = generateGraph(spec, 3);
    expect(graph.type).toBe("undirected");
    expect(graph.order).toBe(200);
    expect(graph.size).toBe(el.count);
    expect(graph.hasNode("199")).toBe(true);
    const directed = toGraph(erdosRenyi({ n: 50, p: 0.1, directed: true }, createRandom(1)));
    expect(directed.type).toBe("directed");
  });

  it("toCSR lays out arcs exactly as compile(toGraph) does (undirected and directed, self-loops dropped)", () => {
    const lists = [
      barabasiAlbert({ n: 400, m: 3 }, createRandom(5)),
      erdosRenyi({ n: 300, k: 4, directed: true }, createRandom(6)),
      { n: 4, directed: false, sources: new Int32Array([0, 2, 1, 3]), targets: new Int32Array([1, 2, 3, 0]), count: 4 },
    ];
    for (const el of lists) {
      const fast = toCSR(el);
      const slow = compile(toGraph(el));
      expect([fast.n, fast.m, fast.directed]).toEqual([slow.n, slow.m, slow.directed]);
      expect(Array.from(fast.offsets)).toEqual(Array.from(slow.offsets));
      expect(Array.from(fast.targets)).toEqual(Array.from(slow.targets));
      expect(fast.nodeIds).toEqual(slow.nodeIds);
    }
  });

  it("generateCSR / toCSR: arcs = 2 × edges, node keys from nodeIds", () => {
    const csr = generateCSR({ type: "barabasi-albert", n: 100, m: 2 }, 1);
    expect(csr.m).toBe(2 * (3 + 97 * 2));
    const kite = toCSR(generateEdges({ type: "krackhardt-kite" }, 0));
    expect(kite.nodeIds[0]).toBe("Andre");
    expect(degrees(kite)[kite.index.get("Jane")!]).toBe(1);
    const graph = generateGraph({ type: "krackhardt-kite" }, 0);
    expect(graph.degree("Diane")).toBe(6);
  });
});
