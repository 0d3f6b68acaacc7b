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
  arbitrary: () => (fc) => fc.jsonValue()
})

/**
 * A JSON object with arbitrary keys and values.
 *
 * @since 0.1.0
 * @category json
 */
export const JsonObject = Schema.Record({ key: Schema.String, value: JsonValue }).annotations({
  identifier: "JsonObject",
  arbitrary: () => (fc) =>
    fc.dictionary(fc.string().filter((key) => key !== "__proto__"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
})
/**
 * @since 0.1.0
 * @category json
 */
export type JsonObject = typeof JsonObject.Type
