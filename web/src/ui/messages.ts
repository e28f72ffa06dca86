/**
 * Readable messages for API problems. The server validates with zod and keeps its field paths; some of its
 * messages are zod's own wording ("Too small: expected array to have >=1 items"), which says nothing to an
 * analyst. These map each to a sentence about the field, and give the one-line status shown by the button
 * that caused the error (the field messages may be far from it). Pure: no DOM.
 */

/** Human names of the fields the dashboard's forms edit, by API path (longest prefix wins). */
const FIELD_NAMES: [RegExp, string][] = [
  [/^initial\.[^.]+\.nodes$/, "Seeds"],
  [/^initial/, "Seeds"],
  [/^model\.params\.([^.]+)$/, "Parameter $1"],
  [/^model/, "Model"],
  [/^time\.tmax$/, "Days"],
  [/^time\.steps$/, "Rounds"],
  [/^time\.record$/, "Record every"],
  [/^time/, "Time"],
  [/^interventions\.(\d+)/, "Intervention $1"],
  [/^runs$/, "Runs"],
  [/^seed$/, "Random seed"],
  [/^generate\.([^.]+)$/, "Generator parameter $1"],
  [/^network/, "Network"],
];

export function fieldName(path: string): string {
  const bare = path.replace(/^scenario\./, "");
  for (const [re, name] of FIELD_NAMES) {
    const m = re.exec(bare);
    if (m) return name.replace("$1", /^\d+$/.test(m[1] ?? "") ? String(Number(m[1]) + 1) : (m[1] ?? ""));
  }
  return bare || "The request";
}

/** A zod message in words an analyst reads; other messages (already written for people) are kept. */
export function friendlyMessage(path: string, message: string): string {
  const bare = path.replace(/^scenario\./, "");
  let m: RegExpExecArray | null;
  if ((m = /^Too small: expected array to have >=(\d+) items?/i.exec(message))) {
    if (/^initial/.test(bare)) return `choose at least ${m[1]} seed node${m[1] === "1" ? "" : "s"}: click nodes on the graph, or seed random or highest-degree nodes.`;
    return `needs at least ${m[1]} item${m[1] === "1" ? "" : "s"}.`;
  }
  if ((m = /^Too big: expected array to have <=(\d+) items?/i.exec(message))) return `takes at most ${m[1]} items.`;
  if ((m = /^Too small: expected number to be (>=?)(-?[\d.e+-]+)/i.exec(message))) return `must be ${m[1] === ">" ? "more than" : "at least"} ${m[2]}.`;
  if ((m = /^Too big: expected number to be (<=?)(-?[\d.e+-]+)/i.exec(message))) return `must be ${m[1] === "<" ? "less than" : "at most"} ${m[2]}.`;
  if ((m = /^Too small: expected string to have >=(\d+) characters?/i.exec(message))) return m[1] === "1" ? "must not be empty." : `needs at least ${m[1]} characters.`;
  if (/^Invalid input: expected int, received number/i.test(message)) return "must be a whole number.";
  if ((m = /^Invalid input: expected (\w+), received (\w+)/i.exec(message))) return m[2] === "undefined" ? "is required." : `must be ${article(m[1])} (got ${m[2] === "NaN" ? "a blank or non-numeric value" : article(m[2])}).`;
  if (/^Required$/i.test(message)) return "is required.";
  return message;
}

function article(type: string): string {
  const words: Record<string, string> = { number: "a number", string: "text", boolean: "true or false", array: "a list", object: "an object", int: "a whole number", nan: "NaN" };
  return words[type.toLowerCase()] ?? type;
}

/** The status line for a failed request: what failed, and where the details are. */
export function statusLine(action: string, issues: { path: string; message: string }[], detail: string): string {
  if (issues.length === 0) return `${action} failed: ${detail}`;
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more, marked in the form)` : " (marked in the form)";
  return `${action} failed — ${fieldName(first.path)}: ${friendlyMessage(first.path, first.message)}${more}`;
}
