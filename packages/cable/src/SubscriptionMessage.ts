/**
 * What a subscription carries.
 *
 * @since 0.1.0
 */
import type { CableEvent } from "@bevatel/schema"
import * as Data from "effect/Data"

/**
 * A `Confirmed` marker each time the server (re)confirms the subscription — `resumed` is true after a reconnect,
 * when events may have been missed (ActionCable replays nothing) — and the events, in order: each decoded, and as
 * it came (`wire`, with the cable's `keepWire` option; absent otherwise, and on events made by hand).
 *
 * @since 0.1.0
 * @category models
 */
export type SubscriptionMessage = Data.TaggedEnum<{
  Confirmed: { readonly resumed: boolean }
  Event: { readonly event: CableEvent.CableEvent; readonly wire?: CableEvent.WireEvent | undefined }
}>

/**
 * Constructors and `$is`/`$match` for {@link SubscriptionMessage}.
 *
 * @example
 * ```ts
 * import { SubscriptionMessage } from "@bevatel/cable"
 *
 * const confirmed = SubscriptionMessage.SubscriptionMessage.Confirmed({ resumed: false })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const SubscriptionMessage = Data.taggedEnum<SubscriptionMessage>()
