/**
 * README.md's code blocks, run as a reader would run them (issue 12). The convention, also stated in a comment
 * near the top of README.md:
 *  - `ts` / `js`: transpiled by TypeScript (transpileModule: syntax only; the library's types are tsc's job)
 *    and run by node as an ES module from out/readme-test/, inside the repository, so that
 *    `import … from "spreadlab"` resolves to this package (Node's package self-reference through
 *    package.json `exports` → dist/src/index.js); the working directory is the repository root.
 *  - `sh` / `bash`: run by `bash -e` from the repository root, with shell functions standing in for the
 *    installed command: `spreadlab …` and `npx spreadlab …` are `node bin/spreadlab.js …`; `npm install`,
 *    `npm ci` and `npm test` are skipped (the suite runs after the install, and inside `npm test`);
 *    `npm start` and `spreadlab serve` start the server on a free port with a temporary database, wait for
 *    `GET /v1/health` to answer 200, and stop it. A block that calls `localhost:8080` runs against a server this
 *    test starts on a free port (the address is rewritten).
 *  - `yaml`: a complete scenario file, validated by the scenario loader as if it were in scenarios/.
 *  - `text` or no language: not run (output samples, synopses with placeholders, the schema sketch).
 * Any other fence language fails: fence it as text, or add a runner here. A block passes when it exits 0
 * within BLOCK_TIMEOUT_MS; fix the README, not this test, when one fails.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "spreadlab.js");
const BLOCK_TIMEOUT_MS = 60_000;
const scratch = join(root, "out", "readme-test");
const temp = mkdtempSync(join(tmpdir(), "spreadlab-readme-"));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(temp, { recursive: true, force: true });
});

interface Block {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Every fenced block of a Markdown text (``` fences at the start of a line). */
export function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`README.md:${start + 1}: a code block is not closed.`);
    blocks.push({ lang: open[1].toLowerCase(), code: body.join("\n") + "\n", line: start + 1 });
  }
  return blocks;
}

const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = fencedBlocks(readme);
const RUNNERS: Record<string, "module" | "shell" | "scenario" | "none"> = { ts: "module", js: "module", sh: "shell", bash: "shell", shell: "shell", yaml: "scenario", yml: "scenario", text: "none", "": "none" };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A server on a free port with its own database, once GET /v1/health answers. */
async function startServer(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, "serve", "--port", String(port), "--db", join(temp, `server-${port}.db`)], { cwd: root, stdio: "ignore" });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v1/health`)).ok) return { port, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error("the server did not answer /v1/health within 30 s.");
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Shell functions that stand in for the installed command (see the header). */
const PRELUDE = `
set -eo pipefail
spreadlab() { if [ "$1" = serve ]; then serve_probe; else node "$SPREADLAB_BIN" "$@"; fi; }
npx() { if [ "$1" = spreadlab ]; then shift; spreadlab "$@"; else command npx "$@"; fi; }
npm() {
  case "$1" in
    install|i|ci|test) echo "(README test: npm $1 skipped)" ;;
    start) serve_probe ;;
    *) command npm "$@" ;;
  esac
}
serve_probe() {
  local port pid ok=1
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  node "$SPREADLAB_BIN" serve --port "$port" --db "$SPREADLAB_TEST_DB" >/dev/null 2>&1 & pid=$!
  for _ in $(seq 1 150); do
    if curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null; then ok=0; break; fi
    sleep 0.2
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [ "$ok" = 0 ] || { echo "the server did not answer /v1/health" >&2; return 1; }
  echo "(README test: the server answered /v1/health on port $port, then stopped)"
}
`;

function runShell(code: string, block: Block): { status: number | null; output: string } {
  const r = spawnSync("bash", ["-c", PRELUDE + code], {
    cwd: root,
    encoding: "utf8",
    timeout: BLOCK_TIMEOUT_MS,
    env: { ...process.env, SPREADLAB_BIN: bin, SPREADLAB_TEST_DB: join(temp, `probe-${block.line}.db`) },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ""}` };
}

describe("README.md code blocks", () => {
  it("has blocks, each fenced with a language this test knows", () => {
    expect(blocks.length).toBeGreaterThan(5);
    const unknown = blocks.filter((b) => !(b.lang in RUNNERS)).map((b) => `README.md:${b.line} (${b.lang})`);
    expect(unknown, "fence these as text, or add a runner").toEqual([]);
  });

  for (const block of blocks) {
    const runner = RUNNERS[block.lang];
    if (runner === undefined || runner === "none") continue;
    const label = `README.md:${block.line} (${block.lang})`;

    if (runner === "module") {
      it(`${label} runs as an ES module`, () => {
        const js = ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
        mkdirSync(scratch, { recursive: true });
        const file = join(scratch, `block-${block.line}.mjs`);
        writeFileSync(file, js);
        const r = spawnSync(process.execPath, [file], { cwd: root, encoding: "utf8", timeout: BLOCK_TIMEOUT_MS });
        expect(r.status, `${label} failed:\n${r.stdout}${r.stderr}${r.error ?? ""}`).toBe(0);
      });
    } else if (runner === "scenario") {
      it(`${label} is a valid scenario`, () => {
        expect(() => parseScenario(block.code, label, join(root, "scenarios"))).not.toThrow();
      });
    } else {
      const needsServer = /^[^#\n]*(localhost|127\.0\.0\.1):8080/m.test(block.code);
      it(`${label} runs in bash${needsServer ? " against a server" : ""}`, async () => {
        let server: { port: number; child: ChildProcess } | null = null;
        try {
          let code = block.code;
          if (needsServer) {
            server = await startServer();
            code = code.replace(/(localhost|127\.0\.0\.1):8080/g, `127.0.0.1:${server.port}`);
          }
          const r = runShell(code, block);
          expect(r.status, `${label} failed:\n${r.output}`).toBe(0);
        } finally {
          if (server) await stopServer(server.child);
        }
      }, 2 * BLOCK_TIMEOUT_MS);
    }
  }
});
