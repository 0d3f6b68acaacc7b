import { cases } from "@bevatel/golden"
import { LocalServer } from "@bevatel/local-server"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { createHmac } from "node:crypto"
import { isEvent, nextFrame, openCable, request, subscribe } from "./support.js"

// The golden corpus (/golden) was written from the real server's source. The local server is driven through the
// same story and what it answers is compared with each case by structure: the same keys at every depth, the same
// JSON types, null exactly where the corpus has null. Values (ids, names, times) are the world's own.
const golden = new Map(cases.map(({ json, name }) => [name, json]))

const jsonType = (value: unknown) => value === null ? "null" : Array.isArray(value) ? "array" : typeof value

/** Every structural difference between a golden value and the local server's, each with its path. */
export const structuralDifferences = (expected: unknown, actual: unknown, path = "$"): Array<string> => {
  if (jsonType(expected) !== jsonType(actual)) {
    return [`${path}: golden has ${jsonType(expected)}, local server has ${jsonType(actual)}`]
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [`${path}: golden has ${expected.length} items, local server ${actual.length}`]
    return expected.flatMap((item, index) => structuralDifferences(item, actual[index], `${path}[${index}]`))
  }
  if (jsonType(expected) !== "object") return []
  const e = expected as Record<string, unknown>
  const a = actual as Record<string, unknown>
  return [
    ...Object.keys(e).filter((key) => !(key in a)).map((key) => `${path}.${key}: missing in the local server's`),
    ...Object.keys(a).filter((key) => !(key in e)).map((key) => `${path}.${key}: not in the golden case`),
    ...Object.keys(e).filter((key) => key in a).flatMap((key) => structuralDifferences(e[key], a[key], `${path}.${key}`))
  ]
}

const hmacToken = "golden-hmac-token-0000000"

/** The first bytes of a PNG of that size: what ActiveStorage's analyser reads. */
const pngHeader = (width: number, height: number) => {
  const bytes = new Uint8Array(33)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  new DataView(bytes.buffer).setUint32(16, width)
  new DataView(bytes.buffer).setUint32(20, height)
  return bytes
}
const identifier = "user-4217"

/** What the local server said in each golden case's place, by case name. */
const observed = new Map<string, unknown>()

