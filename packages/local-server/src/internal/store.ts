import type { Enums, Inbox, Json } from "@bevatel/schema"
import { Identifiers } from "@bevatel/schema"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import { createHmac, randomBytes, randomUUID } from "node:crypto"

/** @internal */
export const accountId = Identifiers.AccountId.make(1)

/** @internal */
export class NotFound extends Data.TaggedError("NotFound")<{ readonly resource: string }> {}

/** @internal */
export class Invalid extends Data.TaggedError("Invalid")<{
  readonly message: string
  readonly attributes: ReadonlyArray<string>
}> {}

/** A failure the real server answers with its generic 500 (HMAC mismatch). @internal */
export class ServerFailure extends Data.TaggedError("ServerFailure")<{ readonly reason: string }> {}

/** @internal */
export interface InboxRow {
  readonly id: Identifiers.InboxId
  readonly identifier: Identifiers.InboxIdentifier
  readonly name: string
  readonly hmacToken: string
  hmacMandatory: boolean
  readonly lockToSingleConversation: boolean
  readonly csatSurveyEnabled: boolean
  readonly timezone: string
  readonly workingHoursEnabled: boolean
  readonly workingHours: ReadonlyArray<Inbox.WorkingHours>
}

/** @internal */
export interface ContactRow {
  readonly id: Identifiers.ContactId
  name: string
  email: string | null
  phone_number: string | null
  identifier: string | null
  custom_attributes: Json.JsonObject
  additional_attributes: Json.JsonObject
  readonly created_at: DateTime.Utc
  updated_at: DateTime.Utc
  last_activity_at: DateTime.Utc | null
  blocked: boolean
}

/** @internal */
export interface ContactInboxRow {
  readonly id: number
  contactId: Identifiers.ContactId
  readonly inboxId: Identifiers.InboxId
  readonly sourceId: Identifiers.SourceId
  readonly pubsubToken: Identifiers.PubsubToken
  hmacVerified: boolean
  readonly created_at: DateTime.Utc
  updated_at: DateTime.Utc
}

/** @internal */
export interface ConversationRow {
  readonly displayId: Identifiers.ConversationId
  /** The primary key, which only the CSAT survey route shows. */
  readonly databaseId: number
  readonly uuid: string
  readonly inboxId: Identifiers.InboxId
  contactId: Identifiers.ContactId
  readonly contactInboxId: number
  status: Enums.ConversationStatus
  custom_attributes: Json.JsonObject
  contactLastSeenAt: Option.Option<DateTime.Utc>
  agentLastSeenAt: Option.Option<DateTime.Utc>
  assigneeId: number | null
  firstReplyCreatedAt: DateTime.Utc | null
  /** Since when the customer waits for a human answer: set by an incoming message, cleared by a reply. */
  waitingSince: DateTime.Utc | null
  readonly createdAt: DateTime.Utc
  updatedAt: DateTime.Utc
  lastActivityAt: DateTime.Utc
}

/** @internal */
export type MessageSender =
  | { readonly kind: "contact"; readonly id: Identifiers.ContactId }
  | { readonly kind: "agent"; readonly id: number }

/** @internal */
export interface AttachmentRow {
  readonly id: number
  readonly messageId: Identifiers.MessageId
  readonly fileType: Enums.AttachmentFileType
  readonly fileName: string
  readonly contentType: string
  readonly bytes: Uint8Array
}

/** @internal */
export interface MessageRow {
  readonly id: Identifiers.MessageId
  readonly conversationId: Identifiers.ConversationId
  content: string | null
  readonly messageType: "incoming" | "outgoing" | "activity" | "template"
  readonly contentType: Enums.ContentType
  content_attributes: Json.JsonObject
  readonly private: boolean
  status: Enums.MessageStatus
  readonly sender: MessageSender | null
  readonly createdAt: DateTime.Utc
  updatedAt: DateTime.Utc
  readonly attachments: Array<AttachmentRow>
}

