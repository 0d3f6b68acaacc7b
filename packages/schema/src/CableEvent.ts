/**
 * The events a customer receives on its `RoomChannel` subscription, as a tagged union.
 *
 * On the wire an event is the `message` of a broadcast frame: `{"event": "<name>", "data": {...}}`. Decoding adds
 * a `_tag` and keeps `event`; encoding removes `_tag` again. Event names this SDK does not know decode to
 * {@link Unknown}, so a newer server never breaks a stream.
 *
 * @since 0.1.0
 */
import { Vocabulary } from "@bevatel/wire"
import * as Schema from "effect/Schema"
import { ConversationPayload, TypingConversation } from "./Conversation.js"
import { AvailabilityStatus } from "./Enums.js"
import { AccountId } from "./Identifiers.js"
import { cableEventOf, eventMember, unknownEventMember } from "./internal/cableEvent.js"
import { type Encoded, named, recordOf } from "./internal/dialect.js"
import { lenientKey } from "./internal/fields.js"
import { JsonValue } from "./Json.js"
import { MessagePayload } from "./Message.js"
import { Sender } from "./Sender.js"

/**
 * Who is typing, in which conversation. `is_private` is true when an agent types a private note: a customer UI
 * should not show that. The nested `conversation` has no `account_id` (the server adds it to this outer object
 * only); only its `id` is required. `user` is lenient: a sender that does not fit decodes as absent.
 *
 * @since 0.1.0
 * @category payloads
 */
export const TypingPayload = named(
  "TypingPayload",
  Schema.Struct({
    conversation: TypingConversation,
    user: lenientKey(Sender),
    is_private: lenientKey(Schema.Boolean),
    account_id: lenientKey(AccountId)
  })
)
/**
 * @since 0.1.0
 * @category payloads
 */
export interface TypingPayload extends Schema.Schema.Type<typeof TypingPayload> {}

/**
 * Agents' availability by user id.
 *
 * @since 0.1.0
 * @category payloads
 */
export const PresencePayload = named(
  "PresencePayload",
  Schema.Struct({ account_id: lenientKey(AccountId), users: recordOf(AvailabilityStatus) })
)
/**
 * @since 0.1.0
 * @category payloads
 */
export interface PresencePayload extends Schema.Schema.Type<typeof PresencePayload> {}

/**
 * A message was created in one of the customer's conversations: an agent's or bot's reply, or the customer's own
 * message (with `echo_id` when it was sent with one).
 *
 * @since 0.1.0
 * @category events
 */
export const MessageCreated = eventMember("MessageCreated", "message.created", MessagePayload)
/**
 * @since 0.1.0
 * @category events
 */
export interface MessageCreated extends Schema.Schema.Type<typeof MessageCreated> {}

/**
 * A message changed (content, status, submitted values …); `data.previous_changes` lists what changed.
 *
 * @since 0.1.0
 * @category events
 */
export const MessageUpdated = eventMember("MessageUpdated", "message.updated", MessagePayload)
/**
 * @since 0.1.0
 * @category events
 */
export interface MessageUpdated extends Schema.Schema.Type<typeof MessageUpdated> {}

/**
 * A conversation was created.
 *
 * @since 0.1.0
 * @category events
 */
export const ConversationCreated = eventMember("ConversationCreated", "conversation.created", ConversationPayload)
/**
 * @since 0.1.0
 * @category events
 */
export interface ConversationCreated extends Schema.Schema.Type<typeof ConversationCreated> {}

/**
 * A conversation changed (assignee, team, status, attributes …); carries its current state.
 *
 * @since 0.1.0
 * @category events
 */
export const ConversationUpdated = eventMember("ConversationUpdated", "conversation.updated", ConversationPayload)
/**
 * @since 0.1.0
 * @category events
 */
export interface ConversationUpdated extends Schema.Schema.Type<typeof ConversationUpdated> {}

/**
 * A conversation's status changed; carries its current state (intermediate states may be skipped).
 *
 * @since 0.1.0
 * @category events
 */
