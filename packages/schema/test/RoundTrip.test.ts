import {
  Attachment,
  CableEvent,
  CableFrame,
  Contact,
  Conversation,
  ErrorBody,
  Inbox,
  Message,
  Requests,
  Sender
} from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { FastCheck, Schema } from "effect"

const schemas: Record<string, Schema.Schema<any, any>> = {
  Inbox: Inbox.Inbox,
  ContactSession: Contact.ContactSession,
  ContactRecord: Contact.ContactRecord,
  ContactInbox: Contact.ContactInbox,
  Sender: Sender.Sender,
  Attachment: Attachment.Attachment,
  Message: Message.Message,
  MessagePayload: Message.MessagePayload,
  Conversation: Conversation.Conversation,
  ConversationPayload: Conversation.ConversationPayload,
  CableEvent: CableEvent.CableEvent,
  ServerFrame: CableFrame.ServerFrame,
  ClientCommandFromJson: CableFrame.ClientCommandFromJson,
  RoomChannelIdentifier: CableFrame.RoomChannelIdentifier,
  CreateContactRequest: Requests.CreateContactRequest,
  GetContactParams: Requests.GetContactParams,
  UpdateContactRequest: Requests.UpdateContactRequest,
  CreateConversationRequest: Requests.CreateConversationRequest,
  ListMessagesParams: Requests.ListMessagesParams,
  CreateMessageRequest: Requests.CreateMessageRequest,
  UpdateMessageRequest: Requests.UpdateMessageRequest,
  ToggleTypingRequest: Requests.ToggleTypingRequest,
  ValidationErrorBody: ErrorBody.ValidationErrorBody,
  RailsErrorBody: ErrorBody.RailsErrorBody
}

// A fixed seed, as the other property tests: the same values on every run.
const seed = 20261201

/** Whether a value holds a `__proto__` key: the Schema's parser drops it from records (on purpose), so it cannot return. */
const hasProtoKey = (value: unknown): boolean =>
  typeof value === "object" && value !== null &&
  (Object.prototype.hasOwnProperty.call(value, "__proto__") || Object.values(value).some(hasProtoKey))

describe("decode ∘ encode is the identity", () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it.prop(name, [schema], ([value]) => {
      const encoded = Schema.encodeSync(schema)(value)
      FastCheck.pre(!hasProtoKey(value))
      assert.deepStrictEqual(Schema.decodeUnknownSync(schema)(encoded), value)
    }, { fastCheck: { numRuns: 50, seed } })
  }
})
