/**
 * The vitest settings both Effect lines share (plain JavaScript: each line's `vitest.shared.ts` passes in its own
 * vite's server conditions and its own `@effect/vitest` setup file). Tests read every workspace package from its
 * TypeScript sources through the `@bevatel/source` export condition, so nothing needs building before a test run.
 *
 * @param {ReadonlyArray<string>} defaultServerConditions vite's own
 * @param {string} setupFile the line's setup file (equality testers of its `@effect/vitest`)
 */
export const sharedSettings = (defaultServerConditions, setupFile) => ({
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
    setupFiles: [setupFile],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fakeTimers: { toFake: undefined },
    reporters: ["default", ["json", { outputFile: ".reports/vitest.json" }]]
  }
})
