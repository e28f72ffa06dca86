/**
 * Named error classes. Each has a stable `name` that callers (tests, the server's problem+json mapping)
 * match on; messages say what was expected and how to fix it, prefixed by the call site.
 */

/** Base class: every Spreadlab error carries a stable `name`. */
export class SpreadlabError extends Error {
  override name = "SpreadlabError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An error at a place in a file: the message is prefixed `file:line: `, and both are kept as fields. */
export class LocatedError extends SpreadlabError {
  override name = "LocatedError";
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(message: string, where: { file?: string; line?: number } = {}, options?: { cause?: unknown }) {
    const prefix = where.file ? `${where.file}${where.line !== undefined ? `:${where.line}` : ""}: ` : "";
    super(prefix + message, options);
    this.file = where.file;
    this.line = where.line;
  }
}

/** A network file or graph object is malformed. Carries the file and (1-based) line when known. */
export class GraphFormatError extends LocatedError {
  override name = "GraphFormatError";
}

/** A model definition or its parameters are invalid (negative rate, unknown compartment, …). */
export class ModelError extends SpreadlabError {
  override name = "ModelError";
}

/** A simulation request is invalid for the given network (seeds that are not nodes, bad time settings, …). */
export class SimulationError extends SpreadlabError {
  override name = "SimulationError";
}

/** A generator was given parameters outside its domain. */
export class GeneratorError extends SpreadlabError {
  override name = "GeneratorError";
}

/** A requested item (model id, node key, …) does not exist. */
export class NotFoundError extends SpreadlabError {
  override name = "NotFoundError";
}

/** An expression is invalid (syntax, forbidden construct, unknown name) or evaluated to something other than a finite number. */
export class ExpressionError extends SpreadlabError {
  override name = "ExpressionError";
}

/** A scenario file is invalid. `issues` lists every problem with its field path and position. */
export class ScenarioError extends SpreadlabError {
  override name = "ScenarioError";
  readonly issues: ScenarioIssue[];
  constructor(message: string, issues: ScenarioIssue[] = []) {
    super(message);
    this.issues = issues;
  }
}

export interface ScenarioIssue {
  /** Field path such as `model.params.beta`. */
  path: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/**
 * A run would produce (or, at run time, has produced) more output than a limit allows: record values,
 * record times of an open-ended run, history events. `path` is the field to change, `limit` the limit's
 * name (see ensemble/caps.ts); the message gives the formula and how to fix it.
 */
export class LimitError extends SpreadlabError {
  override name = "LimitError";
  readonly path: string;
  readonly limit: string;
  constructor(message: string, path: string, limit: string) {
    super(message);
    this.path = path;
    this.limit = limit;
  }
}

/**
 * A run's expected work (events, node-steps, rate re-evaluations) is over the documented bound: refused before
 * it starts, with the estimate and its formula in the message (engine/work.ts).
 */
export class WorkLimitError extends SpreadlabError {
  override name = "WorkLimitError";
}
