/**
 * The Simulate tab's period form (model.durations) in Chromium (tests/helpers/browser.ts), against `startServer`:
 * an SEIR with a fixed latent period and gamma infectious periods runs on the event-driven engine and gives the
 * library's result for the same scenario; a bad parameter is shown beside its input and sends nothing.
 * A screenshot of the form is saved in test-artifacts/durations-form.png (gitignored).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../helpers/browser.js";
import { startServer, type RunningServer } from "../../src/server/index.js";
import { generateCSR } from "../../src/graph/generators/index.js";
import { runModel } from "../../src/run.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { parseScenario } from "../../src/scenario/load.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts");
let server: RunningServer;
let browser: Browser;
let page: Page;
let dir: string;
const errors: string[] = [];

type Hook = {
  ready: Promise<boolean>;
  runs: { current: { id: string; result: { n: number; engine: { name: string }; finalSize: { values: number[] } } } | null };
  network: { current: { row: { n: number } } | null };
  stopLayout(): void;
};
declare global {
  interface Window {
    __spreadlab: Hook;
  }
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "spreadlab-e2e-durations-"));
  server = await startServer({ port: 0, dbPath: join(dir, "e2e.db"), handleSignals: false, log: () => {}, workers: 1 });
  ({ browser } = await launchChromium());
  page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 422/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  await page.goto(server.url);
  await page.waitForFunction(() => window.__spreadlab !== undefined, null, { timeout: 30_000 });
  await page.evaluate(() => window.__spreadlab.ready);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("the period form (model.durations) in Chromium", () => {
  it("SEIR with a fixed latent and gamma infectious period: the event-driven engine, the library's result", async () => {
    await page.selectOption('#network-form select[data-path="generate.type"]', "barabasi-albert");
    await page.fill('#network-form input[data-path="generate.n"]', "120");
    await page.fill('#network-form input[data-path="generate.m"]', "2");
    await page.click("#network-form button.primary");
    await page.waitForFunction(() => window.__spreadlab.network.current?.row.n === 120, null, { timeout: 30_000 });
    await page.evaluate(() => window.__spreadlab.stopLayout());

    await page.selectOption('#scenario-form select[data-path="model.preset"]', "SEIR");
    expect(await page.isVisible("#periods")).toBe(true);
    await page.selectOption('#scenario-form select[data-path="model.durations.E.dist"]', "fixed");
    await page.fill('#scenario-form input[data-path="model.durations.E.value"]', "2");
    await page.selectOption('#scenario-form select[data-path="model.durations.I.dist"]', "gamma");
    await page.fill('#scenario-form input[data-path="model.durations.I.mean"]', "4");
    await page.fill('#scenario-form input[data-path="model.durations.I.shape"]', "0");
    await page.fill('#scenario-form input[data-path="runs"]', "8");

    // A bad parameter: shown beside its input, nothing sent.
    await page.click("#run-button");
    const message = page.locator('#scenario-form input[data-path="model.durations.I.shape"] ~ .field-error');
    await expect.poll(() => message.textContent()).toMatch(/finite number > 0/);
    expect(await page.getAttribute('#scenario-form input[data-path="model.durations.I.shape"]', "aria-invalid")).toBe("true");
    expect(await page.evaluate(() => window.__spreadlab.runs.current)).toBeNull();

    await page.fill('#scenario-form input[data-path="model.durations.I.shape"]', "2");
    await page.locator("#scenario-form").screenshot({ path: join(ARTIFACTS, "durations-form.png") });
    const sent = page.waitForRequest((r) => r.url().endsWith("/v1/runs") && r.method() === "POST");
    await page.click("#run-button");
    const body = (await sent).postDataJSON() as { scenario: Record<string, unknown> & { model: { durations: unknown } }; networkId?: string };
    expect(body.scenario.model.durations).toEqual({ E: { dist: "fixed", value: 2 }, I: { dist: "gamma", mean: 4, shape: 2 } });
    await page.waitForFunction(() => window.__spreadlab.runs.current?.result.n === 120, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.__spreadlab.runs.current!.result);
    expect(result.engine.name).toMatch(/non-exponential periods.*E: fixed 2.*I: gamma\(mean 4, shape 2\)/);

    // The same scenario in the library, on the same generated network (same generator, same seed).
    const spec = resolveScenario(parseScenario(JSON.stringify({ ...body.scenario, network: { generate: { type: "barabasi-albert", n: 120, m: 2 }, seed: 1 } }), "s.json", ".")).spec;
    const local = runModel(generateCSR({ type: "barabasi-albert", n: 120, m: 2 }, 1), spec);
    expect(result.finalSize.values).toEqual(local.finalSize.values);
    expect(errors).toEqual([]);
  }, 180_000);
});
