import { Cable } from "@bevatel/cable"
import { CustomerChat } from "@bevatel/client"
import { ClientApi } from "@bevatel/http"
import { CustomerStore } from "@bevatel/identity"
import { LocalServer } from "@bevatel/local-server"
import { FetchHttpClient } from "@effect/platform"
import { NodeSocket } from "@effect/platform-node"
import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option, Stream } from "effect"

const clients = Layer.unwrapEffect(
  Effect.map(LocalServer.LocalServer, (server) =>
    Layer.mergeAll(
      ClientApi.layer({ baseUrl: server.url, inboxIdentifier: server.inboxes[0]!.identifier }),
      Cable.layer({ url: server.url })
    ))
)
const testLayer = Layer.mergeAll(clients, CustomerStore.layerMemory).pipe(
  Layer.provideMerge(
    Layer.mergeAll(
      LocalServer.layer({ autoReply: { delay: "10 millis", typingFor: "10 millis", reply: (c) => `re: ${c}` } }),
      FetchHttpClient.layer,
      NodeSocket.layerWebSocketConstructor
    )
  )
)

layer(testLayer, { excludeTestServices: true })("CustomerChat", (it) => {
  it.scoped("creates the customer and a conversation, sends, and sees its echo and the agent's reply", () =>
    Effect.gen(function*() {
      const chat = yield* CustomerChat.make({ contact: { name: "Facade" } })
      assert.strictEqual(chat.origin, "created")
      const events = yield* chat.events().pipe(
        Stream.filter((event) => event._tag === "MessageAdded"),
        Stream.take(2),
        Stream.runCollect,
        Effect.fork
      )
      yield* chat.connection.pipe(Stream.filter((s) => s._tag === "Connected"), Stream.runHead)
      const { echoId } = yield* chat.send("hi there")
      yield* chat.typing("on")
      yield* chat.markSeen
      const [mine, reply] = [...(yield* events.await.pipe(Effect.flatten))]
      assert.isTrue(mine?._tag === "MessageAdded" && mine.message.echo_id === echoId)
      assert.isTrue(reply?._tag === "MessageAdded" && reply.message.content === "re: hi there")
    }))

  it.scoped("reuses the stored customer and its conversation on the next visit", () =>
    Effect.gen(function*() {
      const first = yield* CustomerChat.make()
      const second = yield* CustomerChat.make()
      assert.deepStrictEqual(
        [second.origin, second.customer.source_id, second.conversation.id],
        ["restored", first.customer.source_id, first.conversation.id]
      )
      const api = yield* ClientApi.ClientApi
      const stored = yield* Effect.flatMap(CustomerStore.CustomerStore, (store) => store.get(api.inboxIdentifier))
      assert.strictEqual(Option.getOrThrow(stored).conversation_id, first.conversation.id)
    }))

  it.scoped("starts a new conversation after a resolved one when asked, and remembers the new one", () =>
    Effect.gen(function*() {
      const first = yield* CustomerChat.make()
      yield* first.resolve
      const next = yield* CustomerChat.make({ startNew: true })
      assert.strictEqual(next.customer.source_id, first.customer.source_id)
      assert.notStrictEqual(next.conversation.id, first.conversation.id)
      assert.strictEqual(next.conversation.status, "open")
      const again = yield* CustomerChat.make()
      assert.strictEqual(again.conversation.id, next.conversation.id)
    }))
})
