/**
 * `spreadlab forecast …`: the transformer forecaster (src/forecast/transformer). Thin, like the rest of the
 * CLI: it parses options, calls the library, and prints — progress lines on stderr, results on stdout.
 * Errors are thrown; `main` maps DataError, CheckpointError, ForecastError, NotFoundError and SpreadlabError
 * to exit code 2 (invalid input).
 *
 *   forecast pretrain [--frequency weekly|daily] [--series N] [--weeks W | --days D] [--epochs E] [--samples-per-epoch S] [--seed S] [--southern-share F] [--tropical-share F] [--out DIR]
 *   forecast finetune --data <csv|dataset> [--regions all|r1,r2] [--base DIR] [--out DIR] [--strategy S] [--epochs N] [--until ROW] [--seed S]
 *                     [--learning-rate R] [--full-learning-rate R] [--calibrate]   (also on evaluate)
 *   forecast predict [--method auto|transformer|transformer-scratch|transformer-zero-shot|transformer-spatial|transformer-spatial-zero-shot|hub-baseline|ensemble | --model DIR]
 *                    --data <csv|dataset> --region R|all [--as-of ROW|YYYY-Www] [--base DIR] [--strategy S] [--epochs N] [--seed S] [--threads N] [--json | --hub-csv]
 *                    (--region all: [--spatial-model DIR] [--adjacency FILE] [--no-spatial]; methods also transformer-spatial[-zero-shot])
 *   forecast evaluate --data <csv|dataset> [--protocol colagnn] [--window P] [--horizons 2,3,5,10,15] [--base DIR] [--threads N] …
 *   finetune, predict, evaluate: [--negative error|clip] [--frequency weekly|daily]
 *
 * TensorFlow.js is imported inside the actions, so the other commands do not pay for loading it.
 */
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { SpreadlabError } from "../errors.js";
import type { NegativePolicy } from "../forecast/series-csv.js";
import type { Frequency } from "../forecast/frequency.js";
import { COLA_GNN_PROTOCOL, requireComplete, splitBoundaries } from "../forecast/protocol.js";
import type { FinetuneStrategy } from "../forecast/transformer/train.js";
import type { SpatialTrainable } from "../forecast/transformer/spatial-fit.js";
import {
  climateFromFlags,
  climateOptions,
  FREQUENCY_HELP,
  givenOptions,
  NEGATIVE_HELP,
  parseFrequency,
  parseHorizons,
  parseIntAtLeast,
  parseNegative,
  parsePositive,
  parsePredictMethod,
  parseProtocol,
  parseRegions,
  parseShare,
  parseSpatialTrainable,
  parseStrategy,
  PREDICT_METHODS,
  type ClimateCliOptions,
} from "./forecast-options.js";
import { loadBase, loadSpatial, readTable, resolveRow, rowLabel, startTf, stderrLine } from "./forecast-inputs.js";
import { formatHubCsv, formatPrediction, reportLine, type PredictionJson } from "./forecast-print.js";
import type { PredictAllOptions } from "./forecast-predict-all.js";

const PRETRAINED_OUT = "models/ili-pretrained";
const DAILY_OUT = "models/daily-pretrained";
const SPATIAL_OUT = "models/ili-spatial";

// ---------------------------------------------------------------------------------------------------------------
// Commands

/** The fine-tuning rates and calibration given on the command line (library defaults otherwise). */
function fitRates(o: RateCliOptions): RateCliOptions {
  return givenOptions({ learningRate: o.learningRate, fullLearningRate: o.fullLearningRate, calibrate: o.calibrate || undefined });
}

interface PretrainCliOptions {
  frequency: Frequency;
  series: number;
  weeks: number;
  days: number;
  epochs: number;
  samplesPerEpoch: number;
  seed: number;
  out: string;
}

/** --learning-rate, --full-learning-rate, --calibrate (finetune and evaluate). */
interface RateCliOptions {
  learningRate?: number;
  fullLearningRate?: number;
  calibrate?: boolean;
}

interface FinetuneCliOptions extends RateCliOptions {
  data: string;
  negative?: NegativePolicy;
  frequency?: Frequency;
  regions: "all" | string[];
  base?: string;
  out?: string;
  strategy: FinetuneStrategy;
  epochs?: number;
  until?: number;
  seed: number;
}

