/** "Did you mean …?" for unknown names: Damerau–Levenshtein (optimal string alignment) distance. */

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 0; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

/** Up to three valid names closest to `name` (case-insensitive), nearest first; none if nothing is close. */
export function closest(name: string, valid: readonly string[]): string[] {
  const lower = name.toLowerCase();
  return valid
    .map((v) => ({ v, d: editDistance(lower, v.toLowerCase()) }))
    .filter(({ v, d }) => d <= (v.length <= 3 ? 1 : Math.max(2, Math.floor(v.length / 3))))
    .sort((a, b) => a.d - b.d || a.v.localeCompare(b.v))
    .slice(0, 3)
    .map(({ v }) => v);
}

/** " Did you mean "x" or "y"?" or "" when nothing is close. */
export function didYouMean(name: string, valid: readonly string[]): string {
  const near = closest(name, valid);
  if (near.length === 0) return "";
  return ` Did you mean ${near.map((s) => `"${s}"`).join(" or ")}?`;
}
