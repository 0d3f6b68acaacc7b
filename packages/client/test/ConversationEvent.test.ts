import { ConversationEvent } from "@bevatel/client"
import { CableEvent } from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"

// `toWire` encodes through compiled encoders; the Schemas' own encoders are the reference: the same JSON, keys in the
// same order, for every kind of event.
const seed = 20261201
const encodeMessage = Schema.encodeSync(ConversationEvent.ConversationMessage)
const encodeCableEvent = Schema.encodeSync(CableEvent.CableEvent)

describe("ConversationEvent.toWire", () => {
  it("a message added or changed: the server's event name and the message as the Schema encodes it", () => {
    fc.assert(
      fc.property(Arbitrary.make(ConversationEvent.ConversationMessage), fc.boolean(), (message, added) => {
        const event = added
          ? new ConversationEvent.MessageAdded({ message, origin: "live" })
          : new ConversationEvent.MessageChanged({ message })
        assert.strictEqual(
          JSON.stringify(ConversationEvent.toWire(event)),
          JSON.stringify({ event: added ? "message.created" : "message.updated", data: encodeMessage(message) })
        )
      }),
      { seed, numRuns: 300 }
    )
  })

  it("a live event: the cable event as the Schema encodes it", () => {
    fc.assert(
      fc.property(Arbitrary.make(CableEvent.CableEvent), (cableEvent) => {
        const wire = ConversationEvent.toWire(new ConversationEvent.Live({ event: cableEvent }))
        assert.strictEqual(JSON.stringify(wire), JSON.stringify(encodeCableEvent(cableEvent)))
      }),
      { seed, numRuns: 300 }
    )
  })

  it("a live event the cable kept as it came: that, every field included (encoded back, `later` would be lost)", () => {
    const wire = { event: "conversation.typing_on", data: { conversation: { id: 7, sla_policy_id: 4 }, is_private: false, later: [1] } }
    const event = Either.getOrThrow(Schema.decodeUnknownEither(CableEvent.CableEvent)(wire))
    assert.deepStrictEqual(ConversationEvent.toWire(new ConversationEvent.Live({ event, wire })), wire)
    assert.deepStrictEqual(ConversationEvent.toWire(new ConversationEvent.Live({ event })), {
      event: "conversation.typing_on",
      data: { conversation: { id: 7, sla_policy_id: 4 }, is_private: false }
    })
  })

  it("status and resumption: their own small shapes", () => {
    assert.deepStrictEqual(
      ConversationEvent.toWire(new ConversationEvent.StatusChanged({ status: "resolved", origin: "live" })),
      { event: "conversation.status_changed", data: { status: "resolved" } }
    )
    assert.deepStrictEqual(ConversationEvent.toWire(new ConversationEvent.Resumed({ missed: 2 })), {
      event: "stream.resumed",
      data: { missed: 2 }
    })
  })

  it("a message that is not valid throws the Schema's error, as Schema.encodeSync does", () => {
    const message = { id: -1 } as unknown as ConversationEvent.ConversationMessage
    assert.throws(() => ConversationEvent.toWire(new ConversationEvent.MessageAdded({ message, origin: "live" }, { disableValidation: true })))
  })
})
