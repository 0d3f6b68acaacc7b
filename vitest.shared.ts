import { defaultServerConditions } from "vite"
import { defineConfig } from "vitest/config"

/**
 * Shared vitest settings: tests read every workspace package from its TypeScript sources
 * through the `@bevatel/source` export condition, so nothing needs building before a test run.
 */
export default defineConfig({
  resolve: {
    conditions: ["@bevatel/source", ...defaultServerConditions]
  },
  ssr: {
    resolve: {
      conditions: ["@bevatel/source", ...defaultServerConditions],
      externalConditions: ["@bevatel/source"]
    }
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [new URL("./vitest.setup.ts", import.meta.url).pathname],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fakeTimers: { toFake: undefined },
    reporters: ["default", ["json", { outputFile: ".reports/vitest.json" }]]
  }
})