/** A customer's answer to a CSAT survey message. @internal */
export interface CsatResponseRow {
  readonly id: number
  rating: number
  feedbackMessage: string | null
  readonly createdAt: DateTime.Utc
  updatedAt: DateTime.Utc
}

/** The i18n default of `conversations.templates.csat_input_message_body`. @internal */
export const csatMessageBody = "Please rate the conversation"

/** @internal */
export interface AgentRow {
  readonly id: number
  readonly name: string
  availability: Enums.AvailabilityStatus
}

/** The schedule `OutOfOffisable` creates for every new inbox: Monday to Friday, 9:00 to 17:00. */
const defaultWorkingHours: ReadonlyArray<Inbox.WorkingHours> = Array.from({ length: 7 }, (_, day) => {
  const weekend = day === 0 || day === 6
  return {
    day_of_week: day,
    closed_all_day: weekend,
    open_hour: weekend ? null : 9,
    open_minutes: weekend ? null : 0,
    close_hour: weekend ? null : 17,
    close_minutes: weekend ? null : 0,
    open_all_day: false
  }
})

const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

/** A 24-character base58 token, as Rails' `has_secure_token` makes them. @internal */
export const secureToken = (): string => Array.from(randomBytes(24), (byte) => base58[byte % 58]).join("")

/** @internal */
export const hmacHex = (token: string, identifier: string): string =>
  createHmac("sha256", token).update(identifier).digest("hex")

const haikuAdjectives = ["damp", "quiet", "bold", "misty", "silent", "wild", "calm", "bright"]
const haikuNouns = ["field", "river", "moon", "forest", "meadow", "cloud", "stone", "wave"]
const pick = <A>(items: ReadonlyArray<A>): A => items[randomBytes(1)[0]! % items.length]!
const haikunate = () => `${pick(haikuAdjectives)}-${pick(haikuNouns)}-${1000 + (randomBytes(2).readUInt16BE() % 9000)}`

const emailPattern = /^[^@\s]+@[^@\s]+$/
const e164Pattern = /^\+[1-9]\d{1,14}$/

/**
 * Chatwoot's flood guard (`Message#prevent_message_flooding`): at most `limit` messages of a conversation within
 * `windowMillis` (`Limits.conversation_message_per_minute_limit`, default 200 a minute), beyond which a new message is
 * refused "Too many messages". @internal
 */
export interface MessageFlood {
  readonly limit: number
  readonly windowMillis: number
}

/** A message a customer sees: no private note, no activity. */
const isPublic = (message: MessageRow): boolean => !message.private && message.messageType !== "activity"

/**
 * The server's data, in memory, with the Client API's rules. Every mutation reports what the real server would
 * broadcast through `onEvent`, which the job queue delivers a moment later.
 *
 * @internal
 */
export class Store {
  readonly inboxes = new Map<Identifiers.InboxIdentifier, InboxRow>()
  readonly contacts = new Map<number, ContactRow>()
  readonly contactInboxes = new Map<number, ContactInboxRow>()
  readonly conversations = new Map<number, ConversationRow>()
  readonly messages = new Map<number, MessageRow>()
  readonly agents = new Map<number, AgentRow>()
  /** CSAT answers by survey message id. */
  readonly csatResponses = new Map<number, CsatResponseRow>()
  private nextId = {
    inbox: 1,
    contact: 1,
    contactInbox: 1,
    conversation: 1,
    conversationRow: 301,
    message: 1,
    attachment: 1,
    csatResponse: 1
  }

  /** Each conversation's messages by display id, oldest first: the rows themselves, so updates show. */
  private readonly messagesByConversation = new Map<number, Array<MessageRow>>()

  constructor(
    readonly now: () => DateTime.Utc,
    readonly onEvent: (event: StoreEvent) => void,
    agents: ReadonlyArray<{ readonly id: number; readonly name: string }> = [{ id: 1, name: "Bevatel Agent" }],
    readonly messageFlood: MessageFlood = { limit: 200, windowMillis: 60_000 }
  ) {
    for (const agent of agents) this.agents.set(agent.id, { ...agent, availability: "online" })
  }

