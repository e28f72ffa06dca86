/** Small DOM helpers: element creation, labelled fields, API errors shown beside their fields, downloads. */
import { ApiError } from "../api.js";
import { fieldName, friendlyMessage } from "./messages.js";

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string | number | boolean>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === "class") el.className = String(value);
    else if (key === "text") el.textContent = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`dashboard: no element #${id} in index.html.`);
  return el as T;
}

let uid = 0;
/** A labelled input: `<label for>` + control + a slot for its error, with `data-path` naming its API field. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement, opts: { path?: string; hint?: string; unit?: string } = {}): HTMLDivElement {
  control.id ||= `f${++uid}`;
  if (opts.path) control.dataset.path = opts.path;
  const hint = opts.hint ? h("span", { class: "hint", id: `${control.id}-hint`, text: opts.hint }) : null;
  if (hint) control.setAttribute("aria-describedby", hint.id);
  return h(
    "div",
    { class: "field" },
    h("label", { for: control.id }, label, opts.unit ? h("span", { class: "unit", text: ` (${opts.unit})` }) : null),
    control,
    hint,
    h("span", { class: "field-error", role: "alert", "data-error-for": control.id }),
  );
}

export function numberInput(value: number, opts: { min?: number; max?: number; step?: number | "any" } = {}): HTMLInputElement {
  const input = h("input", { type: "number", value: String(value), step: String(opts.step ?? "any") });
  if (opts.min !== undefined) input.min = String(opts.min);
  if (opts.max !== undefined) input.max = String(opts.max);
  return input;
}

export function select(options: { value: string; label: string }[], value?: string): HTMLSelectElement {
  const el = h("select");
  for (const o of options) el.append(h("option", { value: o.value, text: o.label }));
  if (value !== undefined) el.value = value;
  return el;
}

/** Clear the error messages shown in a container. */
export function clearErrors(container: HTMLElement): void {
  container.querySelectorAll<HTMLElement>(".field-error, .form-error").forEach((e) => (e.textContent = ""));
  container.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
}

/**
 * Show an error in a form: each API issue beside the control whose `data-path` is its path (or the closest
 * ancestor path: "interventions.0.by" falls back to "interventions.0", then "interventions"); what matches
 * no control goes in the form's `.form-error` slot. `prefix` strips a leading path segment (e.g. "scenario").
 */
export function showError(container: HTMLElement, error: unknown, prefix = ""): void {
  const general = container.querySelector<HTMLElement>(".form-error");
  const unplaced: string[] = [];
  if (error instanceof ApiError) {
    for (const raw of error.errors) {
      const issue = { ...raw, message: friendlyMessage(raw.path, raw.message) };
      let path = issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path;
      let control: HTMLElement | null = null;
      while (path && !(control = container.querySelector(`[data-path="${CSS.escape(path)}"]`))) path = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "";
      const slot = control ? container.querySelector<HTMLElement>(`[data-error-for="${control.id}"]`) : null;
      if (control && slot) {
        control.setAttribute("aria-invalid", "true");
        slot.textContent = slot.textContent ? `${slot.textContent} ${issue.message}` : issue.message;
      } else unplaced.push(`${fieldName(issue.path)}: ${issue.message}`);
    }
    if (error.errors.length === 0 || unplaced.length > 0) unplaced.unshift(error.errors.length === 0 ? error.detail || error.title : "");
  } else {
    unplaced.push(error instanceof Error ? error.message : String(error));
  }
  const text = unplaced.filter(Boolean).join(" ");
  if (general) general.textContent = text;
  else if (text) console.error(text);
}

export function download(name: string, data: Blob | string, type = "text/csv"): void {
  const blob = typeof data === "string" ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A chart canvas (uPlot draws axes and series on one canvas) as a PNG with a white background. */
export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  const out = document.createElement("canvas");
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext("2d")!;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error("the chart could not be exported as PNG."))), "image/png"));
}
