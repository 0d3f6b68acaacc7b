// The budget of a fuzz suite. CI runs every suite on its fixed seed with its bounded default; `pnpm fuzz` runs the same
// suites for a long budget (BEVATEL_FUZZ_CASES: cases per target) on a seed of its choice (BEVATEL_FUZZ_SEED), and
// reads each suite's `fuzz-report` line.
const fixedSeed = 20261130

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
    /** Prints the suite's result for `pnpm fuzz`: cases tried and what went wrong (none, when the suite passes). */
    report: (stats) => console.log(`fuzz-report ${JSON.stringify({ target, seed, ...stats })}`)
  }
}
