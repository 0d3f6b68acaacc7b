import { CableFrame } from "@bevatel/schema"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Socket from "@effect/platform/Socket"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { Hub } from "./hub.js"
import type { Presenter } from "./presenter.js"

/**
 * One open `/cable` socket, as the fault injection sees it.
 *
 * @internal
 */
export interface CableConnection {
  /** Subscription identifier string → the token it streams from (`undefined`: never confirmed). */
  readonly subscriptions: Map<string, string | undefined>
  /** Half-open: nothing is sent or read any more, but the socket stays open. */
  frozen: boolean
  readonly send: (text: string) => Effect.Effect<void>
  readonly close: (code: number, reason?: string) => Effect.Effect<void>
  /** Destroys the TCP connection without a close frame (the client sees 1006). */
  readonly destroy: () => void
}

const decoder = new TextDecoder()
const decodeCommand = Schema.decodeUnknownEither(CableFrame.ClientCommandFromJson)
const decodeIdentifier = Schema.decodeUnknownOption(
  Schema.parseJson(Schema.Struct({ channel: Schema.String, pubsub_token: Schema.optional(Schema.String), user_id: Schema.optional(Schema.Unknown) }))
)

const frame = (value: unknown) => JSON.stringify(value)

/**
 * The `/cable` endpoint: ActionCable's protocol with `RoomChannel`'s rules (see the Client API reference §4).
 *
 * @internal
 */
export const cableHandler = (options: {
  readonly hub: Hub
  readonly presenter: Presenter
  readonly pingInterval: Duration.DurationInput
  readonly connections: Set<CableConnection>
  /** False while the server stops: upgrades are then refused here (see {@link upgradeRefusal}). */
  readonly accepting: () => boolean
}) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.headers.upgrade?.toLowerCase() !== "websocket") {
      return HttpServerResponse.text("Page not found", { status: 404 })
    }
    const rawSocket = NodeHttpServerRequest.toIncomingMessage(request).socket
    const refusal = upgradeRefusal(request, rawSocket, options.accepting())
    if (refusal !== undefined) return refusal
    const socket = yield* request.upgrade
    const write = yield* socket.writer
    const connection: CableConnection = {
      subscriptions: new Map(),
      frozen: false,
      send: (text) => connection.frozen ? Effect.void : write(text).pipe(Effect.ignore),
      close: (code, reason) => write(new Socket.CloseEvent(code, reason)).pipe(Effect.ignore),
      destroy: () => rawSocket.destroy()
    }
    // Counted once open: a socket that never opens is no connection, and `send` would wait for it to open.
    yield* Effect.addFinalizer(() => Effect.sync(() => options.connections.delete(connection)))

    const store = options.presenter.store
    // The identifiers subscribed to each token: a broadcast costs the same with ten subscriptions or ten thousand.
    const identifiersOf = new Map<string, Set<string>>()
    const broadcastTo = (token: string, event: string, data: unknown) =>
      Effect.suspend(() => {
        const identifiers = identifiersOf.get(token)
        if (identifiers === undefined) return Effect.void
        return Effect.forEach(
          [...identifiers],
          (identifier) => connection.send(frame({ identifier, message: { event, data } })),
          { discard: true }
        )
      })

    yield* Stream.fromPubSub(options.hub.stream).pipe(
      Stream.runForEach((message) => broadcastTo(message.token, message.event, message.data)),
      Effect.forkScoped
    )
    yield* Effect.suspend(() => connection.send(frame({ type: "ping", message: Math.floor(Date.now() / 1000) }))).pipe(
      Effect.repeat(Schedule.spaced(options.pingInterval)),
      Effect.delay(options.pingInterval),
      Effect.forkScoped
    )

    const publishPresence = (token: string) =>
      Effect.suspend(() =>
        options.hub.publish({ token, event: "presence.update", data: options.presenter.presencePayload() })
      )

    const onCommand = (text: string) =>
      Effect.gen(function*() {
        const decoded = decodeCommand(text)
        if (Either.isLeft(decoded)) return yield* Effect.logDebug("cable: unprocessable command")
        const command = decoded.right
        switch (command.command) {
          case "subscribe": {
            if (connection.subscriptions.has(command.identifier)) return // ActionCable ignores a duplicate
            const identifier = decodeIdentifier(command.identifier)
            if (Option.isNone(identifier) || identifier.value.channel !== "RoomChannel") {
              return yield* Effect.logDebug("cable: subscription class not found")
            }
            const token = identifier.value.pubsub_token
            const known = identifier.value.user_id === undefined && token !== undefined &&
              store.contactInboxByToken(token) !== undefined
            // The subscription is registered before `subscribed` runs; an unknown token raises there and is
            // never answered.
            connection.subscriptions.set(command.identifier, known ? token : undefined)
            if (!known) return
            const identifiers = identifiersOf.get(token)
            if (identifiers) identifiers.add(command.identifier)
            else identifiersOf.set(token, new Set([command.identifier]))
            yield* connection.send(frame({ identifier: command.identifier, type: "confirm_subscription" }))
            yield* publishPresence(token)
            return
          }
          case "unsubscribe": {
            const token = connection.subscriptions.get(command.identifier)
            connection.subscriptions.delete(command.identifier)
            if (token !== undefined) identifiersOf.get(token)?.delete(command.identifier)
            return
          }
          case "message": {
            const token = connection.subscriptions.get(command.identifier)
            if (token !== undefined && command.data.action === "update_presence") yield* publishPresence(token)
            return
          }
        }
      })

    yield* socket.runRaw(
      (data) => {
        if (connection.frozen) return
        return onCommand(typeof data === "string" ? data : decoder.decode(data))
      },
      {
        onOpen: Effect.suspend(() => {
          options.connections.add(connection)
          return connection.send(frame({ type: "welcome" }))
        })
      }
    ).pipe(Effect.catchAll(() => Effect.void))
    return HttpServerResponse.empty()
  }).pipe(Effect.scoped)

const webSocketKey = /^[+/0-9A-Za-z]{22}==$/
const tokenList = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:[ \t]*,[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/

/**
 * Why an upgrade is answered with plain HTTP instead of a socket, if it is.
 *
 * `ws` answers an upgrade it refuses (a malformed handshake, a server closing) by itself and never hands the socket
 * back; `@effect/platform-node` then waits for it forever and uninterruptibly, and the server can no longer stop.
 * So every upgrade `ws` would refuse is refused here first, with the same status.
 */
const upgradeRefusal = (
  request: HttpServerRequest.HttpServerRequest,
  rawSocket: { readonly readable: boolean; readonly writable: boolean },
  accepting: boolean
): HttpServerResponse.HttpServerResponse | undefined => {
  if (!accepting) return HttpServerResponse.text("Service Unavailable", { status: 503 })
  if (!rawSocket.readable || !rawSocket.writable) return HttpServerResponse.empty({ status: 400 })
  const key = request.headers["sec-websocket-key"]
  const version = Number(request.headers["sec-websocket-version"])
  const protocols = request.headers["sec-websocket-protocol"]
  const protocolList = protocols?.split(",").map((protocol) => protocol.trim())
  const valid = key !== undefined && webSocketKey.test(key) && (version === 13 || version === 8) &&
    (protocols === undefined || (tokenList.test(protocols) && new Set(protocolList).size === protocolList!.length))
  return valid ? undefined : HttpServerResponse.text("Invalid WebSocket handshake", { status: 400 })
}