interface PredictCliOptions extends PredictAllOptions {
  data: string;
  negative?: NegativePolicy;
  frequency?: Frequency;
  region: string;
  asOf?: string;
}

interface EvaluateCliOptions extends RateCliOptions {
  data: string;
  negative?: NegativePolicy;
  frequency?: Frequency;
  protocol: string;
  window: number;
  horizons: number[];
  base?: string;
  strategy: FinetuneStrategy;
  epochs?: number;
  transfer: boolean;
  hubSamples?: number;
  seed: number;
  threads?: number;
  json?: boolean;
  /** false with --no-spatial. */
  spatial: boolean;
  spatialModel?: string;
  adjacency?: string;
}

/** Add `forecast pretrain|finetune|predict|evaluate` to `program` (subcommands inherit exitOverride). */
export function registerForecastCommands(program: Command): void {
  const forecast = program.command("forecast").description("pretrain, fine-tune, run and evaluate the transformer forecaster of weekly or daily incidence");

  const pretrainCommand = forecast
    .command("pretrain")
    .description("pretrain the transformer on a synthetic corpus of simulated epidemics and save a checkpoint")
    .option("--frequency <f>", "weekly: the ILI-like weekly corpus (default); daily: the daily case-count corpus, for daily tables", parseFrequency)
    .option("--series <n>", "corpus series", parseIntAtLeast("series", 2))
    .option("--weeks <w>", "weeks per corpus series (weekly)", parseIntAtLeast("weeks", 16))
    .option("--days <d>", "days per corpus series (daily)", parseIntAtLeast("days", 112))
    .option("--epochs <e>", "maximum epochs (early stopping on held-out series)", parseIntAtLeast("epochs", 1))
    .option("--samples-per-epoch <s>", "training windows per epoch", parseIntAtLeast("samples-per-epoch", 1))
    .option("--seed <s>", "seed of the corpus, the initial weights and the shuffling", parseIntAtLeast("seed", 0));
  climateOptions(pretrainCommand)
    .option("--out <dir>", `checkpoint folder (replaced atomically; default ${PRETRAINED_OUT}, or ${DAILY_OUT} with --frequency daily)`)
    .action(async ({ southernShare, tropicalShare, ...partial }: Partial<PretrainCliOptions> & ClimateCliOptions) => {
      await startTf();
      const { pretrain, savePretrained, PRETRAIN_DEFAULTS } = await import("../forecast/transformer/pretrain.js");
      const { climate, flags } = await climateFromFlags({ southernShare, tropicalShare });
      const d = PRETRAIN_DEFAULTS;
      const frequency = partial.frequency ?? "weekly";
      const daily = frequency === "daily";
      if (daily && partial.weeks !== undefined) throw new SpreadlabError("--weeks: the daily corpus' length is given in days (--days).");
      if (!daily && partial.days !== undefined) throw new SpreadlabError("--days: only for the daily corpus (--frequency daily); the weekly corpus takes --weeks.");
      const o: PretrainCliOptions = {
        series: d.series,
        weeks: d.weeks,
        days: d.days,
        epochs: d.epochs,
        samplesPerEpoch: d.samplesPerEpoch,
        seed: d.seed,
        ...givenOptions(partial),
        frequency,
        out: partial.out ?? (daily ? DAILY_OUT : PRETRAINED_OUT),
      };
      // Every setting spelled out, so the manifest's command reproduces the checkpoint whatever the defaults become.
      const length = daily ? `--frequency daily --days ${o.days}` : `--weeks ${o.weeks}`;
      const command = `spreadlab forecast pretrain --series ${o.series} ${length} --epochs ${o.epochs} --samples-per-epoch ${o.samplesPerEpoch} --seed ${o.seed} ${flags} --out ${o.out}`;
      const result = await pretrain({ frequency, series: o.series, weeks: o.weeks, days: o.days, epochs: o.epochs, samplesPerEpoch: o.samplesPerEpoch, seed: o.seed, climate, log: stderrLine });
      const manifest = await savePretrained(result, o.out, { command });
      result.model.dispose();
      process.stdout.write(
        [
          `pretrained on ${result.corpus.trainSeries} synthetic series × ${daily ? `${o.days} days` : `${o.weeks} weeks`} (${result.corpus.validationSeries} held out), seed ${o.seed}, backend ${manifest.backend}`,
          reportLine(result.report),
          `${o.out}: ${manifest.parameters} parameters, weights sha256 ${manifest.weightsSha256.slice(0, 12)}…`,
        ].join("\n") + "\n",
      );
    });

  const spatialCommand = forecast
    .command("pretrain-spatial")
    .description("pretrain the cross-region transformer on simulated metapopulation epidemics, starting from the univariate checkpoint")
    .option("--base <dir>", "univariate checkpoint whose encoder and head it starts from (default: the bundled models/ili-pretrained)")
    .option("--sets <n>", "region sets in the spatial corpus", parseIntAtLeast("sets", 2))
    .option("--weeks <w>", "weeks per set", parseIntAtLeast("weeks", 16))
    .option("--epochs <e>", "maximum epochs (early stopping on held-out sets)", parseIntAtLeast("epochs", 1))
    .option("--snapshots-per-epoch <s>", "snapshots (all regions of a set at one origin) per epoch", parseIntAtLeast("snapshots-per-epoch", 1))
    .option("--seed <s>", "seed of the corpus, the new layers' initial weights and the shuffling", parseIntAtLeast("seed", 0))
    .option("--trainable <w>", "which weights learn: all (the default), cross-region (the univariate encoder and head frozen) or cross-region+head", parseSpatialTrainable)
    .option("--network-share <f>", "share of the sets simulated as network epidemics (block networks) rather than metapopulations, in [0, 1]", parseShare);
  climateOptions(spatialCommand)
    .option("--out <dir>", "checkpoint folder (replaced atomically)", SPATIAL_OUT)
    .action(async (partial: { base?: string; sets?: number; weeks?: number; epochs?: number; snapshotsPerEpoch?: number; seed?: number; trainable?: SpatialTrainable; networkShare?: number; out: string } & ClimateCliOptions) => {
      await startTf();
      const base = await loadBase(partial.base);
      const { pretrainSpatial, saveSpatialPretrained, SPATIAL_PRETRAIN_DEFAULTS: d } = await import("../forecast/transformer/spatial-fit.js");
      const { climate, flags } = await climateFromFlags(partial);
      const o = {
        sets: d.sets,
        weeks: d.weeks,
        epochs: d.epochs,
        snapshotsPerEpoch: d.snapshotsPerEpoch,
        seed: d.seed,
        trainable: d.trainable,
        networkShare: d.networkShare,
        ...givenOptions({ sets: partial.sets, weeks: partial.weeks, epochs: partial.epochs, snapshotsPerEpoch: partial.snapshotsPerEpoch, seed: partial.seed, trainable: partial.trainable, networkShare: partial.networkShare }),
      };
      const command = `spreadlab forecast pretrain-spatial${partial.base ? ` --base ${partial.base}` : ""} --sets ${o.sets} --weeks ${o.weeks} --epochs ${o.epochs} --snapshots-per-epoch ${o.snapshotsPerEpoch} --seed ${o.seed} --trainable ${o.trainable} --network-share ${o.networkShare} ${flags} --out ${partial.out}`;
      const result = await pretrainSpatial(base.model, base.manifest.config, { ...o, climate, log: stderrLine });
      const manifest = await saveSpatialPretrained(result, partial.out, { command, base: base.manifest });
      result.model.dispose();
      process.stdout.write(
        [
          `cross-region pretraining on ${result.corpus.trainSets} simulated region sets (${result.corpus.regions} regions in all, ${result.corpus.validationSets} sets held out) × ${o.weeks} weeks, seed ${o.seed}, backend ${manifest.backend}`,
          reportLine(result.report),
          `  held-out corpus loss of the starting (univariate) weights: ${result.report.initialValidationLoss?.toFixed(4) ?? "–"}`,
          `${partial.out}: ${manifest.parameters} parameters, weights sha256 ${manifest.weightsSha256.slice(0, 12)}…`,
        ].join("\n") + "\n",
      );
    });

  forecast
    .command("finetune")
    .description("fine-tune a pretrained checkpoint on the regions of a weekly series and save the result")
    .requiredOption("--data <csv|dataset>", "a wide CSV (year,week,<region…>, date,<region…>, or a headerless matrix: a row per time step, a column per region) or a bundled dataset id (region785, state360, …)")
    .option("--negative <mode>", NEGATIVE_HELP, parseNegative)
    .option("--frequency <f>", FREQUENCY_HELP, parseFrequency)
    .option("--regions <list>", 'regions to train on: "all" or comma-separated names', parseRegions, "all" as const)
    .option("--base <dir>", "checkpoint to start from (default: the bundled models/ili-pretrained)")
    .option("--out <dir>", "checkpoint folder to write (default: out/forecaster-<data name>)")
    .option("--strategy <s>", "what learns: head, full or both (head, then full)", parseStrategy, "both" as FinetuneStrategy)
    .option("--epochs <n>", "maximum epochs per phase (early stopping on the last 20% of the rows)", parseIntAtLeast("epochs", 1))
    .option("--until <row>", "train on rows before this row index only (default: all rows)", parseIntAtLeast("until", 1))
    .option("--learning-rate <r>", "learning rate of the head phase (default 2e-4)", parsePositive("learning-rate"))
    .option("--full-learning-rate <r>", "learning rate of the all-weights phase (default 5e-5)", parsePositive("full-learning-rate"))
    .option("--calibrate", "apply the interval spread calibrated on the early-stopping weeks (default: measured and reported only)")
    .option("--seed <s>", "seed of the shuffling", parseIntAtLeast("seed", 0), 0)
    .action(async (o: FinetuneCliOptions) => {
      const { table, name } = readTable(o.data, { negative: o.negative, frequency: o.frequency });
      await startTf();
      const base = await loadBase(o.base, table);
      const { finetuneOnTable, saveFinetuned } = await import("../forecast/transformer/service.js");
      const { epochLine } = await import("../forecast/transformer/train.js");
      const out = o.out ?? `out/forecaster-${name.replace(/[^\w.-]/g, "_")}`;
      const tuned = await finetuneOnTable(base, table, {
        ...givenOptions({ regions: o.regions, strategy: o.strategy, until: o.until, seed: o.seed, epochs: o.epochs }),
        ...fitRates(o),
        source: o.data,
        onEpoch: (e) => stderrLine(epochLine(e)),
      });
      const manifest = await saveFinetuned(tuned, base, out, o.data, { seed: o.seed });
      tuned.model.dispose();
      process.stdout.write(
        [
          `fine-tuned ${base.dir} on ${name}: ${tuned.regions.length} region${tuned.regions.length === 1 ? "" : "s"} (${tuned.regions.slice(0, 10).join(", ")}${tuned.regions.length > 10 ? ", …" : ""}), rows [0, ${tuned.rows}), strategy ${tuned.strategy}`,
          ...tuned.reports.map(reportLine),
          `${out}: ${manifest.parameters} parameters, weights sha256 ${manifest.weightsSha256.slice(0, 12)}…`,
        ].join("\n") + "\n",
      );
    });

  forecast
    .command("predict")
    .description("quantile forecasts of one region, horizons 1 … H: the method chosen on validation rows up to the origin (default), a named method, or a checkpoint")
    .option("--method <m>", `what forecasts: ${PREDICT_METHODS.join(", ")} (default auto: the lowest mean validation WIS on the region's rows up to --as-of, as evaluate selects)`, parsePredictMethod)
    .option("--model <dir>", "forecast with this checkpoint folder as is (model.json, weights.bin, manifest.json) instead of a method")
    .requiredOption("--data <csv|dataset>", "a wide CSV or a bundled dataset id")
    .requiredOption("--region <name>", "the region (column) to forecast, or all: every region, the method chosen once for the table among evaluate's candidates (the cross-region network's included)")
    .option("--negative <mode>", NEGATIVE_HELP, parseNegative)
    .option("--frequency <f>", FREQUENCY_HELP, parseFrequency)
    .option("--as-of <row|week>", "forecast origin: a row index or a week such as 2017-W20 (default: the last row)")
    .option("--base <dir>", "pretrained checkpoint the methods start from (default: the bundled models/ili-pretrained)")
    .option("--strategy <s>", "fine-tuning strategy of the methods: head, full or both", parseStrategy)
    .option("--epochs <n>", "maximum epochs per training phase of the methods", parseIntAtLeast("epochs", 1))
    .option("--seed <s>", "seed of the training and of the hub baseline", parseIntAtLeast("seed", 0))
    .option("--threads <n>", "method auto: threads the selection's networks train on, one network each (default: one per core; the choice does not depend on it)", parseIntAtLeast("threads", 1))
    .option("--spatial-model <dir>", "with --region all: cross-region checkpoint (default: the bundled models/ili-spatial)")
    .option("--adjacency <file>", "with --region all: region adjacency for the cross-region transformer (as evaluate's)")
    .option("--no-spatial", "with --region all: leave the cross-region transformer out of the candidates")
    .option("--json", "print { region, asOf, levels, horizons, quantiles, median, method, selection } as JSON (--region all: { asOf, levels, horizons, method, selection, regions: [{ region, quantiles, median }] })")
    .option("--hub-csv", "print the forecasts as the hubs' long CSV: location,target,horizon,quantile,value")
    .action(async (o: PredictCliOptions) => {
      if (o.json && o.hubCsv) throw new SpreadlabError("--json and --hub-csv: give one.");
      if (o.model !== undefined && o.method !== undefined) throw new SpreadlabError("--model and --method: give one (--model forecasts with a checkpoint as is; --method fits and serves a method).");
      const all = o.region === "all";
      if (!all && o.method?.startsWith("transformer-spatial")) throw new SpreadlabError(`--method ${o.method} forecasts all regions together: use it with --region all.`);
      const { table } = readTable(o.data, { negative: o.negative, frequency: o.frequency });
      const asOf = o.asOf === undefined ? table.rows - 1 : resolveRow(table, o.asOf, "--as-of");
      await startTf();
      if (all && !table.regions.includes("all")) return (await import("./forecast-predict-all.js")).predictAllRegions(o, table, asOf);
      let rows: Float64Array[];
      let levels: readonly number[];
      let described: string;
      let served: Pick<PredictionJson, "method" | "selection">;
      if (o.model !== undefined) {
        const { checkpointForecasts } = await import("./forecast-predict-all.js");
        ({ rows: [rows], levels, described } = await checkpointForecasts(o.model, table, [o.region], asOf));
        served = { method: "model" };
      } else {
        const base = await loadBase(o.base, table);
        const { resolveRegions } = await import("../forecast/transformer/service.js");
        const { serveAtOrigin } = await import("../forecast/transformer/select.js");
        const [region] = resolveRegions(table, [o.region]);
        const method = (o.method ?? "auto") as Parameters<typeof serveAtOrigin>[4];
        const { servingOptions, spreadsLine } = await import("./forecast-predict-all.js");
        const result = await serveAtOrigin(base, table, region, asOf, method, servingOptions(o));
        rows = result.rows;
        levels = base.manifest.config.levels;
        if (result.selection) {
          stderrLine(`selected ${result.selection.method}: ${result.selection.reason}${result.selection.cached ? " (cached)" : ""}`);
          stderrLine(spreadsLine(result.selection.spreads));
        }
        described = `${result.method}${result.selection ? " (auto: chosen on validation rows)" : ""}, from ${base.dir}`;
        served = { method: result.method, ...(result.selection ? { selection: result.selection } : {}) };
      }
      const median = levels.findIndex((l) => Math.abs(l - 0.5) < 1e-9);
      const prediction: PredictionJson = {
        region: o.region,
        asOf: { index: asOf, label: rowLabel(table, asOf) },
        levels: [...levels],
        horizons: rows.map((_, i) => i + 1),
        quantiles: rows.map((q) => Array.from(q)),
        median: rows.map((q) => q[median]),
        ...served,
      };
      if (o.hubCsv) process.stdout.write(formatHubCsv(table, asOf, levels, [{ region: o.region, quantiles: rows }]));
      else process.stdout.write((o.json ? JSON.stringify(prediction) : formatPrediction(prediction, table, described)) + "\n");
    });

  forecast
    .command("evaluate")
    .description("score the transformer (fine-tuned, from scratch, zero-shot) and the baselines under the Cola-GNN protocol")
    .requiredOption("--data <csv|dataset>", "a wide CSV (complete series) or a bundled dataset id")
    .option("--negative <mode>", NEGATIVE_HELP, parseNegative)
    .option("--frequency <f>", FREQUENCY_HELP, parseFrequency)
    .option("--protocol <name>", "evaluation protocol: colagnn", parseProtocol, "colagnn")
    .option("--window <p>", "the protocol's input window P", parseIntAtLeast("window", 1), COLA_GNN_PROTOCOL.window)
    .option("--horizons <list>", "horizons in weeks, at most the model's", parseHorizons, [...COLA_GNN_PROTOCOL.horizons])
    .option("--base <dir>", "pretrained checkpoint (default: the bundled models/ili-pretrained)")
    .option("--strategy <s>", "fine-tuning strategy: head, full or both", parseStrategy, "both" as FinetuneStrategy)
    .option("--epochs <n>", "maximum epochs per training phase", parseIntAtLeast("epochs", 1))
    .option("--learning-rate <r>", "learning rate of the head phase (default 2e-4)", parsePositive("learning-rate"))
    .option("--full-learning-rate <r>", "learning rate of the all-weights phase (default 5e-5)", parsePositive("full-learning-rate"))
    .option("--calibrate", "apply the interval spread calibrated on the early-stopping weeks (default: measured and reported only)")
    .option("--no-transfer", "skip the transfer experiment (training histories cut to 104 weeks)")
    .option("--hub-samples <n>", "Monte Carlo samples per hub-baseline forecast (default 1000)", parseIntAtLeast("hub-samples", 1))
    .option("--seed <s>", "seed of the training and of the hub baseline", parseIntAtLeast("seed", 0), 0)
    .option("--threads <n>", "threads the networks train on, one network each (default: one per core; the scores do not depend on it)", parseIntAtLeast("threads", 1))
    .option("--spatial-model <dir>", "cross-region checkpoint (default: the bundled models/ili-spatial)")
    .option("--adjacency <file>", "region adjacency for the cross-region transformer: a square matrix in the columns' order, or an edge list source,target[,weight]")
    .option("--no-spatial", "skip the cross-region transformer (forecasting all regions together)")
    .option("--json", "print the evaluation as JSON: { dataset, protocol, horizons, methods: { <name>: { rmse, mae, pcc, wis, coverage50, coverage95 } }, … }")
    .action(async (o: EvaluateCliOptions) => {
      const { table, name } = readTable(o.data, { negative: o.negative, frequency: o.frequency });
      // The checks that need no model, before loading one: complete series, long enough for the split.
      requireComplete(table);
      splitBoundaries(table.rows, o.window, Math.max(...o.horizons), table.file);
      await startTf();
      const base = await loadBase(o.base, table);
      const config = base.manifest.config;
      const beyond = o.horizons.filter((h) => h > config.horizon);
      if (beyond.length > 0) {
        throw new SpreadlabError(`--horizons: ${beyond.join(", ")} ${beyond.length === 1 ? "is" : "are"} beyond the model's ${config.horizon} weeks; choose horizons 1…${config.horizon}.`);
      }
      const spatial = o.spatial && table.regions.length >= 2 ? await loadSpatial(o.spatialModel, o.adjacency, table, base.manifest) : undefined;
      const { evaluateTransformer, formatEvaluation } = await import("../forecast/transformer/evaluate.js");
      const evaluation = await evaluateTransformer(table, name, {
        ...(spatial ? { spatial } : {}),
        pretrained: base.model,
        config,
        horizons: o.horizons,
        window: o.window,
        strategy: o.strategy,
        fit: { ...givenOptions({ epochs: o.epochs }), ...fitRates(o) },
        transfer: o.transfer,
        seed: o.seed,
        threads: o.threads ?? availableParallelism(),
        ...givenOptions({ hubSamples: o.hubSamples }),
        log: stderrLine,
      });
      process.stdout.write((o.json ? JSON.stringify(evaluation, null, 2) : formatEvaluation(evaluation)) + "\n");
    });
}
