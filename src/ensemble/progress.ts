/**
 * The progress line a long library ensemble shows when its caller did not ask for progress
 * (`simulateEnsemble` without `onProgress`): on a terminal only (stderr is a TTY), and only once the
 * ensemble has run for `delayMs` (default 2 s), so short ensembles, pipes, CI logs and servers stay silent.
 * Redrawn at most twice a second; the line is cleared at the end. `progress: false` turns it off.
 */
export interface ProgressReporter {
  update(done: number, total: number): void;
  finish(): void;
}

export function defaultProgress(stream: NodeJS.WriteStream = process.stderr, delayMs = 2000): ProgressReporter {
  if (!stream.isTTY) return { update() {}, finish() {} };
  const started = performance.now();
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - started < delayMs || now - last < 500 || done >= total) return;
      last = now;
      const elapsed = (now - started) / 1000;
      const eta = done > 0 ? (elapsed * (total - done)) / done : NaN;
      const etaText = Number.isFinite(eta) ? `, ETA ${eta.toFixed(eta < 10 ? 1 : 0)} s` : "";
      stream.write(`\rspreadlab: ${done}/${total} runs (${Math.floor((100 * done) / total)}%)${etaText}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