  /** The agent that acts when none is named: the first one. */
  get defaultAgentId(): number {
    return this.agents.keys().next().value ?? 1
  }

  addInbox(options: {
    readonly identifier?: string | undefined
    readonly name?: string | undefined
    readonly hmacToken?: string | undefined
    readonly hmacMandatory?: boolean | undefined
    readonly lockToSingleConversation?: boolean | undefined
    readonly csatSurveyEnabled?: boolean | undefined
    readonly timezone?: string | undefined
    readonly workingHoursEnabled?: boolean | undefined
    readonly workingHours?: ReadonlyArray<Inbox.WorkingHours> | undefined
  }): InboxRow {
    const row: InboxRow = {
      id: Identifiers.InboxId.make(this.nextId.inbox++),
      identifier: Identifiers.InboxIdentifier.make(options.identifier ?? secureToken()),
      name: options.name ?? "Local inbox",
      hmacToken: options.hmacToken ?? secureToken(),
      hmacMandatory: options.hmacMandatory ?? false,
      lockToSingleConversation: options.lockToSingleConversation ?? false,
      csatSurveyEnabled: options.csatSurveyEnabled ?? false,
      timezone: options.timezone ?? "UTC",
      workingHoursEnabled: options.workingHoursEnabled ?? false,
      workingHours: options.workingHours ?? defaultWorkingHours
    }
    this.inboxes.set(row.identifier, row)
    return row
  }

  inbox(identifier: string): InboxRow {
    const inbox = this.inboxes.get(identifier as Identifiers.InboxIdentifier)
    if (!inbox) throw new NotFound({ resource: "inbox" })
    return inbox
  }

  // Indexes, so that a server holding thousands of customers answers each request in constant time.
  private readonly bySourceId = new Map<string, ContactInboxRow>()
  private readonly byToken = new Map<string, ContactInboxRow>()
  private readonly byContactInbox = new Map<number, Array<ConversationRow>>()

  contactInbox(inbox: InboxRow, sourceId: string): ContactInboxRow {
    const row = this.bySourceId.get(`${inbox.id}/${sourceId}`)
    if (!row) throw new NotFound({ resource: "contact" })
    return row
  }

  contactInboxByToken(token: string): ContactInboxRow | undefined {
    return this.byToken.get(token)
  }

  contact(id: number): ContactRow {
    const contact = this.contacts.get(id)
    if (!contact) throw new NotFound({ resource: "contact" })
    return contact
  }

  /** `process_hmac`: skipped when no hash is given and the inbox does not enforce it. */
  checkHmac(inbox: InboxRow, identifier: string | undefined, identifierHash: string | undefined): boolean {
    if (!identifierHash && !inbox.hmacMandatory) return false
    if (identifierHash !== hmacHex(inbox.hmacToken, identifier ?? "")) {
      throw new ServerFailure({ reason: "HMAC failed: Invalid Identifier Hash Provided" })
    }
    return true
  }

  createContact(inbox: InboxRow, params: {
    readonly source_id?: string | undefined
    readonly identifier?: string | undefined
    readonly email?: string | undefined
    readonly name?: string | undefined
    readonly phone_number?: string | undefined
    readonly custom_attributes?: Json.JsonObject | undefined
  }): ContactInboxRow {
    if (params.source_id) {
      const existing = this.bySourceId.get(`${inbox.id}/${params.source_id}`)
      if (existing) return existing
    }
    const email = params.email ? params.email.toLowerCase() : null
    const contact = this.findContact(params.identifier, email, params.phone_number) ??
      this.insertContact({
        name: params.name ?? haikunate(),
        email,
        phone_number: params.phone_number ?? null,
        identifier: params.identifier ?? null,
        custom_attributes: params.custom_attributes ?? {}
      })
    const now = this.now()
    const row: ContactInboxRow = {
      id: this.nextId.contactInbox++,
      contactId: contact.id,
      inboxId: inbox.id,
      sourceId: Identifiers.SourceId.make(params.source_id || randomUUID()),
      pubsubToken: Identifiers.PubsubToken.make(secureToken()),
      hmacVerified: false,
      created_at: now,
      updated_at: now
    }
    this.contactInboxes.set(row.id, row)
    this.bySourceId.set(`${inbox.id}/${row.sourceId}`, row)
    this.byToken.set(row.pubsubToken, row)
    return row
  }