export const ConversationStatusChanged = eventMember(
  "ConversationStatusChanged",
  "conversation.status_changed",
  ConversationPayload
)
/**
 * @since 0.1.0
 * @category events
 */
export interface ConversationStatusChanged extends Schema.Schema.Type<typeof ConversationStatusChanged> {}

/**
 * Someone other than the customer started typing.
 *
 * @since 0.1.0
 * @category events
 */
export const TypingOn = eventMember("TypingOn", "conversation.typing_on", TypingPayload)
/**
 * @since 0.1.0
 * @category events
 */
export interface TypingOn extends Schema.Schema.Type<typeof TypingOn> {}

/**
 * Someone other than the customer stopped typing.
 *
 * @since 0.1.0
 * @category events
 */
export const TypingOff = eventMember("TypingOff", "conversation.typing_off", TypingPayload)
/**
 * @since 0.1.0
 * @category events
 */
export interface TypingOff extends Schema.Schema.Type<typeof TypingOff> {}

/**
 * Agents' availability, sent on subscribe and whenever a subscriber of the same token updates its presence.
 *
 * @since 0.1.0
 * @category events
 */
export const PresenceUpdate = eventMember("PresenceUpdate", "presence.update", PresencePayload)
/**
 * @since 0.1.0
 * @category events
 */
export interface PresenceUpdate extends Schema.Schema.Type<typeof PresenceUpdate> {}

/**
 * An event as the server sent it: the broadcast's parsed `message`, with every field, those this SDK does not know
 * included. What a pipeline forwards where it passes events on untouched.
 *
 * @since 0.2.0
 * @category events
 */
export const WireEvent = named("WireEvent", Schema.Struct({ event: Schema.String, data: JsonValue }))
/**
 * @since 0.2.0
 * @category events
 */
export interface WireEvent extends Schema.Schema.Type<typeof WireEvent> {}

/**
 * The names of the events this SDK decodes into typed members.
 *
 * @since 0.1.0
 * @category constants
 */
export const knownEventNames: ReadonlyArray<string> = Vocabulary.cableEvents.map(([name]) => name)

/**
 * An event whose name this SDK does not know, with its raw name and data.
 *
 * @since 0.1.0
 * @category events
 */
export const Unknown = unknownEventMember()
/**
 * @since 0.1.0
 * @category events
 */
export interface Unknown extends Schema.Schema.Type<typeof Unknown> {}

/**
 * An event of a name this SDK knows whose data did not decode — a server that changed a required field. It keeps
 * the raw name and data and says what did not fit (`error`: the paths and what was expected), so nothing is
 * dropped: `@bevatel/cable` counts and logs it, and `@bevatel/client` recovers a message it stands for over HTTP.
 * Encoding gives back the raw event.
 *
 * @since 0.2.0
 * @category events
 */
export const Undecodable = named(
  "Undecodable",
  Schema.TaggedStruct("Undecodable", { event: Schema.String, data: JsonValue, error: Schema.String })
)
/**
 * @since 0.2.0
 * @category events
 */
export interface Undecodable extends Schema.Schema.Type<typeof Undecodable> {}

const members = [
  MessageCreated,
  MessageUpdated,
  ConversationCreated,
  ConversationUpdated,
  ConversationStatusChanged,
  TypingOn,
  TypingOff,
  PresenceUpdate,
  Unknown
] as const

/**
 * Any event a customer receives. A known event whose data does not decode becomes {@link Undecodable} (with what
 * did not fit); it never turns into {@link Unknown}. Only input that is not `{event: string, data}` fails.
 *
 * @since 0.1.0
 * @category events
 */
export const CableEvent = cableEventOf<
  | MessageCreated
  | MessageUpdated
  | ConversationCreated
  | ConversationUpdated
  | ConversationStatusChanged
  | TypingOn
  | TypingOff
  | PresenceUpdate
  | Unknown
  | Undecodable,
  CableEventEncoded
>(members, Undecodable)
/**
 * @since 0.1.0
 * @category events
 */
export type CableEvent = typeof CableEvent.Type

/**
 * @since 0.1.0
 * @category events
 */
export type CableEventEncoded = Encoded<(typeof members)[number] | typeof Undecodable>
