/**
 * JSON as the server sends it: any value, and objects of string keys.
 *
 * @example
 * ```ts
 * import { Json } from "@bevatel/schema"
 * import { Schema } from "effect"
 *
 * const attributes = Schema.decodeUnknownSync(Json.JsonObject)({ plan: "gold" })
 * ```
 *
 * @since 1.0.0
 */
import * as Schema from "effect/Schema"

/**
 * Any JSON value, kept as it came.
 *
 * @since 1.0.0
 * @category schemas
 */
export const JsonValue: Schema.Codec<unknown> = Schema.Unknown.annotate({ identifier: "JsonValue" })

/**
 * A JSON object (`content_attributes`, `custom_attributes` …).
 *
 * @since 1.0.0
 * @category schemas
 */
export const JsonObject = Schema.Record(Schema.String, JsonValue).annotate({ identifier: "JsonObject" })
/**
 * @since 1.0.0
 * @category models
 */
export type JsonObject = typeof JsonObject.Type
