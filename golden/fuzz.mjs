// The budget of a fuzz suite. CI runs every suite on its fixed seed with its bounded default; `pnpm fuzz` runs the same
// suites for a long budget (BEVATEL_FUZZ_CASES: cases per target) on a seed of its choice (BEVATEL_FUZZ_SEED), and
// reads each suite's `fuzz-report` line.
const fixedSeed = 20261130
const chunkSize = 2_000

/** Lets the event loop run (a test runner's messages, timers) between two synchronous chunks of a long property. */
export const breathe = () => new Promise((resolve) => setImmediate(resolve))

export const fuzzBudget = (target, defaultCases) => {
  const asked = process.env.BEVATEL_FUZZ_CASES
  const cases = asked === undefined ? defaultCases : Math.max(1, Number(asked))
  const seed = process.env.BEVATEL_FUZZ_SEED === undefined ? fixedSeed : Number(process.env.BEVATEL_FUZZ_SEED)
  return {
    target,
    cases,
    seed,
    /** A time limit that grows with the budget: `ms` for the default, proportionally more for a long run. */
    timeout: (ms) => Math.max(ms, Math.ceil((ms * cases) / defaultCases)),
    /**
     * `runs` cut into chunks of at most 2,000, each with its own seed (the first the budget's): a long synchronous
     * property then lets its process breathe between chunks (see `breathe`). Within CI's budget, one chunk.
     */
    chunks: (runs) =>
      Array.from({ length: Math.ceil(runs / chunkSize) }, (_, i) => ({ seed: seed + i, numRuns: Math.min(chunkSize, runs - i * chunkSize) })),
    /** Prints the suite's result for `pnpm fuzz`: cases tried and what went wrong (none, when the suite passes). */
    report: (stats) => console.log(`fuzz-report ${JSON.stringify({ target, seed, ...stats })}`)
  }
}
