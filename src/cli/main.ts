/**
 * The `spreadlab` command line. Thin: every command calls the library. Exit codes: 0 success, 1 runtime
 * failure, 2 invalid input (scenario, network file, model, incidence series, checkpoint).
 */
import { Command, CommanderError } from "commander";
import { loadScenario } from "../scenario/load.js";
import { resolveScenario, type ResolvedScenario } from "../scenario/resolve.js";
import { DEFAULT_CAPS, shareCaps, type ResultCaps } from "../ensemble/caps.js";
import { simulate, type SimulationResult } from "../families/compartmental/simulate.js";
import { MODELS } from "../families/registry.js";
import { GENERATORS } from "../graph/generators/index.js";
import { SpreadlabError } from "../errors.js";
import { resultFiles, writeResult } from "./output.js";
import { writeOutputSet } from "./output-set.js";
import { summary } from "./summary.js";
import { packageVersion } from "../server/version.js";
import { progressBar } from "./progress.js";
import { registerNetworkCommands } from "./network.js";
import { registerServeCommand } from "./serve.js";
import { registerForecastCommands } from "./forecast.js";
import { runModelParallel, type AnySpec } from "../run.js";
import { sweepCsv, sweepTable } from "./sweep.js";
import { prepareScenario } from "./prepare.js";
import { registerWorkerCommand } from "./worker.js";
import { DEFAULT_PREFIX, redisUrlFrom } from "../ensemble/queue/common.js";

/** The user pressed Ctrl-C. */
class InterruptedError extends Error {
  override name = "InterruptedError";
  constructor() {
    super("interrupted; no result was written.");
  }
}

export const INVALID_INPUT = new Set(["LimitError", "ScenarioError", "GraphFormatError", "ModelError", "SimulationError", "GeneratorError", "NotFoundError", "DataError", "CheckpointError", "ForecastError", "ExpressionError", "WorkLimitError"]);

interface RunOptions {
  runs?: number;
  seed?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  allowOutside?: boolean;
  workers?: number;
  maxRecordValues?: number;
  maxRecordTimes?: number;
  maxHistoryEvents?: number;
  redis?: string;
  prefix?: string;
}

/** Give every spec the result-size caps; a sweep's points share them (each point gets 1/points). */
function withLimits(resolved: ResolvedScenario, caps: ResultCaps): ResolvedScenario {
  const limit = (spec: AnySpec, share: ResultCaps): AnySpec => ({ ...spec, limits: share }) as AnySpec;
  if (!resolved.points) return { ...resolved, spec: limit(resolved.spec, caps) };
  const share = shareCaps(caps, resolved.points.length);
  return { ...resolved, points: resolved.points.map((p) => ({ ...p, spec: limit(p.spec, share) })) };
}

