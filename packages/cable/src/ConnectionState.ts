/**
 * The cable's connection state, for UIs ("reconnecting…") and logs.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import type { ConnectionFailure } from "./ConnectionFailure.js"

/**
 * - `Idle`: no subscription, no socket.
 * - `Connecting`: opening a socket (`attempt` counts since the last stable connection).
 * - `Connected`: welcomed, and every subscription confirmed.
 * - `Reconnecting`: connection `attempt` (counted since the last stable connection, from 1) ended with `failure`
 *   (typed: a refused upgrade's HTTP status, an unreachable host's error code, …; `reason` says it in words, with
 *   the likely fix); the next starts after `delay`.
 * - `Closed`: a fatal error ended the cable.
 *
 * @since 0.1.0
 * @category models
 */
export type ConnectionState = Data.TaggedEnum<{
  Idle: {}
  Connecting: { readonly attempt: number }
  Connected: {}
  Reconnecting: {
    readonly attempt: number
    readonly delay: Duration.Duration
    readonly failure: ConnectionFailure
    readonly reason: string
  }
  Closed: { readonly reason: string }
}>

/**
 * Constructors and `$is`/`$match` for {@link ConnectionState}.
 *
 * @example
 * ```ts
 * import { ConnectionState } from "@bevatel/cable"
 *
 * const label = (state: ConnectionState.ConnectionState) =>
 *   ConnectionState.ConnectionState.$is("Connected")(state) ? "online" : state._tag
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const ConnectionState = Data.taggedEnum<ConnectionState>()
