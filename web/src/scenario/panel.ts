/**
 * The scenario panel: a model from the registry (its form generated from the parameter schema, with units
 * and defaults), seeds of infection (a strategy, or nodes clicked on the graph), interventions on a timeline
 * (sliders for day and strength), runs and seed, and presets from scenarios/ (GET /v1/scenarios).
 * Cascade models (independent cascade, linear threshold) count rounds instead of days, seed "active" nodes
 * and take no interventions: the form relabels itself and hides the interventions for them.
 * `read()` gives the draft the forms describe; `write(draft)` fills them in.
 */
import type { BundledScenario, ModelInfo } from "../api.js";
import { h, field, numberInput, select } from "../ui/dom.js";
import { isCascadeModel, type InterventionDraft, type ScenarioDraft, type NetworkSource } from "../state/scenario.js";
import { presetPlan, runParams, type PresetPlan } from "../state/preset.js";
import { DURATION_DISTS, DURATION_PARAMS, PERIOD_COMPARTMENTS, durationDraft, type DurationDist, type DurationDraft } from "../state/durations.js";
import { thresholdLine, type DegreeMoments } from "../run/summary.js";

const PARAM_LABELS: Record<string, string> = { beta: "β (transmission)", gamma: "γ (recovery)", sigma: "σ (onset)", omega: "ω (waning)", probability: "p (activation)" };

function slider(label: string, value: number, min: number, max: number, step: number, path: string, format: (v: number) => string): { el: HTMLElement; input: HTMLInputElement } {
  const input = h("input", { type: "range", min, max, step, value: String(value) });
  const out = h("output", { text: format(value) });
  input.addEventListener("input", () => (out.textContent = format(Number(input.value))));
  const wrapped = field(label, input, { path });
  wrapped.classList.add("slider");
  wrapped.querySelector("label")!.append(" ", out);
  return { el: wrapped, input };
}

export class ScenarioPanel {
  readonly el: HTMLElement;
  private model: HTMLSelectElement;
  private params = h("div", { class: "params" });
  /** model.durations: one row per compartment that has a single spontaneous exit (state/durations.ts). */
  private periods = h("div", { class: "periods" });
  private periodSet = h("fieldset", { id: "periods", hidden: true }, h("legend", { text: "Periods (how long a node stays)", title: "exponential: the rate from the parameters above (Markovian); other laws run on the exact event-driven engine." }), this.periods);
  private tmax = numberInput(60, { min: 1 });
  private record = numberInput(0.5, { min: 0.01 });
  private strategy = select([
    { value: "random", label: "random nodes" },
    { value: "highest-degree", label: "highest-degree nodes" },
    { value: "clicked", label: "nodes clicked on the graph" },
  ]);
  private count = numberInput(3, { min: 0, step: 1 });
  private clicked = h("p", { class: "hint", "aria-live": "polite" });
  private interventions = h("ol", { class: "interventions" });
  private tmaxField: HTMLDivElement;
  private recordField: HTMLDivElement;
  private seedLegend = h("legend", { text: "Seeds of infection" });
  private interventionSet: HTMLFieldSetElement;
  private interventionNote = h("p", { class: "hint", id: "interventions-note", text: "Interventions apply to compartmental models; cascades run without them.", hidden: true });
  private runs = numberInput(50, { min: 1, step: 1 });
  private seed = numberInput(42, { min: 0, step: 1 });
  private notes = h("p", { class: "note", "aria-live": "polite" });
  private threshold = h("p", { class: "hint", id: "threshold-line", "aria-live": "polite" });
  private name = "dashboard";
  /** The loaded preset's scenario, run as written while the form is not edited (see presetPlan). */
  private verbatim: Record<string, unknown> | undefined;
  /** The network of the draft, from the network panel. */
  network: () => NetworkSource | null = () => null;
  /** Degree moments of the shown network, for the epidemic-threshold line. */
  stats: () => DegreeMoments | null = () => null;
  /** Seeds clicked on the graph (node keys), from the graph view. */
  seeds: () => string[] = () => [];
  /** Called when a preset is loaded: load its network (and seeds) next. */
  onPreset: ((plan: PresetPlan, preset: BundledScenario) => void) | null = null;

