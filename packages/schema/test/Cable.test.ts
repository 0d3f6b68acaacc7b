import { CableEvent, CableFrame } from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as fixtures from "./fixtures.js"

const identifier = "{\"channel\":\"RoomChannel\",\"pubsub_token\":\"Qm7vXc2PnR8sTy4wZa6bKd9e\"}"

const decodeFrame = Schema.decodeUnknownSync(CableFrame.ServerFrameFromJson)

describe("CableFrame", () => {
  it("decodes every server frame from its JSON text", () => {
    const frames = [
      "{\"type\":\"welcome\"}",
      "{\"type\":\"ping\",\"message\":1770976800}",
      JSON.stringify({ identifier, type: "confirm_subscription" }),
      JSON.stringify({ identifier, type: "reject_subscription" }),
      "{\"type\":\"disconnect\",\"reason\":\"server_restart\",\"reconnect\":true}",
      JSON.stringify({ identifier, message: { event: "message.created", data: fixtures.messagePayload } })
    ].map((text) => decodeFrame(text))
    assert.deepStrictEqual(
      frames.map((frame) => ("type" in frame ? frame.type : "broadcast")),
      ["welcome", "ping", "confirm_subscription", "reject_subscription", "disconnect", "broadcast"]
    )
    const disconnect = frames[4] as CableFrame.Disconnect
    assert.deepStrictEqual([disconnect.reason, disconnect.reconnect], ["server_restart", true])
  })

  it("keeps an unknown disconnect reason", () => {
    const frame = decodeFrame("{\"type\":\"disconnect\",\"reason\":\"maintenance\",\"reconnect\":false}")
    assert.deepStrictEqual(frame, { type: "disconnect", reason: "maintenance", reconnect: false } as never)
  })

  it("fails on malformed JSON and on frames of no known shape", () => {
    for (const text of ["{\"type\":\"welc", "{\"type\":\"telemetry\"}", "[]", "42"]) {
      const result = Schema.decodeUnknownEither(CableFrame.ServerFrameFromJson)(text)
      assert.isTrue(Either.isLeft(result), text)
    }
  })

  it("encodes client commands exactly as ActionCable expects them", () => {
    const encode = Schema.encodeSync(CableFrame.ClientCommandFromJson)
    assert.strictEqual(
      encode({ command: "subscribe", identifier }),
      JSON.stringify({ command: "subscribe", identifier })
    )
    assert.strictEqual(
      encode({ command: "message", identifier, data: { action: "update_presence" } }),
      "{\"command\":\"message\",\"identifier\":" + JSON.stringify(identifier) +
        ",\"data\":\"{\\\"action\\\":\\\"update_presence\\\"}\"}"
    )
    const decoded = Schema.decodeUnknownSync(CableFrame.ClientCommandFromJson)(
      JSON.stringify({ command: "unsubscribe", identifier })
    )
    assert.deepStrictEqual(decoded, { command: "unsubscribe", identifier })
  })

  it("models the RoomChannel identifier as the JSON string it is on the wire", () => {
    const encoded = Schema.encodeSync(CableFrame.RoomChannelIdentifier)({
      channel: "RoomChannel",
      pubsub_token: "Qm7vXc2PnR8sTy4wZa6bKd9e" as never
    })
    assert.strictEqual(encoded, identifier)
    const decoded = Schema.decodeSync(CableFrame.RoomChannelIdentifier)(identifier)
    assert.strictEqual(decoded.pubsub_token, "Qm7vXc2PnR8sTy4wZa6bKd9e")
    assert.isTrue(Either.isLeft(Schema.decodeEither(CableFrame.RoomChannelIdentifier)("{\"channel\":\"RoomChannel\",\"pubsub_token\":\"\"}")))
  })
})

describe("CableEvent", () => {
  const decodeEvent = Schema.decodeUnknownSync(CableEvent.CableEvent)
  const encodeEvent = Schema.encodeSync(CableEvent.CableEvent)

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

  it("decodes every event a customer receives into its tagged member, and encodes it back", () => {
    const events = wireEvents.map((wire) => decodeEvent(wire))
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
    assert.deepStrictEqual(events.map((event) => encodeEvent(event)), wireEvents)
  })

  it("keeps events named like Object.prototype's members as Unknown", () => {
    for (const name of ["valueOf", "constructor", "toString", "__proto__"]) {
      const event = decodeEvent({ event: name, data: { x: 1 } })
      assert.deepStrictEqual([event._tag, event.event], ["Unknown", name])
    }
  })

  it("carries an unknown event's raw name and data", () => {
    const event = decodeEvent({ event: "copilot.message.created", data: [1, "two"] })
    assert.deepStrictEqual(event, { _tag: "Unknown", event: "copilot.message.created", data: [1, "two"] })
  })

  it("keeps a known event with bad data as Undecodable, naming the path, rather than calling it unknown", () => {
    const data = { ...fixtures.messagePayload, conversation_id: "three" }
    const event = Schema.decodeUnknownSync(CableEvent.CableEvent)({ event: "message.created", data })
    assert.strictEqual(event._tag, "Undecodable")
    if (event._tag === "Undecodable") {
      assert.strictEqual(event.event, "message.created")
      assert.deepStrictEqual(event.data, data)
      assert.include(event.error, "data.conversation_id")
    }
  })

  it("validates an already decoded event, as class constructors and Schema.is do", () => {
    const decoded = decodeEvent(wireEvents[5])
    assert.deepStrictEqual(Schema.validateSync(CableEvent.CableEvent)(decoded), decoded)
    assert.isTrue(Schema.is(CableEvent.CableEvent)(decoded))
    assert.isFalse(Schema.is(CableEvent.CableEvent)({ ...decoded, _tag: "MessageCreated" }))
  })

  it("flags private-note typing", () => {
    const event = decodeEvent(wireEvents[6])
    assert.isTrue(event._tag === "TypingOff" && event.data.is_private === true)
  })
})
