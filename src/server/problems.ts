/**
 * RFC 9457 problem details: every error the API returns is `application/problem+json` with
 * `{ type, title, status, detail, errors? }`, where `type` is a stable URI per kind of problem and `errors`
 * lists field-level issues (`{ path, message, line?, column? }`) for validation problems.
 *
 * Status codes, by what went wrong:
 *   400  the request cannot be read at all: malformed JSON, an unreadable body, a paging cursor that this
 *        server did not hand out;
 *   401  a token is configured and the request does not carry it;
 *   404  unknown id or route;            409  the resource is in the wrong state (cancel a finished run…);
 *   413  body or upload over its limit;  415  a content type the route does not take;
 *   422  the body parses but is invalid: wrong types or missing fields (zod, with field paths), and every
 *        named library error (ScenarioError, ModelError, SimulationError, GeneratorError, ExpressionError,
 *        GraphFormatError);
 *   429  rate limited;  503  the job queue is full (with Retry-After);
 *   500  anything unexpected: logged with its stack, answered without it.
 * Library errors are matched by `name` (the house convention), not by class identity.
 */
import type { Request, Response, NextFunction } from "express";
import type { z } from "zod";
import type { ScenarioIssue } from "../errors.js";

export const PROBLEM_BASE = "https://spreadlab.dev/problems/";

export interface FieldIssue {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldIssue[];
}

/** An error that already knows its HTTP answer. */
export class HttpProblem extends Error {
  override name = "HttpProblem";
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly errors: FieldIssue[] | undefined;
  readonly headers: Record<string, string>;
  constructor(status: number, slug: string, title: string, detail: string, extra: { errors?: FieldIssue[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = extra.errors;
    this.headers = extra.headers ?? {};
  }
}

/** Library errors (by name) → status, problem slug and title. */
const LIBRARY: Record<string, [number, string, string]> = {
  ScenarioError: [422, "scenario-invalid", "The scenario is invalid"],
  ModelError: [422, "model-invalid", "The model is invalid"],
  SimulationError: [422, "simulation-invalid", "The simulation request is invalid"],
  GeneratorError: [422, "generator-invalid", "The network generator parameters are invalid"],
  ExpressionError: [422, "expression-invalid", "An expression is invalid"],
  WorkLimitError: [422, "work-limit", "The run would take too long"],
  GraphFormatError: [422, "graph-format-invalid", "The network data is malformed"],
  SpreadlabError: [422, "invalid-input", "The input is invalid"],
  LimitError: [422, "result-too-large", "The result would be too large"],
  NotFoundError: [404, "not-found", "Not found"],
  InvalidCursorError: [400, "invalid-cursor", "Invalid paging cursor"],
};

/** body-parser (http-errors) types → status, slug, title. */
const BODY_PARSER: Record<string, [number, string, string]> = {
  "entity.parse.failed": [400, "malformed-json", "The body is not valid JSON"],
  "entity.too.large": [413, "payload-too-large", "The body is too large"],
  "entity.verify.failed": [400, "malformed-body", "The body could not be read"],
  "request.aborted": [400, "malformed-body", "The request was aborted"],
  "request.size.invalid": [400, "malformed-body", "The body length does not match Content-Length"],
  "stream.encoding.set": [500, "internal", "Internal server error"],
  "encoding.unsupported": [415, "unsupported-encoding", "Unsupported content encoding"],
  "charset.unsupported": [415, "unsupported-charset", "Unsupported charset"],
};

export function scenarioIssues(issues: readonly ScenarioIssue[], withPosition: boolean): FieldIssue[] {
  return issues.map((i) => ({
    path: i.path,
    message: i.message,
    ...(withPosition && i.line !== undefined ? { line: i.line, column: i.column } : {}),
  }));
}

/** A 422 about one field: the message is both the detail and the field's error (with its line, for a file). */
export function fieldProblem(slug: string, title: string, path: string, message: string, line?: number): HttpProblem {
  const issue: FieldIssue = { path, message, ...(line !== undefined ? { line } : {}) };
  return new HttpProblem(422, slug, title, message, { errors: [issue] });
}

/** A zod error at the HTTP level → 422 with every field path. */
export function validationProblem(error: z.ZodError, prefix: string[] = [], detail = "The request does not match its schema."): HttpProblem {
  const errors = error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.filter((p) => typeof p !== "symbol")].map(String).join(".") || "(root)",
    message: issue.message,
  }));
  return new HttpProblem(422, "validation-failed", "The request is invalid", detail, { errors });
}

export interface ProblemAnswer {
  problem: Problem;
  headers: Record<string, string>;
  /** Unexpected: log with the stack. */
  unexpected: boolean;
}

/** Map any thrown value to its problem answer. */
export function toProblem(error: unknown): ProblemAnswer {
  const make = (status: number, slug: string, title: string, detail: string, errors?: FieldIssue[], headers: Record<string, string> = {}): ProblemAnswer => ({
    problem: { type: PROBLEM_BASE + slug, title, status, detail, ...(errors && errors.length > 0 ? { errors } : {}) },
    headers,
    unexpected: status >= 500,
  });
  if (error instanceof HttpProblem) return make(error.status, error.slug, error.title, error.message, error.errors, error.headers);
  const e = error as { name?: unknown; message?: unknown; type?: unknown; status?: unknown; issues?: unknown; line?: unknown; path?: unknown } | null;
  const name = typeof e?.name === "string" ? e.name : "";
  const message = typeof e?.message === "string" ? e.message : "";
  if (e && typeof e.type === "string" && Object.hasOwn(BODY_PARSER, e.type)) {
    const [status, slug, title] = BODY_PARSER[e.type];
    const detail = status === 413 ? `${message}; send less data (the limits are listed in the API documentation).` : status === 500 ? "An unexpected error occurred." : message;
    return make(status, slug, title, detail);
  }
  if (Object.hasOwn(LIBRARY, name) && message) {
    const [status, slug, title] = LIBRARY[name];
    let errors: FieldIssue[] | undefined;
    if (name === "ScenarioError" && Array.isArray(e?.issues)) errors = scenarioIssues(e.issues as ScenarioIssue[], true);
    if (name === "GraphFormatError" && typeof e?.line === "number") errors = [{ path: "(body)", message, line: e.line }];
    if (name === "LimitError" && typeof e?.path === "string") errors = [{ path: e.path, message }];
    return make(status, slug, title, message, errors);
  }
  // Other http-errors with a client status (e.g. from express itself).
  const status = typeof e?.status === "number" ? e.status : 0;
  if (status >= 400 && status < 500) return make(status, "bad-request", "Bad request", message || "The request is invalid.");
  return { ...make(500, "internal", "Internal server error", "An unexpected error occurred; it has been logged."), unexpected: true };
}

export function sendProblem(res: Response, answer: ProblemAnswer): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
  res.status(answer.problem.status).type("application/problem+json").send(JSON.stringify(answer.problem));
}

/** The last middleware: every error becomes a problem; unexpected ones are logged with their stack. */
export function errorHandler(log: (line: string) => void) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const answer = toProblem(error);
    if (answer.unexpected) {
      const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`spreadlab server: ${req.method} ${req.originalUrl} failed: ${stack.replace(/\n\s*/g, " | ")}`);
    }
    sendProblem(res, answer);
  };
}

export const notFoundRoute = (req: Request, _res: Response, next: NextFunction): void =>
  next(new HttpProblem(404, "route-not-found", "No such route", `${req.method} ${req.path} is not a route of this API; see GET /v1/openapi.json.`));
