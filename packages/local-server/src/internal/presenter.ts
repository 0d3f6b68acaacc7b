import { Attachment, Contact, Conversation, Inbox, Message, Sender } from "@bevatel/schema"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { accountId, type ContactInboxRow, type ContactRow, type ConversationRow, type InboxRow, type MessageRow, type Store } from "./store.js"

/**
 * Builds what the real server renders, as typed `@bevatel/schema` values, and encodes them to the wire form.
 *
 * @internal
 */
export class Presenter {
  constructor(readonly store: Store, readonly baseUrl: () => string) {}

  inbox(inbox: InboxRow): Inbox.InboxEncoded {
    return Schema.encodeSync(Inbox.Inbox)({
      identifier: inbox.identifier,
      identity_validation_enabled: inbox.hmacMandatory,
      name: inbox.name,
      timezone: "UTC",
      working_hours: Array.from({ length: 7 }, (_, day) => ({
        day_of_week: day,
        closed_all_day: day === 0 || day === 6,
        open_hour: day === 0 || day === 6 ? null : 9,
        open_minutes: day === 0 || day === 6 ? null : 0,
        close_hour: day === 0 || day === 6 ? null : 17,
        close_minutes: day === 0 || day === 6 ? null : 0,
        open_all_day: false
      })),
      working_hours_enabled: false,
      csat_survey_enabled: false,
      greeting_enabled: false
    })
  }

  contactSession(row: ContactInboxRow): Contact.ContactSessionEncoded {
    const contact = this.store.contact(row.contactId)
    return Schema.encodeSync(Contact.ContactSession)({
      source_id: row.sourceId,
      pubsub_token: row.pubsubToken,
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone_number: contact.phone_number
    })
  }

  contactRecord(contact: ContactRow): Contact.ContactRecordEncoded {
    return Schema.encodeSync(Contact.ContactRecord)(this.contactRecordValue(contact))
  }

  private contactRecordValue(contact: ContactRow): Contact.ContactRecord {
    return {
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone_number: contact.phone_number,
      account_id: accountId,
      created_at: contact.created_at,
      updated_at: contact.updated_at,
      additional_attributes: contact.additional_attributes,
      identifier: contact.identifier,
      custom_attributes: contact.custom_attributes,
      last_activity_at: contact.last_activity_at,
      contact_type: "lead",
      middle_name: "",
      last_name: "",
      location: "",
      country_code: "",
      blocked: contact.blocked,
      company_id: null
    }
  }

  private contactSender(contact: ContactRow): Sender.ContactSender {
    return {
      type: "contact",
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone_number: contact.phone_number,
      identifier: contact.identifier,
      thumbnail: "",
      blocked: contact.blocked,
      additional_attributes: contact.additional_attributes,
      custom_attributes: contact.custom_attributes
    }
  }

  private agentSender(agentId: number): Sender.AgentSender {
    const agent = this.store.agents.get(agentId)
    return {
      type: "user",
      id: agentId,
      name: agent?.name ?? "Agent",
      available_name: agent?.name ?? "Agent",
      avatar_url: "",
      thumbnail: "",
      availability_status: null
    }
  }

  private sender(message: MessageRow): Sender.Sender | undefined {
    if (message.sender === null) return undefined
    if (message.sender.kind === "agent") return this.agentSender(message.sender.id)
    const contact = this.store.contacts.get(message.sender.id)
    return contact ? this.contactSender(contact) : undefined
  }

  private attachments(message: MessageRow): Array<Attachment.Attachment> {
    return message.attachments.map((attachment) => {
      const url = `${this.baseUrl()}/rails/active_storage/blobs/redirect/${attachment.id}/${encodeURIComponent(attachment.fileName)}`
      const extension = attachment.fileName.includes(".") ? attachment.fileName.split(".").at(-1)! : null
      return {
        id: attachment.id,
        message_id: attachment.messageId,
        file_type: attachment.fileType,
        account_id: accountId,
        extension,
        data_url: url,
        thumb_url: attachment.fileType === "image" ? url : "",
        file_size: attachment.bytes.byteLength,
        width: null,
        height: null,
        ...(attachment.fileType === "audio" ? { transcribed_text: "" } : {})
      }
    })
  }

  private messageValue(message: MessageRow): Message.Message {
    const sender = this.sender(message)
    const attachments = this.attachments(message)
    return {
      id: message.id,
      content: message.content,
      message_type: message.messageType,
      content_type: message.contentType,
      content_attributes: message.content_attributes,
      created_at: message.createdAt,
      conversation_id: message.conversationId,
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(sender ? { sender } : {})
    }
  }

