/**
 * The scenario in the URL: `#s=<base64url(JSON)>`, versioned, so that a link reproduces a run (the engine is
 * seeded: same scenario, same network, same seed → same result). Decoding validates the shape and says what
 * is wrong, so a damaged link gives a readable message instead of a broken page.
 */
import { INTERVENTION_KINDS, isCascadeModel, type ScenarioDraft } from "./scenario.js";
import { DURATION_DISTS } from "./durations.js";

const VERSION = 1;
const KEY = "s";

export class UrlStateError extends Error {
  override readonly name = "UrlStateError";
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(code: string): string {
  const base64 = code.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The URL hash (with its "#") for a draft. */
export function encodeDraft(draft: ScenarioDraft): string {
  return `#${KEY}=${toBase64Url(JSON.stringify({ v: VERSION, ...draft }))}`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** The draft in a URL hash, or null when the hash carries none. Throws UrlStateError for a damaged one. */
export function decodeDraft(hash: string): ScenarioDraft | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const code = params.get(KEY);
  if (code === null || code === "") return null;
  let data: unknown;
  try {
    data = JSON.parse(fromBase64Url(code));
  } catch {
    throw new UrlStateError("the link's scenario could not be read (it may have been cut short when copied); open the dashboard without it and share again.");
  }
  if (!isObject(data)) throw new UrlStateError("the link's scenario is not an object.");
  if (data.v !== VERSION) throw new UrlStateError(`the link was made by another version of the dashboard (format ${String(data.v)}, this one reads ${VERSION}).`);
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const network = data.network;
  need(isObject(network) && ((isObject(network.generate) && typeof network.generate.type === "string" && finite(network.seed)) || typeof network.id === "string"), "network (a generator with a seed, or a stored network id)");
  need(typeof data.model === "string", "model (a model id)");
  need(isObject(data.params) && Object.values(data.params).every(finite), "params (numbers)");
  need(finite(data.tmax) && (data.tmax as number) > 0, "tmax (> 0)");
  need(finite(data.record) && (data.record as number) > 0, "record (> 0)");
  const seeding = data.seeding;
  need(isObject(seeding) && ((finite(seeding.count) && typeof seeding.strategy === "string") || (Array.isArray(seeding.nodes) && seeding.nodes.every((n) => typeof n === "string"))), "seeding (count and strategy, or nodes)");
  need(Array.isArray(data.interventions) && data.interventions.every((iv) => isObject(iv) && (INTERVENTION_KINDS as readonly unknown[]).includes(iv.kind) && finite(iv.at)), "interventions");
  // Cascade models (independent cascade, linear threshold) count rounds and take no interventions.
  if (typeof data.model === "string" && isCascadeModel(data.model)) {
    need(!Array.isArray(data.interventions) || data.interventions.length === 0, `interventions (${data.model} takes none)`);
    need(!finite(data.tmax) || Number.isInteger(data.tmax), "tmax (a whole number of rounds for a cascade)");
  }
  const durations = data.durations;
  need(durations === undefined || (isObject(durations) && Object.values(durations).every((d) => isObject(d) && (DURATION_DISTS as unknown[]).includes(d.dist))), "durations (a law per compartment)");
  need(Number.isInteger(data.runs) && (data.runs as number) > 0, "runs (a positive integer)");
  need(Number.isInteger(data.seed) && (data.seed as number) >= 0, "seed (a non-negative integer)");
  if (problems.length > 0) throw new UrlStateError(`the link's scenario is incomplete or damaged: check ${problems.join("; ")}.`);
  const { v: _v, ...draft } = data;
  return { name: typeof draft.name === "string" ? draft.name : "shared", ...draft } as ScenarioDraft;
}
