import { defineConfig } from "vitest/config";

// One suite for the whole monorepo. Integration tests talk to the real Redis and Postgres on the machine;
// each test file isolates itself (own queue prefix, own database), so files may run in parallel.
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "test/e2e/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    reporters: ["default"],
  },
});
