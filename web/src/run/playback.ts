/**
 * Node states at any time of a run, from its recorded history (the result's `nodes.runs[0].history`: the
 * initial compartment of every node, then every state change in time order). States live in one Uint8Array
 * that the graph's nodeReducer reads; `seek(t)` moves forwards or backwards through the change list and
 * reports only the nodes whose state changed, so the renderer refreshes just those (DESIGN.md: ≈2 ms per
 * frame at 10⁴ nodes against ≈60 ms when every node attribute is set).
 */
export interface StateHistory {
  initial: number[];
  time: number[];
  node: number[];
  to: number[];
}

/**
 * The history of a cascade run from its nodes' activation rounds (the result's `infectionTime`, which
 * cascades return instead of a history): seeds (round 0) start active (compartment 1), every other activated
 * node changes to active at its round, in round order; nodes never activated (null) stay inactive.
 */
export function cascadeHistory(activation: readonly (number | null)[]): StateHistory {
  const initial = activation.map((r) => (r === 0 ? 1 : 0));
  const node: number[] = [];
  activation.forEach((r, i) => {
    if (r !== null && r > 0) node.push(i);
  });
  node.sort((a, b) => (activation[a] as number) - (activation[b] as number) || a - b);
  return { initial, time: node.map((i) => activation[i] as number), node, to: node.map(() => 1) };
}

export class Playback {
  /** Current compartment index of every node. */
  readonly states: Uint8Array;
  readonly n: number;
  private readonly time: Float64Array;
  private readonly node: Int32Array;
  private readonly to: Uint8Array;
  /** State of node[j] before change j, to step backwards. */
  private readonly from: Uint8Array;
  /** Number of changes applied: states = initial + changes [0, applied). */
  private applied = 0;
  private current = 0;
  /** Stamp per node, to report each changed node once per seek. */
  private readonly stamp: Uint32Array;
  private seekCount = 0;
  private readonly changed: Int32Array;

  constructor(history: StateHistory) {
    const { initial, time, node, to } = history;
    if (time.length !== node.length || node.length !== to.length) throw new Error("Playback: history arrays time, node and to must have the same length.");
    this.n = initial.length;
    this.states = Uint8Array.from(initial);
    this.time = Float64Array.from(time);
    this.node = Int32Array.from(node);
    this.to = Uint8Array.from(to);
    this.from = new Uint8Array(time.length);
    const replay = Uint8Array.from(initial);
    for (let j = 0; j < time.length; j++) {
      if (j > 0 && time[j] < time[j - 1]) throw new Error(`Playback: history times must not decrease (change ${j} at ${time[j]} after ${time[j - 1]}).`);
      const i = node[j];
      if (i < 0 || i >= this.n) throw new Error(`Playback: change ${j} names node ${i}, outside 0…${this.n - 1}.`);
      this.from[j] = replay[i];
      replay[i] = to[j];
    }
    this.stamp = new Uint32Array(this.n);
    this.changed = new Int32Array(this.n);
  }

  /** The time of the states now held. */
  get at(): number {
    return this.current;
  }

  /** Time of the last change (the end of the playback), 0 when nothing changes. */
  get end(): number {
    return this.time.length > 0 ? this.time[this.time.length - 1] : 0;
  }

  /**
   * Move to time t (changes at exactly t are applied). Returns the indices of the nodes whose state differs
   * from before the call (a view into a reused buffer: copy it to keep it).
   */
  seek(t: number): Int32Array {
    const stamp = ++this.seekCount;
    let count = 0;
    const { time, node, to, from, states, stamp: marks, changed } = this;
    // Forwards.
    while (this.applied < time.length && time[this.applied] <= t) {
      const i = node[this.applied];
      states[i] = to[this.applied];
      if (marks[i] !== stamp) {
        marks[i] = stamp;
        changed[count++] = i;
      }
      this.applied++;
    }
    // Backwards.
    while (this.applied > 0 && time[this.applied - 1] > t) {
      this.applied--;
      const i = node[this.applied];
      states[i] = from[this.applied];
      if (marks[i] !== stamp) {
        marks[i] = stamp;
        changed[count++] = i;
      }
    }
    this.current = t;
    return changed.subarray(0, count);
  }

  /** Nodes per compartment now (length = number of compartments). */
  counts(compartments: number): number[] {
    const out = new Array<number>(compartments).fill(0);
    for (let i = 0; i < this.n; i++) out[this.states[i]]++;
    return out;
  }
}