/** The golden story: a verified customer asks, an agent answers and reads, types, resolves; the customer rates. */
const playTheStory = Effect.gen(function*() {
  const server = yield* LocalServer.make({
    pingInterval: "1 second",
    agents: [{ id: 5, name: "Lina Saleh" }],
    inboxes: [{ identifier: "golden-inbox", hmacToken }, { identifier: "golden-csat-inbox", csatSurveyEnabled: true }]
  })
  const base = `${server.url}/public/api/v1/inboxes/golden-inbox`
  const identifierHash = createHmac("sha256", hmacToken).update(identifier).digest("hex")

  const created = yield* request(`${base}/contacts`, {
    method: "POST",
    body: { identifier, identifier_hash: identifierHash, name: "Maya Haddad", email: "maya@example.com" }
  })
  observed.set("rest.contacts.create.json", created.json)
  const customer = `${base}/contacts/${created.json.source_id}`
  yield* request(`${customer}?identifier=${identifier}&identifier_hash=${identifierHash}`)

  const cable = yield* openCable(server.cableUrl)
  yield* subscribe(cable, created.json.pubsub_token)
  observed.set("cable.presence.update.json", yield* nextFrame(cable, isEvent("presence.update")))

  const conversation = (yield* request(`${customer}/conversations`, { method: "POST", body: {} })).json
  const url = `${customer}/conversations/${conversation.id}`
  observed.set("cable.conversation.created.json", yield* nextFrame(cable, isEvent("conversation.created")))
  yield* server.agent.assign(conversation.id, 5)

  const own = yield* request(`${url}/messages`, {
    method: "POST",
    body: { content: "Where is my order #1234?", echo_id: "8f14e45f-ea1b-4c2f-9d5e-0c7a1b3d2e6f" }
  })
  observed.set("rest.messages.create.json", own.json)
  observed.set(
    "cable.message.created.own-with-echo_id.json",
    yield* nextFrame(cable, (f) => isEvent("message.created")(f) && f.message.data.id === own.json.id)
  )

  const reply = yield* server.agent.reply(conversation.id, "Hi Maya, let me check your order.")
  observed.set(
    "cable.message.created.agent-reply.json",
    yield* nextFrame(cable, (f) => isEvent("message.created")(f) && f.message.data.id === reply.id)
  )

  yield* request(`${url}/update_last_seen`, { method: "POST" })
  observed.set(
    "cable.message.updated.read-receipt.json",
    yield* nextFrame(cable, (f) => isEvent("message.updated")(f) && f.message.data.id === reply.id)
  )
  observed.set("rest.conversations.show.json", (yield* request(url)).json)

  yield* server.agent.typing(conversation.id, "on")
  observed.set("cable.conversation.typing_on.agent.json", yield* nextFrame(cable, isEvent("conversation.typing_on")))
  yield* server.agent.typing(conversation.id, "off")
  observed.set("cable.conversation.typing_off.agent.json", yield* nextFrame(cable, isEvent("conversation.typing_off")))
  yield* server.agent.typing(conversation.id, "on", { private: true })
  observed.set(
    "cable.conversation.typing_on.private-note.json",
    yield* nextFrame(cable, (f) => isEvent("conversation.typing_on")(f) && f.message.data.is_private === true)
  )

  yield* request(`${url}/toggle_status`, { method: "POST" })
  observed.set(
    "cable.conversation.status_changed.resolved.json",
    yield* nextFrame(cable, (f) => isEvent("conversation.status_changed")(f) && f.message.data.status === "resolved")
  )

  // An image on its own (it reopens the conversation, as any customer message does).
  const form = new FormData()
  form.append("attachments[]", new Blob([pngHeader(800, 600)], { type: "image/png" }), "receipt.png")
  yield* Effect.promise(() => fetch(`${url}/messages`, { method: "POST", body: form }))
  observed.set("rest.messages.index.json", (yield* request(`${url}/messages`)).json)

  observed.set(
    "rest.contacts.update.raw-model.json",
    (yield* request(customer, { method: "PATCH", body: { email: "maya@example.com" } })).json
  )


  // The CSAT survey, in an inbox that sends one when a conversation is resolved.
  const csatCustomer = (yield* request(`${server.url}/public/api/v1/inboxes/golden-csat-inbox/contacts`, {
    method: "POST",
    body: { name: "Maya Haddad" }
  })).json
  const csatCable = yield* openCable(server.cableUrl)
  yield* subscribe(csatCable, csatCustomer.pubsub_token)
  const csatUrl = `${server.url}/public/api/v1/inboxes/golden-csat-inbox/contacts/${csatCustomer.source_id}/conversations`
  const rated = (yield* request(csatUrl, { method: "POST", body: {} })).json
  yield* server.agent.assign(rated.id, 5)
  yield* server.agent.reply(rated.id, "Anything else?")
  yield* request(`${csatUrl}/${rated.id}/toggle_status`, { method: "POST" })
  observed.set(
    "cable.message.created.csat-survey.json",
    yield* nextFrame(csatCable, (f) => isEvent("message.created")(f) && f.message.data.content_type === "input_csat")
  )
  observed.set(
    "rest.csat_survey.update.json",
    (yield* request(`${server.url}/public/api/v1/csat_survey/${rated.uuid}`, {
      method: "PATCH",
      body: { message: { submitted_values: { csat_survey_response: { rating: 5, feedback_message: "Quick and kind" } } } }
    })).json
  )
})

describe("the local server against the golden corpus", () => {
  it.scoped("plays the golden story", () =>
    Effect.gen(function*() {
      yield* playTheStory
      assert.deepStrictEqual([...golden.keys()].filter((name) => !observed.has(name)), [])
    }))

  for (const [name, expected] of golden) {
    it(`${name}: same keys, JSON types and nulls as the real server`, () => {
      assert.isTrue(observed.has(name), "the story did not reach this case")
      const wire = name.startsWith("rest.") ? expected.body : expected
      assert.deepStrictEqual(structuralDifferences(wire, observed.get(name)), [])
    })
  }

  it("the comparison notices a retyped field, a missing key and a non-null in place of null", () => {
    const expected = { a: 1, b: { c: null, d: "x" }, e: [{ f: true }] }
    assert.deepStrictEqual(structuralDifferences(expected, { a: "1", b: { c: 0 }, e: [{ f: true, g: 1 }] }), [
      "$.a: golden has number, local server has string",
      "$.b.d: missing in the local server's",
      "$.b.c: golden has null, local server has number",
      "$.e[0].g: not in the golden case"
    ])
  })
})
