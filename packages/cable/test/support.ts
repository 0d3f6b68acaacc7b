import { Cable, ConnectionState } from "@bevatel/cable"
import { ClientApi } from "@bevatel/http"
import { LocalServer } from "@bevatel/local-server"
import type { CableEvent } from "@bevatel/schema"
import { FetchHttpClient, Socket } from "@effect/platform"
import { Effect, Fiber, Layer, Queue, Stream } from "effect"
import { WebSocket } from "ws"

/**
 * The `ws` package as the WebSocket: it says which HTTP status refused an upgrade and which error code a
 * connection failed with. Node 22+'s built-in WebSocket (which `NodeSocket.layerWebSocketConstructor` prefers)
 * and browsers only say that it failed.
 */
export const wsConstructor = Layer.succeed(
  Socket.WebSocketConstructor,
  (url, protocols) => new WebSocket(url, protocols) as unknown as globalThis.WebSocket
)

/** A customer with a conversation, created through the Client API of the local server's first inbox. */
export const newCustomer = Effect.gen(function*() {
  const server = yield* LocalServer.LocalServer
  const api = yield* ClientApi.make({ baseUrl: server.url, inboxIdentifier: server.inboxes[0]!.identifier }).pipe(
    Effect.provide(FetchHttpClient.layer)
  )
  const contact = yield* api.contacts.create({ name: "Cable test" })
  const conversation = yield* api.conversations.create(contact.source_id)
  const say = (content: string) =>
    api.messages.create(contact.source_id, conversation.id, { content }).pipe(Effect.provide(FetchHttpClient.layer))
  return { server, api, contact, conversation, token: contact.pubsub_token, say }
}).pipe(Effect.orDie)

/** Runs a stream into a queue in the background of the current scope. */
export const collect = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.gen(function*() {
    const queue = yield* Queue.unbounded<A>()
    const fiber = yield* stream.pipe(Stream.runForEach((a) => Queue.offer(queue, a)), Effect.forkScoped)
    return { queue, fiber }
  })

/** The next item that matches, skipping others. */
export const next = <A>(queue: Queue.Queue<A>, predicate: (a: A) => boolean) =>
  Queue.take(queue).pipe(Effect.repeat({ until: predicate }))

export const isMessage = (content: string) => (event: CableEvent.CableEvent) =>
  event._tag === "MessageCreated" && event.data.content === content

/** Waits until the cable reaches a state. */
export const awaitState = (cable: Cable.Service, tag: ConnectionState.ConnectionState["_tag"]) =>
  cable.state.pipe(Stream.filter((state) => state._tag === tag), Stream.runHead, Effect.map((s) => s._tag === "Some" ? s.value : undefined))

export { Fiber }
