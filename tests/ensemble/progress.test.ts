/**
 * The default progress line of long library ensembles (src/ensemble/progress.ts): only on a terminal, only
 * after the delay, never at 100% (the line is cleared instead), and off with `progress: false`.
 */
import { describe, expect, it } from "vitest";
import { defaultProgress } from "../../src/ensemble/progress.js";

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream, written };
}

describe("default ensemble progress", () => {
  it("is silent when stderr is not a terminal", () => {
    const { stream, written } = fakeStream(false);
    const p = defaultProgress(stream, 0);
    p.update(1, 10);
    p.finish();
    expect(written).toEqual([]);
  });

  it("is silent before the delay (short ensembles print nothing)", () => {
    const { stream, written } = fakeStream(true);
    const p = defaultProgress(stream, 60_000);
    p.update(5, 10);
    p.finish();
    expect(written).toEqual([]);
  });

  it("after the delay draws runs done and clears the line at the end", () => {
    const { stream, written } = fakeStream(true);
    const p = defaultProgress(stream, 0);
    p.update(25, 100);
    p.update(26, 100); // within 0.5 s of the last line: not redrawn
    p.update(100, 100); // done: nothing drawn, finish clears
    p.finish();
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^\rspreadlab: 25\/100 runs \(25%\), ETA/);
    expect(written[1]).toBe("\r\x1b[K");
  });
});
