/**
 * The dashboard's build: `npm run build:web` bundles web/ into dist/web, which `spreadlab serve` serves at /.
 * `npx vite --config web/vite.config.ts` serves it in development with /v1 proxied to a running server.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
  },
  server: { proxy: { "/v1": process.env.SPREADLAB_API ?? "http://127.0.0.1:8080" } },
});
