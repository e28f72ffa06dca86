/**
 * The graph of a dataset's regions, for the regional view: edges from an adjacency file when one is given,
 * else each region joined to its k = 3 most correlated regions (Pearson correlation of the rows up to asOf
 * only — no look-ahead), and geographic coordinates when they are known (data/geo: the bundled US HHS
 * regions and states; an uploaded `region,lat,lon[,population]` CSV otherwise).
 *
 * Adjacency files come in two forms: a square 0/1 (or weight) matrix in the dataset's column order, the
 * Cola-GNN / EpiGNN `*-adjacency.txt` format, or an edge list with the header `source,target[,weight]`
 * naming regions. Every problem is a DataError with the file and line.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataError } from "./errors.js";

/** Neighbours per region when the graph comes from correlations. */
export const CORRELATION_NEIGHBOURS = 3;

export interface RegionEdge {
  source: string;
  target: string;
  /** Correlation (correlation graphs) or the file's weight (1 for a 0/1 matrix or a list without weights). */
  weight: number;
}

export interface RegionCoordinate {
  lat: number;
  lon: number;
  /** Resident population when the file gives it. */
  population?: number;
}

/** Pearson correlation of two series over rows 0 … end where both are observed (NaN when undefined). */
function correlation(a: Float64Array, b: Float64Array, end: number): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let t = 0; t <= end; t++) {
    if (Number.isFinite(a[t]) && Number.isFinite(b[t])) {
      n++;
      sa += a[t];
      sb += b[t];
    }
  }
  if (n < 3) return NaN;
  const ma = sa / n;
  const mb = sb / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let t = 0; t <= end; t++) {
    if (Number.isFinite(a[t]) && Number.isFinite(b[t])) {
      const x = a[t] - ma;
      const y = b[t] - mb;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * Each region joined to its `k` most correlated regions over rows 0 … asOf (ties broken by column order),
 * undirected, each pair once (source before target in column order). Regions with an undefined correlation
 * (constant or too few shared rows) get no edge from it.
 */
export function correlationEdges(regions: readonly string[], values: readonly Float64Array[], asOf: number, k: number = CORRELATION_NEIGHBOURS): RegionEdge[] {
  const R = regions.length;
  const corr = new Float64Array(R * R).fill(NaN);
  for (let i = 0; i < R; i++) for (let j = i + 1; j < R; j++) corr[i * R + j] = corr[j * R + i] = correlation(values[i], values[j], asOf);
  const chosen = new Map<number, number>();
  for (let i = 0; i < R; i++) {
    const others = [...Array(R).keys()].filter((j) => j !== i && Number.isFinite(corr[i * R + j]));
    others.sort((x, y) => corr[i * R + y] - corr[i * R + x] || x - y);
    for (const j of others.slice(0, k)) chosen.set(Math.min(i, j) * R + Math.max(i, j), corr[i * R + j]);
  }
  return [...chosen.entries()].sort((a, b) => a[0] - b[0]).map(([key, weight]) => ({ source: regions[Math.floor(key / R)], target: regions[key % R], weight }));
}

/** Non-empty, non-comment lines split into cells: by commas, or by spaces and tabs in a file without a comma (numpy's `savetxt`). */
function splitLines(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  const separator = text.includes(",") ? "," : /\s+/;
  text.split(/\r?\n/).forEach((raw, i) => {
    const s = raw.trim();
    if (s === "" || s.startsWith("#")) return;
    out.push({ line: i + 1, cells: s.split(separator).map((c) => c.trim().replace(/^"(.*)"$/, "$1")) });
  });
  return out;
}

/**
 * Reads an adjacency file against the dataset's regions: a square matrix in column order, or an edge list
 * `source,target[,weight]`. Self-loops and zero entries are dropped; a pair given twice keeps its first
 * weight. @throws DataError (file, line) for an unknown region, a bad number, or a matrix of the wrong size.
 */
export function parseAdjacency(text: string, regions: readonly string[], file = "adjacency.csv"): RegionEdge[] {
  const rows = splitLines(text);
  if (rows.length === 0) throw new DataError("the adjacency file is empty", { file, line: 1 });
  const index = new Map(regions.map((r, i) => [r, i]));
  const seen = new Set<string>();
  const edges: RegionEdge[] = [];
  const add = (i: number, j: number, weight: number) => {
    if (i === j || weight === 0) return;
    const key = `${Math.min(i, j)} ${Math.max(i, j)}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ source: regions[Math.min(i, j)], target: regions[Math.max(i, j)], weight });
  };
  const number = (cell: string, line: number, what: string): number => {
    const v = Number(cell);
    if (cell === "" || !Number.isFinite(v) || v < 0) throw new DataError(`${what} "${cell}" is not a non-negative number`, { file, line });
    return v;
  };
  const header = rows[0].cells.map((c) => c.toLowerCase());
  if (header[0] === "source" && header[1] === "target") {
    for (const { line, cells } of rows.slice(1)) {
      if (cells.length < 2) throw new DataError(`expected source,target[,weight], got ${cells.length} cell(s)`, { file, line });
      const [a, b] = cells;
      for (const name of [a, b]) if (!index.has(name)) throw new DataError(`unknown region "${name}"; the series has ${regions.map((r) => `"${r}"`).join(", ")}`, { file, line });
      add(index.get(a)!, index.get(b)!, cells.length > 2 ? number(cells[2], line, "weight") : 1);
    }
    return edges;
  }
  if (rows.length !== regions.length) throw new DataError(`an adjacency matrix needs one row per region (${regions.length}), got ${rows.length}; or give an edge list with the header source,target`, { file, line: rows[rows.length - 1].line });
  rows.forEach(({ line, cells }, i) => {
    if (cells.length !== regions.length) throw new DataError(`row ${i + 1} of the adjacency matrix has ${cells.length} cells, expected ${regions.length}`, { file, line });
    cells.forEach((c, j) => add(i, j, number(c, line, `cell ${j + 1}`)));
  });
  return edges;
}

/** Edges as a symmetric row-major R × R weight matrix over `regions` (0: no edge). */
export function adjacencyMatrix(edges: readonly RegionEdge[], regions: readonly string[]): Float64Array {
  const R = regions.length;
  const index = new Map(regions.map((r, i) => [r, i]));
  const out = new Float64Array(R * R);
  for (const e of edges) {
    const i = index.get(e.source);
    const j = index.get(e.target);
    if (i === undefined || j === undefined || i === j) continue;
    out[i * R + j] = e.weight;
    out[j * R + i] = e.weight;
  }
  return out;
}

/**
 * Reads a coordinates CSV `region,lat,lon[,population]` (header required, `#` comment lines allowed; other
 * columns ignored). @throws DataError (file, line) for a missing column, a bad or out-of-range number.
 */
export function parseCoordinates(text: string, file = "coordinates.csv"): Map<string, RegionCoordinate> {
  const rows = splitLines(text);
  if (rows.length === 0) throw new DataError("the coordinates file is empty", { file, line: 1 });
  const header = rows[0].cells.map((c) => c.toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const iRegion = col(["region", "location", "name"]);
  const iLat = col(["lat", "latitude"]);
  const iLon = col(["lon", "lng", "longitude"]);
  const iPop = col(["population", "pop"]);
  if (iRegion < 0 || iLat < 0 || iLon < 0) throw new DataError(`the header needs region, lat and lon columns, got "${rows[0].cells.join(",")}"`, { file, line: rows[0].line });
  const out = new Map<string, RegionCoordinate>();
  for (const { line, cells } of rows.slice(1)) {
    const lat = Number(cells[iLat]);
    const lon = Number(cells[iLon]);
    if (!(cells[iLat] ?? "").length || !(lat >= -90 && lat <= 90)) throw new DataError(`latitude "${cells[iLat] ?? ""}" is not a number in [-90, 90]`, { file, line });
    if (!(cells[iLon] ?? "").length || !(lon >= -180 && lon <= 180)) throw new DataError(`longitude "${cells[iLon] ?? ""}" is not a number in [-180, 180]`, { file, line });
    const c: RegionCoordinate = { lat, lon };
    if (iPop >= 0 && (cells[iPop] ?? "") !== "") {
      const p = Number(cells[iPop]);
      if (!(p >= 0)) throw new DataError(`population "${cells[iPop]}" is not a non-negative number`, { file, line });
      c.population = p;
    }
    out.set(cells[iRegion], c);
  }
  return out;
}

/** Coordinates files shipped in data/geo, by bundled dataset id. */
const BUNDLED_COORDINATES: Record<string, string> = {
  region785: "geo/us-hhs-regions.csv",
  "hhs-ilitotal": "geo/us-hhs-regions.csv",
  state360: "geo/us-states.csv",
};

function dataDir(): string | null {
  for (const rel of ["../../data/", "../../../data/"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, "geo"))) return dir;
  }
  return null;
}

/** The bundled coordinates of a dataset's regions (data/geo), or null when none are shipped for it. */
export function bundledCoordinates(datasetId: string): Map<string, RegionCoordinate> | null {
  const file = BUNDLED_COORDINATES[datasetId];
  const dir = dataDir();
  if (!file || !dir) return null;
  return parseCoordinates(readFileSync(join(dir, file), "utf8"), file);
}
