/**
 * `spreadlab network …`: generate, convert and describe network files. Thin, like the rest of the CLI: the
 * generators, readers, writers and degree statistics live in src/graph; this file parses the options, checks
 * them, and prints. Errors are thrown, never printed here; `main` maps them to exit codes by `name`:
 * GeneratorError, GraphFormatError and SpreadlabError → 2 (invalid input), NetworkWriteError → 1 (the output
 * could not be written: a missing folder, no permission, a full disk).
 *
 *   network generate <type> [--param k=v …] [--seed S] --out <file> [--format F] [--quiet]
 *   network convert <in> <out> [--directed] [--from F] [--to F] [--quiet]
 *   network stats [file] [--generate <type> [--param k=v …] [--seed S]] [--directed] [--json]
 */
import { accessSync, constants, statSync } from "node:fs";
import { dirname } from "node:path";
import { Command, Option } from "commander";
import type Graph from "graphology";
import { GeneratorError, SpreadlabError } from "../errors.js";
import { checkSeed } from "../random.js";
import { GENERATORS, generateEdges, generateGraph, type GeneratorInfo, type GeneratorSpec } from "../graph/generators/index.js";
import { toCSR } from "../graph/edgelist.js";
import { formatStats, networkStats, type NetworkStats } from "./network-stats.js";
import { convertFile, fileForStats } from "./network-files.js";
import { LOAD_FORMATS, loadFormatFromPath, type LoadFormat } from "../graph/load.js";
export { componentSizes, degreeHistogram, formatStats, networkStats, type HistogramBin, type NetworkStats } from "./network-stats.js";
import { NETWORK_FORMATS, formatFromPath, writeNetwork, type NetworkFormat } from "../graph/io/index.js";

const WRITE_HINTS: Record<string, string> = {
  ENOENT: "the folder does not exist; create it first",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder; give a file name",
  EACCES: "permission denied; choose a writable folder",
  EPERM: "permission denied; choose a writable folder",
  EROFS: "the file system is read-only; choose a writable folder",
  ENOSPC: "the disk is full",
};