  constructor(
    private readonly models: ModelInfo[],
    presets: BundledScenario[],
  ) {
    this.model = select(models.map((m) => ({ value: m.id, label: `${m.id} — ${m.description}` })), "SIR");
    const plans = new Map(presets.map((p) => [p.id, presetPlan(p.scenario, models)]));
    const presetSelect = select([{ value: "", label: "— choose a preset —" }, ...presets.map((p) => ({ value: p.id, label: `${p.name}${plans.get(p.id)!.runnable ? "" : " (CLI only)"}` }))]);
    presetSelect.dataset.role = "preset";
    presetSelect.addEventListener("change", () => {
      const preset = presets.find((p) => p.id === presetSelect.value);
      if (!preset) return;
      const plan = presetPlan(preset.scenario, this.models, this.read());
      if (!plan.runnable) {
        this.notes.textContent = plan.notes.join(" ");
        return;
      }
      this.write(plan.draft);
      this.verbatim = plan.draft.verbatim;
      this.notes.textContent = [preset.description, ...plan.notes].filter(Boolean).join(" ");
      this.onPreset?.(plan, preset);
    });
    // Editing the form after loading a preset that it cannot express: the run follows the form from then on.
    const edited = (e: Event) => {
      if (e.target === presetSelect || this.verbatim === undefined) return;
      this.dropVerbatim();
    };
    this.model.addEventListener("change", () => {
      this.renderParams();
      this.renderPeriods();
      this.updateModel();
      this.updateThreshold();
    });
    this.strategy.addEventListener("change", () => this.updateSeeding());
    const addScale = h("button", { type: "button", text: "+ Distancing", title: "Scale the transmission rate β over a window of days" });
    const addVaccine = h("button", { type: "button", text: "+ Vaccination" });
    addScale.addEventListener("click", () => this.addIntervention({ kind: "scale", at: 10, until: 30, by: 0.5 }));
    addVaccine.addEventListener("click", () => this.addIntervention({ kind: "vaccinate", at: 5, fraction: 0.1, strategy: "highest-degree" }));
    const addTesting = h("button", { type: "button", text: "+ Testing", title: "Test people at a daily rate and isolate the positives" });
    const addTracing = h("button", { type: "button", text: "+ Tracing", title: "Trace and quarantine the contacts of positives (needs testing)" });
    addTesting.addEventListener("click", () => this.addIntervention({ kind: "testing", at: 0, rate: 0.3, symptomatic: true, sensitivity: 0.9, delay: 1, isolation: 10 }));
    addTracing.addEventListener("click", () => this.addIntervention({ kind: "tracing", at: 0, probability: 0.5, delay: 1, quarantine: 14, levels: 1 }));
    this.tmaxField = field("Days", this.tmax, { path: "time.tmax", unit: "days" });
    this.recordField = field("Record every", this.record, { path: "time.record", unit: "days" });
    this.interventionSet = h("fieldset", {}, h("legend", { text: "Interventions" }), this.interventions, h("div", { class: "actions compact" }, addScale, addVaccine, addTesting, addTracing));
    this.el = h(
      "form",
      { class: "panel", id: "scenario-form", "aria-label": "Scenario" },
      field("Preset", presetSelect),
      this.notes,
      field("Model", this.model, { path: "model.preset", hint: "reaction–diffusion models run from the CLI or the API" }),
      this.params,
      this.periodSet,
      this.threshold,
      h("div", { class: "row" }, this.tmaxField, this.recordField),
      h("fieldset", {}, this.seedLegend, h("div", { class: "row" }, field("Seed", this.strategy, { path: "initial" }), field("How many", this.count, { path: "initial.I.count" })), this.clicked),
      this.interventionSet,
      this.interventionNote,
      h("div", { class: "row" }, field("Runs", this.runs, { path: "runs", hint: "ensemble size" }), field("Random seed", this.seed, { path: "seed", hint: "same seed, same result" })),
      h("p", { class: "form-error", role: "alert" }),
    );
    this.el.addEventListener("submit", (e) => e.preventDefault());
    this.el.addEventListener("input", edited);
    this.params.addEventListener("input", () => this.updateThreshold());
    this.el.addEventListener("change", edited);
    this.renderParams();
    this.renderPeriods();
    this.updateModel();
    this.updateSeeding();
  }

