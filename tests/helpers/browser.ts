/**
 * Which Chromium the browser tests drive. A system Chromium is preferred (CHROMIUM_PATH, else Debian's
 * /usr/bin/chromium); on a fresh machine without one, the binary that `npm install` brought in
 * `@sparticuz/chromium` (a devDependency; 143.x is the last line whose `engines` allows Node 20) is
 * unpacked to the temporary folder and used instead, so `npm install && npm test` needs no apt step.
 * Both render WebGL in software through SwiftShader.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const SOFTWARE_WEBGL = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"];

export async function launchChromium(): Promise<{ browser: Browser; executable: string }> {
  const system = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  const root = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  if (existsSync(system)) {
    return { browser: await chromium.launch({ executablePath: system, args: [...SOFTWARE_WEBGL, ...root] }), executable: system };
  }
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${system} does not exist: point it at a Chromium binary or unset it.`);
  const bundled = (await import("@sparticuz/chromium")).default;
  const executable = await bundled.executablePath();
  // Not @sparticuz/chromium's own args: they are for serverless hosts (--single-process,
  // --disable-web-security) and would hide what the tests check (the dashboard's CSP, several pages).
  const args = ["--no-sandbox", "--no-zygote", "--in-process-gpu", "--use-gl=angle", ...SOFTWARE_WEBGL];
  // This build takes its locale from the environment, and a POSIX locale ("en-US@posix") breaks Intl in
  // the page: give it a plain one.
  const env = { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8", LANGUAGE: "en_US" };
  return { browser: await chromium.launch({ executablePath: executable, args: [...args, "--lang=en-US"], env }), executable };
}
