/**
 * The Spreadlab dashboard: wires the panels together, the tabs, the shareable URL and the test hook
 * (`window.__spreadlab`, used by the browser tests to step the timeline and read state).
 */
import "./styles.css";
import { api, type ModelInfo } from "./api.js";
import { byId, h, showError } from "./ui/dom.js";
import { GraphView } from "./network/view.js";
import { NetworkPanel } from "./network/panel.js";
import { ScenarioPanel } from "./scenario/panel.js";
import { RunPanel, type FinishedRun } from "./run/panel.js";
import { ComparePanel } from "./run/compare.js";
import { ForecastPanel } from "./forecast/panel.js";
import { RegionsPanel } from "./regions/panel.js";
import { decodeDraft, encodeDraft } from "./state/url.js";
import { DEFAULT_DRAFT, isCascadeFamily, type ScenarioDraft } from "./state/scenario.js";
import { compartmentColours } from "./palette.js";
import { renderGraphLegend } from "./network/legend.js";

function setupTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>("[role=tab]")];
  const select = (tab: HTMLButtonElement) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      byId(t.getAttribute("aria-controls")!).hidden = !on;
    }
    window.dispatchEvent(new Event("resize"));
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (e) => {
      const next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : e.key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length] : null;
      if (next) {
        next.focus();
        select(next);
      }
    });
  });
}

