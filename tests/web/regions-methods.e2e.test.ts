/**
 * The Regions tab's newer parts in Chromium (software WebGL, as regions.e2e.test.ts): the transformer in the
 * method selector (every HHS region of region785 forecast zero-shot at 2015-W02, with per-region backtests and
 * progress); an adjacency file with weights whose per-edge mobility shows as edge thickness on the spread maps
 * and is scaled by the what-if factor; the heat-equation preset (one unit of u spreads, the total stays 1); and
 * one colour per region beyond 7, the same in the curves' legend and on the map labels.
 * Screenshots: test-artifacts/regions-transformer.png, regions-heat.png.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../helpers/browser.js";
import { startServer, type RunningServer } from "../../src/server/index.js";
import { edgeWidth } from "../../web/src/regions/spread.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts");
const AS_OF = 641;

let server: RunningServer;
let browser: Browser;
let page: Page;
let dir: string;
const errors: string[] = [];

type Result = { method: string; finetune?: unknown; asOf: { label: string }; regions: { region: string; scores: { origins: number } | null }[] };
type Graphish = { size: number; getEdgeAttribute(e: string, a: string): number; getNodeAttribute(n: string, a: string): string };
type Spread = { rows: { region: string; baseline: { finalSize: number } }[]; baseMap: { graph: Graphish }; whatIfMap: { graph: Graphish } };
type Hook = { ready: Promise<boolean>; regions: { result: Result | null; submit(asOf?: number): Promise<unknown>; spread: Spread } };

/** Evaluate `fn` on the page's Regions panel (the dashboard's test hook). */
const regions = <T,>(fn: (r: Hook["regions"]) => T) => page.evaluate(`(${fn.toString()})(window.__spreadlab.regions)`) as Promise<T>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "spreadlab-regions-methods-"));
  server = await startServer({ port: 0, dbPath: join(dir, "e2e.db"), handleSignals: false, log: () => {}, workers: 1 });
  ({ browser } = await launchChromium());
  page = await browser.newPage({ viewport: { width: 1360, height: 1100 } });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { __spreadlab?: Hook }).__spreadlab !== undefined, null, { timeout: 30_000 });
  await page.evaluate(() => (window as unknown as { __spreadlab: Hook }).__spreadlab.ready);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("the Regions tab's methods and spread models in Chromium", () => {
  it("forecasts every region with the transformer (zero-shot), with progress and a backtest per region", async () => {
    await page.click("#tab-regions");
    expect(await page.locator("#regions-finetune").isHidden()).toBe(true);
    await page.selectOption('#regions-form select[data-path="method"]', "transformer");
    expect(await page.locator("#regions-finetune").isVisible()).toBe(true);
    expect(await page.inputValue('#regions-form input[data-path="finetune.epochs"]')).toBe("0");
    await page.evaluate((asOf) => (window as unknown as { __spreadlab: Hook }).__spreadlab.regions.submit(asOf), AS_OF);
    const result = (await regions((r) => r.result))!;
    expect(result.method).toBe("transformer");
    expect(result.finetune).toBeNull();
    expect(result.asOf.label).toBe("2015-W02");
    expect(result.regions).toHaveLength(10);
    for (const r of result.regions) expect(r.scores?.origins, r.region).toBe(26);
    expect(await page.textContent("#regions-form .form-error")).toBe("");
    expect(await page.textContent("#regions-form .status")).toMatch(/As of 2015-W02: \d+ rising, \d+ flat, \d+ falling/);
    const progress = await page.evaluate(() => {
      const p = document.querySelector<HTMLProgressElement>("#regions-form progress")!;
      return [p.value, p.max];
    });
    expect(progress[0]).toBe(progress[1]);
    expect(await page.textContent("#regions-scores")).toMatch(/Backtest \(26 origins, h = 4\)/);
    await page.screenshot({ path: join(ARTIFACTS, "regions-transformer.png") });
  }, 90_000);

  it("weighted adjacency: per-edge mobility as edge thickness, scaled by the what-if; the heat preset keeps Σu = 1; one colour per region", async () => {
    // A ring of the 10 HHS regions, Region 1 — Region 2 four times as heavy as the other nine edges:
    // relative weights 4/1.3 and 1/1.3 (the mean is 1.3).
    const ring = ["source,target,weight", ...Array.from({ length: 10 }, (_, i) => `Region ${i + 1},Region ${((i + 1) % 10) + 1},${i === 0 ? 4 : 1}`)];
    await page.selectOption('#regions-form select[data-path="method"]', "trend");
    await page.setInputFiles('#regions-form input[data-path="adjacency.csv"]', { name: "ring.csv", mimeType: "text/csv", buffer: Buffer.from(ring.join("\n")) });
    await page.evaluate((asOf) => (window as unknown as { __spreadlab: Hook }).__spreadlab.regions.submit(asOf), AS_OF);
    expect(await page.textContent("#regions-form .form-error")).toBe("");
    await page.locator("#spread-card").scrollIntoViewIfNeeded();
    await page.fill('#spread-form input[data-path="whatIf.mobilityScale"]', "0.5");
    await page.dispatchEvent('#spread-form input[data-path="whatIf.mobilityScale"]', "change");
    const widths = await regions((r) => {
      const b = r.spread.baseMap.graph;
      const w = r.spread.whatIfMap.graph;
      return { edges: b.size, heavy: b.getEdgeAttribute("Region 1 — Region 2", "size"), light: b.getEdgeAttribute("Region 2 — Region 3", "size"), heavyWhatIf: w.getEdgeAttribute("Region 1 — Region 2", "size"), lightWhatIf: w.getEdgeAttribute("Region 2 — Region 3", "size") };
    });
    const max = 4 / 1.3;
    expect(widths.edges).toBe(10);
    expect(widths.heavy).toBeCloseTo(edgeWidth(max, max), 9);
    expect(widths.light).toBeCloseTo(edgeWidth(1 / 1.3, max), 9);
    expect(widths.heavyWhatIf).toBeCloseTo(edgeWidth(0.5 * max, max), 9);
    expect(widths.lightWhatIf).toBeCloseTo(edgeWidth(0.5 / 1.3, max), 9);
    expect(widths.heavy).toBeGreaterThan(widths.light);

    await page.selectOption('#spread-form select[data-path="model.preset"]', "heat");
    await page.selectOption('#spread-form select[data-path="initial.I.nodes"]', "Region 1");
    await page.click("#spread-run");
    await page.waitForFunction(() => /^Done/.test(document.querySelector("#spread-status")?.textContent ?? "") || document.querySelector("#spread-form .form-error")?.textContent, null, { timeout: 60_000 });
    expect(await page.textContent("#spread-form .form-error")).toBe("");
    const rows = await regions((r) => r.spread.rows);
    expect(rows).toHaveLength(10);
    // Pure diffusion conserves the amount: the final shares add up to the one unit placed in Region 1.
    expect(Math.abs(rows.reduce((s, r) => s + r.baseline.finalSize, 0) - 1)).toBeLessThan(1e-6);
    expect(await page.textContent("#spread-legend")).toMatch(/of the amount/);
    // Ten regions, ten colours; each region's map label has its curve's colour.
    const legend = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>("#spread-curves .legend li")].map((li) => [li.textContent ?? "", li.querySelector<HTMLElement>(".swatch")!.style.getPropertyValue("--c").trim()]));
    expect(legend).toHaveLength(10);
    expect(new Set(legend.map(([, c]) => c)).size).toBe(10);
    const labels = await regions((r) => Object.fromEntries(r.spread.rows.map((row) => [row.region, r.spread.whatIfMap.graph.getNodeAttribute(row.region, "labelColor")])));
    for (const [region, colour] of legend) expect(labels[region], region).toBe(colour);
    await page.locator("#spread-card").screenshot({ path: join(ARTIFACTS, "regions-heat.png") });
    expect(errors).toEqual([]);
  }, 120_000);
});
