// @bevatel/cluster alone: hand one event to a webhook sink, with its idempotency key.
import { EventSink } from "@bevatel/cluster"
import { FetchHttpClient } from "@effect/platform"
import { Effect } from "effect"
import { createServer } from "node:http"

const server = createServer((request, response) => {
  console.log(`received: ${request.method} ${request.url} Idempotency-Key ${request.headers["idempotency-key"]}`)
  response.writeHead(204).end()
})
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))

const program = Effect.gen(function*() {
  const sink = yield* EventSink.webhook({ url: `http://127.0.0.1:${server.address().port}/events` })
  yield* sink.deliver({ key: "message/1", customer: "ada", conversation_id: 1, event: "message.created", data: { id: 1 } })
  console.log("delivered: message/1")
})
await Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer)))
server.close()