  private findContact(identifier: string | undefined, email: string | null, phone: string | undefined) {
    const contacts = [...this.contacts.values()]
    return (identifier ? contacts.find((c) => c.identifier === identifier) : undefined) ??
      (email ? contacts.find((c) => c.email === email) : undefined) ??
      (phone ? contacts.find((c) => c.phone_number === phone) : undefined)
  }

  private insertContact(fields: Pick<ContactRow, "name" | "email" | "phone_number" | "identifier" | "custom_attributes">) {
    this.validateContactFields(fields.email, fields.phone_number, undefined)
    const now = this.now()
    const contact: ContactRow = {
      id: Identifiers.ContactId.make(this.nextId.contact++),
      ...fields,
      additional_attributes: {},
      created_at: now,
      updated_at: now,
      last_activity_at: null,
      blocked: false
    }
    this.contacts.set(contact.id, contact)
    return contact
  }

  private validateContactFields(email: string | null, phone: string | null, self: number | undefined) {
    const others = [...this.contacts.values()].filter((c) => c.id !== self)
    if (email && !emailPattern.test(email)) {
      throw new Invalid({ message: "Email Invalid email", attributes: ["email"] })
    }
    // `allow_blank: true` on both validations (app/models/contact.rb): a blank email or phone number is not checked.
    if (phone && !e164Pattern.test(phone)) {
      throw new Invalid({ message: "Phone number should be in e164 format", attributes: ["phone_number"] })
    }
    if (email && others.some((c) => c.email === email)) {
      throw new Invalid({ message: "Email has already been taken", attributes: ["email"] })
    }
    if (phone && others.some((c) => c.phone_number === phone)) {
      throw new Invalid({ message: "Phone number has already been taken", attributes: ["phone_number"] })
    }
  }

  /** `ContactIdentifyAction` without `identifier`: blanks ignored, attributes deep-merged, merges on clash. */
  updateContact(contactInbox: ContactInboxRow, params: {
    readonly name?: string | undefined
    readonly email?: string | undefined
    readonly phone_number?: string | undefined
    readonly custom_attributes?: Json.JsonObject | undefined
  }): ContactRow {
    let contact = this.contact(contactInbox.contactId)
    const email = params.email ? params.email.toLowerCase() : undefined
    const owner = [...this.contacts.values()].find((c) =>
      c.id !== contact.id &&
      ((email !== undefined && c.email === email) || (params.phone_number && c.phone_number === params.phone_number))
    )
    if (owner) {
      this.mergeContact(contact, owner)
      contact = owner
    }
    this.validateContactFields(email ?? null, params.phone_number || null, contact.id)
    if (params.name) contact.name = params.name
    if (email) contact.email = email
    if (params.phone_number) contact.phone_number = params.phone_number
    if (params.custom_attributes) contact.custom_attributes = deepMerge(contact.custom_attributes, params.custom_attributes)
    contact.updated_at = this.now()
    return contact
  }

  private mergeContact(from: ContactRow, into: ContactRow) {
    for (const row of this.contactInboxes.values()) if (row.contactId === from.id) row.contactId = into.id
    for (const row of this.conversations.values()) if (row.contactId === from.id) row.contactId = into.id
    this.contacts.delete(from.id)
  }

  /** Conversations the session may see: all of the contact's when identity-verified, else its own. */
  visibleConversations(contactInbox: ContactInboxRow): Array<ConversationRow> {
    if (!contactInbox.hmacVerified) return [...(this.byContactInbox.get(contactInbox.id) ?? [])]
    return [...this.conversations.values()].filter((c) => c.contactId === contactInbox.contactId)
  }

