/**
 * The network pool: building, parsing and serialising networks for the API runs in at most two worker
 * threads (piscina), so that `/v1/health` and every other request keep answering while a large network is
 * generated, an upload is parsed or a large graph is encoded. Threads start on demand and exit after
 * `idleTimeoutMs` without work, so the memory a large network took is returned with its thread.
 *
 * Without the compiled worker (running the TypeScript sources with no dist/ build), tasks run in this thread:
 * the answers are the same, only the event loop is blocked while they run.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { fromFailure, isFailure, runNetworkTask, type NetworkTask, type NetworkTaskResult } from "./network-build.js";

export interface NetworkTasksOptions {
  /** Worker threads at most. Default 2 (network tasks are rare and large; runs have their own pool). */
  maxThreads?: number;
  /** A thread with no task for this long exits. Default 2000 ms. */
  idleTimeoutMs?: number;
}

/** The compiled worker: beside this file when running from dist/, else in dist/ (tests run the TS sources). */
function workerFile(): string | null {
  const sibling = fileURLToPath(new URL("./network-worker.js", import.meta.url));
  if (existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL("../../dist/src/server/network-worker.js", import.meta.url));
  return existsSync(built) ? built : null;
}

export class NetworkTasks {
  private readonly pool: Piscina | null;
  private closed = false;

  constructor(options: NetworkTasksOptions = {}) {
    const filename = workerFile();
    this.pool =
      filename === null
        ? null
        : new Piscina({ filename, minThreads: 0, maxThreads: Math.max(1, options.maxThreads ?? 2), idleTimeout: options.idleTimeoutMs ?? 2000 });
  }

  /** Whether tasks run in worker threads (false: in this thread, see the header). */
  get offThread(): boolean {
    return this.pool !== null;
  }

  /** Worker threads alive now (0 once they have been idle for `idleTimeoutMs`). */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  async run<K extends NetworkTask["kind"]>(task: Extract<NetworkTask, { kind: K }>): Promise<NetworkTaskResult> {
    if (this.closed) throw new Error("the network pool is closed");
    if (this.pool === null) return runNetworkTask(task);
    const result = (await this.pool.run(task)) as NetworkTaskResult | Parameters<typeof fromFailure>[0];
    if (isFailure(result)) throw fromFailure(result);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool?.destroy();
  }
}
