/**
 * Messages: the REST shape (`messages` endpoints and REST conversations) and the richer cable payload
 * (`message.created`, `message.updated`, and `messages` of conversation events).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Attachments } from "./Attachment.js"
import { ContentType, MessageStatus, MessageType, SenderType } from "./Enums.js"
import { AccountId, ConversationId, EchoId, InboxId, MessageId, SourceId } from "./Identifiers.js"
import { named, type Encoded } from "./internal/dialect.js"
import { lenientKey, optionalKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"
import { Sender } from "./Sender.js"
import { EpochSeconds, IsoTimestamp } from "./Timestamp.js"

/**
 * A message as the REST endpoints answer it. `attachments` and `sender` are absent when there are none;
 * `conversation_id` is the conversation's display id.
 *
 * @since 0.1.0
 * @category models
 */
export const Message = named("Message", Schema.Struct({
  id: MessageId,
  content: Schema.NullOr(Schema.String),
  message_type: MessageType,
  content_type: ContentType,
  content_attributes: JsonObject,
  created_at: EpochSeconds,
  conversation_id: ConversationId,
  attachments: optionalKey(Attachments),
  sender: lenientKey(Sender)
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface Message extends Schema.Schema.Type<typeof Message> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface MessageEncoded extends Encoded<typeof Message> {}

/**
 * The conversation summary embedded in a message payload.
 *
 * @since 0.1.0
 * @category models
 */
export const MessageConversationSummary = named("MessageConversationSummary", Schema.Struct({
  assignee_id: lenientKey(Schema.NullOr(Schema.Int)),
  unread_count: lenientKey(Schema.Int),
  last_activity_at: lenientKey(EpochSeconds),
  contact_inbox: lenientKey(Schema.NullOr(Schema.Struct({ source_id: lenientKey(SourceId) })))
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface MessageConversationSummary extends Schema.Schema.Type<typeof MessageConversationSummary> {}

/**
 * A message as the cable delivers it (`Message#push_event_data`). Compared with {@link Message} it adds the
 * delivery `status`, `private`, the sender's type and id, and — on the `message.created` frame of a message
 * created with an `echo_id` — that `echo_id`. `message.updated` adds `previous_changes`.
 *
 * Required, because the SDK acts on them: `id`, `conversation_id`, `message_type`, `content`, `created_at`,
 * `private`, `status`, `content_type`, `content_attributes`. The rest (embedded summaries, the sender, columns
 * the SDK only passes on) is lenient: missing or retyped, it decodes as absent.
 *
 * @since 0.1.0
 * @category models
 */
export const MessagePayload = named("MessagePayload", Schema.Struct({
  id: MessageId,
  content: Schema.NullOr(Schema.String),
  account_id: lenientKey(AccountId),
  inbox_id: lenientKey(InboxId),
  conversation_id: ConversationId,
  message_type: MessageType,
  created_at: EpochSeconds,
  updated_at: lenientKey(IsoTimestamp),
  private: Schema.Boolean,
  status: MessageStatus,
  source_id: lenientKey(Schema.NullOr(Schema.String)),
  content_type: ContentType,
  content_attributes: JsonObject,
  sender_type: lenientKey(Schema.NullOr(SenderType)),
  sender_id: lenientKey(Schema.NullOr(Schema.Int)),
  external_source_ids: lenientKey(JsonObject),
  additional_attributes: lenientKey(JsonObject),
  processed_message_content: lenientKey(Schema.NullOr(Schema.String)),
  sentiment: lenientKey(JsonObject),
  conversation: lenientKey(Schema.NullOr(MessageConversationSummary)),
  echo_id: optionalKey(EchoId),
  attachments: optionalKey(Attachments),
  sender: lenientKey(Sender),
  previous_changes: lenientKey(JsonObject),
  performer: lenientKey(Sender)
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface MessagePayload extends Schema.Schema.Type<typeof MessagePayload> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface MessagePayloadEncoded extends Encoded<typeof MessagePayload> {}
