/**
 * Safe, compiled-once math expressions for scenario files.
 *
 * Scenario rates and time-varying parameters may be written as expressions over named parameters and
 * the time `t`, e.g. `beta * (t < 30 ? 1 : 0.4)` or `0.3 * (1 + 0.2 * sin(2 * pi * t / 52))`.
 * A scenario is data, so an expression must never run code, reach the file system or network, or change
 * the math instance. Following the mathjs security notes (https://mathjs.org/docs/expressions/security.html):
 *
 * - expressions are parsed by a private instance made with `create(all)` (never the shared default one);
 *   its dangerous functions (`import`, `createUnit`, `evaluate`, `parse`, `compile`, `simplify`, …) are
 *   overridden with functions that throw, after a private reference to `parse` has been kept;
 * - the parsed tree is checked node by node against an explicit whitelist (numbers, the allowed symbols,
 *   the constants `pi` and `e`, arithmetic/comparison/logical operators, `?:`, and a fixed list of
 *   elementary functions); anything else — assignments, function definitions, property access, indexing,
 *   arrays, matrices, objects, strings, units, ranges, multiple statements, … — is rejected;
 * - the tree is compiled once; at evaluation the compiled code only sees the symbols the expression
 *   reads (through a small read-only scope), and the result must be a finite JavaScript number.
 */
import { createRequire } from "node:module";
import type { MathNode } from "mathjs";
import { ExpressionError } from "../errors.js";
import { RestrictedScope, describeScope, describeValue, quoteSource, scopeValue, type UserScope } from "./expression-scope.js";

export { ExpressionError };
import { didYouMean } from "./suggest.js";
import { ALLOWED_CONSTANTS, ALLOWED_FUNCTIONS, ALLOWED_OPERATORS, COMPARISONS, FUNCTION_ARITY, MAX_EXPRESSION_LENGTH, OPERATORS, TIME_SYMBOL } from "./expression-vocabulary.js";

export interface CompiledExpression {
  source: string;
  /** Symbols the expression reads (parameters and t), sorted. Constants `pi` and `e` are not listed unless a parameter shadows them. */
  symbols: string[];
  /** True when the value depends on t. */
  timeDependent: boolean;
  /** Evaluate with the given scope (parameter values and t); returns a finite number or throws ExpressionError. */
  evaluate(scope: Record<string, number> | ReadonlyMap<string, number>): number;
}

export { ALLOWED_CONSTANTS, ALLOWED_FUNCTIONS, ALLOWED_OPERATORS, MAX_EXPRESSION_LENGTH, TIME_SYMBOL } from "./expression-vocabulary.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const has = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

// ---------------------------------------------------------------------------------------------------------
// The private, restricted mathjs instance. Never exported; user input never reaches the default instance.

const DISABLED_FUNCTIONS = [
  "import",
  "createUnit",
  "reviver",
  "replacer",
  "evaluate",
  "parse",
  "parser",
  "compile",
  "simplify",
  "simplifyCore",
  "simplifyConstant",
  "rationalize",
  "derivative",
  "resolve",
  "symbolicEqual",
  "leafCount",
  "chain",
  "help",
  "map",
  "forEach",
  "filter",
  "apply",
] as const;

/**
 * Built on first use: loading mathjs costs seconds on a busy machine, and most runs (every preset model,
 * every worker thread of an ensemble) never compile an expression. `require` keeps compileExpression
 * synchronous.
 */
interface Restricted {
  parse: (source: string) => MathNode;
  isValuelessUnit: (name: string) => boolean;
}
let restricted: Restricted | null = null;
function restrictedInstance(): Restricted {
  if (restricted !== null) return restricted;
  const { all, create } = createRequire(import.meta.url)("mathjs") as typeof import("mathjs");
  const math = create(all, { number: "number", matrix: "Matrix" });
  /** Kept before `parse` is disabled on the instance; the only entry point for scenario text. */
  const parse = math.parse;
  math.import(
    Object.fromEntries(
      DISABLED_FUNCTIONS.map((fnName) => [
        fnName,
        function disabled(): never {
          throw new ExpressionError(`Function ${fnName} is disabled in scenario expressions.`);
        },
      ]),
    ),
    { override: true },
  );
  restricted = {
    parse: (source) => parse(source),
    isValuelessUnit: (name) => {
      try {
        return math.Unit.isValuelessUnit(name);
      } catch {
        return false;
      }
    },
  };
  return restricted;
}

// ---------------------------------------------------------------------------------------------------------
// Validation of the parsed tree.

