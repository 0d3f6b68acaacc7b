import { CableEvent, CableFrame } from "@bevatel/schema"
import { LocalServer } from "@bevatel/local-server"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { frameWithin, isEvent, nextFrame, openCable, request, roomIdentifier, subscribe } from "./support.js"

const serverLayer = LocalServer.layer({ pingInterval: "200 millis" })

const customerWithConversation = Effect.gen(function*() {
  const server = yield* LocalServer.LocalServer
  const base = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
  const contact = (yield* request(`${base}/contacts`, { method: "POST", body: { name: "Ada" } })).json
  const customerUrl = `${base}/contacts/${contact.source_id}`
  const conversation = (yield* request(`${customerUrl}/conversations`, { method: "POST", body: {} })).json
  return { server, token: contact.pubsub_token as string, conversationId: conversation.id as number, url: `${customerUrl}/conversations/${conversation.id}` }
})

const decodeEvent = (frame: any) => Schema.decodeUnknownSync(CableEvent.CableEvent)(frame.message)

layer(serverLayer, { excludeTestServices: true })("ActionCable at /cable", (it) => {
  describe("protocol", () => {
    it.scoped("welcomes, then pings on its interval", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const cable = yield* openCable(server.cableUrl)
        const welcome = yield* nextFrame(cable, () => true)
        assert.deepStrictEqual(welcome, { type: "welcome" })
        const ping = Schema.decodeUnknownSync(CableFrame.ServerFrame)(yield* nextFrame(cable, (f) => f.type === "ping"))
        assert.isTrue("type" in ping && ping.type === "ping" && Math.abs(ping.message - Date.now() / 1000) < 60)
      }))

    it.scoped("confirms a known token, then sends presence", () =>
      Effect.gen(function*() {
        const { server, token } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        const identifier = yield* subscribe(cable, token)
        const presence = yield* nextFrame(cable, isEvent("presence.update"))
        assert.strictEqual(presence.identifier, identifier)
        assert.deepStrictEqual(decodeEvent(presence)._tag, "PresenceUpdate")
      }))

    it.scoped("never answers a subscription with an unknown token, and ignores a repeat of it", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const cable = yield* openCable(server.cableUrl)
        const identifier = roomIdentifier("unknown-token-000000000000")
        yield* cable.send({ command: "subscribe", identifier })
        yield* cable.send({ command: "subscribe", identifier })
        const answered = yield* frameWithin(cable, (f) => f.identifier === identifier, "1 second")
        assert.isFalse(answered)
      }))

    it.scoped("answers update_presence with a fresh presence.update", () =>
      Effect.gen(function*() {
        const { server, token } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        const identifier = yield* subscribe(cable, token)
        yield* nextFrame(cable, isEvent("presence.update"))
        yield* cable.send({ command: "message", identifier, data: JSON.stringify({ action: "update_presence" }) })
        const presence = yield* nextFrame(cable, isEvent("presence.update"))
        assert.deepStrictEqual(presence.message.data.users, { "1": "online" })
      }))

    it.scoped("answers update_presence with the availability an agent set", () =>
      Effect.gen(function*() {
        const { server, token } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        const identifier = yield* subscribe(cable, token)
        yield* nextFrame(cable, isEvent("presence.update"))
        yield* server.agent.setAvailability(1, "busy")
        yield* cable.send({ command: "message", identifier, data: JSON.stringify({ action: "update_presence" }) })
        const presence = yield* nextFrame(cable, isEvent("presence.update"))
        assert.deepStrictEqual(presence.message.data.users, { "1": "busy" })
        const unknown = yield* Effect.flip(server.agent.setAvailability(99, "online"))
        assert.strictEqual(unknown._tag, "AgentTargetNotFound")
      }).pipe(Effect.ensuring(Effect.flatMap(LocalServer.LocalServer, (server) => Effect.ignore(server.agent.setAvailability(1, "online"))))))

    it.effect("answers a plain GET to /cable with 404 'Page not found'", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const response = yield* request(`${server.url}/cable`)
        assert.deepStrictEqual([response.status, response.text], [404, "Page not found"])
      }))
  })

  describe("events", () => {
    it.scoped("delivers the customer's own message with its echo_id, and an agent's reply", () =>
      Effect.gen(function*() {
        const { conversationId, server, token, url } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        yield* subscribe(cable, token)
        const sent = yield* request(`${url}/messages`, { method: "POST", body: { content: "Hi", echo_id: "echo-1" } })
        const echo = decodeEvent(yield* nextFrame(cable, isEvent("message.created")))
        assert.isTrue(echo._tag === "MessageCreated" && echo.data.echo_id === "echo-1" && echo.data.id === sent.json.id)
        yield* server.agent.reply(conversationId, "Hello from support")
        const reply = decodeEvent(yield* nextFrame(cable, isEvent("message.created")))
        assert.isTrue(reply._tag === "MessageCreated" && reply.data.message_type === "outgoing" && reply.data.sender?.type === "user")
      }))

    it.scoped("never delivers private notes, and flags private-note typing", () =>
      Effect.gen(function*() {
        const { conversationId, server, token } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        yield* subscribe(cable, token)
        yield* server.agent.reply(conversationId, "internal note", { private: true })
        yield* server.agent.typing(conversationId, "on", { private: true })
        yield* server.agent.reply(conversationId, "public answer")
        const typing = decodeEvent(yield* nextFrame(cable, isEvent("conversation.typing_on")))
        assert.isTrue(typing._tag === "TypingOn" && typing.data.is_private === true)
        const created = decodeEvent(yield* nextFrame(cable, isEvent("message.created")))
        assert.isTrue(created._tag === "MessageCreated" && created.data.content === "public answer")
      }))

    it.scoped("sends status_changed and updated on resolve, and reopens on a new customer message", () =>
      Effect.gen(function*() {
        const { server, token, url } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        yield* subscribe(cable, token)
        yield* request(`${url}/toggle_status`, { method: "POST" })
        const resolved = decodeEvent(yield* nextFrame(cable, isEvent("conversation.status_changed")))
        const updated = decodeEvent(yield* nextFrame(cable, isEvent("conversation.updated")))
        assert.isTrue(resolved._tag === "ConversationStatusChanged" && resolved.data.status === "resolved")
        assert.strictEqual(updated._tag, "ConversationUpdated")
        yield* request(`${url}/messages`, { method: "POST", body: { content: "one more thing" } })
        const reopened = decodeEvent(yield* nextFrame(cable, isEvent("conversation.status_changed")))
        assert.isTrue(reopened._tag === "ConversationStatusChanged" && reopened.data.status === "open")
      }))

    it.scoped("does not send the customer its own typing", () =>
      Effect.gen(function*() {
        const { conversationId, server, token, url } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        yield* subscribe(cable, token)
        yield* request(`${url}/toggle_typing`, { method: "POST", body: { typing_status: "on" } })
        yield* server.agent.typing(conversationId, "off")
        const first = yield* nextFrame(cable, (f) => String(f.message?.event).startsWith("conversation.typing"))
        assert.strictEqual(first.message.event, "conversation.typing_off")
      }))

    it.scoped("delivers message.updated with previous_changes", () =>
      Effect.gen(function*() {
        const { conversationId, server, token } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        yield* subscribe(cable, token)
        const reply = yield* server.agent.reply(conversationId, "typo")
        yield* server.agent.updateMessage(reply.id, { content: "fixed" })
        const updated = decodeEvent(yield* nextFrame(cable, isEvent("message.updated")))
        assert.isTrue(updated._tag === "MessageUpdated" && updated.data.content === "fixed")
        assert.deepStrictEqual(updated._tag === "MessageUpdated" && updated.data.previous_changes?.content, ["typo", "fixed"])
      }))

    it.scoped("stops delivering after unsubscribe", () =>
      Effect.gen(function*() {
        const { conversationId, server, token } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        const identifier = yield* subscribe(cable, token)
        yield* cable.send({ command: "unsubscribe", identifier })
        // The server handles a socket's commands in order: once a later subscription is confirmed, the
        // unsubscribe has been handled (ActionCable confirms no unsubscribe).
        yield* subscribe(cable, (yield* customerWithConversation).token)
        yield* server.agent.reply(conversationId, "anyone there?")
        assert.isFalse(yield* frameWithin(cable, isEvent("message.created"), "1 second"))
      }))

    it.scoped("delivers conversation.created to a subscribed customer", () =>
      Effect.gen(function*() {
        const { server, token, url } = yield* customerWithConversation
        const cable = yield* openCable(server.cableUrl)
        yield* subscribe(cable, token)
        const customerUrl = url.replace(/\/conversations\/\d+$/, "")
        const created = yield* request(`${customerUrl}/conversations`, { method: "POST", body: {} })
        const event = decodeEvent(
          yield* nextFrame(cable, (f) => isEvent("conversation.created")(f) && f.message.data.id === created.json.id)
        )
        assert.strictEqual(event._tag, "ConversationCreated")
      }))
  })
})
