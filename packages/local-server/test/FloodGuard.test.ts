import { LocalServer } from "@bevatel/local-server"
import { assert, layer } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { request } from "./support.js"

// Chatwoot's `Message#prevent_message_flooding`: a conversation that had `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`
// messages (any kind) within the last minute refuses the next one with 422 "Too many messages" [base]. Here the
// limit and the window are small, so the window can be seen to move.
layer(LocalServer.layer({ messageFlood: { perConversation: 3, window: "2 seconds" } }), { excludeTestServices: true })("the flood guard", (it) => {
  it.effect("refuses a message past the limit within the window with 422 \"Too many messages\", and takes it once the window moved", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const inbox = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
      const contact = (yield* request(`${inbox}/contacts`, { method: "POST", body: {} })).json
      const conversations = `${inbox}/contacts/${contact.source_id}/conversations`
      const conversation = (yield* request(conversations, { method: "POST", body: {} })).json
      const messages = `${conversations}/${conversation.id}/messages`
      const first = Date.now()
      for (const content of ["one", "two"]) assert.strictEqual((yield* request(messages, { method: "POST", body: { content } })).status, 200)
      // An agent's message counts too.
      yield* server.agent.reply(conversation.id, "from the agent")
      const refused = yield* request(messages, { method: "POST", body: { content: "four" } })
      assert.strictEqual(refused.status, 422)
      assert.deepStrictEqual(refused.json, { message: "Too many messages", attributes: ["base"] })
      // Another conversation is not affected.
      const other = (yield* request(conversations, { method: "POST", body: {} })).json
      assert.strictEqual((yield* request(`${conversations}/${other.id}/messages`, { method: "POST", body: { content: "elsewhere" } })).status, 200)
      // Once the first messages are older than the window, the conversation takes messages again.
      const accepted = yield* request(messages, { method: "POST", body: { content: "four" } }).pipe(
        Effect.filterOrFail((answer) => answer.status === 200),
        Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo("10 seconds")))
      )
      assert.strictEqual(accepted.json.content, "four")
      assert.isAtLeast(Date.now() - first, 2_000)
      const contents = (yield* request(messages)).json.map((m: { content: string }) => m.content)
      assert.deepStrictEqual(contents, ["one", "two", "from the agent", "four"])
    }))
})
