import { evaluate as defaultEvaluate } from "mathjs";
import { describe, expect, it } from "vitest";
import { SpreadlabError } from "../../src/errors.js";
import {
  ALLOWED_CONSTANTS,
  ALLOWED_FUNCTIONS,
  ExpressionError,
  MAX_EXPRESSION_LENGTH,
  compileExpression,
} from "../../src/scenario/expressions.js";

const PARAMS = ["beta", "gamma"] as const;

/** Compile and expect an ExpressionError; returns it for message checks. */
function rejects(source: string, allowed: readonly string[] = PARAMS): ExpressionError {
  try {
    compileExpression(source, allowed);
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return err as ExpressionError;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
}

/** Evaluate and expect an ExpressionError; returns it for message checks. */
function evalRejects(run: () => number): ExpressionError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return err as ExpressionError;
  }
  throw new Error("expected evaluation to throw");
}

describe("compileExpression: example expressions", () => {
  it("piecewise contact reduction: beta * (t < 30 ? 1 : 0.4)", () => {
    const e = compileExpression("beta * (t < 30 ? 1 : 0.4)", PARAMS);
    expect(e.source).toBe("beta * (t < 30 ? 1 : 0.4)");
    expect(e.symbols).toEqual(["beta", "t"]);
    expect(e.timeDependent).toBe(true);
    // beta = 0.5: full rate before day 30, 0.5 * 0.4 = 0.2 from day 30 on.
    expect(e.evaluate({ beta: 0.5, gamma: 0.1, t: 0 })).toBe(0.5);
    expect(e.evaluate({ beta: 0.5, gamma: 0.1, t: 29.999 })).toBe(0.5);
    expect(e.evaluate({ beta: 0.5, gamma: 0.1, t: 30 })).toBeCloseTo(0.2, 15);
    expect(e.evaluate({ beta: 0.5, gamma: 0.1, t: 100 })).toBeCloseTo(0.2, 15);
  });

  it("seasonal forcing: 0.3 * (1 + 0.2 * sin(2 * pi * t / 52))", () => {
    const e = compileExpression("0.3 * (1 + 0.2 * sin(2 * pi * t / 52))", PARAMS);
    expect(e.symbols).toEqual(["t"]);
    expect(e.timeDependent).toBe(true);
    // t = 0: sin 0 = 0 → 0.3; t = 13: sin(π/2) = 1 → 0.3 · 1.2 = 0.36;
    // t = 26: sin π = 0 → 0.3; t = 39: sin(3π/2) = −1 → 0.3 · 0.8 = 0.24; t = 52: a full period → 0.3.
    expect(e.evaluate({ t: 0 })).toBe(0.3);
    expect(e.evaluate({ t: 13 })).toBeCloseTo(0.36, 12);
    expect(e.evaluate({ t: 26 })).toBeCloseTo(0.3, 12);
    expect(e.evaluate({ t: 39 })).toBeCloseTo(0.24, 12);
    expect(e.evaluate({ t: 52 })).toBeCloseTo(0.3, 12);
  });

  it("derived parameter: gamma / 2", () => {
    const e = compileExpression("gamma / 2", PARAMS);
    expect(e.symbols).toEqual(["gamma"]);
    expect(e.timeDependent).toBe(false);
    expect(e.evaluate({ beta: 0.3, gamma: 0.2 })).toBe(0.1);
    expect(e.evaluate({ gamma: 0.2, t: 5 })).toBe(0.1);
  });

  it("accepts a Map as the scope", () => {
    const e = compileExpression("beta * (t < 30 ? 1 : 0.4)", PARAMS);
    expect(e.evaluate(new Map([["beta", 1], ["t", 40]]))).toBeCloseTo(0.4, 15);
  });
});

