/**
 * The REST API (Express 5): `createApp({ store, options })` wires the middleware, the routes under `/v1` and
 * the job queue; it opens no port (index.ts does). Safety, in order: helmet headers (CSP with
 * `worker-src 'self' blob:` for the dashboard's ForceAtlas2 worker), no CORS headers, no x-powered-by, an
 * optional bearer token on every non-GET request, rate limits on job-creating routes, body limits per route,
 * zod validation, and problem+json for every error (problems.ts).
 *
 * The dashboard (web/, built by `npm run build:web` into dist/web) is served at `/` as static files; the
 * bundled scenario files (scenarios/*.yaml) are the dashboard's presets (presets.ts: `GET /v1/scenarios`, and
 * `POST /v1/scenarios/{id}/network` to build a preset's network as the CLI builds it).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { rateLimit } from "express-rate-limit";
import { MODELS } from "../families/registry.js";
import { GENERATORS } from "../graph/generators/index.js";
import { listDatasets } from "../forecast/data.js";
import type { Store } from "../store/types.js";
import { requeueStored } from "./recover.js";
import { JobQueue } from "./jobs.js";
import { Instance } from "./instances.js";
import { resolveOptions, type ServerOptions } from "./options.js";
import { errorHandler, HttpProblem, notFoundRoute } from "./problems.js";
import { openApiDocument } from "./openapi.js";
import { presetsRouter } from "./presets.js";
import { networksRouter } from "./networks.js";
import { runsRouter } from "./runs.js";
import { eventsRouter } from "./events.js";
import { forecastsRouter } from "./forecasts.js";
import { regionalRouter } from "./regional.js";
import { forecasterBackend, forecasterRoute, startForecaster } from "./forecaster.js";
import { packageVersion } from "./version.js";
import type { ApiContext } from "./context.js";

export type { ServerOptions } from "./options.js";

export interface App {
  app: express.Express;
  jobs: JobQueue;
  /**
   * Queue again the runs and forecasts a previous process left queued (recover.ts); call once at start-up,
   * after `store.recoverInterrupted(reason, { keepQueued: true, liveOwners: await instance.live() })`.
   */
  recover(): Promise<{ requeued: number; failed: number }>;
  /** This server among the instances on the store; `startServer` starts its heartbeat. */
  instance: Instance;
  /**
   * Stop the job queues, runs and forecasts (running jobs fail with "the server stopped") and the network
   * pool, and the heartbeat; the store stays open.
   */
  close(): Promise<void>;
}

/** The package root: the nearest folder above this module with a package.json (from src/ or dist/src/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export { bundledScenarios, type BundledScenario } from "./presets.js";

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/** Require `Authorization: Bearer <token>` on every request that is not GET/HEAD/OPTIONS. */
function requireToken(token: string) {
  const expected = digest(token);
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const match = /^Bearer\s+(.+)$/i.exec(req.get("Authorization") ?? "");
    if (match && timingSafeEqual(digest(match[1].trim()), expected)) return next();
    next(
      new HttpProblem(401, "unauthorized", "Unauthorized", `${match ? "the token is wrong" : "this server requires a token"}: send Authorization: Bearer <token> (GET requests need none).`, {
        headers: { "WWW-Authenticate": 'Bearer realm="spreadlab"' },
      }),
    );
  };
}

