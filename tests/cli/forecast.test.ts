/**
 * `spreadlab forecast pretrain|finetune|predict|evaluate`, run as users run it (`node bin/spreadlab.js`)
 * in a temporary folder, on a tiny network (context 16, horizon 4, 2,844 parameters) saved here with
 * `buildModel` + `saveCheckpoint`, and a small seasonal CSV (2 regions × 120 weeks). Checks exit codes
 * (0 success, 2 invalid input), stdout (results) vs stderr (backend and progress lines), the checkpoints
 * written, and the error message for each kind of bad data.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, expect as globalExpect, it, type ExpectStatic } from "vitest";
import { initTf } from "../../src/forecast/transformer/backend.js";
import { saveCheckpoint, scalingInfo, type CheckpointManifest } from "../../src/forecast/transformer/checkpoint.js";
import { buildModel } from "../../src/forecast/transformer/model.js";
import { FIT_DEFAULTS } from "../../src/forecast/transformer/fit.js";
import { PRETRAIN_DEFAULTS } from "../../src/forecast/transformer/pretrain.js";
import { DEFAULT_CLIMATE_MIX } from "../../src/forecast/corpus.js";
import { givenOptions } from "../../src/cli/forecast-options.js";
import { TINY, seasonalTable, tableCsv, weekLabel } from "../forecast/transformer/helpers.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "spreadlab.js");
const work = mkdtempSync(join(tmpdir(), "spreadlab-forecast-cli-"));
const at = (name: string) => join(work, name);
const BASE = at("base");
const TUNED = at("out/forecaster-tiny"); // finetune's default --out, relative to the working folder
const table = seasonalTable(120);

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `spreadlab forecast …` in the temporary folder (asynchronously, so the error cases can run side by side). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "forecast", ...args], { cwd: work, env: { ...process.env, SPREADLAB_TF_BACKEND: "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => void (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Expects exit code 2 and one `spreadlab: …` line on stderr matching `pattern`; stdout empty. */
async function invalid(run: Promise<Ran>, pattern: RegExp, expect: ExpectStatic = globalExpect): Promise<void> {
  const r = await run;
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(pattern);
}

function csv(name: string, text: string): string {
  writeFileSync(at(name), text);
  return name;
}

let base: CheckpointManifest;

