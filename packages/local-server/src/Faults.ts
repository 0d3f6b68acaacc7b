/**
 * Fault injection for reliability tests: what networks, proxies and servers do to clients in real life.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"

/**
 * The fault-injection service of a running local server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Destroys every open cable socket at the TCP level, with no close frame (clients see code 1006). */
  readonly dropSockets: Effect.Effect<number>
  /**
   * Makes every open cable socket half-open: the socket stays up but the server sends nothing more (no pings,
   * no events) and ignores what it receives. New sockets are healthy.
   */
  readonly halfOpen: Effect.Effect<number>
  /** Sends `{"type":"disconnect","reason":…,"reconnect":…}` on every socket, then closes it as Rails does. */
  readonly disconnect: (options: {
    readonly reason?: "unauthorized" | "invalid_request" | "server_restart" | "remote" | undefined
    readonly reconnect: boolean
  }) => Effect.Effect<number>
  /** Sends a raw text frame to every socket: malformed JSON, unknown frame types, unknown events. */
  readonly sendRaw: (text: string) => Effect.Effect<number>
  /**
   * Rewrites the data of every event broadcast from now on (until `reset`), as a server whose payloads changed
   * would send them; the REST answers stay as they are. E.g. drop `conversation_id` from `message.created`.
   */
  readonly alterEvents: (alter: (event: string, data: unknown) => unknown) => Effect.Effect<void>
  /** Answers the next `count` Client API requests with `status` (429 adds `Retry-After`, in whole seconds). */
  readonly failRequests: (options: {
    readonly count: number
    readonly status: 429 | 500 | 502 | 503 | 504
    readonly retryAfter?: Duration.DurationInput | undefined
  }) => Effect.Effect<void>
  /**
   * The next `count` Client API requests that change something (POST, PATCH, PUT) are carried out, and then their
   * connection is cut before the answer: the client cannot know whether they happened.
   */
  readonly loseAnswers: (options: { readonly count: number }) => Effect.Effect<void>
  /**
   * Answers WebSocket upgrades on `/cable` with this HTTP status (ActionCable's own `Page not found` body) while
   * the Client API keeps working — what a proxy that does not forward upgrades does; `false` to stop.
   */
  readonly refuseUpgrades: (status: 400 | 403 | 404 | 502 | false) => Effect.Effect<void>
  /** Delays every Client API response by this much (zero to stop). */
  readonly setLatency: (latency: Duration.DurationInput) => Effect.Effect<void>
  /**
   * Restarts the server: stops listening (new connections are refused), sends `disconnect` (`server_restart`,
   * reconnect) to every socket and closes it, stays down for `downFor`, then listens again on the same port with the
   * same data.
   */
  readonly restart: (options?: { readonly downFor?: Duration.DurationInput | undefined }) => Effect.Effect<void>
  /** Clears pending request failures, lost answers, refused upgrades, latency and event alterations. */
  readonly reset: Effect.Effect<void>
}

/**
 * The fault injection service: drops, freezes, refusals, failures and restarts on demand.
 *
 * @example
 * ```ts
 * import { Faults, LocalServer } from "@bevatel/local-server"
 * import { Effect } from "effect"
 *
 * // Every open /cable socket dropped at once, as a proxy restart does.
 * const drop = Effect.flatMap(Faults.Faults, (faults) => faults.dropSockets).pipe(Effect.provide(LocalServer.layer()))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Faults extends Context.Tag("@bevatel/local-server/Faults")<Faults, Service>() {}
