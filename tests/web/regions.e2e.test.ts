/**
 * The Regions tab in Chromium (software WebGL, as dashboard.e2e.test.ts): every HHS region of region785
 * forecast at 2015-W02 (row 641: 3 rising, 4 flat, 3 falling with the damped trend), drawn on the map
 * (Region 10 north-west of Region 4), coloured by trend (read from the canvas pixels), a click on a node
 * opens its fan chart with past seasons, the as-of slider asks for a new forecast, the hub CSV and the PNG
 * download; the spread between regions (metapopulation SIR, baseline and a what-if with every edge closed); then
 * an uploaded series with coordinates whose regions were built to rise, fall and stay level.
 * Screenshots go to test-artifacts/ (regions.png and regions-spread.png are the README's docs/screenshots/ copies).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { colourPixels as countColours, launchChromium } from "../helpers/browser.js";
import { startServer, type RunningServer } from "../../src/server/index.js";
import { IDLE_COLOUR, OKABE_ITO } from "../../web/src/palette.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts");
const AS_OF = 641;

let server: RunningServer;
let browser: Browser;
let page: Page;
let dir: string;
const errors: string[] = [];

type Regions = {
  result: { asOf: { index: number; label: string }; regions: { region: string; trend: string }[] } | null;
  selected: string | null;
  graph: { order: number; size: number; getNodeAttributes(n: string): { x: number; y: number; color: string } };
  renderer: { graphToViewport(p: { x: number; y: number }): { x: number; y: number } };
  submit(asOf?: number): Promise<unknown>;
  show(result: NonNullable<Regions["result"]>): void;
};
type Hook = { ready: Promise<boolean>; regions: Regions };
const hook = (p: Page) => p.evaluate(() => (window as unknown as { __spreadlab: Hook }).__spreadlab.ready);

/** Pixels of each colour in a screenshot of the element, saved under test-artifacts/. */
const colourPixels = (selector: string, colours: string[], file: string) => countColours(page, selector, colours, join(ARTIFACTS, file));

