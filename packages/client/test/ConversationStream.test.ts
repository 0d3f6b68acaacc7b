import { Cable } from "@bevatel/cable"
import { ClientApi } from "@bevatel/http"
import { CheckpointStore, ConversationEvent, ConversationStream } from "@bevatel/client"
import { Faults, LocalServer } from "@bevatel/local-server"
import { FetchHttpClient, KeyValueStore } from "@effect/platform"
import { NodeSocket } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, Queue, Stream } from "effect"

const platform = Layer.mergeAll(FetchHttpClient.layer, NodeSocket.layerWebSocketConstructor)
const clients = Layer.unwrapEffect(
  Effect.map(LocalServer.LocalServer, (server) =>
    Layer.mergeAll(
      ClientApi.layer({ baseUrl: server.url, inboxIdentifier: server.inboxes[0]!.identifier }),
      Cable.layer({ url: server.url, pingInterval: "200 millis", presenceInterval: false })
    ))
)
const testLayer = clients.pipe(Layer.provideMerge(Layer.mergeAll(LocalServer.layer({ pingInterval: "200 millis" }), platform)))

/** A customer with a conversation, and its lossless stream collected into a queue in the background. */
const watched = (options: Partial<ConversationStream.Options> = {}) =>
  Effect.gen(function*() {
    const api = yield* ClientApi.ClientApi
    const contact = yield* api.contacts.create({ name: "Lossless" })
    const conversation = yield* api.conversations.create(contact.source_id)
    const events = yield* Queue.unbounded<ConversationEvent.ConversationEvent>()
    const start = (extra: Partial<ConversationStream.Options> = {}) =>
      ConversationStream.make({
        sourceId: contact.source_id,
        pubsubToken: contact.pubsub_token,
        conversationId: conversation.id,
        ...options,
        ...extra
      }).pipe(Stream.runForEach((event) => Queue.offer(events, event)), Effect.forkScoped)
    return { api, contact, conversation, events, start }
  })

/** Collects message contents from the stream until `count` messages have arrived. */
const contents = (events: Queue.Queue<ConversationEvent.ConversationEvent>, count: number) =>
  Effect.gen(function*() {
    const seen: Array<string> = []
    const origins: Array<string> = []
    while (seen.length < count) {
      const event = yield* Queue.take(events)
      if (event._tag === "MessageAdded") {
        seen.push(event.message.content ?? "")
        origins.push(event.origin)
      }
    }
    return { seen, origins }
  })

const awaitTag = (events: Queue.Queue<ConversationEvent.ConversationEvent>, tag: ConversationEvent.ConversationEvent["_tag"]) =>
  Queue.take(events).pipe(Effect.repeat({ until: (event) => event._tag === tag }))

const awaitConnected = Effect.flatMap(Cable.Cable, (cable) =>
  cable.state.pipe(Stream.filter((s) => s._tag === "Connected"), Stream.runHead))

const awaitReconnecting = Effect.flatMap(Cable.Cable, (cable) =>
  cable.state.pipe(Stream.filter((s) => s._tag === "Reconnecting"), Stream.runHead))

/** A new conversation whose stream is live (its first status emitted), with the server and its faults. */
const liveConversation = Effect.gen(function*() {
  const server = yield* LocalServer.LocalServer
  const faults = yield* Faults.Faults
  const watching = yield* watched()
  yield* watching.start()
  yield* awaitTag(watching.events, "StatusChanged")
  return { ...watching, server, faults }
})

/**
 * A live stream of a new conversation that has received one reply ("before"); then the server restarts, and
 * `whileDown` runs while nobody is connected.
 */
const outage = <A, E>(downFor: string, whileDown: (conversationId: number) => Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const watching = yield* liveConversation
    const faults = watching.faults
    yield* watching.server.agent.reply(watching.conversation.id, "before")
    assert.deepStrictEqual((yield* contents(watching.events, 1)).seen, ["before"])
    const restart = yield* Effect.fork(faults.restart({ downFor: downFor as never }))
    yield* awaitReconnecting
    yield* Effect.orDie(whileDown(watching.conversation.id))
    yield* Fiber.join(restart)
    return watching
  })

