/**
 * Which nodes a large network shows: a deterministic uniform sample (pure, so it is unit-tested without a
 * browser). xorshift32 (Marsaglia 2003) is enough here: the sample only decides what is drawn, never a result.
 */

/** A deterministic uniform sample of k of n indices (a seeded partial Fisher–Yates; no Math.random). */
export function sampleIndices(n: number, k: number, seed = 1): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < k; i++) {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = i + (s % (n - i));
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, k);
}
