/**
 * `/v1/networks`: generate or upload a network, list, describe, fetch with a layout, delete. Networks are
 * stored as graphology JSON (codec.ts) with their degree statistics, and runs can use them by id.
 *
 * `POST /v1/networks` takes either a JSON generator request `{ generate: { type, ...params }, seed?, name? }`
 * or a network file as the body, its format from `?format=` or the Content-Type: text/csv,
 * text/tab-separated-values, application/gexf+xml, application/graphml+xml, application/json (a JSON body
 * with a top-level `generate` is a generator request; any other JSON body is a graphology export),
 * application/vnd.apache.arrow.file or .stream (Arrow IPC / Feather v2), application/vnd.apache.parquet.
 *
 * Nothing heavy runs on the event loop: uploads stream to a temporary file (upload.ts), and parsing,
 * generating, encoding and the layout of `GET …/graph` run in the network pool (network-tasks.ts).
 */
import express, { type Request, type Response, type Router } from "express";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { GENERATORS } from "../graph/generators/index.js";
import type { LoadFormat } from "../graph/load.js";
import { didYouMean } from "../scenario/suggest.js";
import type { NetworkRow } from "../store/types.js";
import { checkGeneratedSize, estimateGeneratedSize, type SizeLimits } from "./limits.js";
import { runNetworkTask, type NetworkTask, type NetworkTaskResult } from "./network-build.js";
import { NetworkTasks } from "./network-tasks.js";
import { HttpProblem, validationProblem } from "./problems.js";
import { GenerateNetworkRequestSchema, NetworkUploadQuerySchema, PageQuerySchema } from "./schemas.js";
import { notFound, parseQuery, type ApiContext } from "./context.js";
import { limitBytes, receiveUpload } from "./upload.js";

const CONTENT_TYPES: Record<string, LoadFormat> = {
  "text/csv": "csv",
  "text/plain": "csv",
  "text/tab-separated-values": "tsv",
  "application/gexf+xml": "gexf",
  "application/graphml+xml": "graphml",
  "application/json": "json",
  // IANA's types for Arrow IPC files (Feather v2) and streams, and for Parquet.
  "application/vnd.apache.arrow.file": "arrow",
  "application/vnd.apache.arrow.stream": "arrow",
  "application/vnd.apache.parquet": "parquet",
};

function unsupported(type: string | undefined): HttpProblem {
  return new HttpProblem(
    415,
    "unsupported-media-type",
    "Unsupported media type",
    `${type ? `Content-Type "${type}" is not taken here` : "the request has no Content-Type"}; send a generator request as application/json, or a network file as ${Object.keys(CONTENT_TYPES).join(", ")} (or name the format with ?format=).`,
  );
}

function summary(row: NetworkRow): NetworkRow {
  return { id: row.id, name: row.name, createdAt: row.createdAt, source: row.source, n: row.n, m: row.m, directed: row.directed, stats: row.stats };
}

/** A generator request, validated, with its expected size checked: the task for the network pool. */
function generatorTask(body: unknown, ctx: ApiContext): { task: Extract<NetworkTask, { kind: "generate" }>; name: string; source: unknown } {
  const parsed = GenerateNetworkRequestSchema.safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error, [], "A generator request is { generate: { type, ...parameters }, seed?, name? }.");
  const { generate, seed = 0, name } = parsed.data;
  const info = GENERATORS.find((g) => g.id === generate.type)!;
  const known = info.parameters.map((p) => p.name);
  const unknown = Object.keys(generate).filter((k) => k !== "type" && !known.includes(k));
  if (unknown.length > 0) {
    const list = known.length ? ` Parameters: ${known.join(", ")}.` : " It takes no parameters.";
    throw new HttpProblem(422, "validation-failed", "The request is invalid", `unknown ${info.id} parameter${unknown.length > 1 ? "s" : ""}.`, {
      errors: unknown.map((k) => ({ path: `generate.${k}`, message: `${info.id} has no parameter "${k}".${didYouMean(k, known)}${list}` })),
    });
  }
  checkGeneratedSize(generate, ctx.options, "generate");
  const n = (generate as { n?: unknown }).n;
  return {
    task: { kind: "generate", generate, seed, limits: sizeLimits(ctx) },
    name: name ?? `${info.id}${typeof n === "number" ? ` n=${n}` : ""} seed=${seed}`,
    source: { generate, seed },
  };
}

