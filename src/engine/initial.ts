/**
 * Initial conditions: which nodes start outside the susceptible compartment. Every node starts susceptible;
 * each entry of the spec then moves nodes from the susceptible compartment into its own, by explicit ids,
 * a count or a fraction, chosen at random (from the run's stream) or by highest degree (ties: lower index).
 */
import type { CSR } from "../graph/csr.js";
import type { CompiledModel } from "../models/compartmental.js";
import type { Random } from "../random.js";
import { SimulationError } from "../errors.js";

export type SeedingStrategy = "random" | "highest-degree";

export type Seeding =
  | { count: number; strategy?: SeedingStrategy }
  | { fraction: number; strategy?: SeedingStrategy }
  | { nodes: (string | number)[] };

/** Compartment name → how to seed it, e.g. `{ I: { count: 10 } }`. */
export type InitialSpec = Record<string, Seeding>;

/** A resolved entry: nodes fixed up front, or a number drawn per run. */
interface ResolvedSeeding {
  compartment: number;
  nodes: Int32Array | null;
  count: number;
  strategy: SeedingStrategy;
}

export interface InitialPlan {
  entries: ResolvedSeeding[];
}

/** Validate an initial spec against the network and model, once per run set. */
export function planInitial(spec: InitialSpec, csr: CSR, model: CompiledModel): InitialPlan {
  if (spec === null || typeof spec !== "object") throw new SimulationError("initial: expected an object such as { I: { count: 10 } }.");
  const entries: ResolvedSeeding[] = [];
  let total = 0;
  for (const [name, seeding] of Object.entries(spec)) {
    const where = `initial.${name}`;
    const compartment = model.compartments.indexOf(name);
    if (compartment < 0) {
      throw new SimulationError(`${where}: unknown compartment "${name}"; compartments are ${model.compartments.join(", ")}.`);
    }
    if (compartment === model.susceptible) {
      throw new SimulationError(`${where}: every node starts in "${name}" already; seed another compartment.`);
    }
    if ("nodes" in seeding) {
      if (!Array.isArray(seeding.nodes)) throw new SimulationError(`${where}.nodes: expected a list of node ids.`);
      const missing: string[] = [];
      const ids = new Int32Array(seeding.nodes.length);
      seeding.nodes.forEach((key, i) => {
        const idx = csr.index.get(String(key));
        if (idx === undefined) missing.push(String(key));
        else ids[i] = idx;
      });
      if (missing.length > 0) {
        const shown = missing.slice(0, 5).map((m) => `"${m}"`).join(", ");
        throw new SimulationError(`${where}.nodes: ${missing.length} id(s) are not nodes of the network: ${shown}${missing.length > 5 ? ", …" : ""}.`);
      }
      if (new Set(ids).size !== ids.length) throw new SimulationError(`${where}.nodes: a node is listed twice.`);
      entries.push({ compartment, nodes: ids, count: ids.length, strategy: "random" });
      total += ids.length;
      continue;
    }
    const strategy = seeding.strategy ?? "random";
    if (strategy !== "random" && strategy !== "highest-degree") {
      throw new SimulationError(`${where}.strategy: expected "random" or "highest-degree", got "${String(strategy)}".`);
    }
    let count: number;
    if ("count" in seeding) {
      count = seeding.count;
      if (!Number.isInteger(count) || count < 0) throw new SimulationError(`${where}.count: expected an integer ≥ 0, got ${count}.`);
    } else if ("fraction" in seeding) {
      const f = seeding.fraction;
      if (!(f >= 0 && f <= 1)) throw new SimulationError(`${where}.fraction: expected a number in [0, 1], got ${f}.`);
      count = Math.round(f * csr.n);
    } else {
      throw new SimulationError(`${where}: expected one of count, fraction or nodes.`);
    }
    entries.push({ compartment, nodes: null, count, strategy });
    total += count;
  }
  if (total > csr.n) throw new SimulationError(`initial: ${total} nodes are seeded but the network has only ${csr.n}.`);
  return { entries };
}

/** Node indices sorted by decreasing degree (stable: lower index first among equals). */
function byDegree(csr: CSR): Int32Array {
  const order = new Int32Array(csr.n);
  for (let v = 0; v < csr.n; v++) order[v] = v;
  const k = (v: number) => csr.offsets[v + 1] - csr.offsets[v];
  return order.sort((a, b) => k(b) - k(a) || a - b);
}

/** Draw one run's initial state: compartment index per node. */
export function drawInitial(plan: InitialPlan, csr: CSR, model: CompiledModel, rng: Random): Uint8Array {
  const n = csr.n;
  const S = model.susceptible;
  const state = new Uint8Array(n).fill(S);
  let available = n;
  let degreeOrder: Int32Array | null = null;
  for (const e of plan.entries) {
    if (e.nodes !== null) {
      for (const v of e.nodes) {
        if (state[v] !== S) throw new SimulationError(`initial: node "${csr.nodeIds[v]}" is seeded into two compartments.`);
        state[v] = e.compartment;
      }
      available -= e.nodes.length;
      continue;
    }
    if (e.count > available) throw new SimulationError(`initial: cannot seed ${e.count} more nodes; only ${available} are still susceptible.`);
    if (e.strategy === "highest-degree") {
      degreeOrder ??= byDegree(csr);
      let placed = 0;
      for (let i = 0; i < n && placed < e.count; i++) {
        const v = degreeOrder[i];
        if (state[v] === S) {
          state[v] = e.compartment;
          placed++;
        }
      }
    } else if (2 * e.count <= available) {
      // Rejection: expected O(count) draws while at most half the candidates are taken.
      for (let placed = 0; placed < e.count; ) {
        const v = rng.int(n);
        if (state[v] === S) {
          state[v] = e.compartment;
          placed++;
        }
      }
    } else {
      // Partial Fisher–Yates over the susceptible nodes.
      const pool = new Int32Array(available);
      let m = 0;
      for (let v = 0; v < n; v++) if (state[v] === S) pool[m++] = v;
      for (let i = 0; i < e.count; i++) {
        const j = i + rng.int(m - i);
        const v = pool[j];
        pool[j] = pool[i];
        pool[i] = v;
        state[v] = e.compartment;
      }
    }
    available -= e.count;
  }
  return state;
}