  visibleConversation(contactInbox: ContactInboxRow, displayId: number): ConversationRow {
    const conversation = this.visibleConversations(contactInbox).find((c) => c.displayId === displayId)
    if (!conversation) throw new NotFound({ resource: "conversation" })
    return conversation
  }

  /** The messages routes look up any conversation of the contact, identity-verified or not. */
  contactConversation(contactInbox: ContactInboxRow, displayId: number): ConversationRow {
    const conversation = this.conversations.get(displayId)
    if (!conversation || conversation.contactId !== contactInbox.contactId) {
      throw new NotFound({ resource: "conversation" })
    }
    return conversation
  }

  conversation(displayId: number): ConversationRow {
    const conversation = this.conversations.get(displayId)
    if (!conversation) throw new NotFound({ resource: "conversation" })
    return conversation
  }

  createConversation(inbox: InboxRow, contactInbox: ContactInboxRow, customAttributes: Json.JsonObject): ConversationRow {
    if (inbox.lockToSingleConversation) {
      const existing = this.byContactInbox.get(contactInbox.id)?.at(-1)
      if (existing) return existing
    }
    const now = this.now()
    const conversation: ConversationRow = {
      displayId: Identifiers.ConversationId.make(this.nextId.conversation++),
      databaseId: this.nextId.conversationRow++,
      uuid: randomUUID(),
      inboxId: inbox.id,
      contactId: contactInbox.contactId,
      contactInboxId: contactInbox.id,
      status: this.contact(contactInbox.contactId).blocked ? "resolved" : "open",
      custom_attributes: customAttributes,
      contactLastSeenAt: Option.none(),
      agentLastSeenAt: Option.none(),
      assigneeId: null,
      firstReplyCreatedAt: null,
      waitingSince: null,
      createdAt: now,
      updatedAt: now,
      lastActivityAt: now
    }
    this.conversations.set(conversation.displayId, conversation)
    const own = this.byContactInbox.get(contactInbox.id)
    if (own) own.push(conversation)
    else this.byContactInbox.set(contactInbox.id, [conversation])
    this.onEvent({ _tag: "ConversationCreated", conversation })
    return conversation
  }

  /**
   * Changes the status: `conversation.status_changed` and `conversation.updated`. Resolving an inbox with CSAT
   * enabled posts the survey (`CsatSurveyService`), once per conversation.
   */
  setStatus(conversation: ConversationRow, status: Enums.ConversationStatus, resolvedBy?: string): void {
    if (conversation.status === status) return
    conversation.status = status
    conversation.updatedAt = this.now()
    if (status === "resolved" && resolvedBy !== undefined) {
      this.insertMessage(conversation, {
        content: `Conversation was marked resolved by ${resolvedBy}`,
        messageType: "activity",
        sender: null
      })
    }
    this.onEvent({ _tag: "ConversationStatusChanged", conversation })
    this.onEvent({ _tag: "ConversationUpdated", conversation })
    if (status === "resolved") this.sendCsatSurvey(conversation)
  }

  private sendCsatSurvey(conversation: ConversationRow): void {
    const inbox = [...this.inboxes.values()].find((row) => row.id === conversation.inboxId)
    if (!inbox?.csatSurveyEnabled || this.csatMessage(conversation) !== undefined) return
    this.insertMessage(conversation, {
      content: csatMessageBody,
      messageType: "template",
      sender: null,
      contentType: "input_csat",
      contentAttributes: { display_type: "emoji", assigned_agent_id: conversation.assigneeId }
    })
  }

  /** The conversation's CSAT survey message, if one was sent. */
  csatMessage(conversation: ConversationRow): MessageRow | undefined {
    return this.messagesOf(conversation).find((m) => m.contentType === "input_csat")
  }