async function main(): Promise<void> {
  setupTabs();
  const [health, models, generators, presets, datasets] = await Promise.all([api.health(), api.models(), api.generators(), api.scenarios().catch(() => []), api.datasets()]);
  byId("version").textContent = `v${health.version}`;
  // Compartmental presets and cascades (independent cascade, linear threshold); reaction–diffusion models
  // (field output) are not offered: the model select's hint says so.
  const runnable: ModelInfo[] = models.filter((m) => (m.family === "compartmental" || isCascadeFamily(m.family)) && m.compartments.length > 0);

  const view = new GraphView(byId("graph"));
  const network = new NetworkPanel(generators, view);
  const scenario = new ScenarioPanel(runnable, presets);
  byId("network-panel").append(network.el);
  byId("scenario-panel").append(scenario.el);
  scenario.network = () => network.current?.source ?? null;
  scenario.seeds = () => [...view.seeds];
  scenario.stats = () => network.current?.row.stats ?? null;

  // Graph toolbar: layout, search, PNG.
  const layoutButton = byId<HTMLButtonElement>("layout-toggle");
  layoutButton.addEventListener("click", () => (view.layoutRunning ? view.stopLayout() : view.startLayout()));
  view.onLayoutChange = (running) => {
    layoutButton.textContent = running ? "Stop layout" : "Run layout";
    layoutButton.setAttribute("aria-pressed", String(running));
  };
  const search = byId<HTMLInputElement>("graph-search");
  const found = byId("search-result");
  search.addEventListener("input", () => {
    const matches = view.search(search.value);
    found.textContent = search.value ? `${matches.length}${matches.length === 50 ? "+" : ""} match${matches.length === 1 ? "" : "es"}` : "";
  });
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      const first = view.search(search.value)[0];
      if (first) view.focus(first);
    }
  });
  byId("export-graph").addEventListener("click", () => void view.exportPng());
  view.onNodeClick = (key) => {
    view.toggleSeed(key);
    scenario.useClickedSeeds();
  };

  let presetLoading: Promise<unknown> = Promise.resolve();
  // A preset loads its own network (the file's generator and seed, or its bundled file), then its seeds.
  scenario.onPreset = (plan, preset) => {
    const loading = "generate" in plan.network ? network.load(plan.network) : network.loadPreset(preset.id);
    void loading
      .then(() => {
        if ("nodes" in plan.draft.seeding) view.setSeeds(plan.draft.seeding.nodes);
        scenario.updateSeeding();
      })
      .catch((error) => showError(network.el, error));
    presetLoading = loading;
  };

  network.onLoaded = (net) => {
    scenario.updateThreshold();
    renderGraphLegend(null);
    byId("graph-note").textContent = net.info.shown < net.info.total ? `Sample: ${net.info.shown.toLocaleString("en-US")} of ${net.info.total.toLocaleString("en-US")} nodes shown` : `${net.row.name}: ${net.row.n} nodes, ${net.row.m} edges`;
    // Lay out small and medium networks at once for a few seconds; big ones on request.
    if (net.info.shown <= 5000) {
      view.startLayout();
      setTimeout(() => view.stopLayout(), Math.min(4000, 1000 + net.info.shown * 4));
    }
  };

  const runs = new RunPanel(view, scenario.el, async () => {
    await presetLoading.catch(() => undefined);
    const draft = scenario.read();
    if (!network.current) await network.load(draft.network);
    const current = network.current!;
    const compartments = runnable.find((m) => m.id === draft.model)?.compartments ?? ["S", "I", "R"];
    history.replaceState(null, "", encodeDraft({ ...draft, network: current.source }));
    return { draft: { ...draft, network: current.source }, compartments, networkId: current.row.id, stats: current.row.stats };
  });
  const compare = new ComparePanel(runs.runs);
  runs.onFinished = (run: FinishedRun) => {
    compare.add(run);
    compare.draw();
  };

  const forecast = new ForecastPanel(datasets, health.tfBackend !== null);
  byId("forecast-panel").append(forecast.el);
  const regions = new RegionsPanel(datasets, byId("view-regions"));

  // Share: the URL already carries the scenario of the last run; copy it.
  const shareButton = byId<HTMLButtonElement>("share");
  shareButton.addEventListener("click", async () => {
    const draft = scenario.read();
    const url = `${location.origin}${location.pathname}${encodeDraft(network.current ? { ...draft, network: network.current.source } : draft)}`;
    history.replaceState(null, "", url);
    const out = byId<HTMLInputElement>("share-url");
    out.value = url;
    out.hidden = false;
    out.select();
    try {
      await navigator.clipboard.writeText(url);
      byId("share-status").textContent = "Link copied: it reproduces this scenario and its run.";
    } catch {
      byId("share-status").textContent = "Copy the link above: it reproduces this scenario and its run.";
    }
  });

  // Keyboard: space plays/pauses, arrows step, when the focus is not in a form control.
  document.addEventListener("keydown", (e) => {
    const target = e.target as HTMLElement;
    if (target.closest("input, select, textarea, button, [role=tab]") || byId("view-simulate").hidden) return;
    if (e.key === " ") {
      e.preventDefault();
      byId<HTMLButtonElement>("play").click();
    } else if (e.key === "ArrowRight") runs.step(1);
    else if (e.key === "ArrowLeft") runs.step(-1);
  });

  // A shared link: fill the forms, build its network and run it; otherwise show a default network.
  let shared: ScenarioDraft | null = null;
  try {
    shared = decodeDraft(location.hash);
  } catch (error) {
    showError(scenario.el, error);
  }
  let initial: Promise<unknown>;
  if (shared) {
    scenario.write(shared);
    initial = network.load(shared.network).then(() => {
      if ("nodes" in shared!.seeding) for (const key of shared!.seeding.nodes) view.seeds.add(key);
      scenario.updateSeeding();
      return runs.submit();
    });
  } else {
    scenario.write(DEFAULT_DRAFT);
    initial = network.load(DEFAULT_DRAFT.network);
  }
  initial = initial.catch((error) => showError(network.el, error));

  // The test hook (also handy from the devtools console).
  const hook = {
    ready: initial.then(() => true),
    view,
    network,
    scenario,
    runs,
    forecast,
    regions,
    colours: (compartments: string[]) => compartmentColours(compartments),
    /** Resolves when the last preset's network (and seeds) have loaded. */
    presetLoaded: () => presetLoading,
    stopLayout: () => view.stopLayout(),
    seek: (t: number) => runs.seek(t),
    step: (d: 1 | -1) => runs.step(d),
    time: () => runs.time,
    /** States of the shown run's first run, per compartment, at the timeline time. */
    counts: () => (runs.playback && runs.current ? runs.playback.counts(runs.current.result.compartments.length) : null),
    finalSizes: () => runs.current?.result.finalSize.values ?? null,
    /**
     * Measure the cost of playback frames at the shown run: per frame, the JavaScript that updates the states
     * and the changed nodes' display data (seek + partial refresh), then, after the frame is drawn, sigma's
     * render call (which with software WebGL also waits for the rasteriser). Frames step evenly from `from`
     * to `to` (default: the whole run). Milliseconds: median, p95, max.
     */
    benchRecolour: async (frames = 100, from?: number, to?: number) => {
      const p = runs.playback;
      const result = runs.current?.result;
      if (!p || !result) return null;
      const renderer = view.renderer as unknown as { render: () => unknown };
      const original = renderer.render;
      const renderMs: number[] = [];
      renderer.render = function (this: unknown) {
        const t0 = performance.now();
        const out = original.call(this);
        renderMs.push(performance.now() - t0);
        return out;
      };
      // sigma's scheduled draw was requested before this frame callback, so it has run when this resolves.
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const end = result.times[result.times.length - 1];
      const first = from ?? 0;
      const last = to ?? end;
      const update: number[] = [];
      let changed = 0;
      try {
        runs.seek(first);
        await frame();
        renderMs.length = 0;
        for (let f = 1; f <= frames; f++) {
          const t0 = performance.now();
          const c = p.seek(first + (f / frames) * (last - first));
          changed += c.length;
          view.refreshNodes(c);
          update.push(performance.now() - t0);
          await frame();
        }
      } finally {
        renderer.render = original;
      }
      const stats = (ms: number[]) => {
        const s = [...ms].sort((a, b) => a - b);
        return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)], max: s[s.length - 1] };
      };
      return { frames, nodes: p.n, changedPerFrame: changed / frames, update: stats(update), render: stats(renderMs) };
    },
  };
  (window as unknown as { __spreadlab: typeof hook }).__spreadlab = hook;
}

main().catch((error) => {
  document.body.prepend(h("p", { class: "fatal", role: "alert", text: `The dashboard could not start: ${(error as Error).message}` }));
});