const sizeLimits = (ctx: ApiContext): SizeLimits => ({ maxNodes: ctx.options.maxNodes, maxEdges: ctx.options.maxEdges });

/**
 * Work this small runs in the request (a few milliseconds), sparing the hop to the pool and, after 2 s idle,
 * a thread start: uploads up to 16 KiB, generated networks of at most 5,000 nodes and edges (expected).
 */
const SMALL_UPLOAD = 16 * 1024;
const SMALL_NETWORK = 5_000;

/** JSON bodies up to this size are read here (a generator request is small); larger ones in the pool. */
const SMALL_JSON = 64 * 1024;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpProblem(400, "malformed-json", "The body is not valid JSON", `the body is not valid JSON: ${(error as Error).message}.`);
  }
}

const isGeneratorRequest = (body: unknown): boolean => typeof body === "object" && body !== null && !Array.isArray(body) && "generate" in body;

type UploadQuery = ReturnType<typeof NetworkUploadQuerySchema.parse>;

/**
 * A temporal contact file (server/contacts.ts): streamed to a temporary file like any upload, parsed in the
 * network pool (in the request when small); a bad row is a 422 naming its line.
 */
async function uploadContacts(req: Request, res: Response, query: UploadQuery, ctx: ApiContext, tasks: NetworkTasks, limit: number): Promise<void> {
  const { contacts: format, resolution, period, until } = query;
  const misplaced = [
    ...(format !== "events" && resolution !== undefined ? [{ path: "query.resolution", message: "applies to contacts=events only." }] : []),
    ...(format === "events" && resolution === undefined ? [{ path: "query.resolution", message: "contacts=events needs resolution: how long one recorded contact lasts (e.g. 20 for 20-second slots)." }] : []),
    ...(format !== "snapshots" && until !== undefined ? [{ path: "query.until", message: "applies to contacts=snapshots only." }] : []),
    ...(query.format !== undefined ? [{ path: "query.format", message: "a contact file is read as contacts= says; drop format." }] : []),
    ...(query.directed !== undefined ? [{ path: "query.directed", message: "contacts are undirected; drop directed." }] : []),
  ];
  if (misplaced.length > 0) {
    req.resume();
    throw new HttpProblem(422, "validation-failed", "The request is invalid", "the query string does not fit a contact file.", { errors: misplaced });
  }
  const upload = await receiveUpload(req, limit);
  try {
    const task: NetworkTask = { kind: "upload", path: upload.path, format: "csv", maybeRequest: false, contacts: { format: format!, resolution, period, until }, limits: sizeLimits(ctx) };
    const result = upload.bytes <= SMALL_UPLOAD ? runNetworkTask(task) : await tasks.run(task);
    if (!("built" in result)) throw new Error("the network pool gave no network");
    const { n, m, directed, stats, bytes } = result.built;
    const source = { contacts: { format, ...(resolution !== undefined ? { resolution } : {}), ...(period !== undefined ? { period } : {}), ...(until !== undefined ? { until } : {}) } };
    const row = await ctx.store.insertNetwork({ id: randomUUID(), name: query.name ?? `contacts.${format}`, source, n, m, directed, stats }, bytes);
    res.status(201).location(`/v1/networks/${row.id}`).json(summary(row));
  } finally {
    await upload.remove();
  }
}

export interface NetworksRoutes {
  router: Router;
  /** The network pool (building, parsing, serialising off the event loop); App.close() closes it. */
  tasks: NetworkTasks;
}