  conversationByUuid(uuid: string): ConversationRow {
    const conversation = [...this.conversations.values()].find((c) => c.uuid === uuid)
    if (!conversation) throw new NotFound({ resource: "conversation" })
    return conversation
  }

  /** Records the customer's answer in the survey message (`message.updated`) and its response record. */
  answerCsat(message: MessageRow, answer: { readonly rating: number; readonly feedback_message?: string | undefined }) {
    const now = this.now()
    const existing = this.csatResponses.get(message.id)
    if (existing) {
      existing.rating = answer.rating
      existing.feedbackMessage = answer.feedback_message ?? null
      existing.updatedAt = now
    } else {
      this.csatResponses.set(message.id, {
        id: this.nextId.csatResponse++,
        rating: answer.rating,
        feedbackMessage: answer.feedback_message ?? null,
        createdAt: now,
        updatedAt: now
      })
    }
    return this.updateMessage(message, {
      contentAttributes: { ...message.content_attributes, submitted_values: { csat_survey_response: answer } }
    })
  }

  /** Assigns the conversation to an agent, or unassigns it: `conversation.updated`. */
  assign(conversation: ConversationRow, agentId: number | null): void {
    if (agentId !== null && !this.agents.has(agentId)) throw new NotFound({ resource: "agent" })
    if (conversation.assigneeId === agentId) return
    conversation.assigneeId = agentId
    conversation.updatedAt = this.now()
    this.onEvent({ _tag: "ConversationUpdated", conversation })
  }

  /**
   * `update_last_seen`: stores the time, then `Conversations::UpdateMessageStatusJob` marks every message that is
   * not incoming, `sent` or `delivered`, created up to then, as `read` — a `message.updated` each.
   */
  markSeen(conversation: ConversationRow): void {
    const now = this.now()
    conversation.contactLastSeenAt = Option.some(now)
    for (const message of [...this.messagesOf(conversation)]) {
      if (
        message.messageType !== "incoming" &&
        (message.status === "sent" || message.status === "delivered") && !DateTime.greaterThan(message.createdAt, now)
      ) {
        this.updateMessage(message, { status: "read" })
      }
    }
  }

  /** Incoming messages since the agent last looked, capped at 10 (`Conversation#unread_incoming_messages`). */
  unreadCount(conversation: ConversationRow): number {
    const seen = Option.getOrUndefined(conversation.agentLastSeenAt)
    const messages = this.messagesOf(conversation)
    let unread = 0
    // Newest first, and no further than the agent's last look: every event presents this count.
    for (let i = messages.length - 1; i >= 0 && unread < 10; i--) {
      const message = messages[i]!
      if (seen !== undefined && !DateTime.greaterThan(message.createdAt, seen)) break
      if (isPublic(message) && message.messageType === "incoming") unread++
    }
    return unread
  }

  /** A conversation's messages, every kind, oldest first. */
  messagesOf(conversation: ConversationRow): ReadonlyArray<MessageRow> {
    return this.messagesByConversation.get(conversation.displayId) ?? []
  }

  /** Public messages (no private notes, no activity), oldest first. */
  publicMessages(conversation: ConversationRow): Array<MessageRow> {
    return this.messagesOf(conversation).filter(isPublic)
  }

  /** The newest public message, found from the end: every conversation event presents it. */
  lastPublicMessage(conversation: ConversationRow): MessageRow | undefined {
    const messages = this.messagesOf(conversation)
    for (let i = messages.length - 1; i >= 0; i--) if (isPublic(messages[i]!)) return messages[i]
    return undefined
  }

  /** The 20 newest public messages with an id below `before`, oldest first. */
  messagePage(conversation: ConversationRow, before: number | undefined): Array<MessageRow> {
    const older = this.publicMessages(conversation).filter((m) => before === undefined || m.id < before)
    return older.slice(-20)
  }