/** A network file could not be written (the folder is missing or read-only, the disk is full, …): exit 1. */
export class NetworkWriteError extends Error {
  override name = "NetworkWriteError";
  readonly file: string;
  constructor(file: string, cause: unknown) {
    const code = (cause as { code?: string } | null)?.code;
    const hint = (code !== undefined ? WRITE_HINTS[code] : undefined) ?? (cause instanceof Error ? cause.message : String(cause));
    super(`${file}: cannot write the network file: ${hint}`, { cause });
    this.file = file;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generator parameters

const TYPES = GENERATORS.map((g) => g.id).join(", ");

function generatorInfo(type: string): GeneratorInfo {
  const info = GENERATORS.find((g) => g.id === type);
  if (info === undefined) throw new GeneratorError(`generator: unknown type "${type}"; expected one of ${TYPES}.`);
  return info;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A `--param` value: a number, true/false, JSON (arrays, objects, quoted strings), or else the bare string. */
export function parseParamValue(name: string, text: string): unknown {
  const t = text.trim();
  if (t === "") throw new GeneratorError(`--param ${name}: the value is empty; write ${name}=VALUE.`);
  if (NUMBER.test(t)) return Number(t);
  if (t === "true" || t === "false") return t === "true";
  if (t.startsWith("[") || t.startsWith("{") || t.startsWith('"')) {
    try {
      return JSON.parse(t) as unknown;
    } catch (e) {
      throw new GeneratorError(`--param ${name}: ${t} is not valid JSON (${(e as Error).message}); quote the value for the shell, e.g. --param '${name}=[1,2,3]'.`);
    }
  }
  return t;
}

/** `{ type, ...params }` from the generator type and the repeated `--param k=v` options. */
export function buildGeneratorSpec(type: string, params: readonly string[]): GeneratorSpec {
  const info = generatorInfo(type);
  const known = info.parameters.map((p) => p.name);
  const spec: Record<string, unknown> = { type: info.id };
  for (const raw of params) {
    const eq = raw.indexOf("=");
    if (eq <= 0) throw new GeneratorError(`--param "${raw}": expected NAME=VALUE, e.g. --param n=1000.`);
    const name = raw.slice(0, eq).trim();
    if (!known.includes(name)) {
      throw new GeneratorError(
        `${info.id}: unknown parameter "${name}"; ${known.length === 0 ? "this generator takes no parameters" : `expected one of ${known.join(", ")}`}.`,
      );
    }
    if (name in spec) throw new GeneratorError(`--param ${name}: given twice; give each parameter once.`);
    spec[name] = parseParamValue(name, raw.slice(eq + 1));
  }
  return spec as GeneratorSpec;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isSafeInteger(n) || n < 0) throw new SpreadlabError(`--seed: expected an integer ≥ 0, got "${value}".`);
  return checkSeed(n, "--seed");
}

function formatOption(flag: string, description: string, formats: readonly string[] = NETWORK_FORMATS): Option {
  return new Option(flag, description).choices(formats);
}

/** Write atomically; file-system failures become NetworkWriteError (exit 1), format problems stay GraphFormatError (exit 2). */
async function write(graph: Graph, path: string, format: NetworkFormat): Promise<void> {
  try {
    await writeNetwork(graph, path, format);
  } catch (e) {
    if (e instanceof SpreadlabError) throw e;
    throw new NetworkWriteError(path, e);
  }
}

/** Fail before a long generation when the output folder is missing or read-only (the write itself re-checks). */
function checkWritableFolder(path: string): void {
  const folder = dirname(path);
  try {
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error(`${folder} is not a folder`), { code: "ENOTDIR" });
    accessSync(folder, constants.W_OK);
  } catch (e) {
    throw new NetworkWriteError(path, e);
  }
}

function describeGraph(graph: Graph): string {
  const kind = graph.type === "mixed" ? "mixed" : graph.type;
  return `${graph.order} node${graph.order === 1 ? "" : "s"}, ${graph.size} edge${graph.size === 1 ? "" : "s"}, ${kind}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

const PARAM_HELP = "generator parameter NAME=VALUE, repeatable (numbers, true/false, JSON for arrays and objects); see `spreadlab generators`";

interface GenerateOptions {
  param?: string[];
  seed: number;
  out: string;
  format?: NetworkFormat;
  quiet?: boolean;
}

interface ConvertOptions {
  directed?: boolean;
  from?: LoadFormat;
  to?: LoadFormat;
  quiet?: boolean;
}

interface StatsOptions {
  generate?: string;
  param?: string[];
  seed: number;
  directed?: boolean;
  format?: LoadFormat;
  json?: boolean;
}

/** Add `network generate|convert|stats` to `program` (call before parsing; subcommands inherit exitOverride). */
export function registerNetworkCommands(program: Command): void {
  const network = program.command("network").description("generate, convert and describe network files");

  network
    .command("generate")
    .description("generate a network and write it to a file")
    .argument("<type>", `generator: ${TYPES}`)
    .option("--param <name=value>", PARAM_HELP, collect)
    .option("--seed <s>", "seed of the random generators (integer ≥ 0)", parseSeed, 0)
    .requiredOption("--out <file>", "output file; the format follows the extension unless --format")
    .addOption(formatOption("--format <format>", "output format"))
    .option("--quiet", "print nothing but errors")
    .addHelpText(
      "after",
      `
Examples:
  spreadlab network generate barabasi-albert --param n=10000 --param m=3 --seed 1 --out ba.csv
  spreadlab network generate stochastic-block --param 'sizes=[50,50]' --param 'probabilities=[[0.1,0.01],[0.01,0.1]]' --out sbm.gexf

Cost: the network is built as a graphology graph before it is written, which dominates beyond about 10^5
nodes: roughly 20 s and 0.6 GB per million edges (barabasi-albert n=10^6 m=3: about 70 s, 1.7 GB).
Simulations and \`network stats --generate\` skip graphology: put the generator in the scenario
(network.generate) rather than generating a file.
Edge lists (csv, tsv) cannot hold isolated nodes; write gexf, graphml or json for sparse random graphs.`,
    )
    .action(async (type: string, opts: GenerateOptions) => {
      const spec = buildGeneratorSpec(type, opts.param ?? []);
      const format = opts.format ?? formatFromPath(opts.out);
      checkWritableFolder(opts.out);
      const graph = generateGraph(spec, opts.seed) as unknown as Graph;
      await write(graph, opts.out, format);
      if (!opts.quiet) {
        const seed = generatorInfo(type).random ? `, seed ${opts.seed}` : "";
        process.stdout.write(`${opts.out}: ${spec.type}${seed}, ${describeGraph(graph)} (${format})\n`);
      }
    });

