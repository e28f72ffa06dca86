/**
 * Node keys of a network read from a file, interned once in order of first appearance (the order a graphology
 * Graph would have added them, so node indices — and therefore simulation results — match the graphology path).
 *
 * Integer ids stay integers: while every key is a canonical non-negative decimal integer ("0", "17", not "017"
 * or "+1") below 10⁹, keys are held in an Int32Array and looked up in a dense Int32Array table (or a Map when
 * the ids are too sparse for a table), with no string per node. The first other key switches to a
 * Map<string, number>, converting the integers seen so far once. `nodeIds` strings are made only when asked for.
 */

/** Integer ids above this are looked up in a Map instead of a dense table (keeps the table ≤ 8 × node count). */
const DENSE_SLACK = 8;
const DENSE_FLOOR = 1 << 20;

export class NodeKeys {
  /** Number of nodes interned. */
  count = 0;
  /** Integer id of each node while `integer` holds. */
  private ids = new Int32Array(1024);
  /** Dense table: id → index + 1 (0 = not seen). */
  private table: Int32Array | null = new Int32Array(1024);
  private sparse: Map<number, number> | null = null;
  private strings: Map<string, number> | null = null;
  private keys: string[] | null = null;

  /** True while every key is a canonical integer. */
  get integer(): boolean {
    return this.strings === null;
  }

  /** Index of integer id `id` (0 ≤ id < 2³¹), added when new. */
  internInt(id: number): number {
    if (this.strings !== null) return this.internString(String(id));
    const table = this.table;
    if (table !== null) {
      if (id < table.length) {
        const found = table[id];
        if (found !== 0) return found - 1;
      } else if (id < Math.max(DENSE_FLOOR, DENSE_SLACK * (this.count + 1))) {
        this.growTable(id);
      } else {
        this.toSparse();
        return this.internInt(id);
      }
      const v = this.push(id);
      this.table![id] = v + 1;
      return v;
    }
    const found = this.sparse!.get(id);
    if (found !== undefined) return found;
    const v = this.push(id);
    this.sparse!.set(id, v);
    return v;
  }

  /**
   * Intern the integer ids of whole edge columns at once (sources[r] before targets[r], row by row, as the
   * per-key calls would), writing node indices to `outSources`/`outTargets`. One tight loop with a local
   * table: the Arrow reader's path. Only on an empty NodeKeys; false (and nothing changed) when some id is
   * negative, ≥ 10⁹ or too sparse for a table — the caller then interns key by key.
   */
  internColumns(sources: ArrayLike<number>, targets: ArrayLike<number>, rows: number, outSources: Int32Array, outTargets: Int32Array): boolean {
    if (this.count !== 0 || this.strings !== null) return false;
    let max = -1;
    for (let r = 0; r < rows; r++) {
      const a = sources[r];
      const b = targets[r];
      if (!(a >= 0 && b >= 0 && a < 1e9 && b < 1e9 && a === Math.floor(a) && b === Math.floor(b))) return false;
      if (a > max) max = a;
      if (b > max) max = b;
    }
    if (max >= Math.max(DENSE_FLOOR, DENSE_SLACK * 2 * rows)) return false;
    const table = new Int32Array(max + 1).fill(-1);
    let ids = new Int32Array(Math.min(max + 1, 2 * rows));
    let count = 0;
    for (let r = 0; r < rows; r++) {
      const a = sources[r];
      let u = table[a];
      if (u < 0) {
        u = table[a] = count;
        ids[count++] = a;
      }
      const b = targets[r];
      let v = table[b];
      if (v < 0) {
        v = table[b] = count;
        ids[count++] = b;
      }
      outSources[r] = u;
      outTargets[r] = v;
    }
    // The dense table here stores index + 1 (0 = unseen).
    for (let i = 0; i <= max; i++) table[i]++;
    if (ids.length < 1024) ids = Int32Array.from({ length: 1024 }, (_, i) => (i < count ? ids[i] : 0));
    this.ids = ids;
    this.table = table;
    this.count = count;
    return true;
  }

  /** Index of `key`, added when new; canonical integers are interned as integers while possible. */
  intern(key: string): number {
    if (this.strings === null) {
      const id = canonicalInteger(key);
      if (id >= 0) return this.internInt(id);
      this.toStrings();
    }
    return this.internString(key);
  }

  /** The key of every node by index (built on each call; the engine's `nodeIds`). */
  toArray(): string[] {
    if (this.keys !== null) return this.keys.slice(0, this.count);
    const out = new Array<string>(this.count);
    for (let v = 0; v < this.count; v++) out[v] = String(this.ids[v]);
    return out;
  }

  /** The key of node `v`. */
  keyOf(v: number): string {
    return this.keys !== null ? this.keys[v] : String(this.ids[v]);
  }

  /** Integer ids by index (a copy), or null when some key is not an integer. */
  integerIds(): Int32Array | null {
    return this.strings === null ? this.ids.slice(0, this.count) : null;
  }

  private internString(key: string): number {
    const found = this.strings!.get(key);
    if (found !== undefined) return found;
    const v = this.count++;
    this.keys!.push(key);
    this.strings!.set(key, v);
    return v;
  }

  private push(id: number): number {
    if (this.count === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.count] = id;
    return this.count++;
  }

  private growTable(id: number): void {
    let size = this.table!.length;
    while (size <= id) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.table!);
    this.table = grown;
  }

  private toSparse(): void {
    this.sparse = new Map();
    for (let v = 0; v < this.count; v++) this.sparse.set(this.ids[v], v);
    this.table = null;
  }

  private toStrings(): void {
    this.keys = this.toArray();
    this.strings = new Map();
    for (let v = 0; v < this.count; v++) this.strings.set(this.keys[v], v);
    this.table = null;
    this.sparse = null;
    this.ids = new Int32Array(0);
  }
}

/** The value of a canonical decimal integer key below 10⁹ ("0", "42"; not "042", "+1", "1.0"), else −1. */
export function canonicalInteger(key: string): number {
  const n = key.length;
  if (n === 0 || n > 9 || (n > 1 && key.charCodeAt(0) === 48)) return -1;
  let x = 0;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}
