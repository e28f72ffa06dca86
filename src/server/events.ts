/**
 * `GET /v1/runs/{id}/events`: a run's progress as Server-Sent Events. Each stored event is sent as
 * `id: <seq>`, `event: status | progress | done`, `data: <JSON>`. A client resuming with `Last-Event-ID`
 * (header) or `?lastEventId=` first gets the stored events after that id, then live ones; the stream ends
 * after `done`. A finished run with nothing left to send answers 204, which tells an EventSource to stop
 * reconnecting. A comment line every `heartbeatMs` keeps proxies from closing an idle stream.
 */
import express, { type Router } from "express";
import type { RunEvent } from "../store/types.js";
import { isTerminal } from "./jobs.js";
import { HttpProblem } from "./problems.js";
import { EventsQuerySchema } from "./schemas.js";
import { notFound, parseQuery, type ApiContext } from "./context.js";

export function eventsRouter(ctx: ApiContext): Router {
  const router = express.Router();
  const { store, jobs } = ctx;

  router.get("/runs/:id/events", async (req, res) => {
    const id = req.params.id;
    const row = await store.getRun(id);
    if (row === null) throw notFound("run", id);
    const query = parseQuery(EventsQuerySchema, req);
    const header = req.get("Last-Event-ID");
    let after = query.lastEventId ?? 0;
    if (header !== undefined && header.trim() !== "") {
      const n = Number(header);
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new HttpProblem(422, "validation-failed", "The request is invalid", "Last-Event-ID must be an event id (a non-negative integer).", {
          errors: [{ path: "header.Last-Event-ID", message: `expected a non-negative integer, got "${header.slice(0, 40)}".` }],
        });
      }
      after = n;
    }

    // Subscribe before reading the replay, so that no event falls between the two; live events that come
    // while the replay is read wait in `pending` and go out after it, in order.
    let pending: RunEvent[] | null = [];
    let deliver: (event: RunEvent) => void = () => {};
    const unsubscribe = jobs.subscribe(id, (event) => (pending ? pending.push(event) : deliver(event)));
    let replay: RunEvent[];
    let nothingLeft = false;
    try {
      replay = await store.runEvents(id, after);
      if (isTerminal(row.status) && !replay.some((e) => e.type === "done")) {
        // A run finished by another process (or before events were kept) may lack its `done`: add it once.
        if (!(await store.runEvents(id, 0)).some((e) => e.type === "done")) {
          await store.appendRunEvent(id, "done", { status: row.status, error: row.error });
          replay = await store.runEvents(id, after);
        }
        nothingLeft = replay.length === 0;
      }
    } catch (error) {
      unsubscribe();
      throw error;
    }
    if (nothingLeft) {
      unsubscribe();
      res.status(204).end();
      return;
    }

    res.status(200).set({
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.flushHeaders();

    let last = after;
    let ended = false;
    const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), ctx.options.heartbeatMs);
    const cleanup = () => {
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
    };
    const send = (event: RunEvent) => {
      if (ended || event.seq <= last) return;
      last = event.seq;
      res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      if (event.type === "done") {
        cleanup();
        res.end();
      }
    };
    deliver = send;
    req.on("close", cleanup);
    const live = pending;
    pending = null;
    for (const event of [...replay, ...live].sort((a, b) => a.seq - b.seq)) send(event);
  });

  return router;
}
