/** `spreadlab serve`: options and their checks (the server itself is tested through startServer). */
import { describe, expect, it, vi } from "vitest";
import { Command } from "commander";
import { registerServeCommand } from "../../src/cli/serve.js";

function program(): Command {
  const p = new Command().exitOverride();
  p.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerServeCommand(p);
  return p;
}

describe("spreadlab serve", () => {
  it("documents --port, --host and --db with their defaults", () => {
    const serve = program().commands.find((c) => c.name() === "serve")!;
    const byName = Object.fromEntries(serve.options.map((o) => [o.long, o.defaultValue]));
    expect(byName).toMatchObject({ "--port": 8080, "--host": "127.0.0.1" });
    // --db has no commander default: $SPREADLAB_DB_URL comes before the SQLite file.
    const db = serve.options.find((o) => o.long === "--db")!;
    expect(db.description).toContain("$SPREADLAB_DB_URL");
    expect(db.description).toContain("./.spreadlab/spreadlab.db");
  });

  it("exits non-zero with a clear error when PostgreSQL cannot be reached (flag and SPREADLAB_DB_URL)", async () => {
    const { main } = await import("../../src/cli/main.js");
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      // Port 1 on loopback: nothing listens there, the connection is refused at once.
      expect(await main(["serve", "--port", "0", "--db", "postgres://postgres:hunter2@127.0.0.1:1/test"])).toBe(1);
      vi.stubEnv("SPREADLAB_DB_URL", "postgres://postgres@127.0.0.1:1/test");
      expect(await main(["serve", "--port", "0"])).toBe(1);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    const text = written.join("");
    expect(text).toContain("cannot use PostgreSQL at postgres://postgres:***@127.0.0.1:1/test");
    expect(text).not.toContain("hunter2");
  });

  it("refuses a port that is not one", async () => {
    await expect(program().parseAsync(["serve", "--port", "http"], { from: "user" })).rejects.toMatchObject({ name: "SpreadlabError" });
    await expect(program().parseAsync(["serve", "--port", "70000"], { from: "user" })).rejects.toMatchObject({ name: "SpreadlabError" });
  });
});
