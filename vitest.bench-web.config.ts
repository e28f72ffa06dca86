import { defineConfig } from "vitest/config";

// `npm run bench:web`: browser measurements that are too slow for `npm test` (see tests/web/large-network.e2e.ts).
export default defineConfig({
  test: {
    include: ["tests/web/large-network.e2e.ts"],
    testTimeout: 600_000,
    pool: "forks",
    globalSetup: ["tests/setup/build.ts"],
  },
});
