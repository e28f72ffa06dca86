/** Playback: node states at any time from a run's history, forwards and backwards, reporting changed nodes. */
import { describe, expect, it } from "vitest";
import { Playback, cascadeHistory } from "../../web/src/run/playback.js";

// S=0, I=1, R=2. Node 0 infected at t=0 (initial), infects 1 at 1.5 and 2 at 2; 0 recovers at 3; 1 at 4.
const history = { initial: [1, 0, 0, 0], time: [1.5, 2, 3, 4], node: [1, 2, 0, 1], to: [1, 1, 2, 2] };

const states = (p: Playback) => Array.from(p.states);

describe("Playback", () => {
  it("starts from the initial states and applies changes up to and including t", () => {
    const p = new Playback(history);
    expect(states(p)).toEqual([1, 0, 0, 0]);
    expect(Array.from(p.seek(2))).toEqual([1, 2]);
    expect(states(p)).toEqual([1, 1, 1, 0]);
    expect(p.counts(3)).toEqual([1, 3, 0]);
    expect(p.end).toBe(4);
  });

  it("scrubs backwards to the same states as a fresh replay, reporting each changed node once", () => {
    const p = new Playback(history);
    p.seek(10);
    expect(states(p)).toEqual([2, 2, 1, 0]);
    const changed = Array.from(p.seek(1.6)).sort();
    expect(changed).toEqual([0, 1, 2]);
    const fresh = new Playback(history);
    fresh.seek(1.6);
    expect(states(p)).toEqual(states(fresh));
    expect(Array.from(p.seek(-1))).toEqual([1]);
    expect(states(p)).toEqual(history.initial);
  });

  it("reports nothing when the time moves without crossing a change", () => {
    const p = new Playback(history);
    p.seek(2.1);
    expect(p.seek(2.9).length).toBe(0);
  });

  it("refuses a history out of time order or naming unknown nodes", () => {
    expect(() => new Playback({ initial: [0, 0], time: [2, 1], node: [0, 1], to: [1, 1] })).toThrow(/must not decrease/);
    expect(() => new Playback({ initial: [0, 0], time: [1], node: [5], to: [1] })).toThrow(/node 5/);
  });
});

describe("cascadeHistory (a cascade's activation rounds as a history)", () => {
  it("starts the seeds (round 0) active and activates the others at their rounds, in round order", () => {
    // inactive=0, active=1. Seeds 1 and 4; node 3 in round 2, nodes 0 and 5 in round 1; node 2 never.
    const h = cascadeHistory([1, 0, null, 2, 0, 1]);
    expect(h).toEqual({ initial: [0, 1, 0, 0, 1, 0], time: [1, 1, 2], node: [0, 5, 3], to: [1, 1, 1] });
    const p = new Playback(h);
    expect(p.counts(2)).toEqual([4, 2]);
    p.seek(1.5);
    expect(p.counts(2)).toEqual([2, 4]);
    p.seek(2);
    expect(Array.from(p.states)).toEqual([1, 1, 0, 1, 1, 1]);
    p.seek(0);
    expect(p.counts(2)).toEqual([4, 2]);
  });
});