/** Short, human description of a node kind that is not allowed. */
const FORBIDDEN_NODES: Readonly<Record<string, string>> = Object.freeze({
  AssignmentNode: "assignments (`x = …`)",
  FunctionAssignmentNode: "function definitions (`f(x) = …`)",
  AccessorNode: "property access or indexing (`a.b`, `a[\"b\"]`)",
  IndexNode: "indexing (`a[1]`)",
  ArrayNode: "arrays and matrices (`[1, 2]`)",
  ObjectNode: "objects (`{a: 1}`)",
  RangeNode: "ranges (`a:b`)",
  BlockNode: "multiple statements (`;` or line breaks)",
});

const ALLOWED_SUMMARY =
  `numbers, the parameters and t, the constants ${ALLOWED_CONSTANTS.join(", ")}, ` +
  `the operators ${ALLOWED_OPERATORS.join(" ")}, ` +
  `and the functions ${ALLOWED_FUNCTIONS.join(", ")}`;

interface Walk {
  /** Names accepted as symbols (parameters and t). */
  readonly allowed: ReadonlySet<string>;
  /** Symbols read (parameters, t, and constants shadowed by parameters). */
  readonly read: Set<string>;
  /** Function names called. */
  readonly called: Set<string>;
  /** Unknown symbol names, in order of appearance. */
  readonly unknown: string[];
}

/** "Expression "src": <what> not allowed (found "<found>").<hint> Allowed: …" */
function forbidden(label: string, what: string, found?: string, hint = ""): ExpressionError {
  const where = found === undefined ? "" : ` (found "${found}")`;
  return new ExpressionError(`Expression ${label}: ${what} not allowed${where}.${hint} Allowed: ${ALLOWED_SUMMARY}.`);
}