layer(testLayer, { excludeTestServices: true })("ConversationStream", (it) => {
  describe("history and live", () => {
    it.scoped("starts with the history, then the status, then live messages, each once and in order", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { api, contact, conversation, events, start } = yield* watched({ history: 3 })
        for (const content of ["one", "two", "three", "four"]) {
          yield* api.messages.create(contact.source_id, conversation.id, { content })
        }
        yield* start()
        const status = yield* awaitTag(events, "StatusChanged")
        assert.isTrue(status._tag === "StatusChanged" && status.status === "open")
        const history = yield* contents(events, 3)
        assert.deepStrictEqual(history.seen, ["two", "three", "four"])
        assert.deepStrictEqual(history.origins, ["history", "history", "history"])
        const sent = yield* api.messages.create(contact.source_id, conversation.id, { content: "five" })
        yield* server.agent.reply(conversation.id, "six")
        const live = yield* Queue.take(events).pipe(Effect.repeat({ until: (e) => e._tag === "MessageAdded" }))
        assert.isTrue(live._tag === "MessageAdded" && live.message.echo_id === sent.echoId && live.origin === "live")
        assert.deepStrictEqual((yield* contents(events, 1)).seen, ["six"])
      }))

    it.scoped("emits a message's changes, and typing as live events of this conversation only", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { api, contact, conversation, events, start } = yield* watched()
        const other = yield* api.conversations.create(contact.source_id)
        yield* start()
        yield* awaitTag(events, "StatusChanged")
        yield* server.agent.typing(other.id, "on")
        yield* server.agent.typing(conversation.id, "on")
        const typing = yield* Queue.take(events).pipe(Effect.repeat({ until: (e) => e._tag === "Live" && e.event._tag === "TypingOn" }))
        assert.isTrue(typing._tag === "Live" && typing.event._tag === "TypingOn" && typing.event.data.conversation.id === conversation.id)
        const reply = yield* server.agent.reply(conversation.id, "draft")
        yield* contents(events, 1)
        yield* server.agent.updateMessage(reply.id, { content: "final" })
        const changed = yield* awaitTag(events, "MessageChanged")
        assert.isTrue(changed._tag === "MessageChanged" && changed.message.content === "final")
      }))

    it.scoped("resumes after a stored message id, emitting everything later, across pages", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { conversation, events, start } = yield* watched()
        const first = yield* server.agent.reply(conversation.id, "already processed")
        for (let i = 1; i <= 45; i++) yield* server.agent.reply(conversation.id, `later ${i}`)
        yield* start({ after: first.id })
        const { origins, seen } = yield* contents(events, 45)
        assert.deepStrictEqual(seen, Array.from({ length: 45 }, (_, i) => `later ${i + 1}`))
        assert.isTrue(origins.every((origin) => origin === "backfill"))
      }))
  })

  describe("checkpoints", () => {
    it.scoped("resumes after the conversation's checkpoint, and starts with the history without one", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const checkpoints = yield* CheckpointStore.make.pipe(Effect.provide(KeyValueStore.layerMemory))
        const { api, contact, conversation, events, start } = yield* watched({ checkpoints })
        const first = yield* server.agent.reply(conversation.id, "handed downstream")
        yield* server.agent.reply(conversation.id, "not yet")
        const fresh = yield* start()
        assert.deepStrictEqual((yield* contents(events, 2)).origins, ["history", "history"])
        yield* Fiber.interrupt(fresh)
        yield* checkpoints.commit(
          { inboxIdentifier: api.inboxIdentifier, sourceId: contact.source_id, conversationId: conversation.id },
          first.id
        )
        yield* server.agent.reply(conversation.id, "while stopped")
        yield* start()
        const resumed = yield* contents(events, 2)
        assert.deepStrictEqual(resumed.seen, ["not yet", "while stopped"])
        assert.deepStrictEqual(resumed.origins, ["backfill", "backfill"])
      }))
  })

  describe("lossless across outages", () => {
    it.scoped("recovers every reply sent while the server was down — more than a page — once and in order", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { conversation, events } = yield* outage("1 second", (id) =>
          Effect.forEach(Array.from({ length: 30 }, (_, i) => i + 1), (i) => server.agent.reply(id, `missed ${i}`)))
        const recovered = yield* contents(events, 30)
        assert.deepStrictEqual(recovered.seen, Array.from({ length: 30 }, (_, i) => `missed ${i + 1}`))
        assert.isTrue(recovered.origins.every((origin) => origin === "backfill"))
        const resumed = yield* awaitTag(events, "Resumed")
        assert.isTrue(resumed._tag === "Resumed" && resumed.missed === 30)
        yield* server.agent.reply(conversation.id, "after")
        assert.deepStrictEqual((yield* contents(events, 1)).seen, ["after"])
      }))

    it.scoped("stays exactly-once through a burst of dropped connections with replies in between", () =>
      Effect.gen(function*() {
        const { conversation, events, faults, server } = yield* liveConversation
        const expected: Array<string> = []
        for (let round = 1; round <= 4; round++) {
          yield* faults.dropSockets
          for (let i = 1; i <= 7; i++) {
            const content = `round ${round} reply ${i}`
            expected.push(content)
            yield* server.agent.reply(conversation.id, content)
          }
          yield* awaitConnected
        }
        const { seen } = yield* contents(events, expected.length)
        assert.deepStrictEqual(seen, expected)
        yield* server.agent.reply(conversation.id, "the end")
        assert.deepStrictEqual((yield* contents(events, 1)).seen, ["the end"])
      }))

    it.scoped("recovers a message whose live event does not decode over HTTP, exactly once, and passes the event on", () =>
      Effect.gen(function*() {
        const { conversation, events, faults, server } = yield* liveConversation
        // A server whose message.created lost a field the SDK requires.
        yield* faults.alterEvents((event, data) => {
          if (event !== "message.created") return data
          const { conversation_id: _, ...rest } = data as Record<string, unknown>
          return rest
        })
        yield* server.agent.reply(conversation.id, "from a changed server")
        const recovered = yield* Queue.take(events).pipe(Effect.repeat({ until: (e) => e._tag === "MessageAdded" }))
        assert.isTrue(
          recovered._tag === "MessageAdded" && recovered.message.content === "from a changed server" &&
            recovered.origin === "backfill"
        )
        const passedOn = yield* Queue.take(events)
        assert.isTrue(passedOn._tag === "Live" && passedOn.event._tag === "Undecodable")
        yield* faults.reset
        yield* server.agent.reply(conversation.id, "normal again")
        assert.deepStrictEqual((yield* contents(events, 1)).seen, ["normal again"])
      }).pipe(Effect.ensuring(Effect.flatMap(Faults.Faults, (faults) => faults.reset))))

    it.scoped("emits a status change missed during an outage", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const { events } = yield* outage("500 millis", (id) => server.agent.setStatus(id, "resolved"))
        const status = yield* awaitTag(events, "StatusChanged")
        assert.isTrue(status._tag === "StatusChanged" && status.status === "resolved" && status.origin === "backfill")
      }))
  })
})
