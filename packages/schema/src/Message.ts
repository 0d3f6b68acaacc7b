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
import { optionalKey } from "./internal/fields.js"
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
export const Message = Schema.Struct({
  id: MessageId,
  content: Schema.NullOr(Schema.String),
  message_type: MessageType,
  content_type: ContentType,
  content_attributes: JsonObject,
  created_at: EpochSeconds,
  conversation_id: ConversationId,
  attachments: optionalKey(Attachments),
  sender: optionalKey(Sender)
}).annotations({ identifier: "Message" })
/**
 * @since 0.1.0
 * @category models
 */
export interface Message extends Schema.Schema.Type<typeof Message> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface MessageEncoded extends Schema.Schema.Encoded<typeof Message> {}

/**
 * The conversation summary embedded in a message payload.
 *
 * @since 0.1.0
 * @category models
 */
export const MessageConversationSummary = Schema.Struct({
  assignee_id: optionalKey(Schema.NullOr(Schema.Int)),
  unread_count: optionalKey(Schema.Int),
  last_activity_at: optionalKey(EpochSeconds),
  contact_inbox: optionalKey(Schema.NullOr(Schema.Struct({ source_id: SourceId })))
}).annotations({ identifier: "MessageConversationSummary" })
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
 * @since 0.1.0
 * @category models
 */
export const MessagePayload = Schema.Struct({
  id: MessageId,
  content: Schema.NullOr(Schema.String),
  account_id: AccountId,
  inbox_id: InboxId,
  conversation_id: ConversationId,
  message_type: MessageType,
  created_at: EpochSeconds,
  updated_at: optionalKey(IsoTimestamp),
  private: Schema.Boolean,
  status: MessageStatus,
  source_id: optionalKey(Schema.NullOr(Schema.String)),
  content_type: ContentType,
  content_attributes: JsonObject,
  sender_type: optionalKey(Schema.NullOr(SenderType)),
  sender_id: optionalKey(Schema.NullOr(Schema.Int)),
  external_source_ids: optionalKey(JsonObject),
  additional_attributes: optionalKey(JsonObject),
  processed_message_content: optionalKey(Schema.NullOr(Schema.String)),
  sentiment: optionalKey(JsonObject),
  conversation: optionalKey(Schema.NullOr(MessageConversationSummary)),
  echo_id: optionalKey(EchoId),
  attachments: optionalKey(Attachments),
  sender: optionalKey(Sender),
  previous_changes: optionalKey(JsonObject),
  performer: optionalKey(Sender)
}).annotations({ identifier: "MessagePayload" })
/**
 * @since 0.1.0
 * @category models
 */
export interface MessagePayload extends Schema.Schema.Type<typeof MessagePayload> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface MessagePayloadEncoded extends Schema.Schema.Encoded<typeof MessagePayload> {}
