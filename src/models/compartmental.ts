/**
 * Compartmental models as data (cf. EoN's `Gillespie_simple_contagion`, Miller & Ting 2019): a list of
 * compartments, spontaneous transitions X → Y at rate r, and induced transitions X → Y at rate β per edge
 * to a neighbour in Z (scaled by the edge weight). `compileModel` validates a definition and turns it into
 * flat typed arrays indexed by compartment, which is all the engines read.
 *
 * Semantics (continuous time, Markovian): while an arc joins an infectious node u (in Z) to a node v in X,
 * v moves to Y as a Poisson process of rate β·w(u→v); spontaneous transitions happen at their rates.
 * Discrete time (step dt): a node's total hazard H over the step gives a leaving probability 1 − e^(−H·dt),
 * and the transition taken is chosen in proportion to the rates. A transition may instead give a per-step
 * `probability` (discrete engine only), which is the hazard −ln(1 − p)/dt; p = 1 means "always, this step".
 */
import { ModelError } from "../errors.js";

/** A rate: a number, or the name of a parameter. */
export type RateRef = number | string;

export interface TransitionDef {
  from: string;
  to: string;
  /** Rate per unit time (spontaneous) or per edge and unit time (induced). */
  rate?: RateRef;
  /** Per-step probability, discrete engine only (instead of `rate`). */
  probability?: RateRef;
  /** Inducing compartment: the transition happens along edges from neighbours in this compartment. */
  by?: string;
}

export interface CompartmentalModelDef {
  compartments: string[];
  transitions: TransitionDef[];
  /** Parameter values referenced by name from the transitions. */
  params?: Record<string, number>;
  /** The compartment every node starts in unless seeded elsewhere. Default: the first compartment. */
  susceptible?: string;
}

/** A validated model, as flat arrays the engines index by compartment number. */
export interface CompiledModel {
  readonly compartments: string[];
  readonly nComp: number;
  /** Index of the initial susceptible compartment. */
  readonly susceptible: number;
  /** Spontaneous transitions out of compartment c: spontTo/spontRate[spontOffsets[c] .. spontOffsets[c+1]). */
  readonly spontOffsets: Int32Array;
  readonly spontTo: Int32Array;
  readonly spontRate: Float64Array;
  /** True where the rate came from a `probability` (spontRate then holds p, not a rate). */
  readonly spontIsProbability: Uint8Array;
  /** Sum of spontaneous rates out of each compartment (probability-defined ones excluded). */
  readonly spontTotal: Float64Array;
  /** Induced transitions out of compartment c: inducedTo/Rate/Slot[inducedOffsets[c] .. inducedOffsets[c+1]). */
  readonly inducedOffsets: Int32Array;
  readonly inducedTo: Int32Array;
  readonly inducedRate: Float64Array;
  readonly inducedIsProbability: Uint8Array;
  /** Pressure slot of the inducing compartment of each induced transition. */
  readonly inducedSlot: Int32Array;
  /** Number of distinct inducing compartments. */
  readonly nSlots: number;
  /** Slot of each compartment when it induces transitions, else −1. */
  readonly slotOf: Int32Array;
  /** sensitive[c * nSlots + s] = 1 when nodes in c have an induced transition driven by slot s. */
  readonly sensitive: Uint8Array;
  /** Compartments that induce transitions ("infectious"), in slot order. */
  readonly infectious: number[];
  /**
   * Compartments in which a node counts as infected: the infectious (inducing) ones and every target of an
   * induced transition (e.g. E in SEIR). A node ever in one of them is an infection (final size); nodes that
   * only ever sit in S or move elsewhere (R or V at the start, vaccination) are not.
   */
  readonly infected: number[];
  /** An infected node can come back to the susceptible compartment (SIS, SIRS, SEIRS…): an endemic model. */
  readonly endemic: boolean;
  /** Whether any transition is given as a probability (allowed in discrete time only). */
  readonly usesProbabilities: boolean;
}

