/**
 * Checkpoints: a folder with `model.json` (tfjs-layers topology and weight specs), `weights.bin` (float32
 * weights) and `manifest.json` (what the model is and where it came from: config, input scaling, seed,
 * backend, data provenance, training reports, evaluation scores, and the SHA-256 of the weights). Saved and
 * loaded with `tf.io.withSaveHandler` / `tf.io.fromMemory`, so no tfjs-node is needed; a reloaded model
 * predicts exactly what the saved one did (same backend).
 *
 * Writes go to a temporary folder beside the target, renamed over it at the end: a crash never leaves a
 * half-written checkpoint where a good one was.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { tf } from "./backend.js";
import "./layers.js";
import { checkConfig, type TransformerConfig } from "./model.js";
import { SCALE_ROWS } from "./windows.js";
import type { Frequency } from "../frequency.js";

export const CHECKPOINT_FORMAT = "spreadlab-forecaster/1";

export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  /** "pretrained", "finetuned" or "scratch". */
  kind: string;
  createdAt: string;
  config: TransformerConfig;
  scaling: { method: "window-mean"; rows: number; description: string };
  seed: number;
  backend: string;
  /** Where the training data came from (corpus parameters, dataset and regions, rows used). */
  provenance: Record<string, unknown>;
  /** Training reports (epochs, losses, samples, time). */
  training: unknown[];
  /** Scores measured on held-out data, when any. */
  evaluation?: unknown;
  /**
   * The row step of the series it was trained on: "daily" for `pretrain --frequency daily`; absent (older
   * checkpoints) or "weekly" otherwise. Daily tables start from a daily checkpoint by default (service.ts).
   */
  frequency?: Frequency;
  /** The checkpoint this one was fine-tuned from (its manifest's kind, createdAt and weights hash). */
  base?: { kind: string; createdAt: string; weightsSha256: string };
  weightsSha256: string;
  parameters: number;
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

const SCALING_DESCRIPTION =
  "each input window is divided by the mean of its observed values over its last rows, floored by max(10% of the mean, the smallest positive value) of the series' history up to the window's last row (1 if none); outputs are multiplied back";

export function scalingInfo(): CheckpointManifest["scaling"] {
  return { method: "window-mean", rows: SCALE_ROWS, description: SCALING_DESCRIPTION };
}

const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

function concatWeights(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  if (!Array.isArray(data)) return new Uint8Array(data);
  const total = data.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}

/** The model's topology and weights in memory, through a save handler (no file system, no tfjs-node). */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (artifacts === null) throw new CheckpointError("the model produced nothing to save.");
  return artifacts;
}

/** Saves the model and manifest (minus the fields computed here) into `dir`, replacing it atomically. */
export async function saveCheckpoint(model: tf.LayersModel, dir: string, manifest: Omit<CheckpointManifest, "format" | "weightsSha256" | "parameters" | "createdAt"> & { createdAt?: string }): Promise<CheckpointManifest> {
  const target = resolve(dir);
  const saved = await modelArtifacts(model);
  if (!saved.weightData || !saved.weightSpecs) throw new CheckpointError("the model produced no weights to save.");
  const weights = concatWeights(saved.weightData as ArrayBuffer | ArrayBuffer[]);
  const full: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    ...manifest,
    createdAt: manifest.createdAt ?? new Date().toISOString(),
    weightsSha256: sha256(weights),
    parameters: model.countParams(),
  } as CheckpointManifest;
  const modelJson = {
    format: saved.format,
    generatedBy: saved.generatedBy,
    convertedBy: saved.convertedBy,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: ["weights.bin"], weights: saved.weightSpecs }],
  };
  mkdirSync(dirname(target), { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const temp = `${target}.tmp-${stamp}`;
  const old = `${target}.old-${stamp}`;
  mkdirSync(temp, { recursive: true });
  try {
    writeFileSync(join(temp, "model.json"), JSON.stringify(modelJson));
    writeFileSync(join(temp, "weights.bin"), weights);
    writeFileSync(join(temp, "manifest.json"), JSON.stringify(full, null, 2) + "\n");
    if (existsSync(target)) renameSync(target, old);
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    // Put the previous checkpoint back if it was moved aside and the new one did not take its place.
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
  return full;
}

export interface LoadedCheckpoint {
  model: tf.LayersModel;
  manifest: CheckpointManifest;
  dir: string;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new CheckpointError(`${path}: cannot read the ${what} (is this a checkpoint folder with model.json, weights.bin and manifest.json?).`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`${path}: the ${what} is not valid JSON (${(e as Error).message}).`);
  }
}

/** Loads a checkpoint folder, checking its format and the weights' hash. */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const root = resolve(dir);
  const manifest = readJson(join(root, "manifest.json"), "manifest") as CheckpointManifest;
  if (manifest?.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`${join(root, "manifest.json")}: format is ${JSON.stringify(manifest?.format)}, expected "${CHECKPOINT_FORMAT}".`);
  try {
    checkConfig(manifest.config);
  } catch (e) {
    throw new CheckpointError(`${join(root, "manifest.json")}: ${manifest.config === undefined ? "no config" : (e as Error).message}`);
  }
  const modelJson = readJson(join(root, "model.json"), "model topology") as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  let weights: Uint8Array;
  try {
    weights = readFileSync(join(root, "weights.bin"));
  } catch {
    throw new CheckpointError(`${join(root, "weights.bin")}: cannot read the weights.`);
  }
  if (sha256(weights) !== manifest.weightsSha256) throw new CheckpointError(`${join(root, "weights.bin")}: the weights do not match the manifest's SHA-256 (a corrupted or mixed-up checkpoint).`);
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest.flatMap((m) => m.weights), weightData: buffer }));
  return { model, manifest, dir: root };
}