export function networksRouter(ctx: ApiContext, tasks: NetworkTasks = new NetworkTasks()): NetworksRoutes {
  const router = express.Router();
  const { store } = ctx;
  const uploadLimit = limitBytes(ctx.options.uploadLimit);

  router.post("/networks", ctx.limitCreation, async (req: Request, res: Response) => {
    const query = parseQuery(NetworkUploadQuerySchema, req);
    const contentType = req.headers["content-type"]?.split(";")[0].trim().toLowerCase();
    if (query.contacts !== undefined) {
      await uploadContacts(req, res, query, ctx, tasks, uploadLimit);
      return;
    }
    const format = (query.format as LoadFormat | undefined) ?? (contentType && Object.hasOwn(CONTENT_TYPES, contentType) ? CONTENT_TYPES[contentType] : undefined);
    if (format === undefined) {
      req.resume();
      throw unsupported(contentType);
    }
    // The body goes to a temporary file (413 over the cap); parsing and building run in the network pool.
    const upload = await receiveUpload(req, uploadLimit);
    try {
      const maybeRequest = format === "json" && query.format === undefined;
      const directed = query.directed !== undefined ? { directed: query.directed === "true" } : {};
      let request: unknown;
      let result: NetworkTaskResult | undefined;
      if (maybeRequest && upload.bytes <= SMALL_JSON) {
        const body = parseJson(await readFile(upload.path, "utf8"));
        if (isGeneratorRequest(body)) request = body;
      }
      if (request === undefined) {
        const task: NetworkTask = { kind: "upload", path: upload.path, format, maybeRequest: maybeRequest && upload.bytes > SMALL_JSON, ...directed, limits: sizeLimits(ctx) };
        result = upload.bytes <= SMALL_UPLOAD ? runNetworkTask(task) : await tasks.run(task);
        if ("request" in result) request = result.request;
      }
      let name: string;
      let source: unknown;
      if (request !== undefined) {
        const made = generatorTask(request, ctx);
        const size = estimateGeneratedSize(made.task.generate);
        result = size.n + size.m <= SMALL_NETWORK ? runNetworkTask(made.task) : await tasks.run(made.task);
        ({ name, source } = made);
      } else {
        name = query.name ?? `upload.${format}`;
        source = { upload: format };
      }
      if (result === undefined || !("built" in result)) throw new Error("the network pool gave no network");
      const { n, m, directed: isDirected, stats, bytes } = result.built;
      const row = await store.insertNetwork({ id: randomUUID(), name, source, n, m, directed: isDirected, stats }, bytes);
      res.status(201).location(`/v1/networks/${row.id}`).json(summary(row));
    } finally {
      await upload.remove();
    }
  });

  router.get("/networks", async (req, res) => {
    const { limit, cursor } = parseQuery(PageQuerySchema, req);
    const page = await store.listNetworks(limit, cursor ?? null);
    res.json({ items: page.items.map(summary), total: page.total, next: page.next });
  });

  router.get("/networks/:id", async (req, res) => {
    const row = await store.getNetwork(req.params.id);
    if (row === null) throw notFound("network", req.params.id);
    res.json(summary(row));
  });

  router.get("/networks/:id/graph", async (req, res) => {
    const bytes = await store.getNetworkGraph(req.params.id);
    if (bytes === null) throw notFound("network", req.params.id);
    // Decoded, laid out, serialised and gzipped in the pool; sent as is to clients that take gzip, else
    // decompressed as a stream (zlib works off the event loop), never one giant string here.
    const result = await tasks.run({ kind: "graph", bytes });
    if (!("gzip" in result)) throw new Error("the network pool gave no graph");
    const gzip = Buffer.from(result.gzip.buffer, result.gzip.byteOffset, result.gzip.byteLength);
    res.vary("Accept-Encoding").type("application/json");
    if (req.headers["accept-encoding"] !== undefined && req.acceptsEncodings("gzip", "identity") === "gzip") {
      res.setHeader("Content-Encoding", "gzip");
      res.setHeader("Content-Length", String(gzip.byteLength));
      res.end(gzip);
      return;
    }
    await pipeline(Readable.from([gzip]), createGunzip(), res);
  });

  router.delete("/networks/:id", async (req, res) => {
    if (!(await store.deleteNetwork(req.params.id))) throw notFound("network", req.params.id);
    res.status(204).end();
  });

  return { router, tasks };
}
