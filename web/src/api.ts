/**
 * Typed client of the REST API (/v1). Every error answer (problem+json) becomes an ApiError that keeps the
 * field paths of its `errors`, so the forms can show each message next to the field that caused it.
 */
import type { ResultLike } from "./run/series.js";
import type { ForecastResultLike, ForecasterInfo } from "./forecast/fan.js";
import type { SerializedGraph } from "graphology-types";
import type { RegionalResultLike } from "./regions/model.js";

export interface FieldIssue {
  path: string;
  message: string;
  line?: number;
}

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldIssue[] = [],
  ) {
    super(detail || title);
  }
}

export interface Parameter {
  name: string;
  default?: number;
  unit?: string;
  description?: string;
  min?: number;
  max?: number;
}
export interface ModelInfo {
  id: string;
  family: string;
  description: string;
  compartments: string[];
  parameters: Parameter[];
}
export interface GeneratorParameter {
  name: string;
  type: string;
  default?: unknown;
  description?: string;
  values?: string[];
}
export interface GeneratorInfo {
  id: string;
  name: string;
  description: string;
  random: boolean;
  parameters: GeneratorParameter[];
}
export interface NetworkStats {
  n: number;
  m: number;
  meanDegree: number;
  meanSquareDegree: number;
  maxDegree: number;
  minDegree: number;
  sirThreshold?: number;
}
export interface NetworkRow {
  id: string;
  name: string;
  n: number;
  m: number;
  directed: boolean;
  source: unknown;
  stats: NetworkStats;
}
export interface RunRow {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  progress: { done: number; total: number };
  error: { name: string; message: string } | null;
  spec: Record<string, unknown>;
}
export interface DatasetInfo {
  id: string;
  description: string;
  units: string;
  regions: string[];
  rows: number;
  span: { start: string; end: string };
}
export interface ForecastRow {
  id: string;
  status: RunRow["status"];
  error: { name: string; message: string } | null;
  progress?: { phase: string; epoch: number; epochs: number; loss?: number } | null;
  result?: ForecastResultLike;
}
export interface Health {
  version: string;
  tfBackend: string | null;
  limits: { maxNodes: number; maxEdges: number; maxRuns: number };
}
export interface BundledScenario {
  id: string;
  name: string;
  description: string;
  scenario: Record<string, unknown>;
}

async function request<T>(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": contentType },
      body: body === undefined ? undefined : typeof body === "string" || body instanceof ArrayBuffer ? body : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, "The server cannot be reached", `the server cannot be reached (${(error as Error).message}); is spreadlab serve running?`);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: handled below.
  }
  if (!response.ok) {
    const p = (data ?? {}) as { title?: string; detail?: string; errors?: FieldIssue[] };
    throw new ApiError(response.status, p.title ?? response.statusText, p.detail ?? text.slice(0, 200), Array.isArray(p.errors) ? p.errors : []);
  }
  return data as T;
}

export const api = {
  health: () => request<Health>("GET", "/v1/health"),
  forecaster: () => request<ForecasterInfo>("GET", "/v1/forecaster"),
  models: () => request<ModelInfo[]>("GET", "/v1/models"),
  generators: () => request<GeneratorInfo[]>("GET", "/v1/generators"),
  scenarios: () => request<BundledScenario[]>("GET", "/v1/scenarios"),
  datasets: () => request<DatasetInfo[]>("GET", "/v1/datasets"),
  /** Build a bundled scenario's network as `spreadlab run` builds it (its generator and seed, or its file). */
  presetNetwork: (id: string) => request<NetworkRow>("POST", `/v1/scenarios/${encodeURIComponent(id)}/network`),
  generateNetwork: (generate: Record<string, unknown>, seed: number) => request<NetworkRow>("POST", "/v1/networks", { generate, seed }),
  /** A text format as text; Arrow (Feather) and Parquet tables as bytes. */
  uploadNetwork: (body: string | ArrayBuffer, format: string, name: string) =>
    request<NetworkRow>("POST", `/v1/networks?format=${encodeURIComponent(format)}&name=${encodeURIComponent(name)}`, body, typeof body === "string" ? "text/plain" : "application/octet-stream"),
  network: (id: string) => request<NetworkRow>("GET", `/v1/networks/${encodeURIComponent(id)}`),
  graph: (id: string) => request<SerializedGraph>("GET", `/v1/networks/${encodeURIComponent(id)}/graph`),
  submitRun: (body: { scenario: Record<string, unknown>; networkId?: string }) => request<RunRow>("POST", "/v1/runs", body),
  run: (id: string) => request<RunRow>("GET", `/v1/runs/${encodeURIComponent(id)}`),
  result: (id: string) => request<ResultLike>("GET", `/v1/runs/${encodeURIComponent(id)}/result`),
  submitForecast: (body: Record<string, unknown>) => request<ForecastRow>("POST", "/v1/forecasts", body),
  forecast: (id: string) => request<ForecastRow>("GET", `/v1/forecasts/${encodeURIComponent(id)}`),
  submitRegional: (body: Record<string, unknown>) => request<RegionalJob>("POST", "/v1/forecasts/regional", body),
  regional: (id: string) => request<RegionalJob>("GET", `/v1/forecasts/regional/${encodeURIComponent(id)}`),
};

/** A regional forecast job (POST /v1/forecasts/regional). */
export interface RegionalJob {
  id: string;
  status: string;
  progress: { done: number; total: number } | null;
  error: { name: string; message: string } | null;
  result?: RegionalResultLike;
}

/**
 * Follow a run's progress over Server-Sent Events until it finishes; falls back to polling when the stream
 * breaks. Resolves with the final row.
 */
export function followRun(id: string, onProgress: (done: number, total: number) => void): Promise<RunRow> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`/v1/runs/${encodeURIComponent(id)}/events`);
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      source.close();
      api.run(id).then(resolve, reject);
    };
    source.addEventListener("progress", (e) => {
      const { done, total } = JSON.parse((e as MessageEvent).data) as { done: number; total: number };
      onProgress(done, total);
    });
    source.addEventListener("done", finish);
    source.onerror = () => {
      if (settled) return;
      source.close();
      // The stream ended (204 for a finished run) or broke: poll.
      const poll = async () => {
        const row = await api.run(id);
        onProgress(row.progress.done, row.progress.total);
        if (["succeeded", "failed", "cancelled"].includes(row.status)) {
          settled = true;
          resolve(row);
        } else setTimeout(() => void poll().catch(reject), 300);
      };
      void poll().catch(reject);
    };
  });
}
