/**
 * `spreadlab network …` in process, as tests/cli/*.test.ts run it: `registerNetworkCommands` on a fresh
 * commander program (with exitOverride, as `buildProgram` sets it), stdout captured by a spy on
 * process.stdout.write. Exit codes are those `main` derives from the error thrown (`exitCode` mirrors
 * src/cli/main.ts).
 */
import { Command, CommanderError } from "commander";
import { vi } from "vitest";
import { registerNetworkCommands } from "../../src/cli/network.js";
import { SpreadlabError } from "../../src/errors.js";

/** The exit code src/cli/main.ts gives an error (0 when none). */
const INVALID_INPUT = new Set(["ScenarioError", "GraphFormatError", "ModelError", "SimulationError", "GeneratorError", "NotFoundError"]);
export function exitCode(e: unknown): number {
  if (e === undefined) return 0;
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  const err = e as Error;
  return INVALID_INPUT.has(err.name) || (err instanceof SpreadlabError && err.name === "SpreadlabError") ? 2 : 1;
}

export interface Ran {
  stdout: string;
  /** What commander itself printed (usage errors, help). */
  commander: string;
  error: Error | undefined;
  code: number;
}

export async function network(...args: string[]): Promise<Ran> {
  let commander = "";
  const program = new Command()
    .name("spreadlab")
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (commander += s), writeErr: (s) => void (commander += s) });
  registerNetworkCommands(program);
  let stdout = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  let error: Error | undefined;
  try {
    await program.parseAsync(["network", ...args], { from: "user" });
  } catch (e) {
    error = e as Error;
  } finally {
    spy.mockRestore();
  }
  return { stdout, commander, error, code: exitCode(error) };
}
