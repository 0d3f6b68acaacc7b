/**
 * What did not decode, as a flat list of paths and messages, safely: describing hostile input (a value nested deeper
 * than the stack allows) gives one generic issue instead of an exception.
 *
 * @since 0.2.0
 */
import * as ParseResult from "effect/ParseResult"

/**
 * One thing that did not fit: where (`path`, empty at the root) and why.
 *
 * @since 0.2.0
 * @category models
 */
export interface DecodeIssue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/**
 * The issues of a decoding failure, flattened (as `ArrayFormatter` gives them), never throwing.
 *
 * @since 0.2.0
 * @category formatting
 */
export const fromError = (error: ParseResult.ParseError | ParseResult.ParseIssue): ReadonlyArray<DecodeIssue> => {
  try {
    return ParseResult.ArrayFormatter.formatIssueSync(error._tag === "ParseError" ? error.issue : error)
  } catch {
    return [{ path: [], message: "does not match, and is nested too deeply to describe" }]
  }
}

/**
 * The issues as one line: `a.b: message; c: message` (`(root)` for the root), the first `max` of them (default all).
 *
 * @since 0.2.0
 * @category formatting
 */
export const describe = (error: ParseResult.ParseError | ParseResult.ParseIssue, max = Number.POSITIVE_INFINITY): string => {
  const issues = fromError(error)
  return issues.slice(0, max).map((issue) => `${issue.path.length === 0 ? "(root)" : issue.path.join(".")}: ${issue.message}`)
    .join("; ") + (issues.length > max ? `; and ${issues.length - max} more` : "")
}
