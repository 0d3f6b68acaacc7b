/**
 * What a lossless conversation stream emits.
 *
 * @since 0.1.0
 */
import { CableEvent, Encoder, Enums, Identifiers, Message } from "@bevatel/schema"
import * as Either from "effect/Either"
import { identity } from "effect/Function"
import * as Schema from "effect/Schema"

/**
 * A message of the conversation, whether it came from history, a backfill or the cable: the REST message shape,
 * plus the delivery `status` and — on the customer's own messages delivered live — the `echo_id` it was sent with.
 *
 * @since 0.1.0
 * @category models
 */
export const ConversationMessage = Schema.Struct({
  ...Message.Message.fields,
  status: Schema.optionalWith(Enums.MessageStatus, { exact: true }),
  echo_id: Schema.optionalWith(Identifiers.EchoId, { exact: true })
}).annotations({ identifier: "ConversationMessage" })
/**
 * @since 0.1.0
 * @category models
 */
export interface ConversationMessage extends Schema.Schema.Type<typeof ConversationMessage> {}

/**
 * Where a message came from: the history loaded at start, a backfill after a reconnect, or the live cable.
 *
 * @since 0.1.0
 * @category models
 */
export const Origin = Schema.Literal("history", "backfill", "live")
/**
 * @since 0.1.0
 * @category models
 */
export type Origin = typeof Origin.Type

/**
 * A message, emitted exactly once and in order.
 *
 * @since 0.1.0
 * @category events
 */
export class MessageAdded extends Schema.TaggedClass<MessageAdded>("@bevatel/client/ConversationEvent/MessageAdded")(
  "MessageAdded",
  { message: ConversationMessage, origin: Origin }
) {}

/**
 * A message already emitted changed (content, status, submitted values …): `message` is its new state.
 *
 * @since 0.1.0
 * @category events
 */
export class MessageChanged extends Schema.TaggedClass<MessageChanged>("@bevatel/client/ConversationEvent/MessageChanged")(
  "MessageChanged",
  { message: ConversationMessage }
) {}

/**
 * The conversation's status: emitted at start, on every change, and after a reconnect when it changed meanwhile.
 *
 * @since 0.1.0
 * @category events
 */
export class StatusChanged extends Schema.TaggedClass<StatusChanged>("@bevatel/client/ConversationEvent/StatusChanged")(
  "StatusChanged",
  { status: Enums.ConversationStatus, origin: Origin }
) {}

/**
 * The stream caught up after a reconnect; `missed` messages were recovered over HTTP.
 *
 * @since 0.1.0
 * @category events
 */
export class Resumed extends Schema.TaggedClass<Resumed>("@bevatel/client/ConversationEvent/Resumed")("Resumed", {
  missed: Schema.Int
}) {}

/**
 * Any other live event of this conversation — typing (check `is_private`), `conversation.updated`,
 * `presence.update`, events this SDK does not know — as the cable decoded it, and as the server sent it (`wire`:
 * every field, those this SDK does not know included; present when the cable keeps it, its `keepWire` option).
 *
 * @since 0.1.0
 * @category events
 */
export class Live extends Schema.TaggedClass<Live>("@bevatel/client/ConversationEvent/Live")("Live", {
  event: CableEvent.CableEvent,
  wire: Schema.optionalWith(CableEvent.WireEvent, { exact: true })
}) {}

/**
 * @since 0.1.0
 * @category events
 */
export const ConversationEvent = Schema.Union(MessageAdded, MessageChanged, StatusChanged, Resumed, Live)

/**
 * @since 0.1.0
 * @category events
 */
export type ConversationEvent = typeof ConversationEvent.Type

/**
 * A conversation message from the cable's message payload.
 *
 * @example
 * ```ts
 * import { ConversationEvent } from "@bevatel/client"
 * import type { Message } from "@bevatel/schema"
 *
 * // A cable message.created payload as the message a ConversationStream emits.
 * const asMessage = (payload: Message.MessagePayload) => ConversationEvent.fromPayload(payload)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromPayload = (payload: Message.MessagePayload): ConversationMessage => ({
  id: payload.id,
  content: payload.content,
  message_type: payload.message_type,
  content_type: payload.content_type,
  content_attributes: payload.content_attributes,
  created_at: payload.created_at,
  conversation_id: payload.conversation_id,
  status: payload.status,
  ...(payload.attachments === undefined ? {} : { attachments: payload.attachments }),
  ...(payload.sender === undefined ? {} : { sender: payload.sender }),
  ...(payload.echo_id === undefined ? {} : { echo_id: payload.echo_id })
})

// Compiled once: the same JSON as `Schema.encodeSync`, a few times faster (a pipeline encodes every event it writes).
const encodeMessageOrError = Encoder.compile(ConversationMessage)
const encodeCableEventOrError = Encoder.compile(CableEvent.CableEvent)
const encodeMessage = (message: ConversationMessage) => Either.getOrThrowWith(encodeMessageOrError(message), identity)
const encodeCableEvent = (event: CableEvent.CableEvent) => Either.getOrThrowWith(encodeCableEventOrError(event), identity)

/**
 * An event as JSON in its wire form, named as the server names it: `message.created`, `message.updated` and
 * `conversation.status_changed` for what the stream recovers, the cable event's own name for a `Live` one, and
 * `stream.resumed` for a `Resumed`. What a pipeline writes or forwards, with no rich types left (times as the
 * server's numbers). Messages have one shape whichever way they came (history, backfill or live: the REST message,
 * with `status` and `echo_id` when known); a `Live` event is the server's own, every field kept.
 *
 * @since 0.2.0
 * @category encoding
 */
export const toWire = (event: ConversationEvent): { readonly event: string; readonly data: unknown } => {
  switch (event._tag) {
    case "MessageAdded":
      return { event: "message.created", data: encodeMessage(event.message) }
    case "MessageChanged":
      return { event: "message.updated", data: encodeMessage(event.message) }
    case "StatusChanged":
      return { event: "conversation.status_changed", data: { status: event.status } }
    case "Resumed":
      return { event: "stream.resumed", data: { missed: event.missed } }
    case "Live":
      // As the server sent it, when the cable kept it: nothing decoded is encoded back, and no field is dropped.
      return event.wire ?? encodeCableEvent(event.event)
  }
}
