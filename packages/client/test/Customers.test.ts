import { Cable } from "@bevatel/cable"
import { Customers } from "@bevatel/client"
import { ClientApi, RequestBudget } from "@bevatel/http"
import { Faults, LocalServer } from "@bevatel/local-server"
import { FetchHttpClient } from "@effect/platform"
import { NodeSocket } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Queue, Stream } from "effect"

/** The SDK over a local server of these options; with a request budget when given. */
const setup = (server: LocalServer.Options, budget?: RequestBudget.Options) => {
  const clients = Layer.unwrapEffect(
    Effect.map(LocalServer.LocalServer, (local) =>
      Layer.mergeAll(
        ClientApi.layer({ baseUrl: local.url, inboxIdentifier: local.inboxes[0]!.identifier }),
        Cable.layer({ url: local.url, pingInterval: "500 millis", presenceInterval: false })
      ).pipe(Layer.provide(budget === undefined ? Layer.empty : RequestBudget.layer(budget))))
  )
  return clients.pipe(
    Layer.provideMerge(Layer.mergeAll(LocalServer.layer(server), FetchHttpClient.layer, NodeSocket.layerWebSocketConstructor))
  )
}

/** Customers' events collected in the background: `(sourceId, conversationId, content)` of each message added. */
const collected = Effect.gen(function*() {
  const customers = yield* Customers.Customers
  const messages = yield* Queue.unbounded<{ sourceId: string; conversationId: number; content: string; id: number }>()
  yield* customers.events.pipe(
    Stream.runForEach((item) =>
      item._tag === "Event" && item.event._tag === "MessageAdded"
        ? Queue.offer(messages, {
          sourceId: item.sourceId,
          conversationId: item.conversationId,
          content: item.event.message.content ?? "",
          id: item.event.message.id
        })
        : Effect.void
    ),
    Effect.forkScoped
  )
  return messages
})

const takeN = <A>(queue: Queue.Queue<A>, n: number) =>
  Effect.map(Effect.all(Array.from({ length: n }, () => Queue.take(queue))), (items) => items)

describe("Customers", () => {
  it.scopedLive("customers added and removed while events flow; new conversations are followed", () =>
    Effect.gen(function*() {
      const customers = yield* Customers.make()
      const api = yield* ClientApi.ClientApi
      const server = yield* LocalServer.LocalServer
      const messages = yield* collected.pipe(Effect.provideService(Customers.Customers, customers))
      const people = yield* Effect.forEach(Array.from({ length: 10 }, (_, i) => i), (i) =>
        Effect.gen(function*() {
          const contact = yield* api.contacts.create({ name: `customer ${i}` })
          const conversation = yield* api.conversations.create(contact.source_id)
          yield* customers.add({ sourceId: contact.source_id, pubsubToken: contact.pubsub_token })
          return { contact, conversation, i }
        }))
      for (const person of people) yield* server.agent.reply(person.conversation.id, `hello ${person.i}`)
      const first = yield* takeN(messages, 10)
      assert.deepStrictEqual(
        first.map((m) => m.content).sort(),
        people.map((p) => `hello ${p.i}`).sort()
      )
      for (const m of first) {
        const person = people.find((p) => p.contact.source_id === m.sourceId)!
        assert.strictEqual(m.content, `hello ${person.i}`)
        assert.strictEqual(m.conversationId, person.conversation.id)
      }

      // Half of them leave; the others stay, and one of them opens a second conversation.
      for (const person of people.slice(0, 5)) yield* customers.remove(person.contact.source_id)
      assert.strictEqual((yield* customers.customers).length, 5)
      const stayer = people[5]!
      const second = yield* api.conversations.create(stayer.contact.source_id)
      for (const person of people) yield* server.agent.reply(person.conversation.id, `again ${person.i}`)
      yield* server.agent.reply(second.id, "in the new conversation")
      const later = yield* takeN(messages, 6)
      assert.deepStrictEqual(
        later.map((m) => m.content).sort(),
        ["again 5", "again 6", "again 7", "again 8", "again 9", "in the new conversation"]
      )
      assert.strictEqual(later.find((m) => m.content === "in the new conversation")!.conversationId, second.id)
      assert.strictEqual(yield* Queue.size(messages), 0)
    }).pipe(Effect.provide(setup({ pingInterval: "500 millis" }))))

  // Exceeding a per-minute limit takes more than a minute: this heavy test runs on one Node version in CI.
  it.scopedLive.skipIf(process.env.BEVATEL_SKIP_HEAVY_TESTS === "1")("many customers recover after every socket drops, each reply once, inside the server's throttle", () =>
    Effect.gen(function*() {
      const count = 60
      const customers = yield* Customers.make()
      const api = yield* ClientApi.ClientApi
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      const messages = yield* collected.pipe(Effect.provideService(Customers.Customers, customers))
      const people = yield* Effect.forEach(Array.from({ length: count }, (_, i) => i), (i) =>
        Effect.gen(function*() {
          const contact = yield* api.contacts.create({ name: `bridge customer ${i}` })
          const conversation = yield* api.conversations.create(contact.source_id)
          yield* customers.add({ sourceId: contact.source_id, pubsubToken: contact.pubsub_token })
          return { contact, conversation, i }
        }), { concurrency: 10 })
      for (const person of people) yield* server.agent.reply(person.conversation.id, `before ${person.i}`)
      yield* takeN(messages, count)
      // Every socket drops; replies land while the cable is down; every conversation catches up at once.
      yield* faults.dropSockets
      for (const person of people) yield* server.agent.reply(person.conversation.id, `during ${person.i}`)
      const recovered = yield* takeN(messages, count)
      assert.deepStrictEqual(
        recovered.map((m) => m.content).sort(),
        people.map((p) => `during ${p.i}`).sort()
      )
      for (const person of people) yield* server.agent.reply(person.conversation.id, `after ${person.i}`)
      const after = yield* takeN(messages, count)
      assert.deepStrictEqual(after.map((m) => m.content).sort(), people.map((p) => `after ${p.i}`).sort())
      assert.strictEqual(yield* Queue.size(messages), 0, "nothing twice")
      // 300 requests against a throttle of 240 a minute: the budget kept every one inside it.
      assert.strictEqual(yield* server.throttledRequests, 0)
    }).pipe(Effect.provide(setup({ pingInterval: "500 millis", throttle: { requestsPerMinute: 240 } }, { requestsPerMinute: 240 }))), { timeout: 240_000 })
})
