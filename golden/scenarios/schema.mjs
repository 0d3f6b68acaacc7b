// What `@bevatel/schema` must do, written once for both Effect lines: each line's test file hands in its own
// `@bevatel/schema` module and the few operations whose names differ between Effect 3 and Effect 4, and runs every
// scenario as a test. Plain JavaScript, no Effect.
import * as fixtures from "../fixtures.mjs"
import { cableCases, cases, restCases } from "../index.mjs"
import { mutate } from "../mutations.mjs"

/** Every path at which two JSON values differ, so that a failure names each one. */
const differences = (expected, actual, path = "$") => {
  if (typeof expected !== "object" || expected === null || typeof actual !== "object" || actual === null) {
    return Object.is(expected, actual) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`]
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
  return [...keys].flatMap((key) => differences(expected[key], actual[key], `${path}.${key}`))
}

const identifier = "{\"channel\":\"RoomChannel\",\"pubsub_token\":\"Qm7vXc2PnR8sTy4wZa6bKd9e\"}"

/** The schema of each REST case's body, of `S` (a line's `@bevatel/schema`). */
export const restSchemas = (S, line) => ({
  "rest.contacts.create.json": S.Contact.ContactSession,
  "rest.contacts.update.raw-model.json": S.Contact.ContactRecord,
  "rest.conversations.show.json": S.Conversation.Conversation,
  "rest.messages.index.json": line.array(S.Message.Message),
  "rest.messages.create.json": S.Message.Message,
  "rest.csat_survey.update.json": S.CsatSurvey.CsatSurvey
})

/** The schemas whose generated values must survive `decode ∘ encode`, by name. */
export const roundTripSchemas = (S) => ({
  Inbox: S.Inbox.Inbox,
  ContactSession: S.Contact.ContactSession,
  ContactRecord: S.Contact.ContactRecord,
  ContactInbox: S.Contact.ContactInbox,
  Sender: S.Sender.Sender,
  Attachment: S.Attachment.Attachment,
  Message: S.Message.Message,
  MessagePayload: S.Message.MessagePayload,
  Conversation: S.Conversation.Conversation,
  ConversationPayload: S.Conversation.ConversationPayload,
  CableEvent: S.CableEvent.CableEvent,
  ServerFrame: S.CableFrame.ServerFrame,
  ClientCommandFromJson: S.CableFrame.ClientCommandFromJson,
  RoomChannelIdentifier: S.CableFrame.RoomChannelIdentifier,
  CreateContactRequest: S.Requests.CreateContactRequest,
  GetContactParams: S.Requests.GetContactParams,
  UpdateContactRequest: S.Requests.UpdateContactRequest,
  CreateConversationRequest: S.Requests.CreateConversationRequest,
  ListMessagesParams: S.Requests.ListMessagesParams,
  CreateMessageRequest: S.Requests.CreateMessageRequest,
  UpdateMessageRequest: S.Requests.UpdateMessageRequest,
  ToggleTypingRequest: S.Requests.ToggleTypingRequest,
  ValidationErrorBody: S.ErrorBody.ValidationErrorBody,
  RailsErrorBody: S.ErrorBody.RailsErrorBody
})

export const schemaScenarios = (line, assert) => {
  const S = line.module
  const decode = (schema) => (input) => line.decode(schema, input)
  const encode = (schema) => (value) => line.encode(schema, value)
  const rejects = (schema, input) => {
    const issues = line.issues(schema, input)
    assert.isAbove(issues.length, 0, `expected ${JSON.stringify(input)?.slice(0, 200)} to be rejected`)
    return issues
  }
  const messageOf = (schema, input) => rejects(schema, input).map((issue) => issue.message).join("\n")
  const roundTrips = (schema, wire) => {
    const decoded = line.decode(schema, wire)
    assert.deepStrictEqual(line.encode(schema, decoded), wire)
    return decoded
  }
  const withExtraFields = (wire) => ({ ...wire, added_in_a_later_version: { nested: true } })
  const decodeEvent = decode(S.CableEvent.CableEvent)
  const encodeEvent = encode(S.CableEvent.CableEvent)
  const decodeFrame = decode(S.CableFrame.ServerFrameFromJson)
  const caseNamed = (name) => cases.find((c) => c.name === name).json
  const typingFrame = caseNamed("cable.conversation.typing_on.agent.json")
  const replyFrame = caseNamed("cable.message.created.agent-reply.json")
  const rest = restSchemas(S, line)
  const wireEvents = [
    { event: "message.created", data: fixtures.echoPayload },
    { event: "message.updated", data: { ...fixtures.messagePayload, previous_changes: { status: ["sent", "read"] } } },
    { event: "conversation.created", data: fixtures.conversationPayload },
    { event: "conversation.updated", data: fixtures.conversationPayload },
    { event: "conversation.status_changed", data: fixtures.conversationPayload },
    { event: "conversation.typing_on", data: fixtures.typingPayload },
    { event: "conversation.typing_off", data: { ...fixtures.typingPayload, is_private: true } },
    { event: "presence.update", data: fixtures.presencePayload },
    { event: "conversation.read", data: { id: 3, something: "new" } }
  ]

  const scenarios = [
    // The golden corpus: what the real server sends.
    ["golden: holds every case of the reference corpus", () => {
      assert.isAtLeast(cases.length, 16)
      for (const { name } of cases) assert.isTrue(name.startsWith("cable.") || name in rest, `no schema for ${name}`)
    }],
    ...cases.filter((c) => c.name.startsWith("cable.")).map(({ json, name }) => [
      `golden: ${name}: the frame and its event decode to a typed event and encode back to the same JSON`,
      () => {
        const frame = decodeFrame(JSON.stringify(json))
        assert.isTrue("message" in frame)
        const event = decodeEvent(frame.message)
        assert.notInclude(["Unknown", "Undecodable"], event._tag, JSON.stringify(event).slice(0, 300))
        assert.deepStrictEqual(differences(frame.message, encodeEvent(event)), [])
      }
    ]),
    ...cases.filter((c) => c.name.startsWith("rest.")).map(({ json, name }) => [
      `golden: ${name}: the body decodes and encodes back to the same JSON`,
      () => assert.deepStrictEqual(differences(json.body, line.encode(rest[name], line.decode(rest[name], json.body))), [])
    ]),
    ["golden: typing: the nested conversation has no account_id and still routes by its id", () => {
      const event = decodeEvent(typingFrame.message)
      assert.strictEqual(event._tag, "TypingOn")
      assert.strictEqual(event.data.conversation.id, 7)
      assert.isUndefined(event.data.conversation.account_id)
      assert.strictEqual(event.data.user?.type, "user")
      assert.isFalse(event.data.is_private)
    }],
    ["golden: read receipt: message.updated carries status read and what changed", () => {
      const event = decodeEvent(caseNamed("cable.message.updated.read-receipt.json").message)
      assert.isTrue(event._tag === "MessageUpdated" && event.data.status === "read")
      assert.deepStrictEqual(event.data.previous_changes?.status, ["sent", "read"])
    }],

    // Strict where the SDK acts, lenient elsewhere.
    ["lenient: a retyped or missing column of an embedded object never fails the event", () => {
      const data = structuredClone(typingFrame.message.data)
      delete data.conversation.status
      data.conversation.contact_inbox.hmac_verified = "yes"
      data.conversation.meta.sender = { type: "contact", id: "not a number" }
      data.user.name = null
      const event = decodeEvent({ event: "conversation.typing_on", data })
      assert.strictEqual(event._tag, "TypingOn")
      assert.isUndefined(event.data.conversation.status)
      assert.isUndefined(event.data.conversation.contact_inbox?.hmac_verified)
      assert.strictEqual(event.data.conversation.contact_inbox?.pubsub_token, "Gd7tqW2xYbV9kLmN3pQr")
      assert.isUndefined(event.data.conversation.meta?.sender)
      assert.deepStrictEqual([event.data.user?.type, event.data.user?.id], ["user", 5])
      assert.isFalse(event.data.user !== undefined && "name" in event.data.user)
    }],
    ["lenient: a message with a broken sender keeps the message and drops the sender", () => {
      const event = decodeEvent({ event: "message.created", data: { ...replyFrame.message.data, sender: { type: "user", id: null } } })
      assert.isTrue(event._tag === "MessageCreated" && event.data.id === 102 && event.data.sender === undefined)
    }],
    ["strict: a known event missing a required field is kept as Undecodable, with the raw data and what failed", () => {
      const { conversation_id: _, ...data } = replyFrame.message.data
      const event = decodeEvent({ event: "message.created", data })
      assert.strictEqual(event._tag, "Undecodable")
      assert.strictEqual(event.event, "message.created")
      assert.deepStrictEqual(event.data, data)
      assert.include(event.error, "conversation_id")
      assert.deepStrictEqual(encodeEvent(event), { event: "message.created", data })
    }],
    ["strict: input that is not an event at all still fails", () => {
      for (const input of [null, 42, { data: {} }, { event: 7, data: {} }]) rejects(S.CableEvent.CableEvent, input)
    }],

    // Frames.
    ["CableFrame: decodes every server frame from its JSON text", () => {
      const frames = [
        "{\"type\":\"welcome\"}",
        "{\"type\":\"ping\",\"message\":1770976800}",
        JSON.stringify({ identifier, type: "confirm_subscription" }),
        JSON.stringify({ identifier, type: "reject_subscription" }),
        "{\"type\":\"disconnect\",\"reason\":\"server_restart\",\"reconnect\":true}",
        JSON.stringify({ identifier, message: { event: "message.created", data: fixtures.messagePayload } })
      ].map(decodeFrame)
      assert.deepStrictEqual(
        frames.map((frame) => ("type" in frame ? frame.type : "broadcast")),
        ["welcome", "ping", "confirm_subscription", "reject_subscription", "disconnect", "broadcast"]
      )
      assert.deepStrictEqual([frames[4].reason, frames[4].reconnect], ["server_restart", true])
    }],
    ["CableFrame: keeps an unknown disconnect reason", () => {
      const frame = decodeFrame("{\"type\":\"disconnect\",\"reason\":\"maintenance\",\"reconnect\":false}")
      assert.deepStrictEqual(frame, { type: "disconnect", reason: "maintenance", reconnect: false })
    }],
    ["CableFrame: fails on malformed JSON and on frames of no known shape", () => {
      for (const text of ["{\"type\":\"welc", "{\"type\":\"telemetry\"}", "[]", "42"]) rejects(S.CableFrame.ServerFrameFromJson, text)
    }],
    ["CableFrame: encodes client commands exactly as ActionCable expects them", () => {
      const encodeCommand = encode(S.CableFrame.ClientCommandFromJson)
      assert.strictEqual(encodeCommand({ command: "subscribe", identifier }), JSON.stringify({ command: "subscribe", identifier }))
      assert.strictEqual(
        encodeCommand({ command: "message", identifier, data: { action: "update_presence" } }),
        "{\"command\":\"message\",\"identifier\":" + JSON.stringify(identifier) +
          ",\"data\":\"{\\\"action\\\":\\\"update_presence\\\"}\"}"
      )
      assert.deepStrictEqual(
        line.decode(S.CableFrame.ClientCommandFromJson, JSON.stringify({ command: "unsubscribe", identifier })),
        { command: "unsubscribe", identifier }
      )
    }],
    ["CableFrame: models the RoomChannel identifier as the JSON string it is on the wire", () => {
      const schema = S.CableFrame.RoomChannelIdentifier
      assert.strictEqual(line.encode(schema, { channel: "RoomChannel", pubsub_token: "Qm7vXc2PnR8sTy4wZa6bKd9e" }), identifier)
      assert.strictEqual(line.decode(schema, identifier).pubsub_token, "Qm7vXc2PnR8sTy4wZa6bKd9e")
      rejects(schema, "{\"channel\":\"RoomChannel\",\"pubsub_token\":\"\"}")
    }],

    // Events.
    ["CableEvent: decodes every event a customer receives into its tagged member, and encodes it back", () => {
      const events = wireEvents.map(decodeEvent)
      assert.deepStrictEqual(events.map((e) => e._tag), [
        "MessageCreated",
        "MessageUpdated",
        "ConversationCreated",
        "ConversationUpdated",
        "ConversationStatusChanged",
        "TypingOn",
        "TypingOff",
        "PresenceUpdate",
        "Unknown"
      ])
      assert.deepStrictEqual(events.map(encodeEvent), wireEvents)
    }],
    ["CableEvent: keeps events named like Object.prototype's members as Unknown", () => {
      for (const name of ["valueOf", "constructor", "toString", "__proto__"]) {
        const event = decodeEvent({ event: name, data: { x: 1 } })
        assert.deepStrictEqual([event._tag, event.event], ["Unknown", name])
      }
    }],
    ["CableEvent: carries an unknown event's raw name and data", () => {
      const event = decodeEvent({ event: "copilot.message.created", data: [1, "two"] })
      assert.deepStrictEqual(event, { _tag: "Unknown", event: "copilot.message.created", data: [1, "two"] })
    }],
    ["CableEvent: keeps a known event with bad data as Undecodable, naming the path, rather than calling it unknown", () => {
      const data = { ...fixtures.messagePayload, conversation_id: "three" }
      const event = decodeEvent({ event: "message.created", data })
      assert.strictEqual(event._tag, "Undecodable")
      assert.strictEqual(event.event, "message.created")
      assert.deepStrictEqual(event.data, data)
      assert.include(event.error, "data.conversation_id")
    }],
    ["CableEvent: checks an already decoded event member by member", () => {
      const decoded = decodeEvent(wireEvents[5])
      assert.deepStrictEqual(line.validate(S.CableEvent.CableEvent, decoded), decoded)
      assert.isTrue(line.is(S.CableEvent.CableEvent, decoded))
      assert.isFalse(line.is(S.CableEvent.CableEvent, { ...decoded, _tag: "MessageCreated" }))
    }],
    ["CableEvent: flags private-note typing", () => {
      const event = decodeEvent(wireEvents[6])
      assert.isTrue(event._tag === "TypingOff" && event.data.is_private === true)
    }],

    // Identifiers.
    ["Identifiers: rejects empty string identifiers with a message naming the identifier", () => {
      assert.include(messageOf(S.Identifiers.InboxIdentifier, ""), "InboxIdentifier must not be empty")
      assert.include(messageOf(S.Identifiers.SourceId, ""), "SourceId must not be empty")
      assert.include(messageOf(S.Identifiers.PubsubToken, ""), "PubsubToken must not be empty")
    }],
    ["Identifiers: rejects non-positive and fractional integer ids", () => {
      assert.include(messageOf(S.Identifiers.ConversationId, 0), "ConversationId must be a positive integer")
      assert.include(messageOf(S.Identifiers.MessageId, -3), "MessageId must be a positive integer")
      rejects(S.Identifiers.AccountId, 1.5)
    }],
    ["Identifiers: accepts valid identifiers as branded values", () => {
      const inbox = S.Identifiers.InboxIdentifier.make("Xk3jW9pQrT5vYb2nLm8cDf4h")
      assert.deepStrictEqual([inbox, line.decode(S.Identifiers.MessageId, 17)], ["Xk3jW9pQrT5vYb2nLm8cDf4h", 17])
    }],
    ["Identifiers: accepts only 64 lowercase hex characters as an identifier hash", () => {
      const hash = "a".repeat(64)
      assert.strictEqual(line.decode(S.Identifiers.IdentifierHash, hash), hash)
      assert.include(messageOf(S.Identifiers.IdentifierHash, "A".repeat(64)), "64 lowercase hex")
      rejects(S.Identifiers.IdentifierHash, "abc")
    }],

    // Entities.
    ["entities: decodes an inbox and encodes it back to the wire form", () => {
      const inbox = roundTrips(S.Inbox.Inbox, fixtures.inbox)
      assert.strictEqual(inbox.working_hours[1]?.close_minutes, 30)
      assert.strictEqual(inbox.working_hours[0]?.open_hour, null)
    }],
    ["entities: decodes a contact session, ignoring fields it does not know", () => {
      const session = line.decode(S.Contact.ContactSession, withExtraFields(fixtures.contactSession))
      assert.strictEqual(session.source_id, fixtures.contactSession.source_id)
      assert.strictEqual(session.email, null)
      assert.deepStrictEqual(line.encode(S.Contact.ContactSession, session), fixtures.contactSession)
    }],
    ["entities: decodes the raw contact record with ISO timestamps", () => {
      const record = roundTrips(S.Contact.ContactRecord, fixtures.contactRecord)
      assert.strictEqual(line.epochMillis(record.updated_at), Date.parse("2026-02-13T10:05:00.123Z"))
      assert.strictEqual(record.last_activity_at, null)
    }],
    ["entities: decodes a contact record of an older server that lacks newer columns", () => {
      const { blocked: _b, company_id: _c, contact_type: _t, country_code: _cc, last_name: _l, location: _lo, middle_name: _m, ...old } =
        fixtures.contactRecord
      assert.isUndefined(roundTrips(S.Contact.ContactRecord, old).blocked)
    }],
    ["entities: decodes a REST message with attachments of several kinds, a null attachment and an agent sender", () => {
      const message = roundTrips(S.Message.Message, fixtures.restMessage)
      assert.strictEqual(message.message_type, "outgoing")
      assert.strictEqual(line.epochMillis(message.created_at), 1770976800_000)
      assert.strictEqual(message.attachments?.[1]?.coordinates_lat, 24.7136)
      assert.isNull(message.attachments?.[2])
      assert.strictEqual(message.sender?.type, "user")
    }],
    ["entities: keeps unknown enum values instead of failing", () => {
      const message = roundTrips(S.Message.Message, {
        ...fixtures.restMessage,
        message_type: 9,
        content_type: "hologram",
        attachments: [{ ...fixtures.imageAttachment, file_type: "smell" }]
      })
      assert.deepStrictEqual([message.message_type, message.content_type, message.attachments?.[0]?.file_type], [9, "hologram", "smell"])
    }],
    ["entities: keeps a sender of an unknown kind whole", () => {
      const wire = { id: 3, type: "captain_v2", name: "Robo", extra: [1, 2] }
      assert.deepStrictEqual(roundTrips(S.Sender.Sender, wire), wire)
    }],
    ["entities: decodes every sender kind by its type", () => {
      const bot = roundTrips(S.Sender.Sender, { id: 1, name: "Bot", avatar_url: null, type: "agent_bot" })
      const assistant = roundTrips(S.Sender.Sender, {
        id: 2,
        name: "Captain",
        avatar_url: "",
        description: "AI",
        created_at: "2026-01-01T00:00:00.000Z",
        type: "captain_assistant"
      })
      const contact = roundTrips(S.Sender.Sender, fixtures.contactSender)
      assert.deepStrictEqual([bot.type, assistant.type, contact.type], ["agent_bot", "captain_assistant", "contact"])
    }],
    ["entities: decodes a REST conversation with 0 as 'never seen'", () => {
      const conversation = roundTrips(S.Conversation.Conversation, fixtures.conversation)
      assert.isTrue(line.isNone(conversation.contact_last_seen_at))
      assert.isFalse(line.isNone(conversation.agent_last_seen_at))
      assert.deepStrictEqual(conversation.messages.map((m) => m.message_type), ["incoming", "outgoing"])
    }],
    ["entities: decodes cable message and conversation payloads, float seconds included", () => {
      assert.strictEqual(roundTrips(S.Message.MessagePayload, fixtures.messagePayload).status, "sent")
      assert.strictEqual(roundTrips(S.Message.MessagePayload, fixtures.echoPayload).echo_id, "b1f2c3d4-echo")
      const conversation = roundTrips(S.Conversation.ConversationPayload, fixtures.conversationPayload)
      assert.strictEqual(conversation.updated_at, 1770976860.123)
      assert.strictEqual(conversation.contact_inbox?.pubsub_token, fixtures.contactInbox.pubsub_token)
    }],
    ["entities: accepts ISO strings where Unix seconds are expected, and encodes the field's own form", () => {
      const decoded = line.decode(S.Message.Message, { ...fixtures.restMessage, created_at: "2026-02-13T10:00:00.000Z" })
      assert.strictEqual(line.encode(S.Message.Message, decoded).created_at, 1770976800)
    }],
    ["entities: decodes an attachment of each shape", () => {
      const image = roundTrips(S.Attachment.Attachment, fixtures.imageAttachment)
      const audio = roundTrips(S.Attachment.Attachment, { ...fixtures.imageAttachment, file_type: "audio", transcribed_text: "" })
      const contact = roundTrips(S.Attachment.Attachment, {
        id: 8,
        message_id: 101,
        file_type: "contact",
        account_id: 1,
        fallback_title: "+15555550123",
        meta: { firstName: "Ada" }
      })
      assert.deepStrictEqual([image.width, audio.transcribed_text, contact.meta], [640, "", { firstName: "Ada" }])
    }],
    ["entities: names the bad path of a malformed payload", () => {
      const issues = rejects(S.Conversation.Conversation, {
        ...fixtures.conversation,
        messages: [fixtures.incomingRestMessage, { ...fixtures.restMessage, id: "not-a-number" }]
      })
      assert.deepStrictEqual(issues[0]?.path, ["messages", 1, "id"])
    }],
    ["entities: rejects a timestamp that is neither seconds nor an ISO string", () => {
      const issues = rejects(S.Message.Message, { ...fixtures.restMessage, created_at: "yesterday" })
      assert.deepStrictEqual(issues[0]?.path, ["created_at"])
    }]
  ]
  return scenarios.map(([name, run]) => ({ name, run }))
}

/**
 * The decoders under hostile input: the golden corpus mutated at random (`fc`, fast-check, with the suite's `budget`),
 * random JSON and text, and a frame nested 100,000 levels deep. A decoder answers with a value or a failure — never
 * an exception — and nothing it reads pollutes a prototype.
 */
export const decoderFuzzScenarios = (line, fc, assert, budget, mutation, breathe) => {
  const S = line.module
  const rest = restSchemas(S, line)
  const runsPerCase = Math.ceil((budget.cases * 0.8) / (cableCases.length + restCases.length))
  const randomRuns = Math.ceil(budget.cases * 0.2)
  let tried = 0
  const neverThrows = (schema, input, context) => {
    try {
      return line.answer(schema, input)
    } catch (error) {
      assert.fail(`${context}: the decoder threw ${String(error).slice(0, 200)}`)
    }
  }
  const encodesBack = (schema, value, context) => {
    try {
      line.encode(schema, value)
    } catch (error) {
      assert.fail(`${context}: encoding what decoded threw ${String(error).slice(0, 200)}`)
    }
  }
  const assertNoPollution = () => {
    assert.isUndefined({}.polluted, "Object.prototype was polluted")
    assert.isFalse(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"))
  }
  const messageOf = (answer) =>
    answer.success && typeof answer.value === "object" && answer.value !== null && "message" in answer.value
      ? { message: answer.value.message }
      : undefined
  const frame = S.CableFrame.ServerFrameFromJson
  const event = S.CableEvent.CableEvent
  const chunked = (runs, property) => async () => {
    for (const chunk of budget.chunks(runs)) {
      fc.assert(property, chunk)
      await breathe()
    }
  }
  return [
    ...cableCases.map(({ json, name }) => ({
      name: `${name}: every mutated frame decodes to a frame, an event (Unknown/Undecodable included) or a failure`,
      run: chunked(runsPerCase, fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        tried++
        const broadcast = messageOf(neverThrows(frame, mutate(json, mutations), `${name} frame`))
        if (broadcast !== undefined) {
          const decoded = neverThrows(event, broadcast.message, `${name} event`)
          // What decodes encodes back (a pipeline writes the wire form).
          if (decoded.success) encodesBack(event, decoded.value, `${name} encode`)
        }
        assertNoPollution()
      }))
    })),
    ...restCases.map(({ json, name }) => ({
      name: `${name}: every mutated body decodes or fails`,
      run: chunked(runsPerCase, fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        tried++
        neverThrows(rest[name], JSON.parse(mutate(json.body, mutations)), name)
        assertNoPollution()
      }))
    })),
    {
      name: "random JSON and random text as frames: a frame, or a failure",
      run: chunked(randomRuns, fc.property(
        fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 300 }), fc.fullUnicodeString({ maxLength: 100 })),
        (text) => {
          tried++
          neverThrows(frame, text, "random frame")
          assertNoPollution()
        }
      ))
    },
    {
      name: "a frame nested 100,000 levels deep: a frame and an event, or a failure, without exhausting the stack",
      run: async () => {
        const deep = "[".repeat(100_000) + "1" + "]".repeat(100_000)
        for (const data of [deep, `{"id":1,"content_attributes":{"x":${deep}}}`]) {
          const broadcast = messageOf(neverThrows(frame, `{"identifier":"x","message":{"event":"message.created","data":${data}}}`, "deep frame"))
          if (broadcast !== undefined) neverThrows(event, broadcast.message, "deep event")
          tried++
        }
      }
    },
    {
      // Runs last: the counter holds every case above.
      name: "reports how many cases were tried",
      run: async () => {
        assert.isAtLeast(tried, (cableCases.length + restCases.length) * runsPerCase + randomRuns)
        budget.report({ cases: tried })
      }
    }
  ]
}
