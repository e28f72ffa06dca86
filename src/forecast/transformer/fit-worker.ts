/**
 * Worker thread of the fit pool (fit-pool.ts, piscina): loads the tfjs backend the calling thread chose, rebuilds
 * the networks from their in-memory artifacts (bit-identical weights), runs one task (fit-tasks.ts) and returns
 * its scores and reports. Training epochs are reported on the task's message port as they happen.
 */
import type { MessagePort } from "node:worker_threads";
import { initTf, tf, type TfBackendName } from "./backend.js";
import { runFitTask, type FitTask, type FitTaskResult } from "./fit-tasks.js";
import "./layers.js"; // registers the custom layers the artifacts name
import "./spatial.js";

export interface WorkerFitTask {
  task: FitTask;
  backend: TfBackendName;
  pretrained: tf.io.ModelArtifacts;
  spatial?: tf.io.ModelArtifacts;
  /** Receives one `EpochInfo` per training epoch. */
  port: MessagePort;
}

export default async function runWorkerTask({ task, backend, pretrained, spatial, port }: WorkerFitTask): Promise<FitTaskResult> {
  // Same backend as the calling thread: training is bit-reproducible per backend, not across backends.
  process.env.SPREADLAB_TF_BACKEND = backend;
  await initTf();
  const models = {
    pretrained: await tf.loadLayersModel(tf.io.fromMemory(pretrained)),
    ...(spatial ? { spatial: await tf.loadLayersModel(tf.io.fromMemory(spatial)) } : {}),
  };
  try {
    return await runFitTask(task, models, (info) => port.postMessage(info));
  } finally {
    models.pretrained.dispose();
    models.spatial?.dispose();
    port.close();
  }
}