function resolveRate(ref: RateRef | undefined, params: Record<string, number>, where: string, kind: "rate" | "probability"): number {
  let value: number;
  if (typeof ref === "string") {
    if (!Object.hasOwn(params, ref)) {
      const known = Object.keys(params);
      throw new ModelError(`${where}: ${kind} refers to unknown parameter "${ref}"; known parameters: ${known.length ? known.join(", ") : "(none)"}.`);
    }
    value = params[ref];
  } else if (typeof ref === "number") {
    value = ref;
  } else {
    throw new ModelError(`${where}: expected a ${kind} (a number or a parameter name), got ${JSON.stringify(ref)}.`);
  }
  if (kind === "rate" && !(Number.isFinite(value) && value >= 0)) {
    throw new ModelError(`${where}: rate must be a finite number ≥ 0, got ${value}${typeof ref === "string" ? ` (parameter "${ref}")` : ""}.`);
  }
  if (kind === "probability" && !(value >= 0 && value <= 1)) {
    throw new ModelError(`${where}: probability must be in [0, 1], got ${value}${typeof ref === "string" ? ` (parameter "${ref}")` : ""}.`);
  }
  // −0 (from `beta: -0`, "0*-1", "log(1, 0)") is a rate of zero: +0, so that no kernel divides by −0
  // (x / −0 = −Infinity, a geometric skip that never ends). Every engine's rates pass through here.
  return value === 0 ? 0 : value;
}

/** Validate a model definition and compile it to flat arrays. Throws `ModelError` naming the problem. */
export function compileModel(def: CompartmentalModelDef): CompiledModel {
  const names = def.compartments;
  if (!Array.isArray(names) || names.length < 2) {
    throw new ModelError(`model: expected at least two compartments, got ${JSON.stringify(names)}.`);
  }
  if (names.length > 255) throw new ModelError(`model: at most 255 compartments are supported, got ${names.length}.`);
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (typeof name !== "string" || name.length === 0) throw new ModelError(`model.compartments[${i}]: expected a non-empty name.`);
    if (index.has(name)) throw new ModelError(`model.compartments: "${name}" appears twice.`);
    index.set(name, i);
  });
  const params = def.params ?? {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== "number" || Number.isNaN(v)) throw new ModelError(`model.params.${k}: expected a number, got ${JSON.stringify(v)}.`);
  }
  const lookup = (name: unknown, where: string): number => {
    if (typeof name !== "string" || !index.has(name)) {
      throw new ModelError(`${where}: unknown compartment ${JSON.stringify(name)}; compartments are ${names.join(", ")}.`);
    }
    return index.get(name)!;
  };
  const nComp = names.length;
  const spont: { from: number; to: number; rate: number; prob: boolean }[] = [];
  const induced: { from: number; to: number; rate: number; prob: boolean; by: number }[] = [];
  if (!Array.isArray(def.transitions) || def.transitions.length === 0) {
    throw new ModelError("model.transitions: expected at least one transition.");
  }
  def.transitions.forEach((tr, i) => {
    const where = `model.transitions[${i}]`;
    const from = lookup(tr.from, `${where}.from`);
    if (tr.to === undefined) throw new ModelError(`${where}: transition from "${tr.from}" goes nowhere; add a "to" compartment.`);
    const to = lookup(tr.to, `${where}.to`);
    if (from === to) throw new ModelError(`${where}: "from" and "to" are both "${tr.from}"; a transition must change compartment.`);
    if ((tr.rate === undefined) === (tr.probability === undefined)) {
      throw new ModelError(`${where}: give exactly one of "rate" or "probability".`);
    }
    const prob = tr.probability !== undefined;
    const rate = prob ? resolveRate(tr.probability, params, `${where}.probability`, "probability") : resolveRate(tr.rate, params, `${where}.rate`, "rate");
    if (tr.by !== undefined) induced.push({ from, to, rate, prob, by: lookup(tr.by, `${where}.by`) });
    else spont.push({ from, to, rate, prob });
  });
  const susceptible = def.susceptible === undefined ? 0 : lookup(def.susceptible, "model.susceptible");

  const slotOf = new Int32Array(nComp).fill(-1);
  const infectious: number[] = [];
  for (const t of induced) {
    if (slotOf[t.by] < 0) {
      slotOf[t.by] = infectious.length;
      infectious.push(t.by);
    }
  }
  const nSlots = infectious.length;
  const group = <T extends { from: number }>(list: T[]) => {
    const offsets = new Int32Array(nComp + 1);
    for (const t of list) offsets[t.from + 1]++;
    for (let c = 0; c < nComp; c++) offsets[c + 1] += offsets[c];
    const sorted = [...list].sort((a, b) => a.from - b.from);
    return { offsets, sorted };
  };
  const s = group(spont);
  const d = group(induced);
  const spontTotal = new Float64Array(nComp);
  for (const t of spont) if (!t.prob) spontTotal[t.from] += t.rate;
  const sensitive = new Uint8Array(nComp * Math.max(nSlots, 1));
  for (const t of induced) sensitive[t.from * nSlots + slotOf[t.by]] = 1;
  return {
    compartments: [...names],
    nComp,
    susceptible,
    spontOffsets: s.offsets,
    spontTo: Int32Array.from(s.sorted, (t) => t.to),
    spontRate: Float64Array.from(s.sorted, (t) => t.rate),
    spontIsProbability: Uint8Array.from(s.sorted, (t) => (t.prob ? 1 : 0)),
    spontTotal,
    inducedOffsets: d.offsets,
    inducedTo: Int32Array.from(d.sorted, (t) => t.to),
    inducedRate: Float64Array.from(d.sorted, (t) => t.rate),
    inducedIsProbability: Uint8Array.from(d.sorted, (t) => (t.prob ? 1 : 0)),
    inducedSlot: Int32Array.from(d.sorted, (t) => slotOf[t.by]),
    nSlots,
    slotOf,
    sensitive,
    infectious,
    infected: infectedCompartments(nComp, infectious, induced),
    endemic: reachesSusceptible(nComp, susceptible, infectious, spont, induced),
    usesProbabilities: spont.some((t) => t.prob) || induced.some((t) => t.prob),
  };
}

