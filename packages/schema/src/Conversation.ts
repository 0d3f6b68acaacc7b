/**
 * Conversations: the REST shape and the cable payload of conversation and typing events.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ContactInbox, ContactRecord } from "./Contact.js"
import { ConversationPriority, ConversationStatus } from "./Enums.js"
import { AccountId, ConversationId, InboxId } from "./Identifiers.js"
import { named, type Encoded } from "./internal/dialect.js"
import { lenientKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"
import { Message, MessagePayload } from "./Message.js"
import { Sender, Team } from "./Sender.js"
import { EpochSeconds, EpochSecondsOrNever, FractionalEpochSeconds, IsoTimestamp } from "./Timestamp.js"

/**
 * A conversation as the REST endpoints answer it. `id` is the display id; `messages` holds every public message,
 * oldest first, unpaginated; `contact` is the raw contact record, decoded leniently (absent when it does not fit).
 *
 * @since 0.1.0
 * @category models
 */
export const Conversation = named("Conversation", Schema.Struct({
  id: ConversationId,
  uuid: Schema.String,
  inbox_id: InboxId,
  contact_last_seen_at: EpochSecondsOrNever,
  status: ConversationStatus,
  agent_last_seen_at: EpochSecondsOrNever,
  messages: Schema.Array(Message),
  contact: lenientKey(ContactRecord)
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface Conversation extends Schema.Schema.Type<typeof Conversation> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface ConversationEncoded extends Encoded<typeof Conversation> {}

/**
 * The `meta` of a conversation payload: the contact, the assignee and team.
 *
 * @since 0.1.0
 * @category models
 */
export const ConversationMeta = named("ConversationMeta", Schema.Struct({
  sender: lenientKey(Sender),
  assignee: lenientKey(Schema.NullOr(Sender)),
  assignee_type: lenientKey(Schema.NullOr(Schema.String)),
  team: lenientKey(Schema.NullOr(Team)),
  hmac_verified: lenientKey(Schema.NullOr(Schema.Boolean))
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface ConversationMeta extends Schema.Schema.Type<typeof ConversationMeta> {}

// Every field of the push data but the display id and the status, all lenient: the SDK passes them on.
const pushDataFields = {
  account_id: lenientKey(AccountId),
  inbox_id: lenientKey(InboxId),
  channel: lenientKey(Schema.String),
  can_reply: lenientKey(Schema.Boolean),
  additional_attributes: lenientKey(JsonObject),
  custom_attributes: lenientKey(JsonObject),
  contact_inbox: lenientKey(Schema.NullOr(ContactInbox)),
  messages: lenientKey(Schema.Array(MessagePayload)),
  labels: lenientKey(Schema.Array(Schema.String)),
  meta: lenientKey(ConversationMeta),
  snoozed_until: lenientKey(Schema.NullOr(IsoTimestamp)),
  unread_count: lenientKey(Schema.Int),
  first_reply_created_at: lenientKey(Schema.NullOr(IsoTimestamp)),
  priority: lenientKey(Schema.NullOr(ConversationPriority)),
  waiting_since: lenientKey(EpochSecondsOrNever),
  agent_last_seen_at: lenientKey(EpochSecondsOrNever),
  contact_last_seen_at: lenientKey(EpochSecondsOrNever),
  last_activity_at: lenientKey(EpochSeconds),
  timestamp: lenientKey(EpochSeconds),
  created_at: lenientKey(EpochSeconds),
  updated_at: lenientKey(FractionalEpochSeconds),
  applied_sla: lenientKey(Schema.NullOr(JsonObject)),
  sla_events: lenientKey(Schema.Array(JsonObject)),
  sla_policy_id: lenientKey(Schema.NullOr(Schema.Int)),
  performer: lenientKey(Sender)
}

/**
 * A conversation as the cable delivers it in `conversation.created`, `conversation.updated` and
 * `conversation.status_changed` (`Conversations::EventDataPresenter#push_data`, plus the `account_id` that the
 * listener merges into the event's data). `messages` holds at most the last public message. `contact_inbox`
 * carries the `pubsub_token`: never log this payload verbatim.
 *
 * Required: `id` (the display id) and `status`, which the SDK acts on. Everything else is lenient: a missing or
 * retyped field decodes as absent.
 *
 * @since 0.1.0
 * @category models
 */
export const ConversationPayload = named("ConversationPayload", Schema.Struct({
  id: ConversationId,
  status: ConversationStatus,
  ...pushDataFields
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface ConversationPayload extends Schema.Schema.Type<typeof ConversationPayload> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface ConversationPayloadEncoded extends Encoded<typeof ConversationPayload> {}

/**
 * The conversation nested in a typing event: the push data **without** `account_id` (the listener adds it to the
 * outer data only). Only the display id is required — it routes the event to its conversation; the rest,
 * `status` included, is lenient.
 *
 * @since 0.2.0
 * @category models
 */
export const TypingConversation = named("TypingConversation", Schema.Struct({
  id: ConversationId,
  status: lenientKey(ConversationStatus),
  ...pushDataFields
}))
/**
 * @since 0.2.0
 * @category models
 */
export interface TypingConversation extends Schema.Schema.Type<typeof TypingConversation> {}
