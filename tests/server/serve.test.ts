/** `spreadlab serve`: options and their checks (the server itself is tested through startServer). */
import { describe, expect, it } from "vitest";
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
    expect(byName).toMatchObject({ "--port": 8080, "--host": "127.0.0.1", "--db": "./.spreadlab/spreadlab.db" });
  });

  it("refuses a port that is not one", async () => {
    await expect(program().parseAsync(["serve", "--port", "http"], { from: "user" })).rejects.toMatchObject({ name: "SpreadlabError" });
    await expect(program().parseAsync(["serve", "--port", "70000"], { from: "user" })).rejects.toMatchObject({ name: "SpreadlabError" });
  });
});
