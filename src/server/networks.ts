/**
 * `/v1/networks`: generate or upload a network, list, describe, fetch with a layout, delete. Networks are
 * stored as graphology JSON (codec.ts) with their degree statistics, and runs can use them by id.
 *
 * `POST /v1/networks` takes either a JSON generator request `{ generate: { type, ...params }, seed?, name? }`
 * or a network file as the body, its format from `?format=` or the Content-Type: text/csv,
 * text/tab-separated-values, application/gexf+xml, application/graphml+xml, application/json (a JSON body
 * with a top-level `generate` is a generator request; any other JSON body is a graphology export).
 */
import express, { type Request, type Response, type Router } from "express";
import { randomUUID } from "node:crypto";
import type Graph from "graphology";
import { compile } from "../graph/csr.js";
import { degreeStats } from "../graph/stats.js";
import { GENERATORS, generateGraph, type GeneratorSpec } from "../graph/generators/index.js";
import { parseNetwork, type NetworkFormat } from "../graph/io/index.js";
import { didYouMean } from "../scenario/suggest.js";
import type { NetworkRow } from "../store/types.js";
import { decodeSerialized, encodeGraph } from "./codec.js";
import { checkGeneratedSize, checkGraphSize } from "./limits.js";
import { withCircularLayout } from "./layout.js";
import { HttpProblem, validationProblem } from "./problems.js";
import { GenerateNetworkRequestSchema, NetworkUploadQuerySchema, PageQuerySchema } from "./schemas.js";
import { notFound, parseQuery, type ApiContext } from "./context.js";

const CONTENT_TYPES: Record<string, NetworkFormat | "json"> = {
  "text/csv": "csv",
  "text/plain": "csv",
  "text/tab-separated-values": "tsv",
  "application/gexf+xml": "gexf",
  "application/graphml+xml": "graphml",
  "application/json": "json",
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

function generated(body: unknown, ctx: ApiContext): { graph: Graph; name: string; source: unknown } {
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
  const graph = generateGraph(generate as GeneratorSpec, seed) as unknown as Graph;
  const n = (generate as { n?: unknown }).n;
  return { graph, name: name ?? `${info.id}${typeof n === "number" ? ` n=${n}` : ""} seed=${seed}`, source: { generate, seed } };
}

function uploaded(text: string, format: NetworkFormat, query: { name?: string; directed?: string }): { graph: Graph; name: string; source: unknown } {
  const graph = parseNetwork(text, format, { file: "upload", ...(query.directed !== undefined ? { directed: query.directed === "true" } : {}) });
  return { graph, name: query.name ?? `upload.${format}`, source: { upload: format } };
}

export function networksRouter(ctx: ApiContext): Router {
  const router = express.Router();
  const { store } = ctx;
  // One parser for every upload format, with the upload limit; JSON is parsed here so both JSON uses share it.
  const raw = express.raw({ type: () => true, limit: ctx.options.uploadLimit });

  router.post("/networks", ctx.limitCreation, raw, (req: Request, res: Response) => {
    const query = parseQuery(NetworkUploadQuerySchema, req);
    const contentType = req.headers["content-type"]?.split(";")[0].trim().toLowerCase();
    const format = (query.format as NetworkFormat | undefined) ?? (contentType && Object.hasOwn(CONTENT_TYPES, contentType) ? CONTENT_TYPES[contentType] : undefined);
    if (format === undefined) throw unsupported(contentType);
    const text = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
    let made: { graph: Graph; name: string; source: unknown };
    if (format === "json" && query.format === undefined) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw new HttpProblem(400, "malformed-json", "The body is not valid JSON", `the body is not valid JSON: ${(error as Error).message}.`);
      }
      const isGenerate = typeof body === "object" && body !== null && !Array.isArray(body) && "generate" in body;
      made = isGenerate ? generated(body, ctx) : uploaded(text, "json", query);
    } else {
      made = uploaded(text, format, query);
    }
    const { graph } = made;
    checkGraphSize(graph.order, graph.size, ctx.options, "(body)");
    const csr = compile(graph);
    const row = store.insertNetwork(
      { id: randomUUID(), name: made.name, source: made.source, n: graph.order, m: graph.size, directed: csr.directed, stats: degreeStats(csr) },
      encodeGraph(graph),
    );
    res.status(201).location(`/v1/networks/${row.id}`).json(summary(row));
  });

  router.get("/networks", (req, res) => {
    const { limit, cursor } = parseQuery(PageQuerySchema, req);
    const page = store.listNetworks(limit, cursor ?? null);
    res.json({ items: page.items.map(summary), total: page.total, next: page.next });
  });

  router.get("/networks/:id", (req, res) => {
    const row = store.getNetwork(req.params.id);
    if (row === null) throw notFound("network", req.params.id);
    res.json(summary(row));
  });

  router.get("/networks/:id/graph", (req, res) => {
    const bytes = store.getNetworkGraph(req.params.id);
    if (bytes === null) throw notFound("network", req.params.id);
    res.json(withCircularLayout(decodeSerialized(bytes)));
  });

  router.delete("/networks/:id", (req, res) => {
    if (!store.deleteNetwork(req.params.id)) throw notFound("network", req.params.id);
    res.status(204).end();
  });

  return router;
}
