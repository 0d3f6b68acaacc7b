import { CableEvent, CableFrame } from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { cases, restSchemas } from "./goldenCorpus.js"

const caseNamed = (name: string) => cases.find((c) => c.name === name)!.json

/** Every path at which two JSON values differ, so a failure names each one. */
const differences = (expected: unknown, actual: unknown, path = "$"): Array<string> => {
  if (typeof expected !== "object" || expected === null || typeof actual !== "object" || actual === null) {
    return Object.is(expected, actual) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`]
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
  return [...keys].flatMap((key) =>
    differences((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${path}.${key}`)
  )
}

describe("golden corpus", () => {
  it("holds every case of the reference corpus", () => {
    assert.isAtLeast(cases.length, 16)
    for (const { name } of cases) assert.isTrue(name.startsWith("cable.") || name in restSchemas, `no schema for ${name}`)
  })

  for (const { json, name } of cases.filter((c) => c.name.startsWith("cable."))) {
    it(`${name}: the frame and its event decode to a typed event and encode back to the same JSON`, () => {
      const frame = Schema.decodeUnknownSync(CableFrame.ServerFrameFromJson)(JSON.stringify(json))
      assert.isTrue("message" in frame)
      const broadcast = frame as CableFrame.Broadcast
      const event = Schema.decodeUnknownSync(CableEvent.CableEvent)(broadcast.message)
      assert.notInclude(["Unknown", "Undecodable"], event._tag, JSON.stringify(event).slice(0, 300))
      assert.deepStrictEqual(differences(broadcast.message, Schema.encodeSync(CableEvent.CableEvent)(event)), [])
    })
  }

  for (const { json, name } of cases.filter((c) => c.name.startsWith("rest."))) {
    it(`${name}: the body decodes and encodes back to the same JSON`, () => {
      const schema = restSchemas[name]!
      const decoded = Schema.decodeUnknownSync(schema)(json.body)
      assert.deepStrictEqual(differences(json.body, Schema.encodeSync(schema)(decoded)), [])
    })
  }

  it("typing: the nested conversation has no account_id and still routes by its id", () => {
    const frame = caseNamed("cable.conversation.typing_on.agent.json") as { message: unknown }
    const event = Schema.decodeUnknownSync(CableEvent.CableEvent)(frame.message)
    assert.strictEqual(event._tag, "TypingOn")
    if (event._tag !== "TypingOn") return
    assert.strictEqual(event.data.conversation.id, 7)
    assert.isUndefined(event.data.conversation.account_id)
    assert.strictEqual(event.data.user?.type, "user")
    assert.isFalse(event.data.is_private)
  })

  it("read receipt: message.updated carries status read and what changed", () => {
    const frame = caseNamed("cable.message.updated.read-receipt.json") as { message: unknown }
    const event = Schema.decodeUnknownSync(CableEvent.CableEvent)(frame.message)
    assert.isTrue(event._tag === "MessageUpdated" && event.data.status === "read")
    assert.deepStrictEqual((event as CableEvent.MessageUpdated).data.previous_changes?.status, ["sent", "read"])
  })
})

describe("strict where the SDK acts, lenient elsewhere", () => {
  const typingFrame = caseNamed("cable.conversation.typing_on.agent.json") as {
    message: { event: string; data: Record<string, any> }
  }
  const replyFrame = caseNamed("cable.message.created.agent-reply.json") as {
    message: { event: string; data: Record<string, any> }
  }
  const decodeEvent = Schema.decodeUnknownSync(CableEvent.CableEvent)

  it("a retyped or missing column of an embedded object never fails the event", () => {
    const data = structuredClone(typingFrame.message.data)
    delete data.conversation.status
    data.conversation.contact_inbox.hmac_verified = "yes"
    data.conversation.meta.sender = { type: "contact", id: "not a number" }
    data.user.name = null
    const event = decodeEvent({ event: "conversation.typing_on", data })
    assert.strictEqual(event._tag, "TypingOn")
    if (event._tag !== "TypingOn") return
    assert.isUndefined(event.data.conversation.status)
    assert.isUndefined(event.data.conversation.contact_inbox?.hmac_verified)
    assert.strictEqual(event.data.conversation.contact_inbox?.pubsub_token, "Gd7tqW2xYbV9kLmN3pQr")
    assert.isUndefined(event.data.conversation.meta?.sender)
    assert.deepStrictEqual([event.data.user?.type, event.data.user?.id], ["user", 5])
    assert.isFalse(event.data.user !== undefined && "name" in event.data.user)
  })

  it("a message with a broken sender keeps the message and drops the sender", () => {
    const data = { ...replyFrame.message.data, sender: { type: "user", id: null } }
    const event = decodeEvent({ event: "message.created", data })
    assert.isTrue(event._tag === "MessageCreated" && event.data.id === 102 && event.data.sender === undefined)
  })

  it("a known event missing a required field is kept as Undecodable, with the raw data and what failed", () => {
    const { conversation_id: _, ...data } = replyFrame.message.data
    const event = decodeEvent({ event: "message.created", data })
    assert.strictEqual(event._tag, "Undecodable")
    if (event._tag !== "Undecodable") return
    assert.strictEqual(event.event, "message.created")
    assert.deepStrictEqual(event.data, data)
    assert.include(event.error, "conversation_id")
    assert.deepStrictEqual(Schema.encodeSync(CableEvent.CableEvent)(event), { event: "message.created", data } as never)
  })

  it("input that is not an event at all still fails", () => {
    for (const input of [null, 42, { data: {} }, { event: 7, data: {} }]) {
      assert.throws(() => decodeEvent(input))
    }
  })
})
