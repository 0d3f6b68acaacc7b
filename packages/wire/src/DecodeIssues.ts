/**
 * What did not decode, as both Effect lines report it: a flat list of paths and messages, and one line for a log
 * or an error field.
 *
 * @example
 * ```ts
 * import { DecodeIssues } from "@bevatel/wire"
 *
 * DecodeIssues.toLine([{ path: ["data", "id"], message: "Expected a positive integer" }])
 * // "data.id: Expected a positive integer"
 * ```
 *
 * @since 0.1.0
 */

/**
 * One thing that did not fit: where (`path`, empty at the root) and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeIssue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/**
 * The issues as one line: `a.b: message; c: message` (`(root)` for the root), the first `max` of them (default all).
 *
 * @since 0.1.0
 * @category formatting
 */
export const toLine = (issues: ReadonlyArray<DecodeIssue>, max = Number.POSITIVE_INFINITY): string =>
  issues.slice(0, max).map((issue) => `${issue.path.length === 0 ? "(root)" : issue.path.join(".")}: ${issue.message}`)
    .join("; ") + (issues.length > max ? `; and ${issues.length - max} more` : "")

/**
 * What a describer answers when the issue itself cannot be walked (a value nested deeper than the stack allows).
 *
 * @since 0.1.0
 * @category formatting
 */
export const tooDeep: ReadonlyArray<DecodeIssue> = [{ path: [], message: "does not match, and is nested too deeply to describe" }]
