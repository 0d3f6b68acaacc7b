import { Agent, LocalServer } from "@bevatel/local-server"
import { assert, layer } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { isEvent, nextFrame, openCable, request, subscribe } from "./support.js"

const serverLayer = LocalServer.layer({
  autoReply: { delay: "10 millis", typingFor: "10 millis", reply: (content) => `echo: ${content}` }
})

layer(serverLayer, { excludeTestServices: true })("the auto-reply bot", (it) => {
  it.scoped("types, answers and stops typing after each customer message, which the agent side sees", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const agent = yield* Agent.Agent
      const received = yield* agent.activity.pipe(
        Stream.filter((event) => event._tag === "MessageReceived"),
        Stream.runHead,
        Effect.fork
      )
      const base = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
      const contact = (yield* request(`${base}/contacts`, { method: "POST", body: {} })).json
      const customer = `${base}/contacts/${contact.source_id}`
      const conversation = (yield* request(`${customer}/conversations`, { method: "POST", body: {} })).json
      const cable = yield* openCable(server.cableUrl)
      yield* subscribe(cable, contact.pubsub_token)
      yield* Effect.yieldNow()
      yield* request(`${customer}/conversations/${conversation.id}/messages`, { method: "POST", body: { content: "ping" } })
      yield* nextFrame(cable, isEvent("conversation.typing_on"))
      const reply = yield* nextFrame(cable, (f) => isEvent("message.created")(f) && f.message.data.message_type === 1)
      yield* nextFrame(cable, isEvent("conversation.typing_off"))
      assert.strictEqual(reply.message.data.content, "echo: ping")
      const seen = yield* received.await
      assert.isTrue(seen._tag === "Success" && seen.value._tag === "Some" && seen.value.value._tag === "MessageReceived")
    }))
})
