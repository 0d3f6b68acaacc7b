/**
 * @since 0.1.0
 */

/**
 * The two credentials of this API (`pubsub_token`, and `source_id` where it stands for the session), and
 * {@link Credentials.redact} to blank them out of anything a pipeline forwards or logs.
 *
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.js"

/**
 * What did not decode, as a flat list of paths and messages, and as one line.
 *
 * @since 0.1.0
 */
export * as DecodeIssues from "./DecodeIssues.js"

/**
 * The values the server is known to send, as plain lists both Effect lines build their Schemas from.
 *
 * @since 0.1.0
 */
export * as Vocabulary from "./Vocabulary.js"

/**
 * Wire times (Unix seconds or ISO-8601) to milliseconds, and "never".
 *
 * @since 0.1.0
 */
export * as WireTime from "./WireTime.js"