  /** One row per compartment a duration can replace the exit of: a law and its parameters. */
  private renderPeriods(values: Record<string, DurationDraft> = {}): void {
    const compartments = this.cascade ? [] : PERIOD_COMPARTMENTS[this.model.value] ?? [];
    this.periodSet.hidden = compartments.length === 0;
    this.periods.replaceChildren(
      ...compartments.map((c) => {
        const current = values[c] ?? { dist: "exponential" as const };
        const law = select(DURATION_DISTS.map((d) => ({ value: d, label: d })), current.dist);
        law.dataset.duration = c;
        const inputs = h("div", { class: "row" });
        const fill = (d: DurationDraft) => {
          inputs.replaceChildren(
            ...DURATION_PARAMS[d.dist].map((p) => {
              const input = numberInput((d as unknown as Record<string, number>)[p.name], { min: 0 });
              input.dataset.durationParam = p.name;
              return field(`${p.name}`, input, { path: `model.durations.${c}.${p.name}`, hint: p.label });
            }),
          );
        };
        fill(current);
        law.addEventListener("change", () => fill(durationDraft(law.value as DurationDist, this.periodValues(inputs))));
        return h("div", { class: "period", "data-compartment": c }, field(`${c}: period`, law, { path: `model.durations.${c}.dist` }), inputs);
      }),
    );
  }

  private periodValues(container: Element): Record<string, number> {
    const values: Record<string, number> = {};
    container.querySelectorAll<HTMLInputElement>("[data-duration-param]").forEach((i) => (values[i.dataset.durationParam!] = i.value === "" ? NaN : Number(i.value)));
    return values;
  }

  private readPeriods(): Record<string, DurationDraft> {
    const out: Record<string, DurationDraft> = {};
    this.periods.querySelectorAll<HTMLElement>(".period").forEach((row) => {
      const c = row.dataset.compartment!;
      const law = row.querySelector<HTMLSelectElement>("[data-duration]")!.value as DurationDist;
      const values = this.periodValues(row);
      // A cleared input is NaN (an error the run reports beside it), not the default.
      const draft = durationDraft(law, values);
      for (const p of DURATION_PARAMS[law]) (draft as unknown as Record<string, number>)[p.name] = values[p.name];
      out[c] = draft;
    });
    return out;
  }

  /** Whether the chosen model is a cascade (rounds, active seeds, no interventions). */
  get cascade(): boolean {
    return isCascadeModel(this.model.value);
  }

  /** Relabel the form for the chosen model's family. */
  private updateModel(): void {
    const cascade = this.cascade;
    const label = this.tmaxField.querySelector("label")!;
    label.replaceChildren(cascade ? "Rounds at most" : "Days", h("span", { class: "unit", text: cascade ? " (rounds)" : " (days)" }));
    this.tmax.dataset.path = cascade ? "time.steps" : "time.tmax";
    this.tmax.step = cascade ? "1" : "any";
    if (cascade) this.tmax.value = String(Math.max(1, Math.round(Number(this.tmax.value) || 1)));
    this.recordField.hidden = cascade;
    this.seedLegend.textContent = cascade ? "Seeds (active nodes)" : "Seeds of infection";
    this.count.dataset.path = cascade ? "initial.active.count" : "initial.I.count";
    // Intervention rows stay in the form (hidden), so that going back to a compartmental model keeps them.
    this.interventionSet.hidden = cascade;
    this.interventionNote.hidden = !cascade;
  }

  get modelInfo(): ModelInfo {
    return this.models.find((m) => m.id === this.model.value) ?? this.models[0];
  }

  private renderParams(values: Record<string, number> = {}): void {
    const info = this.modelInfo;
    if (info.parameters.length === 0) {
      this.params.replaceChildren(h("p", { class: "hint", text: `${info.id} has no parameters to set. ${info.description}` }));
      return;
    }
    this.params.replaceChildren(
      ...info.parameters.map((p) => {
        const input = numberInput(values[p.name] ?? p.default ?? 0, { min: p.min, max: p.max });
        input.dataset.param = p.name;
        return field(PARAM_LABELS[p.name] ?? p.name, input, {
          path: `model.params.${p.name}`,
          unit: p.unit,
          hint: `${p.description ?? ""}${p.default !== undefined ? ` · default ${p.default}` : ""}`,
        });
      }),
    );
  }

  /** The scenario's T = β/(β+γ) against the shown network's epidemic threshold T_c (compartmental models with β, γ). */
  updateThreshold(): void {
    // T_c is the SIR (bond percolation) threshold: models with waning or no immunity have another one.
    const endemic = ["SIS", "SIRS", "SEIRS"].includes(this.model.value);
    const line = this.cascade || endemic ? null : thresholdLine(runParams(this.read()), this.stats());
    this.threshold.textContent = line ? `${line.text}: ${line.t > line.tc ? "a large outbreak is possible" : "large outbreaks are unlikely"}.` : "";
  }