/** An integer option ≥ `min`: `--runs` needs at least one run, `--seed` may be 0. */
function parseIntAtLeast(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isSafeInteger(n) || n < min) throw new SpreadlabError(`--${name}: expected an integer ≥ ${min}, got "${value}".`);
    return n;
  };
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("spreadlab")
    .description("Simulate and forecast how epidemics and information spread over networks.")
    .version(packageVersion(), "-V, --version", "print the version (from package.json)")
    .exitOverride();

  program
    .command("run")
    .description("run a scenario file headless")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--runs <n>", "number of runs (overrides the file)", parseIntAtLeast("runs", 1))
    .option("--seed <s>", "seed (overrides the file)", parseIntAtLeast("seed", 0))
    .option("--out <dir>", "write results into this folder (overrides output.dir)")
    .option("--json", "print the result JSON on stdout")
    .option("--quiet", "print nothing but errors")
    .option("--workers <w>", "worker threads for ensembles (default: all cores; results do not depend on it)", parseIntAtLeast("workers", 1))
    .option("--allow-outside", "allow network files and output folders outside the scenario's folder")
    .option("--redis <url>", "run the ensembles on `spreadlab worker`s through this Redis (default: $SPREADLAB_REDIS_URL; same result)")
    .option("--prefix <p>", "queue key prefix with --redis (workers must use the same)", DEFAULT_PREFIX)
    .option("--max-record-values <n>", `result-size cap: numbers recorded in all (default ${DEFAULT_CAPS.maxRecordValues})`, parseIntAtLeast("max-record-values", 1))
    .option("--max-record-times <n>", `result-size cap: record times per run (default ${DEFAULT_CAPS.maxRecordTimes})`, parseIntAtLeast("max-record-times", 1))
    .option("--max-history-events <n>", `result-size cap: output.history state changes (default ${DEFAULT_CAPS.maxHistoryEvents})`, parseIntAtLeast("max-history-events", 1))
    .action(async (file: string, opts: RunOptions) => {
      const loaded = loadScenario(file, { allowOutside: opts.allowOutside });
      const caps = { maxRecordValues: opts.maxRecordValues ?? DEFAULT_CAPS.maxRecordValues, maxRecordTimes: opts.maxRecordTimes ?? DEFAULT_CAPS.maxRecordTimes, maxHistoryEvents: opts.maxHistoryEvents ?? DEFAULT_CAPS.maxHistoryEvents };
      const resolved = withLimits(resolveScenario(loaded, { runs: opts.runs, seed: opts.seed }), caps);
      const network = resolved.network();
      const formats = loaded.scenario.output?.formats ?? ["json", "csv"];
      const dir = opts.out ?? loaded.scenario.output?.dir;
      // Ctrl-C stops the workers cleanly: nothing more is written, the exit code is 130.
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once("SIGINT", onSigint);
      const redis = redisUrlFrom(opts.redis);
      const runOne = async (spec: AnySpec, label: string): Promise<SimulationResult> => {
        const bar = progressBar(label, !opts.quiet);
        try {
          if (redis !== undefined) {
            const { runModelOnQueue } = await import("../ensemble/queue/producer.js");
            const onNoWorkers = () => process.stderr.write(`\nspreadlab: no worker is connected to the queue yet; start \`spreadlab worker --redis …\` (waiting).\n`);
            return await runModelOnQueue(network, spec, { redis, prefix: opts.prefix, signal: controller.signal, onProgress: (d, t) => bar.update(d, t), onNoWorkers });
          }
          // Off this thread, so that Ctrl-C stops even one long run promptly.
          return await runModelParallel(network, spec, { workers: opts.workers, signal: controller.signal, offThread: true, onProgress: (d, t) => bar.update(d, t) });
        } catch (e) {
          if (controller.signal.aborted) throw new InterruptedError();
          throw e;
        } finally {
          bar.finish();
        }
      };
      try {
        if (resolved.points) {
          const results: { label: string; values: Record<string, number>; result: SimulationResult }[] = [];
          for (const point of resolved.points) results.push({ label: point.label, values: point.values, result: await runOne(point.spec, point.label) });
          if (dir) {
            // One set for the whole sweep: a folder per point and sweep.csv, under one manifest.
            const files = results.flatMap(({ label, result }) => resultFiles(result, formats, `${label.replace(/[^\w.=,-]/g, "_")}/`));
            files.push({ path: "sweep.csv", render: () => sweepCsv(results) });
            const written = writeOutputSet(dir, files, { scenario: resolved.name, seed: results[0]?.result.seed ?? 0 });
            if (!opts.quiet && !opts.json) process.stderr.write(`wrote ${written.length} files under ${dir}\n`);
          }
          if (opts.json) {
            const sweep = results.map(({ label, values, result: { series: _series, ...result } }) => ({ label, values, result }));
            process.stdout.write(JSON.stringify({ schemaVersion: 1, scenario: resolved.name, sweep }) + "\n");
          }
          else if (!opts.quiet) process.stdout.write(sweepTable(results) + "\n");
          return;
        }
        const result = await runOne(resolved.spec, resolved.name);
        if (dir) {
          const written = writeResult(result, dir, formats);
          if (!opts.quiet && !opts.json) process.stderr.write(`wrote ${written.join(", ")}\n`);
        }
        if (opts.json) {
          const { series: _series, ...schema } = result;
          process.stdout.write(JSON.stringify(schema) + "\n");
        }
        else if (!opts.quiet) process.stdout.write(summary(result) + "\n");
      } finally {
        process.off("SIGINT", onSigint);
      }
    });

  program
    .command("validate")
    .description("check a scenario file without running it")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--allow-outside", "allow network files outside the scenario's folder")
    .option("--no-prepare", "check the file only: do not build the network and prepare the runs")
    .action((file: string, opts: { allowOutside?: boolean; prepare: boolean }) => {
      const loaded = loadScenario(file, { allowOutside: opts.allowOutside });
      // As strong as running (issue 15): build the network and prepare every run set — generator values,
      // seeds, the work bound, rate expressions over the whole horizon — without running anything.
      if (opts.prepare) prepareScenario(loaded);
      process.stdout.write(`${file}: ok\n`);
    });

  program
    .command("models")
    .description("list the models and their parameters")
    .option("--json", "as JSON")
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        process.stdout.write(JSON.stringify(MODELS.map(({ run: _run, spec: _spec, ...m }) => m), null, 2) + "\n");
        return;
      }
      for (const m of MODELS) {
        process.stdout.write(`${m.id} (${m.family}) — ${m.description}\n`);
        for (const p of m.parameters) process.stdout.write(`    ${p.name} = ${p.default} [${p.unit}]  ${p.description}\n`);
      }
    });

  program
    .command("generators")
    .description("list the network generators and their parameters")
    .action(() => {
      for (const g of GENERATORS) {
        process.stdout.write(`${g.id} — ${g.description}\n`);
        for (const p of g.parameters) process.stdout.write(`    ${p.name}${p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : ""}  ${p.description}\n`);
      }
    });
  registerNetworkCommands(program);
  registerServeCommand(program);
  registerWorkerCommand(program);
  registerForecastCommands(program);
  return program;
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const err = e as Error;
    if (err.name === "InterruptedError") {
      process.stderr.write(`spreadlab: ${err.message}\n`);
      return 130;
    }
    process.stderr.write(`spreadlab: ${err.message}\n`);
    return INVALID_INPUT.has(err.name) || (err instanceof SpreadlabError && err.name === "SpreadlabError") ? 2 : 1;
  }
}
