/**
 * Branded identifiers of the Client API.
 *
 * Strings are access keys (an inbox identifier plus a source id is all the Client API asks for), so every
 * string identifier rejects the empty string, and integer identifiers reject zero and negatives.
 *
 * @since 0.1.0
 */
import { nonEmptyString, patternString, positiveInt } from "./internal/dialect.js"

/**
 * The public identifier of an API-channel inbox (`Channel::Api.identifier`), the `{inbox_identifier}` path segment.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const InboxIdentifier = nonEmptyString("InboxIdentifier", "Public identifier of an API-channel inbox")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type InboxIdentifier = typeof InboxIdentifier.Type

/**
 * The customer's identifier within one inbox (`ContactInbox.source_id`), the `{contact_identifier}` path segment.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const SourceId = nonEmptyString("SourceId", "The customer's session identifier within an inbox (source_id)")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type SourceId = typeof SourceId.Type

/**
 * The token a customer subscribes to `RoomChannel` with. It grants read access to the customer's events:
 * keep it out of logs.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const PubsubToken = nonEmptyString("PubsubToken", "Token that subscribes to a customer's live events")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type PubsubToken = typeof PubsubToken.Type

/**
 * A conversation's per-account `display_id`: the `{conversation_id}` path segment and the `id` of conversation
 * payloads (never the database key).
 *
 * @since 0.1.0
 * @category identifiers
 */
export const ConversationId = positiveInt("ConversationId", "Per-account conversation display id")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type ConversationId = typeof ConversationId.Type

/**
 * A message's id, global and increasing: later messages have larger ids.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const MessageId = positiveInt("MessageId", "Message id (increasing)")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type MessageId = typeof MessageId.Type

/**
 * An account's id.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const AccountId = positiveInt("AccountId", "Account id")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type AccountId = typeof AccountId.Type

/**
 * A contact's database id (`Contact.id`).
 *
 * @since 0.1.0
 * @category identifiers
 */
export const ContactId = positiveInt("ContactId", "Contact database id")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type ContactId = typeof ContactId.Type

/**
 * An inbox's numeric database id, as carried by conversation and message payloads (`inbox_id`).
 *
 * @since 0.1.0
 * @category identifiers
 */
export const InboxId = positiveInt("InboxId", "Inbox database id")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type InboxId = typeof InboxId.Type

/**
 * The integrator's own identifier of the customer (`Contact.identifier`), signed with the inbox HMAC token.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const ContactIdentifier = nonEmptyString("ContactIdentifier", "The integrator's own identifier of a customer")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type ContactIdentifier = typeof ContactIdentifier.Type

/**
 * The `echo_id` a client sends with a new message; the server echoes it on the cable `message.created` frame
 * of that message only.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const EchoId = nonEmptyString("EchoId", "Client-chosen id echoed on the cable for a created message")
/**
 * @since 0.1.0
 * @category identifiers
 */
export type EchoId = typeof EchoId.Type

/**
 * `identifier_hash`: the lowercase hex HMAC-SHA256 of a contact identifier, keyed with the inbox's HMAC token.
 * Compute it on the integrator's server (see `@bevatel/identity`).
 *
 * @since 0.1.0
 * @category identifiers
 */
export const IdentifierHash = patternString(
  "IdentifierHash",
  "Hex HMAC-SHA256 of a contact identifier",
  /^[0-9a-f]{64}$/,
  "IdentifierHash must be 64 lowercase hex characters"
)
/**
 * @since 0.1.0
 * @category identifiers
 */
export type IdentifierHash = typeof IdentifierHash.Type