  /** Whether Run sends a preset's file as written (the form cannot express all of it). */
  get runsVerbatim(): boolean {
    return this.verbatim !== undefined;
  }

  private dropVerbatim(): void {
    if (this.verbatim === undefined) return;
    this.verbatim = undefined;
    this.notes.textContent = "You edited the form: Run now uses what the form shows, not the preset's file as written.";
    this.updateThreshold();
  }

  /** Seed the clicked nodes (called when the analyst clicks a node). */
  useClickedSeeds(): void {
    this.dropVerbatim();
    this.strategy.value = "clicked";
    this.updateSeeding();
  }

  /** Called when the clicked seeds change. */
  updateSeeding(): void {
    const clicked = this.strategy.value === "clicked";
    this.count.disabled = clicked;
    const seeds = this.seeds();
    this.clicked.textContent = clicked ? (seeds.length ? `Seeds: ${seeds.join(", ")}. Click a node again to remove it.` : "Click nodes on the graph to seed them.") : "";
  }

  private addIntervention(iv: InterventionDraft): void {
    const index = this.interventions.children.length;
    const path = `interventions.${index}`;
    const max = Math.max(Number(this.tmax.value) || 60, 1);
    const day = (v: number) => `day ${v}`;
    const remove = h("button", { type: "button", class: "link", "aria-label": "Remove this intervention", text: "Remove" });
    let item: HTMLElement;
    if (iv.kind === "scale") {
      const at = slider("From", iv.at, 0, max, 1, `${path}.at`, day);
      const until = slider("Until", iv.until ?? max, 0, max, 1, `${path}.until`, day);
      const by = slider("Transmission kept", iv.by, 0, 1, 0.05, `${path}.by`, (v) => `${Math.round(v * 100)}%`);
      item = h("li", { "data-kind": "scale", "data-path": path }, h("strong", { text: "Distancing" }), at.el, until.el, by.el, remove);
    } else if (iv.kind === "testing") {
      // Sliders in a fixed order (read() takes them back in it): from, rate, sensitivity, delay, isolation.
      const at = slider("From", iv.at, 0, max, 1, `${path}.at`, day);
      const rate = slider("Tests", iv.rate, 0, 2, 0.01, `${path}.testing.rate`, (v) => `${v} per person per day`);
      const sensitivity = slider("Sensitivity", iv.sensitivity, 0, 1, 0.05, `${path}.testing.sensitivity`, (v) => `${Math.round(v * 100)}%`);
      const delay = slider("Result after", iv.delay, 0, 7, 0.5, `${path}.testing.delay`, (v) => `${v} days`);
      const isolation = slider("Isolation", iv.isolation, 0, 30, 1, `${path}.testing.isolation`, (v) => `${v} days`);
      const whom = select([{ value: "symptomatic", label: "the infectious (symptomatic)" }, { value: "all", label: "everyone (screening)" }], iv.symptomatic ? "symptomatic" : "all");
      whom.dataset.role = "whom";
      item = h("li", { "data-kind": "testing", "data-path": path }, h("strong", { text: "Testing and isolation" }), at.el, field("Whom", whom, { path: `${path}.testing.among` }), rate.el, sensitivity.el, delay.el, isolation.el, remove);
    } else if (iv.kind === "tracing") {
      // Sliders: from, probability, delay, quarantine.
      const at = slider("From", iv.at, 0, max, 1, `${path}.at`, day);
      const probability = slider("Contacts traced", iv.probability, 0, 1, 0.05, `${path}.tracing.probability`, (v) => `${Math.round(v * 100)}%`);
      const delay = slider("Notified after", iv.delay, 0, 7, 0.5, `${path}.tracing.delay`, (v) => `${v} days`);
      const quarantine = slider("Quarantine", iv.quarantine, 0, 30, 1, `${path}.tracing.quarantine`, (v) => `${v} days`);
      const levels = select([{ value: "1", label: "contacts" }, { value: "2", label: "contacts and their contacts" }], String(iv.levels));
      levels.dataset.role = "levels";
      item = h("li", { "data-kind": "tracing", "data-path": path }, h("strong", { text: "Contact tracing" }), at.el, probability.el, delay.el, quarantine.el, field("Levels", levels, { path: `${path}.tracing.levels` }), remove);
    } else {
      const at = slider("On", iv.at, 0, max, 1, `${path}.at`, day);
      const fraction = slider("Vaccinated", iv.fraction, 0, 1, 0.01, `${path}.vaccinate.fraction`, (v) => `${Math.round(v * 100)}% of nodes`);
      const strategy = select(["highest-degree", "random", "acquaintance"].map((v) => ({ value: v, label: v })), iv.strategy);
      strategy.dataset.role = "strategy";
      item = h("li", { "data-kind": "vaccinate", "data-path": path }, h("strong", { text: "Vaccination" }), at.el, fraction.el, field("Whom", strategy, { path: `${path}.vaccinate.strategy` }), remove);
    }
    item.id = `iv-${Date.now()}-${index}`;
    item.append(h("span", { class: "field-error", role: "alert", "data-error-for": item.id }));
    // Re-render the rest so each row's data-path (interventions.<i>) matches its index in the request again,
    // and an API error lands beside the right row.
    remove.addEventListener("click", () => {
      item.remove();
      const rest = this.read().interventions;
      this.interventions.replaceChildren();
      for (const other of rest) this.addIntervention(other);
    });
    this.interventions.append(item);
  }

