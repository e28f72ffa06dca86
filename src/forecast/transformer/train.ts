/**
 * Training: our own loop over `optimizer.minimize` (tfjs `model.fit` would check the target's shape against
 * the quantile output, and its shuffling is not seeded). Batches are drawn in an order shuffled by a seeded
 * stream (src/random.ts), initial weights are seeded (model.ts): the same data, options and seed give
 * bit-identical weights on a given backend.
 *
 * Early stopping watches the pinball loss on a validation set the caller takes from the training period
 * (see `splitForEarlyStopping`): the weights of the best epoch are restored at the end.
 *
 * Strategies for fine-tuning a pretrained model (transfer learning):
 *   - "head": only the quantile head (HEAD_LAYERS) learns; the encoder stays as pretrained;
 *   - "full": every weight learns, at the (lower) learning rate given;
 *   - "both": "head" first, then "full" from where it stopped (each with its own early stopping).
 */
import { createRandom } from "../../random.js";
import { tf } from "./backend.js";
import { HEAD_LAYERS, pinballLoss, type TransformerConfig } from "./model.js";
import { makeBatch, trainingPicks, type Pick, type WeeklySeries } from "./windows.js";

export type FinetuneStrategy = "head" | "full" | "both";
export const FINETUNE_STRATEGIES: readonly FinetuneStrategy[] = ["head", "full", "both"];

/** Samples: series plus the row each one's targets must stay below, and the chosen (series, origin) pairs. */
export interface SampleSet {
  series: readonly WeeklySeries[];
  limits: ArrayLike<number>;
  picks: readonly Pick[];
}

/**
 * Training data of any network shape: `count` samples, and the tensors of a batch of them (the model's
 * input or inputs, the [rows, H, 2] targets, and how many rows the batch holds). A `SampleSet` (one window a
 * sample) is one; the cross-region model's snapshots (spatial.ts: all regions at one origin a sample) another.
 */
export interface BatchSource {
  count: number;
  /** Samples per batch when scoring (default 512); a source whose samples hold many rows asks for fewer. */
  scoringBatch?: number;
  tensors(indices: readonly number[]): { inputs: tf.Tensor | tf.Tensor[]; y: tf.Tensor; rows: number };
}

function isSampleSet(x: SampleSet | BatchSource): x is SampleSet {
  return (x as SampleSet).picks !== undefined;
}

/** A sample set as a batch source (one window per sample). */
export function sampleSource(set: SampleSet | BatchSource, config: TransformerConfig): BatchSource {
  if (!isSampleSet(set)) return set;
  return {
    count: set.picks.length,
    tensors: (indices) => {
      const { x, y } = toTensors(set, indices.map((i) => set.picks[i]), config);
      return { inputs: x, y, rows: indices.length };
    },
  };
}

export interface EpochInfo {
  phase: string;
  epoch: number;
  epochs: number;
  loss: number;
  validationLoss: number | null;
  best: boolean;
  elapsedMs: number;
}

/** An epoch as the fine-tuning commands print it: "<phase> epoch 3/20: loss …, validation … *" (* = best so far). */
export function epochLine(e: EpochInfo): string {
  return `${e.phase} epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, validation ${e.validationLoss?.toFixed(4) ?? "–"}${e.best ? " *" : ""}`;
}

export interface TrainOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  /** Seed of the shuffling stream. */
  seed: number;
  /** Which weights learn: all, only the head's, or those of the layers named. */
  trainable?: "all" | "head" | readonly string[];
  /** Stop after this many epochs without a better validation loss (default 5). */
  patience?: number;
  /** Draw this many samples per epoch (with a fresh shuffled order; default all picks once). */
  samplesPerEpoch?: number;
  /** Label passed to onEpoch. */
  phase?: string;
  /**
   * Fine-tuning: score the starting weights on validation first and keep them unless an epoch does better
   * (bestEpoch −1 then), so fine-tuning can never end worse on validation than the model it started from.
   */
  keepInitial?: boolean;
  /** Clip each gradient step's global norm (default 1). */
  clipNorm?: number;
  onEpoch?: (info: EpochInfo) => void | Promise<void>;
  /** Checked between batches; throw from it (or return true) to stop. */
  shouldStop?: () => boolean;
}

