/**
 * What did not decode, as a flat list of paths and messages, safely: describing hostile input (a value nested deeper
 * than the stack allows) gives one generic issue instead of an exception.
 *
 * @since 0.2.0
 */
import { DecodeIssues as WireDecodeIssues } from "@bevatel/wire"
import * as ParseResult from "effect/ParseResult"

/**
 * One thing that did not fit: where (`path`, empty at the root) and why.
 *
 * @since 0.2.0
 * @category models
 */
export type DecodeIssue = WireDecodeIssues.DecodeIssue

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
    return WireDecodeIssues.tooDeep
  }
}

/**
 * The issues as one line: `a.b: message; c: message` (`(root)` for the root), the first `max` of them (default all).
 *
 * @since 0.2.0
 * @category formatting
 */
export const describe = (error: ParseResult.ParseError | ParseResult.ParseIssue, max = Number.POSITIVE_INFINITY): string =>
  WireDecodeIssues.toLine(fromError(error), max)
