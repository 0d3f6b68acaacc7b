import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/** An optional key: absent, or a value of `schema` (never `undefined`). */
export const optionalKey = <S extends Schema.Top>(schema: S) => Schema.optionalKey(schema)

/**
 * An optional key whose value, when it does not decode, is dropped (the key reads as absent) instead of failing the
 * whole object: for the columns a consumer only passes on, so that a retyped column on a newer server never costs
 * the event.
 */
export const lenientKey = <S extends Schema.Top>(schema: S) =>
  Schema.optionalKey(schema.pipe(Schema.catchDecoding(() => Effect.succeedNone)))