describe("compileExpression: what is allowed", () => {
  it("detects time dependence and lists the symbols read, sorted, without constants", () => {
    expect(compileExpression("2 * pi * e", PARAMS)).toMatchObject({ symbols: [], timeDependent: false });
    expect(compileExpression("gamma + beta * gamma", PARAMS)).toMatchObject({ symbols: ["beta", "gamma"], timeDependent: false });
    expect(compileExpression("t", [])).toMatchObject({ symbols: ["t"], timeDependent: true });
    expect(compileExpression("beta * exp(-t / 10)", PARAMS)).toMatchObject({ symbols: ["beta", "t"], timeDependent: true });
  });

  it("piecewise definitions with ?:, chained comparisons and logical operators", () => {
    const steps = compileExpression("t < 10 ? 1 : t < 20 ? 2 : 3", []);
    expect([0, 9.5, 10, 19, 20, 50].map((t) => steps.evaluate({ t }))).toEqual([1, 1, 2, 2, 3, 3]);
    const window = compileExpression("0 <= t < 30 ? beta : 0", PARAMS);
    expect(window.evaluate({ beta: 0.7, t: 15 })).toBe(0.7);
    expect(window.evaluate({ beta: 0.7, t: 30 })).toBe(0);
    const logical = compileExpression("(t >= 5 and t <= 7) or not (t != 100) ? 1 : 0", []);
    expect([4, 5, 7, 8, 100].map((t) => logical.evaluate({ t }))).toEqual([0, 1, 1, 0, 1]);
  });

  it("evaluates every whitelisted function and constant on numbers", () => {
    const cases: Array<[string, number]> = [
      ["abs(-2)", 2],
      ["exp(0)", 1],
      ["log(e)", 1],
      ["log(8, 2)", 3],
      ["log10(1000)", 3],
      ["sqrt(16)", 4],
      ["pow(2, 10)", 1024],
      ["2 ^ 10", 1024],
      ["min(3, 1, 2)", 1],
      ["max(3, 1, 2)", 3],
      ["floor(2.7)", 2],
      ["ceil(2.1)", 3],
      ["round(2.5)", 3],
      ["round(2.345, 2)", 2.35],
      ["sign(-3)", -1],
      ["sin(pi / 2)", 1],
      ["cos(0)", 1],
      ["tan(0)", 0],
      ["asin(1)", Math.PI / 2],
      ["acos(1)", 0],
      ["atan(1)", Math.PI / 4],
      ["atan2(1, 1)", Math.PI / 4],
      ["sinh(0)", 0],
      ["cosh(0)", 1],
      ["tanh(0)", 0],
      ["mod(7, 3)", 1],
      ["7 % 3", 1],
      ["7 mod 3", 1],
      ["-(2) + +3", 1],
      ["50%", 0.5],
      ["2 pi", 2 * Math.PI],
    ];
    for (const [source, expected] of cases) {
      expect(compileExpression(source, []).evaluate({}), source).toBeCloseTo(expected, 12);
    }
    expect(ALLOWED_FUNCTIONS).toEqual([
      "abs", "exp", "log", "log10", "sqrt", "pow", "min", "max", "floor", "ceil", "round", "sign",
      "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "mod",
    ]);
    expect(ALLOWED_CONSTANTS).toEqual(["pi", "e"]);
  });

  it("extra entries in the scope never shadow functions or leak into the expression", () => {
    const e = compileExpression("max(beta, 0.1) + sin(0)", PARAMS);
    expect(e.evaluate({ beta: 0.05, max: 3, sin: 7, pi: 4 } as Record<string, number>)).toBe(0.1);
    const c = compileExpression("2 * pi", PARAMS);
    expect(c.evaluate({ pi: 4 })).toBeCloseTo(2 * Math.PI, 15);
  });

  it("a parameter named like a constant takes its place", () => {
    const e = compileExpression("e * 2", ["e"]);
    expect(e.symbols).toEqual(["e"]);
    expect(e.evaluate({ e: 1.5 })).toBe(3);
  });

  it("is deterministic: repeated evaluation and recompilation give identical values", () => {
    const source = "beta * (1 + 0.2 * sin(2 * pi * t / 52)) * (t < 30 ? 1 : 0.4) + gamma ^ 2";
    const a = compileExpression(source, PARAMS);
    const b = compileExpression(source, PARAMS);
    const times = Array.from({ length: 200 }, (_, i) => i * 0.37);
    const first = times.map((t) => a.evaluate({ beta: 0.3, gamma: 0.1, t }));
    const again = times.map((t) => a.evaluate({ beta: 0.3, gamma: 0.1, t }));
    const other = times.map((t) => b.evaluate(new Map([["beta", 0.3], ["gamma", 0.1], ["t", t]])));
    expect(again).toEqual(first);
    expect(other).toEqual(first);
  });

  it("leaves mathjs's default instance untouched", () => {
    compileExpression("beta * 2", PARAMS);
    expect(defaultEvaluate("1 + 1")).toBe(2);
  });
});

