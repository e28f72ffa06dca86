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

/**
 * Networks up to this many nodes are drawn whole. 10⁵ (was 5·10⁴): measured in Chromium with software WebGL
 * (tests/web/dashboard.e2e.test.ts, test-artifacts/recolour-100k.json), a playback frame at 10⁵ nodes stays
 * interactive; above it the tab draws a sample.
 */
export const MAX_SHOWN = 100_000;
/** Nodes drawn for a network over MAX_SHOWN. */
export const SAMPLE_SIZE = 20_000;

/** Which node indices to draw: null for all of them (total ≤ maxShown), else a deterministic uniform sample. */
export function shownIndices(total: number, maxShown = MAX_SHOWN): Int32Array | null {
  return total > maxShown ? sampleIndices(total, Math.min(SAMPLE_SIZE, maxShown)) : null;
}
