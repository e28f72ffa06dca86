/**
 * Fuzzing every POST route with about 2,000 seeded random and mutated bodies: whatever arrives, the answer
 * is a 2xx or a 4xx problem — never a 5xx — and the server still answers /v1/health afterwards.
 * Randomness comes from createRandom (the project never uses Math.random), so a failure replays exactly.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createRandom, type Random } from "../../src/random.js";
import { makeApp, sirScenario } from "./helpers.js";

const app = makeApp({ rateLimit: 0, maxQueued: 100_000, maxNodes: 3000, maxEdges: 30_000, maxRuns: 20, maxRecordValues: 200_000, workers: 1, maxWallMs: 2000 });
let server: Server;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = app.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  http = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await app.close();
  await new Promise((resolve) => server.close(resolve));
});

const pick = <T>(rng: Random, xs: readonly T[]): T => xs[rng.int(xs.length)];

const STRINGS = ["", "SIR", "erdos-renyi", "continuous", "discrete", "I", "S", "beta", "\u0000", "💥", "x".repeat(300), "__proto__", "constructor", "1e999", "-1", "null", "{", "t > 5 ? beta : 0"];
const NUMBERS = [0, -1, 1, 0.5, 2, 1e308, -1e308, 1e-320, 3.7, 200, 10_000, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2];
const KEYS = ["scenario", "scenarioText", "networkId", "generate", "seed", "name", "network", "model", "time", "initial", "runs", "sweep", "interventions", "output", "engine", "type", "preset", "params", "n", "k", "m", "p", "tmax", "record", "steps", "count", "fraction", "nodes", "__proto__", "constructor", "prototype"];

function randomValue(rng: Random, depth: number): unknown {
  const kind = rng.int(depth > 3 ? 4 : 7);
  switch (kind) {
    case 0:
      return pick(rng, NUMBERS) * (rng.next() < 0.5 ? 1 : -1);
    case 1:
      return pick(rng, STRINGS);
    case 2:
      return pick(rng, [true, false, null]);
    case 3:
      return rng.int(1000);
    case 4:
    case 5: {
      const obj: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) obj[pick(rng, KEYS)] = randomValue(rng, depth + 1);
      return obj;
    }
    default:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
  }
}

/** Change one leaf or key of a valid body: delete it, retype it, or add a stray field. */
function mutate(rng: Random, value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return rng.next() < 0.7 ? randomValue(rng, 3) : value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0 || rng.next() < 0.15) {
    (copy as Record<string, unknown>)[pick(rng, KEYS)] = randomValue(rng, depth + 1);
    return copy;
  }
  const key = pick(rng, keys);
  const roll = rng.next();
  if (roll < 0.15) delete (copy as Record<string, unknown>)[key];
  else (copy as Record<string, unknown>)[key] = roll < 0.7 ? mutate(rng, (copy as Record<string, unknown>)[key], depth + 1) : randomValue(rng, depth + 1);
  return copy;
}

function smallScenario(): Record<string, unknown> {
  return sirScenario({ network: { generate: { type: "erdos-renyi", n: 60, k: 4 } }, runs: 2, time: { mode: "continuous", tmax: 10, record: 1 } });
}

const YAML_TEXT = "network: { generate: { type: path, n: 20 } }\nmodel: { preset: SIS, params: { beta: 1, gamma: 1 } }\ntime: { mode: discrete, steps: 10 }\ninitial: { I: { count: 2 } }\n";

function garbleText(rng: Random, text: string): string {
  const chars = [...text];
  for (let i = 1 + rng.int(4); i > 0; i--) {
    const at = rng.int(chars.length + 1);
    const roll = rng.next();
    if (roll < 0.4) chars.splice(at, 1);
    else if (roll < 0.8) chars.splice(at, 0, pick(rng, ["{", "}", "[", ":", ",", '"', "\n", " ", "&a", "*a", "!!js", "- ", "\t", "\\"]));
    else chars.splice(at, 0, String.fromCharCode(rng.int(0xffff)));
  }
  return chars.join("");
}

interface Case {
  route: string;
  contentType: string;
  body: string;
}

function makeCase(rng: Random, i: number): Case {
  const roll = i % 10;
  if (roll <= 3) {
    // Mutated run requests (one to three mutations).
    let body: unknown = rng.next() < 0.8 ? { scenario: smallScenario() } : { scenarioText: YAML_TEXT };
    for (let k = 1 + rng.int(3); k > 0; k--) body = mutate(rng, body);
    return { route: "/v1/runs", contentType: "application/json", body: JSON.stringify(body) };
  }
  if (roll === 4) return { route: "/v1/runs", contentType: pick(rng, ["application/yaml", "application/json"]), body: garbleText(rng, rng.next() < 0.5 ? YAML_TEXT : JSON.stringify({ scenario: smallScenario() })) };
  if (roll === 5) return { route: pick(rng, ["/v1/runs", "/v1/networks"]), contentType: "application/json", body: JSON.stringify(randomValue(rng, 0)) };
  if (roll <= 7) {
    let body: unknown = { generate: { type: pick(rng, ["erdos-renyi", "barabasi-albert", "watts-strogatz", "lattice", "configuration-model", "stochastic-block", "star"]), n: 50 }, seed: 1 };
    for (let k = 1 + rng.int(3); k > 0; k--) body = mutate(rng, body);
    return { route: "/v1/networks", contentType: "application/json", body: JSON.stringify(body) };
  }
  if (roll === 8) {
    const csv = "source,target,weight\na,b,1\nb,c,2\nc,d,0.5\n";
    const gexf = '<?xml version="1.0"?><gexf><graph defaultedgetype="undirected"><nodes><node id="a"/><node id="b"/></nodes><edges><edge source="a" target="b"/></edges></graph></gexf>';
    const [type, text] = pick(rng, [["text/csv", csv], ["application/gexf+xml", gexf], ["application/graphml+xml", gexf], ["application/json", '{"nodes":[{"key":"a"}],"edges":[]}']] as const);
    return { route: `/v1/networks${rng.next() < 0.2 ? `?format=${pick(rng, ["csv", "tsv", "gexf", "json", "xml", ""])}` : ""}`, contentType: type, body: garbleText(rng, text) };
  }
  return { route: pick(rng, ["/v1/runs", "/v1/networks"]), contentType: pick(rng, ["application/json", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream"]), body: garbleText(rng, '{"scenario": {"model": {}}}') };
}

describe("fuzz", () => {
  it("answers about 2,000 random and mutated bodies without a 5xx, and stays healthy", { timeout: 60_000 }, async () => {
    const rng = createRandom(Number(process.env.FUZZ_SEED ?? 20_240_601), 0);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const c = makeCase(rng, i);
      const res = await http.post(c.route).set("Content-Type", c.contentType).send(c.body);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`#${i} ${c.route} ${c.contentType} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}\n  body: ${c.body.slice(0, 300)}`);
      else if (res.status >= 400) expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    }
    if (process.env.FUZZ_SEED) console.log(Object.fromEntries(statuses));
    expect(failures).toEqual([]);
    // Nothing logged but the forecaster's start-up line naming its tfjs backend.
    expect(app.logs.filter((line) => !line.startsWith("tfjs backend:"))).toEqual([]);
    // Some bodies were accepted, most were refused, each with a client status.
    expect((statuses.get(202) ?? 0) + (statuses.get(201) ?? 0)).toBeGreaterThan(50);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(500);
    const health = await http.get("/v1/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
  });
});
