/**
 * The bodies the server answers errors with.
 *
 * @since 0.1.0
 */
import { named } from "./internal/dialect.js"
import * as Schema from "effect/Schema"

/**
 * A 422 validation failure: `message` is the model's full messages joined by `", "`, `attributes` the
 * offending fields (`["base"]` for "Too many messages").
 *
 * @since 0.1.0
 * @category errors
 */
export const ValidationErrorBody = named("ValidationErrorBody", Schema.Struct({
  message: Schema.String,
  attributes: Schema.Array(Schema.String)
}))
/**
 * @since 0.1.0
 * @category errors
 */
export interface ValidationErrorBody extends Schema.Schema.Type<typeof ValidationErrorBody> {}

/**
 * A plain error message, e.g. 422 `{"error":"You cannot update the CSAT survey after 14 days"}`.
 *
 * @since 0.1.0
 * @category errors
 */
export const ErrorMessageBody = named("ErrorMessageBody", Schema.Struct({
  error: Schema.String
}))
/**
 * @since 0.1.0
 * @category errors
 */
export interface ErrorMessageBody extends Schema.Schema.Type<typeof ErrorMessageBody> {}

/**
 * Rails' default exception body for 404 and 500 in production (`{"status":404,"error":"Not Found"}`).
 * Not reliable: development servers and proxies answer other bodies.
 *
 * @since 0.1.0
 * @category errors
 */
export const RailsErrorBody = named("RailsErrorBody", Schema.Struct({
  status: Schema.Int,
  error: Schema.String
}))
/**
 * @since 0.1.0
 * @category errors
 */
export interface RailsErrorBody extends Schema.Schema.Type<typeof RailsErrorBody> {}
