/**
 * `/v1/runs`: submit a scenario as a job (202 + Location), follow it, read its result and node states,
 * cancel it, list runs. Progress as a stream lives in events.ts.
 */
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { SimulationResult } from "../ensemble/assemble.js";
import type { RunRow } from "../store/types.js";
import { isTerminal, QueueFullError, TooManyRunsError } from "./jobs.js";
import { finishRun, storeFirst, validateRunText, type ValidatedRun } from "./prepare.js";
import { NetworkTasks } from "./network-tasks.js";
import { HttpProblem } from "./problems.js";
import { NodesQuerySchema, RunListQuerySchema } from "./schemas.js";
import { notFound, parseQuery, type ApiContext } from "./context.js";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];
const RETRY_AFTER_S = 30;

const SubmitQuerySchema = z.strictObject({ networkId: z.string().min(1).max(100).optional() });

async function getRunOr404(ctx: ApiContext, id: string): Promise<RunRow> {
  const row = await ctx.store.getRun(id);
  if (row === null) throw notFound("run", id);
  return row;
}

function notFinished(row: RunRow): HttpProblem {
  const detail =
    row.status === "succeeded"
      ? "the run has no stored result."
      : isTerminal(row.status)
        ? `the run ${row.status}${row.error ? ` (${row.error.name}: ${row.error.message})` : ""}; it has no result.`
        : `the run is ${row.status} (${row.progress.done} of ${row.progress.total} runs done); poll GET /v1/runs/${row.id} or follow /v1/runs/${row.id}/events.`;
  return new HttpProblem(409, "run-not-finished", "The run has no result", detail);
}

/** Node states at a record time (see NodeStatesSchema): final states, or a field's values at any record time. */
function nodeStates(result: unknown, time: number | undefined): Record<string, unknown> {
  const r = result as Partial<SimulationResult> & { sweep?: unknown; field?: Record<string, unknown> & { nodeIds: string[] } };
  if (r.sweep !== undefined) throw new HttpProblem(422, "nodes-unavailable", "Node states are not available", "a sweep has one result per point; node states are kept per single scenario only.");
  const times = r.times ?? [];
  const last = times[times.length - 1];
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  const at = (message: string) => new HttpProblem(422, "nodes-unavailable", "Node states are not available", message, { errors: [{ path: "query.time", message }] });
  if (r.field) {
    const k = time === undefined ? times.length - 1 : times.findIndex((t) => same(t, time));
    if (k < 0) throw at(`${time} is not a record time of this run; record times run from ${times[0]} to ${last} (see the result's times).`);
    const values: Record<string, number[]> = {};
    for (const [name, series] of Object.entries(r.field)) if (name !== "nodeIds") values[name] = (series as number[][])[k];
    return { time: times[k], run: null, nodeIds: r.field.nodeIds, values };
  }
  const kept = r.nodes?.runs[0];
  if (r.nodes === undefined || kept === undefined) throw at("this run kept no node states (its scenario has output.nodes: none).");
  if (time === undefined || same(time, last)) return { time: last, run: kept.run, nodeIds: r.nodes.nodeIds, states: kept.state };
  if (kept.history) {
    // Replay the run's state changes up to `time` from its initial state.
    if (!(time >= 0 && time <= last)) throw at(`time must be within [0, ${last}], got ${time}.`);
    const h = kept.history;
    const state = [...h.initial];
    for (let j = 0; j < h.time.length && h.time[j] <= time; j++) state[h.node[j]] = h.to[j];
    const names = r.compartments ?? [];
    return { time, run: kept.run, nodeIds: r.nodes.nodeIds, states: state.map((c) => names[c]) };
  }
  throw at(`this run kept only its final node states (t = ${last}); submit it with output.history: true to get the states at any time.`);
}

/**
 * Bodies up to this size are validated in this thread (a few milliseconds: the YAML parse with positions
 * costs about 3 ms per KiB); larger ones in the network pool.
 */
const SMALL_BODY = 8 * 1024;

