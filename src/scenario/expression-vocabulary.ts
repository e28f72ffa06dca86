/**
 * What a scenario expression may contain (expressions.ts checks every parsed node against it): the time symbol,
 * the whitelisted functions with their argument counts, constants and operators, and the length limit. The
 * public lists are also what error messages and the documentation quote.
 */

/** The time symbol; always allowed. */
export const TIME_SYMBOL = "t";

/** Longest accepted expression source, in characters (scenario expressions are one-liners). */
export const MAX_EXPRESSION_LENGTH = 2000;

/** Whitelisted functions with their accepted argument counts [min, max]. */
export const FUNCTION_ARITY: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  abs: [1, 1],
  exp: [1, 1],
  log: [1, 2],
  log10: [1, 1],
  sqrt: [1, 1],
  pow: [2, 2],
  min: [1, Infinity],
  max: [1, Infinity],
  floor: [1, 1],
  ceil: [1, 1],
  round: [1, 2],
  sign: [1, 1],
  sin: [1, 1],
  cos: [1, 1],
  tan: [1, 1],
  asin: [1, 1],
  acos: [1, 1],
  atan: [1, 1],
  atan2: [2, 2],
  sinh: [1, 1],
  cosh: [1, 1],
  tanh: [1, 1],
  mod: [2, 2],
});

/** Whitelisted functions, by name. */
export const ALLOWED_FUNCTIONS: readonly string[] = Object.freeze(Object.keys(FUNCTION_ARITY));

/** Whitelisted constants (a parameter of the same name takes precedence). */
export const ALLOWED_CONSTANTS: readonly string[] = Object.freeze(["pi", "e"]);

/** Whitelisted operators: mathjs operator function name → the syntax it is written with. */
export const OPERATORS: Readonly<Record<string, string>> = Object.freeze({
  add: "+",
  subtract: "-",
  multiply: "*",
  divide: "/",
  unaryMinus: "-x",
  unaryPlus: "+x",
  pow: "^",
  mod: "% / mod",
  smaller: "<",
  larger: ">",
  smallerEq: "<=",
  largerEq: ">=",
  equal: "==",
  unequal: "!=",
  and: "and",
  or: "or",
  xor: "xor",
  not: "not",
});

/** Whitelisted operators, as written (plus the conditional `c ? a : b`). */
export const ALLOWED_OPERATORS: readonly string[] = Object.freeze([...Object.values(OPERATORS), "c ? a : b"]);

/** Comparison functions allowed in chained comparisons such as `0 < t < 30`. */
export const COMPARISONS = new Set(["smaller", "larger", "smallerEq", "largerEq", "equal", "unequal"]);
