/**
 * What `spreadlab run` prints (issue 12): infections apart from vaccinations, endemic prevalence for endemic
 * models instead of a final size, labelled totals for fields; and `spreadlab --version`. Run as users run
 * it, `node bin/spreadlab.js …` in a child process, on scenarios of ≤ 1,000 nodes.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "spreadlab.js");
const work = mkdtempSync(join(tmpdir(), "spreadlab-summary-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scenario(name: string, text: string): string {
  writeFileSync(join(work, name), text);
  return name;
}

const VACCINATED = scenario(
  "vaccinated.yaml",
  `network: { generate: { type: erdos-renyi, n: 1000, k: 6 } }
model: { preset: SIR, params: { beta: 0, gamma: 1 } }
time: { mode: continuous, tmax: 10, record: 1 }
initial: { I: { count: 5 } }
interventions: [{ at: 0, vaccinate: { fraction: 0.5 } }]
runs: 3
`,
);

describe("spreadlab run summaries", () => {
  it("β = 0, 5 seeds, 50% vaccinated: 5 infections (0.50%), 500 vaccinated apart", () => {
    const r = cli("run", VACCINATED);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/final size\s+5\.0 ± 0\.0 infections \(attack rate 0\.50%\)/);
    expect(r.stdout).toMatch(/vaccinated\s+500\.0 ± 0\.0 nodes \(50\.00%; not infections\)/);
    const json = JSON.parse(cli("run", VACCINATED, "--json").stdout);
    expect(json.finalSize.values).toEqual([5, 5, 5]);
    expect(json.vaccinated.values).toEqual([500, 500, 500]);
    expect(json.vaccinated.curve).toHaveLength(json.times.length);
  });

  it("SIS leads with endemic prevalence and labels the final size 'ever infected'", () => {
    const file = scenario(
      "sis.yaml",
      `network: { generate: { type: erdos-renyi, n: 500, k: 8 } }
model: { preset: SIS, params: { beta: 0.5, gamma: 1 } }
time: { mode: continuous, tmax: 20, record: 0.5 }
initial: { I: { count: 20 } }
runs: 2
`,
    );
    const r = cli("run", file, "--json");
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.prevalence.window).toEqual([16, 20]);
    const text = cli("run", file).stdout;
    const pct = ((100 * json.prevalence.mean) / 500).toFixed(2);
    expect(text).toContain(`endemic prevalence  ${json.prevalence.mean.toFixed(1)} ± ${json.prevalence.sd.toFixed(1)} infectious nodes (${pct}% of nodes, mean over t in [16, 20])`);
    expect(text).toMatch(/ever infected\s+\d/);
    expect(text).not.toMatch(/final size/);
  });

  it("a cascade: nodes ever active, and the most new activations in one round", () => {
    const r = cli("run", join(root, "scenarios", "ic-social.yaml"), "--out", join(work, "ic"));
    expect(r.status).toBe(0);
    const result = JSON.parse(readFileSync(join(work, "ic", "result.json"), "utf8"));
    expect(r.stdout).toContain(`ever active (final size)  ${result.finalSize.mean.toFixed(1)} ± ${result.finalSize.sd.toFixed(1)} nodes`);
    expect(r.stdout).toMatch(/most new activations\s+\d/);
    expect(r.stdout).not.toMatch(/infections|vaccinated/);
  });

  it("a metapopulation field: every number labelled, with units", () => {
    const r = cli("run", join(root, "scenarios", "metapop-regions.yaml"), "--out", join(work, "mp"));
    expect(r.status).toBe(0);
    const result = JSON.parse(readFileSync(join(work, "mp", "result.json"), "utf8"));
    expect(r.stdout).toContain(`peak I (sum over nodes)   ${result.peak.mean.toExponential(3)} at t = ${Number(result.peak.time.mean.toPrecision(6))}`);
    expect(r.stdout).toMatch(/final R \(sum over nodes\)/);
    expect(r.stdout).toMatch(/units: S, I, R: numbers of people/);
    expect(r.stdout).not.toMatch(/^\s*peak \d/m);
  });
});

describe("spreadlab --version", () => {
  it("prints the version from package.json, exit 0", () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    for (const flag of ["--version", "-V"]) {
      const r = cli(flag);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });
});
