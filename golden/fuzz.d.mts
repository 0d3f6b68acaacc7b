/** What a fuzz suite reports: cases tried, and anything else worth saying (counts by kind, statuses seen). */
export interface FuzzStats {
  readonly cases: number
  readonly [key: string]: unknown
}

/** A fuzz suite's budget: its target's name, the number of cases, the seed, and how it reports. */
export interface FuzzBudget {
  readonly target: string
  readonly cases: number
  readonly seed: number
  /** A time limit that grows with the budget: `ms` for the default, proportionally more for a long run. */
  readonly timeout: (ms: number) => number
  /**
   * `runs` cut into chunks of at most 2,000, each with its own seed (the first the budget's), so that a long
   * synchronous property can `breathe` between them; within CI's budget, one chunk.
   */
  readonly chunks: (runs: number) => ReadonlyArray<{ readonly seed: number; readonly numRuns: number }>
  /** Prints the suite's `fuzz-report` line, read by `pnpm fuzz`. */
  readonly report: (stats: FuzzStats) => void
}

/** Lets the event loop run (a test runner's messages, timers) between two synchronous chunks of a long property. */
export declare const breathe: () => Promise<void>

/**
 * The budget of the suite fuzzing `target`: `defaultCases` on the fixed seed (CI), or `BEVATEL_FUZZ_CASES` on
 * `BEVATEL_FUZZ_SEED` (a long run of `pnpm fuzz`).
 */
export declare const fuzzBudget: (target: string, defaultCases: number) => FuzzBudget
