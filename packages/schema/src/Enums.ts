/**
 * The enumerations of the Client API.
 *
 * Every enum keeps a value it does not know instead of failing: string enums decode an unknown value to the
 * raw string (typed as `UnknownX`), and `MessageType` keeps an unknown integer as the number itself.
 *
 * @since 0.1.0
 */
import { Vocabulary } from "@bevatel/wire"
import { indexedNames, literals, named } from "./internal/dialect.js"
import { openStringEnum } from "./internal/openEnum.js"

/**
 * `message_type`: an integer on the wire (`0` incoming, `1` outgoing, `2` activity, `3` template), decoded to
 * its name. Incoming messages are the customer's own; outgoing are agents' and bots' replies.
 *
 * @since 0.1.0
 * @category enums
 */
export const MessageType = indexedNames("MessageType", Vocabulary.messageTypes)
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
export const ConversationStatus = openStringEnum("ConversationStatus", Vocabulary.conversationStatuses)
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
export const ConversationPriority = openStringEnum("ConversationPriority", Vocabulary.conversationPriorities)
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
export const ContentType = openStringEnum("ContentType", Vocabulary.contentTypes)
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
export const MessageStatus = openStringEnum("MessageStatus", Vocabulary.messageStatuses)
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
export const AttachmentFileType = openStringEnum("AttachmentFileType", Vocabulary.attachmentFileTypes)
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
export const SenderType = openStringEnum("SenderType", Vocabulary.senderTypes)
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
export const AvailabilityStatus = openStringEnum("AvailabilityStatus", Vocabulary.availabilityStatuses)
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
export const ContactType = openStringEnum("ContactType", Vocabulary.contactTypes)
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
export const TypingStatus = named("TypingStatus", literals(...Vocabulary.typingStatuses))
/**
 * @since 0.1.0
 * @category enums
 */
export type TypingStatus = typeof TypingStatus.Type
