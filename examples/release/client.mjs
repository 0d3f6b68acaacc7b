// @bevatel/client alone (its dependencies come with it): a customer's chat at BEVATEL_URL, until the agent answers.
import { Cable } from "@bevatel/cable"
import { CustomerChat } from "@bevatel/client"
import { ClientApi } from "@bevatel/http"
import { CustomerStore } from "@bevatel/identity"
import { FetchHttpClient } from "@effect/platform"
import { NodeSocket } from "@effect/platform-node"
import { Config, Effect, Layer, Stream } from "effect"

const url = Config.url("BEVATEL_URL")
const Bevatel = Layer.mergeAll(
  ClientApi.layerConfig({ baseUrl: url, inboxIdentifier: Config.nonEmptyString("BEVATEL_INBOX_IDENTIFIER") }),
  Cable.layerConfig({ url }),
  CustomerStore.layerMemory
).pipe(
  Layer.provide(Layer.mergeAll(FetchHttpClient.layer, NodeSocket.layerWebSocketConstructor))
)
const program = Effect.gen(function*() {
  const chat = yield* CustomerChat.make({ contact: { name: "Ada" } })
  yield* chat.send("Hello!")
  yield* chat.events().pipe(
    Stream.filter((event) => event._tag === "MessageAdded" && event.message.message_type === "outgoing"),
    Stream.take(1),
    Stream.runForEach((event) => Effect.sync(() => console.log(`agent: ${event.message.content}`)))
  )
}).pipe(Effect.scoped, Effect.provide(Bevatel))

Effect.runPromise(program).then(() => process.exit(0), (error) => {
  console.error(String(error))
  process.exit(1)
})
