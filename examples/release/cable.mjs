// @bevatel/cable alone: the live events of the customer whose pubsub_token is BEVATEL_PUBSUB_TOKEN.
import { Cable } from "@bevatel/cable"
import { NodeSocket } from "@effect/platform-node"
import { Config, Effect, Stream } from "effect"

const program = Effect.gen(function*() {
  const cable = yield* Cable.Cable
  yield* cable.subscribe(process.env.BEVATEL_PUBSUB_TOKEN).pipe(
    Stream.tap((message) => message._tag === "Confirmed" ? Effect.sync(() => console.log("subscribed")) : Effect.void),
    Stream.filter((message) => message._tag === "Event" && message.event._tag === "MessageCreated"),
    Stream.take(1),
    Stream.runForEach((message) => Effect.sync(() => console.log(`received: ${message.event.data.content}`)))
  )
}).pipe(
  Effect.provide(Cable.layerConfig({ url: Config.url("BEVATEL_URL") })),
  Effect.provide(NodeSocket.layerWebSocketConstructor)
)

Effect.runPromise(program).then(() => process.exit(0), (error) => {
  console.error(String(error))
  process.exit(1)
})
