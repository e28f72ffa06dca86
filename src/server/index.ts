/**
 * `startServer`: open the store (the SQLite file, or PostgreSQL for a postgres:// URL), mark the runs that
 * dead instances left unfinished as failed (not those of other live instances on the same store), serve the
 * API on host:port, and close cleanly (stop jobs, close connections and the store) on SIGINT/SIGTERM or
 * `close()`. Loopback by default: exposing the server is a decision (a token, a proxy with TLS).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { openStoreAt, redactUrl, isPostgresUrl } from "../store/index.js";
import type { Store } from "../store/types.js";
import { createApp } from "./app.js";
import type { ServerOptions } from "./options.js";

export { createApp } from "./app.js";
export type { App } from "./app.js";
export type { ServerOptions } from "./options.js";

export interface StartOptions extends ServerOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** SQLite file, or a postgres:// URL; default $SPREADLAB_DB_URL, else ./.spreadlab/spreadlab.db. */
  dbPath?: string;
  /** PostgreSQL schema for the tables (default public). */
  dbSchema?: string;
  /** Close on SIGINT and SIGTERM (default true). */
  handleSignals?: boolean;
}

export interface RunningServer {
  url: string;
  server: Server;
  store: Store;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { port = 8080, host = "127.0.0.1", dbPath = process.env.SPREADLAB_DB_URL || "./.spreadlab/spreadlab.db", dbSchema, handleSignals = true, ...appOptions } = options;
  const log = appOptions.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const store = await openStoreAt(dbPath, { schema: dbSchema, log });
  let started;
  try {
    started = createApp({ store, options: { ...appOptions, log } });
    await started.instance.start();
  } catch (error) {
    await started?.close().catch(() => {});
    await store.close();
    throw error;
  }
  const { app, close: closeApp, recover, instance } = started;
  // Jobs that were running when their instance died fail (they may be what killed it); those of instances
  // still alive on a shared store are theirs. Queued ones never started and are queued again, keeping their
  // ids (recover.ts).
  const recovered = await store.recoverInterrupted("the server restarted before the run finished", { keepQueued: true, liveOwners: await instance.live() });
  if (recovered > 0) log(`spreadlab server: marked ${recovered} interrupted job${recovered === 1 ? "" : "s"} from a previous process as failed.`);
  const { requeued, failed } = await recover();
  // While it runs, an instance also fails the running jobs of instances that died since (once per lease),
  // so that a job of a crashed instance does not read as running until some instance restarts.
  const sweep = setInterval(() => {
    void (async () => {
      const marked = await store.recoverInterrupted("the server running it stopped before the run finished", { keepQueued: true, liveOwners: await instance.live() });
      if (marked > 0) log(`spreadlab server: marked ${marked} job${marked === 1 ? "" : "s"} of a dead instance as failed.`);
    })().catch((error: Error) => log(`spreadlab server: recovery sweep failed (${error.message}).`));
  }, instance.leaseMs);
  sweep.unref();
  if (requeued + failed > 0) log(`spreadlab server: re-queued ${requeued} job${requeued === 1 ? "" : "s"} left queued by a previous process${failed > 0 ? `; ${failed} could not be (failed)` : ""}.`);

  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
      s.once("error", reject);
    });
  } catch (error) {
    // Port taken: stop the queues and the heartbeat, close the store, then report.
    clearInterval(sweep);
    await closeApp().catch(() => {});
    await store.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  log(`spreadlab server: listening on ${url} (API at ${url}/v1, database ${isPostgresUrl(dbPath) ? redactUrl(dbPath) : dbPath}, instance ${instance.id})`);

  let closing: Promise<void> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`spreadlab server: ${signal}, shutting down.`);
    void close();
  };
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (handleSignals) {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
      clearInterval(sweep);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Event streams and keep-alive connections would hold close() open: end them.
      server.closeIdleConnections();
      await closeApp();
      server.closeAllConnections();
      await stopped;
      await store.close();
    })();
    return closing;
  };
  if (handleSignals) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  return { url, server, store, close };
}
