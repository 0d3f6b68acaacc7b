import { Cable } from "@bevatel/cable"
import { ConversationStream, CustomerChat } from "@bevatel/client"
import { ClientApi } from "@bevatel/http"
import { CustomerStore, IdentifierHash } from "@bevatel/identity"
import { Faults, LocalServer } from "@bevatel/local-server"
import { FetchHttpClient } from "@effect/platform"
import { NodeSocket } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Fiber, HashMap, Layer, Logger, LogLevel, Queue, Redacted, Stream, Tracer } from "effect"

const hmacToken = "telemetry-hmac-token-0000"

describe("telemetry", () => {
  it.scopedLive("a whole session at debug level: no credential in any log line, span name or span attribute", () =>
    Effect.gen(function*() {
      const logs: Array<string> = []
      const spans: Array<Tracer.Span> = []
      const base = yield* Effect.tracer
      const recording = Tracer.make({
        context: base.context,
        span: (...args) => {
          const span = base.span(...args)
          spans.push(span)
          return span
        }
      })
      const logger = Logger.make(({ annotations, cause, message }) => {
        logs.push([
          String(message),
          ...[...HashMap.toEntries(annotations)].map(([key, value]) => `${key}=${String(value)}`),
          Cause.isEmpty(cause) ? "" : Cause.pretty(cause)
        ].join(" "))
      })

      const session = Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const faults = yield* Faults.Faults
        const identifier = "telemetry-user-1"
        const identifierHash = yield* IdentifierHash.sign(Redacted.make(hmacToken), identifier)
        const chat = yield* CustomerChat.make({ identity: { identifier, identifierHash: Effect.succeed(identifierHash) } })
        const api = yield* ClientApi.ClientApi
        const events = yield* Queue.unbounded<string>()
        const stream = yield* ConversationStream.make({
          sourceId: chat.customer.source_id,
          pubsubToken: chat.customer.pubsub_token,
          conversationId: chat.conversation.id
        }).pipe(
          Stream.runForEach((event) => Queue.offer(events, event._tag === "MessageAdded" ? event.message.content ?? "" : event._tag)),
          Effect.fork
        )
        yield* chat.send("hello")
        yield* server.agent.reply(chat.conversation.id, "first answer")
        yield* Queue.take(events).pipe(Effect.repeat({ until: (e) => e === "first answer" }))
        yield* faults.dropSockets
        yield* server.agent.reply(chat.conversation.id, "after the drop")
        yield* Queue.take(events).pipe(Effect.repeat({ until: (e) => e === "after the drop" }))
        yield* faults.failRequests({ count: 1, status: 503 })
        yield* chat.typing("on")
        yield* chat.markSeen
        yield* api.contacts.get(chat.customer.source_id, { identifier, identifier_hash: identifierHash })
        yield* chat.resolve
        yield* Fiber.interrupt(stream)
        return { sourceId: chat.customer.source_id, pubsubToken: chat.customer.pubsub_token, identifierHash }
      })

      const secrets = yield* session.pipe(
        Effect.withTracer(recording),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      // Every span ended with the session (interrupted fibers included), so its attributes are all there to search.
      assert.deepStrictEqual(spans.filter((span) => span.status._tag === "Started").map((span) => span.name), [])
      assert.isAbove(logs.length, 5, "the session logged at debug level")
      assert.isAbove(spans.length, 10, "the session was traced")
      const telemetry = [
        ...logs,
        ...spans.flatMap((span) => [span.name, ...[...span.attributes].map(([key, value]) => `${key}=${String(value)}`)])
      ].join("\n")
      for (const [name, value] of Object.entries({ ...secrets, hmacToken })) {
        assert.notInclude(telemetry, value, `${name} leaked into logs or spans`)
      }
      assert.include(telemetry, "/contacts/:source_id", "routes appear as templates")
    }).pipe(
      Effect.provide(
        Layer.unwrapEffect(
          Effect.map(LocalServer.LocalServer, (server) =>
            Layer.mergeAll(
              ClientApi.layer({ baseUrl: server.url, inboxIdentifier: server.inboxes[0]!.identifier }),
              Cable.layer({ url: server.url, pingInterval: "500 millis", presenceInterval: false }),
              CustomerStore.layerMemory
            ))
        ).pipe(Layer.provideMerge(Layer.mergeAll(
          LocalServer.layer({ pingInterval: "500 millis", inboxes: [{ hmacToken: Redacted.make(hmacToken), hmacMandatory: true }] }),
          FetchHttpClient.layer,
          NodeSocket.layerWebSocketConstructor
        )))
      )
    ))
})
