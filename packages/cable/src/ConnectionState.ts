/**
 * The cable's connection state, for UIs ("reconnecting…") and logs.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"

/**
 * - `Idle`: no subscription, no socket.
 * - `Connecting`: opening a socket (`attempt` counts since the last stable connection).
 * - `Connected`: welcomed, and every subscription confirmed.
 * - `Reconnecting`: connection `attempt` (counted since the last stable connection, from 1) ended for `reason`;
 *   the next starts after `delay`.
 * - `Closed`: a fatal error ended the cable.
 *
 * @since 0.1.0
 * @category models
 */
export type ConnectionState = Data.TaggedEnum<{
  Idle: {}
  Connecting: { readonly attempt: number }
  Connected: {}
  Reconnecting: { readonly attempt: number; readonly delay: Duration.Duration; readonly reason: string }
  Closed: { readonly reason: string }
}>

/**
 * Constructors and `$is`/`$match` for {@link ConnectionState}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ConnectionState = Data.taggedEnum<ConnectionState>()