export interface TrainReport {
  phase: string;
  epochs: number;
  bestEpoch: number;
  trainLoss: number[];
  validationLoss: number[];
  /** Validation loss of the starting weights (with `keepInitial`). */
  initialValidationLoss?: number;
  samples: number;
  elapsedMs: number;
}

/** Lets a server answer requests (progress, cancel) between batches and epochs. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function shuffled(n: number, seed: number, stream: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = createRandom(seed, stream);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** The variables a strategy trains. */
export function trainableVariables(model: tf.LayersModel, which: "all" | "head" | readonly string[]): tf.Variable[] {
  const names: readonly string[] | null = which === "all" ? null : which === "head" ? HEAD_LAYERS : which;
  const layers = names === null ? model.layers : model.layers.filter((l) => names.includes(l.name));
  return layers.flatMap((l) => l.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
}

function toTensors(set: SampleSet, picks: readonly Pick[], config: TransformerConfig): { x: tf.Tensor3D; y: tf.Tensor3D } {
  const batch = makeBatch(set.series, picks, config, set.limits);
  return {
    x: tf.tensor3d(batch.x, [batch.size, config.context, 4]),
    y: tf.tensor3d(batch.y as Float32Array, [batch.size, config.horizon, 2]),
  };
}

/** Mean pinball loss of the model on a sample set (in batches; no weights change). */
export function evaluateLoss(model: tf.LayersModel, config: TransformerConfig, set: SampleSet | BatchSource, batchSize = 512): number {
  const source = sampleSource(set, config);
  if (source.count === 0) return NaN;
  batchSize = source.scoringBatch ?? batchSize;
  const loss = pinballLoss(config.levels);
  let total = 0;
  let weight = 0;
  for (let i = 0; i < source.count; i += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, source.count - i) }, (_, k) => i + k);
    const [value, rows] = tf.tidy(() => {
      const { inputs, y, rows } = source.tensors(indices);
      return [loss(y, model.apply(inputs) as tf.Tensor).dataSync()[0], rows] as const;
    });
    total += value * rows;
    weight += rows;
  }
  return total / weight;
}

function snapshot(vars: readonly tf.Variable[]): tf.Tensor[] {
  return vars.map((v) => tf.keep(v.clone()));
}

/**
 * Trains `model` in place on `train`, early-stopping on `validation` (if non-empty); restores the best
 * epoch's weights. Async: yields to the event loop between batches so a server stays responsive.
 */
