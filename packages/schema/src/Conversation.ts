/**
 * Conversations: the REST shape and the cable payload of conversation and typing events.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ContactInbox, ContactRecord } from "./Contact.js"
import { ConversationPriority, ConversationStatus } from "./Enums.js"
import { AccountId, ConversationId, InboxId } from "./Identifiers.js"
import { optionalKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"
import { Message, MessagePayload } from "./Message.js"
import { Sender, Team } from "./Sender.js"
import { EpochSeconds, EpochSecondsOrNever, FractionalEpochSeconds, IsoTimestamp } from "./Timestamp.js"

/**
 * A conversation as the REST endpoints answer it. `id` is the display id; `messages` holds every public message,
 * oldest first, unpaginated; `contact` is the raw contact record.
 *
 * @since 0.1.0
 * @category models
 */
export const Conversation = Schema.Struct({
  id: ConversationId,
  uuid: Schema.String,
  inbox_id: InboxId,
  contact_last_seen_at: EpochSecondsOrNever,
  status: ConversationStatus,
  agent_last_seen_at: EpochSecondsOrNever,
  messages: Schema.Array(Message),
  contact: ContactRecord
}).annotations({ identifier: "Conversation" })
/**
 * @since 0.1.0
 * @category models
 */
export interface Conversation extends Schema.Schema.Type<typeof Conversation> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface ConversationEncoded extends Schema.Schema.Encoded<typeof Conversation> {}

/**
 * The `meta` of a conversation payload: the contact, the assignee and team.
 *
 * @since 0.1.0
 * @category models
 */
export const ConversationMeta = Schema.Struct({
  sender: optionalKey(Sender),
  assignee: optionalKey(Schema.NullOr(Sender)),
  assignee_type: optionalKey(Schema.NullOr(Schema.String)),
  team: optionalKey(Schema.NullOr(Team)),
  hmac_verified: optionalKey(Schema.NullOr(Schema.Boolean))
}).annotations({ identifier: "ConversationMeta" })
/**
 * @since 0.1.0
 * @category models
 */
export interface ConversationMeta extends Schema.Schema.Type<typeof ConversationMeta> {}

/**
 * A conversation as the cable delivers it (`Conversations::EventDataPresenter#push_data` plus `account_id`).
 * `messages` holds at most the last public message. `contact_inbox` carries the `pubsub_token`: never log
 * this payload verbatim.
 *
 * @since 0.1.0
 * @category models
 */
export const ConversationPayload = Schema.Struct({
  id: ConversationId,
  account_id: AccountId,
  inbox_id: InboxId,
  status: ConversationStatus,
  channel: optionalKey(Schema.String),
  can_reply: optionalKey(Schema.Boolean),
  additional_attributes: optionalKey(JsonObject),
  custom_attributes: optionalKey(JsonObject),
  contact_inbox: optionalKey(Schema.NullOr(ContactInbox)),
  messages: optionalKey(Schema.Array(MessagePayload)),
  labels: optionalKey(Schema.Array(Schema.String)),
  meta: optionalKey(ConversationMeta),
  snoozed_until: optionalKey(Schema.NullOr(IsoTimestamp)),
  unread_count: optionalKey(Schema.Int),
  first_reply_created_at: optionalKey(Schema.NullOr(IsoTimestamp)),
  priority: optionalKey(Schema.NullOr(ConversationPriority)),
  waiting_since: optionalKey(EpochSecondsOrNever),
  agent_last_seen_at: optionalKey(EpochSecondsOrNever),
  contact_last_seen_at: optionalKey(EpochSecondsOrNever),
  last_activity_at: optionalKey(EpochSeconds),
  timestamp: optionalKey(EpochSeconds),
  created_at: optionalKey(EpochSeconds),
  updated_at: optionalKey(FractionalEpochSeconds),
  applied_sla: optionalKey(Schema.NullOr(JsonObject)),
  sla_events: optionalKey(Schema.Array(JsonObject)),
  sla_policy_id: optionalKey(Schema.NullOr(Schema.Int)),
  performer: optionalKey(Sender)
}).annotations({ identifier: "ConversationPayload" })
/**
 * @since 0.1.0
 * @category models
 */
export interface ConversationPayload extends Schema.Schema.Type<typeof ConversationPayload> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface ConversationPayloadEncoded extends Schema.Schema.Encoded<typeof ConversationPayload> {}
