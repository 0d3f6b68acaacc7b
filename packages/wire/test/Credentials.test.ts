import { golden } from "@bevatel/golden"
import { Credentials } from "@bevatel/wire"
import { assert, describe, it } from "@effect/vitest"

describe("Credentials.redact", () => {
  it("redacts every pubsub_token at any depth, and keeps the rest as it is", () => {
    const frame = golden("cable.conversation.typing_on.agent.json")
    const out = Credentials.redact(frame.message) as any
    assert.notInclude(JSON.stringify(out), "Gd7tqW2xYbV9kLmN3pQr")
    assert.strictEqual(out.data.conversation.contact_inbox.pubsub_token, "<redacted>")
    assert.strictEqual(out.data.conversation.contact_inbox.source_id, "c4e1a9f2-6b0d-4a51-9f3e-2d8c7b1a0e55")
    out.data.conversation.contact_inbox.pubsub_token = "Gd7tqW2xYbV9kLmN3pQr"
    assert.deepStrictEqual(out, frame.message, "nothing else changed")
    assert.strictEqual(frame.message.data.conversation.contact_inbox.pubsub_token, "Gd7tqW2xYbV9kLmN3pQr", "the input is untouched")
  })

  it("with sourceId, redacts the session's source_id but not a message's channel source_id", () => {
    const session = golden("rest.contacts.create.json").body
    assert.deepStrictEqual(Credentials.redact(session, { sourceId: true }), {
      ...session,
      source_id: "<redacted>",
      pubsub_token: "<redacted>"
    })
    const event = golden("cable.conversation.status_changed.resolved.json").message
    const out = Credentials.redact(event, { sourceId: true }) as any
    assert.notInclude(JSON.stringify(out), "c4e1a9f2-6b0d-4a51-9f3e-2d8c7b1a0e55")
    assert.isNull(out.data.messages[0].source_id, "the message's own source_id is kept")
  })

  it("copies only what holds a credential: the rest, and an event with none, is shared as it is", () => {
    const typing = golden("cable.conversation.typing_on.agent.json").message
    const out = Credentials.redact(typing) as any
    assert.notStrictEqual(out.data.conversation.contact_inbox, typing.data.conversation.contact_inbox)
    assert.strictEqual(out.data.user, typing.data.user)
    assert.strictEqual(out.data.conversation.messages, typing.data.conversation.messages)
    const reply = golden("cable.message.created.agent-reply.json").message
    assert.strictEqual(Credentials.redact(reply), reply)
    // Asked to redact the session's source_id, the reply's conversation summary holds one.
    const redacted = Credentials.redact(reply, { sourceId: true }) as any
    assert.strictEqual(redacted.data.conversation.contact_inbox.source_id, "<redacted>")
    assert.strictEqual(reply.data.conversation.contact_inbox.source_id, "c4e1a9f2-6b0d-4a51-9f3e-2d8c7b1a0e55")
    assert.strictEqual(redacted.data.sender, reply.data.sender)
  })

  it("keeps a __proto__ key a plain key", () => {
    const out = Credentials.redact(JSON.parse("{\"__proto__\":{\"polluted\":true},\"pubsub_token\":\"t\"}")) as any
    assert.isUndefined(({} as any).polluted)
    assert.isUndefined(out.polluted)
    assert.isTrue(Object.prototype.hasOwnProperty.call(out, "__proto__"))
    assert.strictEqual(out.pubsub_token, "<redacted>")
    // A credential under a "__proto__" key: the copy gets it as a plain key too.
    const nested = Credentials.redact(JSON.parse("{\"__proto__\":{\"pubsub_token\":\"t\"}}")) as any
    assert.strictEqual(Object.getPrototypeOf(nested), Object.prototype)
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(nested, "__proto__")?.value, { pubsub_token: "<redacted>" })
  })
})
