/**
 * The enumerations of the Client API.
 *
 * Every enum keeps a value it does not know instead of failing: string enums decode an unknown value to the
 * raw string (typed as `UnknownX`), and `MessageType` keeps an unknown integer as the number itself.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { openStringEnum } from "./internal/openEnum.js"

const messageTypeNames = ["incoming", "outgoing", "activity", "template"] as const

/**
 * `message_type`: an integer on the wire (`0` incoming, `1` outgoing, `2` activity, `3` template), decoded to
 * its name. Incoming messages are the customer's own; outgoing are agents' and bots' replies.
 *
 * @since 0.1.0
 * @category enums
 */
export const MessageType: Schema.Schema<"incoming" | "outgoing" | "activity" | "template" | number, number> = Schema
  .transform(
    Schema.Int,
    Schema.declare(
      (u): u is "incoming" | "outgoing" | "activity" | "template" | number =>
        typeof u === "number" ? Number.isInteger(u) && (u < 0 || u > 3) : messageTypeNames.includes(u as never),
      {
        identifier: "MessageTypeName",
        arbitrary: () => (fc) => fc.oneof(fc.constantFrom(...messageTypeNames), fc.integer({ min: 4 }))
      }
    ),
    {
      strict: true,
      decode: (n) => messageTypeNames[n] ?? n,
      encode: (name) => typeof name === "number" ? name : messageTypeNames.indexOf(name)
    }
  ).annotations({ identifier: "MessageType" })
/**
 * @since 0.1.0
 * @category enums
 */
export type MessageType = typeof MessageType.Type

/**
 * A conversation's status.
 *
 * @since 0.1.0
 * @category enums
 */
export const ConversationStatus = openStringEnum("ConversationStatus", ["open", "resolved", "pending", "snoozed"])
/**
 * @since 0.1.0
 * @category enums
 */
export type ConversationStatus = typeof ConversationStatus.Type

/**
 * A conversation's priority.
 *
 * @since 0.1.0
 * @category enums
 */
export const ConversationPriority = openStringEnum("ConversationPriority", ["low", "medium", "high", "urgent"])
/**
 * @since 0.1.0
 * @category enums
 */
export type ConversationPriority = typeof ConversationPriority.Type

/**
 * A message's `content_type`.
 *
 * @since 0.1.0
 * @category enums
 */
export const ContentType = openStringEnum("ContentType", [
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
])
/**
 * @since 0.1.0
 * @category enums
 */
export type ContentType = typeof ContentType.Type

/**
 * A message's delivery `status` (cable payloads only).
 *
 * @since 0.1.0
 * @category enums
 */
export const MessageStatus = openStringEnum("MessageStatus", ["sent", "delivered", "read", "failed"])
/**
 * @since 0.1.0
 * @category enums
 */
export type MessageStatus = typeof MessageStatus.Type

/**
 * An attachment's `file_type`.
 *
 * @since 0.1.0
 * @category enums
 */
export const AttachmentFileType = openStringEnum("AttachmentFileType", [
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
])
/**
 * @since 0.1.0
 * @category enums
 */
export type AttachmentFileType = typeof AttachmentFileType.Type

/**
 * A message's `sender_type` (cable payloads only).
 *
 * @since 0.1.0
 * @category enums
 */
export const SenderType = openStringEnum("SenderType", ["Contact", "User", "AgentBot", "Captain::Assistant"])
/**
 * @since 0.1.0
 * @category enums
 */
export type SenderType = typeof SenderType.Type

/**
 * An agent's availability, as in `presence.update` and agent push data.
 *
 * @since 0.1.0
 * @category enums
 */
export const AvailabilityStatus = openStringEnum("AvailabilityStatus", ["online", "busy", "offline"])
/**
 * @since 0.1.0
 * @category enums
 */
export type AvailabilityStatus = typeof AvailabilityStatus.Type

/**
 * A contact's `contact_type`.
 *
 * @since 0.1.0
 * @category enums
 */
export const ContactType = openStringEnum("ContactType", ["visitor", "lead", "customer"])
/**
 * @since 0.1.0
 * @category enums
 */
export type ContactType = typeof ContactType.Type

/**
 * The `typing_status` of a typing toggle: only `on` and `off` have an effect on the server.
 *
 * @since 0.1.0
 * @category enums
 */
export const TypingStatus = Schema.Literal("on", "off").annotations({ identifier: "TypingStatus" })
/**
 * @since 0.1.0
 * @category enums
 */
export type TypingStatus = typeof TypingStatus.Type
