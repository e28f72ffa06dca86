/**
 * Structural limits on scenario data, checked before the schema sees it (issue 15, item 7): nesting deeper
 * than MAX_DEPTH (a scenario is at most about 6 levels deep; 10,000 levels overflowed the stack of the
 * parsers and validators behind it), and fields named `__proto__`, which the validators would silently drop
 * (they are never a valid field name, so they are reported instead of ignored). The walk is iterative, so
 * the check itself cannot overflow the stack.
 */

/** Deepest nesting of mappings and lists a scenario may have (documented in the README). */
export const MAX_DEPTH = 64;

export interface StructureIssue {
  path: (string | number)[];
  message: string;
}

/** Problems with the shape of parsed data: too deep, or a `__proto__` field. At most one of each. */
export function structureIssues(data: unknown, maxDepth = MAX_DEPTH): StructureIssue[] {
  const issues: StructureIssue[] = [];
  let tooDeep = false;
  let proto = false;
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }];
  while (stack.length > 0 && !(tooDeep && proto)) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (path.length >= maxDepth) {
      if (!tooDeep) issues.push({ path: path.slice(0, 8), message: `nested more than ${maxDepth} levels deep; a scenario is a few levels of mappings and lists.` });
      tooDeep = true;
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (key === "__proto__") {
        if (!proto) issues.push({ path: [...path, key], message: 'a field may not be named "__proto__".' });
        proto = true;
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return issues;
}

/** Whether a YAML/JSON text nests deeper than `maxDepth` brackets (flow style), checked before parsing it. */
export function bracketDepthExceeds(text: string, maxDepth = MAX_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > maxDepth) return true;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return false;
}
