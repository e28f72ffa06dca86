/**
 * Checkpoints (checkpoint.ts): a saved and reloaded model predicts exactly what the original did; the
 * manifest carries what it says it does; a corrupted or incomplete folder is a CheckpointError that names
 * the file; saving over a checkpoint replaces it whole and leaves no temporary folders behind.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initTf, type tf } from "../../../src/forecast/transformer/backend.js";
import { CHECKPOINT_FORMAT, loadCheckpoint, saveCheckpoint, scalingInfo, type CheckpointManifest } from "../../../src/forecast/transformer/checkpoint.js";
import { predictQuantiles, seriesFromTable } from "../../../src/forecast/transformer/forecaster.js";
import { buildModel, type TransformerConfig } from "../../../src/forecast/transformer/model.js";
import { TINY, sameBits, seasonalTable, weightsByName } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "spreadlab-checkpoint-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  await initTf();
});

function manifestFor(config: TransformerConfig, extra: Partial<CheckpointManifest> = {}) {
  return { kind: "scratch", config, scaling: scalingInfo(), seed: 9, backend: "wasm", provenance: { data: "test" }, training: [], ...extra };
}

/** CheckpointError expected; returns its message. */
async function checkpointError(dir: string): Promise<string> {
  try {
    await loadCheckpoint(dir);
  } catch (e) {
    expect((e as Error).name).toBe("CheckpointError");
    return (e as Error).message;
  }
  throw new Error("expected a CheckpointError");
}

const table = seasonalTable(100);
const series = seriesFromTable(table);
const picks = [0, 1].flatMap((s) => [10, 40, 70, 99].map((origin) => ({ series: s, origin })));

function predictions(model: tf.LayersModel): number[] {
  return predictQuantiles(model, TINY, series, picks).flatMap((rows) => rows.flatMap((q) => Array.from(q)));
}

describe("saveCheckpoint / loadCheckpoint", () => {
  it("round trip: identical weights and exactly identical predictions; the manifest's fields", async () => {
    const model = buildModel(TINY, 21);
    const dir = join(work, "round-trip");
    const saved = await saveCheckpoint(model, dir, manifestFor(TINY, { evaluation: { wis: [1, 2] } }));
    expect(readdirSync(dir).sort()).toEqual(["manifest.json", "model.json", "weights.bin"]);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.dir).toBe(dir);
    const a = weightsByName(model);
    const b = weightsByName(loaded.model);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(sameBits(v, b.get(k)!)).toBe(true);
    const before = predictions(model);
    const after = predictions(loaded.model);
    expect(after.length).toBe(picks.length * TINY.horizon * TINY.levels.length);
    expect(after.every((v, i) => Object.is(v, before[i]))).toBe(true);

    const m = loaded.manifest;
    expect(m).toEqual(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")));
    expect(m.format).toBe(CHECKPOINT_FORMAT);
    expect(m.kind).toBe("scratch");
    expect(m.config).toEqual(TINY);
    expect(m.scaling).toEqual({ method: "window-mean", rows: 52, description: expect.any(String) });
    expect(m.seed).toBe(9);
    expect(m.backend).toBe("wasm");
    expect(m.provenance).toEqual({ data: "test" });
    expect(m.evaluation).toEqual({ wis: [1, 2] });
    expect(m.parameters).toBe(model.countParams());
    expect(Date.parse(m.createdAt)).not.toBeNaN();
    expect(m.weightsSha256).toBe(createHash("sha256").update(readFileSync(join(dir, "weights.bin"))).digest("hex"));
    expect(readFileSync(join(dir, "weights.bin")).byteLength).toBe(4 * m.parameters);
    expect(saved).toEqual(m);
    model.dispose();
    loaded.model.dispose();
  });

  it("a weights file that does not match the manifest's SHA-256 is a CheckpointError", async () => {
    const dir = join(work, "corrupt");
    await saveCheckpoint(buildModel(TINY, 1), dir, manifestFor(TINY));
    const weights = readFileSync(join(dir, "weights.bin"));
    weights[17] ^= 0x01; // one bit
    writeFileSync(join(dir, "weights.bin"), weights);
    expect(await checkpointError(dir)).toMatch(/weights\.bin: the weights do not match the manifest's SHA-256/);
  });

  it("missing files and folders are CheckpointErrors naming the file and what a checkpoint holds", async () => {
    expect(await checkpointError(join(work, "no-such-folder"))).toMatch(/manifest\.json: cannot read the manifest \(is this a checkpoint folder with model\.json, weights\.bin and manifest\.json\?\)/);
    for (const file of ["model.json", "weights.bin"]) {
      const dir = join(work, `missing-${file}`);
      await saveCheckpoint(buildModel(TINY, 1), dir, manifestFor(TINY));
      rmSync(join(dir, file));
      expect(await checkpointError(dir)).toContain(join(dir, file));
    }
    const dir = join(work, "bad-format");
    await saveCheckpoint(buildModel(TINY, 1), dir, manifestFor(TINY));
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...manifest, format: "other/2" }));
    expect(await checkpointError(dir)).toMatch(/format is "other\/2", expected "spreadlab-forecaster\/1"/);
    writeFileSync(join(dir, "manifest.json"), "{ not json");
    expect(await checkpointError(dir)).toMatch(/not valid JSON/);
  });

  it("saving over an existing checkpoint replaces it whole and leaves no temporary folders", async () => {
    const parent = join(work, "atomic");
    const dir = join(parent, "ckpt");
    const first = await saveCheckpoint(buildModel(TINY, 1), dir, manifestFor(TINY));
    writeFileSync(join(dir, "stale.txt"), "left from before");
    const second = buildModel(TINY, 2);
    const m = await saveCheckpoint(second, dir, manifestFor(TINY, { kind: "finetuned" }));
    expect(m.weightsSha256).not.toBe(first.weightsSha256);
    expect(readdirSync(parent)).toEqual(["ckpt"]);
    expect(readdirSync(dir).sort()).toEqual(["manifest.json", "model.json", "weights.bin"]);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.manifest.kind).toBe("finetuned");
    expect(predictions(loaded.model)).toEqual(predictions(second));
    second.dispose();
    loaded.model.dispose();
  });
});