export async function trainModel(model: tf.LayersModel, config: TransformerConfig, trainSet: SampleSet | BatchSource, validationSet: SampleSet | BatchSource | null, options: TrainOptions): Promise<TrainReport> {
  const train = sampleSource(trainSet, config);
  const validation = validationSet === null ? null : sampleSource(validationSet, config);
  const started = performance.now();
  const phase = options.phase ?? "train";
  const batchSize = options.batchSize ?? 128;
  const patience = options.patience ?? 5;
  const clipNorm = options.clipNorm ?? 1;
  const vars = trainableVariables(model, options.trainable ?? "all");
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  const loss = pinballLoss(config.levels);
  const perEpoch = options.samplesPerEpoch ?? train.count;
  const allVars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const report: TrainReport = { phase, epochs: 0, bestEpoch: -1, trainLoss: [], validationLoss: [], samples: 0, elapsedMs: 0 };
  if (train.count === 0) throw new Error(`${phase}: no training samples.`);
  let best = Infinity;
  let bestWeights: tf.Tensor[] | null = null;
  let sinceBest = 0;
  if (options.keepInitial && validation && validation.count > 0) {
    // Epoch 0 is a candidate too: if no epoch beats the starting weights on validation, they are kept.
    best = evaluateLoss(model, config, validation);
    report.initialValidationLoss = best;
    bestWeights = snapshot(allVars);
  }
  let order = shuffled(train.count, options.seed, 1);
  let cursor = 0;
  let reshuffles = 1;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      let sum = 0;
      let batches = 0;
      for (let done = 0; done < perEpoch; done += batchSize) {
        if (options.shouldStop?.()) throw new Error("training was stopped");
        const picks: number[] = [];
        for (let b = 0; b < Math.min(batchSize, perEpoch - done); b++) {
          if (cursor === order.length) {
            order = shuffled(train.count, options.seed, 1 + reshuffles++);
            cursor = 0;
          }
          picks.push(order[cursor++]);
        }
        const value = tf.tidy(() => {
          const { inputs, y } = train.tensors(picks);
          const { value: l, grads } = tf.variableGrads(() => loss(y, model.apply(inputs, { training: true }) as tf.Tensor), vars);
          // Clip by the global norm without reading it back: factor = c / max(‖g‖, c).
          const names = Object.keys(grads);
          const norm = tf.sqrt(tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))));
          const factor = tf.div(clipNorm, tf.maximum(norm, clipNorm));
          optimizer.applyGradients(names.map((name) => ({ name, tensor: tf.mul(grads[name], factor) })));
          return l.dataSync()[0];
        });
        sum += value;
        batches++;
        report.samples += picks.length;
        if (batches % 4 === 0) await yieldToEventLoop();
      }
      const trainLoss = sum / batches;
      const validationLoss = validation && validation.count > 0 ? evaluateLoss(model, config, validation) : null;
      report.trainLoss.push(trainLoss);
      if (validationLoss !== null) report.validationLoss.push(validationLoss);
      report.epochs = epoch + 1;
      const score = validationLoss ?? trainLoss;
      const improved = score < best;
      if (improved) {
        best = score;
        report.bestEpoch = epoch;
        sinceBest = 0;
        bestWeights?.forEach((t) => t.dispose());
        bestWeights = snapshot(allVars);
      } else sinceBest++;
      await yieldToEventLoop();
      await options.onEpoch?.({ phase, epoch: epoch + 1, epochs: options.epochs, loss: trainLoss, validationLoss, best: improved, elapsedMs: performance.now() - started });
      if (validationLoss !== null && sinceBest >= patience) break;
    }
    if (bestWeights) allVars.forEach((v, i) => v.assign(bestWeights![i]));
  } finally {
    bestWeights?.forEach((t) => t.dispose());
    optimizer.dispose();
  }
  report.elapsedMs = performance.now() - started;
  return report;
}

/**
 * The first early-stopping row of a training period [0, limit): `given` (at most limit) when set, else the last
 * `fraction` of the rows, at least `minRows` of them. Gradient steps see targets before it only.
 */
export function earlyStoppingStart(limit: number, o: { fraction: number; minRows: number; given?: number }): number {
  return o.given !== undefined ? Math.min(limit, o.given) : Math.max(0, limit - Math.max(o.minRows, Math.round(o.fraction * limit)));
}

/**
 * Splits the training period of each series in time for early stopping: the last `fraction` of its rows
 * (at least `minRows`) become the validation targets, the rows before them the training targets. Both sets
 * only ever read rows before `limits[s]`.
 */
export function splitForEarlyStopping(
  series: readonly WeeklySeries[],
  limits: ArrayLike<number>,
  config: TransformerConfig,
  options: { fraction?: number; minRows?: number; minObserved?: number; trainLimits?: ArrayLike<number> } = {},
): { train: SampleSet; validation: SampleSet } {
  const fraction = options.fraction ?? 0.2;
  const minRows = options.minRows ?? config.horizon;
  const minObserved = options.minObserved ?? 8;
  // Explicit training limits (e.g. the protocol's validation rows as the early-stopping rows) override the fraction.
  const given = options.trainLimits;
  const trainLimits = Array.from(limits, (l, i) => earlyStoppingStart(l, { fraction, minRows, given: given?.[i] }));
  const trainPicks = trainingPicks(series, trainLimits, config.horizon, minObserved);
  // Validation origins: the last training row onwards, so that every validation target is a validation row.
  const validationPicks = trainingPicks(series, limits, config.horizon, minObserved).filter((p) => p.origin >= trainLimits[p.series] - 1);
  return {
    train: { series, limits: trainLimits, picks: trainPicks },
    validation: { series, limits, picks: validationPicks },
  };
}
