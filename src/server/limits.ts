/**
 * Size guards for networks the server is asked to build: a generator spec is sized *before* it runs (a
 * `complete` graph on 10^6 nodes must be refused, not attempted), and every built or uploaded graph is
 * checked again. Estimates are expected values; parameters that are not plain numbers give NaN, which
 * skips the estimate — the generator validates its own parameters and the built graph is checked after.
 */
import { HttpProblem } from "./problems.js";

export interface SizeLimits {
  maxNodes: number;
  maxEdges: number;
}

const num = (x: unknown): number => (typeof x === "number" && Number.isFinite(x) ? x : NaN);

/** Mean of the discrete power law k^−γ on [kmin, kmax] (the loop is capped: the tail adds little). */
function powerLawMean(exponent: number, kmin: number, kmax: number): number {
  let weight = 0;
  let moment = 0;
  const top = Math.min(kmax, kmin + 1_000_000);
  for (let k = Math.max(1, kmin); k <= top; k++) {
    const p = k ** -exponent;
    weight += p;
    moment += k * p;
  }
  return weight > 0 ? moment / weight : NaN;
}

/** Expected nodes and edges of a generator spec `{ type, ...params }` (defaults as in GENERATORS). */
export function estimateGeneratedSize(spec: Record<string, unknown>): { n: number; m: number } {
  const n = spec.n === undefined ? 1000 : num(spec.n);
  // complete, path, cycle and star default to 10 nodes.
  const small = spec.n === undefined ? 10 : num(spec.n);
  switch (spec.type) {
    case "erdos-renyi": {
      const pairs = (n * (n - 1)) / (spec.directed === true ? 1 : 2);
      if (spec.m !== undefined) return { n, m: num(spec.m) };
      if (spec.p !== undefined) return { n, m: num(spec.p) * pairs };
      const k = spec.k === undefined ? 4 : num(spec.k);
      return { n, m: Math.min(pairs, (k * n) / (spec.directed === true ? 1 : 2)) };
    }
    case "barabasi-albert":
      return { n, m: n * (spec.m === undefined ? 3 : num(spec.m)) };
    case "watts-strogatz":
      return { n, m: (n * (spec.k === undefined ? 4 : num(spec.k))) / 2 };
    case "configuration-model": {
      if (Array.isArray(spec.degrees)) {
        const sum = spec.degrees.reduce((s: number, d: unknown) => s + num(d), 0);
        return { n: spec.degrees.length, m: sum / 2 };
      }
      const d = (spec.distribution ?? { poisson: 4 }) as Record<string, unknown>;
      if (typeof d !== "object" || d === null) return { n, m: NaN };
      if ("poisson" in d) return { n, m: (n * num(d.poisson)) / 2 };
      if ("regular" in d) return { n, m: (n * num(d.regular)) / 2 };
      const law = d.powerLaw as Record<string, unknown> | undefined;
      if (law && typeof law === "object") {
        const kmax = law.kmax === undefined ? n - 1 : num(law.kmax);
        return { n, m: (n * powerLawMean(num(law.exponent), num(law.kmin), kmax)) / 2 };
      }
      return { n, m: NaN };
    }
    case "stochastic-block": {
      const sizes = Array.isArray(spec.sizes) ? spec.sizes.map(num) : spec.sizes === undefined ? [500, 500] : [NaN];
      const probabilities = Array.isArray(spec.probabilities) ? (spec.probabilities as unknown[]) : undefined;
      const total = sizes.reduce((s, x) => s + x, 0);
      let m = 0;
      if (probabilities === undefined) m = (0.02 * total * total) / 2;
      else {
        for (let a = 0; a < sizes.length; a++) {
          const row = probabilities[a];
          for (let b = a; b < sizes.length; b++) {
            const p = Array.isArray(row) ? num(row[b]) : NaN;
            m += a === b ? (p * sizes[a] * (sizes[a] - 1)) / 2 : p * sizes[a] * sizes[b];
          }
        }
      }
      return { n: total, m };
    }
    case "lattice": {
      const rows = spec.rows === undefined ? 32 : num(spec.rows);
      const cols = spec.cols === undefined ? 32 : num(spec.cols);
      return { n: rows * cols, m: 2 * rows * cols };
    }
    case "complete":
      return { n: small, m: (small * (small - 1)) / 2 };
    case "path":
    case "cycle":
    case "star":
      return { n: small, m: small };
    default:
      return { n: 0, m: 0 };
  }
}

function tooLarge(path: string, what: string): HttpProblem {
  return new HttpProblem(422, "network-too-large", "The network is too large", `${what}; this server's limits are listed at GET /v1/health.`, {
    errors: [{ path, message: what }],
  });
}

/** Refuse a generator spec whose expected size is over the limits. */
export function checkGeneratedSize(spec: Record<string, unknown>, limits: SizeLimits, path: string): void {
  const { n, m } = estimateGeneratedSize(spec);
  if (n > limits.maxNodes) throw tooLarge(path, `the generator would make about ${Math.round(n)} nodes, more than the limit of ${limits.maxNodes}`);
  if (m > limits.maxEdges) throw tooLarge(path, `the generator would make about ${Math.round(m)} edges, more than the limit of ${limits.maxEdges}`);
}

/** Refuse a built or uploaded graph over the limits. */
export function checkGraphSize(n: number, m: number, limits: SizeLimits, path: string): void {
  if (n > limits.maxNodes) throw tooLarge(path, `the network has ${n} nodes, more than the limit of ${limits.maxNodes}`);
  if (m > limits.maxEdges) throw tooLarge(path, `the network has ${m} edges, more than the limit of ${limits.maxEdges}`);
}