beforeAll(async () => {
  if (!existsSync(join(root, "dist", "src", "cli", "main.js"))) throw new Error("dist/ is missing: the vitest global setup should have built it.");
  await initTf();
  base = await saveCheckpoint(buildModel(TINY, 1), BASE, { kind: "pretrained", config: TINY, scaling: scalingInfo(), seed: 1, backend: "wasm", provenance: { test: true }, training: [] });
  csv("tiny.csv", tableCsv(table));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("forecast finetune", () => {
  it("fine-tunes the base on every region, prints epochs on stderr and a summary on stdout, writes out/forecaster-<name>", async () => {
    const r = await cli(["finetune", "--data", "tiny.csv", "--base", "base", "--epochs", "1", "--seed", "3"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^tfjs backend: (wasm|tensorflow)/);
    expect(r.stderr).toContain("fine-tune head epoch 1/1: loss ");
    expect(r.stderr).toContain("fine-tune all epoch 1/1: loss ");
    expect(r.stdout).toContain("on tiny: 2 regions (north, south), rows [0, 120), strategy both");
    expect(r.stdout).toContain("out/forecaster-tiny: 2844 parameters");
    const m = JSON.parse(readFileSync(join(TUNED, "manifest.json"), "utf8")) as CheckpointManifest;
    expect(m.kind).toBe("finetuned");
    expect(m.seed).toBe(3);
    // The spread calibrated on the early-stopping weeks is measured and reported, not applied (fit.ts).
    expect(m.config).toEqual({ ...TINY, spread: 1 });
    expect(m.provenance).toMatchObject({ data: "tiny.csv", regions: ["north", "south"], rows: 120, strategy: "both" });
    expect(m.provenance.calibration.applied).toBe(false);
    expect(m.base).toEqual({ kind: "pretrained", createdAt: base.createdAt, weightsSha256: base.weightsSha256 });
    expect(m.training).toHaveLength(2);
    expect(m.weightsSha256).not.toBe(base.weightsSha256);
  });

  it("--calibrate applies the spread chosen on the early-stopping weeks (and --learning-rate is accepted)", async () => {
    const out = join(work, "calibrated");
    const r = await cli(["finetune", "--data", "tiny.csv", "--base", "base", "--epochs", "1", "--strategy", "head", "--calibrate", "--learning-rate", "1e-2", "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as CheckpointManifest & { provenance: { calibration: { spread: number; applied: boolean; loss: number; lossAt1: number } } };
    const c = m.provenance.calibration;
    expect(c.applied).toBe(true);
    expect(m.config.spread).toBe(c.spread);
    expect(c.spread).toBeGreaterThanOrEqual(0.5);
    expect(c.spread).toBeLessThanOrEqual(2);
    // The chosen spread is the grid's best on validation: never worse than no recalibration.
    expect(c.loss).toBeLessThanOrEqual(c.lossAt1);
  });

  it("without --epochs (or --seed, --regions, --strategy), the defaults hold: it trains up to FIT_DEFAULTS.epochs epochs, not zero (issue 11.6)", async () => {
    const out = join(work, "default-epochs");
    const r = await cli(["finetune", "--data", "tiny.csv", "--base", "base", "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    // Before the fix commander's { epochs: undefined } replaced the default: "0 epochs" and the base weights saved.
    expect(r.stderr).toContain(`fine-tune head epoch 1/${FIT_DEFAULTS.epochs}: loss `);
    expect(r.stdout).not.toMatch(/: 0 epochs/);
    expect(r.stdout).toContain("on tiny: 2 regions (north, south), rows [0, 120), strategy both");
    const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as CheckpointManifest & { training: { epochs: number }[] };
    expect(m.seed).toBe(0);
    expect(m.training).toHaveLength(2);
    for (const t of m.training) {
      expect(t.epochs).toBeGreaterThanOrEqual(1);
      expect(t.epochs).toBeLessThanOrEqual(FIT_DEFAULTS.epochs);
    }
  });
});

describe("forecast predict", () => {
  it("prints an aligned table: per horizon the target week, median, 50% and 95% intervals", async () => {
    const r = await cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "south"]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toContain(`south: forecast from row 119 (${weekLabel(table, 119)})`);
    expect(lines[1]).toMatch(/^h\s+week\s+median\s+50% interval\s+95% interval$/);
    expect(lines).toHaveLength(2 + TINY.horizon);
    expect(new Set(lines.slice(1).map((l) => l.length)).size).toBe(1); // aligned columns
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/)[1])).toEqual(["2018-W04", "2018-W05", "2018-W06", "2018-W07"]);
    expect(weekLabel(table, 119)).toBe("2018-W03");
  });

  it("--as-of a week, --json: prints { region, asOf, levels, horizons, quantiles, median }", async () => {
    const r = await cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "north", "--as-of", "2017-W20", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as { region: string; asOf: { index: number; label: string }; levels: number[]; horizons: number[]; quantiles: number[][]; median: number[] };
    expect(Object.keys(p)).toEqual(["region", "asOf", "levels", "horizons", "quantiles", "median", "method"]);
    expect((p as unknown as { method: string }).method).toBe("model");
    expect(p.region).toBe("north");
    expect(p.asOf).toEqual({ index: 84, label: "2017-W20" });
    expect(weekLabel(table, 84)).toBe("2017-W20");
    expect(p.levels).toEqual(TINY.levels);
    expect(p.horizons).toEqual([1, 2, 3, 4]);
    expect(p.quantiles).toHaveLength(4);
    p.quantiles.forEach((q, i) => {
      expect(q).toHaveLength(23);
      q.forEach((v, l) => expect(v).toBeGreaterThanOrEqual(l === 0 ? 0 : q[l - 1]));
      expect(p.median[i]).toBe(q[11]);
    });
  });
});

describe("forecast predict --method", () => {
  it("without --model: auto, the method chosen on validation rows up to --as-of, reported in --json and on stderr; rows after --as-of are not read", { timeout: 600_000 }, async () => {
    const args = ["predict", "--base", "base", "--data", "tiny.csv", "--region", "north", "--as-of", "110", "--epochs", "1", "--json"];
    const r = await cli(args);
    expect(r.status, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as { method: string; quantiles: number[][]; selection: { method: string; reason: string; rows: unknown; validationWis: Record<string, number> } };
    expect(p.selection.method).toBe(p.method);
    expect(p.selection.rows).toEqual({ origin: 110, trainEnd: 55, validEnd: 77 });
    expect(Object.keys(p.selection.validationWis).sort()).toEqual(["ensemble", "hub-baseline", "transformer", "transformer-scratch", "transformer-zero-shot"]);
    expect(p.selection.validationWis[p.method]).toBe(Math.min(...Object.values(p.selection.validationWis)));
    expect(r.stderr).toContain(`selected ${p.method}: lowest mean WIS over horizons 1, 2, 3, 4 on the validation rows [55, 77)`);
    expect(p.quantiles).toHaveLength(TINY.horizon);
    // The same command on the table with every row after 110 poisoned: the same choice and forecast.
    const poisoned = { ...table, values: table.values.map((v) => v.map((x, t) => (t > 110 ? 1e6 + t : x))) };
    csv("poisoned.csv", tableCsv(poisoned));
    const q = await cli(args.map((a) => (a === "tiny.csv" ? "poisoned.csv" : a)));
    expect(q.status, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual(p);
  });

  it("an explicit method is served without a selection; --model with --method, or an unknown method, is exit 2", { timeout: 600_000 }, async () => {
    const r = await cli(["predict", "--base", "base", "--data", "tiny.csv", "--region", "north", "--method", "transformer-zero-shot", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const z = JSON.parse(r.stdout) as { method: string; selection?: unknown; quantiles: number[][] };
    expect(z.method).toBe("transformer-zero-shot");
    expect(z.selection).toBeUndefined();
    const m = JSON.parse((await cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "north", "--json"])).stdout) as { quantiles: number[][] };
    expect(z.quantiles).toEqual(m.quantiles); // the base checkpoint as is
    const both = await cli(["predict", "--model", "base", "--method", "auto", "--data", "tiny.csv", "--region", "north"]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--model and --method: give one/);
    const unknown = await cli(["predict", "--method", "arima", "--data", "tiny.csv", "--region", "north"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--method: expected one of auto, transformer/);
  });
});

describe("forecast evaluate", () => {
  it("--json: { dataset, protocol, horizons, methods: { name: { rmse, mae, pcc, wis, coverage50, coverage95 } }, validation, selected } plus the split and training reports", async () => {
    const r = await cli(["evaluate", "--data", "tiny.csv", "--protocol", "colagnn", "--base", "base", "--horizons", "4,2", "--epochs", "1", "--no-transfer", "--hub-samples", "50", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("fine-tuning the pretrained transformer");
    // The bundled cross-region checkpoint belongs to the bundled base, not to this one: skipped, and said so.
    expect(r.stderr).toContain("cross-region transformer skipped: ");
    const e = JSON.parse(r.stdout);
    expect(e.dataset).toBe("tiny");
    expect(e.protocol).toBe("colagnn");
    expect(e.horizons).toEqual([2, 4]);
    expect(Object.keys(e.methods)).toEqual(["transformer", "transformer-scratch", "transformer-zero-shot", "persistence", "seasonal-naive", "ridge", "hub-baseline", "ensemble"]);
    for (const [name, scores] of Object.entries(e.methods as Record<string, Record<string, (number | null)[]>>)) {
      expect(Object.keys(scores).sort()).toEqual(["coverage50", "coverage95", "mae", "pcc", "rmse", "wis"]);
      for (const values of Object.values(scores)) expect(values).toHaveLength(2);
      const quantile = name.startsWith("transformer") || name === "hub-baseline" || name === "ensemble";
      for (const v of [...scores.wis, ...scores.coverage50, ...scores.coverage95]) expect(v === null).toBe(!quantile);
      for (const v of scores.rmse) expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(e.split).toEqual({ rows: 120, trainEnd: 60, validEnd: 84 });
    // Validation scores beside the test scores, and the method selected on them.
    expect(Object.keys(e.validation)).toEqual(Object.keys(e.methods));
    expect(Object.keys(e.selected)).toEqual(["method", "validationWis", "reason"]);
    expect(["transformer", "transformer-scratch", "transformer-zero-shot", "hub-baseline", "ensemble"]).toContain(e.selected.method);
    // The validation-weighted ensemble of the quantile candidates, and a selection never worse on validation than any of them.
    expect(e.ensemble.candidates).toEqual(["transformer", "transformer-scratch", "transformer-zero-shot", "hub-baseline"]);
    for (const m of [...e.ensemble.candidates, "ensemble"]) expect(e.selected.validationWis).toBeLessThanOrEqual((e.validation[m].wis[0] + e.validation[m].wis[1]) / 2);
    expect(e.selected.validationWis).toBe((e.validation[e.selected.method].wis[0] + e.validation[e.selected.method].wis[1]) / 2);
    expect(r.stderr).toContain(`selected on validation: ${e.selected.method}`);
    expect(e.context).toBe(16);
    expect(e.transfer).toBeNull();
    expect(Object.keys(e.training)).toEqual(["transformer", "transformer-scratch"]);
  });

  it("the transfer block: fine-tuned against from scratch on the same cut history, both early-stopped on the validation rows, scratch at phases × E epochs", async () => {
    const r = await cli(["evaluate", "--data", "tiny.csv", "--base", "base", "--horizons", "2", "--epochs", "1", "--no-spatial", "--hub-samples", "50", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout);
    // tiny.csv: 120 rows, training rows [0, 60): the 104-week cut keeps all 60.
    expect(e.transfer.weeks).toBe(60);
    expect(e.transfer.unit).toBe("weeks");
    expect(e.transfer.earlyStoppingRows).toEqual([60, 84]);
    expect(e.training["transfer-finetuned"].map((p: { phase: string }) => p.phase)).toEqual(["fine-tune head", "fine-tune all"]);
    // Strategy both: two phases of at most 1 epoch, so the network from scratch gets 2 (patience 4 lets both run).
    expect(e.training["transfer-scratch"].map((p: { epochs: number }) => p.epochs)).toEqual([2]);
    expect(e.transfer.gain).toBeCloseTo(1 - e.transfer.finetuned.meanWis / e.transfer.scratch.meanWis, 12);
    expect(r.stderr).toContain("transfer: training histories cut to their last 104 weeks, fine-tuned against from scratch (both early-stopped on the validation rows)");
  });

  it("without --epochs or --hub-samples the defaults hold: every training phase runs up to FIT_DEFAULTS.epochs epochs (issue 11.6)", async () => {
    const r = await cli(["evaluate", "--data", "tiny.csv", "--base", "base", "--horizons", "2", "--no-transfer", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    for (const phase of ["fine-tune head", "fine-tune all", "train from scratch"]) expect(r.stderr).toContain(`${phase} epoch 1/${FIT_DEFAULTS.epochs}: loss `);
    const e = JSON.parse(r.stdout) as { training: Record<string, { epochs: number }[]> };
    for (const t of Object.values(e.training).flat()) expect(t.epochs).toBeGreaterThanOrEqual(1);
  });

  it("--protocol other, or horizons beyond the model's, are refused (exit 2)", async () => {
    await invalid(cli(["evaluate", "--data", "tiny.csv", "--protocol", "other"]), /--protocol: unknown protocol "other"; the only one is colagnn/);
    await invalid(cli(["evaluate", "--data", "tiny.csv", "--base", "base", "--horizons", "2,5"]), /--horizons: 5 is beyond the model's 4 weeks; choose horizons 1…4/);
    await invalid(cli(["finetune", "--data", "tiny.csv", "--base", "base", "--learning-rate", "-1"]), /--learning-rate: expected a positive number such as 2e-4, got "-1"/);
    await invalid(cli(["evaluate", "--data", "tiny.csv", "--full-learning-rate", "fast"]), /--full-learning-rate: expected a positive number/);
  });
});

describe("forecast pretrain-spatial and the cross-region transformer in evaluate", () => {
  it("pretrains from --base, then evaluate adds transformer-spatial (fine-tuned) and transformer-spatial-zero-shot, with --adjacency", async () => {
    const p = await cli(["pretrain-spatial", "--base", "base", "--sets", "4", "--weeks", "60", "--epochs", "1", "--snapshots-per-epoch", "8", "--seed", "2", "--out", "spatial"]);
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toContain("spatial corpus: 4 region sets × 60 weeks, seed 2");
    expect(p.stdout).toMatch(/cross-region pretraining on 3 simulated region sets \(\d+ regions in all, 1 sets held out\) × 60 weeks, seed 2/);
    const m = JSON.parse(readFileSync(join(work, "spatial", "manifest.json"), "utf8")) as CheckpointManifest;
    expect(m.kind).toBe("spatial-pretrained");
    expect(m.provenance.trainable).toBe("all"); // the default
    expect(m.base).toEqual({ kind: "pretrained", createdAt: base.createdAt, weightsSha256: base.weightsSha256 });
    expect(m.provenance.command).toBe("spreadlab forecast pretrain-spatial --base base --sets 4 --weeks 60 --epochs 1 --snapshots-per-epoch 8 --seed 2 --trainable all --network-share 0 --southern-share 0.1 --tropical-share 0.1 --out spatial");
    writeFileSync(at("adjacency.csv"), "source,target,weight\nnorth,south,2\n");
    const r = await cli(["evaluate", "--data", "tiny.csv", "--base", "base", "--spatial-model", "spatial", "--adjacency", "adjacency.csv", "--horizons", "2", "--epochs", "1", "--no-transfer", "--hub-samples", "50", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("fine-tuned on the 2 regions together (with their adjacency)");
    const e = JSON.parse(r.stdout);
    expect(Object.keys(e.methods)).toEqual(["transformer", "transformer-scratch", "transformer-zero-shot", "transformer-spatial", "transformer-spatial-zero-shot", "persistence", "seasonal-naive", "ridge", "hub-baseline", "ensemble"]);
    expect(e.ensemble.candidates).toContain("transformer-spatial");
    expect(e.training["transformer-spatial"].map((t: { phase: string }) => t.phase)).toEqual(["cross-region fine-tune head", "cross-region fine-tune all"]);
  });

  it("predict --region all: every region from one origin, the method chosen once on the table's validation rows among evaluate's candidates, the cross-region ones included; rows after --as-of are not read", { timeout: 600_000 }, async () => {
    const args = ["predict", "--base", "base", "--spatial-model", "spatial", "--adjacency", "adjacency.csv", "--data", "tiny.csv", "--region", "all", "--as-of", "110", "--epochs", "1", "--json"];
    const r = await cli(args);
    expect(r.status, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as { method: string; asOf: { index: number }; horizons: number[]; selection: { method: string; rows: unknown; validationWis: Record<string, number> }; regions: { region: string; quantiles: number[][]; median: number[] }[] };
    expect(p.asOf.index).toBe(110);
    expect(p.horizons).toEqual([1, 2, 3, 4]);
    expect(p.regions.map((x) => x.region)).toEqual(["north", "south"]);
    expect(p.selection.method).toBe(p.method);
    expect(p.selection.rows).toEqual({ origin: 110, trainEnd: 55, validEnd: 77 });
    expect(Object.keys(p.selection.validationWis).sort()).toEqual(["ensemble", "hub-baseline", "transformer", "transformer-scratch", "transformer-spatial", "transformer-spatial-zero-shot", "transformer-zero-shot"]);
    expect(p.selection.validationWis[p.method]).toBe(Math.min(...Object.values(p.selection.validationWis)));
    expect(r.stderr).toContain(`selected ${p.method} for all 2 regions: lowest mean WIS over horizons 1, 2, 3, 4 on the validation rows [55, 77)`);
    for (const x of p.regions) {
      expect(x.quantiles).toHaveLength(4);
      for (const q of x.quantiles) expect(q).toHaveLength(23);
      expect(x.median).toEqual(x.quantiles.map((q) => q[11]));
    }
    const poisoned = { ...table, values: table.values.map((v) => v.map((x, t) => (t > 110 ? 1e6 + t : x))) };
    csv("poisoned-all.csv", tableCsv(poisoned));
    const q = await cli(args.map((a) => (a === "tiny.csv" ? "poisoned-all.csv" : a)));
    expect(q.status, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual(p);
    // --model: each region as the single-region command forecasts it; the text output is one block per region.
    const all = await cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "all", "--json"]);
    const south = await cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "south", "--json"]);
    expect((JSON.parse(all.stdout) as typeof p).regions[1].quantiles).toEqual((JSON.parse(south.stdout) as { quantiles: number[][] }).quantiles);
    const text = await cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "all"]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^north: forecast from row 119 \(2018-W03\)/m);
    expect(text.stdout).toMatch(/^south: forecast from row 119 \(2018-W03\)/m);
    await invalid(cli(["predict", "--method", "transformer-spatial", "--data", "tiny.csv", "--region", "north"]), /--method transformer-spatial forecasts all regions together: use it with --region all/);
    // --hub-csv: the hubs' long format, one line per region × horizon × level, the JSON's numbers (10 significant digits).
    const hub = await cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "all", "--hub-csv"]);
    expect(hub.status, hub.stderr).toBe(0);
    const lines = hub.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("location,target,horizon,quantile,value");
    expect(lines).toHaveLength(1 + 2 * 4 * 23);
    const json = JSON.parse(all.stdout) as typeof p;
    const [location, target, horizon, level, value] = lines[1 + 23 * 4 + 23 * 2 + 5].split(","); // south, horizon 3, the 6th level
    expect([location, target, horizon, level]).toEqual(["south", "2018-W06", "3", "0.2"]);
    expect(Number(value)).toBeCloseTo(json.regions[1].quantiles[2][5], 6);
    const single = await cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "south", "--hub-csv"]);
    expect(single.stdout.trimEnd().split("\n")).toEqual([lines[0], ...lines.slice(1 + 23 * 4)]);
    await invalid(cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "south", "--hub-csv", "--json"]), /--json and --hub-csv: give one/);
  });

  it("bad cross-region inputs are refused (exit 2): an unknown region in --adjacency, a univariate --spatial-model", async () => {
    writeFileSync(at("bad-adjacency.csv"), "source,target\nnorth,west\n");
    await invalid(cli(["evaluate", "--data", "tiny.csv", "--base", "base", "--spatial-model", "base", "--adjacency", "bad-adjacency.csv", "--horizons", "2"]), /bad-adjacency\.csv:2: unknown region "west"/);
    await invalid(cli(["evaluate", "--data", "tiny.csv", "--base", "base", "--spatial-model", "base", "--horizons", "2"]), /base: not a cross-region checkpoint \(kind "pretrained"\)/);
    await invalid(cli(["pretrain-spatial", "--base", "base", "--trainable", "encoder"]), /--trainable: expected one of cross-region, cross-region\+head, all/);
  });
});

describe("--negative clip", () => {
  it("predict on a table with a negative correction: exit 0, the value clipped to 0 with one warning on stderr", async () => {
    const corrected = seasonalTable(120);
    corrected.values[0][60] = -12;
    csv("corrected.csv", tableCsv(corrected));
    const r = await cli(["predict", "--model", "base", "--data", "corrected.csv", "--region", "north", "--negative", "clip", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: corrected.csv: region "north": 1 negative value clipped to 0 (first on line 62: -12)');
    // The forecast equals the one from the same table with 0 written in place of the correction.
    corrected.values[0][60] = 0;
    csv("zeroed.csv", tableCsv(corrected));
    const z = await cli(["predict", "--model", "base", "--data", "zeroed.csv", "--region", "north", "--json"]);
    expect(z.status, z.stderr).toBe(0);
    expect(JSON.parse(r.stdout).quantiles).toEqual(JSON.parse(z.stdout).quantiles);
    expect(z.stderr).not.toContain("warning");
  });
});

describe("a headerless matrix (the Cola-GNN benchmark's .txt files)", () => {
  it("predict reads it: regions are column numbers, rows have no times (targets are row numbers, no calendar features)", async () => {
    const table = seasonalTable(120);
    csv("matrix.txt", Array.from({ length: table.rows }, (_, t) => table.values.map((v) => v[t]).join(",")).join("\n") + "\n");
    const r = await cli(["predict", "--model", "base", "--data", "matrix.txt", "--region", "2", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as { region: string; asOf: { index: number; label: string | null }; quantiles: number[][] };
    expect(p.region).toBe("2");
    expect(p.asOf).toEqual({ index: 119, label: null });
    // The same values with dates read calendar features: a different forecast from the same network.
    const dated = await cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "south", "--json"]);
    expect(dated.status, dated.stderr).toBe(0);
    expect(p.quantiles).not.toEqual(JSON.parse(dated.stdout).quantiles);
    await invalid(cli(["predict", "--model", "base", "--data", "matrix.txt", "--region", "south"]), /no region "south" \(columns: 1, 2\)/);
  });
});

describe("--frequency", () => {
  const dailyCsv = (rows: number, skip = -1) => {
    const lines = ["date,a"];
    for (let t = 0; t < rows; t++) if (t !== skip) lines.push(`${new Date(Date.UTC(2021, 0, 1 + t)).toISOString().slice(0, 10)},${20 + (t % 7) * 3}`);
    return lines.join("\n") + "\n";
  };

  it("daily dates are read as daily (target dates a day apart); irregular dates are refused unless forced", async () => {
    csv("daily.csv", dailyCsv(60));
    const r = await cli(["predict", "--model", "base", "--data", "daily.csv", "--region", "a"]);
    expect(r.status, r.stderr).toBe(0);
    // Last row 2021-03-01: horizons 1…4 are 2021-03-02 … 2021-03-05, not 7 days apart.
    expect(r.stdout).toMatch(/\n *1 +2021-03-02 /);
    expect(r.stdout).toMatch(/\n *4 +2021-03-05 /);
    csv("gappy-dates.csv", dailyCsv(60, 30));
    await invalid(cli(["predict", "--model", "base", "--data", "gappy-dates.csv", "--region", "a"]), /gappy-dates\.csv: the dates are neither weekly .* 2021-02-01 follows 2021-01-30 by 2 days, the rows before by 1; .*--frequency weekly\|daily/);
    const forced = await cli(["predict", "--model", "base", "--data", "gappy-dates.csv", "--region", "a", "--frequency", "daily", "--json"]);
    expect(forced.status, forced.stderr).toBe(0);
    await invalid(cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "north", "--frequency", "daily"]), /frequency daily does not fit a year,week table/);
    await invalid(cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "north", "--frequency", "monthly"]), /--frequency: expected weekly or daily, got "monthly"/);
  });
});

describe("the checkpoint a table starts from", () => {
  const dated = (rows: number, step: number) =>
    ["date,a", ...Array.from({ length: rows }, (_, t) => `${new Date(Date.UTC(2021, 0, 1 + step * t)).toISOString().slice(0, 10)},${40 + ((t * 7) % 11)}`)].join("\n") + "\n";

  it("daily rows start from the bundled daily checkpoint, weekly rows from the weekly one (said on stderr)", async () => {
    csv("daily-bundled.csv", dated(120, 1));
    const d = await cli(["predict", "--method", "transformer-zero-shot", "--data", "daily-bundled.csv", "--region", "a", "--json"]);
    expect(d.status, d.stderr).toBe(0);
    expect(d.stderr).toMatch(/daily rows: starting from the daily checkpoint .*models[\\/]daily-pretrained/);
    csv("weekly-bundled.csv", dated(120, 7));
    const w = await cli(["predict", "--method", "transformer-zero-shot", "--data", "weekly-bundled.csv", "--region", "a", "--json"]);
    expect(w.status, w.stderr).toBe(0);
    expect(w.stderr).not.toContain("daily rows");
    // The same values read as days or as weeks: two networks, two forecasts.
    const forced = await cli(["predict", "--method", "transformer-zero-shot", "--data", "weekly-bundled.csv", "--region", "a", "--frequency", "daily", "--json"]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stderr).toContain("daily rows: starting from the daily checkpoint");
    expect(JSON.parse(forced.stdout).median).not.toEqual(JSON.parse(w.stdout).median);
  });
});

describe.concurrent("bad data: exit 2 and a message that says what is wrong", () => {
  it("no numeric columns", async ({ expect }) => {
    csv("no-columns.csv", "year,week\n2015,40\n2015,41\n");
    await invalid(cli(["finetune", "--data", "no-columns.csv", "--base", "base"]), /no-columns\.csv:1: no numeric columns: the header has only year,week/, expect);
  });

  it("negative counts, duplicate weeks", async ({ expect }) => {
    csv("negative.csv", "year,week,a\n2015,40,3\n2015,41,-3\n2015,42,4\n");
    await invalid(cli(["predict", "--model", "base", "--data", "negative.csv", "--region", "a"]), /negative\.csv:3: region "a": negative count -3/, expect);
    await invalid(cli(["predict", "--model", "base", "--data", "negative.csv", "--region", "a", "--negative", "drop"]), /--negative: expected error .* or clip/, expect);
    csv("duplicate.csv", "year,week,a\n2015,40,3\n2015,41,4\n2015,41,5\n");
    await invalid(cli(["predict", "--model", "base", "--data", "duplicate.csv", "--region", "a"]), /duplicate\.csv:4: duplicate week 2015-W41 \(also on line 3\)/, expect);
  });

  it("too short for the evaluation window (checked before loading a model)", async ({ expect }) => {
    csv("short.csv", tableCsv(seasonalTable(40)));
    await invalid(cli(["evaluate", "--data", "short.csv", "--base", "base", "--horizons", "2"]), /short\.csv: a series of 40 rows is too short for window 20 and horizon 2/, expect);
  });

  it("an unknown region, with did-you-mean", async ({ expect }) => {
    await invalid(cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "nort"]), /tiny\.csv: no region "nort" \(columns: north, south\)\. Did you mean "north"\?/, expect);
  });

  it("missing values under the evaluation protocol; a week not in the table", async ({ expect }) => {
    const gappy = seasonalTable(120);
    gappy.values[0][23] = NaN;
    csv("gap.csv", tableCsv(gappy));
    await invalid(cli(["evaluate", "--data", "gap.csv", "--base", "base"]), /gap\.csv: region "north" has no value at row 23 \(2016-W11\); the evaluation protocol needs complete series/, expect);
    await invalid(cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "north", "--as-of", "2030-W01"]), /--as-of 2030-W01: no such week in the table \(2015-W40 … 2018-W03\)/, expect);
  });

  it("an unknown dataset id, a missing file, a missing checkpoint", async ({ expect }) => {
    await invalid(cli(["predict", "--model", "base", "--data", "region78", "--region", "a"]), /--data region78: not a file, and unknown dataset "region78"; choices are: region785/, expect);
    await invalid(cli(["predict", "--model", "base", "--data", "nowhere.csv", "--region", "a"]), /--data nowhere\.csv: no such file/, expect);
    await invalid(cli(["predict", "--model", "nowhere", "--data", "tiny.csv", "--region", "north"]), /nowhere[/\\]manifest\.json: cannot read the manifest \(is this a checkpoint folder/, expect);
  });

  it("an unknown SPREADLAB_TF_BACKEND", async ({ expect }) => {
    await invalid(cli(["predict", "--model", "base", "--data", "tiny.csv", "--region", "north"], { SPREADLAB_TF_BACKEND: "gpu" }), /SPREADLAB_TF_BACKEND=gpu: expected one of tensorflow, wasm, cpu/, expect);
  });
});

