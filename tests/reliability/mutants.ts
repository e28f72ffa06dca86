/**
 * Mutated scenarios for the fuzz suites (fuzz-scenario, fuzz-rest): one of the bundled scenarios/*.yaml with
 * one to three values replaced — by hostile values of any type (type confusion, extreme numbers, −0, NaN and
 * ±∞, NaN-ish strings, prototype names, deep nesting) or, so that a share of the mutants is valid and runs,
 * by numbers in the place of numbers — and sometimes a field named after an Object.prototype member.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { parse, stringify } from "yaml";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const scenarioDir = join(root, "scenarios");
const BASES = readdirSync(scenarioDir)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => ({ file: f, data: parse(readFileSync(join(scenarioDir, f), "utf8")) as Record<string, unknown> }));

type Path = (string | number)[];
function leaves(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === "object") {
    out.push(path); // objects themselves can be replaced too
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  } else out.push(path);
  return out;
}
function setAt(data: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: Record<string | number, unknown> = Array.isArray(data) ? [...data] : { ...(data as object) };
  const [head, ...rest] = path;
  Object.defineProperty(copy, head, { value: setAt((data as Record<string | number, unknown>)?.[head], rest, value), enumerable: true, writable: true, configurable: true });
  return copy;
}

const deep = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
export const PROTO = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
export const hostile = fc.oneof(
  // Plausible values too, so that a share of the mutants is valid and runs.
  { arbitrary: fc.double({ min: 0, max: 2, noNaN: true }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 20 }), weight: 2 },
  fc.constantFrom(-0, 0, 1, -1, 0.5, 1.5, 2 ** 31, 2 ** 53, 1e21, 1e308, -1e308, NaN, Infinity, -Infinity, 5e-324),
  fc.constantFrom("NaN", "nan", "Infinity", "-0", "0*-1", "log(1, 0)", "exp(t)", "1e308*10", "", " ", "x", "t", "import('fs')", "true"),
  fc.constantFrom(...PROTO),
  fc.constantFrom(true, false, null, [], {}, [1, 2], { type: "x" }),
  fc.constantFrom(deep(70), deep(200)), // (10,000 levels: nesting.test.ts; yaml.stringify itself recurses)
  fc.integer({ min: -5, max: 50 }),
);

/** Numbers only, for the numbers of a scenario (the type stays right, so these mutants often run). */
const numeric = fc.oneof(
  fc.constantFrom(-0, 0, 1, 2, 1e-300, 5e-324, 1e21, 1e308, NaN, Infinity, -Infinity, -1, 2 ** 31),
  fc.double({ min: 0, max: 2, noNaN: true }),
  fc.integer({ min: 0, max: 30 }),
);
const at = (data: unknown, p: Path) => p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], data);

/** A mutated scenario as data (`base`: the file it came from). */
export const mutantData = fc
  .record({ base: fc.nat(BASES.length - 1), picks: fc.array(fc.oneof(fc.tuple(fc.nat(), hostile, fc.constant(false)), fc.tuple(fc.nat(), numeric, fc.constant(true))), { minLength: 1, maxLength: 3 }), protoKey: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...PROTO)), weight: 1 }) })
  .map(({ base, picks, protoKey }) => {
    let data: unknown = BASES[base].data;
    for (const [i, value, numbersOnly] of picks) {
      let all = leaves(data).slice(1); // not the document itself
      if (numbersOnly && all.some((p) => typeof at(data, p) === "number")) all = all.filter((p) => typeof at(data, p) === "number");
      data = setAt(data, all[i % all.length], value);
    }
    if (protoKey) {
      const objects = leaves(data).filter((p) => {
        const v = at(data, p);
        return v !== null && typeof v === "object" && !Array.isArray(v);
      });
      if (objects.length > 0) data = setAt(data, [...objects[protoKey[0] % objects.length], protoKey[1]], 1);
    }
    return { base: BASES[base].file, data };
  });

/** A mutated scenario file's text (YAML keeps −0, NaN and ±∞). */
export const mutant = mutantData.map(({ base, data }) => ({ base, text: typeof data === "object" && data !== null ? stringify(data, { aliasDuplicateObjects: false }) : String(data) }));


