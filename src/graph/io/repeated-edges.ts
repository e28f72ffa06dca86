/**
 * Repeated edges, found after the fact by a bucket pass over the edge arrays (O(n + m), no hash per edge), so
 * the readers report the first line or row that repeats an earlier edge as the line-by-line reader does.
 */

/**
 * The earliest edge that repeats an earlier one, as [earlier, repeat] edge indices, or null. Edges are
 * bucketed by their smaller end (source, when directed) with a counting sort that keeps file order; within a
 * bucket a stamp per other end finds repeats. O(n + m) time, 3 Int32Arrays.
 */
export function firstRepeat(sources: Int32Array, targets: Int32Array, count: number, n: number, directed: boolean): [number, number] | null {
  const start = new Int32Array(n + 1);
  for (let e = 0; e < count; e++) {
    const s = sources[e];
    const t = targets[e];
    start[(directed || s < t ? s : t) + 1]++;
  }
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const order = new Int32Array(count);
  const fill = start.slice(0, n);
  for (let e = 0; e < count; e++) {
    const s = sources[e];
    const t = targets[e];
    order[fill[directed || s < t ? s : t]++] = e;
  }
  // Reuse `fill` as the stamp (bucket + 1 that last saw each other end) and `start`'s role is done after.
  const stamp = fill;
  stamp.fill(0);
  const firstEdge = new Int32Array(n);
  let best = -1;
  let bestFirst = -1;
  for (let lo = 0; lo < n; lo++) {
    for (let k = start[lo]; k < start[lo + 1]; k++) {
      const e = order[k];
      const s = sources[e];
      const t = targets[e];
      const hi = directed || s < t ? t : s;
      if (stamp[hi] === lo + 1) {
        if (best < 0 || e < best) {
          best = e;
          bestFirst = firstEdge[hi];
        }
      } else {
        stamp[hi] = lo + 1;
        firstEdge[hi] = e;
      }
    }
  }
  return best < 0 ? null : [bestFirst, best];
}
