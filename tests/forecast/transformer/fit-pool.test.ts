/**
 * `evaluate` on several threads (src/forecast/transformer/fit-pool.ts): the networks train in worker threads,
 * each rebuilt from the calling thread's weights on the same backend, and the evaluation is bit-identical to the
 * one trained in this thread — every score, every training loss, the selection, the ensemble and the transfer
 * block — whatever the number of threads. Only wall-clock times may differ.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { tf } from "../../../src/forecast/transformer/backend.js";
import { evaluateTransformer, type TransformerEvaluation } from "../../../src/forecast/transformer/evaluate.js";
import type { FitOptions } from "../../../src/forecast/transformer/fit.js";
import { QUICK, TINY, seasonalTable, tinyNetworks } from "./helpers.js";

let pretrained: tf.LayersModel;
let spatial: tf.LayersModel;

beforeAll(async () => {
  ({ pretrained, spatial } = await tinyNetworks());
});

async function run(threads: number, log?: (line: string) => void, fit: FitOptions = {}): Promise<TransformerEvaluation> {
  return evaluateTransformer(seasonalTable(120, ["north", "south", "east"]), "tiny", {
    pretrained,
    config: TINY,
    horizons: [2, 4],
    fit: { epochs: QUICK.epochs, batchSize: QUICK.batchSize, ...fit },
    transferWeeks: 40,
    hubSamples: 50,
    seed: 3,
    spatial: { model: spatial, adjacency: null },
    threads,
    ...(log ? { log } : {}),
  });
}

/** The evaluation without its wall-clock times. */
function timeless(e: TransformerEvaluation): unknown {
  return JSON.parse(JSON.stringify(e, (key, value: unknown) => (key === "elapsedMs" ? undefined : value)));
}

describe("evaluate on a pool of threads", () => {
  it("gives the evaluation of one thread, bit for bit, with 2 and 4 threads", async () => {
    const lines: string[] = [];
    const one = await run(1);
    const two = await run(2, (line) => lines.push(line));
    const four = await run(4);
    expect(Object.keys(one.training)).toEqual(["transformer", "transformer-scratch", "transformer-spatial", "transfer-finetuned", "transfer-scratch"]);
    expect(one.transfer).not.toBeNull();
    expect(timeless(two)).toEqual(timeless(one));
    expect(timeless(four)).toEqual(timeless(one));
    // The methods in the same order (the ensemble's candidates and the JSON follow it).
    expect(Object.keys(two.methods)).toEqual(Object.keys(one.methods));
    // Every epoch of every network is logged from the workers, labelled with its network.
    expect(lines.some((l) => l.startsWith("training 4 networks on 2 threads"))).toBe(true);
    const epochs = (kind: string) => lines.filter((l) => l.startsWith(`  [${kind}] `)).length;
    expect(epochs("transformer")).toBe(one.training.transformer.reduce((n, r) => n + r.epochs, 0));
    expect(epochs("transformer-scratch")).toBe(one.training["transformer-scratch"].reduce((n, r) => n + r.epochs, 0));
    expect(epochs("transfer")).toBe([...one.training["transfer-finetuned"], ...one.training["transfer-scratch"]].reduce((n, r) => n + r.epochs, 0));
  }, 120_000);

  it("stops the worker threads when fit.shouldStop says so", async () => {
    let epochs = 0;
    // 100 epochs a phase and no early stopping: about 800 epochs in all if nothing stopped them.
    const fit = { epochs: 100, patience: 100, shouldStop: () => epochs >= 4 };
    await expect(run(2, (line) => void (line.startsWith("  [") && epochs++), fit)).rejects.toThrow("training was stopped");
    expect(epochs).toBeGreaterThanOrEqual(4);
    expect(epochs).toBeLessThan(400);
  }, 120_000);
});
