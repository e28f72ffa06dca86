/**
 * Which Chromium the browser tests drive. A system Chromium is preferred (CHROMIUM_PATH, else Debian's
 * /usr/bin/chromium); on a fresh machine without one, the binary that `npm install` brought in
 * `@sparticuz/chromium` (a devDependency; 143.x is the last line whose `engines` allows Node 20) is
 * unpacked to the temporary folder and used instead, so `npm install && npm test` needs no apt step.
 * Both render WebGL in software through SwiftShader.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

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

/**
 * Pixels of each colour (within a small tolerance: summed channel distance < 30) in a screenshot of the
 * element; the screenshot is also saved to `path` when one is given.
 */
export async function colourPixels(p: Page, selector: string, colours: string[], path?: string): Promise<number[]> {
  const png = await p.locator(selector).screenshot(path ? { path } : {});
  return p.evaluate(
    async ({ b64, hexes }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const rgb = hexes.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
      const counts = rgb.map(() => 0);
      for (let i = 0; i < data.length; i += 4) {
        for (let k = 0; k < rgb.length; k++) {
          if (Math.abs(data[i] - rgb[k][0]) + Math.abs(data[i + 1] - rgb[k][1]) + Math.abs(data[i + 2] - rgb[k][2]) < 30) counts[k]++;
        }
      }
      return counts;
    },
    { b64: png.toString("base64"), hexes: colours },
  );
}
