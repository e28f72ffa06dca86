/** What every benchmark measures with: CPU seconds of a call (user + system, this process) and the median. */

/** The value of fn() and the CPU seconds it took. */
export function cpuSeconds<T>(fn: () => T): [T, number] {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return [value, (used.user + used.system) / 1e6];
}

/** The median (the upper one of an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
