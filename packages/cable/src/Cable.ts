/**
 * The ActionCable client of one Bevatel installation: a customer's live events as an Effect `Stream`.
 *
 * One socket is shared by every subscription (ref-counted: it opens with the first and closes after the last).
 * It reconnects straight from the close event, when the server goes silent (stale), and when the server asks
 * to; it resubscribes every live subscription after each reconnect. Consumers only ever see events, in order,
 * and the errors that really end a subscription.
 *
 * @since 0.1.0
 */
import type { CableEvent, Identifiers } from "@bevatel/schema"
import type * as Socket from "@effect/platform/Socket"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type * as CableError from "./CableError.js"
import type { ConnectionState } from "./ConnectionState.js"
import * as internal from "./internal/client.js"
import type { SubscriptionMessage } from "./SubscriptionMessage.js"

/**
 * A customer to subscribe for: its `pubsub_token`, or anything that carries one (a contact session, a stored
 * customer).
 *
 * @since 0.1.0
 * @category models
 */
export type Subscriber = string | Identifiers.PubsubToken | { readonly pubsub_token: string }

/**
 * Where a subscription's messages go, for {@link Service.deliverTo}: a `Mailbox` is one, or an adapter that tags them
 * into a queue shared by many subscriptions. `offerAll` may suspend (backpressure: delivery to every consumer waits);
 * `fail` receives the error that ends the subscription.
 *
 * @since 0.2.0
 * @category models
 */
export interface Consumer {
  readonly offerAll: (messages: Iterable<SubscriptionMessage>) => Effect.Effect<unknown>
  readonly fail: (error: CableError.CableError) => Effect.Effect<unknown>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The subscription with its confirmation markers: what a lossless stream builds on. */
  readonly subscribe: (subscriber: Subscriber) => Stream.Stream<SubscriptionMessage, CableError.CableError>
  /**
   * The subscription's messages, delivered to a consumer of yours until the scope closes: no stream and no fiber per
   * subscription, for a process that follows thousands of customers through one queue.
   */
  readonly deliverTo: (subscriber: Subscriber, consumer: Consumer) => Effect.Effect<void, CableError.CableError, Scope.Scope>
  /** The customer's events, decoded; unknown events arrive as `CableEvent.Unknown`. */
  readonly events: (subscriber: Subscriber) => Stream.Stream<CableEvent.CableEvent, CableError.CableError>
  /** Performs a channel action (e.g. `update_presence`) once the subscription is confirmed. */
  readonly perform: (
    subscriber: Subscriber,
    action: string,
    data?: Record<string, unknown>
  ) => Effect.Effect<void, CableError.CableError>
  /** The connection state, current value first. */
  readonly state: Stream.Stream<ConnectionState>
  readonly currentState: Effect.Effect<ConnectionState>
}

/**
 * The cable service: one shared ActionCable connection, a customer's events as a `Stream`.
 *
 * @example
 * ```ts
 * import { Cable } from "@bevatel/cable"
 * import { Identifiers } from "@bevatel/schema"
 * import { Effect, Stream } from "effect"
 *
 * const printEvents = (pubsubToken: Identifiers.PubsubToken) =>
 *   Effect.flatMap(Cable.Cable, (cable) =>
 *     cable.events(pubsubToken).pipe(Stream.runForEach((event) => Effect.log(event._tag))))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Cable extends Context.Tag("@bevatel/cable/Cable")<Cable, Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The installation (`https://chat.example.com`, its `/cable` is used) or the cable URL itself (`wss://…/cable`). */
  readonly url: string | URL
  /** The server's heartbeat. Default 3 seconds (ActionCable's). */
  readonly pingInterval?: Duration.DurationInput | undefined
  /** Silence after which the connection is stale and replaced. Default 2 ping intervals. */
  readonly staleAfter?: Duration.DurationInput | undefined
  /** How long a subscription may wait for its confirmation on one socket. Default 5 seconds. */
  readonly confirmTimeout?: Duration.DurationInput | undefined
  /** Fresh sockets tried before an unconfirmed subscription fails with `SubscriptionTimeout`. Default 3. */
  readonly confirmAttempts?: number | undefined
  /** The backoff between connection attempts. Default {@link Reconnect.defaultSchedule}. */
  readonly reconnectSchedule?: Schedule.Schedule<unknown, unknown> | undefined
  /** A confirmed connection that lasted this long restarts the backoff. Default 5 seconds. */
  readonly stableAfter?: Duration.DurationInput | undefined
  /** `update_presence` interval; `false` to never send it. Default 20 seconds (the server forgets after 20 s). */
  readonly presenceInterval?: Duration.DurationInput | false | undefined
  /** How long a socket may take to open. Default 10 seconds. */
  readonly openTimeout?: Duration.DurationInput | undefined
  /**
   * Events buffered per consumer. When a consumer's buffer is full, delivery waits for it (backpressure): no event
   * is dropped, frames keep arriving into the connection's own queue, and liveness is still tracked, so a slow
   * consumer never causes a reconnect. Default 1024.
   */
  readonly bufferSize?: number | undefined
  /**
   * Keep each event as it came beside the decoded one (`SubscriptionMessage.Event.wire`): what a pipeline that passes
   * events on wants (`ConversationEvent.toWire` then writes a live event as the server sent it, every field kept).
   * Default `false`: the parsed frame is let go once decoded — keeping it until delivery costs garbage-collection work
   * on every event (~10–15 % of the cable's CPU per event in `bench cpu`).
   */
  readonly keepWire?: boolean | undefined
}

/**
 * Builds the cable in the current scope; closing the scope closes the socket and stops every fiber and timer.
 *
 * @example
 * ```ts
 * import { Cable } from "@bevatel/cable"
 * import { Socket } from "@effect/platform"
 * import { Effect, Stream } from "effect"
 *
 * declare const pubsubToken: string // the customer's, from the contacts endpoints
 *
 * const program = Effect.gen(function*() {
 *   const cable = yield* Cable.Cable
 *   yield* cable.events(pubsubToken).pipe(
 *     Stream.filter((event) => event._tag === "MessageCreated"),
 *     Stream.runForEach((event) => Effect.log(event.data.content))
 *   )
 * }).pipe(
 *   Effect.provide(Cable.layer({ url: "https://chat.example.com" })),
 *   Effect.provide(Socket.layerWebSocketConstructorGlobal)
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<Service, never, Socket.WebSocketConstructor | Scope.Scope> =
  internal.make

/**
 * The cable as a layer, given a `WebSocket` constructor.
 *
 * @example
 * ```ts
 * import { Cable } from "@bevatel/cable"
 * import { Socket } from "@effect/platform"
 * import { Layer } from "effect"
 *
 * // In browsers, the global WebSocket; on Node, NodeSocket.layerWebSocketConstructor.
 * const CableLive = Cable.layer({ url: "https://chat.example.com" }).pipe(
 *   Layer.provide(Socket.layerWebSocketConstructorGlobal)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Cable, never, Socket.WebSocketConstructor> =>
  Layer.scoped(Cable, make(options))

/**
 * The cable, its options read from your `Config` (each option a `Config` of its own, or one `Config` of them all).
 *
 * @example
 * ```ts
 * import { Cable } from "@bevatel/cable"
 * import { Config } from "effect"
 *
 * const CableLive = Cable.layerConfig({ url: Config.url("BEVATEL_URL"), pingInterval: Config.duration("BEVATEL_PING") })
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<Options>
): Layer.Layer<Cable, ConfigError.ConfigError, Socket.WebSocketConstructor> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
