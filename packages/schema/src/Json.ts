/**
 * Free-form JSON values the server passes through (`custom_attributes`, `content_attributes`, unknown events …).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Any JSON value, passed through untouched.
 *
 * @since 0.1.0
 * @category json
 */
export const JsonValue: Schema.Schema<unknown> = Schema.Unknown.annotations({
  identifier: "JsonValue",
  // Normalised through JSON, as values on the wire are (no -0).
  arbitrary: () => (fc) => fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown)
})

// Generated keys avoid "__proto__", which no decoder can keep as an own property.
const JsonKey = Schema.String.annotations({
  arbitrary: () => (fc) => fc.string().filter((key) => key !== "__proto__")
})

/**
 * A JSON object with arbitrary keys and values.
 *
 * @since 0.1.0
 * @category json
 */
export const JsonObject = Schema.Record({ key: JsonKey, value: JsonValue }).annotations({
  identifier: "JsonObject",
  arbitrary: () => (fc) =>
    fc.dictionary(fc.string().filter((key) => key !== "__proto__"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
      .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>)
})
/**
 * @since 0.1.0
 * @category json
 */
export type JsonObject = typeof JsonObject.Type
