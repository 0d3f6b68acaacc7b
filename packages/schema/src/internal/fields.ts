import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { lenientSteps } from "./fastPaths.js"

/**
 * An optional key that is either absent or holds a value (never `undefined`), so that encoding reproduces the
 * wire object exactly.
 *
 * @internal
 */
export const optionalKey = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/**
 * An optional key of an embedded raw model or presentation object: a value that does not fit `schema` (a retyped
 * or malformed column) decodes as if the key were absent, instead of failing the answer or event around it.
 * Valid values decode and encode exactly as `schema` does.
 *
 * @internal
 */
export const lenientKey = <A, I>(
  schema: Schema.Schema<A, I>
): Schema.PropertySignature<"?:", A, never, "?:", I, false> => {
  // The Schema's own parser here: the compiled decoders take the step's schema straight (`lenientSteps`), so this one
  // stays an independent reference for their property tests.
  const decodeStep = Option.flatMap(Schema.decodeUnknownOption(schema))
  const encode = Schema.encodeOption(schema)
  lenientSteps.set(decodeStep, schema.ast)
  return Schema.optionalToOptional(Schema.Unknown, Schema.typeSchema(schema), {
    decode: decodeStep,
    encode: Option.flatMap(encode)
  }) as never
}
