import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import {
  accountId,
  type AttachmentRow,
  type ContactInboxRow,
  type ContactRow,
  type ConversationRow,
  type InboxRow,
  type MessageRow,
  type Store
} from "./store.js"

/** A JSON object as the server writes it. @internal */
export type Json = { readonly [key: string]: unknown }

const messageTypeValue = { incoming: 0, outgoing: 1, activity: 2, template: 3 } as const

/** jbuilder and push data epochs: integer seconds, `0` for nil (`nil.to_i`). */
const epoch = (time: DateTime.Utc | null | undefined): number =>
  time ? Math.floor(DateTime.toEpochMillis(time) / 1000) : 0
/** Raw model times: ISO-8601 with milliseconds (Rails' JSON encoding). */
const iso = (time: DateTime.Utc): string => DateTime.formatIso(time)
const isoOrNull = (time: DateTime.Utc | null): string | null => (time ? iso(time) : null)
/** `updated_at.to_f` of conversation push data. */
const fractional = (time: DateTime.Utc): number => DateTime.toEpochMillis(time) / 1000

/**
 * Renders what the real server renders, field by field and in its key order, as plain JSON. It is written from the
 * server's views and `push_event_data` methods (see `/golden`), deliberately **not** through `@bevatel/schema`:
 * the golden tests compare this output with the corpus, so a misreading in the schemas cannot hide here.
 *
 * @internal
 */
export class Presenter {
  constructor(readonly store: Store, readonly baseUrl: () => string) {}

  /** `inboxes/show.json.jbuilder`. */
  inbox(inbox: InboxRow): Json {
    return {
      identifier: inbox.identifier,
      identity_validation_enabled: inbox.hmacMandatory,
      name: inbox.name,
      timezone: inbox.timezone,
      working_hours: inbox.workingHours.map((day) => ({ ...day })),
      working_hours_enabled: inbox.workingHoursEnabled,
      csat_survey_enabled: inbox.csatSurveyEnabled,
      greeting_enabled: false
    }
  }

  /** `contacts/create.json.jbuilder` and `show.json.jbuilder`. */
  contactSession(row: ContactInboxRow): Json {
    const contact = this.store.contact(row.contactId)
    return {
      source_id: row.sourceId,
      pubsub_token: row.pubsubToken,
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone_number: contact.phone_number
    }
  }

  /** The raw `Contact` model (`render json: contact`, and `contact` of REST conversations). */
  contactRecord(contact: ContactRow): Json {
    return {
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone_number: contact.phone_number,
      account_id: accountId,
      created_at: iso(contact.created_at),
      updated_at: iso(contact.updated_at),
      additional_attributes: contact.additional_attributes,
      identifier: contact.identifier,
      custom_attributes: contact.custom_attributes,
      last_activity_at: isoOrNull(contact.last_activity_at),
      contact_type: "lead",
      middle_name: "",
      last_name: "",
      location: "",
      country_code: "",
      blocked: contact.blocked,
      company_id: null
    }
  }

  /** `Contact#push_event_data`. */
  private contactPushData(contact: ContactRow): Json {
    return {
      additional_attributes: contact.additional_attributes,
      custom_attributes: contact.custom_attributes,
      email: contact.email,
      id: contact.id,
      identifier: contact.identifier,
      name: contact.name,
      phone_number: contact.phone_number,
      thumbnail: "",
      blocked: contact.blocked,
      type: "contact"
    }
  }

  /** `User#push_event_data`; `availability_status` is nil outside an account context (jobs, public API). */
  agentPushData(agentId: number): Json {
    const agent = this.store.agents.get(agentId)
    return {
      id: agentId,
      name: agent?.name ?? "Agent",
      available_name: agent?.name ?? "Agent",
      avatar_url: "",
      type: "user",
      availability_status: null,
      thumbnail: ""
    }
  }

  private sender(message: MessageRow): Json | undefined {
    if (message.sender === null) return undefined
    if (message.sender.kind === "agent") return this.agentPushData(message.sender.id)
    const contact = this.store.contacts.get(message.sender.id)
    return contact ? this.contactPushData(contact) : undefined
  }

