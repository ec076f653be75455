import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The package imports itself by name (examples are written the way a user writes them).
    alias: [
      { find: /^gatehouse-gateway$/, replacement: here("./schema/index.ts") },
      { find: /^gatehouse-gateway\/ssrf$/, replacement: here("./functions/adapters/upstream/ssrf/index.ts") },
      { find: /^gatehouse-gateway\/infra$/, replacement: here("./infra/index.ts") },
      { find: /^gatehouse-gateway\/policy$/, replacement: here("./policy/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/ensure-build.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
