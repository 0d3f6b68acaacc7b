import { Contact, Conversation, Inbox, Message } from "@bevatel/schema"
import { LocalServer } from "@bevatel/local-server"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import { createHmac } from "node:crypto"
import { request } from "./support.js"

const hmacToken = "test-hmac-token-0123456789"
const sign = (identifier: string) => createHmac("sha256", hmacToken).update(identifier).digest("hex")

const serverLayer = LocalServer.layer({
  inboxes: [
    { identifier: "open-inbox" },
    { identifier: "verified-inbox", hmacToken: Redacted.make(hmacToken), hmacMandatory: true },
    { identifier: "optional-inbox", hmacToken },
    { identifier: "single-inbox", lockToSingleConversation: true },
    {
      identifier: "scheduled-inbox",
      timezone: "Asia/Riyadh",
      workingHoursEnabled: true,
      workingHours: [{
        day_of_week: 0,
        closed_all_day: false,
        open_hour: 8,
        open_minutes: 30,
        close_hour: 16,
        close_minutes: 0,
        open_all_day: false
      }]
    }
  ]
})

const base = (server: LocalServer.Service, inbox = "open-inbox") => `${server.url}/public/api/v1/inboxes/${inbox}`

const newCustomer = (server: LocalServer.Service, body: Record<string, unknown> = {}, inbox = "open-inbox") =>
  Effect.gen(function*() {
    const response = yield* request(`${base(server, inbox)}/contacts`, { method: "POST", body })
    assert.strictEqual(response.status, 200, response.text)
    const session = Schema.decodeUnknownSync(Contact.ContactSession)(response.json)
    return { session, url: `${base(server, inbox)}/contacts/${session.source_id}` }
  })

const newConversation = (customerUrl: string) =>
  Effect.gen(function*() {
    const response = yield* request(`${customerUrl}/conversations`, { method: "POST", body: {} })
    assert.strictEqual(response.status, 200, response.text)
    const conversation = Schema.decodeUnknownSync(Conversation.Conversation)(response.json)
    return { conversation, url: `${customerUrl}/conversations/${conversation.id}` }
  })

