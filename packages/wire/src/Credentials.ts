/**
 * The two strings of this API that are bearer credentials: a contact's `pubsub_token` (whoever holds it receives
 * the customer's live events) and its `source_id` (with the public inbox identifier, whoever holds it reads the
 * customer's conversations and writes as them). Conversation events embed both in `contact_inbox`; a pipeline that
 * forwards events should not forward those.
 *
 * @since 0.1.0
 */

/**
 * What replaces a redacted credential.
 *
 * @since 0.1.0
 * @category constants
 */
export const redacted = "<redacted>"

/**
 * @since 0.1.0
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
 * A wire value (an event's data, a REST answer) with every `pubsub_token` — and, when asked, every session
 * `source_id` — replaced by {@link redacted}, at any depth. The input is never changed: what holds a credential is
 * copied, everything else is shared as it is (most events hold none, and cost a walk, not a copy).
 *
 * @example
 * ```ts
 * import { Credentials } from "@bevatel/wire"
 *
 * const line = { event: "conversation.created", data: { contact_inbox: { source_id: "s-1", pubsub_token: "t-1" } } }
 * console.log(JSON.stringify(Credentials.redact(line, { sourceId: true })))
 * // {"event":"conversation.created","data":{"contact_inbox":{"source_id":"<redacted>","pubsub_token":"<redacted>"}}}
 * ```
 *
 * @since 0.1.0
 * @category redaction
 */
export const redact = (wire: unknown, options: RedactOptions = {}): unknown => {
  const sourceId = options.sourceId === true
  const visit = (value: unknown, inContactInbox: boolean): unknown => {
    if (typeof value !== "object" || value === null) return value
    if (Array.isArray(value)) {
      let copy: Array<unknown> | undefined
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        const kept = visit(item, false)
        if (kept !== item) (copy ??= value.slice())[i] = kept
      }
      return copy ?? value
    }
    const object = value as Record<string, unknown>
    // A `contact_inbox` row, or a contact session (`{source_id, pubsub_token, …}`): its source_id is the session's.
    const session = inContactInbox || "pubsub_token" in object
    let copy: Record<string, unknown> | undefined
    for (const key of Object.keys(object)) {
      const item = object[key]
      const kept = key === "pubsub_token" && typeof item === "string"
        ? redacted
        : key === "source_id" && sourceId && session && typeof item === "string"
        ? redacted
        : visit(item, key === "contact_inbox")
      if (kept === item) continue
      // A spread defines its keys, and so does this: a "__proto__" key in the wire JSON stays a plain key.
      copy ??= { ...object }
      Object.defineProperty(copy, key, { value: kept, enumerable: true, writable: true, configurable: true })
    }
    return copy ?? object
  }
  return visit(wire, false)
}
