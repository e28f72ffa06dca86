/** API problems in words: zod's wording never reaches the analyst; a status line names the first field. */
import { describe, expect, it } from "vitest";
import { fieldName, friendlyMessage, statusLine } from "../../web/src/ui/messages.js";

describe("friendlyMessage", () => {
  it("rewrites zod's messages about the seeds, numbers and types", () => {
    expect(friendlyMessage("scenario.initial.active.nodes", "Too small: expected array to have >=1 items")).toMatch(/^choose at least 1 seed node: click nodes on the graph/);
    expect(friendlyMessage("scenario.runs", "Too small: expected number to be >=1")).toBe("must be at least 1.");
    expect(friendlyMessage("scenario.model.params.beta", "Too small: expected number to be >0")).toBe("must be more than 0.");
    expect(friendlyMessage("scenario.time.record", "Too big: expected number to be <=100")).toBe("must be at most 100.");
    expect(friendlyMessage("scenario.runs", "Invalid input: expected int, received number")).toBe("must be a whole number.");
    expect(friendlyMessage("scenario.seed", "Invalid input: expected number, received string")).toBe("must be a number (got text).");
    expect(friendlyMessage("scenario.seed", "Invalid input: expected number, received undefined")).toBe("is required.");
  });

  it("keeps messages already written for people", () => {
    const text = 'unknown parameter "betta" for SIR. Did you mean "beta"?';
    expect(friendlyMessage("scenario.model.params.betta", text)).toBe(text);
  });
});

describe("statusLine", () => {
  it("names the first field in words and points to the form", () => {
    const line = statusLine("Run", [{ path: "scenario.initial.active.nodes", message: "Too small: expected array to have >=1 items" }], "the scenario has 1 problem.");
    expect(line).toBe("Run failed — Seeds: choose at least 1 seed node: click nodes on the graph, or seed random or highest-degree nodes. (marked in the form)");
    expect(line).not.toMatch(/Too small|expected array/);
    expect(statusLine("Run", [{ path: "scenario.interventions.0.by", message: "x" }, { path: "scenario.runs", message: "y" }], "")).toMatch(/^Run failed — Intervention 1: x \(and 1 more/);
    expect(statusLine("Run", [], "the server stopped.")).toBe("Run failed: the server stopped.");
    expect([fieldName("scenario.model.params.gamma"), fieldName("generate.n"), fieldName("scenario.unknown")]).toEqual(["Parameter gamma", "Generator parameter n", "unknown"]);
  });
});
