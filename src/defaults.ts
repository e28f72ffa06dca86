/**
 * Options over defaults, where an option left `undefined` keeps its default. A plain spread
 * (`{ ...DEFAULTS, ...options }`) lets `{ epochs: undefined }` — what a CLI parser hands over for a flag the
 * user did not give — replace the default with nothing (`forecast finetune` without `--epochs` then trained
 * zero epochs). Use this wherever caller options meet defaults.
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O | undefined): D & O {
  const merged = { ...defaults } as Record<string, unknown>;
  if (options !== undefined) {
    for (const [key, value] of Object.entries(options)) if (value !== undefined) merged[key] = value;
  }
  return merged as D & O;
}
