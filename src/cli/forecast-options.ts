/**
 * Option parsers and option groups of `spreadlab forecast …` (forecast.ts): each parser throws a
 * SpreadlabError naming the flag and what it expected (exit 2).
 */
import type { Command } from "commander";
import { SpreadlabError } from "../errors.js";
import { NEGATIVE_POLICIES, type NegativePolicy } from "../forecast/series-csv.js";
import { FREQUENCIES, type Frequency } from "../forecast/frequency.js";
import type { FinetuneStrategy } from "../forecast/transformer/train.js";
import type { SpatialTrainable } from "../forecast/transformer/spatial-fit.js";
import type { ClimateMix } from "../forecast/corpus.js";

const STRATEGIES: readonly FinetuneStrategy[] = ["head", "full", "both"];
/**
 * `forecast predict --method`: auto, or one of the candidates `forecast evaluate` selects among (select.ts; the
 * cross-region ones with --region all only, serve-table.ts).
 */
export const PREDICT_METHODS = ["auto", "transformer", "transformer-scratch", "transformer-zero-shot", "transformer-spatial", "transformer-spatial-zero-shot", "hub-baseline", "ensemble"] as const;
const PROTOCOLS = ["colagnn"] as const;
const SPATIAL_TRAINABLE: readonly SpatialTrainable[] = ["cross-region", "cross-region+head", "all"];

export function parseIntAtLeast(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isSafeInteger(n) || n < min) throw new SpreadlabError(`--${name}: expected an integer ≥ ${min}, got "${value}".`);
    return n;
  };
}

export function parsePositive(name: string) {
  return (value: string): number => {
    const x = Number(value);
    if (value.trim() === "" || !Number.isFinite(x) || x <= 0) throw new SpreadlabError(`--${name}: expected a positive number such as 2e-4, got "${value}".`);
    return x;
  };
}

/**
 * The options the user gave: commander hands an absent flag over as `undefined`, and `{ epochs: undefined }`
 * spread over defaults replaces the default with nothing (issue 11.6: `forecast finetune` without `--epochs`
 * trained zero epochs). Every command passes its options through this before they meet the library's defaults.
 */
export function givenOptions<O extends object>(options: O): { [K in keyof O]?: Exclude<O[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as { [K in keyof O]?: Exclude<O[K], undefined> };
}

export function parseStrategy(value: string): FinetuneStrategy {
  if (!(STRATEGIES as readonly string[]).includes(value)) {
    throw new SpreadlabError(`--strategy: expected one of ${STRATEGIES.join(", ")} (head: the quantile head only; full: every weight; both: head, then full), got "${value}".`);
  }
  return value as FinetuneStrategy;
}

export function parsePredictMethod(value: string): string {
  if (!(PREDICT_METHODS as readonly string[]).includes(value)) throw new SpreadlabError(`--method: expected one of ${PREDICT_METHODS.join(", ")}, got "${value}".`);
  return value;
}

export function parseProtocol(value: string): string {
  if (!(PROTOCOLS as readonly string[]).includes(value)) {
    throw new SpreadlabError(
      `--protocol: unknown protocol "${value}"; the only one is colagnn (Cola-GNN / EpiGNN: window 20, horizons 2,3,5,10,15, split 50/20/30% in time).`,
    );
  }
  return value;
}

export function parseHorizons(value: string): number[] {
  const parts = value.split(",").map((s) => s.trim());
  const hs = parts.map(Number);
  if (parts.some((s) => s === "") || hs.some((h) => !Number.isSafeInteger(h) || h < 1)) {
    throw new SpreadlabError(`--horizons: expected a comma-separated list of integers ≥ 1 such as 2,3,5,10,15, got "${value}".`);
  }
  return [...new Set(hs)].sort((a, b) => a - b);
}

export function parseNegative(value: string): NegativePolicy {
  if (!(NEGATIVE_POLICIES as readonly string[]).includes(value)) {
    throw new SpreadlabError(`--negative: expected error (refuse a negative value) or clip (set it to 0 with a warning), got "${value}".`);
  }
  return value as NegativePolicy;
}

export function parseFrequency(value: string): Frequency {
  if (!(FREQUENCIES as readonly string[]).includes(value)) throw new SpreadlabError(`--frequency: expected weekly or daily, got "${value}".`);
  return value as Frequency;
}

export const FREQUENCY_HELP = "time step of the rows: weekly or daily (default: read from the dates; year,week tables are weekly)";

export const NEGATIVE_HELP = "negative values in a CSV: error (refuse, the default) or clip (to 0, with a warning per region on stderr, ten at most and a line for the rest)";

export function parseRegions(value: string): "all" | string[] {
  if (value.trim() === "all") return "all";
  const names = value.split(",").map((s) => s.trim());
  if (names.some((s) => s === "")) throw new SpreadlabError(`--regions: expected "all" or comma-separated region names, got "${value}".`);
  return names;
}

function parseShareOf(flag: string) {
  return (value: string): number => {
    const v = Number(value);
    if (value.trim() === "" || !(v >= 0 && v <= 1)) throw new SpreadlabError(`--${flag}: expected a number in [0, 1] such as 0.2, got "${value}".`);
    return v;
  };
}
export const parseShare = parseShareOf("network-share");
/** `--southern-share` and `--tropical-share` (pretrain and pretrain-spatial): the corpus' ClimateMix. */
export interface ClimateCliOptions {
  southernShare?: number;
  tropicalShare?: number;
}

export function climateOptions(command: Command): Command {
  return command
    .option("--southern-share <f>", "share of the corpus with southern-hemisphere seasons (26 weeks later), in [0, 1]", parseShareOf("southern-share"))
    .option("--tropical-share <f>", "share of the corpus with tropical season timing (shifted 0–51 weeks), in [0, 1]", parseShareOf("tropical-share"));
}

/** The checked mix (defaults for the flags left out) and the flags that spell it out in a manifest's command. */
export async function climateFromFlags(given: ClimateCliOptions): Promise<{ climate: ClimateMix; flags: string }> {
  const { DEFAULT_CLIMATE_MIX, checkClimateMix } = await import("../forecast/corpus.js");
  const climate = checkClimateMix(
    { southern: given.southernShare ?? DEFAULT_CLIMATE_MIX.southern, tropical: given.tropicalShare ?? DEFAULT_CLIMATE_MIX.tropical },
    "--southern-share and --tropical-share",
  );
  return { climate, flags: `--southern-share ${climate.southern} --tropical-share ${climate.tropical}` };
}

export function parseSpatialTrainable(value: string): SpatialTrainable {
  if (!(SPATIAL_TRAINABLE as readonly string[]).includes(value)) {
    throw new SpreadlabError(`--trainable: expected one of ${SPATIAL_TRAINABLE.join(", ")} (cross-region: the univariate encoder and head stay frozen), got "${value}".`);
  }
  return value as SpatialTrainable;
}
