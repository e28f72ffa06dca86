/**
 * Indexed binary min-heap over typed arrays: at most one entry per node, keyed by the time of that node's
 * next event. Supports decrease- and increase-key in O(log n) through a node → slot index, so the engines
 * never push stale duplicates (unlike lazy-deletion heaps) and the heap holds at most n entries.
 */
export class IndexedMinHeap {
  size = 0;
  /** Key of the entry in each slot. */
  readonly keys: Float64Array;
  /** Node of the entry in each slot. */
  readonly items: Int32Array;
  /** Slot of each node, −1 when absent. */
  readonly slot: Int32Array;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.items = new Int32Array(capacity);
    this.slot = new Int32Array(capacity).fill(-1);
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.slot[this.items[i]] = -1;
    this.size = 0;
  }

  has(node: number): boolean {
    return this.slot[node] >= 0;
  }

  keyOf(node: number): number {
    return this.keys[this.slot[node]];
  }

  /** Insert the node, or move it to the new key. */
  set(node: number, key: number): void {
    const i = this.slot[node];
    if (i < 0) {
      this.siftUp(this.size++, node, key);
    } else if (key < this.keys[i]) {
      this.siftUp(i, node, key);
    } else {
      this.siftDown(i, node, key);
    }
  }

  /** Give the root a new (later or equal) key without popping it. */
  replaceTopKey(key: number): void {
    this.siftDown(0, this.items[0], key);
  }

  /** Remove the root. */
  pop(): void {
    const top = this.items[0];
    this.slot[top] = -1;
    const last = --this.size;
    if (last > 0) this.siftDown(0, this.items[last], this.keys[last]);
  }

  /** Remove a node if present. */
  remove(node: number): void {
    const i = this.slot[node];
    if (i < 0) return;
    this.slot[node] = -1;
    const last = --this.size;
    if (i === last) return;
    const movedNode = this.items[last];
    const movedKey = this.keys[last];
    if (i > 0 && movedKey < this.keys[(i - 1) >> 1]) this.siftUp(i, movedNode, movedKey);
    else this.siftDown(i, movedNode, movedKey);
  }

  private siftUp(i: number, node: number, key: number): void {
    const keys = this.keys;
    const items = this.items;
    const slot = this.slot;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p];
      if (pk <= key) break;
      keys[i] = pk;
      const pn = items[p];
      items[i] = pn;
      slot[pn] = i;
      i = p;
    }
    keys[i] = key;
    items[i] = node;
    slot[node] = i;
  }

  private siftDown(i: number, node: number, key: number): void {
    const keys = this.keys;
    const items = this.items;
    const slot = this.slot;
    const size = this.size;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      let ck = keys[c];
      const r = c + 1;
      if (r < size && keys[r] < ck) {
        c = r;
        ck = keys[r];
      }
      if (ck >= key) break;
      keys[i] = ck;
      const cn = items[c];
      items[i] = cn;
      slot[cn] = i;
      i = c;
    }
    keys[i] = key;
    items[i] = node;
    slot[node] = i;
  }
}