describe("compileExpression: unknown symbols", () => {
  it("rejects an unknown symbol with a suggestion", () => {
    const err = rejects("bta * (t < 30 ? 1 : 0.4)");
    expect(err.name).toBe("ExpressionError");
    expect(err).toBeInstanceOf(SpreadlabError);
    expect(err.message).toContain('"bta"');
    expect(err.message).toMatch(/did you mean "beta"/i);
    expect(err.message).toContain("beta, gamma, t");
  });

  it("lists every unknown symbol", () => {
    const err = rejects("bta + gama + zzz");
    expect(err.message).toMatch(/unknown symbols "bta" \(did you mean "beta"\?\), "gama" \(did you mean "gamma"\?\), "zzz"/);
  });

  it("does not treat mathjs's other constants and built-ins as symbols", () => {
    expect(rejects("Infinity").message).toMatch(/non-finite numbers are not allowed/);
    expect(rejects("NaN").message).toMatch(/not allowed/);
    for (const source of ["i", "phi", "tau", "E", "PI", "gamma", "this", "constructor", "__proto__", "process", "globalThis"]) {
      const err = rejects(source, ["beta"]);
      expect(err.message, source).toContain(`unknown symbol "${source}"`);
    }
  });
});

describe("compileExpression: dangerous constructs are rejected", () => {
  const cases: Array<[string, RegExp]> = [
    ["import({}, {})", /function "import" is not allowed/],
    ['evaluate("1+1")', /function "evaluate" is not allowed/],
    ['parse("x")', /function "parse" is not allowed/],
    ['compile("x")', /function "compile" is not allowed/],
    ['simplify("x")', /function "simplify" is not allowed/],
    ['createUnit("foo")', /function "createUnit" is not allowed/],
    ["config({number: 'BigNumber'})", /function "config" is not allowed/],
    ["bignumber(1)", /function "bignumber" is not allowed/],
    ["matrix([1])", /function "matrix" is not allowed/],
    ["f(x) = x", /function definitions/],
    ["x = 3", /assignments/],
    ["beta = 3", /assignments/],
    ["[1,2]", /arrays and matrices/],
    ["{a: 1}", /objects/],
    ['"text"', /strings are not allowed/],
    ["'text'", /strings are not allowed/],
    ["5 cm", /unknown symbol "cm" \(units are not supported\)/],
    ["5 to cm", /operator "to"/],
    ["1:3", /ranges/],
    ["a.b", /property access/],
    ["cos.constructor", /property access/],
    ['sin.constructor.constructor("return process")', /calling anything but a whitelisted function/],
    ['sin.constructor.constructor("return process")()', /could not be parsed/],
    ['sin["constructor"]["constructor"]("return 1")', /calling anything but a whitelisted function/],
    ['sin["constructor"]', /property access/],
    ["beta[1]", /property access or indexing/],
    ["(()=>1)", /could not be parsed/],
    ["x => 1", /could not be parsed/],
    ["function () { return 1 }", /could not be parsed/],
    ["`x`", /could not be parsed/],
    ['new Function("return 1")', /function "Function" is not allowed/],
    ['require("fs")', /function "require" is not allowed/],
    ["process.exit(1)", /calling anything but a whitelisted function/],
    ["sin?.(1)", /optional calls/],
    ["1; 2", /multiple statements/],
    ["beta\ngamma", /multiple statements/],
    ["2!", /operator "!"/],
    ["beta'", /operator "'"/],
    ["beta & 1", /operator "&"/],
    ["beta | 1", /operator "\|"/],
    ["beta << 1", /operator "<<"/],
    ["beta ?? 1", /operator "\?\?"/],
    ["beta .* 2", /operator "\.\*"/],
    ["true", /non-numeric constants/],
    ["null", /non-numeric constants/],
    ["1e999", /non-finite numbers/],
    ["min()", /min\(\) takes at least 1 argument, found 0/],
    ["atan2(1)", /atan2\(\) takes 2 arguments, found 1/],
    ["sin(1, 2)", /sin\(\) takes 1 argument, found 2/],
    ["", /empty/],
    ["   ", /empty/],
  ];

  it.each(cases)("%s", (source, pattern) => {
    const err = rejects(source);
    expect(err.message).toMatch(pattern);
  });

  it("says what is allowed when rejecting a construct", () => {
    const err = rejects("import({}, {})");
    expect(err.message).toContain("Allowed:");
    expect(err.message).toContain("sin");
    expect(err.message).toContain("pi, e");
  });

  it("suggests a whitelisted function for a misspelt one", () => {
    expect(rejects("sni(t)").message).toMatch(/did you mean "sin"/i);
  });

  it("rejects a parameter that is also called as a function", () => {
    expect(rejects("sin(sin)", ["sin"]).message).toMatch(/both a parameter and a function/);
  });

  it("rejects parameter names that are not identifiers", () => {
    expect(rejects("1", ["a.b"]).message).toMatch(/Parameter name "a\.b"/);
    expect(rejects("1", ["x y"]).message).toMatch(/Parameter name/);
  });

  it("rejects sources that are too long or nested too deeply", () => {
    expect(rejects("1+".repeat(MAX_EXPRESSION_LENGTH) + "1").message).toMatch(/too long/);
    const depth = Math.floor((MAX_EXPRESSION_LENGTH - 1) / 2);
    expect(() => compileExpression("(".repeat(depth) + "1" + ")".repeat(depth), [])).not.toThrow(TypeError);
    const deep = "-".repeat(MAX_EXPRESSION_LENGTH - 1) + "1";
    let result: number | undefined;
    try {
      result = compileExpression(deep, []).evaluate({});
    } catch (err) {
      expect(err).toBeInstanceOf(ExpressionError);
    }
    if (result !== undefined) expect(result).toBe(MAX_EXPRESSION_LENGTH % 2 === 0 ? -1 : 1);
  });

  it("rejects a non-string source", () => {
    expect(() => compileExpression(42 as unknown as string, [])).toThrow(ExpressionError);
  });
});

