/**
 * The TensorFlow.js backend, chosen once per process: tfjs-node (native libtensorflow, by far the fastest)
 * where it installed, else the wasm backend (SIMD, one thread under Node), else the pure-JS cpu backend.
 * `SPREADLAB_TF_BACKEND=tensorflow|wasm|cpu` forces one (an error if it cannot load). The same model code runs
 * on all three; training is bit-reproducible per backend, not across backends.
 *
 * `@tensorflow/tfjs-node` is an optionalDependency: its installer downloads libtensorflow, which fails where
 * there is no internet, and npm then drops it. Any error while loading it (not only MODULE_NOT_FOUND: a
 * half-installed native addon throws from dlopen) falls through to wasm.
 */
import * as tf from "@tensorflow/tfjs";

export type TfBackendName = "tensorflow" | "wasm" | "cpu";

export const TF_BACKENDS: readonly TfBackendName[] = ["tensorflow", "wasm", "cpu"];

let chosen: Promise<TfBackendName> | null = null;
let resolved: TfBackendName | null = null;

async function tryBackend(name: TfBackendName): Promise<boolean> {
  try {
    if (name === "tensorflow") {
      // A dynamic specifier keeps bundlers and the type checker away from the optional native package.
      const specifier = "@tensorflow/tfjs-node";
      await import(specifier);
    } else if (name === "wasm") {
      await import("@tensorflow/tfjs-backend-wasm");
    }
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Loads and selects the backend (once; later calls return the same choice). `log` receives one line naming
 * the choice and why.
 *
 * @throws Error when `SPREADLAB_TF_BACKEND` names an unknown backend or one that cannot load.
 */
export function initTf(log: (line: string) => void = () => {}): Promise<TfBackendName> {
  chosen ??= (async () => {
    // Silence tfjs's "Hi there 👋 … install tfjs-node" banner: the choice is logged below.
    tf.env().set("IS_TEST", false);
    const forced = process.env.SPREADLAB_TF_BACKEND?.trim();
    if (forced) {
      if (!(TF_BACKENDS as readonly string[]).includes(forced)) {
        throw new Error(`SPREADLAB_TF_BACKEND=${forced}: expected one of ${TF_BACKENDS.join(", ")}.`);
      }
      if (!(await tryBackend(forced as TfBackendName))) throw new Error(`SPREADLAB_TF_BACKEND=${forced}: that tfjs backend could not be loaded.`);
      log(`tfjs backend: ${forced} (forced by SPREADLAB_TF_BACKEND)`);
      resolved = forced as TfBackendName;
      return resolved;
    }
    for (const name of TF_BACKENDS) {
      if (await tryBackend(name)) {
        log(`tfjs backend: ${name}${name === "tensorflow" ? "" : name === "wasm" ? " (@tensorflow/tfjs-node not installed or not loadable; SIMD wasm)" : " (no native or wasm backend could load; slow)"}`);
        resolved = name;
        return name;
      }
    }
    throw new Error("no tfjs backend could be loaded (tensorflow, wasm, cpu).");
  })();
  chosen.catch(() => {
    chosen = null;
  });
  return chosen;
}

/** The backend already chosen, or null before `initTf` has finished. */
export function currentTfBackend(): TfBackendName | null {
  return resolved;
}

export { tf };
