/**
 * The values the server is known to send, as plain lists: both Effect lines of `@bevatel/schema` build their Schemas
 * from these, so that the two agree on every name. A value not listed here still decodes (the enums are open), and
 * is kept as it came.
 *
 * @example
 * ```ts
 * import { Vocabulary } from "@bevatel/wire"
 *
 * const outgoing = Vocabulary.messageTypes.indexOf("outgoing") // 1, as the database stores it
 * ```
 *
 * @since 0.1.0
 */

/**
 * `message_type`, in the order of its wire integer (`incoming` is 0).
 *
 * @since 0.1.0
 * @category values
 */
export const messageTypes = ["incoming", "outgoing", "activity", "template"] as const

/**
 * A conversation's `status`.
 *
 * @since 0.1.0
 * @category values
 */
export const conversationStatuses = ["open", "resolved", "pending", "snoozed"] as const

/**
 * A conversation's `priority`.
 *
 * @since 0.1.0
 * @category values
 */
export const conversationPriorities = ["low", "medium", "high", "urgent"] as const

/**
 * A message's `content_type`.
 *
 * @since 0.1.0
 * @category values
 */
export const contentTypes = [
  "text",
  "input_text",
  "input_textarea",
  "input_email",
  "input_select",
  "cards",
  "form",
  "article",
  "incoming_email",
  "input_csat",
  "integrations",
  "sticker",
  "voice_call"
] as const

/**
 * A message's delivery `status`.
 *
 * @since 0.1.0
 * @category values
 */
export const messageStatuses = ["sent", "delivered", "read", "failed"] as const

/**
 * An attachment's `file_type`.
 *
 * @since 0.1.0
 * @category values
 */
export const attachmentFileTypes = [
  "image",
  "audio",
  "video",
  "file",
  "location",
  "fallback",
  "share",
  "story_mention",
  "contact",
  "ig_reel",
  "ig_post",
  "ig_story",
  "embed"
] as const

/**
 * A message's `sender_type` (the Rails model of its sender).
 *
 * @since 0.1.0
 * @category values
 */
export const senderTypes = ["Contact", "User", "AgentBot", "Captain::Assistant"] as const

/**
 * An embedded sender's `type` (its push-event form).
 *
 * @since 0.1.0
 * @category values
 */
export const senderKinds = ["contact", "user", "agent_bot", "captain_assistant"] as const

/**
 * An agent's `availability_status`.
 *
 * @since 0.1.0
 * @category values
 */
export const availabilityStatuses = ["online", "busy", "offline"] as const

/**
 * A contact's `contact_type`.
 *
 * @since 0.1.0
 * @category values
 */
export const contactTypes = ["visitor", "lead", "customer"] as const

/**
 * What `toggle_typing` accepts as `typing_status`.
 *
 * @since 0.1.0
 * @category values
 */
export const typingStatuses = ["on", "off"] as const

/**
 * The `reason` of an ActionCable `disconnect` frame.
 *
 * @since 0.1.0
 * @category values
 */
export const disconnectReasons = ["unauthorized", "invalid_request", "server_restart", "remote"] as const

/**
 * The WebSocket subprotocols an ActionCable client offers, in order (the server picks the first).
 *
 * @since 0.1.0
 * @category values
 */
export const cableProtocols: ReadonlyArray<string> = ["actioncable-v1-json", "actioncable-unsupported"]

/**
 * Each event the `RoomChannel` broadcasts to a contact, with the tag the SDK gives it.
 *
 * @since 0.1.0
 * @category values
 */
export const cableEvents = [
  ["message.created", "MessageCreated"],
  ["message.updated", "MessageUpdated"],
  ["conversation.created", "ConversationCreated"],
  ["conversation.updated", "ConversationUpdated"],
  ["conversation.status_changed", "ConversationStatusChanged"],
  ["conversation.typing_on", "TypingOn"],
  ["conversation.typing_off", "TypingOff"],
  ["presence.update", "PresenceUpdate"]
] as const

/**
 * The tag of a known event name. A Map, not an object: an event named "constructor" or "valueOf" must not find
 * `Object.prototype`'s members.
 *
 * @since 0.1.0
 * @category values
 */
export const tagOfEvent: ReadonlyMap<string, (typeof cableEvents)[number][1]> = new Map(cableEvents)

/**
 * A decoded wire event with its tag: the known one for its name, or `"Unknown"`.
 *
 * @since 0.1.0
 * @category events
 */
export const tagged = <E extends { readonly event: string; readonly data: unknown }>({ data, event }: E) => ({
  _tag: tagOfEvent.get(event) ?? "Unknown",
  event,
  data
})

/**
 * Whether `input` is an event of a known name, with data: what a decoder keeps whole, as `Undecodable`, when the
 * data does not fit.
 *
 * @since 0.1.0
 * @category events
 */
export const isKnownEvent = (input: unknown): input is { readonly event: string; readonly data: unknown } =>
  typeof input === "object" && input !== null && "event" in input && typeof input.event === "string" &&
  tagOfEvent.has(input.event) && "data" in input