function infectedCompartments(nComp: number, infectious: readonly number[], induced: readonly { to: number }[]): number[] {
  const flag = new Uint8Array(nComp);
  for (const c of infectious) flag[c] = 1;
  for (const t of induced) flag[t.to] = 1;
  return Array.from({ length: nComp }, (_, c) => c).filter((c) => flag[c] === 1);
}

/** Whether the susceptible compartment can be reached from an infectious one along transitions. */
function reachesSusceptible(nComp: number, susceptible: number, infectious: readonly number[], ...lists: { from: number; to: number; rate: number }[][]): boolean {
  const seen = new Uint8Array(nComp);
  const stack = infectious.filter((c) => c !== susceptible);
  for (const c of stack) seen[c] = 1;
  while (stack.length > 0) {
    const c = stack.pop()!;
    for (const list of lists) {
      for (const t of list) {
        // A rate (or probability) of 0 never fires: that transition cannot bring a node back.
        if (t.from !== c || seen[t.to] || !(t.rate > 0)) continue;
        if (t.to === susceptible) return true;
        seen[t.to] = 1;
        stack.push(t.to);
      }
    }
  }
  return false;
}

/**
 * True when the compiled model is exactly Markovian SIR (S →I by I, I → R, nothing else), which lets the
 * engine use its specialised event-driven path.
 */
export function isPlainSIR(m: CompiledModel): boolean {
  if (m.nComp !== 3 || m.usesProbabilities || m.nSlots !== 1) return false;
  const S = m.susceptible;
  const I = m.infectious[0];
  if (I === S) return false;
  const R = 3 - S - I;
  const inducedFromS = m.inducedOffsets[S + 1] - m.inducedOffsets[S];
  const totalInduced = m.inducedOffsets[m.nComp];
  const spontFromI = m.spontOffsets[I + 1] - m.spontOffsets[I];
  const totalSpont = m.spontOffsets[m.nComp];
  return (
    inducedFromS === 1 && totalInduced === 1 && m.inducedTo[m.inducedOffsets[S]] === I &&
    spontFromI === 1 && totalSpont === 1 && m.spontTo[m.spontOffsets[I]] === R
  );
}