  /** `Attachment#push_event_data`, default branch (and audio's `transcribed_text`). */
  private attachment(attachment: AttachmentRow): Json {
    const dimensions = attachment.fileType === "image" ? imageDimensions(attachment.bytes) : undefined
    const url = `${this.baseUrl()}/rails/active_storage/blobs/redirect/${attachment.id}/${encodeURIComponent(attachment.fileName)}`
    return {
      id: attachment.id,
      message_id: attachment.messageId,
      file_type: attachment.fileType,
      account_id: accountId,
      // The `extension` column is only filled by some channels; an upload leaves it nil.
      extension: null,
      data_url: url,
      thumb_url: attachment.fileType === "image" ? url : "",
      file_size: attachment.bytes.byteLength,
      // ActiveStorage's analysis of the blob: the image's size, nil for anything else.
      width: dimensions?.width ?? null,
      height: dimensions?.height ?? null,
      ...(attachment.fileType === "audio" ? { transcribed_text: "" } : {})
    }
  }

  /** Keys present only when non-empty, as in both message renderings. */
  private attachmentsAndSender(message: MessageRow): Json {
    const sender = this.sender(message)
    return {
      ...(message.attachments.length > 0 ? { attachments: message.attachments.map((a) => this.attachment(a)) } : {}),
      ...(sender ? { sender } : {})
    }
  }

  /** `models/_message.json.jbuilder`. */
  message(message: MessageRow): Json {
    return {
      id: message.id,
      content: message.content,
      message_type: messageTypeValue[message.messageType],
      content_type: message.contentType,
      content_attributes: message.content_attributes,
      created_at: epoch(message.createdAt),
      conversation_id: message.conversationId,
      ...this.attachmentsAndSender(message)
    }
  }

  messages(messages: ReadonlyArray<MessageRow>): ReadonlyArray<Json> {
    return messages.map((m) => this.message(m))
  }

  /** `models/_conversation.json.jbuilder`. */
  conversation(conversation: ConversationRow): Json {
    return {
      id: conversation.displayId,
      uuid: conversation.uuid,
      inbox_id: conversation.inboxId,
      contact_last_seen_at: epoch(Option.getOrNull(conversation.contactLastSeenAt)),
      status: conversation.status,
      agent_last_seen_at: epoch(Option.getOrNull(conversation.agentLastSeenAt)),
      messages: this.messages(this.store.publicMessages(conversation)),
      contact: this.contactRecord(this.store.contact(conversation.contactId))
    }
  }

  /** `Message#push_event_data` (+ `account_id`, as the listener adds), with `extra` (`echo_id`, `previous_changes`). */
  messagePayload(message: MessageRow, extra: Json = {}): Json {
    const conversation = this.store.conversation(message.conversationId)
    const contactInbox = this.store.contactInboxes.get(conversation.contactInboxId)
    return {
      id: message.id,
      content: message.content,
      account_id: accountId,
      inbox_id: conversation.inboxId,
      conversation_id: conversation.displayId,
      message_type: messageTypeValue[message.messageType],
      created_at: epoch(message.createdAt),
      updated_at: iso(message.updatedAt),
      private: message.private,
      status: message.status,
      source_id: null,
      content_type: message.contentType,
      content_attributes: message.content_attributes,
      sender_type: message.sender === null ? null : message.sender.kind === "agent" ? "User" : "Contact",
      sender_id: message.sender?.id ?? null,
      external_source_ids: {},
      additional_attributes: {},
      processed_message_content: message.content,
      sentiment: {},
      conversation: {
        assignee_id: conversation.assigneeId,
        unread_count: this.store.unreadCount(conversation),
        last_activity_at: epoch(conversation.lastActivityAt),
        contact_inbox: contactInbox ? { source_id: contactInbox.sourceId } : null
      },
      ...this.attachmentsAndSender(message),
      ...extra
    }
  }

