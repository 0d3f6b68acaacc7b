/**
 * Encoders compiled once, for what a pipeline writes (every message and event as JSON in its wire form): the mirror of
 * {@link Decoder}. `compile(schema)` answers as `Schema.encodeUnknownResult(schema)` does, with `effect`'s JIT compiler
 * on server runtimes.
 *
 * @example
 * ```ts
 * import { CableEvent, Decoder, Encoder } from "@bevatel/schema"
 * import { Result } from "effect"
 *
 * const decodeEvent = Decoder.compile(CableEvent.CableEvent)
 * const encodeEvent = Encoder.compile(CableEvent.CableEvent)
 * const event = decodeEvent({ event: "conversation.typing_off", data: { conversation: { id: 7 } } })
 * if (Result.isSuccess(event)) console.log(encodeEvent(event.success))
 * ```
 *
 * @since 1.0.0
 */
import type * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import { compiledFor, type CompileOptions } from "./internal/compilation.js"

/**
 * An encoder for `schema`, compiled once: the same answers as `Schema.encodeUnknownResult(schema)`.
 *
 * @example
 * ```ts
 * import { Encoder, Identifiers } from "@bevatel/schema"
 *
 * const encodeId = Encoder.compile(Identifiers.MessageId)
 * console.log(encodeId(Identifiers.MessageId.make(42))) // Result.succeed(42)
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const compile = <S extends Schema.ConstraintEncoder<unknown>>(
  schema: S,
  options?: CompileOptions
): (value: S["Type"], options?: SchemaAST.ParseOptions) => Result.Result<S["Encoded"], Schema.SchemaError> =>
  Schema.encodeUnknownResult(compiledFor(schema, options))
