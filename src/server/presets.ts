/**
 * The bundled scenario files (scenarios/*.yaml) as the dashboard's presets:
 *
 * - `GET /v1/scenarios` lists every file, parsed: id (file name), name, leading comment, scenario.
 * - `POST /v1/scenarios/{id}/network` builds the network the file names, exactly as `spreadlab run` builds
 *   it (a generator with the file's parameters and seed — `network.seed`, else the scenario seed — or the
 *   bundled network file, read relative to the scenario), stores it and answers its network row (201), so a
 *   dashboard run on that network id gives the same result as the CLI on the file.
 */
import express, { type Router } from "express";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { parse as parseYaml } from "yaml";
import type Graph from "graphology";
import { compile } from "../graph/csr.js";
import { degreeStats } from "../graph/stats.js";
import { generateGraph, type GeneratorSpec } from "../graph/generators/index.js";
import { readNetworkSync, type NetworkFormat } from "../graph/io/index.js";
import { loadScenario } from "../scenario/load.js";
import { encodeGraph, encodeGraphJson } from "./codec.js";
import { checkGeneratedSize, checkGraphSize } from "./limits.js";
import type { ApiContext } from "./context.js";
import { resolveScenario } from "../scenario/resolve.js";
import type { TemporalCSR } from "../graph/temporal.js";
import { contactsGraph } from "./contacts.js";
import { HttpProblem } from "./problems.js";

export interface BundledScenario {
  id: string;
  name: string;
  /** The file's leading comment, as prose. */
  description: string;
  scenario: Record<string, unknown>;
}

/** The scenario files in `dir` (YAML or JSON), parsed; files that do not parse are left out. */
export function bundledScenarios(dir: string): BundledScenario[] {
  return scenarioFiles(dir).map(({ file: _file, ...rest }) => rest);
}

/** bundledScenarios with each file's path. */
function scenarioFiles(dir: string): (BundledScenario & { file: string })[] {
  if (!existsSync(dir)) return [];
  const out: (BundledScenario & { file: string })[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = /^(.+)\.(ya?ml|json)$/.exec(file);
    if (!match) continue;
    const text = readFileSync(join(dir, file), "utf8");
    let scenario: unknown;
    try {
      scenario = parseYaml(text);
    } catch {
      continue;
    }
    if (typeof scenario !== "object" || scenario === null || Array.isArray(scenario)) continue;
    const comment = /^(?:#.*\n)+/.exec(text)?.[0] ?? "";
    const description = comment.split("\n").map((line) => line.replace(/^#\s?/, "").trim()).join(" ").trim();
    const record = scenario as Record<string, unknown>;
    out.push({ id: match[1], name: typeof record.name === "string" ? record.name : match[1], description, scenario: record, file: join(dir, file) });
  }
  return out;
}

/** The network a scenario file names, as a graphology graph built the way `resolveScenario` builds it. */
export function presetGraph(file: string, ctx: Pick<ApiContext, "options">): { graph: Graph; name: string; source: unknown } {
  const loaded = loadScenario(file);
  const s = loaded.scenario;
  const net = s.network;
  if (net.generate) {
    const seed = net.seed ?? s.seed;
    checkGeneratedSize(net.generate as Record<string, unknown>, ctx.options, "network.generate");
    const graph = generateGraph(net.generate as GeneratorSpec, seed) as unknown as Graph;
    return { graph, name: `${net.generate.type}${typeof net.generate.n === "number" ? ` n=${net.generate.n}` : ""} seed=${seed}`, source: { generate: net.generate, seed } };
  }
  if (net.contacts) {
    // A bundled contact file (trusted: inside the scenarios folder), stored as an uploaded one (contacts.ts).
    const temporal = resolveScenario(loaded).network() as TemporalCSR;
    const c = net.contacts;
    return { graph: contactsGraph(temporal), name: c.file ?? c.snapshots!.map((x) => x.file).join(", "), source: { bundled: c.file ?? c.snapshots!.map((x) => x.file), contacts: { format: c.format } } };
  }
  const graph = readNetworkSync(resolvePath(loaded.dir, net.file!), { format: net.format as NetworkFormat | undefined, directed: net.directed }) as unknown as Graph;
  return { graph, name: net.file!, source: { bundled: net.file } };
}

export function presetsRouter(ctx: ApiContext, dir: string): Router {
  const router = express.Router();
  const scenarios = scenarioFiles(dir);
  const list = scenarios.map(({ file: _file, ...rest }) => rest);
  router.get("/scenarios", (_req, res) => {
    res.json(list);
  });
  router.post("/scenarios/:id/network", ctx.limitCreation, async (req, res) => {
    const preset = scenarios.find((s) => s.id === req.params.id);
    if (!preset) throw new HttpProblem(404, "not-found", "Not found", `no bundled scenario has id "${req.params.id}"; see GET /v1/scenarios.`);
    const made = presetGraph(preset.file, ctx);
    const { graph } = made;
    checkGraphSize(graph.order, graph.size, ctx.options, "network");
    const csr = compile(graph);
    const row = await ctx.store.insertNetwork(
      { id: randomUUID(), name: made.name, source: made.source, n: graph.order, m: graph.size, directed: csr.directed, stats: degreeStats(csr) },
      // Contact networks keep graphology JSON (contacts.ts); every other preset is stored compact.
      graph.hasAttribute("contacts") ? encodeGraphJson(graph) : encodeGraph(graph),
    );
    res.status(201).location(`/v1/networks/${row.id}`).json({ id: row.id, name: row.name, createdAt: row.createdAt, source: row.source, n: row.n, m: row.m, directed: row.directed, stats: row.stats });
  });
  return router;
}
