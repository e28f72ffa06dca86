/**
 * The transfer comparison of issue 11 (item 5), for one training-history length: the pretrained network
 * fine-tuned against the same architecture trained from scratch, on the same rows, with the same budget and the
 * same early-stopping rule, so that the gain measures pretraining and nothing else. `evaluate` runs it for its
 * `transfer` block (104 weeks); bench/transfer.ts for full, 104 and 52 weeks, per seed, and for the cross-region
 * network too.
 *
 * Rows (the protocol's split: training [0, trainEnd), validation [trainEnd, validEnd), test [validEnd, n)):
 * gradient steps see the last W training rows only, [trainEnd − W, trainEnd); both fits early-stop on the
 * validation rows, whatever W is, so a short history is not shrunk further by an early-stopping share (before
 * 2026-12-07 `evaluate` early-stopped on the last 20% of the *full* training rows, so its from-scratch network
 * trained on 26 of 104 weeks). Budget: the fine-tune at most E epochs per phase of its strategy, the network
 * from scratch at most E × phases epochs (the same number of passes over the data). Scored by mean WIS on the
 * test rows, each forecast reading rows up to its origin: the cut limits what is trained on, not what a
 * forecast reads.
 */
import type { tf } from "./backend.js";
import { FIT_DEFAULTS, finetuneModel, finetunePhaseCount, trainFromScratch, type FitOptions } from "./fit.js";
import { trainingRows } from "./forecaster.js";
import type { TransformerConfig } from "./model.js";
import type { FinetuneStrategy, TrainReport } from "./train.js";
import type { WeeklySeries } from "./windows.js";
import { splitBoundaries } from "../protocol.js";
import type { SeriesTable } from "../series-csv.js";

export interface Fitted {
  model: tf.LayersModel;
  reports: TrainReport[];
  /** The config to forecast with (the univariate fits' calibrated spread), when not the network's own. */
  config?: TransformerConfig;
}

/** One network's two fits and its scoring: the univariate network's below, the cross-region one's in the bench. */
export interface TransferNetwork {
  /** Fine-tuning phases of its strategy (2 for "both"): the from-scratch fit gets this many times the epochs. */
  phases: number;
  finetune(history: WeeklySeries[], limit: number, options: FitOptions): Promise<Fitted>;
  scratch(history: WeeklySeries[], limit: number, options: FitOptions): Promise<Fitted>;
  /** Mean WIS per horizon on the test rows. */
  testWis(fitted: Fitted): number[];
}

export interface TransferArm {
  wis: number[];
  meanWis: number;
  reports: TrainReport[];
}

export interface TransferComparison {
  /** W: training rows the fits take gradient steps on, [trainEnd − W, trainEnd). */
  weeks: number;
  /** The rows both fits early-stop on: the protocol's validation rows. */
  earlyStoppingRows: [number, number];
  finetuned: TransferArm;
  scratch: TransferArm;
  /** 1 − finetuned / scratch mean WIS: positive when pretraining helps. */
  gain: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** `weeks` null: the full training rows. `fit.epochs` is E (default FIT_DEFAULTS.epochs). */
export async function compareTransfer(
  table: SeriesTable,
  network: TransferNetwork,
  o: { weeks: number | null; horizons: readonly number[]; window: number; fit?: FitOptions },
): Promise<TransferComparison> {
  const b = splitBoundaries(table.rows, o.window, Math.max(...o.horizons), table.file);
  const weeks = Math.min(o.weeks ?? b.trainEnd, b.trainEnd);
  // Rows before trainEnd − W are blanked; the validation rows stay, for early stopping only.
  const history = trainingRows(table, b.validEnd, weeks + (b.validEnd - b.trainEnd));
  const epochs = o.fit?.epochs ?? FIT_DEFAULTS.epochs;
  const fit: FitOptions = { ...o.fit, earlyStoppingFrom: b.trainEnd };
  const arm = async (fitted: Fitted): Promise<TransferArm> => {
    const wis = network.testWis(fitted);
    fitted.model.dispose();
    return { wis, meanWis: mean(wis), reports: fitted.reports };
  };
  const finetuned = await arm(await network.finetune(history, b.validEnd, { ...fit, epochs }));
  const scratch = await arm(await network.scratch(history, b.validEnd, { ...fit, epochs: network.phases * epochs }));
  return { weeks, earlyStoppingRows: [b.trainEnd, b.validEnd], finetuned, scratch, gain: 1 - finetuned.meanWis / scratch.meanWis };
}

/**
 * The univariate network: `pretrained` fine-tuned with `strategy` (fit.ts `finetuneModel`) against
 * `trainFromScratch`, each scored with its own calibrated config by `testWis`.
 */
export function univariateTransfer(
  pretrained: tf.LayersModel,
  config: TransformerConfig,
  strategy: FinetuneStrategy,
  testWis: (model: tf.LayersModel, config: TransformerConfig) => number[],
): TransferNetwork {
  const limits = (history: WeeklySeries[], limit: number) => history.map(() => limit);
  return {
    phases: finetunePhaseCount(strategy),
    finetune: (history, limit, options) => finetuneModel(pretrained, config, history, limits(history, limit), strategy, options),
    scratch: (history, limit, options) => trainFromScratch(config, history, limits(history, limit), options),
    testWis: (fitted) => testWis(fitted.model, fitted.config ?? config),
  };
}
