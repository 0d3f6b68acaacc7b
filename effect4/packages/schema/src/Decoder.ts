/**
 * Decoders compiled once, for the hot paths (every cable event, every message list): `compile(schema)` answers as
 * `Schema.decodeUnknownResult(schema)` does — the value, or the Schema's own issue — and, on server runtimes, has
 * `effect`'s JIT compiler (`SchemaJITCompiler`) generate code for the schema, so that decoding a valid value is
 * straight-line code without the interpreter's per-node overhead.
 *
 * @example
 * ```ts
 * import { CableEvent, Decoder } from "@bevatel/schema"
 *
 * const decodeEvent = Decoder.compile(CableEvent.CableEvent)
 * const event = decodeEvent({ event: "conversation.typing_off", data: { conversation: { id: 7 } } })
 * ```
 *
 * @since 1.0.0
 */
import type * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import { compiledFor, type CompileOptions } from "./internal/compilation.js"

export type {
  /**
   * @since 1.0.0
   * @category models
   */
  CompileOptions
}

/**
 * A decoder for `schema`, compiled once: the same answers as `Schema.decodeUnknownResult(schema)`.
 *
 * @example
 * ```ts
 * import { Decoder, Message } from "@bevatel/schema"
 * import { Result } from "effect"
 *
 * const decodeMessages = Decoder.compile(Message.Message)
 * const result = decodeMessages({ id: 0 })
 * console.log(Result.isFailure(result)) // true
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const compile = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S,
  options?: CompileOptions
): (input: unknown, options?: SchemaAST.ParseOptions) => Result.Result<S["Type"], Schema.SchemaError> =>
  Schema.decodeUnknownResult(compiledFor(schema, options))