  /** `Conversation#push_event_data` (`Conversations::EventDataPresenter#push_data`), without `account_id`. */
  private conversationPushData(conversation: ConversationRow): Json {
    const contactInbox = this.store.contactInboxes.get(conversation.contactInboxId)
    const contact = this.store.contact(conversation.contactId)
    const last = this.store.lastPublicMessage(conversation)
    return {
      additional_attributes: {},
      can_reply: true,
      channel: "Channel::Api",
      contact_inbox: contactInbox
        ? {
          id: contactInbox.id,
          contact_id: contactInbox.contactId,
          inbox_id: contactInbox.inboxId,
          source_id: contactInbox.sourceId,
          created_at: iso(contactInbox.created_at),
          updated_at: iso(contactInbox.updated_at),
          hmac_verified: contactInbox.hmacVerified,
          pubsub_token: contactInbox.pubsubToken
        }
        : null,
      id: conversation.displayId,
      inbox_id: conversation.inboxId,
      messages: last ? [this.messagePayload(last)] : [],
      labels: [],
      meta: {
        sender: this.contactPushData(contact),
        assignee: conversation.assigneeId === null ? null : this.agentPushData(conversation.assigneeId),
        assignee_type: conversation.assigneeId === null ? null : "User",
        team: null,
        hmac_verified: contactInbox?.hmacVerified ?? false
      },
      status: conversation.status,
      custom_attributes: conversation.custom_attributes,
      snoozed_until: null,
      unread_count: this.store.unreadCount(conversation),
      first_reply_created_at: isoOrNull(conversation.firstReplyCreatedAt),
      priority: null,
      waiting_since: epoch(conversation.waitingSince),
      agent_last_seen_at: epoch(Option.getOrNull(conversation.agentLastSeenAt)),
      contact_last_seen_at: epoch(Option.getOrNull(conversation.contactLastSeenAt)),
      last_activity_at: epoch(conversation.lastActivityAt),
      timestamp: epoch(conversation.lastActivityAt),
      created_at: epoch(conversation.createdAt),
      updated_at: fractional(conversation.updatedAt)
    }
  }

  /** The data of `conversation.created/updated/status_changed`: push data plus the listener's `account_id`. */
  conversationPayload(conversation: ConversationRow): Json {
    return { ...this.conversationPushData(conversation), account_id: accountId }
  }

  /** The listener's typing data: `account_id` on the outer object only, never inside `conversation`. */
  typingPayload(conversation: ConversationRow, agentId: number, isPrivate: boolean): Json {
    return {
      conversation: this.conversationPushData(conversation),
      user: this.agentPushData(agentId),
      is_private: isPrivate,
      account_id: accountId
    }
  }

  /** `RoomChannel#broadcast_presence`. */
  presencePayload(): Json {
    return {
      account_id: accountId,
      users: Object.fromEntries([...this.store.agents.values()].map((agent) => [String(agent.id), agent.availability]))
    }
  }

  /** `models/_csat_survey.json.jbuilder`: the survey message and the raw `CsatSurveyResponse` record. */
  csatSurvey(message: MessageRow): Json {
    const conversation = this.store.conversation(message.conversationId)
    const response = this.store.csatResponses.get(message.id)
    return {
      id: message.id,
      csat_survey_response: response
        ? {
          id: response.id,
          account_id: accountId,
          conversation_id: conversation.databaseId,
          message_id: message.id,
          rating: response.rating,
          feedback_message: response.feedbackMessage,
          contact_id: conversation.contactId,
          assigned_agent_id: conversation.assigneeId,
          created_at: iso(response.createdAt),
          updated_at: iso(response.updatedAt)
        }
        : null,
      inbox_avatar_url: "",
      conversation_id: conversation.databaseId,
      created_at: iso(message.createdAt)
    }
  }
}

/** The size of a PNG, GIF or JPEG image, read from its header. */
const imageDimensions = (bytes: Uint8Array): { readonly width: number; readonly height: number } | undefined => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length >= 24 && view.getUint32(0) === 0x89504e47) return { width: view.getUint32(16), height: view.getUint32(20) }
  if (bytes.length >= 10 && view.getUint32(0) === 0x47494638) {
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) }
  }
  if (bytes.length >= 4 && view.getUint16(0) === 0xffd8) {
    let offset = 2
    while (offset + 9 < bytes.length && bytes[offset] === 0xff) {
      const marker = bytes[offset + 1]!
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: view.getUint16(offset + 7), height: view.getUint16(offset + 5) }
      }
      offset += 2 + view.getUint16(offset + 2)
    }
  }
  return undefined
}

/** Rails' default error bodies. @internal */
export const railsError = (status: 404 | 500) => ({
  status,
  error: status === 404 ? "Not Found" : "Internal Server Error"
})