  createIncomingMessage(
    conversation: ConversationRow,
    contactInbox: ContactInboxRow,
    content: string | null,
    echoId: string | undefined,
    attachments: ReadonlyArray<{ readonly fileName: string; readonly contentType: string; readonly bytes: Uint8Array }>
  ): MessageRow {
    if (content !== null && content.length > 150_000) {
      throw new Invalid({ message: "Content is too long (maximum is 150000 characters)", attributes: ["content"] })
    }
    if (this.floodGuardReached(conversation)) {
      throw new Invalid({ message: "Too many messages", attributes: ["base"] })
    }
    const message = this.insertMessage(conversation, {
      content,
      messageType: "incoming",
      sender: { kind: "contact", id: contactInbox.contactId },
      echoId,
      attachments
    })
    this.contact(contactInbox.contactId).last_activity_at = message.createdAt
    if (conversation.status === "snoozed" || conversation.status === "resolved") this.setStatus(conversation, "open")
    if (conversation.waitingSince === null) {
      conversation.waitingSince = message.createdAt
      this.onEvent({ _tag: "ConversationUpdated", conversation })
    }
    return message
  }

  createAgentMessage(conversation: ConversationRow, options: {
    readonly content: string | null
    readonly agentId: number
    readonly private?: boolean | undefined
    readonly contentType?: Enums.ContentType | undefined
    readonly contentAttributes?: Json.JsonObject | undefined
  }): MessageRow {
    if (!this.agents.has(options.agentId)) throw new NotFound({ resource: "agent" })
    const message = this.insertMessage(conversation, {
      content: options.content,
      messageType: "outgoing",
      sender: { kind: "agent", id: options.agentId },
      private: options.private ?? false,
      contentType: options.contentType,
      contentAttributes: options.contentAttributes
    })
    if (!message.private && (conversation.firstReplyCreatedAt === null || conversation.waitingSince !== null)) {
      // A human reply: the first one is recorded, and the customer no longer waits.
      if (conversation.firstReplyCreatedAt === null) conversation.firstReplyCreatedAt = message.createdAt
      conversation.waitingSince = null
      this.onEvent({ _tag: "ConversationUpdated", conversation })
    }
    return message
  }

  /** How many messages the conversation has had within the flood guard's window (older times are let go). */
  /**
   * Whether the conversation has had the flood guard's limit of messages within its window: counted from the newest
   * message back, no further than the window or the limit.
   */
  private floodGuardReached(conversation: ConversationRow): boolean {
    const messages = this.messagesOf(conversation)
    const since = this.now().epochMillis - this.messageFlood.windowMillis
    let recent = 0
    for (let i = messages.length - 1; i >= 0 && recent < this.messageFlood.limit; i--) {
      if (messages[i]!.createdAt.epochMillis <= since) break
      recent++
    }
    return recent >= this.messageFlood.limit
  }

  private insertMessage(conversation: ConversationRow, options: {
    readonly content: string | null
    readonly messageType: MessageRow["messageType"]
    readonly sender: MessageSender | null
    readonly private?: boolean | undefined
    readonly contentType?: Enums.ContentType | undefined
    readonly contentAttributes?: Json.JsonObject | undefined
    readonly echoId?: string | undefined
    readonly attachments?:
      | ReadonlyArray<{ readonly fileName: string; readonly contentType: string; readonly bytes: Uint8Array }>
      | undefined
  }): MessageRow {
    const now = this.now()
    const id = Identifiers.MessageId.make(this.nextId.message++)
    const message: MessageRow = {
      id,
      conversationId: conversation.displayId,
      content: options.content,
      messageType: options.messageType,
      contentType: options.contentType ?? "text",
      content_attributes: options.contentAttributes ?? {},
      private: options.private ?? false,
      status: "sent",
      sender: options.sender,
      createdAt: now,
      updatedAt: now,
      attachments: (options.attachments ?? []).map((file) => ({
        id: this.nextId.attachment++,
        messageId: id,
        fileType: fileTypeOf(file.contentType),
        fileName: file.fileName,
        contentType: file.contentType,
        bytes: file.bytes
      }))
    }
    this.messages.set(message.id, message)
    const ofConversation = this.messagesByConversation.get(conversation.displayId)
    if (ofConversation === undefined) this.messagesByConversation.set(conversation.displayId, [message])
    else ofConversation.push(message)
    conversation.lastActivityAt = now
    conversation.updatedAt = now
    if (!message.private && message.messageType !== "activity") {
      this.onEvent({ _tag: "MessageCreated", message, echoId: options.echoId })
    }
    return message
  }