export function runsRouter(ctx: ApiContext, tasks: NetworkTasks = new NetworkTasks()): Router {
  const router = express.Router();
  const { store, jobs } = ctx;
  // Bodies are read as text: a large one is parsed and validated in the network pool, not on the event loop.
  const json = express.text({ type: "application/json", limit: ctx.options.bodyLimit });
  const yaml = express.text({ type: YAML_TYPES, limit: ctx.options.bodyLimit });
  const sizeLimits = { maxNodes: ctx.options.maxNodes, maxEdges: ctx.options.maxEdges };

  router.post("/runs", ctx.limitCreation, json, yaml, async (req: Request, res: Response) => {
    const query = parseQuery(SubmitQuerySchema, req);
    const text: unknown = req.body;
    if (typeof text !== "string") {
      const type = req.headers["content-type"];
      throw new HttpProblem(415, "unsupported-media-type", "Unsupported media type", `${type ? `Content-Type "${type}" is not taken here` : "the request has no body or Content-Type"}; send application/json ({ scenario } or { scenarioText }) or a YAML scenario as application/yaml.`);
    }
    const type = req.is("application/json") ? "json" : "yaml";
    if (type === "json" && query.networkId !== undefined) {
      throw new HttpProblem(422, "validation-failed", "The request is invalid", "?networkId= is for YAML bodies; put networkId in the JSON body.", { errors: [{ path: "query.networkId", message: "give networkId in the JSON body." }] });
    }
    let validated: ValidatedRun;
    try {
      validated =
        text.length <= SMALL_BODY
          ? validateRunText(text, type, query.networkId, sizeLimits)
          : ((await tasks.run({ kind: "run", text, type, ...(query.networkId !== undefined ? { networkId: query.networkId } : {}), limits: sizeLimits })) as { run: ValidatedRun }).run;
    } catch (error) {
      throw await storeFirst(error, store);
    }
    const { job, record } = await finishRun(validated, store, ctx.options, tasks);
    let row: RunRow;
    try {
      row = await jobs.submit(job, record);
    } catch (error) {
      if (error instanceof QueueFullError) {
        throw new HttpProblem(503, "queue-full", "The job queue is full", error.message, { headers: { "Retry-After": String(RETRY_AFTER_S) } });
      }
      if (error instanceof TooManyRunsError) {
        throw new HttpProblem(422, "too-many-runs", "Too many runs", error.message, { errors: [{ path: "runs", message: error.message }] });
      }
      throw error;
    }
    res.status(202).location(`/v1/runs/${row.id}`).json(row);
  });

  router.get("/runs", async (req, res) => {
    const { limit, cursor, status } = parseQuery(RunListQuerySchema, req);
    res.json(await store.listRuns(limit, cursor ?? null, status));
  });

  router.get("/runs/:id", async (req, res) => {
    res.json(await getRunOr404(ctx, req.params.id));
  });

  router.get("/runs/:id/result", async (req, res) => {
    const row = await getRunOr404(ctx, req.params.id);
    if (row.status !== "succeeded") throw notFinished(row);
    const result = await store.getResult(row.id);
    if (result === null) throw notFinished(row);
    res.json(result);
  });

  router.get("/runs/:id/nodes", async (req, res) => {
    const { time } = parseQuery(NodesQuerySchema, req);
    const row = await getRunOr404(ctx, req.params.id);
    if (row.status !== "succeeded") throw notFinished(row);
    const result = await store.getResult(row.id);
    if (result === null) throw notFinished(row);
    res.json(nodeStates(result, time));
  });

  router.delete("/runs/:id", async (req, res) => {
    const row = await getRunOr404(ctx, req.params.id);
    if (isTerminal(row.status)) {
      throw new HttpProblem(409, "run-finished", "The run has already finished", `the run ${row.status} at ${row.finishedAt ?? row.updatedAt}; there is nothing to cancel.`);
    }
    // Here, on the live instance running it (a notice), or marked in the store when nobody runs it (jobs.ts).
    await jobs.cancel(row.id);
    res.status(202).location(`/v1/runs/${row.id}`).json(await store.getRun(row.id));
  });

  return router;
}
