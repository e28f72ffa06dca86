/**
 * A progress bar for long runs on a terminal: runs done, rate and ETA, redrawn at most ten times a second
 * on stderr. Silent when stderr is not a TTY (pipes, CI) or when quiet.
 */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export function progressBar(label: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return { update() {}, finish() {} };
  const started = performance.now();
  let last = 0;
  let drawn = false;
  const width = 30;
  return {
    update(done, total) {
      const now = performance.now();
      if (done < total && now - last < 100) return;
      last = now;
      const fraction = total > 0 ? done / total : 1;
      const filled = Math.round(fraction * width);
      const elapsed = (now - started) / 1000;
      const eta = done > 0 ? (elapsed * (total - done)) / done : NaN;
      const etaText = Number.isFinite(eta) ? `ETA ${eta.toFixed(eta < 10 ? 1 : 0)} s` : "";
      stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} runs ${etaText}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