export function createApp(deps: {
  store: Store;
  options?: ServerOptions;
  /** Built dashboard to serve at `/` (default dist/web of the package; null: none). */
  webRoot?: string | null;
  /** Scenario files listed at GET /v1/scenarios (default scenarios/ of the package). */
  scenariosDir?: string;
}): App {
  const options = resolveOptions(deps.options);
  const { store } = deps;
  const instance = new Instance(store, options.leaseMs, options.log);
  const jobs = new JobQueue(store, {
    concurrency: options.concurrency,
    maxQueued: options.maxQueued,
    maxRuns: options.maxRuns,
    maxWallMs: options.maxWallMs,
    workers: options.workers,
    redis: options.redis,
    log: options.log,
  }, instance);
  const version = packageVersion();
  const app = express();
  app.disable("x-powered-by");
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { "worker-src": ["'self'", "blob:"] } },
    }),
  );
  if (options.token !== null) app.use(requireToken(options.token));

  const limitCreation =
    options.rateLimit > 0
      ? rateLimit({
          windowMs: 60_000,
          limit: options.rateLimit,
          standardHeaders: "draft-8",
          legacyHeaders: false,
          handler: (_req, _res, next) =>
            next(new HttpProblem(429, "rate-limited", "Too many requests", `at most ${options.rateLimit} job-creating requests per minute per client; wait and retry.`, { headers: { "Retry-After": "60" } })),
        })
      : (_req: Request, _res: Response, next: NextFunction) => next();

  // Load the tfjs backend and the pretrained checkpoint in the background (tfBackend stays null until then).
  void startForecaster(options.log);
  const ctx: ApiContext = { store, jobs, instance, options, limitCreation, startedAt: Date.now(), version };
  const openapi = openApiDocument(version);
  const models = MODELS.map(({ run: _run, spec: _spec, ...model }) => model);

  app.get("/v1/health", (_req, res) => {
    res.json({
      status: "ok",
      version,
      queue: jobs.counts(),
      tfBackend: forecasterBackend(),
      uptimeS: Math.round((Date.now() - ctx.startedAt) / 100) / 10,
      limits: {
        bodyBytes: options.bodyLimit,
        uploadBytes: options.uploadLimit,
        maxNodes: options.maxNodes,
        maxEdges: options.maxEdges,
        maxQueued: options.maxQueued,
        maxRuns: options.maxRuns,
        maxRecordValues: options.maxRecordValues,
        maxRecordTimes: options.maxRecordTimes,
        maxHistoryEvents: options.maxHistoryEvents,
        maxWallMs: options.maxWallMs,
        concurrency: options.concurrency,
      },
    });
  });
  // The transformer forecaster: its network, provenance and recorded evaluation.
  app.get("/v1/forecaster", forecasterRoute);
  app.get("/v1/openapi.json", (_req, res) => {
    res.json(openapi);
  });
  app.get("/v1/models", (_req, res) => {
    res.json(models);
  });
  app.get("/v1/generators", (_req, res) => {
    res.json(GENERATORS);
  });
  // The bundled real incidence series (US ILINet) the forecaster is evaluated on.
  app.get("/v1/datasets", (_req, res) => {
    res.json(listDatasets());
  });
  app.use("/v1", presetsRouter(ctx, deps.scenariosDir ?? join(packageRoot(), "scenarios")));
  const forecasts = forecastsRouter(ctx);
  // One pool for the heavy work of requests (network building, parsing, large bodies), off the event loop.
  const networks = networksRouter(ctx);
  // Before the forecasts router: its /forecasts/:id would take "regional" for an id.
  const regional = regionalRouter(ctx);
  app.use("/v1", networks.router, runsRouter(ctx, networks.tasks), eventsRouter(ctx), regional.router, forecasts.router);
  const webRoot = deps.webRoot === undefined ? join(packageRoot(), "dist", "web") : deps.webRoot;
  if (webRoot !== null && existsSync(join(webRoot, "index.html"))) {
    // Hashed assets never change under their name; index.html is revalidated so a new build shows at once.
    app.use(express.static(webRoot, { index: "index.html", setHeaders: (res, path) => res.setHeader("Cache-Control", path.endsWith(".html") ? "no-cache" : "public, max-age=31536000, immutable") }));
  } else {
    app.get("/", (_req, res) => {
      res.status(503).type("text/plain").send("The dashboard is not built: run `npm run build:web` (or `npm run build`), then restart `spreadlab serve`. The API is at /v1.\n");
    });
  }
  app.use(notFoundRoute);
  app.use(errorHandler(options.log));

  return {
    app,
    jobs,
    instance,
    recover: () => requeueStored(store, jobs, forecasts.queue, options, networks.tasks),
    close: async () => {
      await Promise.all([jobs.close(), forecasts.queue.close(), regional.close(), networks.tasks.close()]);
      await instance.stop();
    },
  };
}