  network
    .command("convert")
    .description("read a network file and write it in another format")
    .argument("<in>", "input network file")
    .argument("<out>", "output network file")
    .option("--directed", "read the input as directed (edge lists); for gexf/graphml/json, require directed edges")
    .addOption(formatOption("--from <format>", "input format (default: from the extension; .gz is looked through)", LOAD_FORMATS))
    .addOption(formatOption("--to <format>", "output format (default: from the extension); arrow: .arrow .feather .ipc; parquet: .parquet .pq", LOAD_FORMATS))
    .option("--quiet", "print nothing but errors")
    .action(async (input: string, output: string, opts: ConvertOptions) => {
      const done = await convertFile(input, output, { from: opts.from, to: opts.to, directed: opts.directed ? true : undefined }, (e) => new NetworkWriteError(output, e));
      const what = `${done.nodes} node${done.nodes === 1 ? "" : "s"}, ${done.edges} edge${done.edges === 1 ? "" : "s"}, ${done.directed ? "directed" : "undirected"}`;
      if (!opts.quiet) process.stdout.write(`${input} (${done.from}) → ${output} (${done.to}): ${what}\n`);
    });

  network
    .command("stats")
    .description("size, degrees, components and epidemic thresholds of a network file or a generated network")
    .argument("[file]", "network file (or use --generate)")
    .option("--generate <type>", `describe a generated network instead of a file: ${TYPES}`)
    .option("--param <name=value>", `with --generate: ${PARAM_HELP}`, collect)
    .option("--seed <s>", "with --generate: seed (integer ≥ 0)", parseSeed, 0)
    .option("--directed", "read an edge list as directed; for gexf/graphml/json, require directed edges")
    .addOption(formatOption("--format <format>", "input format (default: from the extension; .gz is looked through)", LOAD_FORMATS))
    .option("--json", "print the statistics as JSON (infinite thresholds as null)")
    .addHelpText(
      "after",
      `
Thresholds assume an uncorrelated network (configuration model):
  SIR: a large outbreak needs per-edge transmissibility T > T_c = ⟨k⟩/(⟨k²⟩−⟨k⟩)   (Newman 2002)
  SIS: an endemic state needs λ = β/γ > λ_c = ⟨k⟩/⟨k²⟩                           (Pastor-Satorras & Vespignani 2001)
For a directed graph the degrees are out-degrees and the thresholds only indicative.`,
    )
    .action(async (file: string | undefined, opts: StatsOptions, cmd: Command) => {
      if ((file === undefined) === (opts.generate === undefined)) {
        throw new SpreadlabError("network stats: give either a network file or --generate <type>, not both and not neither.");
      }
      let stats: NetworkStats;
      if (opts.generate !== undefined) {
        if (opts.directed || opts.format !== undefined) {
          throw new SpreadlabError("network stats: --directed and --format apply to files; a generator decides its own direction (erdos-renyi: --param directed=true).");
        }
        const spec = buildGeneratorSpec(opts.generate, opts.param ?? []);
        const edges = generateEdges(spec, opts.seed);
        let selfLoops = 0;
        for (let e = 0; e < edges.count; e++) if (edges.sources[e] === edges.targets[e]) selfLoops++;
        stats = networkStats(toCSR(edges), { generate: spec, seed: opts.seed }, { selfLoops });
      } else {
        if (opts.param !== undefined || cmd.getOptionValueSource("seed") === "cli") throw new SpreadlabError("network stats: --param and --seed go with --generate.");
        const path = file!;
        const format = opts.format ?? loadFormatFromPath(path).format;
        const { csr, edges, selfLoops } = await fileForStats(path, format, opts.directed ? true : undefined);
        stats = networkStats(csr, { file: path, format }, { edges, selfLoops });
      }
      process.stdout.write((opts.json ? JSON.stringify(stats, null, 2) : formatStats(stats)) + "\n");
    });
}
