/**
 * What did not decode, as a flat list of paths and messages, safely: describing hostile input (a value nested deeper
 * than the stack allows) gives one generic issue instead of an exception.
 *
 * @example
 * ```ts
 * import { DecodeIssues, Identifiers } from "@bevatel/schema"
 * import { Result, Schema } from "effect"
 *
 * const result = Schema.decodeUnknownResult(Identifiers.ConversationId)(0)
 * if (Result.isFailure(result)) console.log(DecodeIssues.describe(result.failure))
 * ```
 *
 * @since 1.0.0
 */
import { DecodeIssues as WireDecodeIssues } from "@bevatel/wire"
import * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import { makeFormatterStandardSchemaV1 } from "effect/SchemaIssue"

/**
 * One thing that did not fit: where (`path`, empty at the root) and why.
 *
 * @since 1.0.0
 * @category models
 */
export type DecodeIssue = WireDecodeIssues.DecodeIssue

const format = makeFormatterStandardSchemaV1()

/**
 * The issues of a decoding failure (a `SchemaError`, or its issue), flattened, never throwing.
 *
 * @since 1.0.0
 * @category formatting
 */
export const fromIssue = (failure: SchemaIssue.Issue | Schema.SchemaError): ReadonlyArray<DecodeIssue> => {
  try {
    return format(Schema.isSchemaError(failure) ? failure.issue : failure).issues.map(({ message, path }) => ({
      path: (path ?? []).map((segment) => typeof segment === "object" ? segment.key : segment),
      message
    }))
  } catch {
    return WireDecodeIssues.tooDeep
  }
}

/**
 * One line for a log or an error field: `path: message; …`, at most `max` issues.
 *
 * @since 1.0.0
 * @category formatting
 */
export const describe = (failure: SchemaIssue.Issue | Schema.SchemaError, max = Number.POSITIVE_INFINITY): string =>
  WireDecodeIssues.toLine(fromIssue(failure), max)
