/**
 * Resolving a validated scenario into what the engines run: the network (generated or read, compiled once)
 * and a plain spec of the model's family (no functions or file handles, so it can cross to workers), plus
 * the points of a parameter sweep.
 */
import { resolve as resolvePath } from "node:path";
import { readContactsSync, readTextSync, snapshotFilesNetwork } from "../graph/temporal-files.js";
import type Graph from "graphology";
import type { CSR } from "../graph/csr.js";
import { generateCSR, type GeneratorSpec } from "../graph/generators/index.js";
import { readNetworkSync, type NetworkFormat } from "../graph/io/index.js";
import { loadNetworkFileSync } from "../graph/load.js";
import type { AnySpec, FieldInitial } from "../families/index.js";
import type { InitialSpec, Seeding } from "../engine/initial.js";
import { interventionArcAttributes, type Intervention } from "../engine/interventions.js";
import type { FieldPresetId } from "../models/reaction-diffusion.js";
import type { LaplacianKind } from "../engine/laplacian.js";
import type { LoadedScenario } from "./load.js";
import type { Scenario } from "./schema.js";
import { scenarioModelDef } from "./check.js";

export interface SweepPoint {
  /** `beta=0.1,gamma=0.2` */
  label: string;
  values: Record<string, number>;
  spec: AnySpec;
}

export interface ResolvedScenario {
  name: string;
  spec: AnySpec;
  /** Build (generate or read) and compile the network; a graphology graph when node attributes are read. */
  network(): Graph | CSR;
  /** Every combination of the swept values, when the scenario has a `sweep`. */
  points?: SweepPoint[];
}

export interface Overrides {
  runs?: number;
  seed?: number;
}

/** The edge attribute the model reads per arc, if any. */
function arcAttribute(s: Scenario): string | null {
  const m = s.model;
  if (m.type === "independent-cascade" && typeof m.params?.probability === "string") return m.params.probability;
  if (m.type === "linear-threshold") return m.weights ?? null;
  return s.network.weight ?? null;
}

function buildSpec(s: Scenario, name: string, seed: number, runs: number, params: Record<string, number | string> | undefined): AnySpec {
  const m = s.model;
  // Per-run series feed the tidy series.csv; by default whenever CSV output is asked for.
  const series = s.output?.runs ?? (s.output?.formats ?? ["json", "csv"]).includes("csv");
  const output = { nodes: s.output?.nodes, infectionTimes: s.output?.infectionTimes, series, history: s.output?.history };
  if (m.type === "independent-cascade") {
    const p = params?.probability;
    return {
      family: "cascade",
      name,
      model: { type: "independent-cascade", probability: typeof p === "string" ? { attribute: p } : Number(p) },
      initial: s.initial as { active: Seeding },
      seed,
      runs,
      maxRounds: s.time?.mode === "discrete" ? s.time.steps : undefined,
      output,
    };
  }
  if (m.type === "linear-threshold") {
    return {
      family: "cascade",
      name,
      model: { type: "linear-threshold", weights: m.weights ? { attribute: m.weights } : undefined, thresholds: m.thresholds ? { attribute: m.thresholds } : undefined },
      initial: s.initial as { active: Seeding },
      seed,
      runs,
      maxRounds: s.time?.mode === "discrete" ? s.time.steps : undefined,
      output,
    };
  }
  if (m.type === "reaction-diffusion") {
    const time = s.time!.mode === "continuous" ? s.time! : { tmax: 1 };
    return {
      family: "field",
      name,
      model: { preset: m.preset as FieldPresetId, params: params as Record<string, number> | undefined, laplacian: m.laplacian as LaplacianKind | undefined },
      initial: s.initial as Record<string, FieldInitial>,
      time: { tmax: time.tmax, record: "record" in time ? time.record : undefined },
    };
  }
  const def = scenarioModelDef({ ...m, params });
  return {
    family: "compartmental",
    name,
    model: { ...(m.preset ? { preset: m.preset as "SIR", params } : def), ...(m.durations ? { durations: m.durations } : {}), ...(m.delays ? { delays: m.delays } : {}) },
    time: s.time!,
    initial: s.initial as InitialSpec,
    seed,
    runs,
    engine: s.engine,
    interventions: s.interventions as Intervention[] | undefined,
    output,
  };
}

function sweepValues(v: NonNullable<Scenario["sweep"]>[string]): number[] {
  if (Array.isArray(v)) return v;
  return Array.from({ length: v.steps }, (_, i) => v.from + ((v.to - v.from) * i) / (v.steps - 1));
}

export function resolveScenario(loaded: LoadedScenario, overrides: Overrides = {}): ResolvedScenario {
  const s = loaded.scenario;
  const seed = overrides.seed ?? s.seed;
  const runs = overrides.runs ?? s.runs;
  const name = s.name ?? loaded.file.replace(/^.*\//, "").replace(/\.(ya?ml|json)$/i, "");
  const params = s.model.params;
  const spec = buildSpec(s, name, seed, runs, params);
  const net = s.network;
  const attribute = arcAttribute(s);
  const needsGraph = s.model.type === "linear-threshold" && s.model.thresholds !== undefined;
  const resolved: ResolvedScenario = {
    name,
    spec,
    network: () => {
      if (net.generate) return generateCSR(net.generate as GeneratorSpec, net.seed ?? seed);
      if (net.contacts) {
        // A temporal contact network (graph/temporal.ts); errors name the contact file and line.
        const c = net.contacts;
        if (c.snapshots) return snapshotFilesNetwork(c.snapshots, (file) => readTextSync(resolvePath(loaded.dir, file), file), { period: c.period, where: "network.contacts.snapshots" });
        return readContactsSync(resolvePath(loaded.dir, c.file!), { format: c.format, resolution: c.resolution, until: c.until, period: c.period, file: c.file });
      }
      const path = resolvePath(loaded.dir, net.file!);
      const format = net.format as NetworkFormat | undefined;
      // Node thresholds are node attributes: only the graphology readers keep them.
      if (needsGraph) return readNetworkSync(path, { format, directed: net.directed });
      // Edge attributes that interventions select arcs by (edges.where: school, …).
      const arcAttributes = interventionArcAttributes(s.interventions as Intervention[] | undefined);
      // Edge lists, GEXF, GraphML, Arrow and Parquet go straight to CSR; graphology JSON through graphology, compiled once.
      return loadNetworkFileSync(path, { format, directed: net.directed, weight: attribute, shared: true, arcAttributes });
    },
  };
  if (s.sweep) {
    // Every combination, first parameter varying slowest; every point uses the same seed (common random
    // numbers make differences between points sharper than independent seeds would).
    let combos: Record<string, number>[] = [{}];
    for (const [param, values] of Object.entries(s.sweep)) {
      combos = combos.flatMap((c) => sweepValues(values).map((v) => ({ ...c, [param]: v })));
    }
    resolved.points = combos.map((values) => {
      const label = Object.entries(values)
        .map(([k, v]) => `${k}=${Number(v.toPrecision(6))}`)
        .join(",");
      return { label, values, spec: buildSpec(s, `${name} [${label}]`, seed, runs, { ...params, ...values }) };
    });
  }
  return resolved;
}
