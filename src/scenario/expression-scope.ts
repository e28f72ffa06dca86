/**
 * What a compiled scenario expression sees when it runs: a read-only view of the caller's scope limited to
 * the expression's own symbols (so extra entries cannot shadow functions and nothing is written back), and
 * the helpers that describe values and scopes in error messages.
 */
import { ExpressionError } from "../errors.js";

const has = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

// ---------------------------------------------------------------------------------------------------------
// Evaluation scope: a read-only map exposing only the symbols the expression reads.

export type UserScope = Record<string, number> | ReadonlyMap<string, number>;

export function isMapScope(scope: UserScope): scope is ReadonlyMap<string, number> {
  return scope instanceof Map;
}

/**
 * Map-like scope handed to the compiled code. Only the expression's own symbols are visible, so extra
 * entries in the caller's scope can never shadow a function (`max`, `sin`, …) or leak into evaluation,
 * and nothing can be written back.
 */
export class RestrictedScope {
  private current: UserScope | undefined;
  constructor(private readonly visible: ReadonlySet<string>) {}
  bind(scope: UserScope | undefined): void {
    this.current = scope;
  }
  has(key: string): boolean {
    const s = this.current;
    if (s === undefined || !this.visible.has(key)) return false;
    return isMapScope(s) ? s.has(key) : has(s, key);
  }
  get(key: string): number | undefined {
    const s = this.current;
    if (s === undefined || !this.visible.has(key)) return undefined;
    return isMapScope(s) ? s.get(key) : has(s, key) ? s[key] : undefined;
  }
  keys(): IterableIterator<string> {
    return [...this.visible].filter((k) => this.has(k)).values();
  }
  set(key: string): this {
    throw new ExpressionError(`Scenario expressions cannot assign variables (tried to set "${key}").`);
  }
  delete(key: string): boolean {
    throw new ExpressionError(`Scenario expressions cannot delete variables (tried to delete "${key}").`);
  }
  clear(): void {
    throw new ExpressionError("Scenario expressions cannot clear the scope.");
  }
  forEach(callback: (value: number | undefined, key: string, map: this) => void): void {
    for (const k of this.keys()) callback(this.get(k), k, this);
  }
}

export function describeValue(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object" || typeof value === "function") {
    const typeName = (value as { type?: unknown }).type;
    const label = typeof typeName === "string" ? typeName : typeof value === "function" ? "function" : "object";
    let text: string;
    try {
      text = String(value);
    } catch {
      text = "?";
    }
    return `${label} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
  }
  return `${typeof value} ${String(value)}`;
}

/** The caller's value for `name` (own properties only for plain objects); tolerates a missing scope. */
export function scopeValue(scope: UserScope | null | undefined, name: string): unknown {
  if (scope === null || scope === undefined) return undefined;
  if (isMapScope(scope)) return scope.get(name);
  return has(scope, name) ? scope[name] : undefined;
}

export function describeScope(symbols: readonly string[], scope: UserScope | null | undefined): string {
  if (symbols.length === 0) return "no variables";
  return symbols.map((k) => `${k} = ${describeValue(scopeValue(scope, k))}`).join(", ");
}

/** The source in double quotes, shortened for messages when long. */
export function quoteSource(source: string): string {
  return JSON.stringify(source.length > 120 ? `${source.slice(0, 117)}...` : source);
}

