/**
 * Options over defaults: a flag the user did not give arrives as `undefined` and must keep the default
 * (issue 11.6: `forecast finetune` without `--epochs` trained zero epochs).
 */
import { describe, expect, it } from "vitest";
import { withDefaults } from "../src/defaults.js";
import { FIT_DEFAULTS } from "../src/forecast/transformer/fit.js";

describe("withDefaults", () => {
  it("keeps a default when the option is undefined, takes every defined option, adds extra keys", () => {
    const merged = withDefaults(FIT_DEFAULTS, { epochs: undefined, learningRate: 1e-3, seed: 0, onEpoch: undefined, extra: 7 });
    expect(merged.epochs).toBe(FIT_DEFAULTS.epochs);
    expect(merged.learningRate).toBe(1e-3);
    expect(merged.seed).toBe(0); // a defined falsy value is still taken
    expect(merged.extra).toBe(7);
    expect("onEpoch" in merged).toBe(false);
    expect(withDefaults({ a: 1 }, undefined)).toEqual({ a: 1 });
  });

  it("never mutates the defaults", () => {
    const defaults = Object.freeze({ a: 1, b: 2 });
    withDefaults(defaults, { a: 5 });
    expect(defaults).toEqual({ a: 1, b: 2 });
  });
});
