// Conformance against a client nobody here wrote: the official ActionCable consumer.
import { LocalServer } from "@bevatel/local-server"
import { assert, layer } from "@effect/vitest"
import * as ActionCable from "@rails/actioncable"
import { Deferred, Effect, Queue, Schedule } from "effect"
import WebSocket from "ws"
import { request } from "./support.js"

// @rails/actioncable expects a browser: a WebSocket constructor (Node 20 has none), window/document listeners.
ActionCable.adapters.WebSocket = WebSocket as never
const globals = globalThis as Record<string, unknown>
globals.addEventListener ??= () => {}
globals.removeEventListener ??= () => {}
globals.document ??= { visibilityState: "visible", addEventListener: () => {}, removeEventListener: () => {} }

const consumerOf = (url: string) =>
  Effect.acquireRelease(Effect.sync(() => ActionCable.createConsumer(url)), (consumer) => Effect.sync(() => consumer.disconnect()))

layer(LocalServer.layer(), { excludeTestServices: true })("@rails/actioncable against the local server", (it) => {
  it.scoped("subscribes with a contact's pubsub_token and receives message.created after an HTTP post", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const base = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
      const contact = (yield* request(`${base}/contacts`, { method: "POST", body: { name: "Rails" } })).json
      const customer = `${base}/contacts/${contact.source_id}`
      const conversation = (yield* request(`${customer}/conversations`, { method: "POST", body: {} })).json
      const consumer = yield* consumerOf(server.cableUrl)
      const connected = yield* Deferred.make<void>()
      const received = yield* Queue.unbounded<{ readonly event: string; readonly data: Record<string, unknown> }>()
      consumer.subscriptions.create({ channel: "RoomChannel", pubsub_token: contact.pubsub_token }, {
        connected: () => Deferred.unsafeDone(connected, Effect.void),
        received: (data: { event: string; data: Record<string, unknown> }) => Queue.unsafeOffer(received, data)
      })
      yield* Deferred.await(connected)
      yield* request(`${customer}/conversations/${conversation.id}/messages`, { method: "POST", body: { content: "via rails" } })
      const event = yield* Queue.take(received).pipe(Effect.repeat({ until: (data) => data.event === "message.created" }))
      assert.strictEqual(event.data.content, "via rails")
      assert.strictEqual(event.data.conversation_id, conversation.id)
    }))

  it.scoped("never confirms an unknown token", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const consumer = yield* consumerOf(server.cableUrl)
      const connected = yield* Deferred.make<void>()
      consumer.subscriptions.create({ channel: "RoomChannel", pubsub_token: "no-such-token-00000000000" }, {
        connected: () => Deferred.unsafeDone(connected, Effect.void)
      })
      // The consumer is open (it was welcomed) and the subscription still is not confirmed a while later.
      yield* Effect.repeat(Effect.sync(() => (consumer as unknown as { connection: { isOpen(): boolean } }).connection.isOpen()), {
        until: (open) => open,
        schedule: Schedule.spaced("20 millis")
      })
      const confirmed = yield* Deferred.await(connected).pipe(Effect.timeoutOption("1500 millis"))
      assert.strictEqual(confirmed._tag, "None")
    }))
})