describe("CompiledExpression.evaluate errors", () => {
  it("division by zero is an ExpressionError naming the expression and the scope", () => {
    const e = compileExpression("beta / (gamma - 0.1)", PARAMS);
    const err = evalRejects(() => e.evaluate({ beta: 0.3, gamma: 0.1 }));
    expect(err.message).toContain('"beta / (gamma - 0.1)"');
    expect(err.message).toContain("Infinity");
    expect(err.message).toContain("beta = 0.3, gamma = 0.1");
    expect(evalRejects(() => compileExpression("0 / 0", []).evaluate({})).message).toContain("NaN");
    expect(evalRejects(() => compileExpression("exp(1000)", []).evaluate({})).message).toContain("not a finite number");
  });

  it("non-number results are rejected", () => {
    expect(evalRejects(() => compileExpression("t < 30", []).evaluate({ t: 1 })).message).toMatch(/boolean true, not a number, with t = 1/);
    expect(evalRejects(() => compileExpression("sqrt(-1)", []).evaluate({})).message).toMatch(/Complex/);
    expect(evalRejects(() => compileExpression("log(-beta)", PARAMS).evaluate({ beta: 1 })).message).toMatch(/not a number/);
  });

  it("missing or non-number values in the scope are rejected", () => {
    const e = compileExpression("gamma / 2 + t", PARAMS);
    expect(evalRejects(() => e.evaluate({ t: 1 })).message).toMatch(/no value for "gamma"/);
    expect(evalRejects(() => e.evaluate({ gamma: 1 })).message).toMatch(/no value for "t"/);
    expect(evalRejects(() => e.evaluate({ gamma: "1" as unknown as number, t: 1 })).message).toMatch(/non-number value \("1"\) for "gamma"/);
    // inherited properties are not values
    const inherited = Object.create({ gamma: 1 }) as Record<string, number>;
    inherited.t = 0;
    expect(evalRejects(() => e.evaluate(inherited)).message).toMatch(/no value for "gamma"/);
  });

  it("does not write to the caller's scope", () => {
    const scope = { beta: 0.3, gamma: 0.1, t: 4 };
    compileExpression("beta * t + gamma", PARAMS).evaluate(scope);
    expect(scope).toEqual({ beta: 0.3, gamma: 0.1, t: 4 });
  });
});
