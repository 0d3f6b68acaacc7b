/**
 * The two strings of this API that are bearer credentials: a contact's `pubsub_token` (whoever holds it receives
 * the customer's live events) and its `source_id` (with the public inbox identifier, whoever holds it reads the
 * customer's conversations and writes as them). Conversation events embed both in `contact_inbox`; a pipeline that
 * forwards events should not forward those.
 *
 * @since 0.2.0
 */

/**
 * What replaces a redacted credential.
 *
 * @since 0.2.0
 * @category constants
 */
export const redacted = "<redacted>"

/**
 * @since 0.2.0
 * @category models
 */
export interface RedactOptions {
  /**
   * Also redact the customer's `source_id` where it stands for the session (inside `contact_inbox`, and a contact's
   * own `source_id`). A message's `source_id` is the channel's id of that message, not a credential, and is kept.
   * Default `false`: keep it where a consumer needs the customer's key.
   */
  readonly sourceId?: boolean | undefined
}

/**
 * A copy of a wire value (an event's data, a REST answer) with every `pubsub_token` — and, when asked, every
 * session `source_id` — replaced by {@link redacted}, at any depth. Everything else is kept as it is.
 *
 * @example
 * ```ts
 * import { Credentials } from "@bevatel/schema"
 *
 * const line = { event: "conversation.created", data: { contact_inbox: { source_id: "s-1", pubsub_token: "t-1" } } }
 * console.log(JSON.stringify(Credentials.redact(line, { sourceId: true })))
 * // {"event":"conversation.created","data":{"contact_inbox":{"source_id":"<redacted>","pubsub_token":"<redacted>"}}}
 * ```
 *
 * @since 0.2.0
 * @category redaction
 */
export const redact = (wire: unknown, options: RedactOptions = {}): unknown => {
  const visit = (value: unknown, inContactInbox: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => visit(item, false))
    if (typeof value !== "object" || value === null) return value
    const object = value as Record<string, unknown>
    // A `contact_inbox` row, or a contact session (`{source_id, pubsub_token, …}`): its source_id is the session's.
    const session = inContactInbox || "pubsub_token" in object
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(object)) {
      const kept = key === "pubsub_token" && typeof item === "string"
        ? redacted
        : key === "source_id" && options.sourceId === true && session && typeof item === "string"
        ? redacted
        : visit(item, key === "contact_inbox")
      // Defined, not assigned: a "__proto__" key in the wire JSON stays a plain key.
      Object.defineProperty(out, key, { value: kept, enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return visit(wire, false)
}