layer(serverLayer, { excludeTestServices: true })("Client API over HTTP", (it) => {
  describe("inbox", () => {
    it.effect("answers the inbox description in the schema's shape", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const response = yield* request(base(server, "verified-inbox"))
        const inbox = Schema.decodeUnknownSync(Inbox.Inbox)(response.json)
        assert.deepStrictEqual([inbox.identifier, inbox.identity_validation_enabled], ["verified-inbox", true])
        assert.strictEqual(inbox.working_hours.length, 7)
        assert.deepStrictEqual([inbox.timezone, inbox.working_hours_enabled], ["UTC", false])
      }))

    it.effect("answers the time zone and working hours the inbox was given", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const inbox = Schema.decodeUnknownSync(Inbox.Inbox)((yield* request(base(server, "scheduled-inbox"))).json)
        assert.deepStrictEqual([inbox.timezone, inbox.working_hours_enabled], ["Asia/Riyadh", true])
        assert.deepStrictEqual(inbox.working_hours.map((day) => [day.day_of_week, day.open_hour, day.open_minutes]), [[0, 8, 30]])
      }))

    it.effect("answers 404 with Rails' body for an unknown inbox", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const response = yield* request(base(server, "no-such-inbox"))
        assert.deepStrictEqual([response.status, response.json], [404, { status: 404, error: "Not Found" }])
      }))
  })

  describe("contacts", () => {
    it.effect("creates a session with a generated source id and token, and finds it again by source id", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { session, url } = yield* newCustomer(server, { name: "Ada", email: "ADA@example.com" })
        assert.strictEqual(session.email, "ada@example.com")
        assert.strictEqual(session.pubsub_token.length, 24)
        const again = yield* request(`${base(server)}/contacts`, { method: "POST", body: { source_id: session.source_id, name: "Other" } })
        assert.deepStrictEqual(again.json, (yield* request(url)).json)
        assert.strictEqual(again.json.name, "Ada")
      }))

    it.effect("keeps a client-chosen source id", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { session } = yield* newCustomer(server, { source_id: "device-7f3a" })
        assert.strictEqual(session.source_id, "device-7f3a")
      }))

    it.effect("answers 422 with message and attributes for an invalid email or phone number", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const email = yield* request(`${base(server)}/contacts`, { method: "POST", body: { email: "not-an-email" } })
        assert.deepStrictEqual([email.status, email.json.attributes], [422, ["email"]])
        const phone = yield* request(`${base(server)}/contacts`, { method: "POST", body: { phone_number: "0555" } })
        assert.deepStrictEqual([phone.status, phone.json.message], [422, "Phone number should be in e164 format"])
        // `validates :phone_number, allow_blank: true, uniqueness: …, format: …` (app/models/contact.rb): a blank one
        // is stored as it came, twice over.
        for (const _ of [1, 2]) {
          const blank = yield* request(`${base(server)}/contacts`, { method: "POST", body: { phone_number: "" } })
          assert.deepStrictEqual([blank.status, blank.json.phone_number], [200, ""])
        }
      }))

    it.effect("answers 404 for an unknown source id", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const response = yield* request(`${base(server)}/contacts/unknown-source`)
        assert.strictEqual(response.status, 404)
      }))

    it.effect("updates a contact, ignoring blanks, deep-merging attributes, and answers the raw record", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { url } = yield* newCustomer(server, { name: "Grace", custom_attributes: { plan: { tier: "pro" } } })
        const response = yield* request(url, {
          method: "PATCH",
          body: { name: "", phone_number: "+15555550199", custom_attributes: { plan: { seats: 3 } }, identifier: "ignored" }
        })
        const record = Schema.decodeUnknownSync(Contact.ContactRecord)(response.json)
        assert.deepStrictEqual(
          [record.name, record.phone_number, record.custom_attributes, record.identifier],
          ["Grace", "+15555550199", { plan: { tier: "pro", seats: 3 } }, null]
        )
        assert.isFalse("source_id" in response.json)
      }))
  })

  describe("identity (HMAC)", () => {
    it.effect("on an inbox that enforces it, refuses a missing or wrong hash with 500 and accepts the right one", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const missing = yield* request(`${base(server, "verified-inbox")}/contacts`, { method: "POST", body: { identifier: "u-1" } })
        const wrong = yield* request(`${base(server, "verified-inbox")}/contacts`, {
          method: "POST",
          body: { identifier: "u-1", identifier_hash: sign("u-2") }
        })
        assert.deepStrictEqual([missing.status, wrong.status], [500, 500])
        assert.deepStrictEqual(wrong.json, { status: 500, error: "Internal Server Error" })
        const { session } = yield* newCustomer(server, { identifier: "u-1", identifier_hash: sign("u-1") }, "verified-inbox")
        assert.isString(session.pubsub_token)
      }))

    it.effect("on an optional inbox, skips the check without a hash but refuses a wrong one", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        yield* newCustomer(server, { identifier: "u-9" }, "optional-inbox")
        const wrong = yield* request(`${base(server, "optional-inbox")}/contacts`, {
          method: "POST",
          body: { identifier: "u-9", identifier_hash: "0".repeat(64) }
        })
        assert.strictEqual(wrong.status, 500)
      }))

    it.effect("marks the session verified on GET with a valid hash, which widens its conversations", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const inbox = "verified-inbox"
        const first = yield* newCustomer(server, { identifier: "u-5", identifier_hash: sign("u-5") }, inbox)
        const second = yield* newCustomer(server, { identifier: "u-5", identifier_hash: sign("u-5") }, inbox)
        yield* newConversation(first.url)
        const before = yield* request(`${second.url}/conversations`)
        assert.strictEqual(before.json.length, 0)
        const verify = yield* request(`${second.url}?identifier=u-5&identifier_hash=${sign("u-5")}`)
        assert.strictEqual(verify.status, 200)
        const after = yield* request(`${second.url}/conversations`)
        assert.strictEqual(after.json.length, 1)
      }))
  })

  describe("conversations", () => {
    it.effect("creates, lists and shows conversations, with custom attributes", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { url } = yield* newCustomer(server)
        const created = yield* request(`${url}/conversations`, { method: "POST", body: { custom_attributes: { order: 42 }, status: "resolved" } })
        const conversation = Schema.decodeUnknownSync(Conversation.Conversation)(created.json)
        assert.strictEqual(conversation.status, "open")
        const list = yield* request(`${url}/conversations`)
        assert.deepStrictEqual(list.json.map((c: any) => c.id), [conversation.id])
        const shown = yield* request(`${url}/conversations/${conversation.id}`)
        assert.deepStrictEqual(shown.json, created.json)
        const missing = yield* request(`${url}/conversations/999999`)
        assert.strictEqual(missing.status, 404)
      }))

    it.effect("numbers conversations per account with display ids", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const a = yield* newConversation((yield* newCustomer(server)).url)
        const b = yield* newConversation((yield* newCustomer(server)).url)
        assert.strictEqual(b.conversation.id, a.conversation.id + 1)
      }))

    it.effect("reuses the last conversation on an inbox locked to a single conversation", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { url } = yield* newCustomer(server, {}, "single-inbox")
        const first = yield* newConversation(url)
        const second = yield* newConversation(url)
        assert.strictEqual(second.conversation.id, first.conversation.id)
      }))

    it.effect("toggle_status only resolves, and answers the conversation even when already resolved", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { url } = yield* newConversation((yield* newCustomer(server)).url)
        const first = yield* request(`${url}/toggle_status`, { method: "POST" })
        const second = yield* request(`${url}/toggle_status`, { method: "POST" })
        assert.deepStrictEqual([first.json.status, second.json.status], ["resolved", "resolved"])
      }))

    it.effect("toggle_typing and update_last_seen answer 200 with an empty body", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { url } = yield* newConversation((yield* newCustomer(server)).url)
        const typing = yield* request(`${url}/toggle_typing`, { method: "POST", body: { typing_status: "on" } })
        const seen = yield* request(`${url}/update_last_seen`, { method: "POST" })
        assert.deepStrictEqual([typing.status, typing.text, seen.status, seen.text], [200, "", 200, ""])
        const shown = Schema.decodeUnknownSync(Conversation.Conversation)((yield* request(url)).json)
        assert.strictEqual(shown.contact_last_seen_at._tag, "Some")
      }))
  })

  describe("messages", () => {
    it.effect("creates a message without echoing echo_id in the REST answer", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { url } = yield* newConversation((yield* newCustomer(server)).url)
        const response = yield* request(`${url}/messages`, { method: "POST", body: { content: "Hello", echo_id: "e-1" } })
        const message = Schema.decodeUnknownSync(Message.Message)(response.json)
        assert.deepStrictEqual([message.content, message.message_type, message.sender?.type], ["Hello", "incoming", "contact"])
        assert.isFalse("echo_id" in response.json)
      }))

    it.effect("accepts what the real server accepts: a numeric content (stored as text) and a blank echo_id", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { url } = yield* newConversation((yield* newCustomer(server)).url)
        const numeric = yield* request(`${url}/messages`, { method: "POST", body: { content: 42, echo_id: "" } })
        assert.strictEqual(numeric.status, 200, numeric.text)
        assert.strictEqual(numeric.json.content, "42")
        const empty = yield* request(`${url}/messages`, { method: "POST", body: {} })
        assert.deepStrictEqual([empty.status, empty.json.content], [200, null])
      }))

    it.effect("pages messages 20 at a time, oldest first, with before", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { conversation, url } = yield* newConversation((yield* newCustomer(server)).url)
        for (let i = 1; i <= 45; i++) {
          if (i % 3 === 0) yield* server.agent.reply(conversation.id, `reply ${i}`)
          else yield* request(`${url}/messages`, { method: "POST", body: { content: `message ${i}` } })
        }
        yield* server.agent.reply(conversation.id, "a private note", { private: true })
        const newest = (yield* request(`${url}/messages`)).json as Array<any>
        assert.strictEqual(newest.length, 20)
        assert.strictEqual(newest.at(-1).content, "reply 45")
        assert.isTrue(newest.every((m, i) => i === 0 || m.id > newest[i - 1].id))
        const older = (yield* request(`${url}/messages?before=${newest[0].id}`)).json as Array<any>
        const oldest = (yield* request(`${url}/messages?before=${older[0].id}`)).json as Array<any>
        assert.deepStrictEqual([older.length, oldest.length], [20, 5])
        assert.deepStrictEqual(
          [...oldest, ...older, ...newest].map((m) => m.content),
          Array.from({ length: 45 }, (_, i) => (i + 1) % 3 === 0 ? `reply ${i + 1}` : `message ${i + 1}`)
        )
        const shown = (yield* request(url)).json
        assert.strictEqual(shown.messages.length, 45)
      }))

    it.effect("answers 422 for content over 150,000 characters and 404 for an unknown conversation", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const customer = yield* newCustomer(server)
        const { url } = yield* newConversation(customer.url)
        const long = yield* request(`${url}/messages`, { method: "POST", body: { content: "x".repeat(150_001) } })
        assert.deepStrictEqual(long.json, { message: "Content is too long (maximum is 150000 characters)", attributes: ["content"] })
        const missing = yield* request(`${customer.url}/conversations/987654/messages`, { method: "POST", body: { content: "hi" } })
        assert.strictEqual(missing.status, 404)
      }))

    it.effect("answers a form: submitted_values land in content_attributes", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { conversation, url } = yield* newConversation((yield* newCustomer(server)).url)
        const form = yield* server.agent.reply(conversation.id, "Pick one", {
          contentType: "input_select",
          contentAttributes: { items: [{ title: "Yes", value: "yes" }] }
        })
        const response = yield* request(`${url}/messages/${form.id}`, {
          method: "PATCH",
          body: { submitted_values: [{ title: "Yes", value: "yes" }] }
        })
        assert.deepStrictEqual(response.json.content_attributes.submitted_values, [{ title: "Yes", value: "yes" }])
        const missing = yield* request(`${url}/messages/999999`, { method: "PATCH", body: { submitted_values: [] } })
        assert.strictEqual(missing.status, 404)
      }))

    it.effect("accepts attachments as multipart form data and serves their bytes", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { url } = yield* newConversation((yield* newCustomer(server)).url)
        const form = new FormData()
        form.append("content", "see attached")
        form.append("attachments[]", new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" }), "cat.png")
        form.append("attachments[]", new Blob(["hello"], { type: "text/plain" }), "notes.txt")
        const response = yield* Effect.promise(() => fetch(`${url}/messages`, { method: "POST", body: form }))
        const message = Schema.decodeUnknownSync(Message.Message)(yield* Effect.promise(() => response.json()))
        assert.deepStrictEqual(message.attachments?.map((a) => [a?.file_type, a?.file_size]), [["image", 4], ["file", 5]])
        const download = yield* Effect.promise(() => fetch(message.attachments![1]!.data_url!).then((r) => r.text()))
        assert.strictEqual(download, "hello")
      }))
  })

  describe("CORS", () => {
    it.effect("answers preflights and marks Client API answers for any origin, as rack-cors does", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const preflight = yield* request(`${base(server)}/contacts`, {
          method: "OPTIONS",
          headers: { origin: "http://widget.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" }
        })
        assert.strictEqual(preflight.status, 200)
        assert.strictEqual(preflight.headers.get("access-control-allow-origin"), "*")
        assert.include(preflight.headers.get("access-control-allow-methods") ?? "", "PATCH")
        const get = yield* request(base(server), { headers: { origin: "http://widget.example" } })
        assert.strictEqual(get.headers.get("access-control-allow-origin"), "*")
      }))
  })
})