function checkNode(node: MathNode, label: string, walk: Walk): void {
  switch (node.type) {
    case "ConstantNode": {
      const value: unknown = (node as unknown as { value: unknown }).value;
      if (typeof value === "string") throw forbidden(label, "strings are", JSON.stringify(value));
      if (typeof value !== "number") throw forbidden(label, "non-numeric constants are", String(value));
      if (!Number.isFinite(value)) throw forbidden(label, "non-finite numbers are", node.toString());
      return;
    }
    case "SymbolNode": {
      const name = (node as unknown as { name: string }).name;
      if (walk.allowed.has(name)) walk.read.add(name);
      else if (!ALLOWED_CONSTANTS.includes(name) && !walk.unknown.includes(name)) walk.unknown.push(name);
      return;
    }
    case "ParenthesisNode":
      checkNode((node as unknown as { content: MathNode }).content, label, walk);
      return;
    case "ConditionalNode": {
      const c = node as unknown as { condition: MathNode; trueExpr: MathNode; falseExpr: MathNode };
      checkNode(c.condition, label, walk);
      checkNode(c.trueExpr, label, walk);
      checkNode(c.falseExpr, label, walk);
      return;
    }
    case "OperatorNode": {
      const op = node as unknown as { op: string; fn: string; args: MathNode[] };
      if (typeof op.fn !== "string" || !has(OPERATORS, op.fn)) {
        throw forbidden(label, `the operator "${op.op}" (${String(op.fn)}) is`, node.toString());
      }
      for (const arg of op.args) checkNode(arg, label, walk);
      return;
    }
    case "RelationalNode": {
      const rel = node as unknown as { conditionals: string[]; params: MathNode[] };
      for (const c of rel.conditionals) {
        if (!COMPARISONS.has(c)) throw forbidden(label, `the comparison "${c}" is`, node.toString());
      }
      for (const p of rel.params) checkNode(p, label, walk);
      return;
    }
    case "FunctionNode": {
      const call = node as unknown as { fn: MathNode; args: MathNode[]; optional?: boolean };
      if (call.fn.type !== "SymbolNode") {
        throw forbidden(label, "calling anything but a whitelisted function by name is", node.toString());
      }
      const name = (call.fn as unknown as { name: string }).name;
      if (!has(FUNCTION_ARITY, name)) {
        throw forbidden(label, `the function "${name}" is`, node.toString(), didYouMean(name, ALLOWED_FUNCTIONS));
      }
      if (call.optional) throw forbidden(label, "optional calls (`f?.(x)`) are", node.toString());
      const [min, max] = FUNCTION_ARITY[name];
      const n = call.args.length;
      if (n < min || n > max) {
        const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        throw new ExpressionError(
          `Expression ${label}: ${name}() takes ${expected} argument${/(^| )1$/.test(expected) ? "" : "s"}, found ${n}.`,
        );
      }
      walk.called.add(name);
      for (const arg of call.args) checkNode(arg, label, walk);
      return;
    }
    default: {
      const what = FORBIDDEN_NODES[node.type] ?? `constructs of type ${node.type}`;
      throw forbidden(label, `${what} are`, node.toString());
    }
  }
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Parse, check and compile `source` once. `allowed` lists the parameter names the expression may read;
 * `t` is always allowed. Throws ExpressionError for syntax errors, unknown symbols (with suggestions) and
 * every construct outside the whitelist.
 */
export function compileExpression(source: string, allowed: readonly string[]): CompiledExpression {
  if (typeof source !== "string") {
    throw new ExpressionError(`An expression must be a string, got ${typeof source}.`);
  }
  if (source.trim() === "") throw new ExpressionError("Expression is empty.");
  const label = quoteSource(source);
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `Expression ${label}: too long (${source.length} characters, at most ${MAX_EXPRESSION_LENGTH}).`,
    );
  }
  for (const name of allowed) {
    if (typeof name !== "string" || !IDENTIFIER.test(name)) {
      throw new ExpressionError(
        `Parameter name ${JSON.stringify(name)} cannot be used in expressions: names must be letters, digits and _ and start with a letter or _.`,
      );
    }
  }
  const allowedSet = new Set<string>([...allowed, TIME_SYMBOL]);

  let root: MathNode;
  try {
    root = restrictedInstance().parse(source);
  } catch (err) {
    const reason = err instanceof RangeError ? "it is nested too deeply" : err instanceof Error ? err.message : String(err);
    throw new ExpressionError(`Expression ${label} could not be parsed: ${reason}. Allowed: ${ALLOWED_SUMMARY}.`, {
      cause: err,
    });
  }

  const walk: Walk = { allowed: allowedSet, read: new Set(), called: new Set(), unknown: [] };
  try {
    checkNode(root, label, walk);
  } catch (err) {
    if (err instanceof ExpressionError) throw err;
    const reason = err instanceof RangeError ? "it is nested too deeply" : err instanceof Error ? err.message : String(err);
    throw new ExpressionError(`Expression ${label} could not be checked: ${reason}.`, { cause: err });
  }

  if (walk.unknown.length > 0) {
    const valid = [...allowedSet].sort();
    const parts = walk.unknown.map((name) => {
      const suggestion = didYouMean(name, [...valid, ...ALLOWED_CONSTANTS]).trim();
      if (suggestion !== "") return `"${name}" (${suggestion.charAt(0).toLowerCase()}${suggestion.slice(1)})`;
      if (restrictedInstance().isValuelessUnit(name)) return `"${name}" (units are not supported)`;
      return `"${name}"`;
    });
    throw new ExpressionError(
      `Expression ${label}: unknown symbol${walk.unknown.length > 1 ? "s" : ""} ${parts.join(", ")}. ` +
        `Allowed symbols: ${valid.join(", ")} and the constants ${ALLOWED_CONSTANTS.join(", ")}.`,
    );
  }
  for (const name of walk.called) {
    if (walk.read.has(name)) {
      throw new ExpressionError(
        `Expression ${label}: "${name}" is both a parameter and a function here; rename the parameter.`,
      );
    }
  }

  const symbols = [...walk.read].sort();
  let code: { evaluate(scope?: unknown): unknown };
  try {
    code = root.compile();
  } catch (err) {
    throw new ExpressionError(`Expression ${label} could not be compiled: ${err instanceof Error ? err.message : String(err)}.`, {
      cause: err,
    });
  }
  const scopeView = new RestrictedScope(new Set(symbols));

  const evaluate = (scope: UserScope): number => {
    // Every symbol must have a number: a missing parameter must not fall back to a mathjs built-in
    // (`gamma`, `e`, …), and non-numbers (BigNumber, strings, …) must not enter the computation.
    for (const name of symbols) {
      const value: unknown = scopeValue(scope, name);
      if (typeof value !== "number") {
        throw new ExpressionError(
          `Expression ${label}: ${value === undefined ? "no value" : `a non-number value (${describeValue(value)})`} ` +
            `for "${name}" (scope: ${describeScope(symbols, scope)}).`,
        );
      }
    }
    let result: unknown;
    scopeView.bind(scope);
    try {
      result = code.evaluate(scopeView);
    } catch (err) {
      if (err instanceof ExpressionError) throw err;
      throw new ExpressionError(
        `Expression ${label} failed with ${describeScope(symbols, scope)}: ${err instanceof Error ? err.message : String(err)}.`,
        { cause: err },
      );
    } finally {
      scopeView.bind(undefined);
    }
    if (typeof result !== "number") {
      throw new ExpressionError(
        `Expression ${label} evaluated to ${describeValue(result)}, not a number, with ${describeScope(symbols, scope)}.`,
      );
    }
    if (!Number.isFinite(result)) {
      throw new ExpressionError(
        `Expression ${label} evaluated to ${result}, not a finite number, with ${describeScope(symbols, scope)}.`,
      );
    }
    return result;
  };

  return {
    source,
    symbols: [...symbols],
    timeDependent: walk.read.has(TIME_SYMBOL),
    evaluate,
  };
}
