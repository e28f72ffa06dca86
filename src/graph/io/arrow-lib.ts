/**
 * apache-arrow, loaded on first use. Its ES module build is ≈ 150 modules (≈ 80 ms of every CLI start, where
 * most commands never read an Arrow file); its CommonJS build loads in about half that, and `require` keeps the
 * readers synchronous. Every module here takes Arrow from this one place, so Arrow objects never cross between
 * the two builds.
 */
import { createRequire } from "node:module";

type Arrow = typeof import("apache-arrow");
type ArrowFooter = typeof import("apache-arrow/ipc/metadata/file");

const load = createRequire(import.meta.url);
let arrow: Arrow | null = null;
let footer: ArrowFooter | null = null;

export function arrowLib(): Arrow {
  return (arrow ??= load("apache-arrow") as Arrow);
}

/** The IPC file footer's decoder (not re-exported from the root; the package exports every module path). */
export function arrowFooter(): ArrowFooter {
  return (footer ??= load("apache-arrow/ipc/metadata/file") as ArrowFooter);
}
