// examples/src/customer-chat.ts — a customer's chat on Node: restore or create the customer (remembered in
// ./.bevatel, a folder only its owner can read), send a message, and print the conversation until an agent answers.
// Run: BEVATEL_URL=https://chat.example.com BEVATEL_INBOX_IDENTIFIER=<inbox> node customer-chat.js
import { Cable } from "@bevatel/cable"
import { CustomerChat } from "@bevatel/client"
import { ClientApi } from "@bevatel/http"
import { CustomerStore, PrivateKeyValueStore } from "@bevatel/identity"
import { NodeContext, NodeHttpClient, NodeRuntime, NodeSocket } from "@effect/platform-node"
import { Config, Console, Effect, Layer, Stream } from "effect"

// The Client API and the cable of the installation at BEVATEL_URL; the customer (its credentials) stored on disk,
// in 0600 files of a 0700 folder.
const url = Config.url("BEVATEL_URL")
const Bevatel = Layer.mergeAll(
  ClientApi.layerConfig({ baseUrl: url, inboxIdentifier: Config.nonEmptyString("BEVATEL_INBOX_IDENTIFIER") }),
  Cable.layerConfig({ url }),
  CustomerStore.layer
).pipe(
  Layer.provide(Layer.mergeAll(
    NodeHttpClient.layerUndici,
    NodeSocket.layerWebSocketConstructor,
    PrivateKeyValueStore.layerFileSystem(".bevatel").pipe(Layer.provide(NodeContext.layer))
  ))
)

const program = Effect.gen(function*() {
  const chat = yield* CustomerChat.make({ contact: { name: "Ada" } })
  yield* Console.log(`conversation #${chat.conversation.id} (${chat.origin} customer ${chat.customer.name})`)
  const { message } = yield* chat.send("Hello! Where is my order?")
  // History first, then live events; messages missed while offline are recovered. Stop at the agent's answer.
  yield* chat.events().pipe(
    Stream.filter((event) => event._tag === "MessageAdded"),
    Stream.tap(({ message }) => Console.log(`${message.message_type === "incoming" ? "you" : "agent"}: ${message.content}`)),
    Stream.takeUntil((event) => event.message.message_type === "outgoing" && event.message.id > message.id),
    Stream.runDrain
  )
}).pipe(Effect.scoped, Effect.provide(Bevatel))

NodeRuntime.runMain(program)
