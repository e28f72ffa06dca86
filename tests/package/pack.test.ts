/**
 * Spreadlab as a dependency (issue 12): `npm pack` the repository, install the tarball in a temporary
 * project outside it, and use it the way the README says — `import { simulate } from "spreadlab"` (with its
 * types), an ensemble on worker threads, the `spreadlab` bin (`--version`, `validate`, `run`) and the
 * server it starts (API, bundled scenarios, dashboard).
 *
 * Installing: the tarball is unpacked into <project>/node_modules/spreadlab and its `bin` entries linked into
 * node_modules/.bin — what `npm install <tarball> --ignore-scripts` does for the package itself — while its
 * dependencies resolve through a node_modules one directory above the project that links to this
 * repository's (Node looks for packages in every ancestor's node_modules). A full `npm install` of the tarball
 * fetches ~250 packages (≈ 385 MB, 36 s with a warm cache, and better-sqlite3 compiles for minutes without a
 * prebuilt binary), too slow for every test run; what it adds over this — npm's own resolution of the same
 * dependency ranges — is not what this test is about. The checks that matter are here: what the tarball
 * ships (dist/, bin/, the data the commands read, not the tests or sources), that `exports`/`types` resolve
 * from outside the repository, and that the bin and the worker threads run from the installed copy.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string; bin: Record<string, string> };
const temp = mkdtempSync(join(tmpdir(), "spreadlab-pack-"));
const project = join(temp, "consumer");
const installed = join(project, "node_modules", "spreadlab");
let files: string[] = [];

beforeAll(() => {
  // dist/ is current (tests/setup/build.ts), so skip `prepare`'s rebuild.
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", temp], { cwd: root, encoding: "utf8" });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = info.files.map((f) => f.path);
  const tarball = join(temp, info.filename);
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  symlinkSync(join(root, "node_modules"), join(temp, "node_modules"), "dir");
  mkdirSync(join(project, "node_modules", ".bin"));
  for (const [name, target] of Object.entries(pkg.bin)) symlinkSync(join("..", "spreadlab", target), join(project, "node_modules", ".bin", name));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { spreadlab: `file:${tarball}` } }));
}, 120_000);

afterAll(() => rmSync(temp, { recursive: true, force: true }));

function inProject(command: string, args: string[]) {
  const r = spawnSync(command, args, { cwd: project, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}${r.stderr}${r.error ?? ""}` };
}

describe("the packed package", () => {
  it("ships the build, the bin and the data its commands read, not the tests or the sources", () => {
    for (const f of ["package.json", "README.md", "bin/spreadlab.js", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/cli/main.js", "dist/src/ensemble/worker.js", "dist/web/index.html", "scenarios/sir-scale-free.yaml", "models/ili-pretrained/manifest.json", "models/daily-pretrained/manifest.json", "models/daily-pretrained/weights.bin", "docs/validation.md"]) {
      expect(files, f).toContain(f);
    }
    const unwanted = files.filter((f) => /^(tests|src|web|bench|dist\/bench|node_modules|\.spreadlab|out)\//.test(f));
    expect(unwanted).toEqual([]);
  });

  it("imports from outside the repository, runs a simulation and an ensemble on worker threads", () => {
    writeFileSync(
      join(project, "main.mjs"),
      `import { generateCSR, simulate, simulateEnsemble } from "spreadlab";
const network = generateCSR({ type: "erdos-renyi", n: 500, k: 6 }, 1);
const spec = { model: { preset: "SIR", params: { beta: 0.5, gamma: 1 } }, time: { mode: "continuous", tmax: 30, record: 1 }, initial: { I: { count: 5 } }, seed: 7, runs: 4 };
const serial = simulate(network, spec);
const pooled = await simulateEnsemble(network, spec, { workers: 2 });
console.log(JSON.stringify({ resolved: import.meta.resolve("spreadlab"), serial: serial.finalSize.values, pooled: pooled.finalSize.values, n: serial.n }));
`,
    );
    const r = inProject(process.execPath, ["main.mjs"]);
    expect(r.status, r.output).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(realpathSync(fileURLToPath(out.resolved))).toBe(realpathSync(join(installed, "dist", "src", "index.js")));
    expect(out.n).toBe(500);
    expect(out.pooled).toEqual(out.serial);
    expect(out.serial.every((x: number) => x >= 5 && x <= 500)).toBe(true);
  });

  it("type-checks a TypeScript consumer against the shipped declarations", () => {
    writeFileSync(
      join(project, "typed.ts"),
      `import { simulate, generateCSR, type SimulationResult } from "spreadlab";
const result: SimulationResult = simulate(generateCSR({ type: "path", n: 10 }, 0), { model: { preset: "SIR" }, time: { mode: "continuous", tmax: 5 }, initial: { I: { count: 1 } } });
const attack: number = result.finalSize.mean / result.n;
const vaccinated: number | undefined = result.vaccinated?.mean;
export { attack, vaccinated };
`,
    );
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const r = inProject(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node", "typed.ts"]);
    expect(r.status, r.output).toBe(0);
    // And a wrong use is an error, so the declarations were really read.
    writeFileSync(join(project, "wrong.ts"), `import { simulate } from "spreadlab";\nconst x: string = simulate;\nexport { x };\n`);
    const wrong = inProject(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node", "wrong.ts"]);
    expect(wrong.status).not.toBe(0);
    expect(wrong.output).toMatch(/TS2322/);
  });

  it("runs its bin: --version, validate and run", () => {
    const spreadlab = join(project, "node_modules", ".bin", "spreadlab");
    expect(existsSync(spreadlab)).toBe(true);
    const version = inProject(spreadlab, ["--version"]);
    expect(version.status, version.output).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const validate = inProject(spreadlab, ["validate", "node_modules/spreadlab/scenarios/sir-scale-free.yaml"]);
    expect(validate.status, validate.output).toBe(0);
    expect(validate.stdout).toContain(": ok");
    writeFileSync(
      join(project, "tiny.yaml"),
      "network: { generate: { type: erdos-renyi, n: 300, k: 5 } }\nmodel: { preset: SIR, params: { beta: 0.4, gamma: 1 } }\ntime: { mode: continuous, tmax: 20 }\ninitial: { I: { count: 3 } }\nruns: 2\n",
    );
    const run = inProject(spreadlab, ["run", "tiny.yaml", "--json"]);
    expect(run.status, run.output).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.schemaVersion).toBe(1);
    expect(result.finalSize.values).toHaveLength(2);
  });

  it("serves the API, the bundled scenarios and the dashboard from the installed copy", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const server = spawn(join(project, "node_modules", ".bin", "spreadlab"), ["serve", "--port", String(port), "--db", join(temp, "serve.db")], { cwd: project, stdio: "ignore" });
    const base = `http://127.0.0.1:${port}`;
    try {
      let healthy = false;
      for (let i = 0; i < 150 && !healthy; i++) {
        healthy = await fetch(`${base}/v1/health`).then((r) => r.ok, () => false);
        if (!healthy) await new Promise((r) => setTimeout(r, 200));
      }
      expect(healthy).toBe(true);
      const scenarios = (await (await fetch(`${base}/v1/scenarios`)).json()) as { id: string }[] | { items: { id: string }[] };
      const ids = (Array.isArray(scenarios) ? scenarios : scenarios.items).map((x) => x.id);
      expect(ids).toContain("sir-scale-free");
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    } finally {
      await new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once("exit", () => resolve());
        server.kill("SIGTERM");
      });
    }
  }, 60_000);
});