describe("forecast pretrain", () => {
  it("pretrains on a tiny corpus and saves a checkpoint whose manifest records the full command", async () => {
    const r = await cli(["pretrain", "--series", "4", "--weeks", "60", "--epochs", "1", "--samples-per-epoch", "32", "--seed", "2", "--southern-share", "0.5", "--tropical-share", "0", "--out", "pre"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("corpus: 4 series × 60 weeks, seed 2, 0.5 southern and 0 tropical");
    expect(r.stdout).toContain("pretrained on 3 synthetic series × 60 weeks (1 held out), seed 2");
    const m = JSON.parse(readFileSync(at("pre/manifest.json"), "utf8")) as CheckpointManifest & { provenance: { command: string; corpus: { series: number; climate: unknown } } };
    expect(m.kind).toBe("pretrained");
    expect(m.seed).toBe(2);
    expect(m.provenance.command).toBe("spreadlab forecast pretrain --series 4 --weeks 60 --epochs 1 --samples-per-epoch 32 --seed 2 --southern-share 0.5 --tropical-share 0 --out pre");
    expect(m.provenance.corpus.series).toBe(4);
    expect(m.provenance.corpus.climate).toEqual({ southern: 0.5, tropical: 0 });
    expect(m.training).toHaveLength(1);
  });

  it("a flag left out keeps its default: no --seed records PRETRAIN_DEFAULTS.seed in the command and the manifest", async () => {
    const r = await cli(["pretrain", "--series", "4", "--weeks", "60", "--epochs", "1", "--samples-per-epoch", "32", "--out", "pre-default-seed"]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(at("pre-default-seed/manifest.json"), "utf8")) as CheckpointManifest & { provenance: { command: string } };
    expect(m.seed).toBe(PRETRAIN_DEFAULTS.seed);
    const mix = DEFAULT_CLIMATE_MIX;
    expect(m.provenance.command).toBe(`spreadlab forecast pretrain --series 4 --weeks 60 --epochs 1 --samples-per-epoch 32 --seed ${PRETRAIN_DEFAULTS.seed} --southern-share ${mix.southern} --tropical-share ${mix.tropical} --out pre-default-seed`);
  });

  it("--frequency daily pretrains on the daily corpus: the manifest says daily and records --days; --weeks and --days do not mix up", async () => {
    const r = await cli(["pretrain", "--frequency", "daily", "--series", "4", "--days", "200", "--epochs", "1", "--samples-per-epoch", "32", "--seed", "2", "--out", "pre-daily"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("corpus: 4 series × 200 days (daily), seed 2");
    expect(r.stdout).toContain("pretrained on 3 synthetic series × 200 days (1 held out), seed 2");
    const m = JSON.parse(readFileSync(at("pre-daily/manifest.json"), "utf8")) as CheckpointManifest & { provenance: { command: string; corpus: { generator: string; days: number } } };
    expect(m.frequency).toBe("daily");
    expect(m.provenance.corpus.generator).toBe("spreadlab src/forecast/corpus-daily.ts");
    expect(m.provenance.corpus.days).toBe(200);
    const mix = DEFAULT_CLIMATE_MIX;
    expect(m.provenance.command).toBe(`spreadlab forecast pretrain --series 4 --frequency daily --days 200 --epochs 1 --samples-per-epoch 32 --seed 2 --southern-share ${mix.southern} --tropical-share ${mix.tropical} --out pre-daily`);
    // A network fine-tuned from it stays a daily one.
    csv("daily-finetune.csv", ["date,a", ...Array.from({ length: 80 }, (_, t) => `${new Date(Date.UTC(2021, 0, 1 + t)).toISOString().slice(0, 10)},${30 + ((t * 5) % 13)}`)].join("\n") + "\n");
    const f = await cli(["finetune", "--data", "daily-finetune.csv", "--base", "pre-daily", "--epochs", "1", "--out", "ft-daily"]);
    expect(f.status, f.stderr).toBe(0);
    expect((JSON.parse(readFileSync(at("ft-daily/manifest.json"), "utf8")) as CheckpointManifest).frequency).toBe("daily");
    await invalid(cli(["pretrain", "--frequency", "daily", "--weeks", "60", "--out", "bad-daily"]), /--weeks: the daily corpus' length is given in days \(--days\)/);
    await invalid(cli(["pretrain", "--days", "200", "--out", "bad-daily"]), /--days: only for the daily corpus \(--frequency daily\)/);
    await invalid(cli(["pretrain", "--frequency", "hourly", "--out", "bad-daily"]), /--frequency: expected weekly or daily, got "hourly"/);
    expect(existsSync(at("bad-daily"))).toBe(false);
  });

  it("climate shares outside [0, 1], or summing above 1, are exit 2 before any work", async () => {
    await invalid(cli(["pretrain", "--series", "4", "--southern-share", "1.5", "--out", "bad-share"]), /--southern-share: expected a number in \[0, 1\] such as 0\.2, got "1\.5"/);
    await invalid(cli(["pretrain", "--series", "4", "--southern-share", "0.7", "--tropical-share", "0.6", "--out", "bad-share"]), /--southern-share and --tropical-share: the southern and tropical shares must be in \[0, 1\] with a sum ≤ 1, got 0\.7 and 0\.6/);
    expect(existsSync(at("bad-share"))).toBe(false);
  });
});

describe("givenOptions", () => {
  it("drops the keys commander leaves undefined and keeps every given value, falsy ones included", () => {
    const given = givenOptions({ epochs: undefined, seed: 0, calibrate: false, until: 5, regions: "all" as const });
    expect(given).toEqual({ seed: 0, calibrate: false, until: 5, regions: "all" });
    expect("epochs" in given).toBe(false);
    expect({ ...FIT_DEFAULTS, ...givenOptions({ epochs: undefined }) }.epochs).toBe(FIT_DEFAULTS.epochs);
  });
});
