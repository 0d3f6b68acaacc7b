import { Attachment, Contact, Conversation, Inbox, Message, Sender } from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either, Option, ParseResult, Schema } from "effect"
import * as fixtures from "./fixtures.js"

const roundTrips = <A, I>(schema: Schema.Schema<A, I>, wire: unknown) => {
  const decoded = Schema.decodeUnknownSync(schema)(wire)
  assert.deepStrictEqual(Schema.encodeSync(schema)(decoded), wire)
  return decoded
}

const withExtraFields = <A extends object>(wire: A) => ({ ...wire, added_in_a_later_version: { nested: true } })

describe("entities", () => {
  it("decodes an inbox and encodes it back to the wire form", () => {
    const inbox = roundTrips(Inbox.Inbox, fixtures.inbox)
    assert.strictEqual(inbox.working_hours[1]?.close_minutes, 30)
    assert.strictEqual(inbox.working_hours[0]?.open_hour, null)
  })

  it("decodes a contact session, ignoring fields it does not know", () => {
    const session = Schema.decodeUnknownSync(Contact.ContactSession)(withExtraFields(fixtures.contactSession))
    assert.strictEqual(session.source_id, fixtures.contactSession.source_id)
    assert.strictEqual(session.email, null)
    assert.deepStrictEqual(Schema.encodeSync(Contact.ContactSession)(session), fixtures.contactSession)
  })

  it("decodes the raw contact record with ISO timestamps", () => {
    const record = roundTrips(Contact.ContactRecord, fixtures.contactRecord)
    assert.strictEqual(DateTime.toEpochMillis(record.updated_at!), Date.parse("2026-02-13T10:05:00.123Z"))
    assert.strictEqual(record.last_activity_at, null)
  })

  it("decodes a contact record of an older server that lacks newer columns", () => {
    const { blocked: _b, company_id: _c, contact_type: _t, country_code: _cc, last_name: _l, location: _lo, middle_name: _m, ...old } =
      fixtures.contactRecord
    const record = roundTrips(Contact.ContactRecord, old)
    assert.isUndefined(record.blocked)
  })

  it("decodes a REST message with attachments of several kinds, a null attachment and an agent sender", () => {
    const message = roundTrips(Message.Message, fixtures.restMessage)
    assert.strictEqual(message.message_type, "outgoing")
    assert.strictEqual(DateTime.toEpochMillis(message.created_at), 1770976800_000)
    assert.strictEqual(message.attachments?.[1]?.coordinates_lat, 24.7136)
    assert.isNull(message.attachments?.[2])
    assert.strictEqual(message.sender?.type, "user")
  })

  it("keeps unknown enum values instead of failing", () => {
    const message = roundTrips(Message.Message, {
      ...fixtures.restMessage,
      message_type: 9,
      content_type: "hologram",
      attachments: [{ ...fixtures.imageAttachment, file_type: "smell" }]
    })
    assert.strictEqual(message.message_type, 9)
    assert.strictEqual(message.content_type, "hologram")
    assert.strictEqual(message.attachments?.[0]?.file_type, "smell")
  })

  it("keeps a sender of an unknown kind whole", () => {
    const wire = { id: 3, type: "captain_v2", name: "Robo", extra: [1, 2] }
    const sender = roundTrips(Sender.Sender, wire)
    assert.deepStrictEqual(sender, wire)
  })

  it("decodes every sender kind by its type", () => {
    const bot = roundTrips(Sender.Sender, { id: 1, name: "Bot", avatar_url: null, type: "agent_bot" })
    const assistant = roundTrips(Sender.Sender, {
      id: 2,
      name: "Captain",
      avatar_url: "",
      description: "AI",
      created_at: "2026-01-01T00:00:00.000Z",
      type: "captain_assistant"
    })
    const contact = roundTrips(Sender.Sender, fixtures.contactSender)
    assert.deepStrictEqual([bot.type, assistant.type, contact.type], ["agent_bot", "captain_assistant", "contact"])
  })

  it("decodes a REST conversation with 0 as 'never seen'", () => {
    const conversation = roundTrips(Conversation.Conversation, fixtures.conversation)
    assert.isTrue(Option.isNone(conversation.contact_last_seen_at))
    assert.isTrue(Option.isSome(conversation.agent_last_seen_at))
    assert.deepStrictEqual(conversation.messages.map((m) => m.message_type), ["incoming", "outgoing"])
  })

  it("decodes cable message and conversation payloads, float seconds included", () => {
    const message = roundTrips(Message.MessagePayload, fixtures.messagePayload)
    assert.strictEqual(message.status, "sent")
    const echo = roundTrips(Message.MessagePayload, fixtures.echoPayload)
    assert.strictEqual(echo.echo_id, "b1f2c3d4-echo")
    const conversation = roundTrips(Conversation.ConversationPayload, fixtures.conversationPayload)
    assert.strictEqual(conversation.updated_at, 1770976860.123)
    assert.strictEqual(conversation.contact_inbox?.pubsub_token, fixtures.contactInbox.pubsub_token)
  })

  it("accepts ISO strings where Unix seconds are expected, and encodes the field's own form", () => {
    const decoded = Schema.decodeUnknownSync(Message.Message)({ ...fixtures.restMessage, created_at: "2026-02-13T10:00:00.000Z" })
    assert.strictEqual(Schema.encodeSync(Message.Message)(decoded).created_at, 1770976800)
  })

  it("decodes an attachment of each shape", () => {
    const image = roundTrips(Attachment.Attachment, fixtures.imageAttachment)
    const audio = roundTrips(Attachment.Attachment, { ...fixtures.imageAttachment, file_type: "audio", transcribed_text: "" })
    const contact = roundTrips(Attachment.Attachment, {
      id: 8,
      message_id: 101,
      file_type: "contact",
      account_id: 1,
      fallback_title: "+15555550123",
      meta: { firstName: "Ada" }
    })
    assert.deepStrictEqual([image.width, audio.transcribed_text, contact.meta], [640, "", { firstName: "Ada" }])
  })

  it("names the bad path of a malformed payload", () => {
    const result = Schema.decodeUnknownEither(Conversation.Conversation)({
      ...fixtures.conversation,
      messages: [fixtures.incomingRestMessage, { ...fixtures.restMessage, id: "not-a-number" }]
    })
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.instanceOf(result.left, ParseResult.ParseError)
      const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left)
      assert.deepStrictEqual(issues[0]?.path, ["messages", 1, "id"])
    }
  })

  it("rejects a timestamp that is neither seconds nor an ISO string", () => {
    const result = Schema.decodeUnknownEither(Message.Message)({ ...fixtures.restMessage, created_at: "yesterday" })
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.include(ParseResult.TreeFormatter.formatErrorSync(result.left), "created_at")
    }
  })
})