  read(): ScenarioDraft {
    const params: Record<string, number> = {};
    this.params.querySelectorAll<HTMLInputElement>("[data-param]").forEach((i) => (params[i.dataset.param!] = Number(i.value)));
    const ranges = (li: Element) => [...li.querySelectorAll<HTMLInputElement>("input[type=range]")].map((i) => Number(i.value));
    const interventions: InterventionDraft[] = [...this.interventions.children].map((li) => {
      const r = ranges(li);
      const kind = (li as HTMLElement).dataset.kind;
      if (kind === "scale") return { kind: "scale", at: r[0], until: r[1], by: r[2] };
      if (kind === "testing") {
        const symptomatic = li.querySelector<HTMLSelectElement>("[data-role=whom]")!.value === "symptomatic";
        return { kind: "testing", at: r[0], rate: r[1], symptomatic, sensitivity: r[2], delay: r[3], isolation: r[4] };
      }
      if (kind === "tracing") {
        const levels = li.querySelector<HTMLSelectElement>("[data-role=levels]")!.value === "2" ? 2 : 1;
        return { kind: "tracing", at: r[0], probability: r[1], delay: r[2], quarantine: r[3], levels };
      }
      const strategy = li.querySelector<HTMLSelectElement>("[data-role=strategy]")!.value as "random";
      return { kind: "vaccinate", at: r[0], fraction: r[1], strategy };
    });
    const seeds = this.seeds();
    // Only laws other than exponential: a form left at its defaults reads (and links) as it did before.
    const periods = Object.entries(this.cascade ? {} : this.readPeriods()).filter(([, d]) => d.dist !== "exponential");
    const durations = periods.length > 0 ? Object.fromEntries(periods) : undefined;
    return {
      name: this.name,
      network: this.network() ?? { generate: { type: "karate-club" }, seed: 0 },
      model: this.model.value,
      params,
      tmax: Number(this.tmax.value),
      record: Number(this.record.value),
      seeding: this.strategy.value === "clicked" ? { nodes: seeds } : { count: Number(this.count.value), strategy: this.strategy.value as "random" },
      interventions: this.cascade ? [] : interventions,
      runs: Number(this.runs.value),
      seed: Number(this.seed.value),
      ...(durations ? { durations } : {}),
      ...(this.verbatim ? { verbatim: this.verbatim } : {}),
    };
  }

  write(draft: ScenarioDraft): void {
    this.name = draft.name;
    this.verbatim = draft.verbatim;
    this.model.value = draft.model;
    this.renderParams(draft.params);
    this.renderPeriods(draft.durations);
    this.updateModel();
    this.tmax.value = String(draft.tmax);
    this.record.value = String(draft.record);
    if ("nodes" in draft.seeding) this.strategy.value = "clicked";
    else {
      this.strategy.value = draft.seeding.strategy;
      this.count.value = String(draft.seeding.count);
    }
    this.interventions.replaceChildren();
    for (const iv of draft.interventions) this.addIntervention(iv);
    this.runs.value = String(draft.runs);
    this.seed.value = String(draft.seed);
    this.updateSeeding();
    this.updateThreshold();
  }
}
