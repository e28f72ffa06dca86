/**
 * Snapshot sequences (graph/temporal.ts, `format: snapshots`): a sequence of static networks, each active over a
 * window, compiled to the same per-pair windows as contact intervals.
 *
 *  A. One snapshot at t = 0 that never ends: exactly the kernel's weighted static path (weight 1), draw for draw,
 *     for SIR and SIS.
 *  B. A snapshots file (t,i,j; each snapshot until the next, the last until `until` or the period) gives the same
 *     windows and the same runs, bit for bit, as the equivalent intervals file; so does the list-of-files form.
 *  C. Errors: file and line for bad rows, the list entry for bad windows, `until` before the last snapshot;
 *     scenario fields at their lines.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { simulate, type SimulationSpec } from "../../src/families/compartmental/simulate.js";
import { csrFromEdges, type CSR } from "../../src/graph/csr.js";
import type { TemporalCSR } from "../../src/graph/temporal.js";
import { parseContacts, snapshotFilesNetwork } from "../../src/graph/temporal-files.js";
import { createRandom } from "../../src/random.js";
import { compileDurations } from "../../src/models/durations.js";
import { compileModel } from "../../src/models/compartmental.js";
import { presetModel } from "../../src/models/presets.js";
import { runNonMarkov } from "../../src/engine/nonmarkov.js";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ScenarioIssue } from "../../src/errors.js";

const EDGES: [number, number][] = [
  [0, 1], [0, 2], [1, 2], [1, 3], [2, 4], [3, 4], [3, 5], [4, 6], [5, 6], [5, 7], [6, 8], [7, 8], [2, 3], [6, 7],
];

const sameWindows = (a: TemporalCSR, b: TemporalCSR): void => {
  expect(a.nodeIds).toEqual(b.nodeIds);
  expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
  expect(Array.from(a.targets)).toEqual(Array.from(b.targets));
  expect(Array.from(a.temporal.arcPair)).toEqual(Array.from(b.temporal.arcPair));
  expect(Array.from(a.temporal.pairOffsets)).toEqual(Array.from(b.temporal.pairOffsets));
  expect(Array.from(a.temporal.start)).toEqual(Array.from(b.temporal.start));
  expect(Array.from(a.temporal.end)).toEqual(Array.from(b.temporal.end));
  expect(a.temporal.period).toBe(b.temporal.period);
};

describe("A. one snapshot forever is the static network", () => {
  const forever = parseContacts("snapshot,i,j\n" + EDGES.map(([i, j]) => `0,${i},${j}`).join("\n"), { format: "snapshots", file: "one.csv" });
  const plain = csrFromEdges(9, Int32Array.from(EDGES, (e) => e[0]), Int32Array.from(EDGES, (e) => e[1]), EDGES.length);
  const weighted: CSR = { ...plain, weights: new Float32Array(plain.m).fill(1) };

  it("windows [0, ∞) on the static graph's arcs", () => {
    expect(Array.from(forever.targets)).toEqual(Array.from(plain.targets));
    expect(Array.from(forever.temporal.end)).toEqual(new Array(EDGES.length).fill(Infinity));
  });

  for (const [preset, params, tmax] of [["SIR", { beta: 0.4, gamma: 0.5 }, Infinity], ["SIS", { beta: 0.9, gamma: 1 }, 8]] as const) {
    it(`${preset}: run for run on the same seeds`, () => {
      const model = compileModel(presetModel(preset, params));
      const durations = compileDurations(undefined, model, params, []);
      for (let r = 0; r < 200; r++) {
        const initial = new Uint8Array(9);
        initial[0] = model.compartments.indexOf("I");
        const keep = { infectionTimes: true };
        const a = runNonMarkov(forever, model, durations, null, initial, tmax, 0.5, createRandom(3, r), keep, forever.temporal);
        const b = runNonMarkov(weighted, model, durations, null, initial, tmax, 0.5, createRandom(3, r), keep);
        expect(a.events).toBe(b.events);
        expect(a.counts).toEqual(b.counts);
        expect(Array.from(a.infectionTime!)).toEqual(Array.from(b.infectionTime!));
      }
    });
  }
});

describe("B. snapshots equal the equivalent intervals", () => {
  // Three daily networks: day 0 (0–1), day 1 (1–3: a two-day snapshot), day 3 (3–4 or until the period).
  const days: Record<number, [string, string][]> = {
    0: [["a", "b"], ["b", "c"], ["c", "d"]],
    1: [["a", "c"], ["b", "c"], ["d", "e"]],
    3: [["a", "b"], ["d", "e"], ["e", "f"]],
  };
  const ends: Record<number, number> = { 0: 1, 1: 3, 3: 4 };
  const snapshotText = "# day,i,j\n" + Object.entries(days).flatMap(([t, es]) => es.map(([i, j]) => `${t}\t${i}\t${j}`)).join("\n") + "\n";
  const intervalText = (last: number) =>
    Object.entries(days).flatMap(([t, es]) => es.map(([i, j]) => `${i},${j},${t},${Number(t) === 3 ? last : ends[Number(t)]}`)).join("\n");

  const spec = (seed: number, tmax: number): SimulationSpec => ({
    model: { preset: "SIS", params: { beta: 1.2, gamma: 0.4 } },
    time: { mode: "continuous", tmax, record: 0.5 },
    initial: { I: { nodes: ["a"] } },
    seed,
    runs: 300,
    output: { nodes: "all", infectionTimes: true },
  });

  it("once, the last snapshot until `until`: same windows, same runs", () => {
    const s = parseContacts(snapshotText, { format: "snapshots", until: 4, file: "days.tsv" });
    const i = parseContacts(intervalText(4), { format: "intervals", file: "days.csv" });
    sameWindows(s, i);
    const a = simulate(s, spec(11, 6));
    const b = simulate(i, spec(11, 6));
    expect(a.finalSize.values).toEqual(b.finalSize.values);
    expect(a.mean).toEqual(b.mean);
    expect(a.finalSize.values.some((x) => x > 2)).toBe(true);
  });

  it("weekly: the last snapshot until the period, repeated", () => {
    const s = parseContacts(snapshotText, { format: "snapshots", period: 7, file: "days.tsv" });
    const i = parseContacts(intervalText(7), { format: "intervals", period: 7, file: "days.csv" });
    sameWindows(s, i);
    const a = simulate(s, spec(12, 30));
    const b = simulate(i, spec(12, 30));
    expect(a.mean).toEqual(b.mean);
  });

  it("a list of edge-list files with their windows", () => {
    const files: Record<string, string> = {
      "d0.csv": "i,j\n" + days[0].map((e) => e.join(",")).join("\n"),
      "d1.csv": days[1].map((e) => e.join(" ")).join("\n"),
      "d3.csv": days[3].map((e) => e.join(";")).join("\n"),
    };
    const list = [{ file: "d0.csv", start: 0, end: 1 }, { file: "d1.csv", start: 1, end: 3 }, { file: "d3.csv", start: 3, end: 4 }];
    const s = snapshotFilesNetwork(list, (f) => files[f]);
    sameWindows(s, parseContacts(intervalText(4), { format: "intervals" }));
  });
});

describe("C. errors", () => {
  it("bad rows name the file and line; until must follow the last snapshot", () => {
    expect(() => parseContacts("0,a,b\nday1,a,c\n", { format: "snapshots", file: "s.csv" })).toThrow(/^s\.csv:2: snapshot time "day1" is not a number/);
    expect(() => parseContacts("0,a,b\n1,a\n", { format: "snapshots", file: "s.csv" })).toThrow(/^s\.csv:2: expected 3 columns/);
    expect(() => parseContacts("0,a,b\n2,a,c\n", { format: "snapshots", until: 2, file: "s.csv" })).toThrow(/^s\.csv: until: the last snapshot \(t = 2\)/);
    expect(() => parseContacts("0,a,b\n8,a,c\n", { format: "snapshots", period: 7, file: "s.csv" })).toThrow(/^s\.csv: until: the last snapshot \(t = 8\)/);
  });
  it("snapshot files: file and line for rows, the list entry for windows", () => {
    const read = (f: string) => (f === "bad.csv" ? "a,b\nc,c\n" : "a,b\n");
    expect(() => snapshotFilesNetwork([{ file: "ok.csv", start: 0, end: 1 }, { file: "bad.csv", start: 1, end: 2 }], read)).toThrow(/^bad\.csv:2: contact of node c with itself/);
    expect(() => snapshotFilesNetwork([{ file: "ok.csv", start: 2, end: 1 }], read, { where: "network.contacts.snapshots" })).toThrow(/^network\.contacts\.snapshots\[0\]: a snapshot needs/);
    expect(() => snapshotFilesNetwork([{ file: "ok.csv", start: 5, end: 9 }], read, { period: 7 })).toThrow(/^snapshots\[0\]: window \[5, 9\) is outside \[0, 7\)/);
  });

  const dir = mkdtempSync(join(tmpdir(), "spreadlab-snapshots-"));
  writeFileSync(join(dir, "days.csv"), "day,i,j\n0,a,b\n1,b,c\n");
  writeFileSync(join(dir, "d0.csv"), "a,b\n");
  writeFileSync(join(dir, "d1.csv"), "b,c\nx,x\n");
  const scenario = (contacts: string) => `network:
  contacts: ${contacts}
model:
  preset: SIR
  params: { beta: 1, gamma: 0.5 }
time: { mode: continuous, tmax: 10, record: 1 }
initial: { I: { nodes: [a] } }
runs: 5
`;
  const issuesOf = (text: string): ScenarioIssue[] => {
    try {
      parseScenario(text, "s.yaml", dir);
    } catch (e) {
      return (e as { issues: ScenarioIssue[] }).issues;
    }
    throw new Error("expected a ScenarioError");
  };

  it("scenario: both sources, a list without format snapshots, until on intervals, a backwards window", () => {
    expect(issuesOf(scenario('{ file: days.csv, format: snapshots, snapshots: [{ file: d0.csv, start: 0, end: 1 }] }')).map((i) => i.path)).toEqual(["network.contacts.snapshots"]);
    expect(issuesOf(scenario('{ format: intervals, snapshots: [{ file: d0.csv, start: 0, end: 1 }] }')).map((i) => i.path)).toEqual(["network.contacts.snapshots"]);
    expect(issuesOf(scenario("{ file: days.csv, format: intervals, until: 3 }")).map((i) => i.path)).toEqual(["network.contacts.until"]);
    expect(issuesOf(scenario("{ format: snapshots, snapshots: [{ file: d0.csv, start: 2, end: 1 }] }")).map((i) => [i.path, i.line])).toEqual([["network.contacts.snapshots[0].end", 2]]);
  });

  it("scenario: both forms run; a bad row in a listed file names that file and line", () => {
    const one = resolveScenario(parseScenario(scenario("{ file: days.csv, format: snapshots, until: 2 }"), "s.yaml", dir));
    expect((one.network() as TemporalCSR).temporal.end[0]).toBe(1);
    const list = resolveScenario(parseScenario(scenario("{ format: snapshots, snapshots: [{ file: d0.csv, start: 0, end: 1 }, { file: d1.csv, start: 1, end: 2 }] }"), "s.yaml", dir));
    expect(() => list.network()).toThrow(/^d1\.csv:2: contact of node x with itself/);
  });
});