  message(conversation: ConversationRow, id: number): MessageRow {
    const message = this.messages.get(id)
    if (!message || message.conversationId !== conversation.displayId) throw new NotFound({ resource: "message" })
    return message
  }

  updateMessage(message: MessageRow, changes: {
    readonly content?: string | null | undefined
    readonly contentAttributes?: Json.JsonObject | undefined
    readonly status?: Enums.MessageStatus | undefined
  }): MessageRow {
    const previous: Record<string, [unknown, unknown]> = {}
    if (changes.content !== undefined && changes.content !== message.content) {
      previous.content = [message.content, changes.content]
      message.content = changes.content
    }
    if (changes.contentAttributes !== undefined) {
      previous.content_attributes = [message.content_attributes, changes.contentAttributes]
      message.content_attributes = changes.contentAttributes
    }
    if (changes.status !== undefined && changes.status !== message.status) {
      previous.status = [message.status, changes.status]
      message.status = changes.status
    }
    if (Object.keys(previous).length > 0) {
      const before = message.updatedAt
      message.updatedAt = this.now()
      previous.updated_at = [DateTime.formatIso(before), DateTime.formatIso(message.updatedAt)]
      if (!message.private && message.messageType !== "activity") {
        this.onEvent({ _tag: "MessageUpdated", message, previousChanges: previous })
      }
    }
    return message
  }

  attachment(id: number): AttachmentRow | undefined {
    for (const message of this.messages.values()) {
      const attachment = message.attachments.find((a) => a.id === id)
      if (attachment) return attachment
    }
    return undefined
  }

  /** The tokens that receive a conversation's events: every verified session of the contact, or its own. */
  tokensOf(conversation: ConversationRow): Array<Identifiers.PubsubToken> {
    const own = this.contactInboxes.get(conversation.contactInboxId)
    if (!own) return []
    if (!own.hmacVerified) return [own.pubsubToken]
    return [...this.contactInboxes.values()]
      .filter((row) => row.contactId === conversation.contactId && row.hmacVerified)
      .map((row) => row.pubsubToken)
  }
}

/** What the server broadcasts, evaluated when the job runs. @internal */
export type StoreEvent =
  | { readonly _tag: "ConversationCreated"; readonly conversation: ConversationRow }
  | { readonly _tag: "ConversationStatusChanged"; readonly conversation: ConversationRow }
  | { readonly _tag: "ConversationUpdated"; readonly conversation: ConversationRow }
  | { readonly _tag: "MessageCreated"; readonly message: MessageRow; readonly echoId: string | undefined }
  | { readonly _tag: "MessageUpdated"; readonly message: MessageRow; readonly previousChanges: Json.JsonObject }
  | {
    readonly _tag: "Typing"
    readonly conversation: ConversationRow
    readonly status: Enums.TypingStatus
    readonly agentId: number
    readonly isPrivate: boolean
  }

const fileTypeOf = (contentType: string): Enums.AttachmentFileType => {
  if (/^image\/(jpeg|png|gif|bmp|webp)$/.test(contentType)) return "image"
  if (/^video\/(ogg|mp4|webm|quicktime)$/.test(contentType)) return "video"
  if (contentType.includes("audio/")) return "audio"
  return "file"
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const deepMerge = (target: Json.JsonObject, source: Json.JsonObject): Json.JsonObject => {
  const out: Record<string, unknown> = { ...target }
  for (const [key, value] of Object.entries(source)) {
    const current = out[key]
    out[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : value
  }
  return out
}
