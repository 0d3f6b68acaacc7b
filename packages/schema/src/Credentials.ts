/**
 * The two strings of this API that are bearer credentials: a contact's `pubsub_token` (whoever holds it receives
 * the customer's live events) and its `source_id` (with the public inbox identifier, whoever holds it reads the
 * customer's conversations and writes as them). Conversation events embed both in `contact_inbox`; a pipeline that
 * forwards events should not forward those. The same module as `@bevatel/wire`'s (it has no Effect in it).
 *
 * @example
 * ```ts
 * import { Credentials } from "@bevatel/schema"
 *
 * const safe = Credentials.redact({ contact_inbox: { source_id: "s-1", pubsub_token: "t-1" } }, { sourceId: true })
 * ```
 *
 * @since 0.2.0
 */

import * as WireCredentials from "@bevatel/wire/Credentials"

/**
 * What replaces a redacted credential.
 *
 * @since 0.2.0
 * @category constants
 */
export const redacted: typeof WireCredentials.redacted = WireCredentials.redacted

/**
 * @since 0.2.0
 * @category models
 */
export type RedactOptions = WireCredentials.RedactOptions

/**
 * A copy of `wire` (any decoded JSON) with every `pubsub_token` replaced by {@link redacted}, and with
 * `sourceId: true` the session's `source_id` too; only what holds a credential is copied.
 *
 * @since 0.2.0
 * @category redaction
 */
export const redact: typeof WireCredentials.redact = WireCredentials.redact