  message(message: MessageRow): Message.MessageEncoded {
    return Schema.encodeSync(Message.Message)(this.messageValue(message))
  }

  messages(messages: ReadonlyArray<MessageRow>): ReadonlyArray<Message.MessageEncoded> {
    return Schema.encodeSync(Schema.Array(Message.Message))(messages.map((m) => this.messageValue(m)))
  }

  conversation(conversation: ConversationRow): Conversation.ConversationEncoded {
    return Schema.encodeSync(Conversation.Conversation)({
      id: conversation.displayId,
      uuid: conversation.uuid,
      inbox_id: conversation.inboxId,
      contact_last_seen_at: conversation.contactLastSeenAt,
      status: conversation.status,
      agent_last_seen_at: conversation.agentLastSeenAt,
      messages: this.store.publicMessages(conversation).map((m) => this.messageValue(m)),
      contact: this.contactRecordValue(this.store.contact(conversation.contactId))
    })
  }

  private messagePayloadValue(message: MessageRow, extra: Partial<Message.MessagePayload>): Message.MessagePayload {
    const conversation = this.store.conversation(message.conversationId)
    const contactInbox = this.store.contactInboxes.get(conversation.contactInboxId)
    const sender = this.sender(message)
    const attachments = this.attachments(message)
    return {
      id: message.id,
      content: message.content,
      account_id: accountId,
      inbox_id: conversation.inboxId,
      conversation_id: conversation.displayId,
      message_type: message.messageType,
      created_at: message.createdAt,
      updated_at: message.updatedAt,
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
        unread_count: 0,
        last_activity_at: conversation.lastActivityAt,
        contact_inbox: contactInbox ? { source_id: contactInbox.sourceId } : null
      },
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(sender ? { sender } : {}),
      ...extra
    }
  }

  messagePayload(message: MessageRow, extra: Partial<Message.MessagePayload> = {}): Message.MessagePayloadEncoded {
    return Schema.encodeSync(Message.MessagePayload)(this.messagePayloadValue(message, extra))
  }

  conversationPayload(conversation: ConversationRow): Conversation.ConversationPayloadEncoded {
    const contactInbox = this.store.contactInboxes.get(conversation.contactInboxId)
    const contact = this.store.contact(conversation.contactId)
    const last = this.store.publicMessages(conversation).at(-1)
    const assignee = conversation.assigneeId === null ? null : this.agentSender(conversation.assigneeId)
    return Schema.encodeSync(Conversation.ConversationPayload)({
      additional_attributes: {},
      can_reply: true,
      channel: "Channel::Api",
      contact_inbox: contactInbox
        ? {
          id: contactInbox.id,
          contact_id: contactInbox.contactId,
          inbox_id: contactInbox.inboxId,
          source_id: contactInbox.sourceId,
          created_at: contactInbox.created_at,
          updated_at: contactInbox.updated_at,
          hmac_verified: contactInbox.hmacVerified,
          pubsub_token: contactInbox.pubsubToken
        }
        : null,
      id: conversation.displayId,
      inbox_id: conversation.inboxId,
      messages: last ? [this.messagePayloadValue(last, {})] : [],
      labels: [],
      meta: {
        sender: this.contactSender(contact),
        assignee,
        assignee_type: assignee ? "User" : null,
        team: null,
        hmac_verified: contactInbox?.hmacVerified ?? false
      },
      status: conversation.status,
      custom_attributes: conversation.custom_attributes,
      snoozed_until: null,
      unread_count: 0,
      first_reply_created_at: conversation.firstReplyCreatedAt,
      priority: null,
      waiting_since: Option.none(),
      agent_last_seen_at: conversation.agentLastSeenAt,
      contact_last_seen_at: conversation.contactLastSeenAt,
      last_activity_at: conversation.lastActivityAt,
      timestamp: conversation.lastActivityAt,
      created_at: conversation.createdAt,
      updated_at: conversation.updatedAt,
      account_id: accountId
    })
  }

  typingPayload(conversation: ConversationRow, agentId: number, isPrivate: boolean) {
    return {
      conversation: this.conversationPayload(conversation),
      user: Schema.encodeSync(Sender.Sender)(this.agentSender(agentId)),
      is_private: isPrivate,
      account_id: accountId
    }
  }

  presencePayload() {
    return {
      account_id: accountId,
      users: Object.fromEntries([...this.store.agents.values()].map((agent) => [String(agent.id), agent.availability]))
    }
  }
}

/** Rails' default error bodies. @internal */
export const railsError = (status: 404 | 500) => ({
  status,
  error: status === 404 ? "Not Found" : "Internal Server Error"
})
