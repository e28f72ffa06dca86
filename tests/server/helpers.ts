/** Shared fixtures for the server tests: an app on an in-memory SQLite store, scenarios, SSE parsing, polling. */
import request from "supertest";
import type { Response } from "supertest";
import { createApp, type ServerOptions } from "../../src/server/app.js";
import { openStore } from "../../src/store/sqlite.js";

export function makeApp(options: ServerOptions = {}) {
  const store = openStore(":memory:");
  const logs: string[] = [];
  const made = createApp({ store, options: { token: null, log: (line) => logs.push(line), ...options } });
  return { ...made, store, logs, http: request(made.app) };
}

export type TestApp = ReturnType<typeof makeApp>;

/** The small scenario of the flow tests: SIR on an Erdős–Rényi graph of 200 nodes, 5 runs. */
export function sirScenario(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "sir-er",
    seed: 7,
    network: { generate: { type: "erdos-renyi", n: 200, k: 6 } },
    model: { type: "compartmental", preset: "SIR", params: { beta: 0.4, gamma: 1 } },
    time: { mode: "continuous", tmax: 30, record: 1 },
    initial: { I: { count: 5 } },
    runs: 5,
    ...overrides,
  };
}

/** A run long enough to cancel: 5000 runs on 2000 nodes. */
export function longScenario(): Record<string, unknown> {
  return sirScenario({ name: "long", network: { generate: { type: "erdos-renyi", n: 2000, k: 8 } }, time: { mode: "continuous", tmax: 200, record: 1 }, runs: 5000 });
}

export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, everyMs = 20): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`waitFor: timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Poll a run until it reaches a terminal status; returns the row. */
export async function waitForRun(t: TestApp, id: string, timeoutMs = 20_000): Promise<{ status: string; [k: string]: unknown }> {
  return waitFor(async () => {
    const res = await t.http.get(`/v1/runs/${id}`);
    return ["succeeded", "failed", "cancelled"].includes(res.body.status) ? res.body : undefined;
  }, timeoutMs);
}

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split(/\n\n/)) {
    if (block.trim() === "") continue;
    const event: SseEvent = {};
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) event.comment = line.slice(1).trim();
      const m = /^(id|event|data): ?(.*)$/.exec(line);
      if (m) event[m[1] as "id" | "event" | "data"] = m[2];
    }
    events.push(event);
  }
  return events;
}

/** GET an SSE stream and buffer it until the server ends it. */
export function readStream(req: request.Test): Promise<Response & { text: string }> {
  return req
    .buffer(true)
    .parse((res, callback) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => callback(null, text));
    })
    .then((res) => Object.assign(res, { text: res.body as string }));
}

export const PROBLEM = /application\/problem\+json/;