const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "spreadlab-regions-"));
  server = await startServer({ port: 0, dbPath: join(dir, "e2e.db"), handleSignals: false, log: () => {}, workers: 1 });
  ({ browser } = await launchChromium());
  page = await browser.newPage({ viewport: { width: 1360, height: 1100 }, acceptDownloads: true });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { __spreadlab?: Hook }).__spreadlab !== undefined, null, { timeout: 30_000 });
  await hook(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("the Regions tab in Chromium", () => {
  it("forecasts every HHS region, draws them on the map coloured by trend, and opens a region's fan chart on click", async () => {
    await page.click("#tab-regions");
    await page.evaluate((asOf) => (window as unknown as { __spreadlab: Hook }).__spreadlab.regions.submit(asOf), AS_OF);
    const result = await page.evaluate(() => (window as unknown as { __spreadlab: Hook }).__spreadlab.regions.result!);
    expect(result.asOf.label).toBe("2015-W02");
    const counts = { rising: 0, flat: 0, falling: 0 } as Record<string, number>;
    for (const r of result.regions) counts[r.trend]++;
    expect(counts).toEqual({ rising: 3, flat: 4, falling: 3 });
    expect(await page.textContent("#regions-form .status")).toMatch(/3 rising, 4 flat, 3 falling/);
    expect(await page.locator("#regions-legend li").allTextContents()).toEqual(["rising", "flat", "falling"]);
    expect(await page.locator("#regions-multiples .multiple").count()).toBe(10);
    // The small multiples start with the rising regions.
    const firstThree = await page.locator("#regions-multiples .multiple .multiple-trend").allTextContents();
    expect(firstThree.slice(0, 3).every((t) => t.startsWith("rising"))).toBe(true);
    expect(firstThree.slice(-3).every((t) => t.startsWith("falling"))).toBe(true);

    // On the map: Region 10 (Pacific north-west) is left of and above Region 4 (south-east).
    const pos = await page.evaluate(() => {
      const { graph, renderer } = (window as unknown as { __spreadlab: Hook }).__spreadlab.regions;
      const at = (n: string) => renderer.graphToViewport(graph.getNodeAttributes(n));
      return { r10: at("Region 10"), r4: at("Region 4"), r1: at("Region 1"), nodes: graph.order, edges: graph.size };
    });
    expect(pos.nodes).toBe(10);
    expect(pos.edges).toBeGreaterThanOrEqual(15); // 3 neighbours each, pairs counted once: ≥ 10·3/2
    expect(pos.r10.x).toBeLessThan(pos.r4.x);
    expect(pos.r10.y).toBeLessThan(pos.r4.y);
    expect(pos.r1.x).toBeGreaterThan(pos.r4.x);

    await frames();
    const [rising, falling, flat] = await colourPixels("#regions-graph", [OKABE_ITO.vermillion, OKABE_ITO.blue, IDLE_COLOUR], "regions-map.png");
    // Nodes are ≥ 6 px in radius: a node has > 100 pixels of its colour; three of each of rising and falling.
    expect(rising, "vermillion (rising) pixels").toBeGreaterThan(300);
    expect(falling, "blue (falling) pixels").toBeGreaterThan(300);
    expect(flat, "grey (flat) pixels").toBeGreaterThan(300);

    // Click Region 10 on the canvas: its fan chart, with past seasons, and its scores.
    const box = (await page.locator("#regions-graph").boundingBox())!;
    await page.mouse.click(box.x + pos.r10.x, box.y + pos.r10.y);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __spreadlab: Hook }).__spreadlab.regions.selected)).toBe("Region 10");
    expect(await page.textContent("#regions-fan")).toMatch(/1 season before[\s\S]*2 seasons before[\s\S]*3 seasons before/);
    expect(await page.textContent("#regions-scores")).toMatch(/Backtest \(26 origins, h = 4\)/);
    const [fanBlue] = await colourPixels("#regions-fan", [OKABE_ITO.blue], "regions-fan.png");
    expect(fanBlue, "median line pixels").toBeGreaterThan(50);
    await page.screenshot({ path: join(ARTIFACTS, "regions.png") });
  });

  it("exports the hub CSV and the map as PNG, and the as-of slider asks for a new forecast", async () => {
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#regions-csv")]);
    const lines = readFileSync((await csv.path())!, "utf8").trim().split("\n");
    expect(lines[0]).toBe("location,target,horizon,quantile,value");
    expect(lines).toHaveLength(1 + 10 * 4 * 23);
    expect(lines[1]).toMatch(/^Region 1,2015-W03,1,0\.01,/);
    await page.selectOption("#view-regions .toolbar select >> nth=0", "probability");
    expect(await page.locator("#regions-legend li").count()).toBe(5);
    await page.selectOption("#view-regions .toolbar select >> nth=0", "trend");
    const [png] = await Promise.all([page.waitForEvent("download"), page.click("#regions-png")]);
    expect(readFileSync((await png.path())!).subarray(1, 4).toString()).toBe("PNG");

    await page.evaluate(() => {
      const s = document.querySelector<HTMLInputElement>("#regions-asof")!;
      s.value = "700";
      s.dispatchEvent(new Event("input"));
      s.dispatchEvent(new Event("change"));
    });
    await page.waitForFunction(() => (window as unknown as { __spreadlab: Hook }).__spreadlab.regions.result?.asOf.index === 700, null, { timeout: 20_000 });
    expect(await page.textContent("#regions-asof-label")).toMatch(/^\d{4}-W\d{2}$/);
  });

  it("runs the metapopulation SIR on the region graph: baseline and a what-if with every edge closed, played on two maps", async () => {
    type Spread = {
      rows: { region: string; baseline: { finalSize: number; peakTime: number | null }; whatIf: { finalSize: number; peakTime: number | null } }[];
      baseline: { runId: string } | null;
      whatIf: { runId: string } | null;
      edges: unknown[];
      closed: Set<string>;
      whatIfMap: { graph: { size: number; getNodeAttribute(n: string, a: string): string } };
      baseMap: { graph: { size: number } };
    };
    const spread = () => page.evaluate(() => {
      const s = (window as unknown as { __spreadlab: { regions: { spread: Spread } } }).__spreadlab.regions.spread;
      return { rows: s.rows, closed: s.closed.size, edges: s.edges.length, whatIfEdges: s.whatIfMap.graph.size, baseEdges: s.baseMap.graph.size, runs: [s.baseline?.runId, s.whatIf?.runId] };
    });
    await page.locator("#spread-card").scrollIntoViewIfNeeded();
    await page.selectOption('#spread-form select[data-path="initial.I.nodes"]', "Region 9");
    await page.click("#spread-close-all");
    const before = await spread();
    expect(before.closed).toBe(before.edges);
    expect(before.edges).toBeGreaterThanOrEqual(15);
    await page.click("#spread-run");
    await page.waitForFunction(() => /^Done/.test(document.querySelector("#spread-status")?.textContent ?? "") || document.querySelector("#spread-form .form-error")?.textContent, null, { timeout: 30_000 });
    expect(await page.textContent("#spread-form .form-error")).toBe("");
    const after = await spread();
    expect(after.runs.every((id) => typeof id === "string")).toBe(true);
    expect(after.rows).toHaveLength(10);
    // Baseline: every edge open, the epidemic seeded in Region 9 reaches every region and peaks there first.
    const nine = after.rows.find((r) => r.region === "Region 9")!;
    for (const r of after.rows) {
      expect(r.baseline.finalSize, r.region).toBeGreaterThan(0.5);
      expect(r.baseline.peakTime!, r.region).toBeGreaterThanOrEqual(nine.baseline.peakTime!);
      // What if every edge is closed: nobody travels, so only Region 9 has cases.
      if (r.region === "Region 9") expect(r.whatIf.finalSize).toBeGreaterThan(0.9);
      else expect(r.whatIf, r.region).toMatchObject({ finalSize: 0, peakTime: null });
    }
    expect(await page.locator("#spread-table tbody tr").count()).toBe(10);
    // The field plays: at Region 9's peak the what-if map has Region 9 dark and Region 1 at the light end.
    const peakRow = await page.evaluate((t) => {
      const s = (window as unknown as { __spreadlab: { regions: { spread: { baseline: { times: number[] }; seek(k: number): void } } } }).__spreadlab.regions.spread;
      const k = s.baseline.times.indexOf(t);
      s.seek(k);
      return k;
    }, nine.baseline.peakTime);
    expect(peakRow).toBeGreaterThan(0);
    const colours = await page.evaluate(() => {
      const g = (window as unknown as { __spreadlab: { regions: { spread: Spread } } }).__spreadlab.regions.spread.whatIfMap.graph;
      return [g.getNodeAttribute("Region 9", "color"), g.getNodeAttribute("Region 1", "color")];
    });
    expect(colours[1]).toBe("#f3e6ef");
    expect(colours[0]).not.toBe("#f3e6ef");
    expect(after.whatIfEdges).toBe(after.baseEdges); // closed edges stay drawn (faint vermillion) on the what-if map
    await page.click("#spread-play");
    await page.waitForFunction((k) => Number(document.querySelector<HTMLInputElement>("#spread-time")!.value) !== k, peakRow, { timeout: 5_000 });
    await page.click("#spread-play");
    await frames();
    await page.locator("#spread-card").screenshot({ path: join(ARTIFACTS, "regions-spread.png") });
  }, 60_000);

  it("takes an uploaded series with coordinates: rising, falling and level regions read as such", async () => {
    const rows = ["date,North,South,East"];
    for (let t = 0; t < 30; t++) {
      const wobble = 1000 + 2 * ((t % 3) - 1);
      rows.push(`${new Date(Date.UTC(2021, 0, 3 + 7 * t)).toISOString().slice(0, 10)},${t < 20 ? wobble : Math.round(1000 * 1.15 ** (t - 19))},${t < 20 ? wobble : Math.round(1000 * 0.85 ** (t - 19))},${wobble}`);
    }
    await page.selectOption('#regions-form select[data-path="dataset"]', "upload");
    await page.setInputFiles('#regions-form input[data-path="dataset"]', { name: "mine.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) });
    await page.setInputFiles('#regions-form input[data-path="coordinates.csv"]', { name: "coords.csv", mimeType: "text/csv", buffer: Buffer.from("region,lat,lon,population\nNorth,55,10,1000\nSouth,45,10,2000\nEast,50,20,1500\n") });
    await page.click("#regions-form button.primary");
    await page.waitForFunction(() => (window as unknown as { __spreadlab: Hook }).__spreadlab.regions.result?.regions.length === 3, null, { timeout: 20_000 });
    const trends = await page.evaluate(() => Object.fromEntries((window as unknown as { __spreadlab: Hook }).__spreadlab.regions.result!.regions.map((r) => [r.region, r.trend])));
    expect(trends).toEqual({ North: "rising", South: "falling", East: "flat" });
    const pos = await page.evaluate(() => {
      const { graph, renderer } = (window as unknown as { __spreadlab: Hook }).__spreadlab.regions;
      return ["North", "South", "East"].map((n) => renderer.graphToViewport(graph.getNodeAttributes(n)));
    });
    expect(pos[0].y).toBeLessThan(pos[1].y); // North above South
    expect(pos[2].x).toBeGreaterThan(pos[0].x); // East right of North
    // New regions reset the camera at once: positions read in the same task as show() are finite (sigma's
    // animatedReset({ duration: 0 }) left them NaN until the next frame).
    const sameTask = await page.evaluate(() => {
      const panel = (window as unknown as { __spreadlab: Hook }).__spreadlab.regions;
      const result = panel.result!;
      const out: { x: number; y: number }[][] = [];
      for (let i = 0; i < 20; i++) {
        panel.show({ ...result, regions: i % 2 === 0 ? [...result.regions].reverse() : result.regions });
        out.push(["North", "South", "East"].map((n) => panel.renderer.graphToViewport(panel.graph.getNodeAttributes(n))));
      }
      return out;
    });
    for (const p of sameTask.flat()) expect(Number.isFinite(p.x) && Number.isFinite(p.y), JSON.stringify(p)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "regions-upload.png") });
    expect(errors).toEqual([]);
  });
});
