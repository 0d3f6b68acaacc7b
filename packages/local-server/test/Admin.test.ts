import { LocalServer } from "@bevatel/local-server"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { isEvent, nextFrame, openCable, request, subscribe } from "./support.js"

layer(LocalServer.layer(), { excludeTestServices: true })("the admin HTTP API", (it) => {
  it.scoped("plays the agent over HTTP: reply, typing, status, messages and edits", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const admin = `${server.url}/__bevatel`
      assert.deepStrictEqual((yield* request(`${admin}/health`)).json, { ok: true })
      const base = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
      const contact = (yield* request(`${base}/contacts`, { method: "POST", body: {} })).json
      const conversation = (yield* request(`${base}/contacts/${contact.source_id}/conversations`, { method: "POST", body: {} })).json
      const cable = yield* openCable(server.cableUrl)
      yield* subscribe(cable, contact.pubsub_token)

      const typing = yield* request(`${admin}/conversations/${conversation.id}/typing`, { method: "POST", body: { status: "on", private: true } })
      assert.strictEqual(typing.status, 204)
      assert.isTrue((yield* nextFrame(cable, isEvent("conversation.typing_on"))).message.data.is_private)

      const reply = yield* request(`${admin}/conversations/${conversation.id}/reply`, { method: "POST", body: { content: "over HTTP" } })
      assert.deepStrictEqual([reply.status, reply.json.content, reply.json.message_type], [200, "over HTTP", 1])
      yield* nextFrame(cable, (f) => isEvent("message.created")(f) && f.message.data.content === "over HTTP")

      const edited = yield* request(`${admin}/messages/${reply.json.id}`, { method: "PATCH", body: { content: "edited over HTTP" } })
      assert.strictEqual(edited.json.content, "edited over HTTP")
      yield* nextFrame(cable, isEvent("message.updated"))

      const status = yield* request(`${admin}/conversations/${conversation.id}/status`, { method: "POST", body: { status: "resolved" } })
      assert.strictEqual(status.status, 204)
      const changed = yield* nextFrame(cable, isEvent("conversation.status_changed"))
      assert.strictEqual(changed.message.data.status, "resolved")

      const messages = yield* request(`${admin}/conversations/${conversation.id}/messages`)
      assert.deepStrictEqual(messages.json.map((m: any) => m.content), ["edited over HTTP"])
    }))

  it.effect("answers 404 for an unknown conversation and 422 for a bad status", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const admin = `${server.url}/__bevatel`
      assert.strictEqual((yield* request(`${admin}/conversations/987654/reply`, { method: "POST", body: { content: "x" } })).status, 404)
      assert.strictEqual((yield* request(`${admin}/conversations/1/status`, { method: "POST", body: { status: "frozen" } })).status, 422)
    }))

  it.effect("adds inboxes and injects faults over HTTP", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const admin = `${server.url}/__bevatel`
      const inbox = yield* request(`${admin}/inboxes`, { method: "POST", body: { identifier: "added-inbox", hmac_mandatory: true } })
      assert.deepStrictEqual([inbox.json.identifier, inbox.json.hmac_mandatory], ["added-inbox", true])
      const described = yield* request(`${server.url}/public/api/v1/inboxes/added-inbox`)
      assert.isTrue(described.json.identity_validation_enabled)
      const fault = yield* request(`${admin}/faults/fail-requests`, { method: "POST", body: { count: 1, status: 429, retry_after_seconds: 3 } })
      assert.strictEqual(fault.status, 204)
      const limited = yield* request(`${server.url}/public/api/v1/inboxes/added-inbox`)
      assert.deepStrictEqual([limited.status, limited.headers.get("retry-after")], [429, "3"])
      assert.strictEqual((yield* request(`${admin}/faults/no-such-fault`, { method: "POST", body: {} })).status, 404)
    }))
})
