/**
 * The transfer comparison (transfer.ts `compareTransfer`, what `evaluate` and bench/transfer.ts run): both fits
 * see the same cut history and early-stopping rows, the from-scratch fit gets phases × E epochs, and the gain
 * has its sign. A recording network stands in for the transformer, so the rows and options are checked exactly.
 */
import { describe, expect, it } from "vitest";
import type { FitOptions } from "../../../src/forecast/transformer/fit.js";
import { compareTransfer, type Fitted, type TransferNetwork } from "../../../src/forecast/transformer/transfer.js";
import type { WeeklySeries } from "../../../src/forecast/transformer/windows.js";
import { seasonalTable } from "./helpers.js";

interface Call {
  kind: "finetune" | "scratch";
  history: WeeklySeries[];
  limit: number;
  options: FitOptions;
  disposed: boolean;
}

function recordingNetwork(phases: number, wis: { finetune: number[]; scratch: number[] }): { network: TransferNetwork; calls: Call[] } {
  const calls: Call[] = [];
  const fit = (kind: Call["kind"]) => async (history: WeeklySeries[], limit: number, options: FitOptions): Promise<Fitted> => {
    const call: Call = { kind, history, limit, options, disposed: false };
    calls.push(call);
    const model = { kind, dispose: () => void (call.disposed = true) } as unknown as Fitted["model"];
    return { model, reports: [] };
  };
  return {
    calls,
    network: {
      phases,
      finetune: fit("finetune"),
      scratch: fit("scratch"),
      testWis: (fitted) => wis[(fitted.model as unknown as { kind: Call["kind"] }).kind],
    },
  };
}

describe("compareTransfer", () => {
  // 120 rows, window 20, horizon ≤ 4: training rows [0, 60), validation [60, 84), test [84, 120).
  const table = seasonalTable(120, ["a", "b"]);
  const o = { horizons: [2, 4], window: 20 };

  it("cuts the history to the last W training rows, keeps the validation rows for early stopping only, and gives scratch phases × E epochs", async () => {
    const { network, calls } = recordingNetwork(2, { finetune: [8, 12], scratch: [10, 15] });
    const t = await compareTransfer(table, network, { ...o, weeks: 26, fit: { seed: 3, epochs: 5 } });
    expect(t.weeks).toBe(26);
    expect(t.earlyStoppingRows).toEqual([60, 84]);
    expect(calls.map((c) => c.kind)).toEqual(["finetune", "scratch"]);
    for (const c of calls) {
      expect(c.limit).toBe(84);
      expect(c.options.earlyStoppingFrom).toBe(60);
      expect(c.options.seed).toBe(3);
      expect(c.disposed).toBe(true);
      for (const [r, s] of c.history.entries()) {
        expect(s.values.length).toBe(84); // no test row reaches a fit
        for (let i = 0; i < 84; i++) {
          if (i < 60 - 26) expect(s.values[i]).toBeNaN();
          else expect(s.values[i]).toBe(table.values[r][i]);
        }
      }
    }
    expect(calls[0].options.epochs).toBe(5);
    expect(calls[1].options.epochs).toBe(10);
    expect(t.finetuned.meanWis).toBe(10);
    expect(t.scratch.meanWis).toBe(12.5);
    expect(t.gain).toBeCloseTo(0.2, 12);
  });

  it("null weeks: the full training rows; a gain below 0 when the network from scratch scores better", async () => {
    const { network, calls } = recordingNetwork(1, { finetune: [12], scratch: [10] });
    const t = await compareTransfer(table, network, { ...o, weeks: null });
    expect(t.weeks).toBe(60);
    expect(calls[1].options.epochs).toBe(calls[0].options.epochs); // one phase: the same budget
    expect(calls[0].history[0].values.slice(0, 60).every((v) => Number.isFinite(v))).toBe(true);
    expect(t.gain).toBeCloseTo(-0.2, 12);
  });
});
